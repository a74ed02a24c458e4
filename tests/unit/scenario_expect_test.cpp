// The [expect] table of a scenario: every key parsed and typed, copied into every case of a
// matrix, and every mistake reported at file:line:column with a hint.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "observe/Cause.hpp"
#include "scenario/Expand.hpp"
#include "scenario/ScenarioParser.hpp"

namespace deadpeer::scenario {
namespace {

using std::chrono::milliseconds;

const std::string kHead = "name = \"x\"\n[[fault]]\nkind = \"blackhole\"\nat = \"2s\"\n";

std::vector<std::string> errors_of(const std::string& toml) {
  try {
    parse_string(toml, "t.toml");
  } catch (const ScenarioError& e) {
    std::vector<std::string> lines;
    for (const auto& d : e.diagnostics()) lines.push_back(d.str());
    return lines;
  }
  ADD_FAILURE() << "no ScenarioError for:\n" << toml;
  return {};
}

TEST(ScenarioExpect, EveryKeyIsReadAndTyped) {
  const Scenario s = parse_string(kHead +
                                      "[expect]\n"
                                      "client_detect_max = \"20s\"\n"
                                      "server_detect_max = 30\n"
                                      "client_cause = \"serveralive\"\n"
                                      "server_cause = \"tcp-keepalive\"\n"
                                      "agrees_with_model = true\n",
                                  "t.toml");
  EXPECT_EQ(s.expect.client_detect_max, milliseconds(20000));
  EXPECT_EQ(s.expect.server_detect_max, milliseconds(30000));
  EXPECT_EQ(s.expect.client_cause, "serveralive");
  EXPECT_EQ(s.expect.server_cause, "tcp-keepalive");
  EXPECT_EQ(s.expect.agrees_with_model, true);
  EXPECT_FALSE(s.expect.survives);
  EXPECT_EQ(s.expect.loc.line, 5);
  EXPECT_FALSE(s.expect.empty());
}

TEST(ScenarioExpect, AbsentTableExpectsNothing) {
  EXPECT_TRUE(parse_string(kHead, "t.toml").expect.empty());
}

TEST(ScenarioExpect, EveryCaseOfAMatrixCarriesIt) {
  const Scenario s = parse_string(kHead + "[expect]\nsurvives = true\n[matrix]\n\"client.ServerAliveInterval\" = [1, 5]\n",
                                  "t.toml");
  const auto cases = expand(s);
  ASSERT_EQ(cases.size(), 2u);
  for (const auto& c : cases) EXPECT_EQ(c.scenario.expect.survives, true);
}

TEST(ScenarioExpect, UnknownKeyGetsASuggestion) {
  EXPECT_EQ(errors_of(kHead + "[expect]\nclient_detect_mx = \"20s\"\n"),
            std::vector<std::string>{"t.toml:6:1: error: unknown key 'client_detect_mx' in [expect] (did you mean "
                                     "'client_detect_max'?)"});
  EXPECT_EQ(errors_of(kHead + "[expect]\nsurvive = true\n"),
            std::vector<std::string>{"t.toml:6:1: error: unknown key 'survive' in [expect] (did you mean 'survives'?)"});
}

TEST(ScenarioExpect, BadValuesAreReportedAtTheValue) {
  const auto errors = errors_of(kHead +
                                "[expect]\n"
                                "client_detect_max = \"20\"\n"
                                "server_cause = \"clientalvie\"\n"
                                "survives = \"yes\"\n"
                                "client_cause = 3\n");
  ASSERT_EQ(errors.size(), 4u) << ::testing::PrintToString(errors);
  EXPECT_TRUE(errors[0].starts_with("t.toml:6:21: error: 'client_detect_max' = \"20\" is not a duration")) << errors[0];
  EXPECT_EQ(errors[1], "t.toml:7:16: error: 'server_cause' = \"clientalvie\" is not a cause (did you mean 'clientalive'?)");
  EXPECT_EQ(errors[2], "t.toml:8:12: error: 'survives' = \"yes\" in [expect] is a string, expected a boolean (write "
                       "survives = true or survives = false)");
  EXPECT_EQ(errors[3], "t.toml:9:16: error: 'client_cause' = 3 is not a cause (write a cause such as \"serveralive\")");
}

TEST(ScenarioExpect, SurvivingAndABoundContradictEachOther) {
  EXPECT_EQ(errors_of(kHead + "[expect]\nsurvives = true\nclient_detect_max = \"5s\"\n"),
            std::vector<std::string>{"t.toml:7:1: error: [expect] sets a detection bound and survives = true (at "
                                     "t.toml:6:1) (a session that survives is never detected: keep one of them)"});
}

TEST(ScenarioExpect, NotATableOrAMatrixAxis) {
  EXPECT_EQ(errors_of(kHead.substr(0, 11) + "expect = 5\n" + kHead.substr(11)),
            std::vector<std::string>{"t.toml:2:10: error: 'expect' is an integer, expected a table (write it as a "
                                     "[expect] section)"});
  const auto errors = errors_of(kHead + "[matrix]\n\"expect.survives\" = [true, false]\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(errors[0].starts_with("t.toml:6:1: error: ")) << errors[0];
}

TEST(ScenarioExpect, CauseVocabularyIsTheResultsVocabulary) {
  // The parser keeps its own list so the scenario module stays free of observe/; it must accept
  // exactly the spellings results.json uses.
  for (observe::Cause c : {observe::Cause::serveralive, observe::Cause::clientalive, observe::Cause::tcp_keepalive,
                           observe::Cause::tcp_retransmit, observe::Cause::reset, observe::Cause::eof,
                           observe::Cause::mac_error, observe::Cause::other, observe::Cause::none}) {
    const std::string cause(observe::to_string(c));
    EXPECT_EQ(parse_string(kHead + "[expect]\nclient_cause = \"" + cause + "\"\n", "t.toml").expect.client_cause, cause);
  }
}

}  // namespace
}  // namespace deadpeer::scenario
