#pragma once
// The rules a value must satisfy wherever it is written: the same check runs for `horizon = "30s"`
// at the top level and for `horizon = ["30s", "1m"]` in [matrix], so both give the same message.
// Each check returns the typed value, or nullopt after appending a Diagnostic at `loc`.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/Scenario.hpp"
#include "scenario/ScenarioError.hpp"
#include "scenario/Sysctl.hpp"

namespace deadpeer::scenario {

using Diagnostics = std::vector<Diagnostic>;

// Limits of the format. A day of horizon and a thousand repeats are far beyond any useful
// run; past them a typo ("30h" for "30s") is likelier than intent.
inline constexpr Duration kMaxHorizon = std::chrono::hours(24);
inline constexpr std::int64_t kMaxRepeat = 1000;
inline constexpr Duration kDefaultHorizon = std::chrono::seconds(30);

// For messages: strings quoted ("\"5s\""), everything else as TOML writes it (5, 1.5, true).
std::string describe(const Value& v);
std::string kind_of(const Value& v);  // with its article: "a string", "an integer", "a float", "a boolean"

bool is_scenario_name(std::string_view s);  // [A-Za-z0-9._-]+, and not "." or ".."
bool is_option_name(std::string_view s);    // ssh keywords: a letter, then letters and digits
bool is_identifier(std::string_view s);     // fault kinds and params: [A-Za-z_][A-Za-z0-9_-]*

enum class DurationRule { non_negative, positive };
// A string with units ("1m30s") or an integer number of seconds.
std::optional<Duration> check_duration(const Value& v, const SourceLoc& loc, std::string_view what, DurationRule rule,
                                       std::optional<Duration> max, Diagnostics& out);

std::optional<std::int64_t> check_int(const Value& v, const SourceLoc& loc, std::string_view what, std::int64_t min,
                                      std::int64_t max, Diagnostics& out);

std::optional<Pattern> check_pattern(const Value& v, const SourceLoc& loc, Diagnostics& out);
std::optional<Implementation> check_implementation(const Value& v, const SourceLoc& loc, std::string_view what,
                                                   Diagnostics& out);

// `name` must be a sysctl a scenario may set on `side` (see Sysctl.hpp); the hint explains the
// usual slips: a "net.ipv4." prefix, conntrack outside the router, a typo.
const SysctlInfo* check_sysctl_name(std::string_view name, KernelSide side, const SourceLoc& loc, Diagnostics& out);
std::optional<Setting> check_sysctl_value(const SysctlInfo& info, const Value& v, const SourceLoc& key_loc,
                                          const SourceLoc& value_loc, Diagnostics& out);

// Sets `setting` in `list`, replacing an existing one of the same name. ssh and sshd match
// option names ignoring case, so `options_ignore_case` replaces "tcpkeepalive" by "TCPKeepAlive".
void set_or_add(std::vector<Setting>& list, Setting setting, bool options_ignore_case);

}  // namespace deadpeer::scenario
