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
  }

  Referral read(std::size_t line) const {
    Referral r;
    r.line = line;
    r.id = std::string(m_scorer.id());
    r.score = number(m_score);
    for (const auto& key : m_keys) {
      r.key_numbers.push_back(key.is_number ? number(key) : 0.0);
      r.key_texts.push_back(key.is_number ? std::string() : text(key));
    }
    r.team = text(m_team);
    r.source = text(m_source);
    r.package = text(m_package);
    r.contract = text(m_contract);
    r.wait_range = text(m_wait_range);
    r.care_type = text(m_care_type);
    if (m_visit_slots.slot) {
      r.visit_slots = m_scorer.visit_mask_at(*m_visit_slots.slot);
      r.visit_slots_text = std::string(m_scorer.text_at(*m_visit_slots.slot));
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
  std::string text(const RoleSlot& role) const {
    if (!role.slot) {
      return {};
    }
    return role.is_number ? format_number(m_scorer.number_at(*role.slot))
                          : std::string(m_scorer.text_at(*role.slot));
  }

  const Scorer& m_scorer;
  RoleSlot m_team, m_source, m_package, m_contract, m_wait_range, m_care_type, m_visit_slots,
      m_double_handed, m_in_bed, m_daily_hours, m_weekly_hours, m_days_waiting, m_score;
  std::vector<RoleSlot> m_keys;
};

}  // namespace

void ReferralColumns::reserve(std::size_t count) {
  // The texts' widths are known once the first referral is in; before that,
  // assume the keys of the usual rule set (four).
  const std::size_t keys = m_lines.empty() ? 4 : m_keys;
  m_lines.reserve(count);
  m_id_ends.reserve(count);
  m_id_bytes.reserve(count * 11);
  m_numbers.reserve(count * (k_role_numbers + keys));
  m_texts.reserve(count * (k_role_texts + keys));
  m_visit_slots.reserve(count);
  m_double_handed.reserve(count);
}

std::uint32_t ReferralColumns::intern(std::string_view value) {
  // Teams, sources, packages and labels repeat: each distinct text is kept once.
  const auto found = m_codes.find(value);
  if (found != m_codes.end()) {
    return found->second;
  }
  const auto code = static_cast<std::uint32_t>(m_pool.size());
  m_pool.emplace_back(value);
  m_codes.emplace(std::string(value), code);
  return code;
}

void ReferralColumns::push_back(const Referral& r) {
  if (m_lines.empty()) {
    m_keys = r.key_numbers.size();
  }
  m_lines.push_back(r.line);
  m_id_bytes += r.id;
  m_id_ends.push_back(m_id_bytes.size());
  for (const double number :
       {r.score, r.daily_hours, r.weekly_hours, r.days_waiting, r.in_bed ? 1.0 : 0.0}) {
    m_numbers.push_back(number);
  }
  for (std::size_t k = 0; k < m_keys; ++k) {
    m_numbers.push_back(r.key_numbers[k]);
  }
  for (const std::string* text : {&r.team, &r.source, &r.package, &r.contract, &r.wait_range,
                                  &r.care_type, &r.visit_slots_text}) {
    m_texts.push_back(intern(*text));
  }
  for (std::size_t k = 0; k < m_keys; ++k) {
    // A key that is the id (the usual last tie-break) is read from the ids.
    m_texts.push_back(r.key_texts[k] == r.id && !r.id.empty() ? k_the_id : intern(r.key_texts[k]));
  }
  m_visit_slots.push_back(r.visit_slots);
  m_double_handed.push_back(r.double_handed ? 1 : 0);
}

std::string_view ReferralColumns::id(std::size_t i) const {
  const std::size_t begin = i == 0 ? 0 : m_id_ends[i - 1];
  return std::string_view(m_id_bytes).substr(begin, m_id_ends[i] - begin);
}

ReferralColumns::Row ReferralColumns::row(std::size_t i) const {
  const double* numbers = &m_numbers[i * number_stride()];
  const std::uint32_t* texts = &m_texts[i * text_stride()];
  return {id(i),
          text(texts[0]),
          text(texts[1]),
          text(texts[2]),
          text(texts[4]),
          text(texts[6]),
          numbers[0],
          numbers[3],
          numbers[1],
          numbers[2],
          m_double_handed[i] != 0};
}

