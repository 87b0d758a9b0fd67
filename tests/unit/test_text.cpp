// Tests for engine/text.cpp and engine/text_table.cpp: trimming, category keys,
// "did you mean" suggestions, the one number parser and formatter, and aligned text
// tables.
#include <engine/text.hpp>
#include <engine/text_table.hpp>

#include <catch2/catch.hpp>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <vector>

using engine::TextTable;
using Align = engine::TextTable::Align;

TEST_CASE("trim: removes spaces, tabs, CR and LF at both ends only", "[text]") {
  const std::pair<std::string, std::string> cases[] = {
      {"abc", "abc"}, {"  abc  ", "abc"}, {"\t\r\nabc\r\n", "abc"}, {" a b ", "a b"},
      {"", ""},       {" \t\r\n ", ""},   {"\vabc", "\vabc"},  // only the four listed characters
  };
  for (const auto& [text, trimmed] : cases) {
    CAPTURE(text);
    CHECK(engine::trim(text) == trimmed);
  }
}

TEST_CASE("category_key: trims and lower-cases ASCII letters only", "[text]") {
  const std::pair<std::string, std::string> cases[] = {
      {"URTS", "urts"},
      {"  Mobile With 1 STAFF ", "mobile with 1 staff"},
      {"Immobile/Hoist", "immobile/hoist"},
      {"a  b", "a  b"},  // inner spaces are kept
      {"ÉCOLE", "École"},
      {"", ""},
  };
  for (const auto& [text, key] : cases) {
    CAPTURE(text);
    CHECK(engine::category_key(text) == key);
  }
  CHECK(engine::category_key(" Mobile with 1 staff") ==
        engine::category_key("MOBILE WITH 1 STAFF "));
}

TEST_CASE("edit_distance: counts inserts, deletes and substitutions", "[text]") {
  struct Case {
    std::string a;
    std::string b;
    std::size_t distance;
  };
  const Case cases[] = {
      {"", "", 0},
      {"abc", "abc", 0},
      {"", "abc", 3},
      {"abc", "", 3},
      {"kitten", "sitting", 3},
      {"colum", "column", 1},
      {"flaw", "lawn", 2},
      {"colmun", "column", 1},  // swapping adjacent letters is one edit (OSA distance)
      {"Column", "column", 1},  // case matters here
  };
  for (const auto& c : cases) {
    CAPTURE(c.a, c.b);
    CHECK(engine::edit_distance(c.a, c.b) == c.distance);
    CHECK(engine::edit_distance(c.b, c.a) == c.distance);
  }
}

TEST_CASE("closest_match: suggests a plausible typo and nothing far", "[text]") {
  const std::vector<std::string> keys = {"column", "type", "min", "max", "title"};
  const std::vector<std::string> band_keys = {"min", "over", "max", "under", "value", "label"};
  const std::vector<std::string> steps = {"days_waiting", "wait_points", "score"};
  CHECK(engine::closest_match("colum", keys) == "column");
  CHECK(engine::closest_match("TYPE", keys) == "type");  // case is ignored; spelt as listed
  CHECK(engine::closest_match("titel", keys) == "title");
  CHECK(engine::closest_match("mni", band_keys) == "min");  // ties go to the first listed
  CHECK(engine::closest_match("wait_pionts", steps) == "wait_points");
  CHECK(engine::closest_match("owner", keys) == std::nullopt);
  CHECK(engine::closest_match("prioritisation", steps) == std::nullopt);
  CHECK(engine::closest_match("colum", std::vector<std::string>{}) == std::nullopt);
  // A third of the word's length, at least 2, is as far as a typo goes.
  const std::vector<std::string> nine = {"abcdefghi"};
  CHECK(engine::closest_match("abcxyzghi", nine) == "abcdefghi");   // 3 edits
  CHECK(engine::closest_match("abwxyzghi", nine) == std::nullopt);  // 4 edits
}

TEST_CASE("did_you_mean: the suggestion in words, or nothing", "[text]") {
  const std::vector<std::string> keys = {"column", "type"};
  CHECK(engine::did_you_mean("colum", keys) == " (did you mean 'column'?)");
  CHECK(engine::did_you_mean("owner", keys) == "");
}

