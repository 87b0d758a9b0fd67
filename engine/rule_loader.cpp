// Tested by tests/unit/test_rule_loader.cpp.
// Loads a rule file in two passes. The first reads each section against the
// schema table (engine/rule_schema.cpp), collecting every problem rather than
// stopping at the first. The second checks what refers to what: steps to
// inputs, tables and earlier steps; formulas to variables; outputs and ranking
// to variables. All problems are thrown together as one RuleError.
//
// Operational pressure: [opel.N] tables have the shape of the top level and are
// deep-merged over it (steps by name). The effective rules at a level are the
// file re-parsed, merged and read by the same loader, so every check applies to
// them, and toml++ keeps each moved node's source position for the messages.
#include <engine/detail/rule_schema.hpp>
#include <engine/errors.hpp>
#include <engine/file_io.hpp>
#include <engine/formula.hpp>
#include <engine/rule_set.hpp>
#include <engine/sha256.hpp>
#include <engine/text.hpp>

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace engine {

namespace {

using detail::KeySpec;
using detail::KeyType;
using detail::Section;

bool is_variable_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// The parsed TOML of a rule text; throws RuleError at a syntax error.
toml::table parse_rules(std::string_view text, const std::string& source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    const auto& begin = error.source().begin;
    throw RuleError({source, begin.line, begin.column}, std::string(error.description()));
  }
}

// Reads one rule file, accumulating diagnostics.
class RuleLoader {
 public:
  // `text` is what `root` was parsed from: formula errors are located in it.
  RuleLoader(std::string source_name, std::string_view text)
      : m_source(std::move(source_name)), m_text(text) {}

  // Reads a parsed rule file, or the effective one at an OPEL level (overrides
  // merged in, [opel] removed). Problems are collected in diagnostics(), not thrown.
  RuleSet read(const toml::table& root);
  const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }
  // The OPEL levels whose overrides name only what the file defines, so can be merged.
  const std::vector<int>& sound_levels() const { return m_sound_levels; }

 private:
  SourceLocation at(const toml::source_region& region) const {
    return {m_source, region.begin.line, region.begin.column};
  }
  SourceLocation at(const toml::node& node) const { return at(node.source()); }
  // Where `key`'s value is written in `table`, or the table itself without it.
  SourceLocation at_key(const toml::table& table, std::string_view key) const {
    const auto* node = table.get(key);
    return at(node != nullptr ? *node : static_cast<const toml::node&>(table));
  }
  void report(SourceLocation location, std::string message) {
    m_diagnostics.push_back({std::move(location), std::move(message)});
  }

  bool check_keys(const toml::table& table, Section section, std::string_view context);
  std::string string_key(const toml::table& table, std::string_view key);
  std::optional<double> number_key(const toml::table& table, std::string_view key);
  void check_name(std::string_view name, const toml::node& node, std::string_view what);

  void read_rule_set(const toml::table& root, RuleSet& rules);
  void read_inputs(const toml::table& root, RuleSet& rules);
  void read_constants(const toml::table& root, RuleSet& rules);
  void read_tables(const toml::table& root, RuleSet& rules);
  CategoryTable read_table(std::string_view name, const toml::table& table);
  void read_band_sets(const toml::table& root, RuleSet& rules);
  BandSet read_band_set(std::string_view name, const toml::table& table);
  std::optional<Band> read_band(const toml::table& table, bool integer, bool& saw_label,
                                bool& saw_value);
  void check_band_order(BandSet& set);
  void read_steps(const toml::table& root, RuleSet& rules);
  void read_outputs(const toml::table& root, RuleSet& rules);
  void read_ranking(const toml::table& root, RuleSet& rules);
  void read_visits(const toml::table& root, RuleSet& rules);
  void read_pick_up(const toml::table& root, RuleSet& rules);
  void resolve_pick_up(const RuleSet& rules);
  void read_opel(const toml::table& root, RuleSet& rules);
  bool read_opel_level(const toml::table& root, const toml::table& level,
                       const std::string& context, OpelOverrides& overrides);
  bool check_overridden(const toml::node_view<const toml::node>& overridden,
                        const std::vector<std::string>& defined, std::string_view what,
                        const std::string& context, std::vector<std::string>& names);

  void resolve_steps(RuleSet& rules);
  void resolve_step(const RuleSet& rules, Step& step);
  void resolve_formula(const RuleSet& rules, const std::string& context,
                       const std::string& expression, const SourceLocation& where);
  void read_checks(const toml::table& root, RuleSet& rules);
  void resolve_checks(const RuleSet& rules);
  void resolve_outputs_and_ranking(RuleSet& rules);
  std::optional<ValueType> variable_type(const RuleSet& rules, std::string_view name) const;
  std::string unknown_variable(std::string_view name) const;
  SourceLocation locate_in_string(const SourceLocation& start, std::size_t offset) const;

  std::string m_source;
  std::string_view m_text;
  std::vector<Diagnostic> m_diagnostics;
  // Variables defined so far (inputs, then steps in order), with their types.
  std::map<std::string, ValueType, std::less<>> m_variables;
  std::vector<std::string> m_variable_names;
  SourceLocation m_ranking_location;
  const toml::table* m_pick_up_table = nullptr;
  // Steps already reported as unusable (an unknown kind): defined, never resolved.
  std::set<std::string> m_broken_steps;
  std::vector<int> m_sound_levels;
};

// A key of a TOML table, with where the key itself is written.
struct KeyedNode {
  std::string name;
  const toml::node* node;
  toml::source_region key_source;
};

