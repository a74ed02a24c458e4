#include "report/ChartLibrary.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "report/ReportError.hpp"

namespace deadpeer::report {

std::filesystem::path ChartLibrary::path() {
  const char* env = std::getenv("DEADPEER_CHARTJS");
  return env && *env ? std::filesystem::path(env) : std::filesystem::path(kDebianPath);
}

std::string ChartLibrary::load() {
  const auto file = path();
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw ReportError(ReportError::Kind::missing_dependency,
                      "cannot read Chart.js for the HTML report from " + file.string() + ": " + std::strerror(err) +
                          " (install the Debian package " + kPackage + ", or set DEADPEER_CHARTJS to chart.min.js)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string js = text.str();
  if (js.find("Chart") == std::string::npos)
    throw ReportError(ReportError::Kind::missing_dependency,
                      file.string() + " does not look like Chart.js (no 'Chart' in it; expected the " + kPackage +
                          " package's chart.min.js)");
  // Inlined as-is into <script>: a "</script" inside would end the element early.
  std::string lower = js;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower.find("</script") != std::string::npos)
    throw ReportError(ReportError::Kind::bad_input,
                      file.string() + " contains \"</script\" and cannot be inlined into the HTML report");
  return js;
}

}  // namespace deadpeer::report
