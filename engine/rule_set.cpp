// Tested by tests/unit/test_rule_loader.cpp.
#include <engine/rule_set.hpp>
#include <engine/text.hpp>

#include <algorithm>

namespace engine {

namespace detail {
extern const std::string_view k_default_rules_text;
extern const std::string_view k_default_rules_source;
}  // namespace detail

bool Band::contains(double x) const {
  if (lower && (lower->inclusive ? x < lower->value : x <= lower->value)) {
    return false;
  }
  if (upper && (upper->inclusive ? x > upper->value : x >= upper->value)) {
    return false;
  }
  return true;
}

std::string Band::describe(bool integer) const {
  // Whole-number bands read as people write them: "1-14", "22+", "0".
  if (integer) {
    const auto low =
        lower ? std::optional(lower->inclusive ? lower->value : lower->value + 1) : std::nullopt;
    const auto high =
        upper ? std::optional(upper->inclusive ? upper->value : upper->value - 1) : std::nullopt;
    if (low && high) {
      return *low == *high ? format_number(*low) : format_number(*low) + "-" + format_number(*high);
    }
    if (low) {
      return format_number(*low) + "+";
    }
    return high ? "up to " + format_number(*high) : "any";
  }
  std::string text;
  if (lower) {
    text = (lower->inclusive ? "from " : "over ") + format_number(lower->value);
  }
  if (upper) {
    text += (text.empty() ? "" : " ") + std::string(upper->inclusive ? "up to " : "under ") +
            format_number(upper->value);
  }
  return text.empty() ? "any" : text;
}

std::span<const PickUpRole> pick_up_roles() {
  static constexpr PickUpRole k_roles[] = {
      {"team", &PickUpRoles::team, false},
      {"source", &PickUpRoles::source, false},
      {"visit_slots", &PickUpRoles::visit_slots, false},
      {"double_handed", &PickUpRoles::double_handed, true},
      {"package", &PickUpRoles::package, false},
      {"daily_hours", &PickUpRoles::daily_hours, true},
      {"weekly_hours", &PickUpRoles::weekly_hours, true},
      {"contract", &PickUpRoles::contract, false},
      {"days_waiting", &PickUpRoles::days_waiting, true},
      {"wait_range", &PickUpRoles::wait_range, false},
      {"care_type", &PickUpRoles::care_type, false},
      {"in_bed", &PickUpRoles::in_bed, true},
  };
  return k_roles;
}

const Band* BandSet::find(double x) const {
  const auto found =
      std::find_if(bands.begin(), bands.end(), [x](const Band& b) { return b.contains(x); });
  return found == bands.end() ? nullptr : &*found;
}

namespace {

template <typename T>
const T* find_named(const std::vector<T>& items, std::string_view name) {
  const auto found =
      std::find_if(items.begin(), items.end(), [name](const T& t) { return t.name == name; });
  return found == items.end() ? nullptr : &*found;
}

}  // namespace

const RuleInput* RuleSet::find_input(std::string_view wanted) const {
  return find_named(inputs, wanted);
}
const CategoryTable* RuleSet::find_table(std::string_view wanted) const {
  return find_named(tables, wanted);
}
const BandSet* RuleSet::find_band_set(std::string_view wanted) const {
  return find_named(band_sets, wanted);
}
const Step* RuleSet::find_step(std::string_view wanted) const {
  return find_named(steps, wanted);
}

const RuleInput& RuleSet::id_input() const {
  return *std::find_if(inputs.begin(), inputs.end(),
                       [](const RuleInput& i) { return i.type == InputType::id; });
}

std::string RuleSet::identity() const {
  return name + " " + version + " (sha256 " + hash.substr(0, 12) + ")" +
         (opel ? " at OPEL " + std::to_string(*opel) : "");
}

std::string_view default_rules_text() {
  return detail::k_default_rules_text;
}

const RuleSet& default_rules() {
  static const RuleSet k_rules =
      load_rules(detail::k_default_rules_text, detail::k_default_rules_source);
  return k_rules;
}

}  // namespace engine
