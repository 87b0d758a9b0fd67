// Why a referral ranks where it does: every step of its score (what it read,
// the table entry or band it matched, the value it produced), its rank on the
// day's list, and, against a second referral, where the two differ and which
// ranking key put one above the other.
#pragma once

#include <engine/csv_reader.hpp>
#include <engine/date.hpp>
#include <engine/rule_set.hpp>
#include <engine/scorer.hpp>

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace engine {

struct ExplainRequest {
  const RuleSet* rules = nullptr;  // required
  Date as_of;
  std::string input_name = "<stdin>";  // for messages
  CsvOptions csv;
  std::string id;  // the referral to explain
  std::string vs;  // a second referral to compare it with; none when empty
};

// How a value compares and reads: a number, a date (shown as written) or a text.
enum class ValueKind { number, date, text };

// One value a step read: an input column (label = the column's header) or a
// variable (label = its step title, or the constant's name).
struct ValueRead {
  std::string variable;
  std::string label;
  std::string value;
  bool from_column = false;
};

struct StepExplanation {
  std::string name;   // the variable the step defines
  std::string title;  // the rule set's words for it
  StepKind kind = StepKind::formula;
  // What it read: the input of a days_since, lookup or band step; for a formula,
  // each variable and constant its expression names, in order of appearance.
  std::vector<ValueRead> reads;
  std::string expression;        // formula steps only
  std::string matched;           // "table 'sdec_sources' entry 'URTS'", "band 1-14 of ..."
  std::string result;            // the value produced, as output shows it
  std::optional<double> number;  // the same, when it is a number
};

// Another row of the file with the same id, which could not be scored.
struct SameIdRow {
  std::size_t line = 0;
  std::string column;
  std::string reason;
};

// A ranking key's value for one referral, as shown to people.
struct KeyValue {
  std::string key;    // "days_waiting desc", as the rule set writes it
  std::string title;  // "Days Waiting": a step's title or an input's column
  ValueKind kind = ValueKind::number;
  bool descending = false;
  std::string value;
};

struct ReferralExplanation {
  std::string id;
  std::size_t line = 0;
  bool scored = false;
  std::size_t rank = 0;  // 1-based, of Explanation::ranked; 0 when not scored
  double score = 0;
  std::string score_text;
  std::vector<KeyValue> keys;  // one per ranking key, when scored
  // Every step when scored; otherwise those evaluated before the problem.
  std::vector<StepExplanation> steps;
  std::string problem_column;  // when not scored: why (the column may be empty)
  std::string problem_reason;
  std::vector<SameIdRow> same_id_rows;  // further rows with this id, none scored
  std::vector<RowProblem> warnings;     // failed warning checks (it was still scored)
};

// One step of two referrals side by side. A value is empty when the step was
// not evaluated (a referral that cannot be scored).
struct StepComparison {
  std::string title;
  std::string first;
  std::string second;
  bool differs = false;
};

// Why one of two scored referrals ranks above the other.
struct RankingComparison {
  bool first_ranks_higher = false;
  // The keys compared, in order: every one equal except the last when a key
  // decided; all of them (all equal) when input position decided.
  std::vector<KeyValue> first_keys;
  std::vector<KeyValue> second_keys;
  bool decided_by_key = false;  // false: every key equal, input position decided
};

struct Explanation {
  std::string input_name;
  std::size_t ranked = 0;      // referrals on the list (scored)
  std::size_t unscorable = 0;  // rows that could not be scored (not ranked, still waiting)
  std::string score_title;     // "Prioritisation Score"
  ReferralExplanation referral;
  std::optional<ReferralExplanation> other;    // with ExplainRequest::vs
  std::vector<StepComparison> steps_compared;  // with vs: one per step of the rule set
  std::optional<RankingComparison> ranking;    // with vs, when both are scored
};

// Reads the whole referral file from `input`, ranks it and explains the
// requested referral(s). Throws InputError as read_waiting_list does, and
// InputError (at the file) when an id names no row, with a did-you-mean over
// the file's ids; ConfigError when id is empty or both ids are the same.
Explanation explain_referral(const ExplainRequest& request, std::istream& input);

}  // namespace engine
