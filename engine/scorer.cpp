// Tested by tests/unit/test_scorer.cpp, and against the published scenario by
// tests/unit/test_published_scenario.cpp.
// Every variable (input or step) gets a numbered slot holding a number and a
// text view; formulas are compiled with muparser bound to the number slots, and
// category tables become hash maps keyed the way categories are matched
// (trimmed, case-insensitive). A row is then one pass over inputs and steps.
#include <engine/detail/spellings.hpp>
#include <engine/detail/value_memo.hpp>
#include <engine/errors.hpp>
#include <engine/formula.hpp>
#include <engine/scorer.hpp>
#include <engine/text.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <unordered_map>

namespace engine {

namespace {

// The most combinations of its variables' values a formula is tabulated over
// (see Formula::tabulate): a table this size stays in a core's cache.
constexpr std::size_t k_tabulated_cells = 1024;

struct BoundInput {
  const RuleInput* input;
  std::size_t field;
  std::size_t slot;
};

struct CompiledStep {
  const Step* step = nullptr;
  std::size_t slot = 0;
  std::size_t input_slot = 0;
  const CategoryTable* table = nullptr;
  // Keyed by category, searched with the raw field: no key string per row.
  std::unordered_map<std::string, const CategoryTable::Entry*, CategoryHash, CategoryEqual> entries;
  // Spellings tried first, byte for byte, with what they found (a value not
  // in the table too, found as null): comparing bytes beats hashing a category key.
  detail::Spellings<const CategoryTable::Entry*> spelled;
  const CategoryTable::Entry* find(std::string_view value) {
    if (const auto* found = spelled.find(value)) {
      return *found;
    }
    const CategoryTable::Entry* entry = find_category(value);
    spelled.keep(value, entry);
    return entry;
  }
  const CategoryTable::Entry* find_category(std::string_view value) const {
    const auto found = entries.find(value);
    return found == entries.end() ? nullptr : found->second;
  }
  const BandSet* bands = nullptr;
  // What bands->find gave. A band step often reads days waiting, which takes a
  // value for each of the last few months' days: 64 places held half of them,
  // 256 hold most (a few share a place and push each other out).
  detail::ValueMemo<const Band*, 1, 8> band_of;
  const Band* find_band(double x) {
    return band_of.get(band_of.key_of(x), [&] { return bands->find(x); });
  }
  std::optional<Formula> formula;
  bool tabulated = false;  // the formula reads a table by its variables' positions
};

struct CompiledCheck {
  const Check* check = nullptr;
  std::optional<Formula> formula;
  std::vector<std::pair<std::string, std::size_t>> shown;  // variables quoted in the reason
};

struct BoundOutput {
  const OutputColumn* output;
  std::size_t slot;
  bool is_number;
};

// The header field for `column`: an exact match, else one that differs only in
// case or surrounding spaces.
std::optional<std::size_t> find_column(std::span<const std::string> header,
                                       std::string_view column) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == column) {
      return i;
    }
  }
  const std::string wanted = category_key(column);
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (category_key(header[i]) == wanted) {
      return i;
    }
  }
  return std::nullopt;
}

std::string expected_for(const RuleInput& input) {
  switch (input.type) {
    case InputType::date:
      return "a date (dd/mm/yyyy or yyyy-mm-dd)";
    case InputType::number:
      return "a number";
    case InputType::id:
      return "a referral id";
    default:
      return "a value";
  }
}

std::string allowed_values(const CategoryTable& table) {
  std::vector<std::string> names;
  for (const auto& entry : table.entries) {
    names.push_back(entry.category);
  }
  return join(names);
}

// The loader has already checked every formula against the same variables; one
// that fails here means loader and scorer disagree, which must not pass silently.
void require_ok(const Formula& formula, const std::string& expression,
                const SourceLocation& location) {
  if (!formula.ok()) {
    throw RuleError(location, "internal error: formula " + quote(expression) +
                                  " does not compile for scoring: " + formula.error());
  }
}

}  // namespace

