// bench/generate: writes N synthetic referrals in the published schema (the
// header of shared/spec/seed-scenario.csv), deterministically from a seed.
//
//   generate N SEED AS_OF > referrals.csv      (AS_OF: YYYY-MM-DD or DD/MM/YYYY)
//
// Standalone on purpose (no engine code): the benchmark's input must not be
// shaped by the program it measures. Every row is one the default rules score
// without rejection: known sources, mobilities, packages and contracts; a
// package whose visits a day equal the visit slots listed; weekly hours exactly
// 7 x daily (in quarter hours, so the text is exact); care type from the daily
// hours; a referral date 0-120 days before AS_OF, as dd/mm/yyyy or yyyy-mm-dd;
// unique ids, not in file order (so the id tie-break is really exercised).
// Free text (Site of Referral, Ward) sometimes holds commas or doubled quotes
// and is quoted as RFC 4180 says; many wards are empty.
//
// Build: g++ -std=c++20 -O2 -o bench/data/generate bench/generate.cpp
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

// ------------------------------------------------------------------ random

struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound), bound < 2^32 (multiply-shift; bias is negligible here).
  std::uint32_t below(std::uint32_t bound) {
    return static_cast<std::uint32_t>(((next() >> 32) * bound) >> 32);
  }
  bool percent(std::uint32_t p) { return below(100) < p; }
};

// ------------------------------------------------------------------ CSV text

// A field as it appears in the file: quoted only when it must be.
std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

// Weighted choice among pre-encoded CSV fields.
struct Choice {
  std::vector<std::string> fields;
  std::vector<std::uint32_t> cumulative;
  std::uint32_t total = 0;

  Choice(std::initializer_list<std::pair<std::string_view, std::uint32_t>> items) {
    for (const auto& [text, weight] : items) {
      fields.push_back(csv_field(text));
      total += weight;
      cumulative.push_back(total);
    }
  }
  std::size_t pick_index(SplitMix64& rng) const {
    const std::uint32_t r = rng.below(total);
    std::size_t i = 0;
    while (cumulative[i] <= r)
      ++i;
    return i;
  }
  const std::string& pick(SplitMix64& rng) const { return fields[pick_index(rng)]; }
};

// ------------------------------------------------------------------ dates

// Days since 1970-01-01 <-> civil date (Howard Hinnant's algorithms).
long days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

void civil_from_days(long z, long& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool parse_as_of(const char* text, long& day) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 ||
      std::sscanf(text, "%2d/%2d/%4d%c", &d, &m, &y, &tail) == 3) {
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900)
      return false;
    day = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    long yy;
    unsigned mm, dd;
    civil_from_days(day, yy, mm, dd);
    return yy == y && static_cast<int>(mm) == m && static_cast<int>(dd) == d;
  }
  return false;
}

std::string format_date(long day, bool iso) {
  long y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  char buffer[16];
  if (iso) {
    std::snprintf(buffer, sizeof buffer, "%04ld-%02u-%02u", y, m, d);
  } else {
    std::snprintf(buffer, sizeof buffer, "%02u/%02u/%04ld", d, m, y);
  }
  return buffer;
}

// Quarter hours as the shortest decimal text: 2 -> "0.5", 49 -> "12.25".
std::string format_quarters(unsigned q) {
  static const char* const fraction[] = {"", ".25", ".5", ".75"};
  return std::to_string(q / 4) + fraction[q % 4];
}

// ------------------------------------------------------------------ output

class Writer {
 public:
  Writer() : m_buffer(k_size) {}
  ~Writer() { flush(); }
  void put(std::string_view s) {
    if (m_used + s.size() > k_size)
      flush();
    std::memcpy(m_buffer.data() + m_used, s.data(), s.size());
    m_used += s.size();
  }
  void put(char c) {
    if (m_used + 1 > k_size)
      flush();
    m_buffer[m_used++] = c;
  }
  void flush() {
    if (m_used != 0 && std::fwrite(m_buffer.data(), 1, m_used, stdout) != m_used) {
      std::perror("generate: write");
      std::exit(1);
    }
    m_used = 0;
  }

 private:
  static constexpr std::size_t k_size = 4u << 20;
  std::vector<char> m_buffer;
  std::size_t m_used = 0;
};

// ------------------------------------------------------------------ the data

struct Source {
  std::string_view name;
  std::uint32_t weight;
  bool hospital;  // HDRS contract and a ward, mostly
  Choice sites;
};