TEST_CASE("parse_number: accepts decimal numbers as written", "[text]") {
  const std::pair<std::string, double> cases[] = {
      {"4", 4},  {" 1.75 ", 1.75}, {"+2", 2},      {"0.5", 0.5},     {"-3", -3}, {".5", 0.5},
      {"5.", 5}, {"00012", 12},    {"\t7\r\n", 7}, {"-0.25", -0.25}, {"-0", 0},
  };
  for (const auto& [text, value] : cases) {
    CAPTURE(text);
    const auto parsed = engine::parse_number(text);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == value);
  }
}

TEST_CASE("parse_number: rejects anything that is not a plain decimal number", "[text]") {
  // Exponents are rejected too: std::from_chars runs with chars_format::fixed, and no
  // referral file writes hours or days as "1e5".
  for (const std::string text :
       {"",     " ",   "+",    "-",        "abc", "1,5", "1 2",  "1.2.3", "++3", "+ 3", "nan",
        "-nan", "inf", "-inf", "infinity", "1e5", "1E5", "2e-3", "0x10",  "£4",  "4%",  "four"}) {
    CAPTURE(text);
    CHECK(engine::parse_number(text) == std::nullopt);
  }
}

TEST_CASE("parse_number: one sign only", "[text]") {
  // The leading '+' is stripped before std::from_chars, which would then read "-3".
  CHECK(engine::parse_number("+-3") == std::nullopt);
}

TEST_CASE("parse_number: the same double as std::from_chars, bit for bit", "[text]") {
  // Plain decimals take a faster path than std::from_chars; it must round the
  // same way at every length and point position, up to and past 15 digits.
  const auto from_chars = [](const std::string& text) {
    double value = 0;
    const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
    std::from_chars(begin, text.data() + text.size(), value, std::chars_format::fixed);
    return value;
  };
  std::mt19937_64 random(20191216);
  std::vector<std::string> texts = {"999999999999999",
                                    "9999999999999999",
                                    "0.000000000000001",
                                    "0.1",
                                    "0.3",
                                    "2.675",
                                    "-0",
                                    "-0.0",
                                    "1.000000000000005",
                                    "123456789012345.6",
                                    "7.1",
                                    "10.5",
                                    "0.3333333333333333"};
  for (int i = 0; i < 200000; ++i) {
    const std::size_t digits = 1 + random() % 18;
    std::string text = random() % 4 == 0 ? "-" : "";
    for (std::size_t d = 0; d < digits; ++d) {
      text += static_cast<char>('0' + random() % 10);
    }
    if (digits > 1 && random() % 4 != 0) {
      text.insert(text.size() - 1 - random() % (digits - 1), ".");
    }
    texts.push_back(text);
  }
  for (const auto& text : texts) {
    CAPTURE(text);
    const auto parsed = engine::parse_number(text);
    REQUIRE(parsed.has_value());
    CHECK(std::bit_cast<std::uint64_t>(*parsed) == std::bit_cast<std::uint64_t>(from_chars(text)));
  }
}

TEST_CASE("format_number: integers plainly, others with up to 12 significant digits", "[text]") {
  const std::pair<double, std::string> cases[] = {
      {21, "21"},
      {0, "0"},
      {-0.0, "0"},
      {-21, "-21"},
      {1.75, "1.75"},
      {0.1 + 0.2, "0.3"},  // 0.30000000000000004 to 12 significant digits
      {2.5, "2.5"},
      {1.0 / 3, "0.333333333333"},
      {123456789.123, "123456789.123"},
      {-0.5, "-0.5"},
      // Either side of the edges of the small whole numbers' quick path.
      {9, "9"},
      {10, "10"},
      {99, "99"},
      {99.5, "99.5"},
      {100, "100"},
      {-1, "-1"},
      {0.5, "0.5"},
  };
  for (const auto& [value, text] : cases) {
    CAPTURE(value);
    CHECK(engine::format_number(value) == text);
  }
  // Every whole number up to 1000, against the standard library's digits.
  for (int i = 0; i <= 1000; ++i) {
    CHECK(engine::format_number(i) == std::to_string(i));
    CHECK(engine::format_number(-i) == (i == 0 ? "0" : "-" + std::to_string(i)));
  }
}

