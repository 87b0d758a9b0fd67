// Tested by tests/unit/test_summary.cpp.
//
// One pass over the scored referrals fills every grouping; values are grouped
// as categories are matched (ignoring case and surrounding spaces) and shown as
// first written. Groupings the rule set defines (wait ranges, care types,
// packages, contracts) keep the rule set's own order and show its empty groups
// too, so a zero is visible; the rest are sorted. Percentiles use the nearest
// rank so that every figure is a real wait somebody has had.
#include <engine/errors.hpp>
#include <engine/pick_up.hpp>
#include <engine/summary.hpp>
#include <engine/text.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace engine {

namespace {

const std::string k_not_given = "(not given)";

// A grouping's values, keyed as categories match and shown as first written.
template <typename T>
class Groups {
 public:
  T& at(const std::string& value) {
    auto found = m_items.find(category_key(value));
    if (found == m_items.end()) {
      found = m_items.emplace(category_key(value), std::pair{shown(value), T{}}).first;
    }
    return found->second.second;
  }
  // The group of a list's text by its code (ReferralColumns::text): a list of
  // millions has a few dozen distinct texts, each keyed once.
  T& at(std::uint32_t code, std::string_view value) {
    if (code >= m_by_code.size()) {
      m_by_code.resize(std::size_t{code} + 1, nullptr);
    }
    T*& group = m_by_code[code];
    if (group == nullptr) {
      group = &at(std::string(value));  // map nodes stay put
    }
    return *group;
  }

  // The values of `preferred` first, in that order, as the rule set spells them
  // and even when empty; then the others sorted.
  std::vector<std::pair<std::string, T>> ordered(const std::vector<std::string>& preferred) const {
    std::vector<std::pair<std::string, T>> result;
    std::set<std::string> taken;
    for (const auto& value : preferred) {
      const std::string key = category_key(value);
      if (!taken.insert(key).second) {
        continue;  // the rule set names a value twice
      }
      const auto found = m_items.find(key);
      result.emplace_back(shown(value), found == m_items.end() ? T{} : found->second.second);
    }
    for (const auto& [key, item] : m_items) {
      if (!taken.contains(key)) {
        result.push_back(item);
      }
    }
    return result;
  }

 private:
  static std::string shown(const std::string& value) {
    const std::string_view trimmed = trim(value);
    return trimmed.empty() ? k_not_given : std::string(trimmed);
  }