// toml++ keeps a table's keys sorted; files are read in the order they were
// written, so explanations and `rules show` follow the author's order.
std::vector<KeyedNode> in_file_order(const toml::table& table) {
  std::vector<KeyedNode> items;
  for (auto&& [key, node] : table) {
    items.push_back({std::string(key.str()), &node, key.source()});
  }
  std::stable_sort(items.begin(), items.end(), [](const KeyedNode& a, const KeyedNode& b) {
    const auto pa = a.key_source.begin;
    const auto pb = b.key_source.begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return items;
}

bool has_type(const toml::node& node, KeyType type) {
  switch (type) {
    case KeyType::string:
      return node.is_string();
    case KeyType::number:
      return node.is_number();
    case KeyType::integer:
      return node.is_integer();
    case KeyType::table:
      return node.is_table();
    case KeyType::array:
      return node.is_array();
    case KeyType::string_or_number:
      return node.is_string() || node.is_number();
  }
  return false;
}

bool RuleLoader::check_keys(const toml::table& table, Section section, std::string_view context) {
  const auto specs = detail::keys_of(section);
  std::vector<std::string> allowed;
  for (const auto& spec : specs) {
    allowed.emplace_back(spec.key);
  }
  bool ok = true;
  for (auto&& [key, node] : table) {
    // A named copy: clang before 16 cannot capture a structured binding.
    const std::string_view name = key.str();
    const auto spec =
        std::find_if(specs.begin(), specs.end(), [&](const KeySpec& s) { return s.key == name; });
    if (spec == specs.end()) {
      report(at(key.source()), "unknown key " + quote(key.str()) + " in " + std::string(context) +
                                   did_you_mean(key.str(), allowed));
      ok = false;
    } else if (!has_type(node, spec->type)) {
      report(at(node), "key " + quote(key.str()) + " in " + std::string(context) + " must be " +
                           std::string(detail::describe(spec->type)));
      ok = false;
    }
  }
  for (const auto& spec : specs) {
    if (spec.required && !table.contains(spec.key)) {
      report(at(table), std::string(context) + " is missing the required key " + quote(spec.key));
      ok = false;
    }
  }
  return ok;
}

std::string RuleLoader::string_key(const toml::table& table, std::string_view key) {
  return table[key].value_or(std::string());
}

std::optional<double> RuleLoader::number_key(const toml::table& table, std::string_view key) {
  return table[key].value<double>();
}

void RuleLoader::check_name(std::string_view name, const toml::node& node, std::string_view what) {
  if (!is_variable_name(name)) {
    report(at(node), std::string(what) + " name " + quote(name) +
                         " must start with a letter or '_' and hold only letters, digits and '_'");
  }
}

RuleSet RuleLoader::read(const toml::table& root) {
  RuleSet rules;
  rules.source_name = m_source;
  check_keys(root, Section::top_level, "the rule file");
  read_rule_set(root, rules);
  read_visits(root, rules);
  read_inputs(root, rules);
  read_constants(root, rules);
  read_tables(root, rules);
  read_band_sets(root, rules);
  read_steps(root, rules);
  read_outputs(root, rules);
  read_checks(root, rules);
  read_ranking(root, rules);
  read_pick_up(root, rules);
  resolve_steps(rules);
  resolve_outputs_and_ranking(rules);
  resolve_checks(rules);
  resolve_pick_up(rules);
  read_opel(root, rules);
  return rules;
}

void RuleLoader::read_rule_set(const toml::table& root, RuleSet& rules) {
  const auto* table = root["rule_set"].as_table();
  if (table == nullptr || !check_keys(*table, Section::rule_set, "[rule_set]")) {
    return;
  }
  rules.name = string_key(*table, "name");
  rules.version = string_key(*table, "version");
  rules.title = string_key(*table, "title");
  if (trim(rules.name).empty()) {
    report(at(*table->get("name")), "the rule set's name must not be empty");
  }
}

std::optional<InputType> input_type(std::string_view text) {
  static const std::map<std::string_view, InputType> k_types{
      {"id", InputType::id},         {"category", InputType::category}, {"text", InputType::text},
      {"number", InputType::number}, {"date", InputType::date},         {"slots", InputType::slots},
  };
  const auto found = k_types.find(text);
  return found == k_types.end() ? std::nullopt : std::optional(found->second);
}

ValueType value_type_of(InputType type) {
  switch (type) {
    case InputType::number:
    case InputType::slots:  // in formulas, the number of slots
      return ValueType::number;
    case InputType::date:
      return ValueType::date;
    default:
      return ValueType::text;
  }
}

void RuleLoader::read_inputs(const toml::table& root, RuleSet& rules) {
  const auto* inputs = root["inputs"].as_table();
  if (inputs == nullptr) {
    return;
  }
  for (const auto& [name, node, key_source] : in_file_order(*inputs)) {
    const std::string context = "[inputs." + name + "]";
    const auto* table = node->as_table();
    if (table == nullptr) {
      report(at(*node), context + " must be a table with 'column' and 'type'");
      continue;
    }
    check_name(name, *node, "input");
    // Key problems are reported, and the input is still defined, so that what
    // refers to it is not reported as well.
    check_keys(*table, Section::input, context);
    RuleInput input{name,
                    string_key(*table, "column"),
                    InputType::text,
                    number_key(*table, "min"),
                    number_key(*table, "max"),
                    at(*node)};
    const std::string type = string_key(*table, "type");
    if (const auto parsed = input_type(type)) {
      input.type = *parsed;
    } else if (table->contains("type")) {
      report(at(*table->get("type")),
             "unknown input type " + quote(type) +
                 "; expected one of: id, category, text, number, date, slots");
    }
    if (input.type == InputType::slots && rules.visit_slots.empty()) {
      report(at(*node), context + ": an input of type 'slots' needs [visits] slots = [...]");
    }
    if ((input.min || input.max) && input.type != InputType::number) {
      report(at(*node), context + ": 'min' and 'max' apply only to inputs of type 'number'");
    }
    m_variables.emplace(name, value_type_of(input.type));
    m_variable_names.push_back(name);
    rules.inputs.push_back(std::move(input));
  }
  std::vector<std::string> ids;
  for (const auto& input : rules.inputs) {
    if (input.type == InputType::id) {
      ids.push_back(quote(input.name));
    }
  }
  if (ids.size() != 1) {
    report(at(*inputs), "[inputs] must have exactly one input of type 'id' (it has " +
                            (ids.empty() ? std::string("none") : join(ids)) + ")");
  }
}

void RuleLoader::read_constants(const toml::table& root, RuleSet& rules) {
  const auto* constants = root["constants"].as_table();
  if (constants == nullptr) {
    return;
  }
  for (const auto& [name, node, key_source] : in_file_order(*constants)) {
    check_name(name, *node, "constant");
    if (!node->is_number()) {
      report(at(*node), "constant " + quote(name) + " must be a number");
    }
    if (m_variables.count(name) != 0) {
      report(at(*node), "constant " + quote(name) + " has the same name as an input");
      continue;
    }
    rules.constants.push_back({name, node->value<double>().value_or(0), at(*node)});
    m_variable_names.push_back(name);
  }
}

void RuleLoader::read_tables(const toml::table& root, RuleSet& rules) {
  const auto* tables = root["tables"].as_table();
  if (tables == nullptr) {
    return;
  }
  for (const auto& [name, node, key_source] : in_file_order(*tables)) {
    const auto* table = node->as_table();
    if (table == nullptr) {
      report(at(*node), "[tables." + name + "] must be a table with 'entries'");
      continue;
    }
    rules.tables.push_back(read_table(name, *table));
  }
}

CategoryTable RuleLoader::read_table(std::string_view name, const toml::table& table) {
  const std::string context = "[tables." + std::string(name) + "]";
  CategoryTable result;
  result.name = name;
  result.location = at(table);
  check_keys(table, Section::table, context);
  result.title = string_key(table, "title");
  const auto* entries_table = table["entries"].as_table();
  if (entries_table == nullptr) {
    return result;
  }
  const auto& entries = *entries_table;
  std::map<std::string, std::pair<std::string, std::size_t>> seen;
  bool saw_label = false;
  bool saw_number = false;
  for (const auto& [category, node, key_source] : in_file_order(entries)) {
    const auto location = at(key_source);
    const auto [previous, inserted] =
        seen.emplace(category_key(category), std::pair(category, location.line));
    if (!inserted) {
      report(location, "duplicate category " + quote(category) + " in " + context +
                           " (the same as " + quote(previous->second.first) + " on line " +
                           std::to_string(previous->second.second) +
                           "; categories match ignoring case and spaces)");
      continue;
    }
    CategoryTable::Entry entry{category, node->value<double>().value_or(0),
                               node->value<std::string>().value_or("")};
    if (!node->is_number() && !node->is_string()) {
      report(at(*node), "entry " + quote(category) + " in " + context +
                            " must be a number or a label (string)");
      continue;
    }
    (node->is_string() ? saw_label : saw_number) = true;
    result.entries.push_back(std::move(entry));
  }
  if (result.entries.empty()) {
    report(at(entries), context + " has no entries");
  }
  if (saw_label && saw_number) {
    report(at(entries), context + " mixes numbers and labels; a table gives one or the other");
  }
  // A mixed table is reported once, above; it counts as numbers for what uses it.
  result.yields_label = saw_label && !saw_number;
  if (const auto* fallback = table.get("default")) {
    if (!(saw_label && saw_number) && fallback->is_string() != result.yields_label) {
      report(at(*fallback), context + ": 'default' must be " +
                                (result.yields_label ? "a label, like the entries"
                                                     : "a number, like the entries"));
    }
    result.fallback = CategoryTable::Entry{"(default)", fallback->value<double>().value_or(0),
                                           fallback->value<std::string>().value_or("")};
  }
  return result;
}

void RuleLoader::read_band_sets(const toml::table& root, RuleSet& rules) {
  const auto* band_sets = root["bands"].as_table();
  if (band_sets == nullptr) {
    return;
  }
  for (const auto& [name, node, key_source] : in_file_order(*band_sets)) {
    const auto* table = node->as_table();
    if (table == nullptr) {
      report(at(*node), "[bands." + name + "] must be a table with 'bands'");
      continue;
    }
    rules.band_sets.push_back(read_band_set(name, *table));
  }
}

BandSet RuleLoader::read_band_set(std::string_view name, const toml::table& table) {
  const std::string context = "[bands." + std::string(name) + "]";
  BandSet result;
  result.name = name;
  result.location = at(table);
  check_keys(table, Section::band_set, context);
  result.title = string_key(table, "title");
  const std::string type = table["type"].value_or(std::string("integer"));
  if (type != "integer" && type != "number") {
    report(at(*table.get("type")),
           context + ": unknown band type " + quote(type) + "; expected 'integer' or 'number'");
  }
  result.integer = type != "number";
  bool saw_label = false;
  bool saw_value = false;
  const auto* bands = table["bands"].as_array();
  if (bands == nullptr) {
    return result;  // reported by check_keys
  }
  for (const auto& element : *bands) {
    const auto* band_table = element.as_table();
    if (band_table == nullptr) {
      report(at(element), context +
                              ": each band must be a table such as { min = 1, max = 14, "
                              "value = 1 }");
      continue;
    }
    if (auto band = read_band(*band_table, result.integer, saw_label, saw_value)) {
      result.bands.push_back(std::move(*band));
    }
  }
  if (saw_label && saw_value) {
    report(result.location,
           context + " mixes values and labels; a band set gives one or the other");
  }
  result.yields_label = saw_label;
  if (result.bands.empty()) {
    report(result.location, context + " has no bands");
  } else {
    check_band_order(result);
  }
  return result;
}

// For whole-number bands, "over 7" is "min 8" and "under 8" is "max 7", so two
// bands meet when one's max is one less than the next one's min.
BandBound normalised_lower(const BandBound& bound, bool integer) {
  return integer && !bound.inclusive ? BandBound{bound.value + 1, true} : bound;
}
BandBound normalised_upper(const BandBound& bound, bool integer) {
  return integer && !bound.inclusive ? BandBound{bound.value - 1, true} : bound;
}

// Whether no value lies between the bounds ("over 6, under 7" holds no whole number).
bool is_empty(const BandBound& lower, const BandBound& upper, bool integer) {
  const BandBound low = normalised_lower(lower, integer);
  const BandBound high = normalised_upper(upper, integer);
  return low.value > high.value || (low.value == high.value && !(low.inclusive && high.inclusive));
}

std::optional<Band> RuleLoader::read_band(const toml::table& table, bool integer, bool& saw_label,
                                          bool& saw_value) {
  const auto location = at(table);
  if (!check_keys(table, Section::band, "a band")) {
    return std::nullopt;
  }
  Band band;
  band.location = location;
  const auto bound = [&](std::string_view inclusive_key, std::string_view exclusive_key,
                         std::optional<BandBound>& out) {
    const auto inclusive = number_key(table, inclusive_key);
    const auto exclusive = number_key(table, exclusive_key);
    if (inclusive && exclusive) {
      report(location, "a band has both " + quote(inclusive_key) + " and " + quote(exclusive_key) +
                           "; give one");
      return false;
    }
    if (inclusive || exclusive) {
      const double value = inclusive ? *inclusive : *exclusive;
      if (integer && value != std::trunc(value)) {
        report(location, "band bound " + format_number(value) +
                             " is not a whole number, but the band set's type is 'integer'");
        return false;
      }
      out = BandBound{value, inclusive.has_value()};
    }
    return true;
  };
  if (!bound("min", "over", band.lower) || !bound("max", "under", band.upper)) {
    return std::nullopt;
  }
  const auto value = number_key(table, "value");
  const auto label = table["label"].value<std::string>();
  if (value.has_value() == label.has_value()) {
    report(location, "a band must give exactly one of 'value' or 'label'");
    return std::nullopt;
  }
  band.number = value.value_or(0);
  band.label = label.value_or("");
  (label ? saw_label : saw_value) = true;
  if (band.lower && band.upper && is_empty(*band.lower, *band.upper, integer)) {
    report(location, "band " + band.describe(integer) +
                         " is empty: its lower bound is above its "
                         "upper bound");
    return std::nullopt;
  }
  return band;
}

void RuleLoader::check_band_order(BandSet& set) {
  std::stable_sort(set.bands.begin(), set.bands.end(), [](const Band& a, const Band& b) {
    if (!a.lower || !b.lower) {
      return !a.lower && b.lower;
    }
    return a.lower->value < b.lower->value ||
           (a.lower->value == b.lower->value && a.lower->inclusive && !b.lower->inclusive);
  });
  const std::string context = "[bands." + set.name + "]";
  for (std::size_t i = 1; i < set.bands.size(); ++i) {
    const Band& below = set.bands[i - 1];
    const Band& above = set.bands[i];
    const std::string pair =
        "bands " + below.describe(set.integer) + " and " + above.describe(set.integer);
    if (!below.upper || !above.lower) {
      report(above.location, context + ": " + pair + " overlap");
      continue;
    }
    const BandBound upper = normalised_upper(*below.upper, set.integer);
    const BandBound lower = normalised_lower(*above.lower, set.integer);
    const double meet = set.integer ? upper.value + 1 : upper.value;
    if (set.integer ? lower.value < meet
                    : lower.value < upper.value ||
                          (lower.value == upper.value && lower.inclusive && upper.inclusive)) {
      report(above.location, context + ": " + pair + " overlap");
    } else if (set.integer ? lower.value > meet
                           : lower.value > upper.value || (lower.value == upper.value &&
                                                           !lower.inclusive && !upper.inclusive)) {
      report(above.location, context + ": " + pair + " leave a gap between them");
    }
  }
}

std::optional<StepKind> step_kind(std::string_view text) {
  static const std::map<std::string_view, StepKind> k_kinds{
      {"days_since", StepKind::days_since},
      {"lookup", StepKind::lookup},
      {"band", StepKind::band},
      {"formula", StepKind::formula},
  };
  const auto found = k_kinds.find(text);
  return found == k_kinds.end() ? std::nullopt : std::optional(found->second);
}

void RuleLoader::read_steps(const toml::table& root, RuleSet& rules) {
  const auto* steps = root["steps"].as_array();
  if (steps == nullptr) {
    return;
  }
  for (const auto& element : *steps) {
    const auto* table = element.as_table();
    if (table == nullptr) {
      report(at(element), "each [[steps]] entry must be a table");
      continue;
    }
    const std::string name = string_key(*table, "name");
    const std::string context = "step " + quote(name.empty() ? "?" : name);
    check_keys(*table, Section::step, context);
    Step step;
    step.name = name;
    step.title = table->contains("title") ? string_key(*table, "title") : name;
    step.location = at(*table);
    step.name_location = at_key(*table, "name");
    step.input_location = at_key(*table, "input");
    if (table->contains("name")) {
      check_name(name, *table->get("name"), "step");
    }
    const std::string kind = string_key(*table, "kind");
    if (const auto parsed = step_kind(kind)) {
      step.kind = *parsed;
    } else {
      if (table->contains("kind")) {
        report(at(*table->get("kind")), context + ": unknown kind " + quote(kind) +
                                            "; expected one of: days_since, lookup, band, formula");
      }
      // Still defined, so what uses it is not reported as well.
      m_broken_steps.insert(name);
      rules.steps.push_back(std::move(step));
      continue;
    }
    step.input = string_key(*table, "input");
    const char* table_key = step.kind == StepKind::band ? "bands" : "table";
    step.table = string_key(*table, table_key);
    step.table_location = at_key(*table, table_key);
    step.expression = string_key(*table, "expression");
    if (const auto* expression = table->get("expression")) {
      step.expression_location = at(*expression);
    }
    // Which keys each kind needs, and which make no sense for it.
    const std::map<std::string_view, bool> needs{
        {"input", step.kind != StepKind::formula},
        {"table", step.kind == StepKind::lookup},
        {"bands", step.kind == StepKind::band},
        {"expression", step.kind == StepKind::formula},
    };
    for (const auto& [key, needed] : needs) {
      if (needed && !table->contains(key)) {
        report(step.location, context + ": a '" + kind + "' step needs " + quote(key));
      } else if (!needed && table->contains(key)) {
        report(at(*table->get(key)),
               context + ": " + quote(key) + " does not apply to a '" + kind + "' step");
      }
    }
    rules.steps.push_back(std::move(step));
  }
}

void RuleLoader::read_outputs(const toml::table& root, RuleSet& rules) {
  const auto* outputs = root["outputs"].as_array();
  if (outputs == nullptr) {
    return;
  }
  std::set<std::string> columns;
  for (const auto& element : *outputs) {
    const auto* table = element.as_table();
    if (table == nullptr) {
      report(at(element), "each [[outputs]] entry must be a table");
      continue;
    }
    check_keys(*table, Section::output, "an output");
    OutputColumn output{
        string_key(*table, "column"), string_key(*table, "value"), std::nullopt, at(*table),
        at_key(*table, "column"),     at_key(*table, "value")};
    if (const auto decimals = (*table)["decimals"].value<std::int64_t>()) {
      if (*decimals < 0 || *decimals > 12) {
        report(at(*table->get("decimals")), "'decimals' must be from 0 to 12");
      }
      output.decimals = static_cast<int>(std::clamp<std::int64_t>(*decimals, 0, 12));
    }
    if (!columns.insert(output.column).second) {
      report(output.column_location, "output column " + quote(output.column) + " is listed twice");
    }
    rules.outputs.push_back(std::move(output));
  }
}

void RuleLoader::read_ranking(const toml::table& root, RuleSet& rules) {
  const auto* ranking = root["ranking"].as_table();
  if (ranking == nullptr) {
    return;
  }
  check_keys(*ranking, Section::ranking, "[ranking]");
  m_ranking_location = at_key(*ranking, "score");
  rules.score_variable = string_key(*ranking, "score");
  const auto* order = (*ranking)["order"].as_array();
  if (order == nullptr) {
    return;
  }
  if (order->empty()) {
    report(at(*order), "[ranking] order is empty; list at least the score, e.g. \"" +
                           (rules.score_variable.empty() ? "score" : rules.score_variable) +
                           " desc\"");
  }
  for (const auto& element : *order) {
    const auto text = element.value<std::string>();
    std::string variable;
    std::string direction;
    if (text) {
      const auto words = trim(*text);
      const auto space = words.find(' ');
      variable = std::string(words.substr(0, space));
      direction = space == std::string_view::npos ? "" : std::string(trim(words.substr(space)));
    }
    if (!text || (direction != "asc" && direction != "desc")) {
      report(at(element), "each [ranking] order entry is \"variable asc\" or \"variable desc\"");
      continue;
    }
    rules.order.push_back({variable, direction == "desc", at(element)});
  }
}

void RuleLoader::read_visits(const toml::table& root, RuleSet& rules) {
  const auto* visits = root["visits"].as_table();
  if (visits == nullptr) {
    return;
  }
  check_keys(*visits, Section::visits, "[visits]");
  const auto* slots = (*visits)["slots"].as_array();
  if (slots == nullptr) {
    return;
  }
  std::set<std::string> seen;
  for (const auto& element : *slots) {
    const auto name = element.value<std::string>();
    if (!name || trim(*name).empty() || name->find(',') != std::string::npos) {
      report(at(element), "[visits] slots are non-empty names without commas, such as \"AM\"");
    } else if (!seen.insert(category_key(*name)).second) {
      report(at(element), "[visits] lists the slot " + quote(*name) + " twice");
    } else {
      rules.visit_slots.emplace_back(trim(*name));
    }
  }
  if (rules.visit_slots.size() > 32) {
    report(at(*slots), "[visits] may list at most 32 slots");
    rules.visit_slots.resize(32);
  }
}

void RuleLoader::read_pick_up(const toml::table& root, RuleSet& rules) {
  const auto* pick_up = root["pick_up"].as_table();
  if (pick_up == nullptr) {
    return;
  }
  check_keys(*pick_up, Section::pick_up, "[pick_up]");
  m_pick_up_table = pick_up;
  for (const auto& role : pick_up_roles()) {
    rules.pick_up.*role.field = string_key(*pick_up, role.key);
  }
}

void RuleLoader::resolve_pick_up(const RuleSet& rules) {
  if (m_pick_up_table == nullptr) {
    return;
  }
  for (const auto& role : pick_up_roles()) {
    const std::string& name = rules.pick_up.*role.field;
    if (name.empty()) {
      continue;
    }
    const auto location = at_key(*m_pick_up_table, role.key);
    const auto type = m_variables.find(name);
    if (type == m_variables.end()) {
      report(location, "[pick_up] " + std::string(role.key) + " names " + unknown_variable(name));
    } else if (role.numeric && type->second != ValueType::number) {
      report(location, "[pick_up] " + std::string(role.key) +
                           " must name a numeric variable, and " + quote(name) + " is not one");
    }
  }
  const auto* slots = rules.find_input(rules.pick_up.visit_slots);
  if (!rules.pick_up.visit_slots.empty() && slots != nullptr && slots->type != InputType::slots) {
    report(at_key(*m_pick_up_table, "visit_slots"),
           "[pick_up] visit_slots must name an input of type 'slots'");
  }
}

// The names a top-level table of the rule file defines (its keys).
std::vector<std::string> names_in(const toml::node_view<const toml::node>& section) {
  std::vector<std::string> names;
  if (const auto* table = section.as_table()) {
    for (auto&& [key, node] : *table) {
      names.emplace_back(key.str());
    }
  }
  return names;
}

std::vector<std::string> step_names(const toml::table& root) {
  std::vector<std::string> names;
  if (const auto* steps = root["steps"].as_array()) {
    for (const auto& element : *steps) {
      if (const auto name = element.at_path("name").value<std::string>()) {
        names.push_back(*name);
      }
    }
  }
  return names;
}

std::optional<int> opel_level(std::string_view key) {
  if (key.size() == 1 && key.front() >= '1' && key.front() <= '4') {
    return key.front() - '0';
  }
  return std::nullopt;
}

// Checks the shape of every [opel.N] and that each override names something the
// rule file defines. What the overrides contain is checked by loading the
// effective rules at each sound level (load_rules does that).
void RuleLoader::read_opel(const toml::table& root, RuleSet& rules) {
  const auto* opel = root["opel"].as_table();
  if (opel == nullptr) {
    return;  // absent, or reported by check_keys
  }
  for (const auto& [key, node, key_source] : in_file_order(*opel)) {
    const auto level = opel_level(key);
    if (!level) {
      report(at(key_source),
             "unknown OPEL level " + quote(key) + " in [opel]; the levels are 1, 2, 3 and 4");
      continue;
    }
    const std::string context = "[opel." + key + "]";
    const auto* table = node->as_table();
    if (table == nullptr) {
      report(at(*node),
             context + " must be a table of overrides, such as [opel." + key + ".constants]");
      continue;
    }
    OpelOverrides overrides;
    overrides.level = *level;
    overrides.location = at(*table);
    if (read_opel_level(root, *table, context, overrides)) {
      m_sound_levels.push_back(*level);
    }
    rules.opel_overrides.push_back(std::move(overrides));
  }
  std::sort(rules.opel_overrides.begin(), rules.opel_overrides.end(),
            [](const auto& a, const auto& b) { return a.level < b.level; });
  std::sort(m_sound_levels.begin(), m_sound_levels.end());
  for (const auto& overrides : rules.opel_overrides) {
    rules.opel_levels.push_back(overrides.level);
  }
}

bool RuleLoader::read_opel_level(const toml::table& root, const toml::table& level,
                                 const std::string& context, OpelOverrides& overrides) {
  bool ok = check_keys(level, Section::opel_level, context);
  const auto check = [&](std::string_view key, const std::vector<std::string>& defined,
                         std::string_view what, std::vector<std::string>& names) {
    ok = check_overridden(level[key], defined, what, context, names) && ok;
  };
  std::vector<std::string> constants;
  check("constants", names_in(root["constants"]), "constant", constants);
  check("tables", names_in(root["tables"]), "table", overrides.tables);
  check("bands", names_in(root["bands"]), "band set", overrides.band_sets);
  check("steps", step_names(root), "step", overrides.steps);
  for (const auto& name : constants) {
    const auto* value = level["constants"][name].node();
    overrides.constants.push_back({name, value->value<double>().value_or(0), at(*value)});
  }
  // A step is overridden key by key; it keeps its name, which is what others refer to.
  for (const auto& name : overrides.steps) {
    const auto step = level["steps"][name];
    if (!step.is_table()) {
      report(at(*step.node()), context + " overrides step " + quote(name) +
                                   " with keys to change, such as [opel." +
                                   std::to_string(overrides.level) + ".steps." + name + "]");
      ok = false;
    } else if (const auto* renamed = step.as_table()->get("name")) {
      report(at(*renamed), context + " may not rename step " + quote(name));
      ok = false;
    }
  }
  return ok;
}

// Reports each key of `overridden` (a table, or nothing) that `defined` lacks;
// collects the others, in file order, in `names`.
bool RuleLoader::check_overridden(const toml::node_view<const toml::node>& overridden,
                                  const std::vector<std::string>& defined, std::string_view what,
                                  const std::string& context, std::vector<std::string>& names) {
  const auto* table = overridden.as_table();
  if (table == nullptr) {
    return true;  // absent, or reported by check_keys
  }
  bool ok = true;
  for (const auto& [name, node, key_source] : in_file_order(*table)) {
    if (std::find(defined.begin(), defined.end(), name) == defined.end()) {
      report(at(key_source), context + " overrides " + std::string(what) + " " + quote(name) +
                                 ", which the rule set does not define" +
                                 did_you_mean(name, defined));
      ok = false;
    } else {
      names.push_back(name);
    }
  }
  return ok;
}

std::optional<ValueType> RuleLoader::variable_type(const RuleSet& rules,
                                                   std::string_view name) const {
  if (const auto found = m_variables.find(name); found != m_variables.end()) {
    return found->second;
  }
  for (const auto& constant : rules.constants) {
    if (constant.name == name) {
      return ValueType::number;
    }
  }
  return std::nullopt;
}

std::string RuleLoader::unknown_variable(std::string_view name) const {
  return "unknown variable " + quote(name) + did_you_mean(name, m_variable_names);
}

void RuleLoader::resolve_steps(RuleSet& rules) {
  for (auto& step : rules.steps) {
    if (variable_type(rules, step.name)) {
      report(step.name_location,
             "step " + quote(step.name) + " has the name of an input, constant or earlier step");
      continue;
    }
    if (m_broken_steps.count(step.name) == 0) {
      resolve_step(rules, step);
    }
    m_variables.emplace(step.name, step.type);
    m_variable_names.push_back(step.name);
  }
}

void RuleLoader::resolve_step(const RuleSet& rules, Step& step) {
  const std::string context = "step " + quote(step.name);
  const auto input_type =
      step.kind == StepKind::formula ? std::nullopt : variable_type(rules, step.input);
  if (step.kind != StepKind::formula && !input_type) {
    if (!step.input.empty()) {  // a missing 'input' key is reported already
      report(step.input_location, context + ": " + unknown_variable(step.input) +
                                      " (a step reads an input or an earlier step)");
    }
    return;
  }
  switch (step.kind) {
    case StepKind::days_since:
      if (*input_type != ValueType::date) {
        report(step.input_location, context + ": 'days_since' needs a date input, and " +
                                        quote(step.input) + " is not a date");
      }
      step.type = ValueType::number;
      break;
    case StepKind::lookup: {
      const auto* table = rules.find_table(step.table);
      if (table == nullptr && !step.table.empty()) {
        std::vector<std::string> names;
        for (const auto& t : rules.tables) {
          names.push_back(t.name);
        }
        report(step.table_location, context + " refers to table " + quote(step.table) +
                                        ", which is not defined" + did_you_mean(step.table, names));
      } else if (table != nullptr && *input_type != ValueType::text) {
        report(step.input_location, context + ": a lookup reads a category or text input, and " +
                                        quote(step.input) + " is not one");
      }
      step.type = table != nullptr && table->yields_label ? ValueType::text : ValueType::number;
      break;
    }
    case StepKind::band: {
      const auto* bands = rules.find_band_set(step.table);
      if (bands == nullptr && !step.table.empty()) {
        std::vector<std::string> names;
        for (const auto& b : rules.band_sets) {
          names.push_back(b.name);
        }
        report(step.table_location, context + " refers to band set " + quote(step.table) +
                                        ", which is not defined" + did_you_mean(step.table, names));
      } else if (bands != nullptr && *input_type != ValueType::number) {
        report(step.input_location,
               context + ": bands place a number, and " + quote(step.input) + " is not a number");
      }
      step.type = bands != nullptr && bands->yields_label ? ValueType::text : ValueType::number;
      break;
    }
    case StepKind::formula:
      resolve_formula(rules, "step " + quote(step.name), step.expression, step.expression_location);
      step.type = ValueType::number;
      break;
  }
}

void RuleLoader::resolve_formula(const RuleSet& rules, const std::string& context,
                                 const std::string& expression, const SourceLocation& where) {
  // Bind every numeric variable known so far to a dummy slot: only the names matter here.
  std::vector<double> slots(m_variables.size(), 0.0);
  std::vector<FormulaVariable> variables;
  std::size_t slot = 0;
  for (const auto& [name, type] : m_variables) {
    if (type == ValueType::number) {
      variables.push_back({name, &slots[slot++]});
    }
  }
  std::vector<FormulaConstant> constants;
  for (const auto& constant : rules.constants) {
    constants.push_back({constant.name, constant.value});
  }
  const Formula formula(expression, variables, constants);
  if (formula.ok()) {
    return;
  }
  const SourceLocation location = locate_in_string(where, formula.error_position());
  std::string message = context + ": " + formula.error();
  const auto known = m_variables.find(formula.error_token());
  if (known != m_variables.end() && known->second != ValueType::number) {
    message = context + ": variable " + quote(formula.error_token()) + " is " +
              (known->second == ValueType::date ? "a date" : "text") + "; formulas work on numbers";
  } else if (!formula.error_token().empty() && is_variable_name(formula.error_token())) {
    message = context + ": formula uses " + unknown_variable(formula.error_token());
  }
  report(location, message);
}

void RuleLoader::read_checks(const toml::table& root, RuleSet& rules) {
  const auto* checks = root["checks"].as_array();
  if (checks == nullptr) {
    return;
  }
  for (const auto& element : *checks) {
    const auto* table = element.as_table();
    if (table == nullptr) {
      report(at(element), "each [[checks]] entry must be a table");
      continue;
    }
    Check check;
    check.name = string_key(*table, "name");
    check_keys(*table, Section::check, "check " + quote(check.name.empty() ? "?" : check.name));
    check.expression = string_key(*table, "expression");
    check.column = string_key(*table, "column");
    check.message = string_key(*table, "message");
    check.location = at(*table);
    check.expression_location = at_key(*table, "expression");
    const std::string severity =
        table->contains("severity") ? string_key(*table, "severity") : std::string("reject");
    if (severity != "reject" && severity != "warning") {
      report(at_key(*table, "severity"), "check " + quote(check.name) +
                                             ": severity is "
                                             "'reject' or 'warning', "
                                             "not " +
                                             quote(severity));
    }
    check.rejects = severity != "warning";
    rules.checks.push_back(std::move(check));
  }
}

void RuleLoader::resolve_checks(const RuleSet& rules) {
  for (const auto& check : rules.checks) {
    if (!check.expression.empty()) {
      resolve_formula(rules, "check " + quote(check.name), check.expression,
                      check.expression_location);
    }
  }
}

std::size_t utf8_length(unsigned long code_point) {
  return code_point < 0x80 ? 1 : code_point < 0x800 ? 2 : code_point < 0x10000 ? 3 : 4;
}

// Where byte `offset` of a string's value is written in the file, given where
// the string (its opening quote) starts: follows escape sequences and multi-line
// strings, so a formula error points at the very character in the file.
SourceLocation RuleLoader::locate_in_string(const SourceLocation& start, std::size_t offset) const {
  std::size_t pos = 0;
  for (std::size_t line = 1; line < start.line && pos < m_text.size(); ++pos) {
    line += m_text[pos] == '\n' ? 1U : 0U;
  }
  for (std::size_t column = 1; column < start.column && pos < m_text.size(); ++pos) {
    column += (static_cast<unsigned char>(m_text[pos]) & 0xC0) != 0x80 ? 1U : 0U;
  }
  SourceLocation at_offset = start;
  const auto advance = [&] {
    if (m_text[pos] == '\n') {
      ++at_offset.line;
      at_offset.column = 1;
    } else if ((static_cast<unsigned char>(m_text[pos]) & 0xC0) != 0x80) {
      ++at_offset.column;
    }
    ++pos;
  };
  const bool literal = pos < m_text.size() && m_text[pos] == '\'';
  const bool multi_line = m_text.substr(pos, 3) == "\"\"\"" || m_text.substr(pos, 3) == "'''";
  for (int i = 0; i < (multi_line ? 3 : 1) && pos < m_text.size(); ++i) {
    advance();
  }
  if (multi_line && m_text.substr(pos, 1) == "\n") {
    advance();  // TOML drops a line break right after the opening quotes
  } else if (multi_line && m_text.substr(pos, 2) == "\r\n") {
    advance();
    advance();
  }
  std::size_t decoded = 0;
  while (decoded < offset && pos < m_text.size()) {
    if (literal || m_text[pos] != '\\' || pos + 1 >= m_text.size()) {
      advance();
      ++decoded;
      continue;
    }
    const char kind = m_text[pos + 1];
    if (kind == 'u' || kind == 'U') {
      const std::size_t digits = kind == 'u' ? 4 : 8;
      const auto hex = std::string(m_text.substr(pos + 2, digits));
      decoded += utf8_length(std::strtoul(hex.c_str(), nullptr, 16));
      for (std::size_t i = 0; i < digits + 2 && pos < m_text.size(); ++i) {
        advance();
      }
    } else if (multi_line && std::isspace(static_cast<unsigned char>(kind))) {
      advance();  // a line-ending backslash: it and the white space after it vanish
      while (pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[pos]))) {
        advance();
      }
    } else {
      advance();
      advance();
      ++decoded;
    }
  }
  return at_offset;
}

