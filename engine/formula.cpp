// Tested by tests/unit/test_formula.cpp.
// muparser parses lazily, on the first Eval(); the constructor evaluates once so
// that every syntax error and unknown name surfaces at load time, not on row 1.
#include <engine/formula.hpp>

#include <muParser.h>

namespace engine {

struct Formula::Impl {
  mu::Parser parser;
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
    m_impl->parser.SetExpr(std::string(expression));
    m_impl->parser.Eval();
  } catch (const mu::Parser::exception_type& error) {
    m_error = describe_error(error);
    m_error_position = error.GetPos() < 0 ? 0 : static_cast<std::size_t>(error.GetPos());
    m_error_token = error.GetToken();
    if (m_error.empty()) {
      m_error = "invalid formula";
    }
  }
}

Formula::~Formula() = default;
Formula::Formula(Formula&&) noexcept = default;
Formula& Formula::operator=(Formula&&) noexcept = default;

double Formula::evaluate() const { return m_impl->parser.Eval(); }

}  // namespace engine
