// Tested by tests/unit/test_summary.cpp ("[summary]": renderers).
//
// The table form is for a terminal, so no line may pass k_summary_width: names
// from the data are shortened, free text (provenance, reasons) is word-wrapped,
// and the team × wait grid is split into several grids when there are too many
// teams for one. The JSON form is built with nlohmann::ordered_json so its keys
// come out in reading order; whole numbers are written without a decimal point.
#include <engine/score_job.hpp>
#include <engine/summary_report.hpp>
#include <engine/text.hpp>
#include <engine/text_table.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace engine {

namespace {

using Json = nlohmann::ordered_json;

// The longest name (team, source...) a table cell shows in full.
constexpr std::size_t k_name_width = 30;
constexpr std::string_view k_indent = "  ";

// The byte length of the first `width` code points of `text`.
std::size_t prefix_bytes(std::string_view text, std::size_t width) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && seen++ == width) {
      return i;
    }
  }
  return text.size();
}

// `name` cut to k_name_width columns, marked with "…" when cut.
std::string fit(std::string_view name) {
  if (display_width(std::string(name)) <= k_name_width) {
    return std::string(name);
  }
  return std::string(name.substr(0, prefix_bytes(name, k_name_width - 1))) + "…";
}

// Word-wraps one line of text to k_summary_width: the first line after `first`,
// the rest after `rest`. A word too long for a line is broken where the line ends.
std::string wrap_line(std::string_view text, const std::string& first, const std::string& rest) {
  std::string out;
  std::string line = first;
  bool line_has_word = false;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    std::string_view word = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
    while (!word.empty()) {
      const std::size_t used = display_width(line) + (line_has_word ? 1 : 0);
      const std::size_t room = used < k_summary_width ? k_summary_width - used : 0;
      if (display_width(std::string(word)) <= room || (!line_has_word && room > 0)) {
        const std::size_t take = prefix_bytes(word, room);
        line += (line_has_word ? " " : "") + std::string(word.substr(0, take));
        line_has_word = true;
        word.remove_prefix(take);
        if (word.empty()) {
          break;
        }
      }
      out += line + "\n";
      line = rest;
      line_has_word = false;
    }
  }
  return out + line + "\n";
}

// wrap_line for each line of `text`, each starting afresh after `first`.
std::string wrap(std::string_view text, const std::string& first, const std::string& rest) {
  std::string out;
  while (true) {
    const std::size_t end = text.find('\n');
    out += wrap_line(text.substr(0, end), first, rest);
    if (end == std::string_view::npos) {
      return out;
    }
    text.remove_prefix(end + 1);
  }
}

std::string heading(const std::string& title) {
  return "\n" + title + "\n";
}

std::string hours(double value) {
  return format_number(value) + " h";
}

// "5 (73.5 h)": referrals and the weekly hours of care they need.
std::string cell(const Tally& tally) {
  return tally.count == 0 ? "0"
                          : std::to_string(tally.count) + " (" + hours(tally.weekly_hours) + ")";
}

std::vector<TextTable::Align> right_after_first(std::size_t columns) {
  std::vector<TextTable::Align> alignment(columns, TextTable::Align::right);
  alignment.front() = TextTable::Align::left;
  return alignment;
}

std::string describe_totals(const Summary& summary) {
  TextTable table;
  table.set_alignment({TextTable::Align::left, TextTable::Align::right});
  table.add_row({"Referrals waiting", std::to_string(summary.total.count)});
  table.add_row({"Weekly hours of care", hours(summary.total.weekly_hours)});
  table.add_row({"Rows read", std::to_string(summary.rows_read)});
  table.add_row({"Cannot be scored", std::to_string(summary.needs_attention.size())});
  table.add_row({"Waiting in a hospital or care bed", std::to_string(summary.in_bed.count)});
  table.add_row({"Bed-days their waits have cost so far", format_number(summary.bed_days)});
  return heading("Totals") + table.render(std::string(k_indent));
}

