// Tested by tests/unit/test_rule_loader.cpp ("rules show" text) and the process tests.
#include <engine/rule_report.hpp>
#include <engine/text.hpp>
#include <engine/text_table.hpp>

namespace engine {

namespace {

std::string_view type_name(InputType type) {
  switch (type) {
    case InputType::id:
      return "id";
    case InputType::category:
      return "category";
    case InputType::text:
      return "text";
    case InputType::number:
      return "number";
    case InputType::date:
      return "date";
    case InputType::slots:
      return "visit slots";
  }
  return "?";
}

std::string heading(const std::string& title) {
  return "\n" + title + "\n";
}

std::string describe_inputs(const RuleSet& rules) {
  TextTable table;
  for (const auto& input : rules.inputs) {
    std::string limits;
    if (input.min) {
      limits += "min " + format_number(*input.min);
    }
    if (input.max) {
      limits += (limits.empty() ? "" : ", ") + std::string("max ") + format_number(*input.max);
    }
    table.add_row({input.name, quote(input.column), std::string(type_name(input.type)), limits});
  }
  return heading("Inputs (variable, column, type)") + table.render("  ");
}

std::string describe_constants(const RuleSet& rules) {
  if (rules.constants.empty()) {
    return {};
  }
  TextTable table;
  for (const auto& constant : rules.constants) {
    table.add_row({constant.name, "=", format_number(constant.value)});
  }
  return heading("Constants") + table.render("  ");
}

std::string describe_tables(const RuleSet& rules) {
  std::string text;
  for (const auto& category_table : rules.tables) {
    text += "  " + category_table.name +
            (category_table.title.empty() ? "" : ": " + category_table.title) + "\n";
    TextTable table;
    const auto value = [&](const CategoryTable::Entry& entry) {
      return category_table.yields_label ? entry.label : format_number(entry.number);
    };
    for (const auto& entry : category_table.entries) {
      table.add_row({entry.category, value(entry)});
    }
    table.add_row({"(anything else)",
                   category_table.fallback ? value(*category_table.fallback) : "row rejected"});
    text += table.render("    ");
  }
  return text.empty() ? text : heading("Tables (value -> result; case and spaces ignored)") + text;
}

std::string describe_bands(const RuleSet& rules) {
  std::string text;
  for (const auto& band_set : rules.band_sets) {
    text += "  " + band_set.name + (band_set.title.empty() ? "" : ": " + band_set.title) +
            (band_set.integer ? " (whole numbers)" : "") + "\n";
    TextTable table;
    for (const auto& band : band_set.bands) {
      table.add_row({band.describe(band_set.integer),
                     band_set.yields_label ? band.label : format_number(band.number)});
    }
    text += table.render("    ");
  }
  return text.empty() ? text : heading("Bands") + text;
}

std::string describe_step(const Step& step) {
  switch (step.kind) {
    case StepKind::days_since:
      return "days from " + step.input + " to the as-of date";
    case StepKind::lookup:
      return "look up " + step.input + " in table " + step.table;
    case StepKind::band:
      return "place " + step.input + " in bands " + step.table;
    case StepKind::formula:
      return "= " + step.expression;
  }
  return {};
}

// Two lines a step (name and title, then what it does) keep long formulas readable.
std::string describe_steps(const RuleSet& rules) {
  std::string text;
  std::size_t number = 0;
  for (const auto& step : rules.steps) {
    const std::string label = std::to_string(++number) + ". ";
    text += "  " + label + step.name + (step.title == step.name ? "" : ": " + step.title) + "\n";
    text += "  " + std::string(label.size(), ' ') + describe_step(step) + "\n";
  }
  return heading("Steps (in order)") + text;
}

std::string describe_outputs_and_ranking(const RuleSet& rules) {
  TextTable table;
  for (const auto& output : rules.outputs) {
    table.add_row({quote(output.column), "<- " + output.value,
                   output.decimals ? std::to_string(*output.decimals) + " decimals" : ""});
  }
  std::vector<std::string> order;
  for (const auto& key : rules.order) {
    order.push_back(key.variable + (key.descending ? " (highest first)" : " (lowest first)"));
  }
  return heading("Output columns (appended in this order)") + table.render("  ") +
         heading("Ranking") + "  score: " + rules.score_variable + "\n  order: " + join(order) +
         "\n";
}

std::string describe_checks(const RuleSet& rules) {
  if (rules.checks.empty()) {
    return {};
  }
  std::string text = heading("Checks (every row; a failed check rejects the row or warns)");
  for (const auto& check : rules.checks) {
    text += "  " + check.name + " (" + (check.rejects ? "reject" : "warning") +
            (check.column.empty() ? "" : ", column " + quote(check.column)) + ")\n    " +
            check.expression + "\n    otherwise: " + check.message + "\n";
  }
  return text;
}

std::string describe_pick_up(const RuleSet& rules) {
  std::string text;
  if (!rules.visit_slots.empty()) {
    text += "\nVisit slots: " + join(rules.visit_slots) + "\n";
  }
  TextTable table;
  for (const auto& role : pick_up_roles()) {
    const std::string& variable = rules.pick_up.*role.field;
    table.add_row({std::string(role.key),
                   "<- " + (variable.empty() ? std::string("(not given)") : variable)});
  }
  return text + heading("Pick-up lists read (role <- variable)") + table.render("  ");
}

// One line a level: what its [opel.N] changes, with the constants' new values.
std::string describe_opel(const RuleSet& rules) {
  std::string text;
  for (const auto& level : rules.opel_overrides) {
    std::vector<std::string> changes;
    for (const auto& constant : level.constants) {
      changes.push_back("constant " + constant.name + " = " + format_number(constant.value));
    }
    for (const auto& [kind, names] : {std::pair{"table ", &level.tables},
                                      {"bands ", &level.band_sets},
                                      {"step ", &level.steps}}) {
      for (const auto& name : *names) {
        changes.push_back(kind + name);
      }
    }
    text += "  OPEL " + std::to_string(level.level) +
            " overrides: " + (changes.empty() ? std::string("nothing") : join(changes, "; ")) +
            "\n";
  }
  return text.empty()
             ? text
             : heading("Under operational pressure (levels not listed use the file's own rules)") +
                   text;
}

}  // namespace

std::string summarise_rules(const RuleSet& rules) {
  std::vector<std::string> levels;
  for (const int level : rules.opel_levels) {
    levels.push_back(std::to_string(level));
  }
  return "rule set: " + rules.name + " " + rules.version +
         (rules.opel ? " at OPEL " + std::to_string(*rules.opel) : "") +
         "\nsource:   " + rules.source_name + "\nsha256:   " + rules.hash + "\n" +
         (levels.empty() ? "" : "OPEL overrides at levels " + join(levels) + "\n") +
         std::to_string(rules.inputs.size()) + " inputs, " + std::to_string(rules.tables.size()) +
         " tables, " + std::to_string(rules.band_sets.size()) + " band sets, " +
         std::to_string(rules.steps.size()) + " steps, " + std::to_string(rules.outputs.size()) +
         " output columns\n";
}

std::string describe_rules(const RuleSet& rules) {
  std::string text = summarise_rules(rules);
  if (!rules.title.empty()) {
    text = rules.title + "\n" + text;
  }
  return text + describe_inputs(rules) + describe_constants(rules) + describe_tables(rules) +
         describe_bands(rules) + describe_steps(rules) + describe_outputs_and_ranking(rules) +
         describe_checks(rules) + describe_pick_up(rules) + describe_opel(rules);
}

}  // namespace engine
