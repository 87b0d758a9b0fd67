// Tested by tests/unit/test_explain.cpp.
// Text puts each step on two lines (title and value, then what it read and
// matched) because one line cannot hold the rule set's longest titles and its
// inputs within 100 columns; a detail that would pass 100 columns breaks
// between values, never inside a formula. JSON carries the same fields, with
// numbers as numbers, and the deciding sentence so tools need not rebuild it.
#include <engine/explain_report.hpp>
#include <engine/score_job.hpp>
#include <engine/text.hpp>
#include <engine/text_table.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace engine {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t k_width = 100;
constexpr std::string_view k_detail_indent = "      ";

// Display width of UTF-8 text: code points, not bytes.
std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string padded(const std::string& text, std::size_t width) {
  const std::size_t w = display_width(text);
  return w >= width ? text : text + std::string(width - w, ' ');
}

// "read Referral Source 'ICB', table 'sdec_sources' entry 'ICB'": values read
// from the file are quoted as written; values of earlier steps are not.
std::string read_text(const StepExplanation& step) {
  const ValueRead& read = step.reads.front();
  const std::string value = read.from_column ? quote(read.value) : read.value;
  return "read " + read.label + " " + value + ", " + step.matched;
}

// A formula and the values it used, as lines of at most k_width columns where
// possible: the expression whole, then "with a = 1, b = 2" broken between values.
// The first line starts with `prefix`, the others with `indent`.
std::vector<std::string> formula_lines(const StepExplanation& step, const std::string& prefix,
                                       const std::string& indent) {
  std::vector<std::string> values;
  for (const auto& read : step.reads) {
    values.push_back(read.variable + " = " + read.value);
  }
  const std::string first = prefix + step.expression;
  if (values.empty()) {
    return {first};
  }
  const std::string all = ", with " + join(values);
  if (display_width(first) + display_width(all) <= k_width) {
    return {first + all};
  }
  std::vector<std::string> lines{first + ","};
  std::string line = indent + "with " + values.front();
  for (std::size_t i = 1; i < values.size(); ++i) {
    if (display_width(line) + 2 + display_width(values[i]) > k_width) {
      lines.push_back(line + ",");
      line = indent + "     " + values[i];
    } else {
      line += ", " + values[i];
    }
  }
  lines.push_back(line);
  return lines;
}

// What a step read and matched, indented for the text report; `label` (an id
// and a colon, in a comparison) goes before the first line only.
std::vector<std::string> detail_lines(const StepExplanation& step, const std::string& label = "") {
  const std::string indent = std::string(k_detail_indent) + std::string(display_width(label), ' ');
  const std::string prefix = std::string(k_detail_indent) + label;
  if (step.kind == StepKind::formula) {
    return formula_lines(step, prefix, indent);
  }
  return {prefix + read_text(step)};
}

std::size_t title_width(const std::vector<StepExplanation>& steps) {
  std::size_t width = 0;
  for (const auto& step : steps) {
    width = std::max(width, display_width(step.title));
  }
  return width;
}

std::string steps_text(const std::vector<StepExplanation>& steps) {
  const std::size_t width = title_width(steps);
  std::string text;
  for (const auto& step : steps) {
    text += "  " + padded(step.title, width) + "  -> " + step.result + "\n";
    for (const auto& line : detail_lines(step)) {
      text += line + "\n";
    }
  }
  return text;
}

// "S002 ranks 1 of 33 with Prioritisation Score 21", or why it is not ranked.
std::string standing(const Explanation& e, const ReferralExplanation& r) {
  if (!r.scored) {
    return r.id + " cannot be scored, so it is not ranked; it is still waiting and needs attention";
  }
  return r.id + " ranks " + std::to_string(r.rank) + " of " + std::to_string(e.ranked) + " with " +
         e.score_title + " " + r.score_text;
}

std::string where_text(const Explanation& e, const ReferralExplanation& r) {
  std::string text = "line " + std::to_string(r.line) + " of " + e.input_name;
  if (!r.scored) {
    text += ": " + describe_problem(r.problem_column, r.problem_reason);
  }
  return text;
}

std::string same_id_notes(const ReferralExplanation& r) {
  std::string text;
  for (const auto& row : r.same_id_rows) {
    text += "  line " + std::to_string(row.line) + " also has id " + r.id +
            " and cannot be scored: " + describe_problem(row.column, row.reason) + "\n";
  }
  return text;
}

// A failed warning check: the referral is ranked, but its row needs a look.
std::string warning_notes(const ReferralExplanation& r, bool named) {
  std::string text;
  for (const auto& warning : r.warnings) {
    text += "  " + (named ? r.id + " " : std::string()) +
            "warning: " + describe_problem(warning.column, warning.reason) + "\n";
  }
  return text;
}