// The grid's columns (teams, then the total), split so each grid fits the width.
std::vector<std::vector<std::size_t>> grid_chunks(
    const std::vector<std::vector<std::string>>& columns, std::size_t label_width) {
  std::vector<std::vector<std::size_t>> chunks(1);
  std::size_t used = k_indent.size() + label_width;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::size_t column_width = 0;
    for (const auto& text : columns[c]) {
      column_width = std::max(column_width, display_width(text));
    }
    if (!chunks.back().empty() && used + 2 + column_width > k_summary_width) {
      chunks.emplace_back();
      used = k_indent.size() + label_width;
    }
    chunks.back().push_back(c);
    used += 2 + column_width;
  }
  return chunks;
}

std::string describe_team_waits(const Summary& summary) {
  // Column-major cells: header first, then one per wait range, then the total.
  std::vector<std::vector<std::string>> columns;
  auto add_column = [&summary, &columns](const std::string& name, const std::vector<Tally>& by_wait,
                                         const Tally& total) {
    std::vector<std::string> column{fit(name)};
    for (std::size_t w = 0; w < summary.wait_ranges.size(); ++w) {
      column.push_back(cell(by_wait[w]));
    }
    column.push_back(cell(total));
    columns.push_back(std::move(column));
  };
  for (const auto& team : summary.by_team) {
    add_column(team.team, team.by_wait, team.total);
  }
  add_column("Total", summary.wait_totals, summary.total);
  std::vector<std::string> labels{"Length of wait"};
  for (const auto& wait : summary.wait_ranges) {
    labels.push_back(fit(wait));
  }
  labels.emplace_back("Total");
  std::size_t label_width = 0;
  for (const auto& label : labels) {
    label_width = std::max(label_width, display_width(label));
  }
  std::string text =
      heading("Waiting by team and length of wait (referrals, weekly hours of care)");
  const auto chunks = grid_chunks(columns, label_width);
  for (const auto& chunk : chunks) {
    if (&chunk != &chunks.front()) {
      text += "\n";
    }
    TextTable table;
    table.set_alignment(right_after_first(chunk.size() + 1));
    for (std::size_t row = 0; row < labels.size(); ++row) {
      std::vector<std::string> cells{labels[row]};
      for (const std::size_t c : chunk) {
        cells.push_back(columns[c][row]);
      }
      table.add_row(std::move(cells));
    }
    text += table.render(std::string(k_indent));
  }
  return text;
}

std::string describe_groups(const std::string& title, const std::string& name_header,
                            const std::vector<GroupTally>& groups) {
  TextTable table;
  table.set_alignment(right_after_first(3));
  table.add_row({name_header, "Referrals", "Weekly hours"});
  for (const auto& group : groups) {
    table.add_row(
        {fit(group.name), std::to_string(group.tally.count), hours(group.tally.weekly_hours)});
  }
  return heading(title) + table.render(std::string(k_indent));
}

std::string describe_packages(const Summary& summary) {
  TextTable table;
  table.set_alignment(right_after_first(4));
  table.add_row({"Package", "Single handed", "Double handed", "Total"});
  for (const auto& package : summary.by_package) {
    const Tally total{package.single_handed.count + package.double_handed.count,
                      package.single_handed.weekly_hours + package.double_handed.weekly_hours};
    table.add_row({fit(package.package), cell(package.single_handed), cell(package.double_handed),
                   cell(total)});
  }
  return heading("By package (referrals, weekly hours of care)") +
         table.render(std::string(k_indent));
}

std::vector<std::string> wait_row(const WaitFigures& figures) {
  const bool none = figures.tally.count == 0;
  const auto days = [none](double value) { return none ? std::string("-") : format_number(value); };
  return {fit(figures.name),
          std::to_string(figures.tally.count),
          hours(figures.tally.weekly_hours),
          days(figures.median_days),
          days(figures.p90_days),
          days(figures.longest_days)};
}

std::string describe_contracts(const Summary& summary) {
  TextTable table;
  table.set_alignment(right_after_first(6));
  table.add_row({"Contract", "Referrals", "Weekly hours", "Median", "90th pct", "Longest"});
  for (const auto& contract : summary.by_contract) {
    table.add_row(wait_row(contract));
  }
  table.add_row(wait_row(summary.all_waits));
  return heading("Days waiting by contract") + table.render(std::string(k_indent)) +
         wrap(
             "The median of an even count is the mean of the two middle waits; the 90th "
             "percentile is the nearest rank: the smallest wait with at least 90% of waits at or "
             "below it.",
             std::string(k_indent), std::string(k_indent));
}

