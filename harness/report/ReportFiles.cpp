#include "report/ReportFiles.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "report/HtmlReport.hpp"
#include "report/JunitReport.hpp"
#include "report/MarkdownReport.hpp"
#include "report/ReportError.hpp"
#include "sys/Log.hpp"

namespace deadpeer::report {
namespace {

void write_file(const std::filesystem::path& path, const std::string& text, const char* format) {
  if (path == "-") {
    std::cout << text << std::flush;
    return;
  }
  const auto tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      const int err = errno;
      throw ReportError(ReportError::Kind::io, std::string("cannot write the ") + format + " report to " +
                                                   path.string() + ": " + std::strerror(err));
    }
    out << text;
    out.flush();
    if (!out) {
      const int err = errno;
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw ReportError(ReportError::Kind::io, std::string("cannot write the ") + format + " report to " + tmp + ": " +
                                                   std::strerror(err));
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw ReportError(ReportError::Kind::io, std::string("cannot move the ") + format + " report into place at " +
                                                 path.string() + ": " + ec.message());
  }
  sys::log("report").debug("wrote the {} report to {} ({} bytes)", format, path.string(), text.size());
}

}  // namespace

void write_reports(const run::Results& results, const run::ExpectationsById& expect, const ReportFiles& files) {
  const Summary summary = Summary::of(results, expect);
  struct Output {
    std::filesystem::path path;
    std::string text;
    const char* format;
  };
  std::vector<Output> outputs;
  if (files.html) outputs.push_back({*files.html, HtmlReport::render(summary), "HTML"});
  if (files.markdown) outputs.push_back({*files.markdown, MarkdownReport::render(summary), "Markdown"});
  if (files.junit) outputs.push_back({*files.junit, JunitReport::render(summary), "JUnit"});
  for (const auto& o : outputs) write_file(o.path, o.text, o.format);
}

}  // namespace deadpeer::report