struct Scorer::Compiled {
  Date as_of;
  std::map<std::string, std::size_t, std::less<>> slots;
  std::vector<double> numbers;
  std::vector<std::string_view> texts;
  std::vector<std::string> owned_texts;  // text a slot's view points into, when made per row
  std::vector<std::optional<std::string>> canonical_by_mask;  // visit slots' texts, made once
  std::vector<std::uint32_t> visit_masks;
  // For a slot whose value is one of a few (see FormulaDomain): which one,
  // as its step or input set it this row.
  std::vector<std::uint32_t> positions;
  // Visit-slot lists and dates as the file spelled them: a file has a few
  // dozen lists and a few hundred dates (four months in two spellings), each
  // read once. 128 places held too few dates: a third of rows parsed theirs.
  detail::Spellings<std::uint32_t> slot_spellings;
  detail::Spellings<std::int64_t, 9> date_spellings;
  const std::vector<std::string>* visit_slots = nullptr;
  std::vector<BoundInput> inputs;
  std::vector<CompiledStep> steps;
  std::vector<BoundOutput> outputs;
  std::vector<CompiledCheck> checks;
  std::vector<RowProblem> warnings;
  std::size_t id_slot = 0;

  // Each row runs read_input and run_step, which make no strings: when one
  // fails, input_problem or step_problem works out why, with the same values.
  bool read_input(const BoundInput& bound, std::string_view field);
  RowProblem input_problem(const BoundInput& bound, std::string_view field);
  bool read_visit_slots(std::size_t slot, std::string_view value, std::string* reason);
  std::string_view canonical_slots(std::size_t slot, std::uint32_t mask);
  bool run_checks(RowProblem& problem);
  // The steps in order, then the checks; a trace of each step when Traced.
  // Inlined into evaluate, as a call it cost a row 23 instructions.
  template <bool Traced>
  [[gnu::always_inline]] inline bool run_steps(std::vector<StepTrace>* trace, RowProblem& problem);
  // Inlined into run_steps: a call a step costs more than the step, most rows.
  [[gnu::always_inline]] inline bool run_step(CompiledStep& compiled);
  RowProblem step_problem(const CompiledStep& compiled) const;
  // What a step that ran read, matched and gave, in words (for explanations).
  void trace_step(CompiledStep& compiled, StepTrace& trace);
  // The column a slot was read from; empty for a step's slot.
  std::string column_of(std::size_t slot) const {
    return slot < inputs.size() ? inputs[slot].input->column : std::string();
  }
  std::string format_slot(std::size_t slot, bool is_number) const {
    return is_number ? format_number(numbers[slot]) : std::string(texts[slot]);
  }
};

