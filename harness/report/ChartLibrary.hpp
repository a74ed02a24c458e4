#pragma once
// Chart.js, which the HTML report inlines so the file opens without network access. It comes
// from Debian's libjs-chart.js (ci/install-deps.sh); DEADPEER_CHARTJS names another copy (for
// a machine without the package, or a test).
#include <filesystem>
#include <string>

namespace deadpeer::report {

class ChartLibrary {
 public:
  static constexpr const char* kPackage = "libjs-chart.js";
  static constexpr const char* kDebianPath = "/usr/share/javascript/chart.js/chart.min.js";

  // $DEADPEER_CHARTJS when set, else kDebianPath.
  static std::filesystem::path path();

  // The minified library. Throws ReportError (missing_dependency) naming the file and the
  // package when it cannot be read, and (bad_input) when its text could end the <script>
  // element it is inlined into.
  static std::string load();
};

}  // namespace deadpeer::report
