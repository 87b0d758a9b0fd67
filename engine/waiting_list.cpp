// Tested by tests/unit/test_parallel_list.cpp (the block reader against the
// stream reader) and tests/unit/test_referral_columns.cpp.
// Scores every row once (through the same checks as batch scoring) and copies
// out only what ranking, capacity and summaries need. The rule set's [pick_up]
// roles say which variable holds each field, so no column name is assumed here.
#include <engine/detail/duplicate_ids.hpp>
#include <engine/detail/ordered_blocks.hpp>
#include <engine/detail/record_blocks.hpp>
#include <engine/detail/scored_rows.hpp>
#include <engine/errors.hpp>
#include <engine/text.hpp>
#include <engine/waiting_list.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <memory>

namespace engine {

namespace {

// Where a role's value is read from after a row is scored.
struct RoleSlot {
  std::optional<std::size_t> slot;
  bool is_number = false;
};

bool variable_is_number(const RuleSet& rules, const std::string& name) {
  if (const Step* step = rules.find_step(name)) {
    return step->type == ValueType::number;
  }
  const RuleInput* input = rules.find_input(name);
  return input != nullptr && (input->type == InputType::number || input->type == InputType::date ||
                              input->type == InputType::slots);
}

RoleSlot role_slot(const RuleSet& rules, const Scorer& scorer, const std::string& name) {
  if (name.empty()) {
    return {};
  }
  return {scorer.slot(name), variable_is_number(rules, name)};
}

// Where the list keeps each ranking key: a key that is the score, the days
// waiting or the id is read from there rather than kept twice.
std::vector<ReferralColumns::KeySource> key_sources(const RuleSet& rules) {
  using Source = ReferralColumns::KeySource;
  std::vector<Source> sources;
  for (const auto& key : rules.order) {
    const std::string& name = key.variable;
    if (name == rules.score_variable) {
      sources.push_back(Source::score);
    } else if (!rules.pick_up.days_waiting.empty() && name == rules.pick_up.days_waiting) {
      sources.push_back(Source::days_waiting);
    } else if (name == rules.id_input().name) {
      sources.push_back(Source::id);
    } else {
      sources.push_back(variable_is_number(rules, name) ? Source::own_number : Source::own_text);
    }
  }
  return sources;
}

class RoleReader {
 public:
  RoleReader(const RuleSet& rules, const Scorer& scorer)
      : m_scorer(scorer), m_numbers(scorer.numbers()), m_texts(scorer.texts()) {
    const PickUpRoles& roles = rules.pick_up;
    m_team = role_slot(rules, scorer, roles.team);
    m_source = role_slot(rules, scorer, roles.source);
    m_package = role_slot(rules, scorer, roles.package);
    m_contract = role_slot(rules, scorer, roles.contract);
    m_wait_range = role_slot(rules, scorer, roles.wait_range);
    m_care_type = role_slot(rules, scorer, roles.care_type);
    m_visit_slots = role_slot(rules, scorer, roles.visit_slots);
    m_double_handed = role_slot(rules, scorer, roles.double_handed);
    m_in_bed = role_slot(rules, scorer, roles.in_bed);
    m_daily_hours = role_slot(rules, scorer, roles.daily_hours);
    m_weekly_hours = role_slot(rules, scorer, roles.weekly_hours);
    m_days_waiting = role_slot(rules, scorer, roles.days_waiting);
    m_score = role_slot(rules, scorer, rules.score_variable);
    for (const auto& key : rules.order) {
      m_keys.push_back(role_slot(rules, scorer, key.variable));
    }
    m_key_owned.resize(m_keys.size());
  }