Scorer::Scorer(const RuleSet& rules, std::span<const std::string> header,
               std::string_view source_name, Date as_of)
    : m_rules(rules), m_compiled(std::make_unique<Compiled>()) {
  Compiled& c = *m_compiled;
  c.as_of = as_of;
  const std::size_t slot_count = rules.inputs.size() + rules.steps.size();
  // Formulas hold pointers into `numbers`: it is sized once and never grows.
  c.numbers.assign(slot_count, 0.0);
  c.texts.assign(slot_count, {});
  c.owned_texts.assign(slot_count, {});
  c.visit_masks.assign(slot_count, 0);
  c.positions.assign(slot_count, 0);
  c.visit_slots = &rules.visit_slots;

  std::vector<std::string> missing;
  for (const auto& input : rules.inputs) {
    const std::size_t slot = c.slots.size();
    c.slots.emplace(input.name, slot);
    const auto field = find_column(header, input.column);
    if (!field) {
      missing.push_back(quote(input.column) + did_you_mean(input.column, header));
      continue;
    }
    c.inputs.push_back({&input, *field, slot});
    if (input.type == InputType::id) {
      c.id_slot = slot;
    }
  }
  if (!missing.empty()) {
    throw InputError({std::string(source_name), 1},
                     std::string(missing.size() == 1 ? "required column " : "required columns ") +
                         join(missing) + (missing.size() == 1 ? " is" : " are") +
                         " missing from the header (rule set " + rules.identity() + ")");
  }

  std::vector<FormulaConstant> constants;
  for (const auto& constant : rules.constants) {
    constants.push_back({constant.name, constant.value});
  }
  std::vector<FormulaVariable> variables;
  // The variables that take few values, for formulas to be tabulated over.
  std::vector<FormulaDomain> domains;
  const auto add_domain = [&](std::size_t slot, std::vector<double> values) {
    domains.push_back({&c.numbers[slot], std::move(values), &c.positions[slot]});
  };
  for (const auto& input : rules.inputs) {
    // Formulas see numbers and, for visit slots, how many are listed.
    if (input.type == InputType::number || input.type == InputType::slots) {
      variables.push_back({input.name, &c.numbers[c.slots.at(input.name)]});
    }
    if (input.type == InputType::slots) {
      std::vector<double> counts;
      for (std::size_t n = 0; n <= rules.visit_slots.size(); ++n) {
        counts.push_back(static_cast<double>(n));
      }
      add_domain(c.slots.at(input.name), std::move(counts));
    }
  }
  for (const auto& step : rules.steps) {
    CompiledStep compiled;
    compiled.step = &step;
    compiled.slot = c.slots.size();
    c.slots.emplace(step.name, compiled.slot);
    if (step.kind != StepKind::formula) {
      compiled.input_slot = c.slots.at(step.input);
    }
    std::vector<double> values;  // what the step can give, by position
    if (step.kind == StepKind::lookup) {
      compiled.table = rules.find_table(step.table);
      for (const auto& entry : compiled.table->entries) {
        compiled.entries.emplace(entry.category, &entry);
        values.push_back(entry.number);
      }
      if (compiled.table->fallback) {
        values.push_back(compiled.table->fallback->number);
      }
    } else if (step.kind == StepKind::band) {
      compiled.bands = rules.find_band_set(step.table);
      for (const auto& band : compiled.bands->bands) {
        values.push_back(band.number);
      }
    } else if (step.kind == StepKind::formula) {
      compiled.formula.emplace(step.expression, variables, constants);
      require_ok(*compiled.formula, step.expression, step.expression_location);
      compiled.tabulated = compiled.formula->tabulate(domains, k_tabulated_cells);
      const auto given = compiled.formula->tabulated_values();
      values.assign(given.begin(), given.end());
    }
    if (!values.empty()) {
      add_domain(compiled.slot, std::move(values));
    }
    if (step.type == ValueType::number) {
      variables.push_back({step.name, &c.numbers[compiled.slot]});
    }
    c.steps.push_back(std::move(compiled));
  }
  for (const auto& check : rules.checks) {
    CompiledCheck compiled;
    compiled.check = &check;
    compiled.formula.emplace(check.expression, variables, constants);
    require_ok(*compiled.formula, check.expression, check.expression_location);
    compiled.formula->tabulate(domains, k_tabulated_cells);
    for (const auto& name : compiled.formula->variables_used()) {
      compiled.shown.emplace_back(name, c.slots.at(name));
    }
    c.checks.push_back(std::move(compiled));
  }
  for (const auto& output : rules.outputs) {
    const std::size_t slot = c.slots.at(output.value);
    const Step* step = rules.find_step(output.value);
    const RuleInput* input = rules.find_input(output.value);
    const bool is_number =
        step != nullptr ? step->type == ValueType::number : input->type == InputType::number;
    c.outputs.push_back({&output, slot, is_number});
  }
}

Scorer::~Scorer() = default;

bool Scorer::Compiled::read_input(const BoundInput& bound, std::string_view field) {
  const RuleInput& input = *bound.input;
  const std::string_view value = trim(field);
  texts[bound.slot] = value;
  if (value.empty()) {
    return false;
  }
  switch (input.type) {
    case InputType::number: {
      const auto number = parse_number(value);
      if (!number || (input.min && *number < *input.min) || (input.max && *number > *input.max)) {
        return false;
      }
      numbers[bound.slot] = *number;
      return true;
    }
    case InputType::slots:
      return read_visit_slots(bound.slot, value, nullptr);
    case InputType::date: {
      if (const std::int64_t* day = date_spellings.find(value)) {
        numbers[bound.slot] = static_cast<double>(*day);
        return true;
      }
      const auto date = parse_date(value);
      if (!date) {
        return false;
      }
      date_spellings.keep(value, date->day_number);
      numbers[bound.slot] = static_cast<double>(date->day_number);
      return true;
    }
    default:
      return true;
  }
}

