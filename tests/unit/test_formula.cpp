// Tests for engine/formula.cpp: formulas compiled once, evaluated against variables
// bound by address, and ok()/error()/error_position()/error_token() for bad ones.
#include <engine/formula.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using engine::Formula;
using engine::FormulaConstant;
using engine::FormulaDomain;
using engine::FormulaVariable;

namespace {

// The variables and constants of the published protocol's formulas.
struct Bindings {
  Bindings() = default;
  Bindings(const Bindings&) = delete;  // the variables point into this object
  Bindings& operator=(const Bindings&) = delete;

  double sdec = 0;
  double los = 0;
  double sdec_los_bonus = 0;
  std::vector<FormulaVariable> variables{
      {"sdec", &sdec}, {"los", &los}, {"sdec_los_bonus", &sdec_los_bonus}};
  std::vector<FormulaConstant> constants{
      {"sdec_weight", 5}, {"standard_weight", 3}, {"sdec_bonus", 3}};

  Formula compile(const std::string& expression) const {
    return Formula(expression, variables, constants);
  }
};

struct ErrorCase {
  std::string expression;
  std::string error;
  std::size_t position;
  std::string token;
};

void check_error(const Formula& formula, const ErrorCase& expected) {
  CHECK_FALSE(formula.ok());
  CHECK(formula.error() == expected.error);
  CHECK(formula.error_position() == expected.position);
  CHECK(formula.error_token() == expected.token);
}

}  // namespace

TEST_CASE("Formula: evaluates with bound variables and constants", "[formula]") {
  Bindings b;
  const Formula weighting = b.compile("sdec ? sdec_weight : standard_weight");
  REQUIRE(weighting.ok());
  CHECK(weighting.error().empty());
  CHECK(weighting.error_position() == 0);
  CHECK(weighting.error_token().empty());
  CHECK(weighting.evaluate() == 3);
  // Variables are read at each evaluate(), through their addresses.
  b.sdec = 1;
  CHECK(weighting.evaluate() == 5);
}

TEST_CASE("Formula: arithmetic, max, min, ternary and comparisons", "[formula]") {
  Bindings b;
  b.sdec = 1;
  b.los = 4;
  b.sdec_los_bonus = 3;
  const std::pair<std::string, double> cases[] = {
      {"los + sdec_los_bonus", 7},
      {"sdec_weight * (los + 2)", 30},
      {"los - standard_weight * 2", -2},
      {"los / 8", 0.5},
      {"-los", -4},
      {"max(los, sdec_los_bonus)", 4},
      {"max(1, sdec_los_bonus)", 3},
      {"max(los, sdec_los_bonus, 9)", 9},
      {"min(los, sdec_los_bonus)", 3},
      {"sdec ? sdec_bonus : 0", 3},
      {"los > 5 ? 1 : los > 3 ? 2 : 3", 2},
      {"los > sdec_los_bonus", 1},
      {"los < sdec_los_bonus", 0},
      {"los >= 4", 1},
      {"los <= 3", 0},
      {"los == 4", 1},
      {"los != 4", 0},
      {"los > 3 && sdec_los_bonus > 3", 0},
      {"los > 3 || sdec_los_bonus > 3", 1},
      {"  los  ", 4},
  };
  for (const auto& [expression, value] : cases) {
    CAPTURE(expression);
    const Formula formula = b.compile(expression);
    REQUIRE(formula.ok());
    CHECK(formula.evaluate() == value);
  }
}

