#pragma once
// What every report format says, computed once: per case its label, statistics, expectation
// verdicts and disagreements with the model; per run set the totals. The formats only lay it
// out, so Markdown, JUnit and HTML can never disagree about a number.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "run/Expectations.hpp"
#include "run/Results.hpp"
#include "run/Statistics.hpp"

namespace deadpeer::report {

struct CaseSummary {
  const run::CaseOutcome* outcome = nullptr;  // points into Summary::results
  std::string label;                          // "blackhole[ServerAliveInterval=5]"
  std::string varying;                        // "ServerAliveInterval=5", or "" for a single case
  std::string fault_kind;                     // fault.0.kind, "(no fault)" without one
  std::optional<double> horizon_s;            // horizon_ms of the settings
  run::CaseStats stats;
  std::vector<run::Verdict> verdicts;  // of its scenario's [expect], in declaration order

  int violated() const;
  int disagreed() const { return stats.client.disagreed + stats.server.disagreed; }
};

struct Summary {
  const run::Results* results = nullptr;
  std::vector<CaseSummary> cases;       // in the results' order
  std::vector<std::string> fault_kinds;  // in order of first appearance
  int runs = 0, errors = 0;             // over all cases
  int judged = 0, disagreed = 0;        // side-runs with a model verdict, and those outside it
  int held = 0, violated = 0, unknown = 0;  // expectation verdicts

  // `results` must outlive the summary (cases point into it).
  static Summary of(const run::Results& results, const run::ExpectationsById& expect);

  std::vector<const CaseSummary*> cases_of_kind(const std::string& kind) const;
  bool ok() const { return errors == 0 && violated == 0 && !results->interrupted; }

  // Formatting shared by the formats, so numbers read the same everywhere.
  static std::string seconds(const std::optional<double>& s);  // "3.770 s" or "—"
  static std::string window(const run::SidePredicted& p);      // "3.000–4.000 s", "never", "—" (no model)
  static std::string detected(const run::SideStats& s);        // "3/3"
};

}  // namespace deadpeer::report
