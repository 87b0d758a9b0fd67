// reablement score: batch-score a referral CSV file (engine::score_referrals).
#include <cli/commands.hpp>
#include <cli/common.hpp>
#include <cli/exit_status.hpp>
#include <engine/score_job.hpp>

#include <spdlog/spdlog.h>

namespace cli {

namespace {

constexpr std::string_view k_usage =
    "reablement score INPUT [-o OUT] [--rules FILE] [--as-of DATE] [--format csv|json]\n"
    "                        [--rejects FILE] [--allow-rejects] [--delimiter C]\n\n"
    "Scores every referral in INPUT (a CSV file, or - for stdin) and writes each row's\n"
    "columns unchanged, in input order, followed by the rule set's score columns.\n"
    "Rows that cannot be scored are left out of the output and listed, with the reason,\n"
    "on stderr and in --rejects FILE.";

// Logging every rejected row of a badly broken file would drown the terminal.
constexpr std::size_t k_rejects_logged = 20;

struct ScoreOptions {
  std::string input;
  std::string output = "-";
  std::string format = "csv";
  std::string rejects;
  bool allow_rejects = false;
};

}  // namespace

int run_score(std::span<const std::string> args) {
  ScoreOptions options;
  po::options_description description("score options");
  description.add_options()  //
      ("output,o", po::value(&options.output)->value_name("OUT"),
       "output file (default: stdout)")                                                   //
      ("format", po::value(&options.format)->value_name("FMT"), "csv (default) or json")  //
      ("rejects", po::value(&options.rejects)->value_name("FILE"),
       "write rows that cannot be scored here, with row, column and reason")  //
      ("allow-rejects", po::bool_switch(&options.allow_rejects),
       "exit 0 even when rows were rejected");
  po::variables_map values;
  if (!parse_referral_command(args, description, options.input, false, k_usage, values)) {
    return k_exit_ok;
  }

  const engine::RuleSet rules = chosen_rules(values);
  engine::ScoreRequest request;
  request.rules = &rules;
  request.as_of = chosen_as_of(values);
  request.format = parse_output_format(options.format, {"csv", "json"}) == OutputFormat::json
                       ? engine::OutputFormat::json
                       : engine::OutputFormat::csv;
  request.csv = chosen_csv_options(values);
  std::size_t logged = 0;
  InputSource input(options.input);
  request.input_name = input.name();
  // Rows are named by line and id only: never by a name, address or free text.
  request.on_reject = [&logged, &input](const engine::RejectedRow& row) {
    if (++logged <= k_rejects_logged) {
      spdlog::warn("{}:{}: rejected{}: {}", input.name(), row.line,
                   row.id.empty() ? "" : " (id " + row.id + ")", engine::describe_problem(row));
    } else if (logged == k_rejects_logged + 1) {
      spdlog::warn("more rows rejected; only the first {} are listed here", k_rejects_logged);
    }
  };
  std::size_t warned = 0;
  request.on_warning = [&warned, &input](const engine::RejectedRow& row) {
    if (++warned <= k_rejects_logged) {
      spdlog::warn("{}:{}: warning (id {}): {}", input.name(), row.line, row.id,
                   engine::describe_problem(row));
    }
  };
  // Written while every core scores: left in the page cache, as `cat` leaves
  // a copy (see engine::AtomicOutputFile::Caching).
  OutputTarget output(options.output, options.input, engine::AtomicOutputFile::Caching::kept);
  std::optional<OutputTarget> rejects;
  if (!options.rejects.empty()) {
    rejects.emplace(options.rejects, options.input);
  }
  spdlog::info("scoring {} with rule set {} as of {}", input.name(), rules.identity(),
               engine::to_iso(request.as_of));
  request.threads = chosen_threads(values);
  ProgressLine progress("scoring", input.name());
  request.on_progress = progress.callback();
  std::ostream* rejects_stream = rejects ? &rejects->stream() : nullptr;
  const auto report = input.read_with([&](auto& in) {
    return engine::score_referrals(request, in, output.stream(), rejects_stream);
  });
  output.commit();
  if (rejects) {
    rejects->commit();
  }
  const std::string where = rejects ? " (see " + rejects->name() + ")" : "";
  spdlog::info("{} rows read, {} scored, {} rejected{}{}", report.rows_read, report.scored,
               report.rejected, report.rejected == 0 ? "" : where,
               report.warnings == 0 ? "" : ", " + std::to_string(report.warnings) + " warnings");
  spdlog::debug(
      "{} rows scanned for blocks and repeated ids in {:.2f} s, scored and written in "
      "{:.2f} s",
      report.rows_read, report.timings.scan, report.timings.score);
  return report.rejected == 0 || options.allow_rejects ? k_exit_ok : k_exit_rows_rejected;
}

}  // namespace cli