std::string unscorable_note(const Explanation& e) {
  if (e.unscorable == 0) {
    return {};
  }
  return "  " + std::to_string(e.unscorable) + (e.unscorable == 1 ? " row" : " rows") +
         " of the file cannot be scored: not ranked, still waiting, listed as needing "
         "attention\n";
}

std::string single_text(const Explanation& e, const Provenance& provenance) {
  const ReferralExplanation& r = e.referral;
  std::string text = standing(e, r) + "\n  " + where_text(e, r) + "\n  " + provenance.describe() +
                     "\n" + warning_notes(r, false) + same_id_notes(r) + unscorable_note(e) + "\n";
  if (!r.scored) {
    if (r.steps.empty()) {
      return text + "No step could be evaluated.\n";
    }
    text += "Steps evaluated before the problem:\n";
  }
  return text + steps_text(r.steps);
}

std::string shown_value(const std::string& value) {
  return value.empty() ? "-" : value;
}

std::string comparison_table(const Explanation& e) {
  TextTable table;
  table.add_row({"Step", e.referral.id, e.other->id});
  for (const auto& step : e.steps_compared) {
    table.add_row({step.title, shown_value(step.first), shown_value(step.second),
                   step.differs ? "differs" : ""});
  }
  return table.render("  ");
}

std::string differences_text(const Explanation& e) {
  const ReferralExplanation& a = e.referral;
  const ReferralExplanation& b = *e.other;
  std::string text;
  for (std::size_t i = 0; i < e.steps_compared.size(); ++i) {
    const StepComparison& step = e.steps_compared[i];
    if (!step.differs) {
      continue;
    }
    text += "  " + step.title + ": " + step.first + " against " + step.second + "\n";
    for (const ReferralExplanation* r : {&a, &b}) {
      for (const auto& line : detail_lines(r->steps[i], r->id + ": ")) {
        text += line + "\n";
      }
    }
  }
  return text.empty() ? text : "\nWhere they differ:\n" + text;
}

std::string direction(const KeyValue& key) {
  switch (key.kind) {
    case ValueKind::number:
      return key.descending ? "higher first" : "lower first";
    case ValueKind::date:
      return key.descending ? "later first" : "earlier first";
    case ValueKind::text:
      break;
  }
  return key.descending ? "Z to A" : "A to Z";
}

// "Prioritisation Score (21)", "A (1) and B (2)", "A (1), B (2) and C (3)".
std::string equal_keys(const std::vector<KeyValue>& keys) {
  std::string text;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i != 0) {
      text += i + 1 == keys.size() ? " and " : ", ";
    }
    text += keys[i].title + " (" + keys[i].value + ")";
  }
  return text;
}

// One line per referral of a pair; the file is named once, in the heading.
std::string pair_standing(const Explanation& e, const ReferralExplanation& r) {
  const std::string line = "line " + std::to_string(r.line);
  if (r.scored) {
    return "  " + standing(e, r) + " (" + line + ")\n";
  }
  return "  " + standing(e, r) + "\n    " + line + ": " +
         describe_problem(r.problem_column, r.problem_reason) + "\n";
}

std::string pair_text(const Explanation& e, const Provenance& provenance) {
  const ReferralExplanation& a = e.referral;
  const ReferralExplanation& b = *e.other;
  std::string text = a.id + " against " + b.id + ", in " + e.input_name + "\n" +
                     pair_standing(e, a) + pair_standing(e, b) + "  " + provenance.describe() +
                     "\n" + warning_notes(a, true) + warning_notes(b, true) + same_id_notes(a) +
                     same_id_notes(b) + unscorable_note(e);
  return text + "\n" + comparison_table(e) + differences_text(e) + "\n" + ranking_sentence(e) +
         "\n";
}

// Whole numbers as JSON integers (21, not 21.0), as the CSV output writes them.
Json json_number(double value) {
  constexpr double k_exact = 9007199254740992.0;  // 2^53: every integer below is a double
  if (std::trunc(value) == value && std::fabs(value) < k_exact) {
    return Json(static_cast<std::int64_t>(value));
  }
  return Json(value);
}

Json number_or_text(const std::string& text, ValueKind kind) {
  const auto number = kind == ValueKind::number ? parse_number(text) : std::nullopt;
  return number ? json_number(*number) : Json(text);
}

std::string_view kind_name(StepKind kind) {
  switch (kind) {
    case StepKind::days_since:
      return "days_since";
    case StepKind::lookup:
      return "lookup";
    case StepKind::band:
      return "band";
    case StepKind::formula:
      break;
  }
  return "formula";
}

Json step_json(const StepExplanation& step) {
  Json reads = Json::array();
  for (const auto& read : step.reads) {
    reads.push_back({{"variable", read.variable},
                     {"label", read.label},
                     {"value", read.value},
                     {"from_column", read.from_column}});
  }
  Json json{{"name", step.name}, {"title", step.title}, {"kind", kind_name(step.kind)}};
  json["reads"] = std::move(reads);
  if (step.kind == StepKind::formula) {
    json["expression"] = step.expression;
  }
  json["matched"] = step.matched;
  json["result"] = step.number ? json_number(*step.number) : Json(step.result);
  return json;
}

