// Tested by tests/unit/test_rule_loader.cpp (unknown, missing and mistyped keys).
#include <engine/detail/rule_schema.hpp>

#include <array>

namespace engine::detail {

namespace {

using enum KeyType;

constexpr std::array k_top_level_keys{
    KeySpec{"rule_set", table, true},   KeySpec{"inputs", table, true},
    KeySpec{"constants", table, false}, KeySpec{"tables", table, false},
    KeySpec{"bands", table, false},     KeySpec{"steps", array, true},
    KeySpec{"visits", table, false},    KeySpec{"pick_up", table, false},
    KeySpec{"checks", array, false},    KeySpec{"outputs", array, true},
    KeySpec{"ranking", table, true},    KeySpec{"opel", table, false},
};

constexpr std::array k_rule_set_keys{
    KeySpec{"name", string, true},
    KeySpec{"version", string, true},
    KeySpec{"title", string, false},
    KeySpec{"description", string, false},
};

constexpr std::array k_input_keys{
    KeySpec{"column", string, true}, KeySpec{"type", string, true},   KeySpec{"min", number, false},
    KeySpec{"max", number, false},   KeySpec{"title", string, false},
};

constexpr std::array k_table_keys{
    KeySpec{"title", string, false},
    KeySpec{"entries", table, true},
    KeySpec{"default", string_or_number, false},
};

constexpr std::array k_band_set_keys{
    KeySpec{"title", string, false},
    KeySpec{"type", string, false},
    KeySpec{"bands", array, true},
};

constexpr std::array k_band_keys{
    KeySpec{"min", number, false},   KeySpec{"over", number, false},
    KeySpec{"max", number, false},   KeySpec{"under", number, false},
    KeySpec{"value", number, false}, KeySpec{"label", string, false},
};

constexpr std::array k_step_keys{
    KeySpec{"name", string, true},        KeySpec{"title", string, false},
    KeySpec{"kind", string, true},        KeySpec{"input", string, false},
    KeySpec{"table", string, false},      KeySpec{"bands", string, false},
    KeySpec{"expression", string, false},
};

constexpr std::array k_output_keys{
    KeySpec{"column", string, true},
    KeySpec{"value", string, true},
    KeySpec{"decimals", integer, false},
};

constexpr std::array k_ranking_keys{
    KeySpec{"score", string, true},
    KeySpec{"order", array, true},
};

constexpr std::array k_visits_keys{
    KeySpec{"slots", array, true},
};

constexpr std::array k_check_keys{
    KeySpec{"name", string, true},      KeySpec{"expression", string, true},
    KeySpec{"column", string, false},   KeySpec{"message", string, true},
    KeySpec{"severity", string, false},
};

// Which variables hold what a pick-up list, capacity and summaries need.
constexpr std::array k_pick_up_keys{
    KeySpec{"team", string, false},         KeySpec{"source", string, false},
    KeySpec{"visit_slots", string, false},  KeySpec{"double_handed", string, false},
    KeySpec{"package", string, false},      KeySpec{"daily_hours", string, false},
    KeySpec{"weekly_hours", string, false}, KeySpec{"contract", string, false},
    KeySpec{"days_waiting", string, false}, KeySpec{"wait_range", string, false},
    KeySpec{"care_type", string, false},    KeySpec{"in_bed", string, false},
};

// Under operational pressure a rule set may change its numbers, categories,
// bands and formulas, but not what it reads, writes or ranks on.
constexpr std::array k_opel_level_keys{
    KeySpec{"constants", table, false},
    KeySpec{"tables", table, false},
    KeySpec{"bands", table, false},
    KeySpec{"steps", table, false},
};

}  // namespace

std::span<const KeySpec> keys_of(Section section) {
  switch (section) {
    case Section::top_level:
      return k_top_level_keys;
    case Section::rule_set:
      return k_rule_set_keys;
    case Section::input:
      return k_input_keys;
    case Section::table:
      return k_table_keys;
    case Section::band_set:
      return k_band_set_keys;
    case Section::band:
      return k_band_keys;
    case Section::step:
      return k_step_keys;
    case Section::output:
      return k_output_keys;
    case Section::ranking:
      return k_ranking_keys;
    case Section::visits:
      return k_visits_keys;
    case Section::pick_up:
      return k_pick_up_keys;
    case Section::check:
      return k_check_keys;
    case Section::opel_level:
      return k_opel_level_keys;
  }
  return {};
}

std::string_view describe(KeyType type) {
  switch (type) {
    case string:
      return "a string";
    case number:
      return "a number";
    case integer:
      return "a whole number";
    case KeyType::table:
      return "a table";
    case array:
      return "an array";
    case string_or_number:
      return "a string or a number";
  }
  return "a value";
}

}  // namespace engine::detail