  // The row's fields as views into the scorer's values (or into this reader,
  // for numbers shown as text): valid until the next row is scored or read.
  ReferralFields fields(std::size_t line) {
    ReferralFields r;
    r.line = line;
    r.id = m_scorer.id();
    r.score = number(m_score);
    m_key_numbers.clear();
    m_key_texts.clear();
    for (std::size_t k = 0; k < m_keys.size(); ++k) {
      const RoleSlot& key = m_keys[k];
      m_key_numbers.push_back(key.is_number ? number(key) : 0.0);
      m_key_texts.push_back(key.is_number ? std::string_view() : view(key, m_key_owned[k]));
    }
    r.key_numbers = m_key_numbers;
    r.key_texts = m_key_texts;
    r.team = view(m_team, m_owned[0]);
    r.source = view(m_source, m_owned[1]);
    r.package = view(m_package, m_owned[2]);
    r.contract = view(m_contract, m_owned[3]);
    r.wait_range = view(m_wait_range, m_owned[4]);
    r.care_type = view(m_care_type, m_owned[5]);
    if (m_visit_slots.slot) {
      r.visit_slots = m_scorer.visit_mask_at(*m_visit_slots.slot);
      r.visit_slots_text = m_texts[*m_visit_slots.slot];
    }
    r.double_handed = number(m_double_handed) != 0;
    r.in_bed = number(m_in_bed) != 0;
    r.daily_hours = number(m_daily_hours);
    r.weekly_hours = number(m_weekly_hours);
    r.days_waiting = number(m_days_waiting);
    return r;
  }

 private:
  double number(const RoleSlot& role) const { return role.slot ? m_numbers[*role.slot] : 0.0; }
  std::string_view view(const RoleSlot& role, std::string& owned) const {
    if (!role.slot) {
      return {};
    }
    if (role.is_number) {
      owned = format_number(m_numbers[*role.slot]);
      return owned;
    }
    return m_texts[*role.slot];
  }

