// Runs the reader over every csv-spectrum case in shared/spec/csv-spectrum and
// compares the records with the expected JSON, parsed, not byte for byte.
#include <engine/csv_reader.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Row = std::map<std::string, std::string>;

const fs::path k_spectrum_dir = fs::path(REABLEMENT_SPEC_DIR) / "csv-spectrum";

std::string slurp(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  REQUIRE(file);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// The CSV as the JSON files shape it: one object per data record, keyed by the
// header's names.
std::vector<Row> read_csv(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  REQUIRE(file);
  engine::CsvReader reader(file, path.string());
  engine::CsvRecord record;
  REQUIRE(reader.next(record));
  const std::vector<std::string> header(record.fields.begin(), record.fields.end());
  std::vector<Row> rows;
  while (reader.next(record)) {
    REQUIRE(record.fields.size() == header.size());
    Row row;
    for (std::size_t i = 0; i < header.size(); ++i) {
      row[header[i]] = std::string(record.fields[i]);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> to_rows(const nlohmann::json& expected) {
  std::vector<Row> rows;
  for (const auto& object : expected) {
    Row row;
    for (const auto& [key, value] : object.items()) {
      row[key] = value.get<std::string>();
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Upstream's location_coordinates.json has two known defects (see the README
// next to the files): it is a single object, not an array (upstream issue #22),
// and its phone number, 1234567890, is not the CSV's 2095257564 (issue #20;
// fix proposed in PR #23, unmerged). Wrap the object and take the phone number
// from the CSV, so the case still checks what it exists for: bare quotes in an
// unquoted field are kept literally.
nlohmann::json corrected_location_coordinates(nlohmann::json expected, const fs::path& csv) {
  REQUIRE(expected.is_object());
  REQUIRE(expected["Contact Phone Number"] == "1234567890");
  const std::string k_csv_phone = "2095257564";
  REQUIRE(slurp(csv).find("\n" + k_csv_phone + ",") != std::string::npos);
  expected["Contact Phone Number"] = k_csv_phone;
  return nlohmann::json::array({expected});
}

}  // namespace

TEST_CASE("CsvReader: every csv-spectrum case gives the expected records", "[csv]") {
  std::vector<fs::path> csvs;
  for (const fs::directory_entry& entry : fs::directory_iterator(k_spectrum_dir / "csvs")) {
    if (entry.path().extension() == ".csv") {
      csvs.push_back(entry.path());
    }
  }
  std::sort(csvs.begin(), csvs.end());
  std::size_t cases_run = 0;
  for (const fs::path& csv : csvs) {
    const std::string name = csv.stem().string();
    INFO("case " << name);
    nlohmann::json expected =
        nlohmann::json::parse(slurp(k_spectrum_dir / "json" / (name + ".json")));
    if (name == "location_coordinates") {
      expected = corrected_location_coordinates(std::move(expected), csv);
    }
    REQUIRE(expected.is_array());
    CHECK(read_csv(csv) == to_rows(expected));
    ++cases_run;
  }
  // Twelve cases were copied from upstream; fewer means the directory moved.
  REQUIRE(cases_run >= 12);
}