void RuleLoader::resolve_outputs_and_ranking(RuleSet& rules) {
  for (const auto& output : rules.outputs) {
    if (!output.value.empty() && !m_variables.count(output.value)) {
      report(output.value_location,
             "output " + quote(output.column) + " writes " + unknown_variable(output.value));
    }
  }
  if (!rules.score_variable.empty()) {
    const auto type = variable_type(rules, rules.score_variable);
    if (!type) {
      report(m_ranking_location, "[ranking] score " + quote(rules.score_variable) +
                                     " must be a numeric variable" +
                                     did_you_mean(rules.score_variable, m_variable_names));
    } else if (*type != ValueType::number) {
      report(m_ranking_location, "[ranking] score " + quote(rules.score_variable) +
                                     " must be a numeric variable, and " +
                                     quote(rules.score_variable) + " is " +
                                     (*type == ValueType::date ? "a date" : "text"));
    }
  }
  for (const auto& key : rules.order) {
    if (!m_variables.count(key.variable)) {
      report(key.location, "[ranking] order uses " + unknown_variable(key.variable));
    }
  }
}

// Merges `from` into `into` key by key, tables recursively; any other value
// replaces. Nodes are moved, not copied: toml++ keeps the source position only
// when moving, and it is what puts messages on the override's line.
void merge_tables(toml::table& into, toml::table& from) {
  for (auto&& [key, node] : from) {
    auto* existing = into.get(key.str());
    if (existing != nullptr && existing->is_table() && node.is_table()) {
      merge_tables(*existing->as_table(), *node.as_table());
    } else {
      into.insert_or_assign(key, std::move(node));
    }
  }
}