  const Scorer& m_scorer;
  // The scorer's values, read by slot (checked when the roles were bound):
  // sized once, so these views stay valid for the scorer's life.
  std::span<const double> m_numbers;
  std::span<const std::string_view> m_texts;
  RoleSlot m_team, m_source, m_package, m_contract, m_wait_range, m_care_type, m_visit_slots,
      m_double_handed, m_in_bed, m_daily_hours, m_weekly_hours, m_days_waiting, m_score;
  std::vector<RoleSlot> m_keys;
  std::vector<double> m_key_numbers;
  std::vector<std::string_view> m_key_texts;
  std::vector<std::string> m_key_owned;
  std::array<std::string, 6> m_owned;
};

}  // namespace

void ReferralColumns::reserve(std::size_t count) {
  // Before the first referral the layout may not be known: assume the usual
  // rule set's (one number and no text of the keys' own).
  m_lines.reserve(count);
  // The cores are read in rank order, one cache line each from anywhere in
  // them, yet they stay on 4 KiB pages: measured on 10M rows, faulting in
  // 640 MB of fresh 2 MiB pages cost reading 1.2 s more than the TLB saved
  // in writing (see ARCHITECTURE.md).
  m_cores.reserve(count);
  if (!m_wide_texts.empty()) {
    m_wide_texts.reserve(count * k_role_texts);
  }
  m_own_number_values.reserve(count * (m_layout_set ? m_own_numbers : 1));
  m_own_text_codes.reserve(count * m_own_texts);
}

void ReferralColumns::set_key_sources(std::vector<KeySource> sources) {
  m_layout_set = true;
  m_keys = sources.size();
  m_key_sources = std::move(sources);
  m_key_number_at.assign(m_keys, k_none);
  m_key_text_at.assign(m_keys, k_none);
  m_own_numbers = 0;
  m_own_texts = 0;
  for (std::size_t k = 0; k < m_keys; ++k) {
    const KeySource source = m_key_sources[k];
    if (source == KeySource::own || source == KeySource::own_number) {
      m_key_number_at[k] = k_role_numbers + m_own_numbers++;
    } else if (source == KeySource::score) {
      m_key_number_at[k] = 0;
    } else if (source == KeySource::days_waiting) {
      m_key_number_at[k] = 3;
    }
    if (source == KeySource::own || source == KeySource::own_text) {
      m_key_text_at[k] = k_role_texts + m_own_texts++;
    } else if (source == KeySource::id) {
      m_key_text_at[k] = k_from_id;
    }
  }
}

void ReferralColumns::push_back(const Referral& r) {
  std::vector<std::string_view> key_texts(r.key_texts.begin(), r.key_texts.end());
  ReferralFields fields;
  fields.line = r.line;
  fields.id = r.id;
  fields.team = r.team;
  fields.source = r.source;
  fields.package = r.package;
  fields.contract = r.contract;
  fields.wait_range = r.wait_range;
  fields.care_type = r.care_type;
  fields.visit_slots_text = r.visit_slots_text;
  fields.score = r.score;
  fields.daily_hours = r.daily_hours;
  fields.weekly_hours = r.weekly_hours;
  fields.days_waiting = r.days_waiting;
  fields.in_bed = r.in_bed;
  fields.double_handed = r.double_handed;
  fields.visit_slots = r.visit_slots;
  fields.key_numbers = r.key_numbers;
  fields.key_texts = key_texts;
  push_back(fields);
}

void ReferralColumns::set_id(Core& core, std::string_view id) {
  if (id.size() <= k_inline_id) {
    core.id_size = static_cast<std::uint8_t>(id.size());
    std::memcpy(core.id, id.data(), id.size());
    return;
  }
  core.id_size = k_id_outside;
  const std::uint64_t offset = m_long_ids.size();
  const auto size = static_cast<std::uint32_t>(id.size());
  std::memcpy(core.id, &offset, sizeof offset);
  std::memcpy(core.id + sizeof offset, &size, sizeof size);
  m_long_ids += id;
}

void ReferralColumns::set_text_codes(const std::array<std::uint32_t, k_role_texts>& codes) {
  if (m_wide_texts.empty() && m_texts.size() > k_most_narrow_codes) {
    // Codes past 16 bits (a file with tens of thousands of distinct teams or
    // labels): from now on every referral's codes are kept at full width.
    m_wide_texts.reserve(m_cores.capacity() * k_role_texts);
    for (std::size_t i = 0; i + 1 < m_cores.size(); ++i) {
      m_wide_texts.insert(m_wide_texts.end(), std::begin(m_cores[i].texts),
                          std::end(m_cores[i].texts));
    }
  }
  if (m_wide_texts.empty()) {
    Core& core = m_cores.back();
    for (std::size_t t = 0; t < k_role_texts; ++t) {
      core.texts[t] = static_cast<std::uint16_t>(codes[t]);
    }
    return;
  }
  m_wide_texts.insert(m_wide_texts.end(), codes.begin(), codes.end());
}

void ReferralColumns::push_back(const ReferralFields& r) {
  if (!m_layout_set) {
    set_key_sources(std::vector<KeySource>(r.key_numbers.size(), KeySource::own));
  }
  m_lines.push_back(r.line);
  Core& core = m_cores.emplace_back();
  core.numbers[0] = r.score;
  core.numbers[1] = r.daily_hours;
  core.numbers[2] = r.weekly_hours;
  core.numbers[3] = r.days_waiting;
  std::array<std::uint32_t, k_role_texts> codes{};
  std::size_t t = 0;
  for (const std::string_view text :
       {r.team, r.source, r.package, r.contract, r.wait_range, r.care_type, r.visit_slots_text}) {
    codes[t++] = intern(text);
  }
  set_text_codes(codes);
  core.visit_slots = r.visit_slots;
  core.flags = static_cast<std::uint8_t>((r.double_handed ? 1U : 0U) | (r.in_bed ? 2U : 0U));
  set_id(core, r.id);
  for (std::size_t k = 0; k < m_keys; ++k) {
    if (m_key_number_at[k] >= k_role_numbers && m_key_number_at[k] != k_none) {
      m_own_number_values.push_back(r.key_numbers[k]);
    }
  }
  for (std::size_t k = 0; k < m_keys; ++k) {
    if (m_key_text_at[k] != k_none && m_key_text_at[k] != k_from_id) {
      // A key that is the id (the usual last tie-break) is read from the ids.
      const std::string_view text = r.key_texts[k];
      m_own_text_codes.push_back(text == r.id && !r.id.empty() ? k_the_id : intern(text));
    }
  }
}

void ReferralColumns::append(const ReferralColumns& other, std::size_t from, std::size_t to,
                             std::size_t line_shift) {
  if (from >= to) {
    return;
  }
  if (m_lines.empty() && !m_layout_set) {
    set_key_sources(other.m_key_sources);
  }
  std::vector<std::uint32_t> codes(other.m_texts.size());
  for (std::uint32_t c = 0; c < codes.size(); ++c) {
    codes[c] = intern(other.m_texts.text(c));
  }
  for (std::size_t i = from; i < to; ++i) {
    m_lines.push_back(other.m_lines[i] + line_shift);
    Core& core = m_cores.emplace_back(other.m_cores[i]);
    if (core.id_size == k_id_outside) {
      set_id(core, other.id(i));
    }
    std::array<std::uint32_t, k_role_texts> recoded{};
    for (std::size_t t = 0; t < k_role_texts; ++t) {
      recoded[t] = codes[other.text_code(i, t)];
    }
    set_text_codes(recoded);
  }
  m_own_number_values.insert(
      m_own_number_values.end(),
      other.m_own_number_values.begin() + static_cast<std::ptrdiff_t>(from * m_own_numbers),
      other.m_own_number_values.begin() + static_cast<std::ptrdiff_t>(to * m_own_numbers));
  for (std::size_t t = from * m_own_texts; t < to * m_own_texts; ++t) {
    const std::uint32_t code = other.m_own_text_codes[t];
    m_own_text_codes.push_back(code == k_the_id ? k_the_id : codes[code]);
  }
}

void ReferralColumns::erase(std::span<const std::size_t> indices) {
  if (indices.empty()) {
    return;
  }
  // Each kept referral moves down over the removed ones before it, with its
  // values in the columns that hold `width` values a referral.
  const std::size_t wide = m_wide_texts.empty() ? 0 : k_role_texts;
  const auto move_values = [](auto& values, std::size_t width, std::size_t from, std::size_t to) {
    std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(from * width), width,
                values.begin() + static_cast<std::ptrdiff_t>(to * width));
  };
  std::size_t kept = indices.front();
  std::size_t next = 0;
  for (std::size_t i = indices.front(); i < size(); ++i) {
    if (next < indices.size() && indices[next] == i) {
      ++next;
      continue;
    }
    m_lines[kept] = m_lines[i];
    m_cores[kept] = m_cores[i];
    move_values(m_wide_texts, wide, i, kept);
    move_values(m_own_number_values, m_own_numbers, i, kept);
    move_values(m_own_text_codes, m_own_texts, i, kept);
    ++kept;
  }
  m_lines.resize(kept);
  m_cores.resize(kept);
  m_wide_texts.resize(kept * wide);
  m_own_number_values.resize(kept * m_own_numbers);
  m_own_text_codes.resize(kept * m_own_texts);
}