std::string describe_capacity(const Summary& summary) {
  if (!summary.has_capacity) {
    return {};
  }
  TextTable table;
  table.set_alignment(right_after_first(4));
  table.add_row({"Visit slot", "Needed", "Free", "Short"});
  for (const auto& slot : summary.visits) {
    table.add_row({fit(slot.slot), std::to_string(slot.needed), std::to_string(slot.free),
                   std::to_string(slot.shortfall())});
  }
  return heading("Carer visits a day: needed by the list (two a visit when double handed), free") +
         table.render(std::string(k_indent)) +
         wrap(
             "Could be picked up now (in rank order, skipping any the visits or hours free cannot "
             "take): " +
                 std::to_string(summary.can_pick_up_now) + " of " +
                 std::to_string(summary.total.count),
             std::string(k_indent), std::string(k_indent) + "  ");
}

std::string describe_weeks_to_clear(const Summary& summary) {
  if (!summary.weeks_to_clear) {
    return {};
  }
  const WeeksToClear& weeks = *summary.weeks_to_clear;
  return heading("Weeks to clear (whole weeks, rounded up)") +
         wrap(std::to_string(weeks.weeks) + (weeks.weeks == 1 ? " week" : " weeks") + " for the " +
                  std::to_string(weeks.people) + " people waiting, at " +
                  format_number(weeks.pickups_per_week) + " pick-ups a week and nobody new joining",
              std::string(k_indent), std::string(k_indent) + "  ");
}

std::string describe_needs_attention(const Summary& summary) {
  std::string text = heading("Needs attention — cannot be scored (" +
                             std::to_string(summary.needs_attention.size()) + ")");
  if (summary.needs_attention.empty()) {
    return text + std::string(k_indent) + "none\n";
  }
  for (const auto& unscorable : summary.needs_attention) {
    const RejectedRow& row = unscorable.row;
    text += wrap("row " + std::to_string(row.line) + (row.id.empty() ? "" : ", id " + row.id) +
                     ": " + describe_problem(row),
                 std::string(k_indent), std::string(k_indent) + "    ");
  }
  return text;
}

// Whole numbers as integers, so JSON shows 28 rather than 28.0.
Json number(double value) {
  if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 9.0e15) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

Json tally_json(const Tally& tally) {
  return Json{{"referrals", tally.count}, {"weekly_hours", number(tally.weekly_hours)}};
}

Json named_tally_json(const std::string& key, const std::string& name, const Tally& tally) {
  Json item{{key, name}};
  item.update(tally_json(tally));
  return item;
}

Json wait_json(const std::string& key, const WaitFigures& figures) {
  Json item = named_tally_json(key, figures.name, figures.tally);
  const bool none = figures.tally.count == 0;
  item["median_days_waiting"] = none ? Json() : number(figures.median_days);
  item["p90_days_waiting"] = none ? Json() : number(figures.p90_days);
  item["longest_days_waiting"] = none ? Json() : number(figures.longest_days);
  return item;
}

Json team_waits_json(const Summary& summary) {
  Json teams = Json::array();
  for (const auto& team : summary.by_team) {
    Json waits = Json::array();
    for (std::size_t w = 0; w < summary.wait_ranges.size(); ++w) {
      waits.push_back(named_tally_json("wait_range", summary.wait_ranges[w], team.by_wait[w]));
    }
    Json item{{"team", team.team}, {"by_wait_range", waits}};
    item.update(tally_json(team.total));
    teams.push_back(item);
  }
  return teams;
}

