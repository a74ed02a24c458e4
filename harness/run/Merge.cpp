#include "run/Merge.hpp"

#include <algorithm>
#include <fstream>
#include <map>

#include "run/Results.hpp"
#include "run/Shard.hpp"

namespace deadpeer::run {
namespace {

std::string env_field(const nlohmann::json& results, const char* key) {
  const auto& e = results.at("environment");
  return e.contains(key) && e[key].is_string() ? e[key].get<std::string>() : "";
}

}  // namespace

MergeInput read_merge_input(const std::filesystem::path& given) {
  std::filesystem::path path = given;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) path /= "results.json";
  std::ifstream in(path);
  if (!in) throw MergeError(path.string() + ": cannot open");
  MergeInput input{path.string(), {}};
  try {
    input.results = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw MergeError(path.string() + ": not JSON: " + e.what());
  }
  const auto& j = input.results;
  if (!j.is_object() || !j.contains("schema") || !j["schema"].is_number_integer() || !j.contains("cases"))
    throw MergeError(path.string() + ": not a deadpeer results file (no \"schema\" and \"cases\")");
  const int schema = j["schema"].get<int>();
  if (schema != kSchemaVersion)
    throw MergeError(path.string() + ": results schema " + std::to_string(schema) + ", but this deadpeer reads schema " +
                     std::to_string(kSchemaVersion) + " (merge files written by the same deadpeer version)");
  try {
    (void)results_from_json(j);  // the whole structure, before anything is merged
  } catch (const nlohmann::json::exception& e) {
    throw MergeError(path.string() + ": not a valid deadpeer results file: " + e.what());
  }
  return input;
}

Merged merge_results(const std::vector<MergeInput>& inputs) {
  if (inputs.empty()) throw MergeError("nothing to merge: give at least one results.json");
  const auto& first = inputs.front();
  Merged out;
  std::map<std::string, std::size_t> owner;  // case id → index of the input that holds it
  struct Entry {
    std::string id;
    std::size_t input, position;
  };
  std::vector<Entry> entries;
  std::string run_id, started_at;
  bool interrupted = false;
  nlohmann::json merged_from = nlohmann::json::array();
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const auto& in = inputs[k];
    const auto& j = in.results;
    if (j.at("schema") != first.results.at("schema"))
      throw MergeError(in.name + ": results schema " + j.at("schema").dump() + " differs from " + first.name +
                       "'s " + first.results.at("schema").dump());
    const auto& cases = j.at("cases");
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const std::string id = cases[i].at("id").get<std::string>();
      // Within one input a repeated id is what that run produced (two files with one scenario
      // name): kept as is. Across inputs it means the same case was measured twice.
      if (auto [it, fresh] = owner.emplace(id, k); !fresh && it->second != k)
        throw MergeError("case " + id + " is in both " + inputs[it->second].name + " and " + in.name +
                         " (the same shard given twice, or shards run with different --shard counts or files?)");
      entries.push_back({id, k, i});
      out.runs += cases[i].value("runs", nlohmann::json::array()).size();
    }
    const std::string rid = j.value("run_id", "");
    run_id += (run_id.empty() ? "" : "+") + rid;
    const std::string started = env_field(j, "started_at");
    if (!started.empty() && (started_at.empty() || started < started_at)) started_at = started;
    if (j.value("interrupted", false)) {
      interrupted = true;
      out.warnings.push_back(in.name + " was interrupted: runs it never started are not in the merge");
    }
    for (const char* key : {"kernel", "ssh_version", "sshd_version", "deadpeer_version"})
      if (k > 0 && env_field(j, key) != env_field(first.results, key))
        out.warnings.push_back(in.name + " ran with " + key + " \"" + env_field(j, key) + "\" but " + first.name +
                               " with \"" + env_field(first.results, key) + "\"; the merged file states " +
                               first.name + "'s");
    merged_from.push_back({{"file", in.name}, {"run_id", rid}, {"cases", cases.size()}, {"started_at", started}});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return case_id_less(a.id, b.id); });

  out.results = first.results;  // schema and environment; everything else is replaced below
  out.results["run_id"] = run_id;
  if (!started_at.empty()) out.results["environment"]["started_at"] = started_at;
  out.results["interrupted"] = interrupted;
  out.results["merged_from"] = merged_from;
  nlohmann::json cases = nlohmann::json::array();
  for (const auto& e : entries) cases.push_back(inputs[e.input].results.at("cases").at(e.position));
  out.results["cases"] = std::move(cases);
  out.cases = entries.size();
  return out;
}

}  // namespace deadpeer::run
