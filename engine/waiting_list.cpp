// Tested by tests/unit/test_waiting_list.cpp.
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

#include <array>
#include <cstring>
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
  RoleReader(const RuleSet& rules, const Scorer& scorer) : m_scorer(scorer) {
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
      r.visit_slots_text = m_scorer.text_at(*m_visit_slots.slot);
    }
    r.double_handed = number(m_double_handed) != 0;
    r.in_bed = number(m_in_bed) != 0;
    r.daily_hours = number(m_daily_hours);
    r.weekly_hours = number(m_weekly_hours);
    r.days_waiting = number(m_days_waiting);
    return r;
  }

 private:
  double number(const RoleSlot& role) const {
    return role.slot ? m_scorer.number_at(*role.slot) : 0.0;
  }
  std::string_view view(const RoleSlot& role, std::string& owned) const {
    if (!role.slot) {
      return {};
    }
    if (role.is_number) {
      owned = format_number(m_scorer.number_at(*role.slot));
      return owned;
    }
    return m_scorer.text_at(*role.slot);
  }

  const Scorer& m_scorer;
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
  m_cores.reserve(count);
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
  std::size_t t = 0;
  for (const std::string_view text :
       {r.team, r.source, r.package, r.contract, r.wait_range, r.care_type, r.visit_slots_text}) {
    core.texts[t++] = intern(text);
  }
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

void ReferralColumns::append(const ReferralColumns& other, std::size_t from, std::size_t to) {
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
    m_lines.push_back(other.m_lines[i]);
    Core& core = m_cores.emplace_back(other.m_cores[i]);
    for (auto& code : core.texts) {
      code = codes[code];
    }
    if (core.id_size == k_id_outside) {
      set_id(core, other.id(i));
    }
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
  const std::uint32_t* texts = core.texts;
  Row row;
  row.id = id(i);
  // Texts in the order push_back stores them: team, source, package,
  // contract, wait range, care type, visit slots.
  row.team_code = texts[0];
  row.source_code = texts[1];
  row.package_code = texts[2];
  row.contract_code = texts[3];
  row.wait_range_code = texts[4];
  row.care_type_code = texts[5];
  row.visit_slots_code = texts[6];
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
  const std::uint32_t* texts = core.texts;
  std::string* fields[] = {&r.team,       &r.source,    &r.package,         &r.contract,
                           &r.wait_range, &r.care_type, &r.visit_slots_text};
  for (std::size_t t = 0; t < k_role_texts; ++t) {
    *fields[t] = text(texts[t]);
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

// Keeps a row that cannot be scored; one whose team cannot be read is kept
// under every team: better shown twice than lost.
void add_unscorable(const ListContext& c, UnscorableReferral unscorable, WaitingList& list) {
  if (unscorable.team.empty() || c.wanted(unscorable.team)) {
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

// A row of a block that is not simply added to the block's columns: one that
// cannot be scored, or one set aside because its id may repeat (decided in its
// turn). `at` is how many of the block's referrals come before it.
struct ListEvent {
  std::size_t at = 0;
  bool deferred = false;
  UnscorableReferral unscorable;
  std::string_view bytes;  // deferred: the record
  std::size_t line = 0;
};

struct ListBlock {
  ReferralColumns referrals;  // scored, of the team asked for
  std::vector<ListEvent> events;
  std::size_t rows = 0;  // read, whatever became of them
};

}  // namespace

WaitingList read_waiting_list(const WaitingListRequest& request, const InputBytes& input) {
  const RuleSet& rules = *request.rules;
  require_team_column(request);
  const std::string& source = request.input_name;
  detail::BoundInput bound(input, source, request.csv, rules, request.as_of, false,
                           request.threads);
  const auto& header = bound.header;
  const unsigned threads = bound.threads;
  const auto& scorers = bound.scorers;
  std::vector<std::unique_ptr<RoleReader>> readers;
  for (const auto& scorer : scorers) {
    readers.push_back(std::make_unique<RoleReader>(rules, *scorer));
  }
  const ListContext context{request, rules, header.size(),
                            scorers.front()->column_index(rules.pick_up.team),
                            category_key(request.team)};
  detail::DuplicateCandidates candidates;
  const detail::RecordBlocks blocks =
      bound.scan(request.block_bytes, request.csv.max_rows, candidates);
  if (blocks.rows == 0) {
    throw InputError({source}, "the file has a header but no referral rows");
  }
  WaitingList list;
  list.source_name = source;
  list.referrals.set_key_sources(key_sources(rules));
  list.referrals.reserve(request.team.empty() ? blocks.rows : 0);
  const auto may_repeat = [&](std::string_view id) {
    return !candidates.empty() && candidates.contains(detail::id_hash(id));
  };
  detail::SeenIds seen_ids;
  Scorer& own_scorer = *scorers.back();
  RoleReader& own_reader = *readers.back();
  detail::run_in_block_order<ListBlock>(
      blocks.size(), threads, std::size_t{threads} * 2,
      [&](std::size_t i, unsigned worker) {
        CsvReader reader = blocks.reader(input.bytes, i, source, request.csv);
        Scorer& scorer = *scorers[worker];
        ListBlock block;
        block.referrals.set_key_sources(key_sources(rules));
        CsvRecord record;
        while (reader.next(record)) {
          ++block.rows;
          RejectedRow rejected;
          const std::size_t at = block.referrals.size();
          // The scan found no NUL byte (RecordBlocks), so the rows need no search.
          if (!detail::score_record(record, header.size(), scorer, source, rejected, false)) {
            block.events.push_back(
                {at, false, {std::move(rejected), team_of(context, record)}, {}, record.line});
          } else if (may_repeat(scorer.id())) {
            block.events.push_back({at, true, {}, record.bytes, record.line});
          } else if (const ReferralFields fields = readers[worker]->fields(record.line);
                     context.wanted(fields.team)) {
            block.referrals.push_back(fields);
          }
        }
        return block;
      },
      [&](std::size_t i, ListBlock block) {
        // More rows than --max-rows allows stopped the scan already.
        list.rows_read += block.rows;
        std::size_t added = 0;
        for (ListEvent& event : block.events) {
          list.referrals.append(block.referrals, added, event.at);
          added = event.at;
          if (!event.deferred) {
            add_unscorable(context, std::move(event.unscorable), list);
            continue;
          }
          // Its turn: decided against the ids of the rows before it, exactly.
          const detail::SetAsideRow row(event.bytes, event.line, source, request.csv, header.size(),
                                        own_scorer);
          if (const auto first = seen_ids.add(own_scorer.id(), event.line)) {
            add_unscorable(context,
                           {detail::duplicate_id(rules, own_scorer, event.line, *first),
                            team_of(context, row.record())},
                           list);
          } else if (const ReferralFields fields = own_reader.fields(event.line);
                     context.wanted(fields.team)) {
            list.referrals.push_back(fields);
          }
        }
        list.referrals.append(block.referrals, added, block.referrals.size());
        input.release(blocks.starts[i], blocks.starts[i + 1] - blocks.starts[i]);
        if (request.on_progress) {
          request.on_progress({list.rows_read, blocks.starts[i + 1], input.bytes.size()});
        }
      });
  return list;
}

}  // namespace engine
