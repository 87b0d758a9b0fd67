// Tested by tests/unit/test_capacity.cpp.
// The file is small and hand-written by team leads, so every problem in it is
// reported at once with file:line:column, as rule files are.
#include <engine/capacity.hpp>
#include <engine/errors.hpp>
#include <engine/file_io.hpp>
#include <engine/sha256.hpp>
#include <engine/text.hpp>

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>

namespace engine {

namespace {

class CapacityLoader {
 public:
  CapacityLoader(std::string source, const RuleSet& rules)
      : m_source(std::move(source)), m_rules(rules) {}

  CapacityPlan load(std::string_view text) {
    toml::table root;
    try {
      root = toml::parse(text, m_source);
    } catch (const toml::parse_error& error) {
      throw RuleError(at(error.source()), std::string(error.description()));
    }
    CapacityPlan plan;
    plan.source_name = m_source;
    plan.hash = sha256_hex(text);
    read_top_level(root, plan);
    if (!m_diagnostics.empty()) {
      // toml++ walks keys in sorted order; report in the order of the file.
      std::stable_sort(m_diagnostics.begin(), m_diagnostics.end(),
                       [](const Diagnostic& a, const Diagnostic& b) {
                         return a.location.line < b.location.line;
                       });
      throw RuleError(std::move(m_diagnostics));
    }
    return plan;
  }

 private:
  SourceLocation at(const toml::source_region& region) const {
    return {m_source, region.begin.line, region.begin.column};
  }
  void report(SourceLocation location, std::string message) {
    m_diagnostics.push_back({std::move(location), std::move(message)});
  }

  void read_top_level(const toml::table& root, CapacityPlan& plan) {
    for (auto&& [key, node] : root) {
      if (key.str() == "title" && node.is_string()) {
        plan.title = node.value_or(std::string());
      } else if (key.str() == "teams" && node.is_table()) {
        for (auto&& [team, team_node] : *node.as_table()) {
          read_team(std::string(team.str()), team_node, plan);
        }
      } else {
        report(at(key.source()), "unknown key " + quote(key.str()) +
                                     " in the capacity file; expected 'title' and [teams.NAME]");
      }
    }
    if (plan.teams.empty() && m_diagnostics.empty()) {
      report({m_source}, "the capacity file names no team; add [teams.NAME] with visits");
    }
  }

  void read_team(const std::string& team, const toml::node& node, CapacityPlan& plan) {
    const std::string context = "[teams." + team + "]";
    const auto* table = node.as_table();
    if (table == nullptr) {
      report(at(node.source()), context + " must be a table with 'visits'");
      return;
    }
    if (plan.find(team) != nullptr) {
      report(at(node.source()), "team " + quote(team) + " is listed twice");
      return;
    }
    TeamCapacity capacity{team, std::vector<int>(m_rules.visit_slots.size(), 0), std::nullopt};
    for (auto&& [key, value] : *table) {
      if (key.str() == "visits" && value.is_table()) {
        read_visits(context, *value.as_table(), capacity);
      } else if (key.str() == "weekly_hours" && value.is_number()) {
        capacity.weekly_hours = value.value<double>();
        if (*capacity.weekly_hours < 0) {
          report(at(value.source()), context + ": weekly_hours must not be negative");
        }
      } else {
        const std::vector<std::string> keys{"visits", "weekly_hours"};
        report(at(key.source()), "unknown or mistyped key " + quote(key.str()) + " in " + context +
                                     "; expected visits = { SLOT = N, ... } and "
                                     "optionally weekly_hours = N" +
                                     did_you_mean(key.str(), keys));
      }
    }
    plan.teams.push_back(std::move(capacity));
  }

  void read_visits(const std::string& context, const toml::table& visits, TeamCapacity& capacity) {
    for (auto&& [slot, value] : visits) {
      const auto index = slot_index(slot.str());
      if (!index) {
        report(at(slot.source()), context + ": " + quote(slot.str()) +
                                      " is not a visit slot of rule set " + m_rules.name +
                                      "; expected " + join(m_rules.visit_slots) +
                                      did_you_mean(slot.str(), m_rules.visit_slots));
        continue;
      }
      const auto count = value.value<std::int64_t>();
      if (!value.is_integer() || !count || *count < 0 || *count > 1000000) {
        report(at(value.source()), context + ": visits for " + quote(slot.str()) +
                                       " must be a whole number of carer visits, 0 or more");
        continue;
      }
      capacity.visits_free[*index] = static_cast<int>(*count);
    }
  }

  std::optional<std::size_t> slot_index(std::string_view name) const {
    for (std::size_t i = 0; i < m_rules.visit_slots.size(); ++i) {
      if (category_key(m_rules.visit_slots[i]) == category_key(name)) {
        return i;
      }
    }
    return std::nullopt;
  }

  std::string m_source;
  const RuleSet& m_rules;
  std::vector<Diagnostic> m_diagnostics;
};

}  // namespace

const TeamCapacity* CapacityPlan::find(std::string_view team) const {
  const std::string wanted = category_key(team);
  for (const auto& capacity : teams) {
    if (category_key(capacity.team) == wanted) {
      return &capacity;
    }
  }
  return nullptr;
}

CapacityPlan load_capacity(std::string_view toml_text, std::string_view source_name,
                           const RuleSet& rules) {
  if (rules.visit_slots.empty()) {
    throw ConfigError({rules.source_name}, "rule set " + rules.name +
                                               " names no visit slots ([visits] slots), so "
                                               "capacity cannot be matched");
  }
  return CapacityLoader(std::string(source_name), rules).load(toml_text);
}

CapacityPlan load_capacity_file(const std::filesystem::path& path, const RuleSet& rules) {
  return load_capacity(read_file(path), path.string(), rules);
}

}  // namespace engine