TEST_CASE("Formula: the value for the variables' values now, however often they recur",
          "[formula]") {
  // A formula keeps what it gave for the values it read: a value seen before,
  // one never seen, and values that differ only in their last bit or in the
  // sign of zero must each give what the expression says.
  double a = 0;
  double b = 0;
  double c = 0;
  double d = 0;
  double e = 0;
  const std::vector<FormulaVariable> four{{"a", &a}, {"b", &b}, {"c", &c}, {"d", &d}};
  const std::vector<FormulaVariable> five{{"a", &a}, {"b", &b}, {"c", &c}, {"d", &d}, {"e", &e}};
  const Formula small("a * 1000 + b * 100 + c * 10 + d", four, {});
  const Formula large("a * 10000 + b * 1000 + c * 100 + d * 10 + e", five, {});
  const Formula signed_zero("1 / a", four, {});
  REQUIRE(small.ok());
  REQUIRE(large.ok());
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 2000; ++i) {
      const int n = (i * 7919 + round * 13) % 3000;
      a = n % 10;
      b = n / 10 % 10;
      c = n / 100 % 10;
      d = n / 1000 % 10;
      e = (n + round) % 10;
      CAPTURE(round, n);
      CHECK(small.evaluate() == a * 1000 + b * 100 + c * 10 + d);
      CHECK(large.evaluate() == a * 10000 + b * 1000 + c * 100 + d * 10 + e);
    }
  }
  a = 1.5;
  b = c = d = 0;
  CHECK(small.evaluate() == 1500);
  a = std::nextafter(1.5, 2.0);
  CHECK(small.evaluate() == a * 1000);
  a = 0.0;
  CHECK(signed_zero.evaluate() == std::numeric_limits<double>::infinity());
  a = -0.0;
  CHECK(signed_zero.evaluate() == -std::numeric_limits<double>::infinity());
}

TEST_CASE("Formula: a moved formula still evaluates", "[formula]") {
  Bindings b;
  b.los = 2;
  Formula first = b.compile("los * 10");
  Formula second = std::move(first);
  CHECK(second.evaluate() == 20);
  Formula third = b.compile("0");
  third = std::move(second);
  b.los = 3;
  CHECK(third.evaluate() == 30);
}

TEST_CASE("Formula: division by zero compiles and gives infinity for the caller to reject",
          "[formula]") {
  Bindings b;
  const Formula formula = b.compile("sdec_bonus / los");
  REQUIRE(formula.ok());
  CHECK(std::isinf(formula.evaluate()));
}

TEST_CASE("Formula: tabulated over its variables' domains, it gives what it works out",
          "[formula]") {
  Bindings b;
  const std::string expression = "sdec ? sdec_weight * (los + 1) : max(los, sdec_los_bonus)";
  Formula tabulated = b.compile(expression);
  const Formula worked_out = b.compile(expression);
  const std::vector<double> sdec_values{1, 0, 1};  // a table's numbers, a default last
  const std::vector<double> los_values{0, 1, 3, 4};
  const std::vector<double> bonus_values{0, 3};
  std::uint32_t sdec_at = 0, los_at = 0, bonus_at = 0;
  const std::vector<FormulaDomain> domains{{&b.sdec, sdec_values, &sdec_at},
                                           {&b.los, los_values, &los_at},
                                           {&b.sdec_los_bonus, bonus_values, &bonus_at}};
  b.sdec = 7;  // what the variables hold is put back after tabulating
  REQUIRE(tabulated.tabulate(domains, 24));
  CHECK(b.sdec == 7);
  // Every value it can give, once: 5 * (los + 1) for SDEC, max(los, bonus) otherwise.
  std::vector<double> values(tabulated.tabulated_values().begin(),
                             tabulated.tabulated_values().end());
  std::sort(values.begin(), values.end());
  CHECK(values == std::vector<double>{0, 1, 3, 4, 5, 10, 20, 25});
  for (sdec_at = 0; sdec_at < sdec_values.size(); ++sdec_at) {
    for (los_at = 0; los_at < los_values.size(); ++los_at) {
      for (bonus_at = 0; bonus_at < bonus_values.size(); ++bonus_at) {
        b.sdec = sdec_values[sdec_at];
        b.los = los_values[los_at];
        b.sdec_los_bonus = bonus_values[bonus_at];
        CAPTURE(b.sdec, b.los, b.sdec_los_bonus);
        const double expected = b.sdec != 0 ? 5 * (b.los + 1) : std::max(b.los, b.sdec_los_bonus);
        CHECK(worked_out.evaluate() == expected);
        CHECK(tabulated.evaluate() == expected);
        CHECK(tabulated.tabulated_values()[tabulated.tabulated_position()] == expected);
        b.los = -100;  // a tabulated formula reads the positions, not the values
        CHECK(tabulated.evaluate() == expected);
      }
    }
  }
}

