// The waiting list in memory: every referral of a CSV file scored, with what
// pick-up lists, capacity and summaries need, and every row that could not be
// scored kept aside, so that nobody waiting is silently dropped.
#pragma once

#include <engine/csv_reader.hpp>
#include <engine/date.hpp>
#include <engine/detail/text_codes.hpp>
#include <engine/mapped_file.hpp>
#include <engine/rule_set.hpp>
#include <engine/score_job.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <istream>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

// One scored referral. Fields whose role the rule set does not name are empty or 0.
struct Referral {
  std::size_t line = 0;  // the line its record starts on
  std::string id;
  double score = 0;
  // One value per key of the rule set's ranking order: a number (numbers and
  // dates) or a text (everything else), whichever the key's variable holds.
  std::vector<double> key_numbers;
  std::vector<std::string> key_texts;
  std::string team;
  std::string source;
  std::string package;
  std::string contract;
  std::string wait_range;
  std::string care_type;
  std::uint32_t visit_slots = 0;  // bit i set: the rule set's visit slot i
  std::string visit_slots_text;   // "AM, Lunch, Tea, PM"
  bool double_handed = false;
  bool in_bed = false;
  double daily_hours = 0;
  double weekly_hours = 0;
  double days_waiting = 0;
};

// A row that could not be scored, with the team it names when that can be read.
struct UnscorableReferral {
  RejectedRow row;
  std::string team;
};

// One scored referral's fields as views, valid while it is being added: how a
// thread adds a referral to its columns without making a Referral first.
struct ReferralFields {
  std::size_t line = 0;
  std::string_view id, team, source, package, contract, wait_range, care_type, visit_slots_text;
  double score = 0, daily_hours = 0, weekly_hours = 0, days_waiting = 0;
  bool in_bed = false, double_handed = false;
  std::uint32_t visit_slots = 0;
  std::span<const double> key_numbers;
  std::span<const std::string_view> key_texts;
};

// The scored referrals of a list, kept compactly: about 100 bytes a referral
// (repeated texts such as teams and sources stored once, as codes) where a
// Referral of strings takes some 800, so a region's list of millions fits in
// memory. Indexing makes a Referral, by value.
class ReferralColumns {
 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Referral;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Referral;
    iterator(const ReferralColumns* columns, std::size_t i) : m_columns(columns), m_i(i) {}
    const Referral operator*() const { return (*m_columns)[m_i]; }
    iterator& operator++() {
      ++m_i;
      return *this;
    }
    bool operator==(const iterator& other) const { return m_i == other.m_i; }

