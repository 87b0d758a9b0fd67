// Tested by tests/unit/test_formula.cpp.
// muparser parses lazily, on the first Eval(); the constructor evaluates once so
// that every syntax error and unknown name surfaces at load time, not on row 1.
#include <engine/detail/value_memo.hpp>
#include <engine/formula.hpp>

#include <muParser.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <optional>
#include <vector>

namespace engine {

struct Formula::Impl {
  mu::Parser parser;
  // A formula is a pure function of the variables it reads (assignment is
  // refused at load time, and muparser's built-in functions are all pure), so
  // what it gave for their values is kept, for up to this many variables.
  static constexpr std::size_t k_memo_variables = 4;
  std::vector<double*> used;
  detail::ValueMemo<double, k_memo_variables> memo;
  // When tabulated: the cell of a combination is the sum of each variable's
  // position times its stride, and holds the position of its value.
  struct Table {
    std::vector<const std::uint32_t*> positions;
    std::vector<std::size_t> strides;
    std::vector<std::uint32_t> cells;
    std::vector<double> values;
    std::uint32_t position() const {
      std::size_t cell = 0;
      for (std::size_t i = 0; i < positions.size(); ++i) {
        cell += *positions[i] * strides[i];
      }
      return cells[cell];
    }
  };
  std::optional<Table> table;
};

namespace {

std::string describe_error(const mu::Parser::exception_type& error) {
  switch (error.GetCode()) {
    case mu::ecUNASSIGNABLE_TOKEN:
      return "unknown variable or function '" + error.GetToken() + "'";
    case mu::ecUNEXPECTED_EOF:
      return "the formula ends too early";
    case mu::ecMISSING_PARENS:
      return "a parenthesis is not closed";
    case mu::ecUNEXPECTED_PARENS:
      return "unexpected parenthesis";
    case mu::ecUNEXPECTED_ARG_SEP:
      return "unexpected comma";
    case mu::ecEMPTY_EXPRESSION:
      return "the formula is empty";
    default:
      break;
  }
  std::string message = error.GetMsg();
  // muparser ends its messages with " at position N." which we report as a column.
  if (const auto at = message.find(" at position"); at != std::string::npos) {
    message.erase(at);
  }
  if (!message.empty() && message.back() == '.') {
    message.pop_back();
  }
  if (!message.empty()) {
    message.front() = static_cast<char>(std::tolower(static_cast<unsigned char>(message.front())));
  }
  return message;
}

struct Problem {
  std::string message;
  std::size_t position;
  std::string token;
};

// muparser accepts two things a score formula must not hold: assignment
// ("los = 1" writes into the bound variable at every evaluation) and a
// comma-separated list ("los, 1" yields its last value). Both are caught here,
// before muparser sees the text.
std::optional<Problem> find_forbidden(std::string_view expression) {
  int depth = 0;
  for (std::size_t i = 0; i < expression.size(); ++i) {
    const char c = expression[i];
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == ',' && depth <= 0) {
      return Problem{"unexpected comma", i, ","};
    } else if (c == '=') {
      const char before = i > 0 ? expression[i - 1] : ' ';
      const char after = i + 1 < expression.size() ? expression[i + 1] : ' ';
      const bool comparison =
          after == '=' || before == '=' || before == '<' || before == '>' || before == '!';
      if (!comparison) {
        return Problem{"unexpected operator \"=\" found", i, "="};
      }
    }
  }
  return std::nullopt;
}

// The '(' that is never closed: the last one left open at the end.
std::size_t unclosed_parenthesis(std::string_view expression) {
  std::vector<std::size_t> open;
  for (std::size_t i = 0; i < expression.size(); ++i) {
    if (expression[i] == '(') {
      open.push_back(i);
    } else if (expression[i] == ')' && !open.empty()) {
      open.pop_back();
    }
  }
  return open.empty() ? expression.size() : open.back();
}

bool is_name_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

Problem problem_from(const mu::Parser::exception_type& error, std::string_view expression) {
  Problem problem{
      describe_error(error),
      std::min(static_cast<std::size_t>(std::max(error.GetPos(), 0)), expression.size()),
      error.GetToken()};
  if (error.GetCode() == mu::ecMISSING_PARENS) {
    problem.position = unclosed_parenthesis(expression);
    problem.token = "(";
  } else if (error.GetCode() == mu::ecUNASSIGNABLE_TOKEN && !problem.token.empty() &&
             !is_name_character(problem.token.front())) {
    // muparser's token here is the rest of the text ("% 2"); the symbol is its first character.
    problem.token = problem.token.substr(0, 1);
    problem.message = "unsupported symbol '" + problem.token + "'";
  } else if (error.GetCode() == mu::ecUNASSIGNABLE_TOKEN) {
    const auto end =
        std::find_if_not(problem.token.begin(), problem.token.end(), is_name_character);
    problem.token.erase(end, problem.token.end());
    problem.message = "unknown variable or function '" + problem.token + "'";
  }
  if (problem.message.empty()) {
    problem.message = "invalid formula";
  }
  return problem;
}

}  // namespace

