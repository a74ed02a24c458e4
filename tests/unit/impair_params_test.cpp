// `impair`'s parameters as a scenario writes them: every mistake is reported at the line and
// column of the parameter (or of the [[fault]] for a problem of the whole fault), before any
// namespace exists; correct settings read into the configuration the stages get.
#include <gtest/gtest.h>

#include "faults/FaultFactory.hpp"
#include "faults/Impair.hpp"

namespace deadpeer::faults {
namespace {

using namespace std::chrono_literals;

struct Spec {
  scenario::FaultSpec spec;
  Spec() {
    spec.kind = "impair";
    spec.loc = {"impair.toml", 3, 1};
  }
  Spec& set(const std::string& key, scenario::Value v) {
    const int line = 4 + static_cast<int>(spec.params.size());
    spec.params[key] = scenario::Setting{key, std::move(v), {"impair.toml", line, 1}};
    return *this;
  }
};

std::vector<scenario::Diagnostic> check(const Spec& s) { return FaultFactory::validate(s.spec); }

// The single diagnostic, which must mention `needle`.
void expect_one_error(const Spec& s, int line, const std::string& needle) {
  const auto d = check(s);
  ASSERT_EQ(d.size(), 1u) << (d.empty() ? "no diagnostic" : d[0].str() + " …");
  EXPECT_EQ(d[0].loc.file, "impair.toml");
  EXPECT_EQ(d[0].loc.line, line) << d[0].str();
  EXPECT_NE(d[0].str().find(needle), std::string::npos) << d[0].str();
}

TEST(ImpairParams, ValidSettingsPassAndReadAsConfigured) {
  Spec s;
  s.set("delay", std::string("50ms")).set("jitter", std::string("5ms")).set("loss", 2.5);
  s.set("duplicate", std::string("1%")).set("reorder", std::int64_t{10}).set("rate", std::string("10mbit"));
  s.set("direction", std::string("to-server")).set("limit", std::int64_t{500});
  EXPECT_TRUE(check(s).empty()) << check(s)[0].str();
  FaultParams p(s.spec);
  const auto r = read_impair(p);
  EXPECT_EQ(r.config.delay, 50ms);
  EXPECT_EQ(r.config.jitter, 5ms);
  EXPECT_DOUBLE_EQ(r.config.loss, 2.5);
  EXPECT_DOUBLE_EQ(r.config.duplicate, 1);
  EXPECT_DOUBLE_EQ(r.config.reorder, 10);
  EXPECT_DOUBLE_EQ(*r.config.rate_bps, 10e6);
  EXPECT_EQ(r.config.direction, Direction::to_server);
  EXPECT_EQ(r.config.limit, 500u);
  EXPECT_EQ(r.backend, ImpairBackend::automatic);
}

TEST(ImpairParams, ZeroDelayIsAValidSettingThatMeasuresThePathItself) {
  EXPECT_TRUE(check(Spec().set("delay", std::string("0ms"))).empty());
}

TEST(ImpairParams, NegativeDelayIsReportedAtItsLine) {
  expect_one_error(Spec().set("delay", std::string("-5ms")), 4, "negative");
}

TEST(ImpairParams, DelayOverTenSecondsIsOutOfRange) {
  expect_one_error(Spec().set("delay", std::string("11s")), 4, "out of range");
}

TEST(ImpairParams, LossOverHundredPercentIsReportedAtItsLine) {
  expect_one_error(Spec().set("delay", std::string("1ms")).set("loss", std::int64_t{150}), 5, "percentage");
}

TEST(ImpairParams, UnknownDirectionSuggestsTheNearestOne) {
  expect_one_error(Spec().set("loss", std::int64_t{1}).set("direction", std::string("to-sever")), 5, "to-server");
}

TEST(ImpairParams, BadRateIsReportedAtItsLine) {
  expect_one_error(Spec().set("rate", std::string("10 furlongs")), 4, "rate");
}

TEST(ImpairParams, NoKnobIsAnErrorAtTheFault) {
  expect_one_error(Spec().set("direction", std::string("both")), 3, "sets no impairment");
}

TEST(ImpairParams, JitterLargerThanDelayIsAnError) {
  expect_one_error(Spec().set("delay", std::string("10ms")).set("jitter", std::string("20ms")), 3,
                   "jitter 20ms is larger than delay 10ms");
}

TEST(ImpairParams, ReorderNeedsADelay) {
  expect_one_error(Spec().set("reorder", std::int64_t{25}), 3, "reorder needs a delay");
}

TEST(ImpairParams, RateCannotBeForcedOntoNetem) {
  expect_one_error(Spec().set("rate", std::string("1mbit")).set("backend", std::string("netem")), 3, "netem");
}

TEST(ImpairParams, TyposAreCaught) {
  expect_one_error(Spec().set("delay", std::string("1ms")).set("jiter", std::string("1ms")), 5, "jitter");
}

}  // namespace
}  // namespace deadpeer::faults
