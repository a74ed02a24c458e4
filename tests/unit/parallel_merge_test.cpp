// run/Merge: shards' results.json into one; what is refused and what only warns.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "run/Merge.hpp"
#include "run/Results.hpp"

namespace deadpeer::run {
namespace {

namespace fs = std::filesystem;

Results shard(const std::string& run_id, const std::vector<std::string>& ids, const std::string& ssh = "OpenSSH_9.2p1") {
  Results r;
  r.run_id = run_id;
  r.environment.kernel = "Linux 6.18";
  r.environment.ssh_version = ssh;
  r.environment.sshd_version = "OpenSSH_9.2p1";
  r.environment.started_at = "2026-11-02T10:00:00Z";
  for (const auto& id : ids) {
    CaseOutcome c;
    c.id = id;
    c.scenario = id.substr(0, id.find('/'));
    RunOutcome run;
    run.client.detected = true;
    run.client.detect_s = 3.0;
    c.runs = {run, run};
    r.cases.push_back(c);
  }
  return r;
}

MergeInput input(const std::string& name, const Results& r) { return {name, to_json(r)}; }

std::vector<std::string> ids_of(const nlohmann::json& j) {
  std::vector<std::string> out;
  for (const auto& c : j.at("cases")) out.push_back(c.at("id"));
  return out;
}

// A private directory for files, removed afterwards.
class TempFiles {
 public:
  TempFiles() : dir_(fs::temp_directory_path() / ("dp-merge-test-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
  }
  ~TempFiles() { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) const {
    const auto p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p;
  }

 private:
  fs::path dir_;
};

TEST(Merge, PutsShardsTogetherInCaseOrder) {
  const auto m = merge_results({input("s2.json", shard("bbbbbb", {"a/1", "a/10", "b/0"}, "OpenSSH_9.2p1")),
                                input("s1.json", shard("aaaaaa", {"a/0", "a/2"}))});
  EXPECT_EQ(ids_of(m.results), (std::vector<std::string>{"a/0", "a/1", "a/2", "a/10", "b/0"}));
  EXPECT_EQ(m.cases, 5u);
  EXPECT_EQ(m.runs, 10u);
  EXPECT_EQ(m.results.at("run_id"), "bbbbbb+aaaaaa");
  EXPECT_EQ(m.results.at("schema"), kSchemaVersion);
  ASSERT_EQ(m.results.at("merged_from").size(), 2u);
  EXPECT_EQ(m.results["merged_from"][0]["file"], "s2.json");
  EXPECT_EQ(m.results["merged_from"][0]["cases"], 3);
  EXPECT_TRUE(m.warnings.empty());
  // The merged file is a results file like any other.
  const Results back = results_from_json(m.results);
  EXPECT_EQ(back.cases.size(), 5u);
  EXPECT_FALSE(back.interrupted);
}

TEST(Merge, RefusesTheSameCaseTwiceNamingBothFiles) {
  try {
    merge_results({input("one.json", shard("aaaaaa", {"a/0", "a/1"})), input("two.json", shard("bbbbbb", {"a/1"}))});
    FAIL() << "merged a duplicate case";
  } catch (const MergeError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("a/1"), std::string::npos) << m;
    EXPECT_NE(m.find("one.json"), std::string::npos) << m;
    EXPECT_NE(m.find("two.json"), std::string::npos) << m;
  }
  // The same file twice is the same case twice.
  const auto s = input("s.json", shard("aaaaaa", {"a/0"}));
  EXPECT_THROW(merge_results({s, s}), MergeError);
}

TEST(Merge, RefusesASchemaOtherThanThisVersions) {
  TempFiles tmp;
  auto j = to_json(shard("aaaaaa", {"a/0"}));
  j["schema"] = kSchemaVersion + 1;
  const auto path = tmp.write("future.json", j.dump());
  try {
    read_merge_input(path);
    FAIL() << "read a file of another schema";
  } catch (const MergeError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("future.json"), std::string::npos) << m;
    EXPECT_NE(m.find("schema " + std::to_string(kSchemaVersion + 1)), std::string::npos) << m;
  }
  // And between inputs built in memory.
  auto a = input("a.json", shard("aaaaaa", {"a/0"}));
  auto b = input("b.json", shard("bbbbbb", {"a/1"}));
  b.results["schema"] = kSchemaVersion + 1;
  EXPECT_THROW(merge_results({a, b}), MergeError);
}

TEST(Merge, RefusesFilesThatAreNotResults) {
  TempFiles tmp;
  EXPECT_THROW(read_merge_input(tmp.write("text.json", "not json")), MergeError);
  EXPECT_THROW(read_merge_input(tmp.write("object.json", "{\"hello\": 1}")), MergeError);
  EXPECT_THROW(read_merge_input(tmp.write("broken.json", "{\"schema\": 1, \"cases\": [{\"no_id\": 1}]}")), MergeError);
  EXPECT_THROW(read_merge_input("/nonexistent/results.json"), MergeError);
  EXPECT_THROW(merge_results({}), MergeError);
}

TEST(Merge, ReadsADirectoryAsItsResultsJson) {
  TempFiles tmp;
  const auto file = tmp.write("shard-1/results.json", to_json(shard("aaaaaa", {"a/0"})).dump());
  const auto in = read_merge_input(file.parent_path());
  EXPECT_EQ(in.name, file.string());
  EXPECT_EQ(ids_of(in.results), (std::vector<std::string>{"a/0"}));
}

TEST(Merge, KeepsFieldsItDoesNotModel) {
  auto a = input("a.json", shard("aaaaaa", {"a/0"}));
  a.results["cases"][0]["expectations"] = {{"name", "client within 5 s"}, {"ok", true}};
  const auto m = merge_results({a, input("b.json", shard("bbbbbb", {"a/1"}))});
  EXPECT_EQ(m.results["cases"][0]["expectations"]["name"], "client within 5 s");
}

TEST(Merge, WarnsAboutDifferentVersionsAndInterruptedShards) {
  auto b = shard("bbbbbb", {"a/1"}, "OpenSSH_9.6p1");
  b.interrupted = true;
  const auto m = merge_results({input("a.json", shard("aaaaaa", {"a/0"})), input("b.json", b)});
  ASSERT_EQ(m.warnings.size(), 2u);
  EXPECT_NE(m.warnings[0].find("interrupted"), std::string::npos) << m.warnings[0];
  EXPECT_NE(m.warnings[1].find("OpenSSH_9.6p1"), std::string::npos) << m.warnings[1];
  EXPECT_TRUE(m.results.at("interrupted").get<bool>());
}

TEST(Merge, KeepsTheEarliestStart) {
  auto a = shard("aaaaaa", {"a/0"});
  auto b = shard("bbbbbb", {"a/1"});
  b.environment.started_at = "2026-11-02T09:59:00Z";
  const auto m = merge_results({input("a.json", a), input("b.json", b)});
  EXPECT_EQ(m.results["environment"]["started_at"], "2026-11-02T09:59:00Z");
}

}  // namespace
}  // namespace deadpeer::run