// The file at OPEL `level`: [opel.level] deep-merged over the top level, steps
// by name, and [opel] removed. Names the file does not define are skipped here;
// read_opel reports them.
toml::table effective_root(std::string_view text, const std::string& source, int level) {
  toml::table root = parse_rules(text, source);
  toml::table overrides;
  if (auto* table = root["opel"][std::to_string(level)].as_table()) {
    overrides = std::move(*table);
  }
  root.erase("opel");
  for (const char* section : {"constants", "tables", "bands"}) {
    auto* into = root[section].as_table();
    auto* from = overrides[section].as_table();
    if (into != nullptr && from != nullptr) {
      merge_tables(*into, *from);
    }
  }
  auto* steps = root["steps"].as_array();
  auto* step_overrides = overrides["steps"].as_table();
  if (steps == nullptr || step_overrides == nullptr) {
    return root;
  }
  for (auto&& [name, node] : *step_overrides) {
    for (auto& element : *steps) {
      auto* step = element.as_table();
      if (step != nullptr && node.is_table() &&
          (*step)["name"].value_or(std::string()) == name.str()) {
        merge_tables(*step, *node.as_table());
      }
    }
  }
  return root;
}

// A problem of the effective rules at `level`, its message led by the level.
Diagnostic at_level(int level, Diagnostic diagnostic) {
  diagnostic.message = "OPEL " + std::to_string(level) + ": " + diagnostic.message;
  return diagnostic;
}