Formula::Formula(std::string_view expression, std::span<const FormulaVariable> variables,
                 std::span<const FormulaConstant> constants)
    : m_impl(std::make_unique<Impl>()) {
  try {
    for (const auto& constant : constants) {
      m_impl->parser.DefineConst(constant.name, constant.value);
    }
    for (const auto& variable : variables) {
      m_impl->parser.DefineVar(variable.name, variable.address);
    }
    if (const auto forbidden = find_forbidden(expression)) {
      set_error(forbidden->message, forbidden->position, forbidden->token);
      return;
    }
    m_impl->parser.SetExpr(std::string(expression));
    int results = 0;
    m_impl->parser.Eval(results);
    if (results != 1) {
      set_error("a formula gives one value", 0, "");
      return;
    }
    for (const auto& [name, address] : m_impl->parser.GetUsedVar()) {
      m_impl->used.push_back(address);
    }
  } catch (const mu::Parser::exception_type& error) {
    const Problem problem = problem_from(error, expression);
    set_error(problem.message, problem.position, problem.token);
  }
}

void Formula::set_error(std::string message, std::size_t position, std::string token) {
  m_error = std::move(message);
  m_error_position = position;
  m_error_token = std::move(token);
}

Formula::~Formula() = default;
Formula::Formula(Formula&&) noexcept = default;
Formula& Formula::operator=(Formula&&) noexcept = default;

double Formula::evaluate() const {
  Impl& impl = *m_impl;
  if (impl.table) {
    return impl.table->values[impl.table->position()];
  }
  if (impl.used.size() > Impl::k_memo_variables) {
    return impl.parser.Eval();
  }
  return impl.memo.get(impl.memo.key_of(impl.used), [&] { return impl.parser.Eval(); });
}

bool Formula::tabulate(std::span<const FormulaDomain> domains, std::size_t max_cells) {
  Impl& impl = *m_impl;
  Impl::Table table;
  std::vector<const FormulaDomain*> chosen;  // each used variable's, in `used` order
  std::size_t cells = 1;
  for (const double* address : impl.used) {
    const auto domain = std::find_if(domains.begin(), domains.end(),
                                     [&](const FormulaDomain& d) { return d.address == address; });
    if (domain == domains.end() || domain->values.empty() ||
        domain->values.size() > max_cells / cells) {
      return false;
    }
    cells *= domain->values.size();
    chosen.push_back(&*domain);
    table.positions.push_back(domain->position);
  }
  table.strides.resize(chosen.size());
  std::size_t stride = 1;
  for (std::size_t i = chosen.size(); i-- > 0;) {
    table.strides[i] = stride;
    stride *= chosen[i]->values.size();
  }
  // Every combination in cell order, the variables set as a row would set
  // them; what they held before is put back after.
  std::vector<double> held;
  for (double* address : impl.used) {
    held.push_back(*address);
  }
  table.cells.reserve(cells);
  for (std::size_t cell = 0; cell < cells; ++cell) {
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      *impl.used[i] = chosen[i]->values[cell / table.strides[i] % chosen[i]->values.size()];
    }
    const double value = impl.parser.Eval();
    // Values are told apart by their bits, as the memo does: -0 and 0 (and
    // each NaN) stay what muparser gave.
    const auto same = std::find_if(table.values.begin(), table.values.end(), [&](double kept) {
      return std::bit_cast<std::uint64_t>(kept) == std::bit_cast<std::uint64_t>(value);
    });
    table.cells.push_back(static_cast<std::uint32_t>(same - table.values.begin()));
    if (same == table.values.end()) {
      table.values.push_back(value);
    }
  }
  for (std::size_t i = 0; i < impl.used.size(); ++i) {
    *impl.used[i] = held[i];
  }
  impl.table = std::move(table);
  return true;
}

std::span<const double> Formula::tabulated_values() const {
  return m_impl->table ? std::span<const double>(m_impl->table->values) : std::span<const double>();
}

std::uint32_t Formula::tabulated_position() const {
  return m_impl->table->position();
}

std::vector<std::string> Formula::variables_used() const {
  std::vector<std::string> names;
  for (const auto& [name, address] : m_impl->parser.GetUsedVar()) {
    names.push_back(name);
  }
  return names;
}

}  // namespace engine
