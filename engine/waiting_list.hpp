// The waiting list in memory: every referral of a CSV file scored, with what
// pick-up lists, capacity and summaries need, and every row that could not be
// scored kept aside, so that nobody waiting is silently dropped.
#pragma once

#include <engine/csv_reader.hpp>
#include <engine/date.hpp>
#include <engine/rule_set.hpp>
#include <engine/score_job.hpp>

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace engine {

// One scored referral. Fields whose role the rule set does not name are empty or 0.
struct Referral {
  std::size_t line = 0;  // the line its record starts on
  std::string id;
  double score = 0;
  // One value per key of the rule set's ranking order: a number (numbers and
  // dates) or a text (everything else), whichever the key's variable holds.
  std::vector<double> key_numbers;
  std::vector<std::string> key_texts;
  std::string team;
  std::string source;
  std::string package;
  std::string contract;
  std::string wait_range;
  std::string care_type;
  std::uint32_t visit_slots = 0;  // bit i set: the rule set's visit slot i
  std::string visit_slots_text;   // "AM, Lunch, Tea, PM"
  bool double_handed = false;
  bool in_bed = false;
  double daily_hours = 0;
  double weekly_hours = 0;
  double days_waiting = 0;
};

// A row that could not be scored, with the team it names when that can be read.
struct UnscorableReferral {
  RejectedRow row;
  std::string team;
};

struct WaitingList {
  std::string source_name;
  std::vector<Referral> referrals;             // scored, in input order
  std::vector<UnscorableReferral> unscorable;  // "needs attention: cannot be scored"
  std::size_t rows_read = 0;                   // of the file, before any team filter
};

struct WaitingListRequest {
  const RuleSet* rules = nullptr;  // required
  Date as_of;
  std::string input_name = "<stdin>";
  CsvOptions csv;
  // Only this team's referrals (matched ignoring case and spaces); all when empty.
  std::string team;
};

// Reads and scores a referral file. Throws InputError as score_referrals does
// (no header, a required column missing, duplicated header names), and
// ConfigError if a team is asked for but the rule set names no team column.
WaitingList read_waiting_list(const WaitingListRequest& request, std::istream& input);

}  // namespace engine
