#include <cli/common.hpp>
#include <engine/errors.hpp>
#include <engine/text.hpp>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>

namespace cli {

void add_common_options(po::options_description& options) {
  options.add_options()                       //
      ("help,h", "show this help")            //
      ("verbose,v", "more detail on stderr")  //
      ("quiet,q", "only errors on stderr");
}

// The most rows rank, summary and explain hold in memory unless told otherwise:
// well beyond any region's waiting list, well below what would exhaust memory.
constexpr std::size_t k_default_max_rows = 5'000'000;

void add_input_options(po::options_description& options, bool in_memory) {
  options.add_options()  //
      ("threads", po::value<unsigned>()->value_name("N"),
       "threads reading and scoring a file (default: one per core); the output is the same "
       "whatever N")  //
      ("delimiter", po::value<std::string>()->value_name("C"),
       "field separator: ',' (default), ';' or 'tab'")  //
      ("max-field-bytes", po::value<std::size_t>()->value_name("N"),
       "longest field accepted, in bytes (default 1048576)");
  if (in_memory) {
    options.add_options()(
        "max-rows", po::value<std::size_t>()->value_name("N")->default_value(k_default_max_rows),
        "most rows read");
  }
}

engine::CsvOptions chosen_csv_options(const po::variables_map& values) {
  engine::CsvOptions csv;
  if (values.count("delimiter") != 0) {
    const auto& text = values["delimiter"].as<std::string>();
    if (text == "tab" || text == "\\t" || text == "\t") {
      csv.delimiter = '\t';
    } else if (text.size() != 1 || text == "\"" || text == "\n" || text == "\r") {
      throw UsageError("--delimiter: expected one character such as ',' or ';', or 'tab'");
    } else {
      csv.delimiter = text[0];
    }
  }
  if (values.count("max-field-bytes") != 0) {
    csv.max_field_bytes = values["max-field-bytes"].as<std::size_t>();
    csv.max_record_bytes = std::max(csv.max_record_bytes, csv.max_field_bytes);
  }
  // Registered (with its default) only by the commands that hold the list in memory.
  if (values.count("max-rows") != 0) {
    csv.max_rows = values["max-rows"].as<std::size_t>();
  }
  return csv;
}

void add_rule_options(po::options_description& options) {
  options.add_options()  //
      ("rules", po::value<std::string>()->value_name("FILE"),
       "rule file (default: the built-in published protocol)")  //
      ("as-of", po::value<std::string>()->value_name("DATE"),
       "snapshot date, YYYY-MM-DD or DD/MM/YYYY (default: today)")  //
      ("opel", po::value<int>()->value_name("N"),
       "apply the rule set's overrides for system pressure level N (1-4)");
}

bool parse_command_line(std::span<const std::string> args, const po::options_description& options,
                        const po::positional_options_description& positional,
                        std::string_view usage, po::variables_map& values) {
  try {
    const std::vector<std::string> argv(args.begin(), args.end());
    po::store(po::command_line_parser(argv).options(options).positional(positional).run(), values);
    // --help wins over missing required options, so it is checked before notify().
    if (values.count("help") != 0) {
      std::cout << "usage: " << usage << "\n\n" << options;
      return false;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw UsageError(error.what());
  }
  if (values.count("quiet") != 0) {
    spdlog::set_level(spdlog::level::err);
  } else if (values.count("verbose") != 0) {
    spdlog::set_level(spdlog::level::debug);
  }
  return true;
}

bool parse_referral_command(std::span<const std::string> args, po::options_description& description,
                            std::string& input, bool in_memory, std::string_view usage,
                            po::variables_map& values) {
  description.add_options()("input", po::value(&input)->required()->value_name("INPUT"),
                            "referral CSV file, or - for stdin");
  add_input_options(description, in_memory);
  add_rule_options(description);
  add_common_options(description);
  po::positional_options_description positional;
  positional.add("input", 1);
  if (!parse_command_line(args, description, positional, usage, values)) {
    return false;
  }
  chosen_threads(values);  // a bad --threads is a usage error before any file is opened
  return true;
}

engine::RuleSet chosen_rules(const po::variables_map& values) {
  engine::RuleSet rules = values.count("rules") == 0
                              ? engine::default_rules()
                              : engine::load_rules_file(values["rules"].as<std::string>());
  if (values.count("opel") == 0) {
    return rules;
  }
  const int level = values["opel"].as<int>();
  if (level < 1 || level > 4) {
    throw UsageError("--opel: expected a level from 1 to 4, not " + std::to_string(level));
  }
  return engine::rules_for_opel(rules, level);
}

OutputFormat parse_output_format(const std::string& text,
                                 std::initializer_list<std::string_view> allowed) {
  static const std::map<std::string_view, OutputFormat> k_formats{{"table", OutputFormat::table},
                                                                  {"text", OutputFormat::text},
                                                                  {"csv", OutputFormat::csv},
                                                                  {"json", OutputFormat::json}};
  for (const auto name : allowed) {
    if (name == text) {
      return k_formats.at(name);
    }
  }
  std::vector<std::string> names(allowed.begin(), allowed.end());
  throw UsageError("--format: expected " + engine::join(names, ", ") + ", not '" + text + "'");
}

void log_unscorable(const engine::WaitingList& list) {
  for (const auto& u : list.unscorable) {
    spdlog::warn("{}:{}: cannot be scored{}: {}", list.source_name, u.row.line,
                 u.row.id.empty() ? "" : " (id " + u.row.id + ")", engine::describe_problem(u.row));
  }
}

engine::Date chosen_as_of(const po::variables_map& values) {
  if (values.count("as-of") == 0) {
    return engine::today();
  }
  const auto& text = values["as-of"].as<std::string>();
  const auto date = engine::parse_date(text);
  if (!date) {
    throw UsageError("--as-of: " + engine::quote(text) +
                     " is not a valid date (expected YYYY-MM-DD or DD/MM/YYYY)");
  }
  return *date;
}

unsigned chosen_threads(const po::variables_map& values) {
  if (values.count("threads") == 0) {
    return 0;
  }
  const unsigned threads = values["threads"].as<unsigned>();
  if (threads == 0 || threads > 256) {
    throw UsageError("--threads: expected a number from 1 to 256");
  }
  return threads;
}

InputSource::InputSource(const std::string& path) : m_stream(&std::cin), m_name("<stdin>") {
  if (path == "-") {
    return;
  }
  if (std::filesystem::is_directory(path)) {
    throw engine::ConfigError({path}, "is a directory, not a CSV file");
  }
  m_name = path;
  m_mapped = engine::MappedFile::open(path);
  if (m_mapped) {
    m_bytes = {m_mapped->bytes(), &*m_mapped};
    m_memory = std::make_unique<MemoryBuffer>(m_bytes.bytes);
    m_owned = std::make_unique<std::istream>(m_memory.get());
    m_stream = m_owned.get();
    return;
  }
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) {
    throw engine::ConfigError({path},
                              "cannot open for reading: " + std::string(std::strerror(errno)));
  }
  m_owned = std::move(file);
  m_stream = m_owned.get();
}

namespace {

long long now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// 12345678 -> "12,345,678".
std::string with_commas(std::size_t number) {
  std::string digits = std::to_string(number);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return digits;
}

}  // namespace

ProgressLine::ProgressLine(std::string verb, std::string source)
    : m_prefix("reablement: " + std::move(verb) + " " + std::move(source) + ": "),
      m_enabled(::isatty(STDERR_FILENO) == 1 && spdlog::should_log(spdlog::level::info)),
      m_last_ms(now_ms()) {}

ProgressLine::~ProgressLine() {
  if (m_shown) {
    std::cerr << "\r\033[K" << std::flush;  // clear the line for what follows
  }
}

void ProgressLine::update(const engine::Progress& progress) {
  if (!m_enabled) {
    return;
  }
  const long long now = now_ms();
  if (now - m_last_ms < 250) {
    return;
  }
  m_last_ms = now;
  std::string text = m_prefix + with_commas(progress.rows) + " rows";
  if (progress.bytes_total != 0) {
    text += " (" + std::to_string(progress.bytes_done * 100 / progress.bytes_total) + "%)";
  }
  std::cerr << "\r" << text << "\033[K" << std::flush;
  m_shown = true;
}

OutputTarget::OutputTarget(const std::string& path, const std::string& input_path,
                           engine::AtomicOutputFile::Caching caching)
    : m_name(path == "-" ? "<stdout>" : path) {
  if (path == "-") {
    return;
  }
  if (input_path != "-" && engine::same_file(path, input_path)) {
    throw engine::ConfigError({path}, "refusing to write over the input file");
  }
  m_file.emplace(path, caching);
}

std::ostream& OutputTarget::stream() {
  return m_file ? m_file->stream() : std::cout;
}

void OutputTarget::commit() {
  if (m_file) {
    m_file->commit();
    return;
  }
  std::cout.flush();
  if (!std::cout) {
    throw engine::ConfigError({"<stdout>"}, "could not write the output (closed pipe?)");
  }
}

}  // namespace cli
