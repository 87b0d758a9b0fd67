// Replays, without libFuzzer, every input the fuzz targets keep: the seed
// corpora (tests/fuzz/corpus/<kind>/) and each crash a fuzzer found
// (tests/fuzz/regressions/<target>/), through the same per-target checks
// (tests/fuzz/fuzz_targets.hpp). Under `make asan` the sanitizers watch them too.
#include <tests/fuzz/fuzz_targets.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path k_fuzz_dir = fs::path(REABLEMENT_SOURCE_DIR) / "tests" / "fuzz";

using FuzzTarget = void (*)(const std::uint8_t*, std::size_t);

struct TargetInputs {
  const char* target;  // its folder under regressions/
  const char* corpus;  // its folder under corpus/
  FuzzTarget run;
};

const TargetInputs k_targets[] = {
    {"fuzz_csv_reader", "csv", tests::fuzz_csv_reader_one},
    {"fuzz_date", "date", tests::fuzz_date_one},
    {"fuzz_rule_loader", "rules", tests::fuzz_rule_loader_one},
    {"fuzz_waiting_list", "list", tests::fuzz_waiting_list_one},
};

// The inputs in `dir`, sorted; notes (*.md) and dot files are not inputs.
std::vector<fs::path> inputs_in(const fs::path& dir) {
  std::vector<fs::path> paths;
  if (!fs::is_directory(dir)) {
    return paths;
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.front() != '.' && entry.path().extension() != ".md") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::vector<std::uint8_t> bytes_of(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  REQUIRE(file);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

void replay(FuzzTarget run, const fs::path& path) {
  CAPTURE(path.string());
  const std::vector<std::uint8_t> bytes = bytes_of(path);
  CHECK_NOTHROW(run(bytes.data(), bytes.size()));
}

}  // namespace

TEST_CASE("fuzz targets: every saved crash input is handled", "[fuzz]") {
  for (const auto& target : k_targets) {
    for (const auto& path : inputs_in(k_fuzz_dir / "regressions" / target.target)) {
      replay(target.run, path);
    }
  }
}

TEST_CASE("fuzz targets: every seed corpus input is handled", "[fuzz]") {
  for (const auto& target : k_targets) {
    const auto paths = inputs_in(k_fuzz_dir / "corpus" / target.corpus);
    CAPTURE(target.corpus);
    CHECK(paths.size() >= 10);
    for (const auto& path : paths) {
      replay(target.run, path);
    }
  }
}
