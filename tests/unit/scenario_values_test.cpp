// The small value helpers of the scenario module: durations, rendering, names, suggestions.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "scenario/DidYouMean.hpp"
#include "scenario/Duration.hpp"
#include "scenario/ScenarioError.hpp"
#include "scenario/ScenarioParser.hpp"
#include "scenario/Sysctl.hpp"

namespace deadpeer::scenario {
namespace {

struct DurationCase {
  std::string text;
  std::optional<std::int64_t> ms;  // nullopt: must be rejected
  std::string why;                 // the reason given on rejection
};

class DurationParse : public ::testing::TestWithParam<DurationCase> {};

TEST_P(DurationParse, ParsesOrRejectsWithReason) {
  const DurationCase& c = GetParam();
  std::string why;
  const auto d = parse_duration(c.text, &why);
  if (c.ms) {
    ASSERT_TRUE(d.has_value()) << c.text << ": " << why;
    EXPECT_EQ(d->count(), *c.ms) << c.text;
  } else {
    EXPECT_FALSE(d.has_value()) << c.text << " parsed as " << d->count() << "ms";
    EXPECT_EQ(why, c.why) << c.text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, DurationParse,
    ::testing::Values(DurationCase{"500ms", 500, ""}, DurationCase{"2s", 2000, ""}, DurationCase{"1.5s", 1500, ""},
                      DurationCase{"2m", 120000, ""}, DurationCase{"1h", 3600000, ""}, DurationCase{"1m30s", 90000, ""},
                      DurationCase{"1h2m3s4ms", 3723004, ""}, DurationCase{"0s", 0, ""},
                      DurationCase{"0.25m", 15000, ""}, DurationCase{"1.001s", 1001, ""},
                      DurationCase{"", std::nullopt, "empty duration"},
                      DurationCase{"-2s", std::nullopt, "negative duration"},
                      DurationCase{"2", std::nullopt, "missing unit after the number (ms, s, m or h)"},
                      DurationCase{"2x", std::nullopt, "unknown unit 'x' (ms, s, m or h)"},
                      DurationCase{"2 s", std::nullopt, "missing unit after the number (ms, s, m or h)"},
                      DurationCase{"30s1m", std::nullopt, "unit 'm' out of order or repeated (largest unit first)"},
                      DurationCase{"1s1s", std::nullopt, "unit 's' out of order or repeated (largest unit first)"},
                      DurationCase{"0.5ms", std::nullopt, "finer than a millisecond"},
                      DurationCase{"1.0001s", std::nullopt, "finer than a millisecond"},
                      DurationCase{"1.s", std::nullopt, "expected digits after '.'"},
                      DurationCase{"s", std::nullopt, "expected a number at position 1"},
                      DurationCase{"99999999999999h", std::nullopt, "number too large"}));

TEST(Duration, FormatIsTheShortestParsableForm) {
  EXPECT_EQ(format_duration(Duration{0}), "0ms");
  EXPECT_EQ(format_duration(Duration{500}), "500ms");
  EXPECT_EQ(format_duration(Duration{1500}), "1.5s");
  EXPECT_EQ(format_duration(Duration{90000}), "1m30s");
  EXPECT_EQ(format_duration(Duration{86400000}), "24h");
  EXPECT_EQ(format_duration(Duration{3600050}), "1h0.05s");
  for (std::int64_t ms : {0, 1, 999, 1000, 1001, 59999, 60000, 3599999, 3600000, 86399999})
    EXPECT_EQ(parse_duration(format_duration(Duration{ms})), Duration{ms}) << ms;
}

TEST(Duration, IntegerInTomlMeansSeconds) {
  const Scenario s = parse_string("name = \"x\"\nhorizon = 45\n[traffic]\ninterval = \"250ms\"\n", "d.toml");
  EXPECT_EQ(s.horizon, std::chrono::seconds(45));
  EXPECT_EQ(s.traffic.interval, std::chrono::milliseconds(250));
}

TEST(Value, RenderUsesSshSpelling) {
  EXPECT_EQ(render(Value{true}), "yes");
  EXPECT_EQ(render(Value{false}), "no");
  EXPECT_EQ(render(Value{std::int64_t{-3}}), "-3");
  EXPECT_EQ(render(Value{2.0}), "2");
  EXPECT_EQ(render(Value{2.5}), "2.5");
  EXPECT_EQ(render(Value{0.1}), "0.1");
  EXPECT_EQ(render(Value{std::string("aes128-ctr")}), "aes128-ctr");
}

TEST(SourceLoc, Str) {
  EXPECT_EQ((SourceLoc{"a.toml", 3, 7}.str()), "a.toml:3:7");
  EXPECT_EQ((SourceLoc{"a.toml", 0, 0}.str()), "a.toml");
}

TEST(Diagnostic, StrOmitsEmptyHint) {
  EXPECT_EQ((Diagnostic{{"f", 1, 2}, "bad", ""}.str()), "f:1:2: error: bad");
  EXPECT_EQ((Diagnostic{{"f", 1, 2}, "bad", "fix it"}.str()), "f:1:2: error: bad (fix it)");
  ScenarioError e({Diagnostic{{"f", 1, 2}, "one", ""}, Diagnostic{{"f", 3, 4}, "two", "h"}});
  EXPECT_EQ(std::string(e.what()), "f:1:2: error: one\nf:3:4: error: two (h)");
}

TEST(Enums, RoundTrip) {
  for (Pattern p : {Pattern::idle, Pattern::interactive, Pattern::stream, Pattern::forward})
    EXPECT_EQ(pattern_from_string(to_string(p)), p);
  EXPECT_EQ(to_string(Pattern::forward), "forward");
  EXPECT_EQ(pattern_from_string("Idle"), std::nullopt);
  EXPECT_EQ(implementation_from_string("dropbear"), Implementation::dropbear);
  EXPECT_EQ(to_string(Implementation::openssh), "openssh");
  EXPECT_EQ(implementation_from_string("putty"), std::nullopt);
}

TEST(DidYouMean, Distance) {
  EXPECT_EQ(edit_distance("horizn", "horizon"), 1);
  EXPECT_EQ(edit_distance("hroizon", "horizon"), 1);  // transposition counts once
  EXPECT_EQ(edit_distance("HORIZON", "horizon"), 0);
  EXPECT_EQ(edit_distance("", "abc"), 3);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3);
}

TEST(DidYouMean, Suggestion) {
  const std::vector<std::string> keys = {"name", "repeat", "horizon"};
  EXPECT_EQ(did_you_mean("horizn", keys), "did you mean 'horizon'?");
  EXPECT_EQ(did_you_mean("Repeat", keys), "did you mean 'repeat'?");
  EXPECT_EQ(did_you_mean("colour", keys), "expected one of: name, repeat, horizon");
  EXPECT_EQ(closest_match("zzzzzz", keys), std::nullopt);
}

TEST(Sysctl, NamesAndPaths) {
  ASSERT_NE(find_sysctl("tcp_keepalive_probes", KernelSide::client), nullptr);
  EXPECT_EQ(find_sysctl("tcp_keepalive_probes", KernelSide::client)->max, 127);
  EXPECT_EQ(find_sysctl("nf_conntrack_tcp_timeout_established", KernelSide::server), nullptr);
  EXPECT_NE(find_sysctl("nf_conntrack_tcp_timeout_established", KernelSide::router), nullptr);
  EXPECT_EQ(find_sysctl("tcp_mem", KernelSide::router), nullptr);  // three values, not one integer
  EXPECT_EQ(sysctl_full_name("tcp_retries2"), "net.ipv4.tcp_retries2");
  EXPECT_EQ(sysctl_full_name("nf_conntrack_udp_timeout"), "net.netfilter.nf_conntrack_udp_timeout");
  EXPECT_EQ(sysctl_proc_path("tcp_retries2"), "net/ipv4/tcp_retries2");
  EXPECT_EQ(kernel_side_from_string("router"), KernelSide::router);
  EXPECT_EQ(to_string(KernelSide::server), "server");
}

}  // namespace
}  // namespace deadpeer::scenario
