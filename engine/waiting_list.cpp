// Tested by tests/unit/test_waiting_list.cpp.
// Scores every row once (through the same checks as batch scoring) and copies
// out only what ranking, capacity and summaries need. The rule set's [pick_up]
// roles say which variable holds each field, so no column name is assumed here.
#include <engine/detail/scored_rows.hpp>
#include <engine/errors.hpp>
#include <engine/text.hpp>
#include <engine/waiting_list.hpp>

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
  for (const std::string* text :
       {&r.team, &r.source, &r.package, &r.contract, &r.wait_range, &r.care_type, &r.visit_slots_text}) {
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
  return {id(i),         text(texts[0]), text(texts[1]), text(texts[2]),
          text(texts[4]), text(texts[6]), numbers[0],     numbers[3],
          numbers[1],     numbers[2],     m_double_handed[i] != 0};
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

WaitingList read_waiting_list(const WaitingListRequest& request, std::istream& input) {
  const RuleSet& rules = *request.rules;
  if (!request.team.empty() && rules.pick_up.team.empty()) {
    throw ConfigError({rules.source_name}, "rule set " + rules.name +
                                               " does not say which column holds the team "
                                               "([pick_up] team), so the list cannot be "
                                               "filtered by team");
  }
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

}  // namespace engine