struct Team {
  std::string_view name;
  Choice postcodes;  // postcode districts, weighted
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: generate N SEED AS_OF > referrals.csv\n");
    return 2;
  }
  char* end = nullptr;
  const unsigned long long rows = std::strtoull(argv[1], &end, 10);
  if (*end != '\0' || rows > 999'999'999ULL) {
    std::fprintf(stderr, "generate: N must be a whole number below 1e9\n");
    return 2;
  }
  const unsigned long long seed = std::strtoull(argv[2], &end, 10);
  if (*end != '\0') {
    std::fprintf(stderr, "generate: SEED must be a whole number\n");
    return 2;
  }
  long as_of = 0;
  if (!parse_as_of(argv[3], as_of)) {
    std::fprintf(stderr, "generate: AS_OF must be YYYY-MM-DD or DD/MM/YYYY\n");
    return 2;
  }

  const std::array<Team, 4> teams{{
      {"North",
       {{"OX5", 3},
        {"OX7", 2},
        {"OX15", 2},
        {"OX16", 4},
        {"OX17", 2},
        {"OX25", 2},
        {"OX26", 4},
        {"OX27", 1}}},
      {"South",
       {{"OX10", 4},
        {"OX11", 4},
        {"OX12", 3},
        {"OX14", 4},
        {"RG4", 2},
        {"RG8", 1},
        {"RG9", 2},
        {"SN6", 1},
        {"SN7", 2}}},
      {"City", {{"OX1", 2}, {"OX2", 3}, {"OX3", 4}, {"OX4", 5}}},
      {"West", {{"OX18", 2}, {"OX20", 2}, {"OX28", 4}, {"OX29", 3}, {"OX13", 2}, {"GL7", 1}}},
  }};
  // Same order as `teams`.
  const Choice team_choice{{"North", 28}, {"South", 27}, {"City", 25}, {"West", 20}};

  // Every source protocol.md lists, SDEC ones (URTS, FIT, EAU) included.
  const std::array<Source, 13> sources{{
      {"SPA", 14, false, {{"SPA", 1}}},
      {"ICB",
       9,
       true,
       {{"ICB Chilterns Court", 4},
        {"Watlington ICB", 2},
        {"ISIS", 2},
        {"ICB Townlands, Henley", 1}}},
      {"URTS", 8, false, {{"URTS", 1}}},
      {"Acute Hospitals",
       18,
       true,
       {{"John Radcliffe", 8},
        {"Churchill Hospital", 3},
        {"Horton General Hospital, Banbury", 3},
        {"Nuffield Orthopaedic Centre", 2}}},
      {"Community Hospitals",
       12,
       true,
       {{"Didcot Community Hospital", 3},
        {"Abingdon Community Hospital", 3},
        {"Wallingford Community Hospital", 2},
        {"Witney Community Hospital", 2},
        {"City Community Hospital, Oxford", 2}}},
      {"OUT of County",
       5,
       true,
       {{"Great Western Hospital", 3},
        {"Royal Berkshire Hospital", 3},
        {"Stoke Mandeville Hospital, Aylesbury", 2}}},
      {"OT/GP", 6, false, {{"OT", 3}, {"GP", 2}, {"GP surgery, Thame", 1}}},
      {"FIT", 4, false, {{"FIT", 1}}},
      {"EAU", 4, true, {{"John Radcliffe", 3}, {"Horton General Hospital, Banbury", 1}}},
      {"HUB", 5, true, {{"The Albany", 3}, {"Henley Hub", 1}}},
      {"Self Referrals", 3, false, {{"Family Member", 2}, {"Self", 2}, {"Neighbour, via 111", 1}}},
      {"Adult Social Care", 6, false, {{"Adult Social Care", 1}}},
      {"ILT", 3, false, {{"ILT", 1}}},
  }};
  std::uint32_t source_total = 0;
  std::vector<std::uint32_t> source_cumulative;
  for (const auto& s : sources)
    source_cumulative.push_back(source_total += s.weight);
  std::vector<std::string> source_fields;
  for (const auto& s : sources)
    source_fields.push_back(csv_field(s.name));

  const Choice wards{{"5A", 4},
                     {"CMU C", 3},
                     {"Adams Trauma", 2},
                     {"Ward 7E, Level 7", 2},
                     {"Emergency Assessment Unit", 1},
                     {"Jack Straw's Lane, Bay 3", 1},
                     {"Ward 6 (\"Lucy\"), East", 1},
                     {"SEU", 1},
                     {"Oak Ward", 2}};

  // Package, then its visit slots (in the day's order), so visits a day always match.
  const Choice packages{{"OD", 20}, {"BD", 35}, {"TDS", 15}, {"QDS", 30}};
  const std::array<Choice, 4> slots_by_package{{
      {{"AM", 40}, {"Lunch", 30}, {"Tea", 10}, {"PM", 20}},
      {{"AM, PM", 70}, {"AM, Tea", 15}, {"Lunch, PM", 10}, {"AM, Lunch", 5}},
      {{"AM, Lunch, Tea", 35}, {"AM, Lunch, PM", 35}, {"AM, Tea, PM", 30}},
      {{"AM, Lunch, Tea, PM", 1}},
  }};
  const std::array<std::uint32_t, 4> double_handed_percent{5, 20, 20, 35};
  // Minutes a visit lasts, in quarter hours.
  const std::array<unsigned, 4> visit_quarters{2, 3, 4, 6};
  const Choice visit_length{{"2", 45}, {"3", 25}, {"4", 22}, {"6", 8}};

  const Choice mobility_single{
      {"Independent with mobility", 40}, {"Mobile with 1 staff", 45}, {"Mobile with 2 staff", 15}};
  const Choice mobility_double{{"Mobile with 2 staff", 60}, {"Immobile/Hoist", 40}};

  // Dates 0..120 days before AS_OF, both formats, and one day later for triage.
  constexpr int k_days = 121;
  std::vector<std::string> dates_uk, dates_iso;
  for (int back = -3; back < k_days; ++back) {
    dates_uk.push_back(format_date(as_of - back, false));
    dates_iso.push_back(format_date(as_of - back, true));
  }
  const auto date_text = [&](int back, bool iso) -> const std::string& {
    return (iso ? dates_iso : dates_uk)[static_cast<std::size_t>(back + 3)];
  };

  std::vector<std::string> hours_text;
  for (unsigned q = 0; q <= 7 * 24; ++q)
    hours_text.push_back(format_quarters(q));
  const auto care_type = [](unsigned q) -> std::string_view {
    return q <= 2 ? "Simple" : q <= 4 ? "Moderate" : q <= 6 ? "High" : "Complex";
  };

  SplitMix64 rng{seed * 0x2545F4914F6CDD1DULL + 1};
  // Ids: R + 9 digits, (i * A + B) mod 1e9 with A coprime to 10: unique, scattered.
  const std::uint64_t id_multiplier = 387420489ULL;  // 3^18
  const std::uint64_t id_offset = rng.next() % 1'000'000'000ULL;

  Writer out;
  out.put(
      "Referral ID,Status,Team,Referral Source,Post Code,Level of Support,Package,Double "
      "Handed,Hours of Care (Daily),Hours of Care (Weekly),Care Type,HDRS or CRS,Site of "
      "Referral,Ward,Referral/Discharge Notice Date,Triage Date,Mobility\n");
  char id[11] = "R000000000";
  for (unsigned long long i = 0; i < rows; ++i) {
    std::uint64_t n = (i * id_multiplier + id_offset) % 1'000'000'000ULL;
    for (int k = 9; k >= 1; --k) {
      id[k] = static_cast<char>('0' + n % 10);
      n /= 10;
    }
    out.put(std::string_view(id, 10));

    const bool triaged = rng.percent(90);
    out.put(triaged ? ",Triaged," : ",Awaiting triage,");

    const std::size_t t = team_choice.pick_index(rng);
    out.put(teams[t].name);
    out.put(',');

    const std::uint32_t r = rng.below(source_total);
    std::size_t s = 0;
    while (source_cumulative[s] <= r)
      ++s;
    const Source& source = sources[s];
    out.put(source_fields[s]);
    out.put(',');
    out.put(teams[t].postcodes.pick(rng));
    out.put(',');

    const std::size_t p = packages.pick_index(rng);
    out.put(slots_by_package[p].pick(rng));
    out.put(',');
    out.put(packages.fields[p]);
    const bool two_carers = rng.percent(double_handed_percent[p]);
    out.put(two_carers ? ",Yes," : ",No,");

    const unsigned daily =
        static_cast<unsigned>(p + 1) * visit_quarters[visit_length.pick_index(rng)];
    out.put(hours_text[daily]);
    out.put(',');
    out.put(hours_text[7 * daily]);
    out.put(',');
    out.put(care_type(daily));

    const bool hdrs = source.hospital ? rng.percent(92) : rng.percent(8);
    out.put(hdrs ? ",HDRS," : ",CRS,");
    out.put(source.sites.pick(rng));
    out.put(',');
    if (source.hospital && rng.percent(55))
      out.put(wards.pick(rng));
    out.put(',');

    // Waits: most recent, a long tail to 120 days.
    const int back = static_cast<int>(rng.percent(60) ? rng.below(31) : rng.below(k_days));
    const bool iso = rng.percent(35);
    out.put(date_text(back, iso));
    out.put(',');
    if (triaged) {
      const int triage_back = back - static_cast<int>(rng.below(3));
      out.put(date_text(triage_back < 0 ? 0 : triage_back, iso));
    }
    out.put(',');
    out.put((two_carers ? mobility_double : mobility_single).pick(rng));
    out.put('\n');
  }
  out.flush();
  if (std::fflush(stdout) != 0) {
    std::perror("generate: write");
    return 1;
  }
  return 0;
}