  std::map<std::string, std::pair<std::string, T>> m_items;
  std::vector<T*> m_by_code;  // into m_items; used only by the Groups that filled it
};

// The values a variable can take, in the rule set's own order, when it has one:
// a band step's bands, a labelling lookup's labels, or for a category input the
// categories of the first table a step looks it up in. Empty otherwise.
std::vector<std::string> rule_order(const RuleSet& rules, const std::string& variable) {
  std::vector<std::string> values;
  if (variable.empty()) {
    return values;
  }
  if (const Step* step = rules.find_step(variable)) {
    if (step->kind == StepKind::band) {
      if (const BandSet* bands = rules.find_band_set(step->table)) {
        for (const auto& band : bands->bands) {
          values.push_back(bands->yields_label ? band.label : format_number(band.number));
        }
      }
    } else if (step->kind == StepKind::lookup) {
      const CategoryTable* table = rules.find_table(step->table);
      if (table != nullptr && table->yields_label) {
        for (const auto& entry : table->entries) {
          values.push_back(entry.label);
        }
      }
    }
    return values;
  }
  const RuleInput* input = rules.find_input(variable);
  if (input == nullptr || input->type != InputType::category) {
    return values;
  }
  for (const auto& step : rules.steps) {
    if (step.kind == StepKind::lookup && step.input == variable) {
      if (const CategoryTable* table = rules.find_table(step.table)) {
        for (const auto& entry : table->entries) {
          values.push_back(entry.category);
        }
      }
      break;
    }
  }
  return values;
}

void add(Tally& tally, const ReferralColumns::Row& referral) {
  ++tally.count;
  tally.weekly_hours += referral.weekly_hours;
}

// Days waiting of one group, gathered in one pass and reduced afterwards.
struct WaitSample {
  Tally tally;
  std::vector<double> days;
};

WaitFigures wait_figures(std::string name, WaitSample sample) {
  WaitFigures figures{std::move(name), sample.tally, 0, 0, 0};
  if (!sample.days.empty()) {
    figures.longest_days = *std::max_element(sample.days.begin(), sample.days.end());
    figures.p90_days = nearest_rank_percentile(sample.days, 90);
    figures.median_days = median(std::move(sample.days));
  }
  return figures;
}

// Everything one pass over the referrals gathers.
struct Gathered {
  Groups<Groups<Tally>> team_waits;  // team, then wait range
  Groups<Tally> care_types;
  Groups<PackageTally> packages;
  Groups<WaitSample> contracts;
  Groups<Tally> sources;
  WaitSample all;
};

void gather(Gathered& gathered, Summary& summary, const ReferralColumns::Row& referral) {
  add(summary.total, referral);
  add(gathered.team_waits.at(referral.team_code, referral.team)
          .at(referral.wait_range_code, referral.wait_range),
      referral);
  add(gathered.care_types.at(referral.care_type_code, referral.care_type), referral);
  PackageTally& package = gathered.packages.at(referral.package_code, referral.package);
  add(referral.double_handed ? package.double_handed : package.single_handed, referral);
  WaitSample& contract = gathered.contracts.at(referral.contract_code, referral.contract);
  add(contract.tally, referral);
  contract.days.push_back(referral.days_waiting);
  add(gathered.all.tally, referral);
  gathered.all.days.push_back(referral.days_waiting);
  add(gathered.sources.at(referral.source_code, referral.source), referral);
  if (referral.in_bed) {
    add(summary.in_bed, referral);
    summary.bed_days += referral.days_waiting;
  }
}

// Lays the team × wait range grid out in the summary's wait-range columns:
// the rule set's ranges (even when empty), then any other a referral has.
void fill_team_waits(Summary& summary, const Groups<Groups<Tally>>& team_waits,
                     const std::vector<std::string>& rule_waits) {
  const auto teams = team_waits.ordered({});
  Groups<bool> seen;
  for (const auto& [team, waits] : teams) {
    for (const auto& [wait, tally] : waits.ordered({})) {
      seen.at(wait);
    }
  }
  for (const auto& [wait, unused] : seen.ordered(rule_waits)) {
    summary.wait_ranges.push_back(wait);
  }
  summary.wait_totals.assign(summary.wait_ranges.size(), Tally{});
  for (const auto& [team, waits] : teams) {
    TeamWaits row{team, {}, {}};
    for (const auto& [wait, tally] : waits.ordered(summary.wait_ranges)) {
      row.by_wait.push_back(tally);
      row.total.count += tally.count;
      row.total.weekly_hours += tally.weekly_hours;
    }
    for (std::size_t i = 0; i < row.by_wait.size(); ++i) {
      summary.wait_totals[i].count += row.by_wait[i].count;
      summary.wait_totals[i].weekly_hours += row.by_wait[i].weekly_hours;
    }
    summary.by_team.push_back(std::move(row));
  }
}

void fill_groups(Summary& summary, Gathered& gathered, const RuleSet& rules) {
  fill_team_waits(summary, gathered.team_waits, rule_order(rules, rules.pick_up.wait_range));
  for (auto& [name, tally] :
       gathered.care_types.ordered(rule_order(rules, rules.pick_up.care_type))) {
    summary.by_care_type.push_back({name, tally});
  }
  for (auto& [name, tally] : gathered.packages.ordered(rule_order(rules, rules.pick_up.package))) {
    tally.package = name;
    summary.by_package.push_back(tally);
  }
  for (auto& [name, sample] :
       gathered.contracts.ordered(rule_order(rules, rules.pick_up.contract))) {
    summary.by_contract.push_back(wait_figures(name, std::move(sample)));
  }
  summary.all_waits = wait_figures("All", std::move(gathered.all));
  for (auto& [name, tally] : gathered.sources.ordered({})) {
    summary.by_source.push_back({name, tally});
  }
  // A chief operating officer reads the biggest referrers first.
  std::stable_sort(
      summary.by_source.begin(), summary.by_source.end(),
      [](const GroupTally& a, const GroupTally& b) { return a.tally.count > b.tally.count; });
}

void fill_capacity(Summary& summary, const SummaryRequest& request) {
  const RuleSet& rules = *request.rules;
  summary.has_capacity = true;
  for (const auto& slot : rules.visit_slots) {
    summary.visits.push_back({slot, 0, 0});
  }
  const ReferralColumns& referrals = request.list->referrals;
  for (std::size_t r = 0; r < referrals.size(); ++r) {
    const ReferralColumns::Row referral = referrals.row(r);
    for (std::size_t i = 0; i < summary.visits.size() && i < 32; ++i) {
      if ((referral.visit_mask >> i) & 1U) {
        summary.visits[i].needed += referral.double_handed ? 2 : 1;
      }
    }
  }
  // The selected team's visits, matched as the capacity file matches teams.
  std::vector<const TeamCapacity*> teams;
  if (request.team.empty()) {
    for (const auto& team : request.capacity->teams) {
      teams.push_back(&team);
    }
  } else if (const TeamCapacity* team = request.capacity->find(request.team)) {
    teams.push_back(team);
  }
  for (const TeamCapacity* team : teams) {
    for (std::size_t i = 0; i < summary.visits.size() && i < team->visits_free.size(); ++i) {
      summary.visits[i].free += team->visits_free[i];
    }
  }
  summary.can_pick_up_now =
      plan_pick_ups(rules, *request.list, *request.order, request.capacity, CapacityPolicy::fill)
          .can_pick_up;
}

WeeksToClear weeks_to_clear(double pickups_per_week, std::size_t people) {
  if (!(pickups_per_week > 0) || !std::isfinite(pickups_per_week)) {
    throw ConfigError(
        {}, "pick-ups a week must be a number above 0, not " + format_number(pickups_per_week));
  }
  // Whole weeks: the week in which the last person now waiting is picked up.
  // The small allowance keeps 33 / 0.1 from rounding up to 331 weeks.
  const double weeks = std::ceil(static_cast<double>(people) / pickups_per_week - 1e-9);
  return {pickups_per_week, people, static_cast<std::size_t>(std::max(weeks, 0.0))};
}

}  // namespace

