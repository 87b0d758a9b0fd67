// libFuzzer entry point for the waiting list's block reader
// (engine/waiting_list.cpp). What it checks: tests::fuzz_waiting_list_one in
// tests/fuzz/fuzz_targets.hpp.
#include <tests/fuzz/fuzz_targets.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return tests::run_fuzz_target(tests::fuzz_waiting_list_one, data, size);
}
