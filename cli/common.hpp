// What every subcommand shares: logging options, the rule set and as-of date
// options, and opening inputs and outputs ("-" for stdin/stdout).
#pragma once

#include <engine/csv_reader.hpp>
#include <engine/date.hpp>
#include <engine/file_io.hpp>
#include <engine/mapped_file.hpp>
#include <engine/rule_set.hpp>
#include <engine/score_job.hpp>
#include <engine/waiting_list.hpp>

#include <boost/program_options.hpp>

#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <istream>
#include <memory>
#include <optional>
#include <span>
#include <streambuf>
#include <string>

namespace cli {

namespace po = boost::program_options;

// A bad command line: printed with the command's usage, exit status 2.
class UsageError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Adds -v/--verbose, -q/--quiet and -h/--help.
void add_common_options(po::options_description& options);
// Adds --delimiter C, --max-field-bytes N and, for commands that hold the list
// in memory, --max-rows N.
void add_input_options(po::options_description& options, bool in_memory);
// The CSV options those flags chose.
engine::CsvOptions chosen_csv_options(const po::variables_map& values);

// Adds --rules FILE, --as-of DATE and --opel N.
void add_rule_options(po::options_description& options);

// Parses args against `options` and `positional`; throws UsageError. Applies -v/-q.
// Returns false if --help was asked for (and the help has been printed).
bool parse_command_line(std::span<const std::string> args, const po::options_description& options,
                        const po::positional_options_description& positional,
                        std::string_view usage, po::variables_map& values);

// For the commands that read a referral file: adds INPUT (the one positional
// argument, required) and the input, rule and common options to `description`,
// then parses as parse_command_line does. `in_memory`: the command holds the
// list in memory, so it also takes --max-rows.
bool parse_referral_command(std::span<const std::string> args, po::options_description& description,
                            std::string& input, bool in_memory, std::string_view usage,
                            po::variables_map& values);

// The rule set chosen by --rules (or the built-in default), with the overrides
// of the OPEL level chosen by --opel applied.
engine::RuleSet chosen_rules(const po::variables_map& values);

// How a report is printed.
enum class OutputFormat { table, text, csv, json };
// Parses --format against the formats a command offers; throws UsageError.
OutputFormat parse_output_format(const std::string& text,
                                 std::initializer_list<std::string_view> allowed);

// Warns, by row and id only, about each referral that could not be scored.
void log_unscorable(const engine::WaitingList& list);
// The date chosen by --as-of, or today.
engine::Date chosen_as_of(const po::variables_map& values);

// An opened input: a regular file, mapped into memory (and read by several
// threads); or stdin for "-", or a pipe, read as a stream.
class InputSource {
 public:
  explicit InputSource(const std::string& path);
  // The mapped file's bytes, or null for a stream.
  const engine::InputBytes* bytes() const { return m_mapped ? &m_bytes : nullptr; }
  std::istream& stream() { return *m_stream; }
  const std::string& name() const { return m_name; }
  // Calls `read` with the mapped bytes, or else with the stream: the engine's
  // readers have an overload for each.
  template <typename Read>
  decltype(auto) read_with(Read&& read) {
    return bytes() != nullptr ? read(*bytes()) : read(stream());
  }

 private:
  // The mapped bytes as a stream, for the commands that read one.
  struct MemoryBuffer : std::streambuf {
    explicit MemoryBuffer(std::string_view bytes) {
      char* begin = const_cast<char*>(bytes.data());
      setg(begin, begin, begin + bytes.size());
    }
  };
  std::optional<engine::MappedFile> m_mapped;
  engine::InputBytes m_bytes;
  std::unique_ptr<MemoryBuffer> m_memory;
  std::unique_ptr<std::istream> m_owned;
  std::istream* m_stream;
  std::string m_name;
};

// The --threads the command line asked for (0: one per core).
unsigned chosen_threads(const po::variables_map& values);

// Shows a long run's progress on stderr ("12,000,000 rows (45%)"), redrawn at
// most four times a second, when stderr is a terminal and not --quiet; else
// does nothing. The line is cleared when the run ends.
class ProgressLine {
 public:
  ProgressLine(std::string verb, std::string source);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  void update(const engine::Progress& progress);
  // update() as a request's on_progress.
  std::function<void(const engine::Progress&)> callback() {
    return [this](const engine::Progress& progress) { update(progress); };
  }

 private:
  std::string m_prefix;
  bool m_enabled = false;
  bool m_shown = false;
  long long m_last_ms = 0;
};

// An output: a file written atomically, or stdout for "-".
class OutputTarget {
 public:
  // Throws ConfigError if `path` is the input file itself.
  OutputTarget(
      const std::string& path, const std::string& input_path,
      engine::AtomicOutputFile::Caching caching = engine::AtomicOutputFile::Caching::around);
  std::ostream& stream();
  // Makes a file output appear (rename into place); flushes stdout.
  void commit();
  const std::string& name() const { return m_name; }

 private:
  std::optional<engine::AtomicOutputFile> m_file;
  std::string m_name;
};

}  // namespace cli
