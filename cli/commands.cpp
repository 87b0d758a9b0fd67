#include <cli/commands.hpp>
#include <engine/text_table.hpp>

#include <array>

namespace cli {

namespace {

constexpr std::array k_commands{
    Command{"rank", "the pick-up list: ranked, matched against carer capacity", run_rank},
    Command{"summary", "the waiting-list snapshot: counts, hours, waits, beds, capacity",
            run_summary},
    Command{"explain", "every rule step behind one referral's score and rank (--vs B)",
            run_explain},
    Command{"score", "score every referral in a CSV file (batch, input order)", run_score},
    Command{"rules", "check, show or export a rule file", run_rules},
};

}  // namespace

std::span<const Command> commands() {
  return k_commands;
}

const Command* find_command(std::string_view name) {
  for (const auto& command : k_commands) {
    if (command.name == name) {
      return &command;
    }
  }
  return nullptr;
}

std::string program_help() {
  engine::TextTable table;
  for (const auto& command : k_commands) {
    table.add_row({std::string(command.name), std::string(command.summary)});
  }
  return "reablement: prioritise a home reablement waiting list with a published protocol\n\n"
         "usage: reablement COMMAND [OPTIONS] [ARGS]\n\ncommands:\n" +
         table.render("  ") +
         "\nRun 'reablement COMMAND --help' for a command's options.\n"
         "Options for every command: -v/--verbose (more detail on stderr), -q/--quiet (errors "
         "only).\n"
         "Exit status: 0 ok; 1 bad input or rule file; 2 bad command line; 3 output written but "
         "some rows rejected.\n";
}

}  // namespace cli
