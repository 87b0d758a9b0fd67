// The effective rules, printed readably for `reablement rules show`.
#pragma once

#include <engine/rule_set.hpp>

#include <string>

namespace engine {

// Every input, constant, table, band, step, output and the ranking order, as
// aligned text, headed by the rule set's name, version, source and SHA-256.
std::string describe_rules(const RuleSet& rules);

// The short form `rules check` prints on success: identity and counts.
std::string summarise_rules(const RuleSet& rules);

}  // namespace engine