std::string_view ReferralColumns::key_text(std::size_t i, std::size_t key) const {
  const std::uint32_t code = m_texts[i * text_stride() + k_role_texts + key];
  return code == k_the_id ? id(i) : text(code);
}

const Referral ReferralColumns::operator[](std::size_t i) const {
  Referral r;
  r.line = m_lines[i];
  r.id = std::string(id(i));
  const double* numbers = &m_numbers[i * number_stride()];
  r.score = numbers[0];
  r.daily_hours = numbers[1];
  r.weekly_hours = numbers[2];
  r.days_waiting = numbers[3];
  r.in_bed = numbers[4] != 0;
  const std::uint32_t* texts = &m_texts[i * text_stride()];
  std::string* fields[] = {&r.team,       &r.source,    &r.package,         &r.contract,
                           &r.wait_range, &r.care_type, &r.visit_slots_text};
  for (std::size_t t = 0; t < k_role_texts; ++t) {
    *fields[t] = text(texts[t]);
  }
  for (std::size_t k = 0; k < m_keys; ++k) {
    r.key_numbers.push_back(key_number(i, k));
    r.key_texts.emplace_back(key_text(i, k));
  }
  r.visit_slots = m_visit_slots[i];
  r.double_handed = m_double_handed[i] != 0;
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

}  // namespace

WaitingList read_waiting_list(const WaitingListRequest& request, std::istream& input) {
  const RuleSet& rules = *request.rules;
  require_team_column(request);
  detail::ScoredRows rows(input, request.input_name, request.csv, rules, request.as_of, false);
  const RoleReader roles(rules, rows.scorer());
  const auto team_column = rows.scorer().column_index(rules.pick_up.team);
  const std::string wanted_team = category_key(request.team);

  WaitingList list;
  list.source_name = request.input_name;
  CsvRecord record;
  bool scored = false;
  RejectedRow rejected;
  while (rows.next(record, scored, rejected)) {
    if (scored) {
      Referral referral = roles.read(record.line);
      if (wanted_team.empty() || category_key(referral.team) == wanted_team) {
        list.referrals.push_back(std::move(referral));
      }
      continue;
    }
    std::string team;
    if (team_column && *team_column < record.fields.size()) {
      team = std::string(trim(record.fields[*team_column]));
    }
    // A row whose team cannot be read is kept under every team: better shown
    // twice than lost.
    if (wanted_team.empty() || team.empty() || category_key(team) == wanted_team) {
      list.unscorable.push_back({std::move(rejected), std::move(team)});
    }
  }
  list.rows_read = rows.rows_read();
  return list;
}

namespace {

// One row of a block, in row order: scored (its Referral), not scorable, or
// set aside because its id may repeat (decided in its turn).
struct ListEntry {
  enum class Kind { scored, unscorable, deferred };
  Kind kind = Kind::scored;
  Referral referral;
  UnscorableReferral unscorable;
  std::string_view bytes;  // deferred: the record
  std::size_t line = 0;
};

struct ListBlock {
  std::vector<ListEntry> entries;
};

// What a block's thread and the list's builder share.
struct ListContext {
  const WaitingListRequest& request;
  const RuleSet& rules;
  std::size_t header_size;
  std::optional<std::size_t> team_column;
  std::string wanted_team;
};

// Reads and scores one record into `entry`; `defer` says whether a scored
// row's id must wait for its turn.
template <typename Defer>
void read_entry(const ListContext& c, const CsvRecord& record, Scorer& scorer,
                const RoleReader& roles, Defer&& defer, ListEntry& entry) {
  RejectedRow rejected;
  entry.line = record.line;
  if (detail::score_record(record, c.header_size, scorer, c.request.input_name, rejected)) {
    if (defer(scorer.id())) {
      entry.kind = ListEntry::Kind::deferred;
      entry.bytes = record.bytes;
      return;
    }
    entry.kind = ListEntry::Kind::scored;
    entry.referral = roles.read(record.line);
    return;
  }
  entry.kind = ListEntry::Kind::unscorable;
  std::string team;
  if (c.team_column && *c.team_column < record.fields.size()) {
    team = std::string(trim(record.fields[*c.team_column]));
  }
  entry.unscorable = {std::move(rejected), std::move(team)};
}

// Adds a decided entry to the list, with the team filter.
void add_entry(const ListContext& c, ListEntry& entry, WaitingList& list) {
  if (entry.kind == ListEntry::Kind::scored) {
    if (c.wanted_team.empty() || same_category(entry.referral.team, c.wanted_team)) {
      list.referrals.push_back(entry.referral);
    }
    return;
  }
  const std::string& team = entry.unscorable.team;
  // A row whose team cannot be read is kept under every team: better shown
  // twice than lost.
  if (c.wanted_team.empty() || team.empty() || same_category(team, c.wanted_team)) {
    list.unscorable.push_back(std::move(entry.unscorable));
  }
}

}  // namespace

