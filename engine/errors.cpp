#include <engine/errors.hpp>

namespace engine {

std::string SourceLocation::to_string() const {
  std::string text = file;
  if (line != 0) {
    text += ':' + std::to_string(line);
    if (column != 0) {
      text += ':' + std::to_string(column);
    }
  }
  return text;
}

namespace {

std::string with_location(const SourceLocation& location, const std::string& message) {
  std::string where = location.to_string();
  return where.empty() ? message : where + ": " + message;
}

}  // namespace

Error::Error(SourceLocation location, const std::string& message)
    : std::runtime_error(with_location(location, message)),
      m_location(std::move(location)),
      m_message(message) {}

namespace {

std::string rest_of_diagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string text = diagnostics.empty() ? std::string() : diagnostics.front().message;
  for (std::size_t i = 1; i < diagnostics.size(); ++i) {
    text += '\n' + with_location(diagnostics[i].location, diagnostics[i].message);
  }
  return text;
}

}  // namespace

RuleError::RuleError(std::vector<Diagnostic> diagnostics)
    : Error(diagnostics.empty() ? SourceLocation{} : diagnostics.front().location,
            rest_of_diagnostics(diagnostics)),
      m_diagnostics(std::move(diagnostics)) {}

RuleError::RuleError(SourceLocation location, const std::string& message)
    : Error(location, message), m_diagnostics{{std::move(location), message}} {}

}  // namespace engine
