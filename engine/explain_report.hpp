// An explanation as people and tools read it: text that fits 100 columns (one
// step per two lines: its value, then what it read and matched), and JSON with
// its provenance.
#pragma once

#include <engine/explain.hpp>
#include <engine/provenance.hpp>

#include <string>

namespace engine {

// The referral's rank and every step; with a second referral, the steps side by
// side, how each differing step came about, and the sentence saying which ranks
// higher and which ranking key (or input position) decided.
std::string format_explanation_text(const Explanation& explanation, const Provenance& provenance);

// The same data as one JSON object, provenance members first.
std::string format_explanation_json(const Explanation& explanation, const Provenance& provenance);

// The deciding sentence alone: "S002 ranks above S001: equal Prioritisation
// Score (21); decided by Days Waiting, higher first: 28 against 25."
std::string ranking_sentence(const Explanation& explanation);

}  // namespace engine
