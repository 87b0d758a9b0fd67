// What produced an output: the rule set (name, version, SHA-256), the as-of
// date, the OPEL level and the capacity file. Every report carries one, so a
// decision can be traced to exactly the rules and data behind it.
#pragma once

#include <engine/capacity.hpp>
#include <engine/date.hpp>
#include <engine/rule_set.hpp>

#include <optional>
#include <string>

namespace engine {

struct Provenance {
  std::string rule_set_name;
  std::string rule_set_version;
  std::string rule_set_hash;
  Date as_of;
  std::optional<int> opel;      // the OPEL level whose overrides applied, if any
  std::string input;            // the referral file
  std::string capacity_source;  // the capacity file, if any
  std::string capacity_hash;

  // "rule set joint-prioritisation-protocol 2019.10 (sha256 0123456789ab), as of
  // 2019-12-16, OPEL 3" and, when a capacity file was used, a second line
  // "capacity sample-data/capacity.toml (sha256 ...)".
  std::string describe() const;
  // The same as a JSON object's members (no braces), for JSON reports.
  std::string json_members() const;
};

Provenance make_provenance(const RuleSet& rules, Date as_of, const std::string& input,
                           const CapacityPlan* capacity);

}  // namespace engine
