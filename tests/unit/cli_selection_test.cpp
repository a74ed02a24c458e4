// run --filter / --list over a real expanded matrix.
#include <gtest/gtest.h>

#include "cli/CaseSelection.hpp"
#include "scenario/Expand.hpp"
#include "scenario/ScenarioParser.hpp"

namespace deadpeer::cli {
namespace {

std::vector<scenario::Case> matrix() {
  return scenario::expand(scenario::parse_string(R"(
name = "fw"
[client]
ServerAliveInterval = 1
[[fault]]
kind = "firewall"
idle_timeout = "5s"
at = "1s"
[matrix]
"client.ServerAliveInterval" = [1, 5, 15]
"fault.on_expiry" = ["drop", "reset"]
)",
                                                 "fw.toml"));
}

TEST(CaseSelection, KeyEqualsValueSelectsBySetting) {
  auto all = matrix();
  ASSERT_EQ(all.size(), 6u);
  auto five = select_cases(all, {"client.ServerAliveInterval=5"});
  ASSERT_EQ(five.size(), 2u);
  for (const auto& c : five) EXPECT_EQ(scenario::render(c.axes.at("client.ServerAliveInterval")), "5");
  EXPECT_EQ(select_cases(all, {"client.ServerAliveInterval=5", "fault.0.on_expiry=reset"}).size(), 1u);
  EXPECT_TRUE(select_cases(all, {"client.ServerAliveInterval=7"}).empty());
  EXPECT_TRUE(select_cases(all, {"no.such.key=1"}).empty());
}

TEST(CaseSelection, OtherTextIsARegexOnTheId) {
  auto all = matrix();
  EXPECT_EQ(select_cases(all, {"^fw/"}).size(), 6u);
  EXPECT_EQ(select_cases(all, {"/0$"}).size(), 1u);
  EXPECT_TRUE(select_cases(all, {"^blackhole"}).empty());
  EXPECT_THROW(select_cases(all, {"fw/("}), std::invalid_argument);
}

TEST(CaseSelection, ListShowsEachCaseWithItsAxes) {
  const auto text = list_cases(matrix());
  EXPECT_NE(text.find("fw/0"), std::string::npos);
  EXPECT_NE(text.find("client.ServerAliveInterval=15"), std::string::npos);
  EXPECT_NE(text.find("fault.on_expiry=reset"), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 6);
}

}  // namespace
}  // namespace deadpeer::cli
