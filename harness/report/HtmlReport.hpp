#pragma once
// One self-contained HTML file: Chart.js and the data are inlined, and a Content-Security-Policy
// forbids every fetch, so the report opens offline and never calls home. Per fault kind a chart
// of detection time per case (client and server side by side, each run a point, the model's
// window a bar) and a table; per case a timeline of every run (fault, log lines, exits,
// detections) with the full log in a collapsible table. The tables are rendered here, escaped,
// and read without JavaScript; the charts are drawn by report/HtmlScript.cpp.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "report/Summary.hpp"

namespace deadpeer::report {

class HtmlReport {
 public:
  // Timeline entries per run beyond which the chart (not the table) leaves the rest out; a
  // streaming run can log thousands of lines and a scatter of them helps nobody.
  static constexpr std::size_t kChartEntriesPerRun = 500;
  static constexpr std::size_t kTableEntriesPerRun = 2000;

  // With Chart.js from ChartLibrary::load() (throws ReportError when it is missing).
  static std::string render(const Summary& summary);
  // With the given library text; tests pass a stub to check the page around it.
  static std::string render(const Summary& summary, std::string_view chart_js);

  // What the page's script draws from (layout in HtmlScript.cpp).
  static nlohmann::json chart_data(const Summary& summary);
};

}  // namespace deadpeer::report
