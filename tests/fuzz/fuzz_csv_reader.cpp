// libFuzzer entry point for the CSV reader (engine/csv_reader.cpp). What it
// checks: tests::fuzz_csv_reader_one in tests/fuzz/fuzz_targets.hpp.
#include <tests/fuzz/fuzz_targets.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return tests::run_fuzz_target(tests::fuzz_csv_reader_one, data, size);
}
