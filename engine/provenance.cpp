// Tested by tests/unit/test_pick_up.cpp (report headings) and the process tests.
#include <engine/provenance.hpp>

#include <nlohmann/json.hpp>

namespace engine {

Provenance make_provenance(const RuleSet& rules, Date as_of, const std::string& input,
                           const CapacityPlan* capacity) {
  Provenance p;
  p.rule_set_name = rules.name;
  p.rule_set_version = rules.version;
  p.rule_set_hash = rules.hash;
  p.as_of = as_of;
  p.opel = rules.opel;
  p.input = input;
  if (capacity != nullptr) {
    p.capacity_source = capacity->source_name;
    p.capacity_hash = capacity->hash;
  }
  return p;
}

std::string Provenance::describe() const {
  std::string text = "rule set " + rule_set_name + " " + rule_set_version + " (sha256 " +
                     rule_set_hash.substr(0, 12) + "), as of " + to_iso(as_of);
  if (opel) {
    text += ", OPEL " + std::to_string(*opel);
  }
  if (!capacity_source.empty()) {
    // On a line of its own, so a terminal report's heading stays narrow.
    text += "\ncapacity " + capacity_source + " (sha256 " + capacity_hash.substr(0, 12) + ")";
  }
  return text;
}

std::string Provenance::json_members() const {
  nlohmann::ordered_json json;
  json["rule_set"] = {
      {"name", rule_set_name}, {"version", rule_set_version}, {"sha256", rule_set_hash}};
  json["as_of"] = to_iso(as_of);
  json["opel"] = opel ? nlohmann::ordered_json(*opel) : nlohmann::ordered_json(nullptr);
  json["input"] = input;
  json["capacity"] = capacity_source.empty() ? nlohmann::ordered_json(nullptr)
                                             : nlohmann::ordered_json{{"source", capacity_source},
                                                                      {"sha256", capacity_hash}};
  // One member a line, each value compact: readable, and valid inside any object.
  std::string text;
  for (const auto& [key, value] : json.items()) {
    text += (text.empty() ? "\"" : ",\n  \"") + key +
            "\": " + value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return text;
}

}  // namespace engine
