// The pick-up list as people and tools read it: a terminal table that fits 100
// columns, CSV with every field, and JSON with its provenance.
#pragma once

#include <engine/pick_up.hpp>
#include <engine/provenance.hpp>

#include <cstddef>
#include <ostream>
#include <string>

namespace engine {

struct PickUpReportOptions {
  std::size_t top = 0;  // show only the first N lines; 0 for all
  bool with_capacity = false;
  CapacityPolicy policy = CapacityPolicy::fill;
  std::string team;      // the team asked for, if any
  unsigned threads = 0;  // rendering the CSV: 0 for one per core
};

std::string format_pick_up_table(const RuleSet& rules, const RankedList& ranked,
                                 const Provenance& provenance, const PickUpReportOptions& options);

// One row per referral in rank order, then one per row that could not be
// scored; every row ends with the provenance (rule set, hash, as-of, OPEL, capacity).
void write_pick_up_csv(std::ostream& output, const RankedList& ranked, const Provenance& provenance,
                       const PickUpReportOptions& options);

std::string format_pick_up_json(const RuleSet& rules, const RankedList& ranked,
                                const Provenance& provenance, const PickUpReportOptions& options);

// "can pick up", "blocked", "held back", "not matched".
std::string_view status_name(PickUpStatus status);

}  // namespace engine