std::string_view ReferralColumns::id(std::size_t i) const {
  const Core& core = m_cores[i];
  if (core.id_size != k_id_outside) {
    return {core.id, core.id_size};
  }
  std::uint64_t offset = 0;
  std::uint32_t size = 0;
  std::memcpy(&offset, core.id, sizeof offset);
  std::memcpy(&size, core.id + sizeof offset, sizeof size);
  return std::string_view(m_long_ids).substr(offset, size);
}

ReferralColumns::Row ReferralColumns::row(std::size_t i) const {
  const Core& core = m_cores[i];
  Row row;
  row.id = id(i);
  // Texts in the order push_back stores them: team, source, package,
  // contract, wait range, care type, visit slots.
  row.team_code = text_code(i, 0);
  row.source_code = text_code(i, 1);
  row.package_code = text_code(i, 2);
  row.contract_code = text_code(i, 3);
  row.wait_range_code = text_code(i, 4);
  row.care_type_code = text_code(i, 5);
  row.visit_slots_code = text_code(i, 6);
  row.team = text(row.team_code);
  row.source = text(row.source_code);
  row.package = text(row.package_code);
  row.contract = text(row.contract_code);
  row.wait_range = text(row.wait_range_code);
  row.care_type = text(row.care_type_code);
  row.visit_slots = text(row.visit_slots_code);
  row.score = core.numbers[0];
  row.daily_hours = core.numbers[1];
  row.weekly_hours = core.numbers[2];
  row.days_waiting = core.numbers[3];
  row.visit_mask = core.visit_slots;
  row.double_handed = (core.flags & 1U) != 0;
  row.in_bed = (core.flags & 2U) != 0;
  return row;
}

std::string_view ReferralColumns::key_text(std::size_t i, std::size_t key) const {
  const std::size_t at = m_key_text_at[key];
  if (at == k_none) {
    return {};
  }
  if (at == k_from_id) {
    return id(i);
  }
  const std::uint32_t code = m_own_text_codes[i * m_own_texts + at - k_role_texts];
  return code == k_the_id ? id(i) : text(code);
}

bool ReferralColumns::key_is_text(std::size_t key) const {
  switch (m_key_sources[key]) {
    case KeySource::own_number:
    case KeySource::score:
    case KeySource::days_waiting:
      return false;
    case KeySource::own_text:
    case KeySource::id:
      return true;
    case KeySource::own:
      break;
  }
  for (std::size_t i = 0; i < size(); ++i) {
    if (!key_text(i, key).empty()) {
      return true;
    }
  }
  return false;
}

