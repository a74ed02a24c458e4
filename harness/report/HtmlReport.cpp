#include "report/HtmlReport.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "report/ChartLibrary.hpp"
#include "report/Escape.hpp"
#include "report/HtmlScript.hpp"

namespace deadpeer::report {
namespace {

using State = run::Verdict::State;

std::string h(std::string_view s) { return html_escape(s); }

// No fetch of any kind: scripts and styles only inline, images only as data: URLs.
constexpr std::string_view kPolicy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

constexpr std::string_view kStyle = R"CSS(
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
.env { color: #555; font-size: 0.9em; }
.verdict { padding: 0.6em 0.9em; border-radius: 6px; font-weight: 600; }
.ok { background: #e6f4ea; } .bad { background: #fce8e6; } .warn { background: #fef7e0; }
.errors { background: #fce8e6; padding: 0.5em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.55em; text-align: left; vertical-align: top; }
th { background: #f5f5f5; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.chart { position: relative; width: 100%; margin: 0.6em 0; }
.kind-chart { height: 360px; }
ul.verdicts li.violated { color: #b3261e; } ul.verdicts li.unknown { color: #8a6d00; }
details { margin: 0.3em 0; } summary { cursor: pointer; }
td.src { white-space: nowrap; color: #555; } td.text { font-family: ui-monospace, monospace; white-space: pre-wrap; }
small { color: #666; font-weight: normal; }
)CSS";

nlohmann::json optional_json(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json side_data(const run::CaseOutcome& c, bool client) {
  const run::SidePredicted& p = client ? c.predicted_client : c.predicted_server;
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& r : c.runs) {
    if (r.error) continue;
    const run::SideOutcome& s = client ? r.client : r.server;
    runs.push_back({{"run", r.repeat + 1},
                    {"t", s.detected ? optional_json(s.detect_s) : nlohmann::json(nullptr)},
                    {"cause", valid_utf8(observe::to_string(s.cause))}});
  }
  return {{"predicted", p.lo_s && p.hi_s ? nlohmann::json::array({*p.lo_s, *p.hi_s}) : nlohmann::json(nullptr)},
          {"cause", std::string(observe::to_string(p.cause))},
          {"runs", runs}};
}

std::string side_cells(const run::SideStats& s, const run::SidePredicted& p) {
  const std::string cause = s.measured == 0 ? "—"
                            : s.cause_count == s.measured
                                ? std::string(observe::to_string(s.cause))
                                : fmt::format("{} ({}/{})", observe::to_string(s.cause), s.cause_count, s.measured);
  std::string model = h(Summary::window(p) + " " + std::string(observe::to_string(p.cause)));
  if (s.judged) model += fmt::format("<br><small>{}/{} inside</small>", s.judged - s.disagreed, s.judged);
  return fmt::format("<td class=num>{}</td><td class=num>{}</td><td class=num>{}</td><td>{}</td><td>{}</td>",
                     h(Summary::seconds(s.median_s)), h(Summary::seconds(s.p95_s)), h(Summary::detected(s)), h(cause),
                     model);
}

std::string header(const Summary& s) {
  const run::Results& r = *s.results;
  const auto& e = r.environment;
  std::string out = "<h1>deadpeer report</h1>\n";
  out += fmt::format("<p class=env>run {} · {} · sshd {} · {} · {} CPU(s) · deadpeer {} · started {}</p>\n", h(r.run_id),
                     h(e.ssh_version), h(e.sshd_version), h(e.kernel), e.cpus, h(e.deadpeer_version), h(e.started_at));
  const std::string cls = s.ok() ? (s.disagreed ? "warn" : "ok") : "bad";
  out += fmt::format(
      "<p class=\"verdict {}\">{} case(s), {} run(s): {} failed to measure; expectations {} held, {} violated, {} not "
      "judged; model: {} of {} side-runs inside the predicted window{}</p>\n",
      cls, s.cases.size(), s.runs, s.errors, s.held, s.violated, s.unknown, s.judged - s.disagreed, s.judged,
      r.interrupted ? " — interrupted, results are partial" : "");
  out += "<p id=js-errors class=errors hidden></p>\n";
  out += "<noscript><p class=errors>JavaScript is off: the tables below hold every number, the charts need it.</p>"
         "</noscript>\n";
  return out;
}

std::string kind_section(const Summary& s, const std::string& kind, std::size_t index) {
  std::string out = fmt::format("<section>\n<h2>{}</h2>\n<div class=\"chart kind-chart\"><canvas id=kind-{}></canvas></div>\n",
                                h(kind), index);
  out += "<table>\n<tr><th rowspan=2>case</th><th colspan=5>client</th><th colspan=5>server</th><th rowspan=2>runs</th>"
         "</tr>\n<tr>";
  for (int i = 0; i < 2; ++i) out += "<th>median</th><th>p95</th><th>detected</th><th>cause</th><th>predicted</th>";
  out += "</tr>\n";
  for (const CaseSummary* c : s.cases_of_kind(kind)) {
    const auto& o = *c->outcome;
    out += fmt::format("<tr><td><a href=\"#case-{}\">{}</a><br><small>{}</small></td>{}{}<td class=num>{}{}</td></tr>\n",
                       static_cast<std::size_t>(c - s.cases.data()),  // c points into s.cases
                       h(c->label), h(o.id), side_cells(c->stats.client, o.predicted_client),
                       side_cells(c->stats.server, o.predicted_server), c->stats.runs,
                       c->stats.errors ? fmt::format("<br><small>{} failed</small>", c->stats.errors) : "");
  }
  out += "</table>\n";
  std::string verdicts;
  for (const CaseSummary* c : s.cases_of_kind(kind))
    for (const auto& v : c->verdicts)
      verdicts += fmt::format("<li class={}>{}: {}</li>\n", to_string(v.state),
                              v.state == State::held ? "held" : v.state == State::violated ? "VIOLATED" : "not judged",
                              h(v.message));
  if (!verdicts.empty()) out += "<h3>Expectations</h3>\n<ul class=verdicts>\n" + verdicts + "</ul>\n";
  return out + "</section>\n";
}

std::string side_line(const char* side, const run::SideOutcome& s) {
  if (!s.detected || !s.detect_s) return fmt::format("{} did not detect", side);
  return fmt::format("{} {:.3f} s {}", side, *s.detect_s, observe::to_string(s.cause));
}

std::string case_timeline(const CaseSummary& c, std::size_t index) {
  const auto& o = *c.outcome;
  std::string out = fmt::format("<article id=case-{}>\n<h3>{} <small>{}</small></h3>\n", index, h(c.label), h(o.id));
  std::size_t lanes = 1;  // the "detected" lane
  std::vector<std::string> sources;
  for (const auto& r : o.runs)
    for (const auto& t : r.timeline)
      if (std::find(sources.begin(), sources.end(), t.source) == sources.end()) sources.push_back(t.source);
  lanes += sources.size();
  out += fmt::format("<div class=chart style=\"height:{}px\"><canvas id=tl-{}></canvas></div>\n", 110 + 34 * lanes, index);
  for (const auto& r : o.runs) {
    if (r.error) {
      out += fmt::format("<p class=errors>run {}: {}</p>\n", r.repeat + 1, h(*r.error));
      continue;
    }
    out += fmt::format("<details><summary>run {}: {}, {} — {} timeline entries</summary>\n<table>\n"
                       "<tr><th>t (s)</th><th>source</th><th>text</th></tr>\n",
                       r.repeat + 1, h(side_line("client", r.client)), h(side_line("server", r.server)), r.timeline.size());
    const std::size_t shown = std::min(r.timeline.size(), HtmlReport::kTableEntriesPerRun);
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& t = r.timeline[i];
      out += fmt::format("<tr><td class=num>{:.3f}</td><td class=src>{}</td><td class=text>{}</td></tr>\n", t.t_s,
                         h(t.source), h(t.text));
    }
    if (shown < r.timeline.size())
      out += fmt::format("<tr><td colspan=3>… {} more entries in results.json</td></tr>\n", r.timeline.size() - shown);
    out += "</table>\n</details>\n";
  }
  return out + "</article>\n";
}

}  // namespace

nlohmann::json HtmlReport::chart_data(const Summary& summary) {
  nlohmann::json kinds = nlohmann::json::array();
  for (std::size_t k = 0; k < summary.fault_kinds.size(); ++k) {
    nlohmann::json indices = nlohmann::json::array();
    for (std::size_t i = 0; i < summary.cases.size(); ++i)
      if (summary.cases[i].fault_kind == summary.fault_kinds[k]) indices.push_back(i);
    kinds.push_back({{"name", valid_utf8(summary.fault_kinds[k])}, {"canvas", fmt::format("kind-{}", k)}, {"cases", indices}});
  }
  nlohmann::json cases = nlohmann::json::array();
  for (std::size_t i = 0; i < summary.cases.size(); ++i) {
    const CaseSummary& c = summary.cases[i];
    const auto& o = *c.outcome;
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& r : o.runs) {
      if (r.error) continue;
      nlohmann::json entries = nlohmann::json::array();
      const std::size_t shown = std::min(r.timeline.size(), kChartEntriesPerRun);
      for (std::size_t e = 0; e < shown; ++e)
        entries.push_back({r.timeline[e].t_s, valid_utf8(r.timeline[e].source), valid_utf8(r.timeline[e].text)});
      runs.push_back({{"run", r.repeat + 1}, {"entries", entries}, {"dropped", r.timeline.size() - shown}});
    }
    cases.push_back({{"id", valid_utf8(o.id)},
                     {"label", valid_utf8(c.label)},
                     {"axis", valid_utf8(c.varying.empty() ? c.label : c.varying)},
                     {"horizon_s", optional_json(c.horizon_s)},
                     {"client", side_data(o, true)},
                     {"server", side_data(o, false)},
                     {"timeline", {{"canvas", fmt::format("tl-{}", i)}, {"runs", runs}}}});
  }
  return {{"kinds", kinds}, {"cases", cases}};
}

std::string HtmlReport::render(const Summary& summary) { return render(summary, ChartLibrary::load()); }

std::string HtmlReport::render(const Summary& summary, std::string_view chart_js) {
  const run::Results& r = *summary.results;
  std::string out = "<!DOCTYPE html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n";
  out += fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n", kPolicy);
  out += "<meta name=viewport content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>deadpeer report — run {}</title>\n", h(r.run_id));
  out += fmt::format("<style>{}</style>\n<script>{}</script>\n</head>\n<body>\n", kStyle, html_error_hook_script());
  out += header(summary);
  for (std::size_t k = 0; k < summary.fault_kinds.size(); ++k) out += kind_section(summary, summary.fault_kinds[k], k);
  out += "<section>\n<h2>Timelines</h2>\n<p>Every observed line, exit and mark of each run, in seconds after the fault "
         "(t0). Stars: the moment each side noticed; bars: the model's window.</p>\n";
  for (std::size_t i = 0; i < summary.cases.size(); ++i) out += case_timeline(summary.cases[i], i);
  out += "</section>\n";
  const std::string data = chart_data(summary).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += "<script id=deadpeer-data type=\"application/json\">" + json_for_script(data) + "</script>\n";
  out += "<script>\n";
  out += chart_js;
  out += "\n</script>\n<script>" + std::string(html_draw_script()) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace deadpeer::report
