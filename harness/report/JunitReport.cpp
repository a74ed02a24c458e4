#include "report/JunitReport.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report/Escape.hpp"

namespace deadpeer::report {
namespace {

using State = run::Verdict::State;

std::string x(std::string_view s) { return xml_escape(s); }

std::string property(const std::string& name, const std::string& value) {
  return fmt::format("        <property name=\"{}\" value=\"{}\"/>\n", x(name), x(value));
}

double setting_s(const run::CaseOutcome& c, const std::string& key) {
  const auto it = c.settings.find(key);
  if (it == c.settings.end()) return 0;
  const auto* ms = std::get_if<std::int64_t>(&it->second);
  return ms ? static_cast<double>(*ms) / 1000.0 : 0;
}

// Approximate wall time of the case: per run, setup + the wait until the fault + the wait until
// both sides ended (or the horizon). Results do not record the exact figure; this is close.
double case_time_s(const run::CaseOutcome& c) {
  double total = 0;
  for (const auto& r : c.runs) {
    total += r.setup_ms / 1000.0 + setting_s(c, "fault.0.at_ms");
    if (r.error) continue;
    const bool both = r.client.detect_s && r.server.detect_s;
    total += both ? std::max(*r.client.detect_s, *r.server.detect_s) : setting_s(c, "horizon_ms");
  }
  return total;
}

std::string side_text(const run::SideOutcome& s) {
  std::string out = s.detected && s.detect_s ? fmt::format("{:.3f} s {}", *s.detect_s, observe::to_string(s.cause))
                                             : std::string("not detected");
  if (s.agrees) out += *s.agrees ? " (inside the model's window)" : " (OUTSIDE the model's window)";
  if (!s.evidence.empty()) out += ": " + s.evidence;
  return out;
}

std::string side_properties(const std::string& side, const run::SideStats& st, const run::SidePredicted& p) {
  std::string out = property(side + ".detected", Summary::detected(st));
  out += property(side + ".median_s", st.median_s ? fmt::format("{:.3f}", *st.median_s) : "");
  out += property(side + ".p95_s", st.p95_s ? fmt::format("{:.3f}", *st.p95_s) : "");
  out += property(side + ".cause", std::string(observe::to_string(st.cause)));
  out += property(side + ".predicted", Summary::window(p) + " " + std::string(observe::to_string(p.cause)));
  if (st.judged) out += property(side + ".model", fmt::format("{}/{} inside", st.judged - st.disagreed, st.judged));
  return out;
}

std::string case_testcase(const CaseSummary& c) {
  const run::CaseOutcome& o = *c.outcome;
  std::string out = fmt::format("    <testcase classname=\"deadpeer.{}\" name=\"{}\" time=\"{:.3f}\">\n", x(o.scenario),
                                x(c.label), case_time_s(o));
  out += "      <properties>\n" + property("id", o.id) + property("file", o.file);
  out += side_properties("client", c.stats.client, o.predicted_client);
  out += side_properties("server", c.stats.server, o.predicted_server);
  for (const auto& [k, v] : o.settings) out += property("setting." + k, scenario::render(v));
  out += "      </properties>\n";
  if (c.stats.errors) {
    std::string text;
    for (const auto& r : o.runs)
      if (r.error) text += fmt::format("run {}: {}\n", r.repeat + 1, *r.error);
    out += fmt::format("      <error type=\"run-error\" message=\"{}\">{}</error>\n",
                       x(fmt::format("{} of {} runs could not measure", c.stats.errors, c.stats.runs)), x(text));
  }
  std::string log;
  for (const auto& r : o.runs) {
    if (r.error) continue;
    log += fmt::format("run {}: client {}\n       server {}\n", r.repeat + 1, side_text(r.client), side_text(r.server));
  }
  if (!log.empty()) out += "      <system-out>" + x(log) + "</system-out>\n";
  return out + "    </testcase>\n";
}

std::string expectation_testcase(const CaseSummary& c, const run::Verdict& v) {
  std::string out = fmt::format("    <testcase classname=\"deadpeer.{}.expect\" name=\"{}\" time=\"0\">\n",
                                x(c.outcome->scenario), x(c.label + ": " + v.name + " " + v.bound));
  switch (v.state) {
    case State::held: out += "      <system-out>" + x(v.message) + "</system-out>\n"; break;
    case State::violated:
      out += fmt::format("      <failure type=\"expectation\" message=\"{}\">{}</failure>\n", x(v.message), x(v.message));
      break;
    case State::unknown: out += fmt::format("      <skipped message=\"{}\"/>\n", x(v.message)); break;
  }
  return out + "    </testcase>\n";
}

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  double time = 0;
  void add(const CaseSummary& c) {
    tests += 1 + static_cast<int>(c.verdicts.size());
    errors += c.stats.errors ? 1 : 0;
    failures += c.violated();
    skipped += static_cast<int>(std::count_if(c.verdicts.begin(), c.verdicts.end(),
                                              [](const run::Verdict& v) { return v.state == State::unknown; }));
    time += case_time_s(*c.outcome);
  }
  std::string attributes() const {
    return fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\"", tests, failures,
                       errors, skipped, time);
  }
};

}  // namespace

std::string JunitReport::render(const Summary& summary) {
  const run::Results& r = *summary.results;
  // Suites in order of first appearance of their scenario, cases in results order.
  std::vector<std::string> scenarios;
  for (const auto& c : summary.cases)
    if (std::find(scenarios.begin(), scenarios.end(), c.outcome->scenario) == scenarios.end())
      scenarios.push_back(c.outcome->scenario);

  Counts all;
  std::string suites;
  for (const auto& name : scenarios) {
    Counts counts;
    std::string body;
    for (const auto& c : summary.cases) {
      if (c.outcome->scenario != name) continue;
      counts.add(c);
      body += case_testcase(c);
      for (const auto& v : c.verdicts) body += expectation_testcase(c, v);
    }
    all.tests += counts.tests;
    all.failures += counts.failures;
    all.errors += counts.errors;
    all.skipped += counts.skipped;
    all.time += counts.time;
    suites += fmt::format("  <testsuite name=\"{}\" {} timestamp=\"{}\">\n", x(name), counts.attributes(),
                          x(r.environment.started_at));
    suites += "    <properties>\n";
    for (const auto& [k, v] : std::map<std::string, std::string>{{"run_id", r.run_id},
                                                                 {"kernel", r.environment.kernel},
                                                                 {"ssh_version", r.environment.ssh_version},
                                                                 {"sshd_version", r.environment.sshd_version},
                                                                 {"deadpeer_version", r.environment.deadpeer_version},
                                                                 {"interrupted", r.interrupted ? "true" : "false"}})
      suites += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", x(k), x(v));
    suites += "    </properties>\n" + body + "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
         fmt::format("<testsuites name=\"deadpeer\" {}>\n", all.attributes()) + suites + "</testsuites>\n";
}

}  // namespace deadpeer::report