bool same_problem(const Diagnostic& a, const Diagnostic& b) {
  return a.message == b.message && a.location.line == b.location.line &&
         a.location.column == b.location.column;
}

void throw_if_any(std::vector<Diagnostic> diagnostics) {
  if (diagnostics.empty()) {
    return;
  }
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const auto& a, const auto& b) {
    return a.location.line != b.location.line ? a.location.line < b.location.line
                                              : a.location.column < b.location.column;
  });
  throw RuleError(std::move(diagnostics));
}

}  // namespace

RuleSet load_rules(std::string_view toml_text, std::string_view source_name) {
  const std::string source(source_name);
  const toml::table root = parse_rules(toml_text, source);
  RuleLoader loader(source, toml_text);
  RuleSet rules = loader.read(root);
  std::vector<Diagnostic> diagnostics = loader.diagnostics();
  // Every level is loaded too, so that `rules check` catches a bad override. A
  // problem of the file itself shows at every level as well; it is reported once.
  const std::vector<Diagnostic> own = diagnostics;
  for (const int level : loader.sound_levels()) {
    const toml::table level_root = effective_root(toml_text, source, level);
    RuleLoader level_loader(source, toml_text);
    level_loader.read(level_root);
    for (const auto& diagnostic : level_loader.diagnostics()) {
      if (std::none_of(own.begin(), own.end(),
                       [&](const Diagnostic& d) { return same_problem(d, diagnostic); })) {
        diagnostics.push_back(at_level(level, diagnostic));
      }
    }
  }
  throw_if_any(std::move(diagnostics));
  rules.text = toml_text;
  rules.hash = sha256_hex(toml_text);
  return rules;
}

