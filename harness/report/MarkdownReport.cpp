#include "report/MarkdownReport.hpp"

#include <fmt/format.h>

#include "report/Escape.hpp"

namespace deadpeer::report {
namespace {

using State = run::Verdict::State;

std::string md(std::string_view s) { return markdown_escape(s); }

// "3.770 s · 3/3", or "never · 0/3" when no run noticed within the horizon.
std::string median_cell(const run::SideStats& s) {
  if (s.measured == 0) return "—";
  return (s.median_s ? Summary::seconds(s.median_s) : "never") + " · " + Summary::detected(s);
}

std::string cause_cell(const run::SideStats& s) {
  if (s.measured == 0) return "—";
  const std::string cause(observe::to_string(s.cause));
  return s.cause_count == s.measured ? cause : fmt::format("{} ({}/{})", cause, s.cause_count, s.measured);
}

std::string predicted_cell(const run::SidePredicted& p) {
  const std::string w = Summary::window(p);
  return w == "—" ? w : w + " " + std::string(observe::to_string(p.cause));
}

std::string flags(const CaseSummary& c) {
  std::string out;
  if (c.stats.errors) out += fmt::format("💥 {}/{} failed ", c.stats.errors, c.stats.runs);
  if (c.violated()) out += fmt::format("❌ {} expect ", c.violated());
  if (c.stats.client.disagreed) out += fmt::format("⚠️ client≠model {}/{} ", c.stats.client.disagreed, c.stats.client.judged);
  if (c.stats.server.disagreed) out += fmt::format("⚠️ server≠model {}/{} ", c.stats.server.disagreed, c.stats.server.judged);
  if (out.empty()) return "✅";
  out.pop_back();
  return out;
}

std::string headline(const Summary& s) {
  std::string verdict;
  if (s.results->interrupted)
    verdict = "⏹️ interrupted, results are partial";
  else if (s.violated || s.errors)
    verdict = "❌ " + std::string(s.violated ? fmt::format("{} expectation(s) violated", s.violated) : "") +
              (s.violated && s.errors ? ", " : "") + (s.errors ? fmt::format("{} run(s) failed to measure", s.errors) : "");
  else
    verdict = s.held ? "✅ all expectations held" : "✅ all runs measured";
  return fmt::format("## deadpeer: {} case(s), {} run(s) — {}\n\n", s.cases.size(), s.runs, verdict);
}

std::string environment(const run::Results& r) {
  const auto& e = r.environment;
  return fmt::format("<sub>run {} · {} · sshd {} · {} · {} CPU(s) · deadpeer {} · {}</sub>\n\n", md(r.run_id),
                     md(e.ssh_version), md(e.sshd_version), md(e.kernel), e.cpus, md(e.deadpeer_version),
                     md(e.started_at));
}

std::string totals(const Summary& s) {
  std::string out = fmt::format("- **Runs:** {} measured, {} failed to measure\n", s.runs - s.errors, s.errors);
  if (s.judged)
    out += fmt::format("- **Model:** {} of {} side-runs inside the predicted window{}\n", s.judged - s.disagreed, s.judged,
                       s.disagreed ? fmt::format(" (⚠️ {} outside)", s.disagreed) : "");
  if (s.held + s.violated + s.unknown)
    out += fmt::format("- **Expectations:** {} held, {} violated, {} not judged\n", s.held, s.violated, s.unknown);
  return out + "\n";
}

std::string kind_table(const Summary& s, const std::string& kind) {
  std::string out = fmt::format("### {}\n\n", md(kind));
  out += "| case | client median | client p95 | client cause | client predicted "
         "| server median | server p95 | server cause | server predicted | flags |\n"
         "|---|--:|--:|---|---|--:|--:|---|---|---|\n";
  for (const CaseSummary* c : s.cases_of_kind(kind)) {
    const auto& st = c->stats;
    out += fmt::format("| {} <sub>{}</sub> | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", md(c->label),
                       md(c->outcome->id), median_cell(st.client), Summary::seconds(st.client.p95_s),
                       cause_cell(st.client), predicted_cell(c->outcome->predicted_client), median_cell(st.server),
                       Summary::seconds(st.server.p95_s), cause_cell(st.server),
                       predicted_cell(c->outcome->predicted_server), flags(*c));
  }
  return out + "\n";
}

// The messages behind the flags: what to read before anything else.
std::string details(const Summary& s) {
  std::string violated, unknown, disagreements, errors;
  for (const auto& c : s.cases) {
    for (const auto& v : c.verdicts) {
      if (v.state == State::violated) violated += "- " + md(v.message) + "\n";
      if (v.state == State::unknown) unknown += "- " + md(v.message) + "\n";
    }
    for (bool client : {true, false}) {
      const auto& st = client ? c.stats.client : c.stats.server;
      if (!st.disagreed) continue;
      const auto& p = client ? c.outcome->predicted_client : c.outcome->predicted_server;
      disagreements += fmt::format("- {} {}: {} of {} runs outside {} (measured median {}, cause {}; rule {})\n",
                                   md(c.label), client ? "client" : "server", st.disagreed, st.judged,
                                   md(predicted_cell(p)), Summary::seconds(st.median_s), observe::to_string(st.cause),
                                   md(p.rule));
    }
    for (const auto& r : c.outcome->runs)
      if (r.error) errors += fmt::format("- {} run {}: {}\n", md(c.label), r.repeat + 1, md(*r.error));
  }
  std::string out;
  if (!violated.empty()) out += "### ❌ Expectations violated\n\n" + violated + "\n";
  if (!unknown.empty()) out += "### Expectations not judged\n\n" + unknown + "\n";
  if (!disagreements.empty()) out += "### ⚠️ Measurement outside the model's window\n\n" + disagreements + "\n";
  if (!errors.empty()) out += "### 💥 Runs that failed to measure\n\n" + errors + "\n";
  return out;
}

}  // namespace

std::string MarkdownReport::render(const Summary& summary) {
  std::string out = headline(summary) + environment(*summary.results) + totals(summary);
  for (const auto& kind : summary.fault_kinds) out += kind_table(summary, kind);
  out += details(summary);
  out += "<sub>Median and p95 over the runs that detected (linear interpolation); `n/m`: runs that detected of runs "
         "measured. Predicted: the timing model's window (docs/timing-model.md).</sub>\n";
  return out;
}

}  // namespace deadpeer::report