Json key_json(const KeyValue& key) {
  return {{"key", key.key}, {"title", key.title}, {"value", number_or_text(key.value, key.kind)}};
}

Json referral_json(const ReferralExplanation& r) {
  Json json{{"id", r.id}, {"line", r.line}, {"scored", r.scored}};
  json["rank"] = r.scored ? Json(r.rank) : Json(nullptr);
  json["score"] = r.scored ? json_number(r.score) : Json(nullptr);
  json["problem"] =
      r.scored ? Json(nullptr) : Json{{"column", r.problem_column}, {"reason", r.problem_reason}};
  json["keys"] = Json::array();
  for (const auto& key : r.keys) {
    json["keys"].push_back(key_json(key));
  }
  json["steps"] = Json::array();
  for (const auto& step : r.steps) {
    json["steps"].push_back(step_json(step));
  }
  json["warnings"] = Json::array();
  for (const auto& warning : r.warnings) {
    json["warnings"].push_back({{"column", warning.column}, {"reason", warning.reason}});
  }
  json["same_id_rows"] = Json::array();
  for (const auto& row : r.same_id_rows) {
    json["same_id_rows"].push_back(
        {{"line", row.line}, {"column", row.column}, {"reason", row.reason}});
  }
  return json;
}

Json ranking_json(const Explanation& e) {
  if (!e.ranking) {
    return nullptr;
  }
  const RankingComparison& r = *e.ranking;
  Json json{{"first_ranks_higher", r.first_ranks_higher}};
  const std::size_t equal = r.decided_by_key ? r.first_keys.size() - 1 : r.first_keys.size();
  json["equal_keys"] = Json::array();
  for (std::size_t i = 0; i < equal; ++i) {
    json["equal_keys"].push_back(key_json(r.first_keys[i]));
  }
  // Input position decides only when every key is equal: the lines compared.
  json["decided_by"] = {{"key", nullptr},
                        {"title", "position in the file"},
                        {"first", e.referral.line},
                        {"second", e.other->line}};
  if (r.decided_by_key) {
    const KeyValue& first = r.first_keys.back();
    json["decided_by"] = {{"key", first.key},
                          {"title", first.title},
                          {"first", number_or_text(first.value, first.kind)},
                          {"second", number_or_text(r.second_keys.back().value, first.kind)}};
  }
  json["sentence"] = ranking_sentence(e);
  return json;
}

Json comparison_json(const Explanation& e) {
  Json steps = Json::array();
  for (const auto& step : e.steps_compared) {
    steps.push_back({{"title", step.title},
                     {"first", step.first},
                     {"second", step.second},
                     {"differs", step.differs}});
  }
  return steps;
}

}  // namespace

std::string ranking_sentence(const Explanation& e) {
  if (!e.other) {
    return {};
  }
  const ReferralExplanation& a = e.referral;
  const ReferralExplanation& b = *e.other;
  if (!e.ranking) {
    const std::string& id = a.scored ? b.id : a.id;
    return "No ranking comparison: " + id + " cannot be scored, so it is not ranked.";
  }
  const RankingComparison& r = *e.ranking;
  std::string text =
      a.id + (r.first_ranks_higher ? " ranks above " : " ranks below ") + b.id + ": ";
  if (!r.decided_by_key) {
    return text + "equal " + equal_keys(r.first_keys) +
           "; decided by position in the file, earlier first: line " + std::to_string(a.line) +
           " against line " + std::to_string(b.line) + ".";
  }
  const std::vector<KeyValue> equal(r.first_keys.begin(), r.first_keys.end() - 1);
  if (!equal.empty()) {
    text += "equal " + equal_keys(equal) + "; ";
  }
  const KeyValue& key = r.first_keys.back();
  return text + "decided by " + key.title + ", " + direction(key) + ": " + key.value + " against " +
         r.second_keys.back().value + ".";
}

std::string format_explanation_text(const Explanation& explanation, const Provenance& provenance) {
  return explanation.other ? pair_text(explanation, provenance)
                           : single_text(explanation, provenance);
}

std::string format_explanation_json(const Explanation& e, const Provenance& provenance) {
  Json json = Json::parse("{" + provenance.json_members() + "}");
  json["ranked"] = e.ranked;
  json["unscorable"] = e.unscorable;
  json["score_title"] = e.score_title;
  json["referral"] = referral_json(e.referral);
  if (e.other) {
    json["vs"] = referral_json(*e.other);
    json["steps_compared"] = comparison_json(e);
    json["ranking"] = ranking_json(e);
  }
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace engine
