#pragma once
// Shared helpers of the model tests: exact windows, with a micro-second of float slack.
#include <gtest/gtest.h>

#include "model/Model.hpp"

namespace deadpeer::model::test {

inline void expect_window(const SidePrediction& p, double lo, double hi, observe::Cause cause, const std::string& rule) {
  ASSERT_TRUE(p.window.has_value()) << p.rule << ": " << p.explanation;
  EXPECT_NEAR(p.window->lo_s, lo, 1e-6) << p.explanation;
  EXPECT_NEAR(p.window->hi_s, hi, 1e-6) << p.explanation;
  EXPECT_EQ(p.cause, cause) << p.explanation;
  EXPECT_EQ(p.rule, rule) << p.explanation;
}

// Inputs with only the fault set (defaults everywhere else).
inline Inputs with_fault(const std::string& fault, std::map<std::string, std::string> params = {}) {
  Inputs in;
  in.fault = fault;
  in.fault_params = std::move(params);
  return in;
}

inline void expect_never(const SidePrediction& p, const std::string& rule) {
  EXPECT_FALSE(p.window.has_value()) << p.explanation;
  EXPECT_EQ(p.cause, observe::Cause::none) << p.explanation;
  EXPECT_EQ(p.rule, rule) << p.explanation;
}

}  // namespace deadpeer::model::test
