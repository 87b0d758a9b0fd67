// The waiting-list summary (engine/summary.hpp) as text: aligned tables for a
// terminal, or JSON for other programs. Both carry the provenance.
#pragma once

#include <engine/provenance.hpp>
#include <engine/summary.hpp>

#include <string>

namespace engine {

// The widest line format_summary_table writes.
inline constexpr std::size_t k_summary_width = 100;

// Readable tables, no line wider than k_summary_width, headed by the
// provenance (provenance.describe()).
std::string format_summary_table(const Summary& summary, const Provenance& provenance);

// One JSON object: the provenance members, then every figure. Figures that
// were not asked for (capacity, weeks to clear) are null.
std::string format_summary_json(const Summary& summary, const Provenance& provenance);

}  // namespace engine
