#include "report/Summary.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace deadpeer::report {
int CaseSummary::violated() const {
  return static_cast<int>(std::count_if(verdicts.begin(), verdicts.end(),
                                        [](const run::Verdict& v) { return v.state == run::Verdict::State::violated; }));
}

Summary Summary::of(const run::Results& results, const run::ExpectationsById& expect) {
  Summary s;
  s.results = &results;
  const auto labels = run::case_labels(results);
  const auto varying = run::varying_text(results);
  for (const auto& c : results.cases) {
    CaseSummary cs;
    cs.outcome = &c;
    cs.label = labels.at(c.id);
    cs.varying = varying.at(c.id);
    const auto kind = c.settings.find("fault.0.kind");
    cs.fault_kind = kind != c.settings.end() ? scenario::render(kind->second) : "(no fault)";
    if (const auto h = c.settings.find("horizon_ms"); h != c.settings.end()) {
      if (const auto* ms = std::get_if<std::int64_t>(&h->second)) cs.horizon_s = static_cast<double>(*ms) / 1000.0;
    }
    cs.stats = run::case_stats(c);
    if (const auto e = expect.find(c.id); e != expect.end()) cs.verdicts = run::evaluate(c, e->second, cs.label);

    s.runs += cs.stats.runs;
    s.errors += cs.stats.errors;
    s.judged += cs.stats.client.judged + cs.stats.server.judged;
    s.disagreed += cs.disagreed();
    for (const auto& v : cs.verdicts) {
      if (v.state == run::Verdict::State::held) ++s.held;
      if (v.state == run::Verdict::State::violated) ++s.violated;
      if (v.state == run::Verdict::State::unknown) ++s.unknown;
    }
    if (std::find(s.fault_kinds.begin(), s.fault_kinds.end(), cs.fault_kind) == s.fault_kinds.end())
      s.fault_kinds.push_back(cs.fault_kind);
    s.cases.push_back(std::move(cs));
  }
  return s;
}

std::vector<const CaseSummary*> Summary::cases_of_kind(const std::string& kind) const {
  std::vector<const CaseSummary*> out;
  for (const auto& c : cases)
    if (c.fault_kind == kind) out.push_back(&c);
  return out;
}

std::string Summary::seconds(const std::optional<double>& s) { return s ? fmt::format("{:.3f} s", *s) : "—"; }

std::string Summary::window(const run::SidePredicted& p) {
  if (p.rule.empty()) return "—";
  if (!p.lo_s || !p.hi_s) return "never";
  return fmt::format("{:.3f}–{:.3f} s", *p.lo_s, *p.hi_s);
}

std::string Summary::detected(const run::SideStats& s) { return fmt::format("{}/{}", s.detected, s.measured); }

}  // namespace deadpeer::report
