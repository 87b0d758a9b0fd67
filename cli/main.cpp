// reablement: the command-line front end. It sets up logging, finds the
// subcommand in the table (cli/commands.cpp) and turns errors into exit statuses.
#include <cli/commands.hpp>
#include <cli/common.hpp>
#include <cli/exit_status.hpp>
#include <engine/errors.hpp>
#include <engine/rule_set.hpp>
#include <engine/text.hpp>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <vector>

namespace {

void set_up_logging() {
  auto logger = spdlog::stderr_logger_st("reablement");
  logger->set_pattern("%n: %l: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::info);
}

int dispatch(const std::vector<std::string>& args) {
  // Options may come before the command ("reablement -q score ..."): the first
  // argument that is not an option names the command; the rest go to it.
  std::vector<std::string> rest;
  std::string name;
  for (const auto& arg : args) {
    if (name.empty() && !arg.starts_with("-")) {
      name = arg;
    } else {
      rest.push_back(arg);
    }
  }
  if (name.empty() || name == "help") {
    if (name == "help" && !rest.empty()) {
      if (const auto* command = cli::find_command(rest.front())) {
        return command->run(std::vector<std::string>{"--help"});
      }
    }
    const bool asked =
        name == "help" || (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h"));
    if (!rest.empty() && rest[0] == "--version") {
      const auto& rules = engine::default_rules();
      std::cout << "reablement " << REABLEMENT_VERSION << " (built-in rules: " << rules.identity()
                << ")\n";
      return cli::k_exit_ok;
    }
    (asked ? std::cout : std::cerr) << cli::program_help();
    return asked ? cli::k_exit_ok : cli::k_exit_usage;
  }
  const auto* command = cli::find_command(name);
  if (command == nullptr) {
    std::vector<std::string> names;
    for (const auto& c : cli::commands()) {
      names.emplace_back(c.name);
    }
    throw cli::UsageError("unknown command " + engine::quote(name) +
                          engine::did_you_mean(name, names) +
                          "; run 'reablement --help' for the list");
  }
  return command->run(rest);
}

}  // namespace

int main(int argc, char** argv) {
  set_up_logging();
  try {
    return dispatch(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const cli::UsageError& error) {
    spdlog::error("{}", error.what());
    return cli::k_exit_usage;
  } catch (const engine::Error& error) {
    spdlog::error("{}", error.what());
    return cli::k_exit_error;
  } catch (const std::exception& error) {
    spdlog::critical("internal error: {}", error.what());
    return cli::k_exit_error;
  } catch (...) {
    // A library exception not derived from std::exception: still no crash.
    spdlog::critical("internal error: an unexpected exception");
    return cli::k_exit_error;
  }
}
