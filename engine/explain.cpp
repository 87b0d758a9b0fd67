// Tested by tests/unit/test_explain.cpp.
// The input is read into memory once and gone over twice: read_waiting_list
// scores and ranks the whole list (so rank and tie-breaks are exactly those of
// every other report), then a second pass finds the requested rows by id and
// evaluates just those again with a trace. Everything shown is taken from the
// rule set and the scorer; nothing of a particular protocol is named here.
#include <engine/errors.hpp>
#include <engine/explain.hpp>
#include <engine/ranking.hpp>
#include <engine/scorer.hpp>
#include <engine/text.hpp>
#include <engine/waiting_list.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace engine {

namespace {

// A row of the file with a wanted id, copied out of the reader.
struct RawRow {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

// The file's second pass: its header, every id (for did-you-mean) and the
// rows whose id is wanted.
struct FileRows {
  std::vector<std::string> header;
  std::vector<std::string> ids;
  std::map<std::string, std::vector<RawRow>, std::less<>> wanted;
  std::unique_ptr<Scorer> scorer;  // bound to this file's header
};

// What building one referral's explanation needs.
struct Context {
  const ExplainRequest& request;
  const RuleSet& rules;
  const WaitingList& list;
  const FileRows& rows;
  std::map<std::size_t, std::size_t> referral_at_line;    // line -> index into list.referrals
  std::map<std::size_t, std::size_t> unscorable_at_line;  // line -> index into list.unscorable
  std::vector<std::size_t> rank_of;                       // index into list.referrals -> rank
};

bool is_identifier_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_identifier_char(char c) {
  return is_identifier_start(c) || (c >= '0' && c <= '9');
}

// The names in a formula, once each, in order of first appearance.
std::vector<std::string> identifiers(std::string_view expression) {
  std::vector<std::string> names;
  std::size_t i = 0;
  while (i < expression.size()) {
    if (!is_identifier_start(expression[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < expression.size() && is_identifier_char(expression[i])) {
      ++i;
    }
    std::string name(expression.substr(start, i - start));
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(std::move(name));
    }
  }
  return names;
}

ValueKind kind_of(const RuleSet& rules, std::string_view variable) {
  if (const Step* step = rules.find_step(variable)) {
    return step->type == ValueType::number ? ValueKind::number
           : step->type == ValueType::date ? ValueKind::date
                                           : ValueKind::text;
  }
  const RuleInput* input = rules.find_input(variable);
  switch (input->type) {
    case InputType::date:
      return ValueKind::date;
    case InputType::number:
    case InputType::slots:  // ranked on the number of slots
      return ValueKind::number;
    default:
      return ValueKind::text;
  }
}

// A variable's current value as people read it: numbers as output writes them,
// dates and texts as the file wrote them (trimmed).
std::string value_text(const RuleSet& rules, const Scorer& scorer, std::string_view variable) {
  const std::size_t slot = scorer.slot(variable);
  const RuleInput* input = rules.find_input(variable);
  const bool number = input != nullptr
                          ? input->type == InputType::number || input->type == InputType::slots
                          : rules.find_step(variable)->type == ValueType::number;
  return number ? format_number(scorer.number_at(slot)) : std::string(scorer.text_at(slot));
}

// An input is labelled by its column, a step by its title, a constant by its name.
ValueRead read_of(const RuleSet& rules, const Scorer& scorer, const std::string& variable) {
  if (const RuleInput* input = rules.find_input(variable)) {
    return {variable, input->column, value_text(rules, scorer, variable), true};
  }
  if (const Step* step = rules.find_step(variable)) {
    return {variable, step->title, value_text(rules, scorer, variable), false};
  }
  for (const auto& constant : rules.constants) {
    if (constant.name == variable) {
      return {variable, variable, format_number(constant.value), false};
    }
  }
  return {};  // a function name such as max
}

StepExplanation explain_step(const RuleSet& rules, const Scorer& scorer, const StepTrace& trace) {
  const Step& step = *trace.step;
  StepExplanation s{step.name, step.title, step.kind, {}, {}, trace.matched, trace.result, {}};
  if (step.type == ValueType::number) {
    s.number = scorer.number_at(scorer.slot(step.name));
  }
  if (step.kind != StepKind::formula) {
    s.reads.push_back(read_of(rules, scorer, step.input));
    s.reads.back().value = trace.read;
    return s;
  }
  s.expression = step.expression;
  for (const auto& name : identifiers(step.expression)) {
    ValueRead read = read_of(rules, scorer, name);
    if (!read.variable.empty()) {
      s.reads.push_back(std::move(read));
    }
  }
  return s;
}

std::vector<KeyValue> key_values(const RuleSet& rules, const Scorer& scorer) {
  std::vector<KeyValue> keys;
  for (const auto& key : rules.order) {
    const Step* step = rules.find_step(key.variable);
    const std::string title =
        step != nullptr ? step->title : rules.find_input(key.variable)->column;
    keys.push_back({key.variable + (key.descending ? " desc" : " asc"), title,
                    kind_of(rules, key.variable), key.descending,
                    value_text(rules, scorer, key.variable)});
  }
  return keys;
}

// Evaluates a row again, with a trace; returns false (with the steps that ran
// before the problem) when it cannot be scored.
bool evaluate_row(const Context& c, const RawRow& row, ReferralExplanation& out) {
  if (row.fields.size() != c.rows.header.size()) {
    return false;
  }
  const std::vector<std::string_view> fields(row.fields.begin(), row.fields.end());
  std::vector<StepTrace> trace;
  RowProblem problem;
  const bool scored = c.rows.scorer->evaluate(fields, problem, &trace);
  for (const auto& step : trace) {
    if (step.step != nullptr) {
      out.steps.push_back(explain_step(c.rules, *c.rows.scorer, step));
    }
  }
  if (scored) {
    out.keys = key_values(c.rules, *c.rows.scorer);
    out.warnings = c.rows.scorer->warnings();
  }
  return scored;
}

[[noreturn]] void throw_unknown_id(const Context& c, const std::string& id) {
  const std::string column = c.rules.id_input().column;
  std::string message = "no referral has " + column + " " + quote(id);
  if (c.rows.ids.empty()) {
    message += "; the file has no referrals";
  } else {
    message += did_you_mean(id, c.rows.ids);
  }
  throw InputError({c.request.input_name}, message);
}

void explain_scored(const Context& c, const RawRow& row, std::size_t index,
                    ReferralExplanation& out) {
  const Referral& referral = c.list.referrals[index];
  out.scored = true;
  out.rank = c.rank_of[index];
  out.score = referral.score;
  out.score_text = format_number(referral.score);
  if (!evaluate_row(c, row, out)) {
    throw std::logic_error("referral " + out.id + " was ranked but does not score again");
  }
}

void explain_unscorable(const Context& c, const RawRow& row, ReferralExplanation& out) {
  const auto found = c.unscorable_at_line.find(row.line);
  if (found != c.unscorable_at_line.end()) {
    const RejectedRow& rejected = c.list.unscorable[found->second].row;
    out.problem_column = rejected.column;
    out.problem_reason = rejected.reason;
  }
  // A duplicate id evaluates; its steps would read like a ranked referral's.
  ReferralExplanation partial;
  if (!evaluate_row(c, row, partial)) {
    out.steps = std::move(partial.steps);
  }
}

ReferralExplanation explain_one(const Context& c, const std::string& id) {
  const auto found = c.rows.wanted.find(id);
  if (found == c.rows.wanted.end() || found->second.empty()) {
    throw_unknown_id(c, id);
  }
  const std::vector<RawRow>& rows = found->second;
  // The scored row if there is one (the first of a duplicated id), else the first.
  const auto scored = std::find_if(rows.begin(), rows.end(), [&c](const RawRow& row) {
    return c.referral_at_line.count(row.line) != 0;
  });
  const RawRow& primary = scored != rows.end() ? *scored : rows.front();
  ReferralExplanation out;
  out.id = id;
  out.line = primary.line;
  if (scored != rows.end()) {
    explain_scored(c, primary, c.referral_at_line.at(primary.line), out);
  } else {
    explain_unscorable(c, primary, out);
  }
  for (const auto& row : rows) {
    const auto unscorable = c.unscorable_at_line.find(row.line);
    if (&row != &primary && unscorable != c.unscorable_at_line.end()) {
      const RejectedRow& rejected = c.list.unscorable[unscorable->second].row;
      out.same_id_rows.push_back({row.line, rejected.column, rejected.reason});
    }
  }
  return out;
}

// The second pass over the file: the header (bound to a scorer of its own), every
// id, and copies of the rows with a wanted id.
FileRows read_rows(std::istream& input, const ExplainRequest& request) {
  const RuleSet& rules = *request.rules;
  CsvReader reader(input, request.input_name, request.csv);
  CsvRecord record;
  reader.next(record);  // read_waiting_list has already rejected a file without a header
  FileRows rows;
  rows.header.assign(record.fields.begin(), record.fields.end());
  rows.scorer = std::make_unique<Scorer>(rules, rows.header, request.input_name, request.as_of);
  const std::size_t id_column = rows.scorer->column_index(rules.id_input().name).value();
  while (reader.next(record)) {
    if (id_column >= record.fields.size()) {
      continue;
    }
    std::string id(trim(record.fields[id_column]));
    if (id == request.id || (!request.vs.empty() && id == request.vs)) {
      rows.wanted[id].push_back({record.line, {record.fields.begin(), record.fields.end()}});
    }
    if (!id.empty() && std::find(rows.ids.begin(), rows.ids.end(), id) == rows.ids.end()) {
      rows.ids.push_back(std::move(id));
    }
  }
  return rows;
}

std::vector<StepComparison> compare_steps(const RuleSet& rules, const ReferralExplanation& first,
                                          const ReferralExplanation& second) {
  std::vector<StepComparison> steps;
  for (std::size_t i = 0; i < rules.steps.size(); ++i) {
    StepComparison s{rules.steps[i].title, {}, {}, false};
    const bool both = i < first.steps.size() && i < second.steps.size();
    if (i < first.steps.size()) {
      s.first = first.steps[i].result;
    }
    if (i < second.steps.size()) {
      s.second = second.steps[i].result;
    }
    s.differs = both && s.first != s.second;
    steps.push_back(std::move(s));
  }
  return steps;
}

RankingComparison compare_ranks(const Context& c, const ReferralExplanation& first,
                                const ReferralExplanation& second) {
  const Referral& a = c.list.referrals[c.referral_at_line.at(first.line)];
  const Referral& b = c.list.referrals[c.referral_at_line.at(second.line)];
  const RankComparison compared = compare_referrals(c.rules, a, b);
  const std::size_t shown =
      compared.deciding_key ? *compared.deciding_key + 1 : c.rules.order.size();
  RankingComparison r;
  r.first_ranks_higher = compared.first_ranks_higher;
  r.decided_by_key = compared.deciding_key.has_value();
  const auto count = static_cast<std::ptrdiff_t>(shown);
  r.first_keys.assign(first.keys.begin(), first.keys.begin() + count);
  r.second_keys.assign(second.keys.begin(), second.keys.begin() + count);
  return r;
}

Context make_context(const ExplainRequest& request, const WaitingList& list, const FileRows& rows) {
  Context c{request, *request.rules, list, rows, {}, {}, {}};
  for (std::size_t i = 0; i < list.referrals.size(); ++i) {
    c.referral_at_line.emplace(list.referrals.line(i), i);
  }
  for (std::size_t i = 0; i < list.unscorable.size(); ++i) {
    c.unscorable_at_line.emplace(list.unscorable[i].row.line, i);
  }
  const std::vector<std::size_t> order = rank_order(c.rules, list.referrals);
  c.rank_of.assign(order.size(), 0);
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    c.rank_of[order[rank]] = rank + 1;
  }
  return c;
}

ExplainRequest checked(const ExplainRequest& request) {
  ExplainRequest trimmed = request;
  trimmed.id = std::string(trim(request.id));
  trimmed.vs = std::string(trim(request.vs));
  if (trimmed.id.empty()) {
    throw ConfigError({}, "no referral id given to explain");
  }
  if (trimmed.id == trimmed.vs) {
    throw ConfigError({}, "a referral cannot be compared with itself (" + quote(trimmed.id) + ")");
  }
  return trimmed;
}

}  // namespace

Explanation explain_referral(const ExplainRequest& raw_request, std::istream& input) {
  const ExplainRequest request = checked(raw_request);
  const RuleSet& rules = *request.rules;
  // In memory once; read twice (the whole list, then the wanted rows).
  std::stringstream text;
  text << input.rdbuf();
  WaitingListRequest list_request;
  list_request.rules = &rules;
  list_request.as_of = request.as_of;
  list_request.input_name = request.input_name;
  list_request.csv = request.csv;
  const WaitingList list = read_waiting_list(list_request, text);
  text.clear();
  text.seekg(0);
  const FileRows rows = read_rows(text, request);
  const Context c = make_context(request, list, rows);

  Explanation e;
  e.input_name = request.input_name;
  e.ranked = list.referrals.size();
  e.unscorable = list.unscorable.size();
  const Step* score_step = rules.find_step(rules.score_variable);
  e.score_title = score_step != nullptr ? score_step->title : rules.score_variable;
  e.referral = explain_one(c, request.id);
  if (!request.vs.empty()) {
    e.other = explain_one(c, request.vs);
    e.steps_compared = compare_steps(rules, e.referral, *e.other);
    if (e.referral.scored && e.other->scored) {
      e.ranking = compare_ranks(c, e.referral, *e.other);
    }
  }
  return e;
}

}  // namespace engine
