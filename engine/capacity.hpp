// What a team's carers can take on: visits free for new pick-ups in each of the
// day's visit slots, and optionally a weekly carer-hours budget. Read from a
// TOML capacity file (format in README.md; sample in sample-data/capacity.toml).
#pragma once

#include <engine/rule_set.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

struct TeamCapacity {
  std::string team;
  std::vector<int> visits_free;        // carer visits, one per rule-set visit slot
  std::optional<double> weekly_hours;  // carer hours a week, when budgeted
};

struct CapacityPlan {
  std::string source_name;
  std::string title;
  std::string hash;  // SHA-256 of the file's bytes
  std::vector<TeamCapacity> teams;

  // The team's capacity (matched ignoring case and spaces), or nullptr.
  const TeamCapacity* find(std::string_view team) const;
};

// Parses a capacity file against the rule set's visit slots. Throws RuleError
// listing every problem with file:line:column (unknown slot, negative count...).
CapacityPlan load_capacity(std::string_view toml_text, std::string_view source_name,
                           const RuleSet& rules);
// Reads and parses a capacity file; throws ConfigError if it cannot be read.
CapacityPlan load_capacity_file(const std::filesystem::path& path, const RuleSet& rules);

}  // namespace engine
