#pragma once
// Reads a results.json (docs/results.md) back for `deadpeer report` and `deadpeer compare`,
// with errors that name the file and what is wrong with it.
#include <filesystem>
#include <string>
#include <string_view>

#include "run/Expectations.hpp"
#include "run/Results.hpp"

namespace deadpeer::report {

struct LoadedResults {
  run::Results results;
  run::ExpectationsById expect;  // from cases[].expect
};

class ResultsFile {
 public:
  // Throws ReportError (bad_input) when the file is missing or unreadable, is not JSON (with
  // line:column), is not a results document, or has a newer schema than this deadpeer reads.
  static LoadedResults load(const std::filesystem::path& path);
  // `name` is used in messages only.
  static LoadedResults parse(std::string_view text, const std::string& name);
};

}  // namespace deadpeer::report
