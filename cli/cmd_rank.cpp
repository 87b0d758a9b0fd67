// reablement rank: the team lead's pick-up list (engine::rank_waiting_list).
#include <cli/commands.hpp>
#include <cli/common.hpp>
#include <cli/exit_status.hpp>
#include <engine/pick_up_report.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>

namespace cli {

namespace {

constexpr std::string_view k_usage =
    "reablement rank INPUT [--team T] [--capacity FILE] [--policy fill|strict] [--opel 1-4]\n"
    "                       [--top N] [--format table|csv|json] [-o OUT]\n\n"
    "The ordered pick-up list, highest priority first, ties broken by the rule set's\n"
    "stated order. With --capacity, marks who can be picked up now and what blocks the\n"
    "rest: 'fill' skips a referral that does not fit and goes on down the list;\n"
    "'strict' stops at the first that does not fit, so nobody jumps the queue.\n"
    "Referrals that cannot be scored are listed under 'needs attention'.";

struct RankOptions {
  std::string input;
  std::string output = "-";
  std::string team;
  std::string capacity;
  std::string policy = "fill";
  std::string format = "table";
  std::size_t top = 0;
};

engine::CapacityPolicy parse_policy(const std::string& text) {
  if (text == "fill") {
    return engine::CapacityPolicy::fill;
  }
  if (text == "strict") {
    return engine::CapacityPolicy::strict;
  }
  throw UsageError("--policy: expected fill or strict, not '" + text + "'");
}

}  // namespace

int run_rank(std::span<const std::string> args) {
  RankOptions options;
  po::options_description description("rank options");
  description.add_options()                                                              //
      ("team", po::value(&options.team)->value_name("T"), "only this team's referrals")  //
      ("capacity", po::value(&options.capacity)->value_name("FILE"),
       "carer visits free per team and slot (TOML)")                                             //
      ("policy", po::value(&options.policy)->value_name("P"), "fill (default) or strict")        //
      ("top", po::value(&options.top)->value_name("N"), "show only the first N")                 //
      ("format", po::value(&options.format)->value_name("FMT"), "table (default), csv or json")  //
      ("output,o", po::value(&options.output)->value_name("OUT"), "output file (default: stdout)");
  po::variables_map values;
  if (!parse_referral_command(args, description, options.input, true, k_usage, values)) {
    return k_exit_ok;
  }
  const OutputFormat format = parse_output_format(options.format, {"table", "csv", "json"});
  const engine::RuleSet rules = chosen_rules(values);
  engine::RankRequest request;
  request.list.rules = &rules;
  request.list.as_of = chosen_as_of(values);
  request.list.team = options.team;
  request.list.csv = chosen_csv_options(values);
  request.policy = parse_policy(options.policy);
  std::optional<engine::CapacityPlan> capacity;
  if (!options.capacity.empty()) {
    capacity = engine::load_capacity_file(options.capacity, rules);
    request.capacity = &*capacity;
  }

  InputSource input(options.input);
  request.list.input_name = input.name();
  request.list.threads = chosen_threads(values);
  OutputTarget output(options.output, options.input);
  ProgressLine progress("ranking", input.name());
  request.list.on_progress = progress.callback();
  const auto ranked =
      input.read_with([&](auto& in) { return engine::rank_waiting_list(request, in); });
  const auto provenance =
      engine::make_provenance(rules, request.list.as_of, input.name(), request.capacity);
  const engine::PickUpReportOptions report{options.top, capacity.has_value(), request.policy,
                                           options.team, request.list.threads};
  const auto writing = std::chrono::steady_clock::now();
  if (format == OutputFormat::csv) {
    engine::write_pick_up_csv(output.stream(), ranked, provenance, report);
  } else if (format == OutputFormat::json) {
    output.stream() << engine::format_pick_up_json(rules, ranked, provenance, report);
  } else {
    output.stream() << engine::format_pick_up_table(rules, ranked, provenance, report);
  }
  output.commit();
  const std::chrono::duration<double> written = std::chrono::steady_clock::now() - writing;
  spdlog::debug(
      "{} rows read and scored in {:.2f} s, sorted in {:.2f} s, matched in {:.2f} s, "
      "written in {:.2f} s",
      ranked.list.rows_read, ranked.timings.read, ranked.timings.order, ranked.timings.plan,
      written.count());
  log_unscorable(ranked.list);
  return k_exit_ok;
}

}  // namespace cli