TEST_CASE("Formula: not tabulated without a domain for every variable, or over too many cells",
          "[formula]") {
  Bindings b;
  const std::vector<double> two{0, 1};
  std::uint32_t at = 0;
  Formula formula = b.compile("sdec + los");
  // los has no domain: the formula keeps working from the values.
  CHECK_FALSE(formula.tabulate(std::vector<FormulaDomain>{{&b.sdec, two, &at}}, 1024));
  // 2 x 2 combinations do not fit in 3 cells.
  const std::vector<FormulaDomain> both{{&b.sdec, two, &at}, {&b.los, two, &at}};
  CHECK_FALSE(formula.tabulate(both, 3));
  CHECK(formula.tabulated_values().empty());
  b.sdec = 1;
  b.los = 4;
  CHECK(formula.evaluate() == 5);
  // A variable a formula does not read needs no domain.
  Formula constant = b.compile("sdec_weight + 1");
  REQUIRE(constant.tabulate({}, 1));
  CHECK(constant.evaluate() == 6);
}

TEST_CASE("Formula: a tabulated division by zero still gives infinity for the caller to reject",
          "[formula]") {
  Bindings b;
  Formula formula = b.compile("sdec_bonus / los");
  const std::vector<double> los_values{0, 2};
  std::uint32_t los_at = 0;
  REQUIRE(formula.tabulate(std::vector<FormulaDomain>{{&b.los, los_values, &los_at}}, 8));
  CHECK(std::isinf(formula.evaluate()));
  los_at = 1;
  CHECK(formula.evaluate() == 1.5);
}

TEST_CASE("Formula: an unknown variable names the variable and where it starts", "[formula]") {
  Bindings b;
  const ErrorCase cases[] = {
      {"los + mobility", "unknown variable or function 'mobility'", 6, "mobility"},
      {"sdec_wieght * los", "unknown variable or function 'sdec_wieght'", 0, "sdec_wieght"},
      {"max(los, bonus)", "unknown variable or function 'bonus'", 9, "bonus"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.expression);
    check_error(b.compile(c.expression), c);
  }
}

TEST_CASE("Formula: a syntax error says what and where", "[formula]") {
  Bindings b;
  const ErrorCase cases[] = {
      {"los sdec", "unexpected variable \"sdec\" found", 4, "sdec"},
      {"los +* sdec", "unexpected operator \"*\" found", 5, "*"},
      {"los + )", "unexpected parenthesis", 6, ")"},
      {"sdec ? 1", "if-then-else operator is missing an else clause", 0, ""},
      // A constant cannot be assigned to.
      {"sdec_bonus = 1", "unexpected operator \"=\" found", 11, "="},
  };
  for (const auto& c : cases) {
    CAPTURE(c.expression);
    check_error(b.compile(c.expression), c);
  }
}

TEST_CASE("Formula: an empty expression is an error", "[formula]") {
  Bindings b;
  for (const std::string expression : {"", "   "}) {
    CAPTURE(expression);
    check_error(b.compile(expression), {expression, "the formula is empty", 0, ""});
  }
}

TEST_CASE("Formula: an error at the end of the expression is within it", "[formula]") {
  // muparser reports these one past the end of the text (6 and 9); the engine clamps them.
  Bindings b;
  const ErrorCase cases[] = {
      {"los +", "the formula ends too early", 5, ""},
      // Best shown where the parenthesis opens.
      {"(los + 1", "a parenthesis is not closed", 0, "("},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.expression) {
      check_error(b.compile(c.expression), c);
    }
  }
}

TEST_CASE("Formula: assignment to a variable and comma lists are errors", "[formula]") {
  // muparser accepts both: `los = 1` writes 1 into the bound variable at every
  // evaluate(), and `los, 1` evaluates to its last value.
  Bindings b;
  b.los = 4;
  SECTION("assignment") {
    const Formula formula = b.compile("los = 1");
    CHECK_FALSE(formula.ok());
    CHECK(formula.error_position() == 4);
    CHECK(formula.error_token() == "=");
    CHECK(b.los == 4);
  }
  SECTION("comma") {
    const Formula formula = b.compile("los, 1");
    check_error(formula, {"los, 1", "unexpected comma", 3, ","});
  }
}

TEST_CASE("Formula: an unsupported operator is named alone", "[formula]") {
  // muparser's own token here is the rest of the expression, "% 2 ".
  Bindings b;
  const Formula formula = b.compile("los % 2");
  CHECK_FALSE(formula.ok());
  CHECK(formula.error_position() == 4);
  CHECK(formula.error_token() == "%");
}