RowProblem Scorer::Compiled::input_problem(const BoundInput& bound, std::string_view field) {
  const RuleInput& input = *bound.input;
  const std::string_view value = trim(field);
  const auto problem = [&](std::string reason) {
    return RowProblem{input.column, std::move(reason)};
  };
  if (value.empty()) {
    return problem("is empty; expected " + expected_for(input));
  }
  switch (input.type) {
    case InputType::number: {
      const auto number = parse_number(value);
      if (!number) {
        return problem(quote(value) + " is not a number");
      }
      if (input.min && *number < *input.min) {
        return problem(quote(value) + " is below the minimum of " + format_number(*input.min));
      }
      return problem(quote(value) + " is above the maximum of " + format_number(*input.max));
    }
    case InputType::slots: {
      std::string reason;
      read_visit_slots(bound.slot, value, &reason);
      return problem(std::move(reason));
    }
    case InputType::date:
      return problem(quote(value) + " is not a valid date; expected dd/mm/yyyy or yyyy-mm-dd");
    default:
      return problem("could not be read");
  }
}

// "AM, Lunch, Tea, PM": each named slot must be one of the rule set's, once. The
// canonical text lists them in the rule set's order and spelling.
bool Scorer::Compiled::read_visit_slots(std::size_t slot, std::string_view value,
                                        std::string* reason) {
  const auto set = [&](std::uint32_t mask) {
    visit_masks[slot] = mask;
    positions[slot] = static_cast<std::uint32_t>(std::popcount(mask));
    numbers[slot] = static_cast<double>(positions[slot]);
    texts[slot] = canonical_slots(slot, mask);
  };
  if (const std::uint32_t* mask = slot_spellings.find(value)) {
    set(*mask);
    return true;
  }
  const std::string_view spelled = value;
  std::uint32_t mask = 0;
  while (!value.empty()) {
    const auto end = value.find_first_of(",;/");
    const std::string_view item = trim(value.substr(0, end));
    value = end == std::string_view::npos ? std::string_view() : value.substr(end + 1);
    if (item.empty()) {
      continue;
    }
    std::size_t index = 0;
    while (index < visit_slots->size() && !same_category((*visit_slots)[index], item)) {
      ++index;
    }
    if (index == visit_slots->size()) {
      if (reason != nullptr) {
        *reason = quote(item) + " is not a visit slot; expected " + join(*visit_slots);
      }
      return false;
    }
    if ((mask & (1U << index)) != 0) {
      if (reason != nullptr) {
        *reason = "lists the visit slot " + quote((*visit_slots)[index]) + " twice";
      }
      return false;
    }
    mask |= 1U << index;
  }
  slot_spellings.keep(spelled, mask);
  set(mask);
  return true;
}

std::string_view Scorer::Compiled::canonical_slots(std::size_t slot, std::uint32_t mask) {
  // A rule set has a handful of slots, so every combination's text is made
  // once and kept; a set of more than 12 slots is spelled out per row.
  constexpr std::size_t k_cached_slots = 12;
  const bool cached = visit_slots->size() <= k_cached_slots;
  if (cached && mask < canonical_by_mask.size() && canonical_by_mask[mask]) {
    return *canonical_by_mask[mask];
  }
  std::string canonical;
  for (std::size_t i = 0; i < visit_slots->size(); ++i) {
    if ((mask & (1U << i)) != 0) {
      canonical += (canonical.empty() ? "" : ", ") + (*visit_slots)[i];
    }
  }
  if (!cached) {
    owned_texts[slot] = std::move(canonical);
    return owned_texts[slot];
  }
  canonical_by_mask.resize(std::size_t{1} << visit_slots->size());
  return *(canonical_by_mask[mask] = std::move(canonical));
}

