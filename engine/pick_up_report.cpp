// Tested by tests/unit/test_pick_up.cpp.
// The table, CSV and JSON show the same fields of each line; the CSV writes
// them straight from the list's columns, as a list can hold millions. The
// table narrows its widest text columns (source, wait range, slots) with "…"
// rather than wrap past 100 columns.
#include <engine/csv_writer.hpp>
#include <engine/detail/buffer_pool.hpp>
#include <engine/detail/ordered_blocks.hpp>
#include <engine/detail/row_buffer.hpp>
#include <engine/errors.hpp>
#include <engine/file_io.hpp>
#include <engine/pick_up_report.hpp>
#include <engine/score_job.hpp>
#include <engine/text.hpp>
#include <engine/text_table.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <span>
#include <vector>

namespace engine {

namespace {

constexpr std::size_t k_table_width = 100;

// The fields of one line, in the order the CSV writes them.
const std::vector<std::string> k_csv_header{
    "Rank",    "Referral ID",     "Score",       "Days Waiting", "Wait Range",
    "Package", "Double Handed",   "Daily Hours", "Weekly Hours", "Visit Slots",
    "Team",    "Referral Source", "Pick-up",     "Reason"};

std::size_t shown(const RankedList& ranked, const PickUpReportOptions& options) {
  const std::size_t all = ranked.plan.lines.size();
  return options.top == 0 ? all : std::min(all, options.top);
}

std::string_view mark(PickUpStatus status) {
  switch (status) {
    case PickUpStatus::can_pick_up:
      return "\u2713";  // ✓
    case PickUpStatus::blocked:
      return "\u2717";  // ✗
    case PickUpStatus::held_back:
      return "\u00b7";  // ·
    case PickUpStatus::unmatched:
      break;
  }
  return " ";
}

std::string heading(const RankedList& ranked, const Provenance& provenance,
                    const PickUpReportOptions& options) {
  const auto& list = ranked.list;
  std::string text = "Pick-up list" + (options.team.empty() ? "" : " for team " + options.team) +
                     ": " + std::to_string(list.referrals.size()) + " referrals ranked";
  if (!list.unscorable.empty()) {
    text += ", " + std::to_string(list.unscorable.size()) + " cannot be scored (listed below)";
  }
  text += "\n" + provenance.describe() + "\n";
  if (options.with_capacity) {
    text += std::string(options.policy == CapacityPolicy::strict
                            ? "Policy strict (stop at the first that does not fit): "
                            : "Policy fill (skip what does not fit): ") +
            std::to_string(ranked.plan.can_pick_up) + " can be picked up now.\n";
  }
  return text + "\n";
}

// "AM/Lunch/Tea/PM": the slots without spaces, to save table width.
std::string compact_slots(const std::string& slots) {
  std::string text;
  for (const char c : slots) {
    if (c == ',') {
      text += '/';
    } else if (c != ' ') {
      text += c;
    }
  }
  return text;
}

std::string table_rows(const RankedList& ranked, const PickUpReportOptions& options) {
  // One team asked for: its name is in the heading, so the column is left out.
  const bool team_column = options.team.empty();
  TextTable table;
  using Align = TextTable::Align;
  table.set_alignment({Align::left, Align::right, Align::left, Align::right, Align::right,
                       Align::left, Align::left, Align::right});
  // Most expendable first: the source, then the wait range label, then the slots.
  const std::size_t source = team_column ? 10 : 9;
  table.set_fit(k_table_width, {source, 5, 8});
  std::vector<std::string> header{"",        "#",       "ID",    "Score", "Days",  "Wait range",
                                  "Package", "Hrs/day", "Slots", "Team",  "Source"};
  if (!team_column) {
    header.erase(header.begin() + 9);
  }
  table.add_row(header);
  const std::size_t count = shown(ranked, options);
  for (std::size_t i = 0; i < count; ++i) {
    const auto& line = ranked.plan.lines[i];
    const auto& r = ranked.list.referrals[line.referral];
    // "x2": two carers at each visit (double handed).
    std::vector<std::string> row{std::string(mark(line.status)),
                                 std::to_string(line.rank),
                                 r.id,
                                 format_number(r.score),
                                 format_number(r.days_waiting),
                                 r.wait_range,
                                 r.package + (r.double_handed ? " x2" : ""),
                                 format_number(r.daily_hours),
                                 compact_slots(r.visit_slots_text),
                                 r.team,
                                 r.source};
    if (!team_column) {
      row.erase(row.begin() + 9);
    }
    table.add_row(std::move(row));
  }
  // Each blocked or held-back line is followed by why, indented under its ID.
  const std::string rendered = table.render();
  std::string text;
  std::size_t start = 0;
  for (std::size_t row = 0; start < rendered.size(); ++row) {
    const std::size_t end = rendered.find('\n', start);
    text += rendered.substr(start, end - start + 1);
    start = end + 1;
    if (row == 0 || row > count) {
      continue;
    }
    const auto& line = ranked.plan.lines[row - 1];
    if (line.status == PickUpStatus::blocked || line.status == PickUpStatus::held_back) {
      // One reason a line, so that even the longest stays inside the table's width.
      const std::string_view reason = ranked.plan.reason(line);
      std::size_t from = 0;
      while (from < reason.size()) {
        const std::size_t to = std::min(reason.find("; ", from), reason.size());
        text += "       " + std::string(mark(line.status)) + " ";
        text += reason.substr(from, to - from);
        text += "\n";
        from = to + 2;
      }
    }
  }
  if (options.with_capacity) {
    text +=
        "  \u2713 can be picked up now   \u2717 does not fit   \u00b7 held back behind one "
        "that does not fit\n";
  }
  if (count < ranked.plan.lines.size()) {
    text += "  ... " + std::to_string(ranked.plan.lines.size() - count) + " more (--top " +
            std::to_string(options.top) + ")\n";
  }
  return text;
}

std::string needs_attention(const WaitingList& list) {
  if (list.unscorable.empty()) {
    return {};
  }
  std::string text = "\nNeeds attention: cannot be scored (still waiting)\n";
  for (const auto& u : list.unscorable) {
    text += "  row " + std::to_string(u.row.line) +
            (u.row.id.empty() ? "" : " (id " + u.row.id + ")") + ": " + describe_problem(u.row) +
            "\n";
  }
  return text;
}

std::string capacity_left(const RuleSet& rules, const PickUpPlan& plan) {
  if (plan.remaining.empty()) {
    return {};
  }
  TextTable table;
  std::vector<TextTable::Align> alignment(rules.visit_slots.size() + 2, TextTable::Align::right);
  alignment.front() = TextTable::Align::left;
  table.set_alignment(std::move(alignment));
  std::vector<std::string> header{"Team"};
  header.insert(header.end(), rules.visit_slots.begin(), rules.visit_slots.end());
  header.emplace_back("Weekly hours");
  table.add_row(header);
  for (const auto& team : plan.remaining) {
    std::vector<std::string> row{team.team};
    for (const int free : team.visits_free) {
      row.push_back(std::to_string(free));
    }
    row.push_back(team.weekly_hours ? format_number(*team.weekly_hours) : "-");
    table.add_row(row);
  }
  return "\nCarer visits left after these pick-ups\n" + table.render("  ");
}

}  // namespace

std::string_view status_name(PickUpStatus status) {
  switch (status) {
    case PickUpStatus::can_pick_up:
      return "can pick up";
    case PickUpStatus::blocked:
      return "blocked";
    case PickUpStatus::held_back:
      return "held back";
    case PickUpStatus::unmatched:
      break;
  }
  return "not matched";
}

std::string format_pick_up_table(const RuleSet& rules, const RankedList& ranked,
                                 const Provenance& provenance, const PickUpReportOptions& options) {
  return heading(ranked, provenance, options) + table_rows(ranked, options) +
         needs_attention(ranked.list) + capacity_left(rules, ranked.plan);
}

// A CSV file has no heading, so every row carries what produced it: the list
// can be filtered or pasted anywhere and still be traced to its rules and data.
std::vector<std::string> provenance_cells(const Provenance& p) {
  return {p.rule_set_name + " " + p.rule_set_version, p.rule_set_hash,   to_iso(p.as_of),
          p.opel ? std::to_string(*p.opel) : "",      p.capacity_source, p.capacity_hash};
}

namespace {

// What the rows of the pick-up CSV repeat, each rendered once as a CSV field
// after its delimiter: every distinct text of the list (teams, sources,
// labels ...; a list of millions repeats a few dozen of them), the statuses,
// Yes and No; and the provenance cells with the line ending (the same on
// every row).
struct RowPieces {
  RowPieces(const ReferralColumns& referrals, std::string_view stamp) {
    texts.reserve(referrals.text_count());
    for (std::uint32_t code = 0; code < referrals.text_count(); ++code) {
      texts.push_back(as_field(referrals.text(code)));
    }
    for (const auto status : {PickUpStatus::can_pick_up, PickUpStatus::blocked,
                              PickUpStatus::held_back, PickUpStatus::unmatched}) {
      statuses[static_cast<std::size_t>(status)] = as_field(status_name(status));
    }
    tail = "," + std::string(stamp) + "\n";
    for (const auto* pieces : {&texts, &yes_no}) {
      for (const auto& piece : *pieces) {
        longest = std::max(longest, piece.size());
      }
    }
    for (const auto& piece : statuses) {
      longest = std::max(longest, piece.size());
    }
  }
  static std::string as_field(std::string_view text) {
    std::string field = ",";
    CsvWriter(field).field(text);
    return field;
  }
  std::vector<std::string> texts;       // by text code
  std::array<std::string, 4> statuses;  // by PickUpStatus
  std::vector<std::string> yes_no{",No", ",Yes"};
  std::string tail;
  std::size_t longest = 0;
};

// Lines [begin, end) of the list as CSV rows, appended to `out`, field by
// field from the columns: a list can hold millions.
void render_pick_up_rows(const RankedList& ranked, const RowPieces& pieces, std::size_t begin,
                         std::size_t end, std::string& out) {
  std::string scratch;
  const CsvWriterOptions options;
  const CsvWriter writer(scratch, options);
  detail::RowBuffer rows(out);
  // Everything but the id and the reason: the rank, four numbers, six pieces.
  const std::size_t most = 24 + 4 * (k_number_chars + 1) + 6 * pieces.longest + pieces.tail.size();
  const auto put_text = [&](char* at, std::string_view text) {
    *at++ = ',';
    return detail::put_field(at, text, writer, options, scratch);
  };
  const auto put_number = [](char* at, double value) {
    *at++ = ',';
    return detail::put_number(at, value);
  };
  constexpr std::size_t k_ahead = 8;
  for (std::size_t i = begin; i < end; ++i) {
    if (i + k_ahead < end) {
      ranked.list.referrals.prefetch(ranked.plan.lines[i + k_ahead].referral);
    }
    const auto& line = ranked.plan.lines[i];
    const auto r = ranked.list.referrals.row(line.referral);
    const std::string_view reason = ranked.plan.reason(line);
    char* at =
        rows.at(most + detail::most_field_bytes(r.id) + detail::most_field_bytes(reason) + 2);
    at = std::to_chars(at, at + 24, line.rank).ptr;
    at = put_text(at, r.id);
    at = put_number(at, r.score);
    at = put_number(at, r.days_waiting);
    at = detail::put(at, pieces.texts[r.wait_range_code]);
    at = detail::put(at, pieces.texts[r.package_code]);
    at = detail::put(at, pieces.yes_no[r.double_handed ? 1 : 0]);
    at = put_number(at, r.daily_hours);
    at = put_number(at, r.weekly_hours);
    at = detail::put(at, pieces.texts[r.visit_slots_code]);
    at = detail::put(at, pieces.texts[r.team_code]);
    at = detail::put(at, pieces.texts[r.source_code]);
    at = detail::put(at, pieces.statuses[static_cast<std::size_t>(line.status)]);
    at = put_text(at, reason);
    at = detail::put(at, pieces.tail);
    rows.written_to(at);
  }
}

}  // namespace

void write_pick_up_csv(std::ostream& output, const RankedList& ranked, const Provenance& provenance,
                       const PickUpReportOptions& options) {
  std::string text;
  CsvWriter writer(text);
  std::vector<std::string> header = k_csv_header;
  for (const char* name :
       {"Rule Set", "Rule Set SHA-256", "As Of", "OPEL", "Capacity File", "Capacity SHA-256"}) {
    header.emplace_back(name);
  }
  writer.record(header);
  write_text(output, text);
  const auto stamp = provenance_cells(provenance);
  std::string stamp_text;
  {
    CsvWriter stamp_writer(stamp_text);
    for (const auto& cell : stamp) {
      stamp_writer.field(cell);
    }
  }
  // Rendered in parts by every thread asked for, written in order.
  constexpr std::size_t k_lines_a_part = 16384;
  const std::size_t count = shown(ranked, options);
  const std::size_t parts = (count + k_lines_a_part - 1) / k_lines_a_part;
  const unsigned threads = worker_threads(options.threads);
  const RowPieces pieces(ranked.list.referrals, stamp_text);
  detail::BufferPool buffers;
  detail::run_in_block_order<std::string>(
      parts, threads, std::size_t{threads} * 2,
      [&](std::size_t part, unsigned) {
        std::string rows = buffers.take();
        render_pick_up_rows(ranked, pieces, part * k_lines_a_part,
                            std::min(count, (part + 1) * k_lines_a_part), rows);
        return rows;
      },
      [&](std::size_t, std::string rows) {
        write_text(output, rows);
        buffers.give(std::move(rows));
      });
  text.clear();
  for (const auto& u : ranked.list.unscorable) {
    std::vector<std::string> row(k_csv_header.size());
    row[1] = u.row.id;
    row[10] = u.team;
    row[12] = "cannot be scored";
    row[13] = "row " + std::to_string(u.row.line) + ": " + describe_problem(u.row);
    row.insert(row.end(), stamp.begin(), stamp.end());
    writer.record(row);
  }
  write_text(output, text);
  flush_output(output);
}

std::string format_pick_up_json(const RuleSet& rules, const RankedList& ranked,
                                const Provenance& provenance, const PickUpReportOptions& options) {
  nlohmann::ordered_json lines = nlohmann::ordered_json::array();
  const std::size_t count = shown(ranked, options);
  for (std::size_t i = 0; i < count; ++i) {
    const auto& line = ranked.plan.lines[i];
    const auto& r = ranked.list.referrals[line.referral];
    lines.push_back({{"rank", line.rank},
                     {"id", r.id},
                     {"score", r.score},
                     {"days_waiting", r.days_waiting},
                     {"wait_range", r.wait_range},
                     {"package", r.package},
                     {"double_handed", r.double_handed},
                     {"daily_hours", r.daily_hours},
                     {"weekly_hours", r.weekly_hours},
                     {"visit_slots", r.visit_slots_text},
                     {"team", r.team},
                     {"source", r.source},
                     {"pick_up", status_name(line.status)},
                     {"reason", ranked.plan.reason(line)}});
  }
  nlohmann::ordered_json attention = nlohmann::ordered_json::array();
  for (const auto& u : ranked.list.unscorable) {
    attention.push_back({{"row", u.row.line},
                         {"id", u.row.id},
                         {"team", u.team},
                         {"column", u.row.column},
                         {"reason", u.row.reason}});
  }
  nlohmann::ordered_json left = nlohmann::ordered_json::array();
  for (const auto& team : ranked.plan.remaining) {
    nlohmann::ordered_json visits;
    for (std::size_t i = 0; i < team.visits_free.size(); ++i) {
      visits[rules.visit_slots[i]] = team.visits_free[i];
    }
    left.push_back({{"team", team.team},
                    {"visits_free", visits},
                    {"weekly_hours", team.weekly_hours ? nlohmann::ordered_json(*team.weekly_hours)
                                                       : nlohmann::ordered_json(nullptr)}});
  }
  nlohmann::ordered_json body;
  body["policy"] = options.policy == CapacityPolicy::strict ? "strict" : "fill";
  body["team"] =
      options.team.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(options.team);
  body["can_pick_up"] = ranked.plan.can_pick_up;
  body["pick_up_list"] = std::move(lines);
  body["needs_attention"] = std::move(attention);
  body["capacity_left"] = std::move(left);
  const std::string text = body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  // Provenance first, then the body's members.
  return "{\n  " + provenance.json_members() + ",\n" + text.substr(2) + "\n";
}

}  // namespace engine