// Selection, not a sort: a region's list has millions of waits.
double median(std::vector<double> values) {
  if (values.empty()) {
    return 0;
  }
  const std::size_t middle = values.size() / 2;
  const auto at = values.begin() + static_cast<std::ptrdiff_t>(middle);
  std::nth_element(values.begin(), at, values.end());
  if (values.size() % 2 == 1) {
    return *at;
  }
  // The other middle value is the largest of those before it.
  return (*std::max_element(values.begin(), at) + *at) / 2;
}

double nearest_rank_percentile(std::vector<double> values, int percent) {
  if (values.empty()) {
    return 0;
  }
  // rank = ceil(percent × n / 100), in integers so that 90% of 10 is exactly 9.
  const auto p = static_cast<std::size_t>(std::clamp(percent, 1, 100));
  const std::size_t rank = (p * values.size() + 99) / 100;
  const auto at = values.begin() + static_cast<std::ptrdiff_t>(rank - 1);
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

Summary summarise_waiting_list(const SummaryRequest& request) {
  const WaitingList& list = *request.list;
  Summary summary;
  summary.input = list.source_name;
  summary.team = request.team;
  summary.rows_read = list.rows_read;
  Gathered gathered;
  for (std::size_t i = 0; i < list.referrals.size(); ++i) {
    gather(gathered, summary, list.referrals.row(i));
  }
  fill_groups(summary, gathered, *request.rules);
  if (request.capacity != nullptr) {
    fill_capacity(summary, request);
  }
  if (request.pickups_per_week) {
    summary.weeks_to_clear =
        weeks_to_clear(*request.pickups_per_week, list.referrals.size() + list.unscorable.size());
  }
  summary.needs_attention = list.unscorable;
  return summary;
}

}  // namespace engine
