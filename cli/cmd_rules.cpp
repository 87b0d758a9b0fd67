// reablement rules check|show|export: validate and print rule files.
#include <cli/commands.hpp>
#include <cli/common.hpp>
#include <cli/exit_status.hpp>
#include <engine/rule_report.hpp>

#include <iostream>

namespace cli {

namespace {

constexpr std::string_view k_usage =
    "reablement rules check FILE | rules show [FILE] | rules export\n\n"
    "  check FILE   validate a rule file; print every problem with file:line:column\n"
    "  show [FILE]  print the effective rules readably (default: the built-in rules),\n"
    "               with the rule set's name, version and SHA-256 content hash\n"
    "  export       print the built-in rule file, a starting point for a new one";

}  // namespace

int run_rules(std::span<const std::string> args) {
  std::string action;
  std::string file;
  po::options_description description("rules options");
  description.add_options()                                                          //
      ("action", po::value(&action)->value_name("ACTION"), "check, show or export")  //
      ("file", po::value(&file)->value_name("FILE"), "rule file");
  add_common_options(description);
  po::positional_options_description positional;
  positional.add("action", 1).add("file", 1);
  po::variables_map values;
  if (!parse_command_line(args, description, positional, k_usage, values)) {
    return k_exit_ok;
  }
  if (action == "export" && file.empty()) {
    std::cout << engine::default_rules_text();
    return k_exit_ok;
  }
  if (action == "check" && !file.empty()) {
    std::cout << engine::summarise_rules(engine::load_rules_file(file)) << "ok\n";
    return k_exit_ok;
  }
  if (action == "show") {
    const auto rules = file.empty() ? engine::default_rules() : engine::load_rules_file(file);
    std::cout << engine::describe_rules(rules);
    return k_exit_ok;
  }
  throw UsageError(action.empty() ? "rules: expected check, show or export"
                                  : "rules: expected 'check FILE', 'show [FILE]' or 'export', "
                                    "not '" +
                                        action + (file.empty() ? "" : " " + file) + "'");
}

}  // namespace cli
