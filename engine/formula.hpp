// A score formula compiled once (muparser) and evaluated per row against
// variables bound by address. Like RE2, a Formula that fails to compile is
// still an object: ok() says so, and error()/error_position()/error_token()
// say what and where, so the rule loader can report every bad formula at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

struct FormulaVariable {
  std::string name;
  double* address = nullptr;  // read at each evaluate()
};

// A variable that only ever holds one of a few numbers (a lookup's, a band's),
// and where a row's choice is found: `values[*position]` is its value.
struct FormulaDomain {
  const double* address = nullptr;  // as bound in a FormulaVariable
  std::vector<double> values;
  const std::uint32_t* position = nullptr;
};

struct FormulaConstant {
  std::string name;
  double value = 0;
};

class Formula {
 public:
  Formula(std::string_view expression, std::span<const FormulaVariable> variables,
          std::span<const FormulaConstant> constants);
  ~Formula();
  Formula(Formula&&) noexcept;
  Formula& operator=(Formula&&) noexcept;

  bool ok() const { return m_error.empty(); }
  // What is wrong, in words ("unknown variable 'x'"); empty when ok().
  const std::string& error() const { return m_error; }
  // Offset of the problem in the expression (0-based).
  std::size_t error_position() const { return m_error_position; }
  // The offending name or symbol, when there is one.
  const std::string& error_token() const { return m_error_token; }

  // Evaluates with the variables' current values. Requires ok(). Not for two
  // threads at once: muparser's evaluation, and the results it keeps by the
  // variables' values, are the object's own state (each thread compiles its own).
  double evaluate() const;
  // The names of the variables the expression reads, sorted. Requires ok().
  std::vector<std::string> variables_used() const;

  // Works the formula out once for each combination of its variables' values,
  // when every variable it reads has a domain here and there are at most
  // `max_cells` combinations; evaluate() then reads the answer from that table
  // by the variables' positions, and their values are not read. Returns
  // whether it did. Requires ok().
  bool tabulate(std::span<const FormulaDomain> domains, std::size_t max_cells);
  // With a table: the values the formula can give, each once, and the
  // position among them of what evaluate() gives now, so that a formula's
  // result can be another one's domain.
  std::span<const double> tabulated_values() const;
  std::uint32_t tabulated_position() const;

 private:
  void set_error(std::string message, std::size_t position, std::string token);

  struct Impl;
  std::unique_ptr<Impl> m_impl;
  std::string m_error;
  std::size_t m_error_position = 0;
  std::string m_error_token;
};

}  // namespace engine