TEST_CASE("format_number: whole numbers and tenths agree with the standard library's digits",
          "[text]") {
  // Whole numbers and tenths below a million are written by a quicker path:
  // the text must be what std::to_chars gives with 12 significant digits (or
  // as an integer), for every tenth and for the doubles either side of each.
  const auto standard = [](double value) {
    char buffer[64];
    const auto result =
        value == std::trunc(value)
            ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(value))
            : std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 12);
    return std::string(buffer, result.ptr);
  };
  std::vector<double> values;
  for (int tenths = 0; tenths <= 200000; ++tenths) {
    values.push_back(tenths / 10.0);
  }
  for (int tenths = 200000; tenths < 10000000; tenths += 9973) {
    values.push_back(tenths / 10.0);
  }
  for (const std::string text : {"0.1", "0.2", "0.3", "0.7", "1.1", "2.675", "99999.9", "999999.9",
                                 "1000000", "1000000.5", "12345.6"}) {
    values.push_back(std::stod(text));
  }
  const std::size_t exact = values.size();
  for (std::size_t i = 0; i < exact; i += 7) {
    values.push_back(std::nextafter(values[i], 0.0));
    values.push_back(std::nextafter(values[i], 1e9));
  }
  for (const double value : values) {
    CAPTURE(value);
    CHECK(engine::format_number(value) == standard(value));
  }
}

TEST_CASE("format_number: a fixed number of decimals rounds the binary value half to even",
          "[text]") {
  // 2.25, 1.75, 0.125 and 2.5 are exact in binary, so they are true ties and go to the
  // even digit; 2.675 and 1.005 are stored just below, so they round down.
  struct Case {
    double value;
    int decimals;
    std::string text;
  };
  const Case cases[] = {
      {2.25, 1, "2.2"},       {1.75, 1, "1.8"},   {0.125, 2, "0.12"}, {2.5, 0, "2"},
      {3.5, 0, "4"},          {2.675, 2, "2.67"}, {1.005, 2, "1.00"}, {21, 2, "21.00"},
      {0.1 + 0.2, 2, "0.30"}, {-1.25, 1, "-1.2"}, {7, 0, "7"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.value, c.decimals);
    CHECK(engine::format_number(c.value, c.decimals) == c.text);
  }
}

TEST_CASE("format_number: negative zero with decimals is written without a sign", "[text]") {
  // Values that round to zero lose their sign, with or without decimals.
  CHECK(engine::format_number(-0.0, 1) == "0.0");
  CHECK(engine::format_number(-0.04, 1) == "0.0");
}

TEST_CASE("format_number: a huge value with decimals is still a number", "[text]") {
  // 1e300 needs 301 digits in fixed notation: the buffer must hold them.
  const std::string text = engine::format_number(1e300, 2);
  CHECK(text.find_first_not_of("0123456789.+-e") == std::string::npos);
  CHECK(std::strtod(text.c_str(), nullptr) == 1e300);
}

TEST_CASE("quote: single quotes, no escaping", "[text]") {
  CHECK(engine::quote("column") == "'column'");
  CHECK(engine::quote("") == "''");
  CHECK(engine::quote("it's") == "'it's'");
}

TEST_CASE("join: items with a separator", "[text]") {
  using Items = std::vector<std::string>;
  CHECK(engine::join(Items{}) == "");
  CHECK(engine::join(Items{"a"}) == "a");
  CHECK(engine::join(Items{"a", "b", "c"}) == "a, b, c");
  CHECK(engine::join(Items{"a", "", "c"}) == "a, , c");
  CHECK(engine::join(Items{"a", "b"}, " | ") == "a | b");
}

TEST_CASE("TextTable: aligns columns left or right, counting '£' as one column", "[text]") {
  TextTable table;
  table.set_alignment({Align::left, Align::right});
  table.add_row({"Item", "Cost"});
  table.add_row({"Tea", "£1.50"});
  table.add_row({"Coffee", "£12.00"});
  CHECK(table.render() ==
        "Item      Cost\n"
        "Tea      £1.50\n"
        "Coffee  £12.00\n");
}

TEST_CASE("TextTable: left-aligned columns pad after, with no trailing spaces", "[text]") {
  TextTable table;
  table.add_row({"a", "bb", "x"});
  table.add_row({"ccc", "d", ""});
  table.add_row({"£5", "", ""});
  CHECK(table.render() ==
        "a    bb  x\n"
        "ccc  d\n"
        "£5\n");
}

TEST_CASE("TextTable: indent, short rows and an empty table", "[text]") {
  TextTable table;
  table.add_row({"one"});
  table.add_row({"two", "2"});
  table.add_row({"", ""});
  CHECK(table.render("  ") ==
        "  one\n"
        "  two  2\n"
        "\n");
  CHECK(TextTable().render("  ") == "");
}