const Referral ReferralColumns::operator[](std::size_t i) const {
  Referral r;
  r.line = m_lines[i];
  r.id = std::string(id(i));
  const Core& core = m_cores[i];
  r.score = core.numbers[0];
  r.daily_hours = core.numbers[1];
  r.weekly_hours = core.numbers[2];
  r.days_waiting = core.numbers[3];
  r.in_bed = (core.flags & 2U) != 0;
  std::string* fields[] = {&r.team,       &r.source,    &r.package,         &r.contract,
                           &r.wait_range, &r.care_type, &r.visit_slots_text};
  for (std::size_t t = 0; t < k_role_texts; ++t) {
    *fields[t] = text(text_code(i, t));
  }
  for (std::size_t k = 0; k < m_keys; ++k) {
    r.key_numbers.push_back(key_number(i, k));
    r.key_texts.emplace_back(key_text(i, k));
  }
  r.visit_slots = core.visit_slots;
  r.double_handed = (core.flags & 1U) != 0;
  return r;
}

namespace {

void require_team_column(const WaitingListRequest& request) {
  const RuleSet& rules = *request.rules;
  if (!request.team.empty() && rules.pick_up.team.empty()) {
    throw ConfigError({rules.source_name}, "rule set " + rules.name +
                                               " does not say which column holds the team "
                                               "([pick_up] team), so the list cannot be "
                                               "filtered by team");
  }
}

// What reading a list needs besides the rows: the team asked for, and where
// a row names its team (shared by a block's thread and the list's builder).
struct ListContext {
  const WaitingListRequest& request;
  const RuleSet& rules;
  std::size_t header_size;
  std::optional<std::size_t> team_column;
  std::string wanted_team;

  bool wanted(std::string_view team) const {
    return wanted_team.empty() || same_category(team, wanted_team);
  }
};

std::string team_of(const ListContext& c, const CsvRecord& record) {
  if (c.team_column && *c.team_column < record.fields.size()) {
    return std::string(trim(record.fields[*c.team_column]));
  }
  return {};
}

// Whether a row that cannot be scored belongs in the list: one whose team
// cannot be read is kept under every team, better shown twice than lost.
bool listed(const ListContext& c, const UnscorableReferral& unscorable) {
  return unscorable.team.empty() || c.wanted(unscorable.team);
}

void add_unscorable(const ListContext& c, UnscorableReferral unscorable, WaitingList& list) {
  if (listed(c, unscorable)) {
    list.unscorable.push_back(std::move(unscorable));
  }
}

}  // namespace

WaitingList read_waiting_list(const WaitingListRequest& request, std::istream& input) {
  const RuleSet& rules = *request.rules;
  require_team_column(request);
  detail::ScoredRows rows(input, request.input_name, request.csv, rules, request.as_of, false);
  RoleReader roles(rules, rows.scorer());
  const ListContext context{request, rules, rows.header().size(),
                            rows.scorer().column_index(rules.pick_up.team),
                            category_key(request.team)};

  WaitingList list;
  list.source_name = request.input_name;
  list.referrals.set_key_sources(key_sources(rules));
  CsvRecord record;
  bool scored = false;
  RejectedRow rejected;
  while (rows.next(record, scored, rejected)) {
    if (scored) {
      const ReferralFields fields = roles.fields(record.line);
      if (context.wanted(fields.team)) {
        list.referrals.push_back(fields);
      }
      continue;
    }
    add_unscorable(context, {std::move(rejected), team_of(context, record)}, list);
  }
  list.rows_read = rows.rows_read();
  return list;
}