inline bool Scorer::Compiled::run_step(CompiledStep& compiled) {
  const std::size_t in = compiled.input_slot;
  switch (compiled.step->kind) {
    case StepKind::days_since: {
      const double days = static_cast<double>(as_of.day_number) - numbers[in];
      if (days < 0) {
        return false;
      }
      numbers[compiled.slot] = days;
      return true;
    }
    case StepKind::lookup: {
      const CategoryTable::Entry* entry = compiled.find(texts[in]);
      // Positions as the step's domain lists them: the entries, then the default.
      if (entry != nullptr) {
        positions[compiled.slot] =
            static_cast<std::uint32_t>(entry - compiled.table->entries.data());
      } else if (compiled.table->fallback) {
        entry = &*compiled.table->fallback;
        positions[compiled.slot] = static_cast<std::uint32_t>(compiled.table->entries.size());
      } else {
        return false;
      }
      numbers[compiled.slot] = entry->number;
      texts[compiled.slot] = entry->label;
      return true;
    }
    case StepKind::band: {
      const Band* band = compiled.find_band(numbers[in]);
      if (band == nullptr) {
        return false;
      }
      positions[compiled.slot] = static_cast<std::uint32_t>(band - compiled.bands->bands.data());
      numbers[compiled.slot] = band->number;
      texts[compiled.slot] = band->label;
      return true;
    }
    case StepKind::formula: {
      double value = 0;
      if (compiled.tabulated) {
        const std::uint32_t at = compiled.formula->tabulated_position();
        positions[compiled.slot] = at;
        value = compiled.formula->tabulated_values()[at];
      } else {
        value = compiled.formula->evaluate();
      }
      if (!std::isfinite(value)) {
        return false;
      }
      numbers[compiled.slot] = value;
      return true;
    }
  }
  return false;
}

RowProblem Scorer::Compiled::step_problem(const CompiledStep& compiled) const {
  const Step& step = *compiled.step;
  const std::size_t in = compiled.input_slot;
  switch (step.kind) {
    case StepKind::days_since:
      return {column_of(in), quote(texts[in]) + " is after the as-of date " + to_iso(as_of)};
    case StepKind::lookup:
      return {column_of(in), quote(texts[in]) + " is not a known value; expected one of: " +
                                 allowed_values(*compiled.table)};
    case StepKind::band:
      return {column_of(in), step.input + " = " + format_number(numbers[in]) +
                                 " is outside every band of " + quote(compiled.bands->name)};
    case StepKind::formula:
      return {"", "step " + quote(step.name) + " gave no finite number (" + step.expression +
                      "); is there a division by zero?"};
  }
  return {"", "step " + quote(step.name) + " failed"};
}

void Scorer::Compiled::trace_step(CompiledStep& compiled, StepTrace& trace) {
  const Step& step = *compiled.step;
  const std::size_t in = compiled.input_slot;
  switch (step.kind) {
    case StepKind::days_since:
      trace.matched = "as of " + to_iso(as_of);
      break;
    case StepKind::lookup:
      if (const CategoryTable::Entry* entry = compiled.find(texts[in])) {
        trace.matched = "table " + quote(compiled.table->name) + " entry " + quote(entry->category);
      } else {
        trace.matched = "table " + quote(compiled.table->name) + " default (not listed)";
      }
      break;
    case StepKind::band:
      trace.matched = "band " +
                      compiled.bands->find(numbers[in])->describe(compiled.bands->integer) +
                      " of " + quote(compiled.bands->name);
      break;
    case StepKind::formula:
      trace.matched = step.expression;
      break;
  }
  trace.step = &step;
  if (step.kind == StepKind::band) {
    trace.read = format_number(numbers[in]);
  } else if (step.kind != StepKind::formula) {
    trace.read = std::string(texts[in]);
  }
  trace.result = format_slot(compiled.slot, step.type == ValueType::number);
}

