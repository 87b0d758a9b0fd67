// A prioritisation protocol as data: the columns it reads, its category tables,
// bands, steps (each defining one variable), output columns and ranking order.
// Loaded and validated from a TOML rule file by load_rules(); nothing of any
// particular protocol is written in C++.
#pragma once

#include <engine/errors.hpp>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

// What an input column holds.
enum class InputType {
  id,        // the referral's unique identifier (text, non-empty, unique)
  category,  // one of a known set of values, matched ignoring case and spaces
  text,      // free text, read as is
  number,    // a decimal number
  date,      // dd/mm/yyyy or yyyy-mm-dd
  slots,     // a list of the day's visit slots ("AM, Lunch, Tea, PM"), from [visits]
};

// What a variable holds once a row is evaluated.
enum class ValueType { number, text, date };

struct RuleInput {
  std::string name;    // the variable the column becomes
  std::string column;  // the header it is read from
  InputType type = InputType::text;
  std::optional<double> min;  // numbers only: smallest allowed value
  std::optional<double> max;  // numbers only: largest allowed value
  SourceLocation location;
};

struct Constant {
  std::string name;
  double value = 0;
  SourceLocation location;
};

// A category table: a text value maps to a number or to a label.
struct CategoryTable {
  struct Entry {
    std::string category;
    double number = 0;
    std::string label;
  };

  std::string name;
  std::string title;
  bool yields_label = false;      // entries give labels, not numbers
  std::vector<Entry> entries;     // in the order the file gives them
  std::optional<Entry> fallback;  // the `default`, for values not in the table
  SourceLocation location;
};

// One end of a band: `min`/`max` include the value, `over`/`under` exclude it.
struct BandBound {
  double value = 0;
  bool inclusive = true;
};

struct Band {
  std::optional<BandBound> lower;  // none: open below
  std::optional<BandBound> upper;  // none: open above
  double number = 0;
  std::string label;
  SourceLocation location;

  bool contains(double x) const;
  // "1-14", "22+", "over 0.5 to 1", for explanations and `rules show`.
  std::string describe(bool integer) const;
};

// Contiguous, non-overlapping ranges of a number.
struct BandSet {
  std::string name;
  std::string title;
  bool integer = true;        // the banded value is a whole number (days)
  bool yields_label = false;  // bands give labels, not numbers
  std::vector<Band> bands;    // in ascending order
  SourceLocation location;

  // The band holding x, or nullptr when x is outside every band.
  const Band* find(double x) const;
};

enum class StepKind {
  days_since,  // days from a date input to the as-of date
  lookup,      // a category input looked up in a table
  band,        // a number placed in a band set
  formula,     // an expression over numeric variables and constants
};

struct Step {
  std::string name;   // the variable it defines
  std::string title;  // the words explanations use
  StepKind kind = StepKind::formula;
  std::string input;       // days_since, lookup, band: the variable read
  std::string table;       // lookup: the table; band: the band set
  std::string expression;  // formula
  ValueType type = ValueType::number;
  SourceLocation location;             // the [[steps]] entry
  SourceLocation name_location;        // its name
  SourceLocation input_location;       // its input (or the entry, if none)
  SourceLocation table_location;       // its table or band set (or the entry, if none)
  SourceLocation expression_location;  // where the expression text starts
};

struct OutputColumn {
  std::string column;  // the header written
  std::string value;   // the variable written
  std::optional<int> decimals;
  SourceLocation location;         // the [[outputs]] entry
  SourceLocation column_location;  // its column
  SourceLocation value_location;   // its value
};

// A condition every row must meet, such as "the package gives as many visits as
// the row lists slots". A row that fails is rejected, or only warned about.
struct Check {
  std::string name;
  std::string expression;  // a formula; 0 means the check failed
  std::string column;      // the column a failure is reported against (may be empty)
  std::string message;     // what is wrong, in words
  bool rejects = true;     // severity "reject"; false: "warning"
  SourceLocation location;
  SourceLocation expression_location;
};

struct SortKey {
  std::string variable;
  bool descending = false;
  SourceLocation location;
};

// The variables that hold what pick-up lists, capacity matching and summaries
// need. Each is a variable name, or empty when the rule set does not say.
struct PickUpRoles {
  std::string team;
  std::string source;
  std::string visit_slots;    // an input of type slots
  std::string double_handed;  // a number: non-zero when two carers attend each visit
  std::string package;
  std::string daily_hours;   // a number
  std::string weekly_hours;  // a number
  std::string contract;
  std::string days_waiting;  // a number
  std::string wait_range;
  std::string care_type;
  std::string in_bed;  // a number: non-zero when the person waits in a hospital or care bed
};

// What one `[opel.N]` table of a rule file overrides, by name, in file order.
struct OpelOverrides {
  int level = 0;                    // 1 to 4
  std::vector<Constant> constants;  // with their values at this level
  std::vector<std::string> tables;
  std::vector<std::string> band_sets;
  std::vector<std::string> steps;
  SourceLocation location;  // the [opel.N] table
};

// A key of [pick_up]: the field of PickUpRoles it fills, and whether the
// variable it names must be a number.
struct PickUpRole {
  std::string_view key;
  std::string PickUpRoles::*field;
  bool numeric;
};

// Every [pick_up] key, in the order rule files and `rules show` list them.
std::span<const PickUpRole> pick_up_roles();

struct RuleSet {
  std::string name;
  std::string version;
  std::string title;
  std::string source_name;  // the rule file's path, or its name when built in
  std::string hash;         // SHA-256 (hex) of the rule file's exact bytes
  // The rule file's exact text: rules_for_opel() re-reads it, and a built-in
  // rule set has no file to re-read.
  std::string text;
  // The operational pressure level these rules are at; none for the file's own
  // rules. The hash still names the file: the level is reported beside it.
  std::optional<int> opel;
  std::vector<int> opel_levels;               // the levels the file overrides, ascending
  std::vector<OpelOverrides> opel_overrides;  // what each of them overrides, same order

  std::vector<RuleInput> inputs;
  std::vector<Constant> constants;
  std::vector<CategoryTable> tables;
  std::vector<BandSet> band_sets;
  std::vector<Step> steps;
  std::vector<OutputColumn> outputs;
  std::vector<Check> checks;
  std::string score_variable;            // the variable the list is ranked on
  std::vector<SortKey> order;            // the full ranking order, tie-breaks included
  std::vector<std::string> visit_slots;  // the day's visit slots, in order
  PickUpRoles pick_up;

  const RuleInput* find_input(std::string_view name) const;
  const CategoryTable* find_table(std::string_view name) const;
  const BandSet* find_band_set(std::string_view name) const;
  const Step* find_step(std::string_view name) const;
  // The input of type id.
  const RuleInput& id_input() const;
  // "name version (sha256 0123456789ab)", plus " at OPEL 3" when at a level.
  std::string identity() const;
};

// Parses and validates a rule file's text, including the effective rules at
// every OPEL level it overrides. Collects every problem it finds and throws one
// RuleError listing them all, each as "source:line:column: message".
RuleSet load_rules(std::string_view toml_text, std::string_view source_name);

// The effective rules at OPEL `level` (1-4): base's file with its [opel.level] overrides merged
// in, same hash; throws ConfigError for another level, RuleError if the overrides do not load.
RuleSet rules_for_opel(const RuleSet& base, int level);

// Reads and loads a rule file; throws ConfigError if it cannot be read.
RuleSet load_rules_file(const std::filesystem::path& path);

// The published protocol, compiled into the program.
const RuleSet& default_rules();
// The default rule file's exact text.
std::string_view default_rules_text();

}  // namespace engine