namespace {

// A scored row of another team than the one asked for: not kept, but its id
// counts as seen, so where it is is kept in case the id repeats.
struct OtherTeamRow {
  std::uint64_t id_hash = 0;
  std::size_t line = 0;
  std::size_t offset = 0;  // of its record in the input
};

// What a block's thread makes of its rows, numbered as its BlockRead says.
struct ListBlock {
  ReferralColumns referrals;         // scored, of the team asked for
  std::vector<std::size_t> offsets;  // of each one's record in the input
  std::vector<UnscorableReferral> unscorable;
  std::vector<std::uint64_t> id_hashes;  // of every row that scored, of any team
  std::vector<OtherTeamRow> others;
};

// Where a list's rows are in the input, kept while it is read, to settle
// repeated ids once every row has been read.
struct RowPlaces {
  std::vector<std::size_t> offsets;  // of each referral's record
  std::vector<OtherTeamRow> others;
};

// A row that scored and whose id hash may repeat: a referral of the list, or
// a row of another team (referral == k_other_team).
struct Sighting {
  std::size_t line = 0;
  std::size_t offset = 0;
  std::size_t referral = 0;
};
constexpr std::size_t k_other_team = SIZE_MAX;

// Of the rows that scored, each whose id an earlier row that scored had (in
// any team) is a duplicate: dropped from the referrals and listed unscorable.
// Only rows whose hash is a candidate are looked at, read again in line order.
void settle_repeated_ids(const ListContext& context, const detail::BoundInput& bound,
                         const detail::DuplicateCandidates& candidates, const RowPlaces& places,
                         WaitingList& list) {
  const ReferralColumns& referrals = list.referrals;
  std::vector<std::vector<Sighting>> parts(std::max(1U, bound.threads));
  detail::run_in_parts(referrals.size(), bound.threads,
                       [&](unsigned part, std::size_t begin, std::size_t end) {
                         for (std::size_t i = begin; i < end; ++i) {
                           if (candidates.contains(detail::id_hash(referrals.id(i)))) {
                             parts[part].push_back({referrals.line(i), places.offsets[i], i});
                           }
                         }
                       });
  std::vector<Sighting> ours;
  for (const auto& part : parts) {
    ours.insert(ours.end(), part.begin(), part.end());
  }
  std::vector<Sighting> sightings;
  for (const OtherTeamRow& other : places.others) {
    if (candidates.contains(other.id_hash)) {
      sightings.push_back({other.line, other.offset, k_other_team});
    }
  }
  const auto by_line = [](const auto& a, const auto& b) { return a.line < b.line; };
  const std::size_t theirs = sightings.size();
  sightings.insert(sightings.end(), ours.begin(), ours.end());
  std::inplace_merge(sightings.begin(), sightings.begin() + static_cast<std::ptrdiff_t>(theirs),
                     sightings.end(), by_line);

  Scorer& scorer = *bound.scorers.back();
  detail::SeenIds seen_ids;
  std::vector<std::size_t> repeated;
  std::vector<UnscorableReferral> duplicates;
  constexpr std::size_t k_reads_between_releases = 64;
  for (std::size_t s = 0; s < sightings.size(); ++s) {
    const Sighting& sighting = sightings[s];
    // A record read again brings its pages back into memory, and the kernel
    // maps some of their neighbours with them: give them all back every so
    // often, or a list with many candidates would hold much of the file.
    if (s % k_reads_between_releases == 0) {
      bound.input.release(0, bound.input.bytes.size());
    }
    // It scored before, so it scores again, with the same id.
    const detail::SetAsideRow row(bound.input.bytes.substr(sighting.offset), sighting.line,
                                  bound.source, bound.csv, bound.header.size(), scorer);
    const auto first = seen_ids.add(scorer.id(), sighting.line);
    if (!first) {
      continue;
    }
    if (sighting.referral != k_other_team) {
      repeated.push_back(sighting.referral);
    }
    UnscorableReferral duplicate{detail::duplicate_id(context.rules, scorer, sighting.line, *first),
                                 team_of(context, row.record())};
    if (listed(context, duplicate)) {
      duplicates.push_back(std::move(duplicate));
    }
  }
  bound.input.release(0, bound.input.bytes.size());
  list.referrals.erase(repeated);
  const auto by_row_line = [](const UnscorableReferral& a, const UnscorableReferral& b) {
    return a.row.line < b.row.line;
  };
  const std::size_t before = list.unscorable.size();
  list.unscorable.insert(list.unscorable.end(), std::make_move_iterator(duplicates.begin()),
                         std::make_move_iterator(duplicates.end()));
  std::inplace_merge(list.unscorable.begin(),
                     list.unscorable.begin() + static_cast<std::ptrdiff_t>(before),
                     list.unscorable.end(), by_row_line);
}

// Room for the referrals the whole input will hold at the first block's rate,
// and some: room reserved but never filled costs address space, not memory.
std::size_t expected_rows(const detail::BlockScan& scan, std::size_t rows, std::size_t bytes_read) {
  const std::size_t body = scan.input.bytes.size() - scan.body_start;
  const double rate =
      static_cast<double>(rows) / static_cast<double>(std::max<std::size_t>(1, bytes_read));
  const auto expected = static_cast<std::size_t>(rate * static_cast<double>(body) * 1.25) + 64;
  return scan.max_rows == 0 ? expected : std::min(expected, scan.max_rows);
}

}  // namespace