// Each step's trace entry is made before it runs, so a failed step leaves an
// empty one (with no step) after those that ran.
template <bool Traced>
inline bool Scorer::Compiled::run_steps(std::vector<StepTrace>* trace, RowProblem& problem) {
  for (auto& step : steps) {
    StepTrace* step_trace = Traced ? &trace->emplace_back() : nullptr;
    if (!run_step(step)) {
      problem = step_problem(step);
      return false;
    }
    if constexpr (Traced) {
      trace_step(step, *step_trace);
    }
  }
  return run_checks(problem);
}

bool Scorer::evaluate(std::span<const std::string_view> fields, RowProblem& problem,
                      std::vector<StepTrace>* trace) {
  Compiled& c = *m_compiled;
  c.warnings.clear();
  // The id is read first so a rejected row can still be named by it.
  c.texts[c.id_slot] = trim(fields[c.inputs[c.id_slot].field]);
  for (const auto& bound : c.inputs) {
    if (!c.read_input(bound, fields[bound.field])) {
      problem = c.input_problem(bound, fields[bound.field]);
      return false;
    }
  }
  // Scoring a file asks for no trace: its loop then tests for none at each step.
  if (trace == nullptr) {
    return c.run_steps<false>(nullptr, problem);
  }
  trace->clear();
  return c.run_steps<true>(trace, problem);
}

// A failed check names the values it compared, so the reason can be acted on:
// "the package does not match the visit slots (visit_slots = 3, visits_a_day = 4)".
bool Scorer::Compiled::run_checks(RowProblem& problem) {
  warnings.clear();
  for (const auto& compiled : checks) {
    if (compiled.formula->evaluate() != 0) {
      continue;
    }
    std::string values;
    for (const auto& [name, slot] : compiled.shown) {
      values += (values.empty() ? "" : ", ") + name + " = " + format_number(numbers[slot]);
    }
    RowProblem failed{compiled.check->column,
                      compiled.check->message + (values.empty() ? "" : " (" + values + ")")};
    if (compiled.check->rejects) {
      problem = std::move(failed);
      return false;
    }
    warnings.push_back(std::move(failed));
  }
  return true;
}

const std::vector<RowProblem>& Scorer::warnings() const {
  return m_compiled->warnings;
}

std::string Scorer::output_text(std::size_t i) const {
  std::string text;
  append_output(i, text);
  return text;
}

void Scorer::append_output(std::size_t i, std::string& out) const {
  const auto& output = m_compiled->outputs.at(i);
  if (output.is_number) {
    append_number(out, m_compiled->numbers[output.slot], output.output->decimals);
  } else {
    out += m_compiled->texts[output.slot];
  }
}

bool Scorer::output_is_number(std::size_t i) const {
  return m_compiled->outputs.at(i).is_number;
}

std::string_view Scorer::id() const {
  return m_compiled->texts[m_compiled->id_slot];
}

std::size_t Scorer::slot(std::string_view variable) const {
  const auto found = m_compiled->slots.find(variable);
  if (found == m_compiled->slots.end()) {
    throw std::out_of_range("no variable " + std::string(variable));
  }
  return found->second;
}

double Scorer::number_at(std::size_t slot) const {
  return m_compiled->numbers.at(slot);
}

std::string_view Scorer::text_at(std::size_t slot) const {
  return m_compiled->texts.at(slot);
}

std::span<const double> Scorer::numbers() const {
  return m_compiled->numbers;
}

std::span<const std::string_view> Scorer::texts() const {
  return m_compiled->texts;
}

std::optional<std::size_t> Scorer::column_index(std::string_view variable) const {
  const auto found = m_compiled->slots.find(variable);
  if (found == m_compiled->slots.end() || found->second >= m_compiled->inputs.size()) {
    return std::nullopt;
  }
  return m_compiled->inputs[found->second].field;
}

std::uint32_t Scorer::visit_mask_at(std::size_t slot) const {
  return m_compiled->visit_masks.at(slot);
}

}  // namespace engine
