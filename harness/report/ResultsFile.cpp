#include "report/ResultsFile.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "report/ReportError.hpp"

namespace deadpeer::report {
namespace {

[[noreturn]] void bad(const std::string& message) { throw ReportError(ReportError::Kind::bad_input, message); }

// nlohmann's messages start with "[json.exception.type_error.302] "; the tag helps nobody.
std::string without_tag(const std::string& what) {
  const auto end = what.find("] ");
  return what.starts_with("[json.exception.") && end != std::string::npos ? what.substr(end + 2) : what;
}

std::string line_col(std::string_view text, std::size_t byte) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

}  // namespace

LoadedResults ResultsFile::parse(std::string_view text, const std::string& name) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is one past the offending character.
    bad(name + ":" + line_col(text, e.byte ? e.byte - 1 : 0) + ": not valid JSON: " + without_tag(e.what()));
  }
  if (!doc.is_object() || !doc.contains("schema") || !doc.contains("cases"))
    bad(name + ": not a deadpeer results file (expected a JSON object with \"schema\" and \"cases\", as written by "
               "deadpeer run)");
  if (!doc["schema"].is_number_integer()) bad(name + ": \"schema\" is not an integer");
  const int schema = doc["schema"].get<int>();
  if (schema > run::kSchemaVersion)
    bad(name + ": results schema " + std::to_string(schema) + " is newer than this deadpeer reads (" +
        std::to_string(run::kSchemaVersion) + "); use the deadpeer that wrote it");
  if (!doc["cases"].is_array()) bad(name + ": \"cases\" is not an array");
  LoadedResults out;
  try {
    out.results = run::results_from_json(doc);
    out.expect = run::expectations_from_results_json(doc);
  } catch (const nlohmann::json::exception& e) {
    bad(name + ": not a valid deadpeer results file: " + without_tag(e.what()));
  }
  return out;
}

LoadedResults ResultsFile::load(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) bad("cannot read results file " + path.string() + ": it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    bad("cannot open results file " + path.string() + " for reading: " + std::strerror(err));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string());
}

}  // namespace deadpeer::report
