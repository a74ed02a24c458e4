#pragma once
// `deadpeer merge`: the results.json files of several shards (`run --shard i/n`) become one, as
// if a single run had measured every case.
//
// The cases are copied verbatim at the JSON level, so fields this version does not model are
// kept. Refused (MergeError): a file that is not a deadpeer results file, a schema other than
// this deadpeer's, and a case present in two inputs (the same shard given twice, or two shards
// that disagreed on the split). Differences that do not make the merge wrong but that a reader
// should know — other ssh versions, an interrupted shard — come back as warnings.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace deadpeer::run {

class MergeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MergeInput {
  std::string name;  // for messages: the path given
  nlohmann::json results;
};

struct Merged {
  nlohmann::json results;  // schema, run_id "a+b+…", environment of the first input, cases, merged_from
  std::vector<std::string> warnings;
  std::size_t cases = 0, runs = 0;
};

// Reads `path`, or `path`/results.json when it is a directory. Throws MergeError naming the file.
MergeInput read_merge_input(const std::filesystem::path& path);
// Checks and merges; cases are ordered by id ("name/2" before "name/10"). Throws MergeError.
Merged merge_results(const std::vector<MergeInput>& inputs);

}  // namespace deadpeer::run