WaitingList read_waiting_list(const WaitingListRequest& request, const InputBytes& input) {
  const RuleSet& rules = *request.rules;
  require_team_column(request);
  const std::string& source = request.input_name;
  CsvReader header_reader(input.bytes, source, request.csv);
  const auto header =
      detail::read_checked_header(header_reader, rules, source, false, request.csv.delimiter);
  const unsigned threads = worker_threads(request.threads);
  const auto scorers = detail::scorers_for_threads(rules, header, source, request.as_of, threads);
  std::vector<std::unique_ptr<RoleReader>> readers;
  for (const auto& scorer : scorers) {
    readers.push_back(std::make_unique<RoleReader>(rules, *scorer));
  }
  const ListContext context{request, rules, header.size(),
                            scorers.front()->column_index(rules.pick_up.team),
                            category_key(request.team)};
  detail::DuplicateCandidates candidates;
  const detail::RecordBlocks blocks = detail::scan_record_blocks(
      {input, source, request.csv, header_reader.offset(), header_reader.line(),
       scorers.front()->column_index(rules.id_input().name).value_or(0), request.block_bytes,
       threads},
      candidates);
  if (blocks.rows == 0) {
    throw InputError({source}, "the file has a header but no referral rows");
  }
  WaitingList list;
  list.source_name = source;
  list.referrals.reserve(request.team.empty() ? blocks.rows : 0);
  const auto may_repeat = [&](std::string_view id) {
    return !candidates.hashes.empty() && candidates.contains(detail::id_hash(id));
  };
  std::unordered_map<std::string, std::size_t> first_line;
  Scorer& own_scorer = *scorers.back();
  detail::run_in_block_order<ListBlock>(
      blocks.size(), threads, std::size_t{threads} * 2,
      [&](std::size_t i, unsigned worker) {
        const std::size_t start = blocks.starts[i];
        CsvReader reader(input.bytes.substr(start, blocks.starts[i + 1] - start), source,
                         request.csv, CsvStart{blocks.lines[i], false});
        ListBlock block;
        CsvRecord record;
        while (reader.next(record)) {
          read_entry(context, record, *scorers[worker], *readers[worker], may_repeat,
                     block.entries.emplace_back());
        }
        return block;
      },
      [&](std::size_t i, ListBlock block) {
        for (ListEntry& entry : block.entries) {
          if (request.csv.max_rows != 0 && list.rows_read == request.csv.max_rows) {
            throw InputError({source, entry.line}, detail::too_many_rows(request.csv.max_rows));
          }
          ++list.rows_read;
          if (entry.kind == ListEntry::Kind::deferred) {
            // Its turn: decided against the ids of the rows before it, exactly.
            CsvReader reader(entry.bytes, source, request.csv, CsvStart{entry.line, false});
            CsvRecord record;
            reader.next(record);
            read_entry(
                context, record, own_scorer, *readers.back(),
                [](std::string_view) { return false; }, entry);
            if (entry.kind == ListEntry::Kind::scored) {
              const auto [first, inserted] = first_line.emplace(entry.referral.id, entry.line);
              if (!inserted) {
                entry.kind = ListEntry::Kind::unscorable;
                entry.unscorable = {
                    detail::duplicate_id(rules, own_scorer, entry.line, first->second), ""};
                if (context.team_column) {
                  entry.unscorable.team = std::string(trim(record.fields[*context.team_column]));
                }
              }
            }
          }
          add_entry(context, entry, list);
        }
        input.release(blocks.starts[i], blocks.starts[i + 1] - blocks.starts[i]);
        if (request.on_progress) {
          request.on_progress({list.rows_read, blocks.starts[i + 1], input.bytes.size()});
        }
      });
  return list;
}

}  // namespace engine
