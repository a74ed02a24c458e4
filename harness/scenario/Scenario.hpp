#pragma once
// The scenario: what a user wrote in a TOML file, validated and typed.
// This module knows nothing of Linux: it is parsed and tested without privileges.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace deadpeer::scenario {

using Duration = std::chrono::milliseconds;

// Where a value came from, so every error can point at file:line:column.
struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;  // "file:line:column" (or just "file" when line is 0)
};

// A setting value exactly as the user typed it; rendered to a string for ssh -o / sshd_config,
// kept typed for results.json so `"client.ServerAliveInterval": 1` stays a number.
using Value = std::variant<bool, std::int64_t, double, std::string>;
std::string render(const Value& v);  // ssh_config spelling: true → "yes", 1 → "1"

struct Setting {
  std::string key;  // as written (ssh option names keep their case; sysctl names without net.ipv4.)
  Value value;
  SourceLoc loc;
};

// One [[fault]] table. Kind-specific parameters stay in `params` and are validated by the
// fault's own factory (harness/faults) so new kinds do not touch the parser.
struct FaultSpec {
  std::string kind;
  Duration at{0};                         // after the session reached steady state
  std::optional<Duration> duration;       // transient fault: removed after this long
  std::map<std::string, Setting> params;  // everything else in the table, keyed by name
  SourceLoc loc;
};

enum class Pattern { idle, interactive, stream, forward };
std::string to_string(Pattern p);
std::optional<Pattern> pattern_from_string(const std::string& s);

struct Traffic {
  Pattern pattern = Pattern::idle;
  Duration interval{std::chrono::seconds(2)};  // interactive: one small write this often
  SourceLoc loc;
};

enum class Implementation { openssh, dropbear };
std::string to_string(Implementation i);
std::optional<Implementation> implementation_from_string(const std::string& s);

// One [matrix] entry: `"client.ServerAliveInterval" = [1, 5, 15]`. The key names what it varies
// ("client.X", "server.X", "kernel.client.X", "kernel.server.X", "kernel.router.X", "fault.<param>",
// "fault.<i>.<param>", "traffic.pattern", "traffic.interval", "implementation.client",
// "implementation.server", "horizon"); every value was validated by the parser as if written there.
struct MatrixAxis {
  std::string key;
  std::vector<Value> values;          // non-empty, scalars only
  SourceLoc loc;                      // of the key
  std::vector<SourceLoc> value_locs;  // parallel to `values`, so errors point at the element
};

// [expect]: what every measured run of every case must show (docs/scenario-format.md). The parser
// checks the shape; run/Expectations judges the runs. Unset fields expect nothing. [matrix] does
// not vary them: one scenario states one contract for all its cases.
struct Expectations {
  std::optional<Duration> client_detect_max;  // the client noticed, no later than this after t0
  std::optional<Duration> server_detect_max;
  std::optional<bool> survives;            // true: neither side ended the session within the horizon
  std::optional<std::string> client_cause;  // results.json spelling ("serveralive", "none", …)
  std::optional<std::string> server_cause;
  std::optional<bool> agrees_with_model;  // true: every run fell inside the model's window, both sides
  SourceLoc loc;                          // of the [expect] table
  bool empty() const {
    return !client_detect_max && !server_detect_max && !survives && !client_cause && !server_cause &&
           !agrees_with_model;
  }
};

struct Scenario {
  std::string name;
  std::filesystem::path file;
  SourceLoc loc;  // of the file itself
  int repeat = 1;
  Duration horizon{std::chrono::seconds(30)};
  // trace = true: the OpenSSH client logs every packet it receives (LogLevel DEBUG3), so each
  // run records when it last heard from the server before t0, and the model predicts from that
  // phase instead of from the whole range the traffic pattern allows (docs/scenario-format.md).
  bool trace = false;
  SourceLoc trace_loc;
  std::vector<Setting> client;         // ssh_config options, in file order
  std::vector<Setting> server;         // sshd_config options, in file order
  std::vector<Setting> kernel_client;  // sysctls under net.ipv4 (e.g. tcp_keepalive_time)
  std::vector<Setting> kernel_server;
  std::vector<Setting> kernel_router;  // e.g. conntrack timeouts for firewall faults
  Traffic traffic;
  std::vector<FaultSpec> faults;
  Implementation client_impl = Implementation::openssh;
  Implementation server_impl = Implementation::openssh;
  std::vector<MatrixAxis> matrix;  // [matrix], in file order; expand() turns it into cases
  Expectations expect;             // [expect]; copied unchanged into every case
};

// One concrete combination of settings to run `repeat` times: a scenario without [matrix]
// yields exactly one case, otherwise one per point of the cartesian product (see Expand.hpp).
struct Case {
  std::string id;                     // stable, filesystem- and filter-friendly: "<scenario>/<n>"
  Scenario scenario;                  // fully resolved settings for this case (its `matrix` is left empty)
  std::map<std::string, Value> axes;  // matrix key → the value this case uses, as written
  // Flat view for results and filters: "client.ServerAliveInterval" → 1, "fault.0.kind" → "blackhole".
  std::map<std::string, Value> settings() const;
};

}  // namespace deadpeer::scenario
