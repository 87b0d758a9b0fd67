// A score formula compiled once (muparser) and evaluated per row against
// variables bound by address. Like RE2, a Formula that fails to compile is
// still an object: ok() says so, and error()/error_position()/error_token()
// say what and where, so the rule loader can report every bad formula at once.
#pragma once

#include <cstddef>
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

 private:
  void set_error(std::string message, std::size_t position, std::string token);

  struct Impl;
  std::unique_ptr<Impl> m_impl;
  std::string m_error;
  std::size_t m_error_position = 0;
  std::string m_error_token;
};

}  // namespace engine