WaitingList read_waiting_list(const WaitingListRequest& request, const InputBytes& input) {
  const RuleSet& rules = *request.rules;
  require_team_column(request);
  const std::string& source = request.input_name;
  const detail::BoundInput bound(input, source, request.csv, rules, request.as_of, false,
                                 request.threads, request.block_bytes);
  const auto& header = bound.header;
  const auto& scorers = bound.scorers;
  std::vector<std::unique_ptr<RoleReader>> readers;
  for (const auto& scorer : scorers) {
    readers.push_back(std::make_unique<RoleReader>(rules, *scorer));
  }
  const ListContext context{request, rules, header.size(),
                            scorers.front()->column_index(rules.pick_up.team),
                            category_key(request.team)};
  const detail::BlockScan scan = bound.block_scan(request.block_bytes, request.csv.max_rows);
  WaitingList list;
  list.source_name = source;
  list.referrals.set_key_sources(key_sources(rules));
  // Every row that scores has its id hash added to a filter once its block is
  // taken (by the next worker to read a block); the hashes added twice are the
  // candidates, settled at the end.
  detail::IdFilter filter(detail::id_filter_bytes(input.bytes.size()));
  detail::DuplicateCandidates candidates;
  detail::WaitingIdHashes waiting(filter, candidates);
  RowPlaces places;
  const auto read = [&](std::size_t start, std::size_t limit, std::size_t line,
                        std::size_t rows_left, unsigned worker) {
    waiting.add_one();
    ListBlock found;
    found.referrals.set_key_sources(key_sources(rules));
    Scorer& scorer = *scorers[worker];
    RoleReader& roles = *readers[worker];
    return detail::read_block<ListBlock>(
        scan, start, limit, line, rows_left, std::move(found), CsvReader::k_every_field,
        [&](const CsvRecord& record, ListBlock& block) {
          RejectedRow rejected;
          if (!detail::score_record(record, header.size(), scorer, source, rejected)) {
            block.unscorable.push_back({std::move(rejected), team_of(context, record)});
            return;
          }
          const std::uint64_t hash = detail::id_hash(scorer.id());
          block.id_hashes.push_back(hash);
          const std::size_t offset = start + record.offset;
          if (const ReferralFields fields = roles.fields(record.line);
              context.wanted(fields.team)) {
            block.referrals.push_back(fields);
            block.offsets.push_back(offset);
          } else {
            block.others.push_back({hash, record.line, offset});
          }
        });
  };
  detail::read_record_blocks<ListBlock>(
      scan, read, [&](std::size_t i, detail::BlockRead<ListBlock> block, std::size_t line_shift) {
        ListBlock& found = block.found;
        if (i == 0 && request.team.empty()) {
          const std::size_t expected = expected_rows(scan, block.rows, block.end - block.start);
          list.referrals.reserve(expected);
          places.offsets.reserve(expected);
        }
        list.rows_read += block.rows;
        list.referrals.append(found.referrals, 0, found.referrals.size(), line_shift);
        places.offsets.insert(places.offsets.end(), found.offsets.begin(), found.offsets.end());
        for (UnscorableReferral& unscorable : found.unscorable) {
          unscorable.row.line += line_shift;
          add_unscorable(context, std::move(unscorable), list);
        }
        waiting.hand_over(std::move(found.id_hashes));
        for (OtherTeamRow other : found.others) {
          other.line += line_shift;
          places.others.push_back(other);
        }
        if (request.on_progress) {
          request.on_progress({list.rows_read, block.end, input.bytes.size()});
        }
      });
  waiting.add_all();
  if (list.rows_read == 0) {
    throw InputError({source}, "the file has a header but no referral rows");
  }
  if (!candidates.empty()) {
    settle_repeated_ids(context, bound, candidates, places, list);
  }
  return list;
}

}  // namespace engine
