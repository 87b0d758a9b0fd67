// The engine's error types. Every error carries where it happened (file, line,
// column) so the message a user sees points at the exact place to fix.
// The CLI catches engine::Error once, in main, and maps it to an exit status.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

// Where in a source (a CSV file, a rule file) something is. line and column are
// 1-based; 0 means "not known" and is left out of the rendered text.
struct SourceLocation {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;

  // "file:line:column", "file:line" or "file", whichever parts are known.
  std::string to_string() const;
};

// Base of every error the engine raises: what() is "location: message".
class Error : public std::runtime_error {
 public:
  Error(SourceLocation location, const std::string& message);

  const SourceLocation& location() const { return m_location; }
  // The message without the location prefix.
  const std::string& message() const { return m_message; }

 private:
  SourceLocation m_location;
  std::string m_message;
};

// Bad input data as a whole: a CSV file that cannot be read (unterminated quote,
// missing required column, empty file). Row-level problems are rejects, not errors.
class InputError : public Error {
  using Error::Error;
};

// One problem found in a rule file.
struct Diagnostic {
  SourceLocation location;
  std::string message;
};

// A rule file (or a capacity file, also TOML) that does not load: syntax, unknown
// keys, bad bands, formulas, unknown visit slots.
// Loading reports every problem at once; what() lists them one per line.
class RuleError : public Error {
 public:
  explicit RuleError(std::vector<Diagnostic> diagnostics);
  RuleError(SourceLocation location, const std::string& message);

  const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }

 private:
  std::vector<Diagnostic> m_diagnostics;
};

// A request the engine cannot carry out as asked: a file that cannot be opened
// or written, an as-of date that does not parse.
class ConfigError : public Error {
  using Error::Error;
};

}  // namespace engine