   private:
    const ReferralColumns* m_columns;
    std::size_t m_i;
  };

  ReferralColumns() = default;
  ReferralColumns(std::initializer_list<Referral> referrals) {
    for (const auto& referral : referrals) {
      push_back(referral);
    }
  }
  void push_back(const Referral& referral);
  void push_back(const ReferralFields& referral);
  // Appends `other`'s referrals [from, to), in order (its texts re-coded),
  // `line_shift` added to their lines.
  void append(const ReferralColumns& other, std::size_t from, std::size_t to,
              std::size_t line_shift = 0);
  // Removes the referrals at `indices` (ascending), keeping the others' order.
  void erase(std::span<const std::size_t> indices);
  // Room for `count` referrals, so that growing never holds two copies.
  void reserve(std::size_t count);
  // const: a copy, so assigning to its members would change nothing.
  const Referral operator[](std::size_t i) const;
  std::size_t size() const { return m_lines.size(); }
  bool empty() const { return m_lines.empty(); }
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

  // What the pick-up CSV and the summary read, as views into the columns; the
  // texts' codes too, so a reader can work on each distinct text once (see text()).
  struct Row {
    std::string_view id, team, source, package, wait_range, visit_slots, contract, care_type;
    std::uint32_t team_code, source_code, package_code, wait_range_code, visit_slots_code,
        contract_code, care_type_code;
    double score, days_waiting, daily_hours, weekly_hours;
    std::uint32_t visit_mask;  // bit i set: the rule set's visit slot i
    bool double_handed, in_bed;
  };
  Row row(std::size_t i) const;
  // Asks for row i to be brought into cache: rows read in rank order are far
  // apart in memory, and asking a few rows ahead hides the wait.
  void prefetch(std::size_t i) const { __builtin_prefetch(&m_cores[i]); }
  // The distinct texts (teams, sources, labels ...), by the codes Row gives.
  std::size_t text_count() const { return m_texts.size(); }
  std::string_view text(std::uint32_t code) const { return m_texts.text(code); }

  // What ranking reads, without making a Referral.
  std::size_t line(std::size_t i) const { return m_lines[i]; }
  std::string_view id(std::size_t i) const;
  std::size_t key_count() const { return m_keys; }
  double key_number(std::size_t i, std::size_t key) const {
    const std::size_t at = m_key_number_at[key];
    if (at == k_none) {
      return 0.0;
    }
    return at < k_role_numbers ? m_cores[i].numbers[at]
                               : m_own_number_values[i * m_own_numbers + at - k_role_numbers];
  }
  std::string_view key_text(std::size_t i, std::size_t key) const;
  // Whether ranking key `key` is a text: known from where it is kept, or, for
  // a key with a number and a text of its own, from whether any text is set.
  bool key_is_text(std::size_t key) const;

  // Where a ranking key's value is kept: a number or a text column of its own,
  // or read from the score, the days waiting or the id, so it is not kept
  // twice. Set before the first referral is added; by default every key has a
  // number and a text of its own.
  enum class KeySource : std::uint8_t { own, own_number, own_text, score, days_waiting, id };
  void set_key_sources(std::vector<KeySource> sources);

 private:
  static constexpr std::size_t k_role_numbers = 4;        // score, daily, weekly, days
  static constexpr std::size_t k_role_texts = 7;          // team ... visit slots
  static constexpr std::uint32_t k_the_id = 0xFFFFFFFFU;  // a key text that is the id itself
  static constexpr std::size_t k_none = static_cast<std::size_t>(-1);
  static constexpr std::size_t k_from_id = static_cast<std::size_t>(-2);
  static constexpr std::size_t k_inline_id = 12;
  static constexpr std::uint8_t k_id_outside = 0xFF;  // id_size: the id is in m_long_ids
  // Core::texts holds codes up to here; a list with more distinct texts keeps
  // every referral's codes in m_wide_texts instead.
  static constexpr std::uint32_t k_most_narrow_codes = 0xFFFF;

  // What the pick-up list reads of one referral, in one record of 64 bytes:
  // the list is read in rank order, so each referral costs one cache line
  // where a column each cost six. An id of up to 12 bytes is kept here;
  // a longer one is in m_long_ids, with its offset and size in `id`.
  struct alignas(64) Core {
    double numbers[k_role_numbers];  // score, daily, weekly, days
    std::uint32_t visit_slots;
    std::uint16_t texts[k_role_texts];
    std::uint8_t flags;  // bit 0: double handed; bit 1: in a bed
    std::uint8_t id_size;
    char id[k_inline_id];
  };
  static_assert(sizeof(Core) == 64);
  // A long id's offset (8 bytes) and size (4), stored in a Core's `id`.
  static_assert(sizeof(std::uint64_t) + sizeof(std::uint32_t) <= k_inline_id);
  void set_id(Core& core, std::string_view id);
  // Text t (0: team ... 6: visit slots) of referral i, by code.
  std::uint32_t text_code(std::size_t i, std::size_t t) const {
    return m_wide_texts.empty() ? m_cores[i].texts[t] : m_wide_texts[i * k_role_texts + t];
  }
  // Stores the last referral's text codes.
  void set_text_codes(const std::array<std::uint32_t, k_role_texts>& codes);

  std::uint32_t intern(std::string_view text) { return m_texts.code(text); }

  std::size_t m_keys = 0;
  bool m_layout_set = false;
  std::vector<KeySource> m_key_sources;
  std::vector<std::size_t> m_key_number_at;  // a role number, an own number, or k_none
  std::vector<std::size_t> m_key_text_at;    // an own text, k_none or k_from_id
  std::size_t m_own_numbers = 0;
  std::size_t m_own_texts = 0;
  std::vector<std::size_t> m_lines;
  std::vector<Core> m_cores;
  std::vector<std::uint32_t> m_wide_texts;  // k_role_texts a referral, once codes pass 16 bits
  std::string m_long_ids;
  std::vector<double> m_own_number_values;      // m_own_numbers a referral
  std::vector<std::uint32_t> m_own_text_codes;  // m_own_texts a referral
  detail::TextCodes m_texts;
};

struct WaitingList {
  std::string source_name;
  ReferralColumns referrals;                   // scored, in input order
  std::vector<UnscorableReferral> unscorable;  // "needs attention: cannot be scored"
  std::size_t rows_read = 0;                   // of the file, before any team filter
};

struct WaitingListRequest {
  const RuleSet* rules = nullptr;  // required
  Date as_of;
  std::string input_name = "<stdin>";
  CsvOptions csv;
  // Only this team's referrals (matched ignoring case and spaces); all when empty.
  std::string team;
  // For input held in memory: threads (0: one per core), block size, progress.
  unsigned threads = 0;
  std::size_t block_bytes = std::size_t{1} << 20;
  std::function<void(const Progress&)> on_progress;
};

// Reads and scores a referral file. Throws InputError as score_referrals does
// (no header, a required column missing, duplicated header names), and
// ConfigError if a team is asked for but the rule set names no team column.
WaitingList read_waiting_list(const WaitingListRequest& request, std::istream& input);
// The same for input held in memory, read and scored by request.threads threads;
// the list is the same whatever their number.
WaitingList read_waiting_list(const WaitingListRequest& request, const InputBytes& input);

}  // namespace engine
