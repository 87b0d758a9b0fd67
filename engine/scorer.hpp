// Evaluates a rule set on one referral row at a time. Built once per file (it
// binds each input to its column and compiles every formula and table), then
// evaluate() runs the steps in order without parsing anything of the rules again.
#pragma once

#include <engine/date.hpp>
#include <engine/rule_set.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

// Why a row cannot be scored: the column at fault (empty when no single column
// is) and the reason in words.
struct RowProblem {
  std::string column;
  std::string reason;
};

// What one step read, matched and produced, for explanations.
struct StepTrace {
  const Step* step = nullptr;
  std::string read;     // the value the step read, as text
  std::string matched;  // the table entry or band it matched, or the formula
  std::string result;   // the value it produced, as output shows it
};

class Scorer {
 public:
  // Binds `rules` to a file whose header is `header`. Throws InputError (at
  // source_name line 1) naming every column the rules need that is missing.
  Scorer(const RuleSet& rules, std::span<const std::string> header, std::string_view source_name,
         Date as_of);
  ~Scorer();
  Scorer(const Scorer&) = delete;
  Scorer& operator=(const Scorer&) = delete;

  // Evaluates one row's fields (one per header column). Returns false and fills
  // `problem` when the row cannot be scored. With `trace`, records every step.
  bool evaluate(std::span<const std::string_view> fields, RowProblem& problem,
                std::vector<StepTrace>* trace = nullptr);

  // After evaluate(): the row's failed warning checks (it was still scored).
  const std::vector<RowProblem>& warnings() const;

  // After a successful evaluate(): output column i's value as written in CSV,
  // and whether it is a number (for JSON).
  std::string output_text(std::size_t i) const;
  // The same text appended to `out`, making no string (the batch loops' form).
  void append_output(std::size_t i, std::string& out) const;
  bool output_is_number(std::size_t i) const;

  // After evaluate(): the row's id (trimmed); valid until the next evaluate().
  std::string_view id() const;

  // A variable's slot, for reading values after evaluate(); throws std::out_of_range.
  std::size_t slot(std::string_view variable) const;
  double number_at(std::size_t slot) const;
  std::string_view text_at(std::size_t slot) const;
  // Every slot's number and text at once, for loops over rows that read
  // several (valid until the scorer goes; the values until the next evaluate()).
  std::span<const double> numbers() const;
  std::span<const std::string_view> texts() const;
  // The header column an input variable is read from; nullopt for a step.
  std::optional<std::size_t> column_index(std::string_view variable) const;
  // For an input of type slots: bit i set when the rule set's visit slot i is listed.
  std::uint32_t visit_mask_at(std::size_t slot) const;

  const RuleSet& rules() const { return m_rules; }

 private:
  struct Compiled;
  const RuleSet& m_rules;
  std::unique_ptr<Compiled> m_compiled;
};

}  // namespace engine