RuleSet rules_for_opel(const RuleSet& base, int level) {
  if (level < 1 || level > 4) {
    throw ConfigError(
        {}, "there is no OPEL level " + std::to_string(level) + "; the levels are 1, 2, 3 and 4");
  }
  const auto overridden = [&base](int l) {
    return std::find(base.opel_levels.begin(), base.opel_levels.end(), l) != base.opel_levels.end();
  };
  // The rules at a level without overrides are the file's own; `base` may be
  // at another level, and then the file is read again.
  if (!overridden(level) && !(base.opel && overridden(*base.opel))) {
    RuleSet rules = base;
    rules.opel = level;
    return rules;
  }
  const toml::table root = effective_root(base.text, base.source_name, level);
  RuleLoader loader(base.source_name, base.text);
  RuleSet rules = loader.read(root);
  std::vector<Diagnostic> diagnostics;
  for (const auto& diagnostic : loader.diagnostics()) {
    diagnostics.push_back(at_level(level, diagnostic));
  }
  throw_if_any(std::move(diagnostics));
  rules.text = base.text;
  rules.hash = base.hash;
  rules.opel = level;
  rules.opel_levels = base.opel_levels;
  rules.opel_overrides = base.opel_overrides;
  return rules;
}

RuleSet load_rules_file(const std::filesystem::path& path) {
  return load_rules(read_file(path), path.string());
}

}  // namespace engine
