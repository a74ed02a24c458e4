// scenario/TomlPrecheck: non-ASCII outside strings and comments is found (with the position
// toml++ would give) before toml++ can reach its undefined behaviour on it; inside strings and
// comments it is fine.
#include <gtest/gtest.h>

#include "scenario/ScenarioError.hpp"
#include "scenario/ScenarioParser.hpp"
#include "scenario/TomlPrecheck.hpp"

namespace deadpeer::scenario {
namespace {

void expect_at(std::string_view text, int line, int column) {
  const auto at = first_bare_non_ascii(text);
  ASSERT_TRUE(at.has_value()) << text;
  EXPECT_EQ(at->line, line) << text;
  EXPECT_EQ(at->column, column) << text;
}

TEST(TomlPrecheck, FindsBareNonAsciiInValuesAndKeys) {
  expect_at("name = \"x\"\nrepeat = 1\xc3\x97\n", 2, 11);  // the fuzzer's find (tests/fuzz/seeds)
  expect_at("\xc3\x97 = 1\n", 1, 1);
  expect_at("[client]\nServerAliveInterval = \xe2\x88\x9e\n", 2, 23);
  // The column counts characters: an earlier é in a string is one column, not two.
  expect_at("a = \"\xc3\xa9\" \xc3\x97\n", 1, 9);
}

TEST(TomlPrecheck, AllowsNonAsciiInStringsAndComments) {
  for (std::string_view ok : {"name = \"caf\xc3\xa9\"\n", "name = 'caf\xc3\xa9'\n", "# caf\xc3\xa9\nname = \"x\"\n",
                              "name = \"x\" # \xc3\x97 trailing\n", "s = \"\"\"\nline \xc3\xa9\n\"\"\"\n",
                              "s = '''\n\xc3\xa9 '''\n", "s = \"quote \\\" still \xc3\xa9\"\n",
                              "s = \"\"\"a \\\"\"\" \xc3\xa9\"\"\"\n"})
    EXPECT_FALSE(first_bare_non_ascii(ok).has_value()) << ok;
}

TEST(TomlPrecheck, StringsEndWhereTheyEnd) {
  expect_at("a = \"x\" \xc3\x97\n", 1, 9);
  expect_at("a = 'x\\' \xc3\x97\n", 1, 10);  // no escapes in literal strings: \' ends it
  expect_at("a = \"\"\"x\"\"\" \xc3\x97\n", 1, 13);
  expect_at("a = \"open\nb = \xc3\x97\n", 2, 5);  // an unclosed string ends with its line
}

TEST(TomlPrecheck, TheParserReportsItAsInvalidToml) {
  try {
    parse_string("name = \"x\"\nrepeat = 1\xc3\x97\n", "t.toml");
    FAIL() << "accepted";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].str(),
              "t.toml:2:11: error: invalid TOML: a non-ASCII character outside a string or comment (quote the value "
              "(see https://toml.io for the syntax))");
  }
}

}  // namespace
}  // namespace deadpeer::scenario
