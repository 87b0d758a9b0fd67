// reablement explain: why a referral ranks where it does (engine::explain_referral,
// rendered by engine/explain_report).
#include <cli/commands.hpp>
#include <cli/common.hpp>
#include <cli/exit_status.hpp>
#include <engine/explain.hpp>
#include <engine/explain_report.hpp>
#include <engine/provenance.hpp>

#include <iostream>

namespace cli {

namespace {

constexpr std::string_view k_usage =
    "reablement explain INPUT --id ID [--vs ID2] [--rules FILE] [--as-of DATE]\n"
    "                          [--format text|json]\n\n"
    "Shows how referral ID was scored, step by step in the rule set's words (what each\n"
    "step read, the table entry or band it matched, the value it produced), and where it\n"
    "ranks on the list in INPUT. With --vs, compares it with referral ID2 step by step\n"
    "and says which ranking key put one above the other.";

struct ExplainOptions {
  std::string input;
  std::string id;
  std::string vs;
  std::string format = "text";
};

}  // namespace

int run_explain(std::span<const std::string> args) {
  ExplainOptions options;
  po::options_description description("explain options");
  description.add_options()                                                                      //
      ("id", po::value(&options.id)->required()->value_name("ID"), "the referral to explain")    //
      ("vs", po::value(&options.vs)->value_name("ID2"), "a second referral to compare it with")  //
      ("format", po::value(&options.format)->value_name("FMT"), "text (default) or json");
  po::variables_map values;
  if (!parse_referral_command(args, description, options.input, true, k_usage, values)) {
    return k_exit_ok;
  }
  const OutputFormat format = parse_output_format(options.format, {"text", "json"});
  if (!options.vs.empty() && options.vs == options.id) {
    throw UsageError("--vs: give a different referral from --id, not '" + options.vs + "' again");
  }
  const engine::RuleSet rules = chosen_rules(values);
  engine::ExplainRequest request;
  request.rules = &rules;
  request.as_of = chosen_as_of(values);
  request.id = options.id;
  request.vs = options.vs;
  request.csv = chosen_csv_options(values);
  InputSource input(options.input);
  request.input_name = input.name();

  const auto explanation = engine::explain_referral(request, input.stream());
  const auto provenance = engine::make_provenance(rules, request.as_of, input.name(), nullptr);
  std::cout << (format == OutputFormat::json
                    ? engine::format_explanation_json(explanation, provenance)
                    : engine::format_explanation_text(explanation, provenance));
  std::cout.flush();
  return k_exit_ok;
}

}  // namespace cli
