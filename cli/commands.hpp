// The table of subcommands: it drives dispatch, `help` and "did you mean".
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace cli {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(std::span<const std::string> args);
};

std::span<const Command> commands();

// Finds a command by name; nullptr if there is none.
const Command* find_command(std::string_view name);

// The program's overall help text.
std::string program_help();

int run_score(std::span<const std::string> args);
int run_rules(std::span<const std::string> args);
int run_rank(std::span<const std::string> args);
int run_summary(std::span<const std::string> args);
int run_explain(std::span<const std::string> args);

}  // namespace cli
