// reablement summary: the waiting-list snapshot a chief operating officer
// reviews (engine::summarise_waiting_list, rendered by engine/summary_report).
#include <cli/commands.hpp>
#include <cli/common.hpp>
#include <cli/exit_status.hpp>
#include <engine/capacity.hpp>
#include <engine/provenance.hpp>
#include <engine/ranking.hpp>
#include <engine/summary.hpp>
#include <engine/summary_report.hpp>
#include <engine/waiting_list.hpp>

#include <spdlog/spdlog.h>

#include <cmath>
#include <iostream>
#include <optional>

namespace cli {

namespace {

constexpr std::string_view k_usage =
    "reablement summary INPUT [--capacity FILE] [--pickups-per-week N] [--team T]\n"
    "                          [--format table|json] [--rules FILE] [--as-of DATE] [--opel 1-4]\n\n"
    "Summarises the waiting list in INPUT (a CSV file, or - for stdin): how many wait,\n"
    "how long and in which band, for how many hours of care, how many in hospital or\n"
    "care beds; with --capacity, visits needed against visits free and how many could be\n"
    "picked up now; with --pickups-per-week, the weeks the list would take to clear.\n"
    "Rows that cannot be scored are listed as needing attention.";

struct SummaryOptions {
  std::string input;
  std::string capacity;
  std::string team;
  std::string format = "table";
};

std::optional<double> chosen_pickups_per_week(const po::variables_map& values) {
  if (values.count("pickups-per-week") == 0) {
    return std::nullopt;
  }
  const double pickups = values["pickups-per-week"].as<double>();
  if (!(pickups > 0) || !std::isfinite(pickups)) {
    throw UsageError("--pickups-per-week: expected a number above 0");
  }
  return pickups;
}

}  // namespace

int run_summary(std::span<const std::string> args) {
  SummaryOptions options;
  po::options_description description("summary options");
  description.add_options()  //
      ("capacity", po::value(&options.capacity)->value_name("FILE"),
       "capacity file: visits free by team and slot")  //
      ("pickups-per-week", po::value<double>()->value_name("N"),
       "pick-ups a week, for the weeks the list would take to clear")        //
      ("team", po::value(&options.team)->value_name("T"), "only this team")  //
      ("format", po::value(&options.format)->value_name("FMT"), "table (default) or json");
  po::variables_map values;
  if (!parse_referral_command(args, description, options.input, true, k_usage, values)) {
    return k_exit_ok;
  }
  const OutputFormat format = parse_output_format(options.format, {"table", "json"});
  const std::optional<double> pickups_per_week = chosen_pickups_per_week(values);

  const engine::RuleSet rules = chosen_rules(values);
  engine::WaitingListRequest list_request;
  list_request.rules = &rules;
  list_request.as_of = chosen_as_of(values);
  list_request.team = options.team;
  list_request.csv = chosen_csv_options(values);
  InputSource input(options.input);
  list_request.input_name = input.name();
  std::optional<engine::CapacityPlan> capacity;
  if (!options.capacity.empty()) {
    capacity = engine::load_capacity_file(options.capacity, rules);
  }
  spdlog::info("summarising {} with rule set {} as of {}", input.name(), rules.identity(),
               engine::to_iso(list_request.as_of));
  list_request.threads = chosen_threads(values);
  const engine::WaitingList list =
      input.read_with([&](auto& in) { return engine::read_waiting_list(list_request, in); });
  // The order matters only for matching against capacity: no sort without it.
  const std::vector<std::size_t> order =
      capacity
          ? engine::rank_order(rules, list.referrals, engine::worker_threads(list_request.threads))
          : std::vector<std::size_t>();
  engine::SummaryRequest request;
  request.rules = &rules;
  request.list = &list;
  request.order = &order;
  request.capacity = capacity ? &*capacity : nullptr;
  request.team = options.team;
  request.pickups_per_week = pickups_per_week;
  const engine::Summary summary = engine::summarise_waiting_list(request);
  const engine::Provenance provenance =
      engine::make_provenance(rules, list_request.as_of, input.name(), request.capacity);
  std::cout << (format == OutputFormat::json ? engine::format_summary_json(summary, provenance)
                                             : engine::format_summary_table(summary, provenance));
  std::cout.flush();
  if (!options.team.empty() && list.referrals.empty() && list.unscorable.empty()) {
    spdlog::warn("no referral in {} is for team '{}'", input.name(), options.team);
  }
  // Like rank, a report that lists the rows it could not score is complete: exit 0.
  log_unscorable(list);
  return k_exit_ok;
}

}  // namespace cli
