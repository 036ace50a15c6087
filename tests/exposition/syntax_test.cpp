// The number reader's fast path gives exactly what the full conversion gives.

#include <charconv>
#include <random>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "exposition/syntax.hpp"

using e2e3d::detail::parse_go_float;

TEST_CASE("parse_go_float equals from_chars on many decimals", "[exposition][numbers]") {
  std::mt19937_64 random(42);
  std::uniform_int_distribution<int> digits(1, 19);
  std::uniform_int_distribution<int> point(0, 20);
  std::uniform_int_distribution<int> exponent(-30, 30);
  std::uniform_int_distribution<int> digit(0, 9);
  for (int round = 0; round < 200000; ++round) {
    std::string text;
    const int n = digits(random);
    const int dot = point(random);
    for (int i = 0; i < n; ++i) {
      if (i == dot) text += '.';
      text += static_cast<char>('0' + digit(random));
    }
    if (round % 3 == 0) text += fmt::format("e{}", exponent(random));
    double expected = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), expected);
    REQUIRE(error == std::errc());
    const auto got = parse_go_float(text);
    INFO(text);
    REQUIRE(got);
    REQUIRE(*got == expected);
    REQUIRE(parse_go_float("-" + text) == -expected);
  }
  // Values as clients write them.
  CHECK(parse_go_float("1.7955709523161557e+09") == 1.7955709523161557e+09);
  CHECK(parse_go_float("0.11000000000000001") == 0.11000000000000001);
  CHECK(parse_go_float("9007199254740993") == 9007199254740992.0);  // past 2^53: rounded
  CHECK(parse_go_float("1e22") == 1e22);
  CHECK(parse_go_float("1e23") == 1e23);
  CHECK(parse_go_float("4.9e-324") == 4.9e-324);
}