Json groups_json(const Summary& summary) {
  Json groups;
  groups["by_team"] = team_waits_json(summary);
  groups["by_wait_range"] = Json::array();
  for (std::size_t w = 0; w < summary.wait_ranges.size(); ++w) {
    groups["by_wait_range"].push_back(
        named_tally_json("wait_range", summary.wait_ranges[w], summary.wait_totals[w]));
  }
  groups["by_care_type"] = Json::array();
  for (const auto& group : summary.by_care_type) {
    groups["by_care_type"].push_back(named_tally_json("care_type", group.name, group.tally));
  }
  groups["by_package"] = Json::array();
  for (const auto& package : summary.by_package) {
    groups["by_package"].push_back({{"package", package.package},
                                    {"single_handed", tally_json(package.single_handed)},
                                    {"double_handed", tally_json(package.double_handed)}});
  }
  groups["by_contract"] = Json::array();
  for (const auto& contract : summary.by_contract) {
    groups["by_contract"].push_back(wait_json("contract", contract));
  }
  groups["all_waits"] = wait_json("name", summary.all_waits);
  groups["p90_method"] =
      "nearest rank: the smallest value with at least 90% of values at or below it";
  groups["by_source"] = Json::array();
  for (const auto& group : summary.by_source) {
    groups["by_source"].push_back(named_tally_json("source", group.name, group.tally));
  }
  return groups;
}

Json visits_json(const Summary& summary) {
  if (!summary.has_capacity) {
    return Json();
  }
  Json visits = Json::array();
  for (const auto& slot : summary.visits) {
    visits.push_back({{"slot", slot.slot},
                      {"needed", slot.needed},
                      {"free", slot.free},
                      {"short", slot.shortfall()}});
  }
  return visits;
}

Json needs_attention_json(const Summary& summary) {
  Json rows = Json::array();
  for (const auto& unscorable : summary.needs_attention) {
    rows.push_back({{"row", unscorable.row.line},
                    {"id", unscorable.row.id},
                    {"team", unscorable.team},
                    {"column", unscorable.row.column},
                    {"reason", unscorable.row.reason}});
  }
  return rows;
}

}  // namespace

std::string format_summary_table(const Summary& summary, const Provenance& provenance) {
  std::string text = wrap("Waiting list summary: " + summary.input +
                              (summary.team.empty() ? "" : ", team " + summary.team),
                          "", std::string(k_indent));
  text += wrap(provenance.describe(), "", std::string(k_indent));
  text += describe_totals(summary);
  text += describe_team_waits(summary);
  text += describe_groups("By care type", "Care type", summary.by_care_type);
  text += describe_packages(summary);
  text += describe_contracts(summary);
  text += describe_groups("By referral source", "Source", summary.by_source);
  text += describe_capacity(summary);
  text += describe_weeks_to_clear(summary);
  text += describe_needs_attention(summary);
  return text;
}

std::string format_summary_json(const Summary& summary, const Provenance& provenance) {
  // json_members() is the provenance as an object's members; parsing it keeps
  // one writer of provenance JSON and lets its keys lead the object.
  Json root = Json::parse("{" + provenance.json_members() + "}");
  root["team"] = summary.team.empty() ? Json() : Json(summary.team);
  root["rows_read"] = summary.rows_read;
  root["totals"] = {{"referrals", summary.total.count},
                    {"weekly_hours", number(summary.total.weekly_hours)},
                    {"cannot_be_scored", summary.needs_attention.size()}};
  root["wait_ranges"] = summary.wait_ranges;
  root.update(groups_json(summary));
  root["in_bed"] = tally_json(summary.in_bed);
  root["in_bed"]["bed_days"] = number(summary.bed_days);
  // "capacity" is the provenance's (the file and its hash); these are the figures.
  root["visits"] = visits_json(summary);
  root["can_pick_up_now"] = summary.has_capacity
                                ? Json{{"referrals", summary.can_pick_up_now}, {"policy", "fill"}}
                                : Json();
  root["weeks_to_clear"] =
      summary.weeks_to_clear
          ? Json{{"pickups_per_week", number(summary.weeks_to_clear->pickups_per_week)},
                 {"people_waiting", summary.weeks_to_clear->people},
                 {"weeks", summary.weeks_to_clear->weeks}}
          : Json();
  root["needs_attention"] = needs_attention_json(summary);
  return root.dump(2) + "\n";
}

}  // namespace engine
