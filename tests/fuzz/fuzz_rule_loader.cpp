// libFuzzer entry point for the rule-file loader (engine/rule_loader.cpp) and the
// scorer it feeds. What it checks: tests::fuzz_rule_loader_one in
// tests/fuzz/fuzz_targets.hpp.
#include <tests/fuzz/fuzz_targets.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return tests::run_fuzz_target(tests::fuzz_rule_loader_one, data, size);
}
