#include "scenario/ScenarioParser.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>

#include "scenario/AxisTarget.hpp"
#include "scenario/DidYouMean.hpp"
#include "scenario/Expand.hpp"
#include "scenario/FieldRules.hpp"
#include "scenario/TomlNodes.hpp"
#include "scenario/TomlPrecheck.hpp"

namespace deadpeer::scenario {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Walks the document once, table by table, recording every problem instead of stopping at
// the first, then throws them all together.
class ScenarioReader {
 public:
  ScenarioReader(std::string file, std::string_view text) : file_(std::move(file)), text_(text) {}

  Scenario read(const toml::table& root) {
    Scenario s;
    s.file = file_;
    s.loc = SourceLoc{file_, 0, 0};
    s.horizon = kDefaultHorizon;
    bool has_name = false;
    const toml::node* matrix = nullptr;
    for (auto [key, node] : in_file_order(root)) {
      const std::string k = key_name(*key);
      if (k == "name") {
        has_name = true;
        read_name(*node, s);
      } else if (k == "repeat") {
        if (auto v = scalar(*node, "repeat"))
          if (auto r = check_int(*v, loc(*node), "repeat", 1, kMaxRepeat, diags_)) s.repeat = static_cast<int>(*r);
      } else if (k == "horizon") {
        if (auto v = scalar(*node, "horizon"))
          if (auto d = check_duration(*v, loc(*node), "horizon", DurationRule::positive, kMaxHorizon, diags_))
            s.horizon = *d;
      } else if (k == "trace") {
        read_trace(*key, *node, s);
      } else if (k == "implementation") {
        read_implementation(*key, *node, s);
      } else if (k == "client" || k == "server") {
        read_options(*key, *node, k == "client" ? s.client : s.server);
      } else if (k == "kernel") {
        read_kernel(*key, *node, s);
      } else if (k == "traffic") {
        read_traffic(*key, *node, s.traffic);
      } else if (k == "fault") {
        read_faults(*key, *node, s.faults);
      } else if (k == "expect") {
        read_expect(*key, *node, s.expect);
      } else if (k == "matrix") {
        matrix = node;  // read last: its keys refer to the faults and settings above
      } else {
        error(loc(*key), "unknown key '" + k + "' at the top level", did_you_mean(k, kTopLevel));
      }
    }
    if (!has_name)
      error(SourceLoc{file_, 1, 1}, "missing required key 'name'", "add name = \"my-scenario\" at the top");
    if (matrix) read_matrix(*matrix, s);
    if (!diags_.empty()) {
      sort_by_location(diags_);
      throw ScenarioError(std::move(diags_));
    }
    return s;
  }

 private:
  inline static const std::vector<std::string> kTopLevel = {
      "name", "repeat", "horizon", "trace", "implementation", "client", "server", "kernel", "traffic", "fault", "matrix", "expect"};
  inline static const std::vector<std::string> kExpectKeys = {"client_detect_max", "server_detect_max", "survives",
                                                              "client_cause",      "server_cause",      "agrees_with_model"};
  // The cause vocabulary of results.json (observe/Cause.hpp; this module stays free of it).
  inline static const std::vector<std::string> kCauses = {"serveralive", "clientalive", "tcp-keepalive",
                                                          "tcp-retransmit", "reset", "eof", "mac-error", "other", "none"};

  SourceLoc loc(const toml::node& n) const { return loc_of(n.source(), file_); }
  SourceLoc loc(const toml::key& k) const { return loc_of(k.source(), file_); }

  void error(const SourceLoc& at, std::string message, std::string hint = {}) {
    diags_.push_back(Diagnostic{at, std::move(message), std::move(hint)});
  }

  // The node as a Value, or an error naming `what` when it is a table, array or date.
  std::optional<Value> scalar(const toml::node& node, const std::string& what) {
    if (auto v = scalar_of(node)) return v;
    std::string hint = "write a single integer, float, boolean or string";
    if (node.is_table()) hint += " (a dotted key such as a.b = 1 makes a table)";
    if (node.is_array()) hint += " (ssh lists are one comma-separated string: \"aes128-ctr,aes256-ctr\")";
    error(loc(node), "'" + what + "' is " + toml_kind_of(node) + ", not a single value", hint);
    return std::nullopt;
  }

  const toml::table* table(const toml::key& key, const toml::node& node, const std::string& what) {
    if (const auto* t = node.as_table()) return t;
    error(loc(node), "'" + key_name(key) + "' is " + toml_kind_of(node) + ", expected a table",
          "write it as a [" + what + "] section");
    return nullptr;
  }

  void read_name(const toml::node& node, Scenario& s) {
    const auto* str = node.as_string();
    if (!str) {
      error(loc(node), "'name' is " + toml_kind_of(node) + ", expected a string", "write name = \"blackhole\"");
    } else if (!is_scenario_name(str->get())) {
      error(loc(node), "'name' = \"" + str->get() + "\" is not a valid scenario name",
            "use letters, digits, '.', '_' and '-' only; the name becomes part of case ids and paths");
    } else {
      s.name = str->get();
    }
  }

  void read_implementation(const toml::key& key, const toml::node& node, Scenario& s) {
    const toml::table* t = table(key, node, "implementation");
    if (!t) return;
    for (auto [k, n] : in_file_order(*t)) {
      if (key_name(*k) != "client" && key_name(*k) != "server") {
        error(loc(*k), "unknown key '" + key_name(*k) + "' in [implementation]",
              did_you_mean(key_name(*k), {"client", "server"}));
        continue;
      }
      const std::string what = "implementation." + key_name(*k);
      if (auto v = scalar(*n, what))
        if (auto impl = check_implementation(*v, loc(*n), what, diags_))
          (key_name(*k) == "client" ? s.client_impl : s.server_impl) = *impl;
    }
  }

  // [client] / [server]: names are checked for shape only; ssh and sshd judge the rest.
  void read_options(const toml::key& key, const toml::node& node, std::vector<Setting>& out) {
    const toml::table* t = table(key, node, key_name(key));
    if (!t) return;
    std::map<std::string, SourceLoc> seen;  // lower-case name → first use
    for (auto [k, n] : in_file_order(*t)) {
      const std::string name = key_name(*k);
      if (!is_option_name(name)) {
        error(loc(*k), "'" + name + "' in [" + key_name(key) + "] is not an option name",
              "option names are letters and digits, e.g. ServerAliveInterval");
        continue;
      }
      auto [first, inserted] = seen.emplace(lower(name), loc(*k));
      if (!inserted) {
        error(loc(*k),
              "option '" + name + "' is set twice in [" + key_name(key) + "] (first at " + first->second.str() + ")",
              "ssh option names ignore case; keep one");
        continue;
      }
      if (auto v = scalar(*n, key_name(key) + "." + name)) out.push_back(Setting{name, *v, loc(*k)});
    }
  }

  void read_kernel(const toml::key& key, const toml::node& node, Scenario& s) {
    const toml::table* t = table(key, node, "kernel.client");
    if (!t) return;
    for (auto [k, n] : in_file_order(*t)) {
      auto side = kernel_side_from_string(key_name(*k));
      if (!side) {
        std::string hint = find_sysctl(key_name(*k), KernelSide::router)
                               ? "put sysctls in [kernel.client], [kernel.server] or [kernel.router]"
                               : did_you_mean(key_name(*k), {"client", "server", "router"});
        error(loc(*k), "unknown key '" + key_name(*k) + "' in [kernel]", hint);
        continue;
      }
      auto& list = *side == KernelSide::client   ? s.kernel_client
                   : *side == KernelSide::server ? s.kernel_server
                                                 : s.kernel_router;
      if (const toml::table* sysctls = table(*k, *n, "kernel." + key_name(*k))) read_sysctls(*sysctls, *side, list);
    }
  }

  void read_sysctls(const toml::table& t, KernelSide side, std::vector<Setting>& out) {
    for (auto [k, n] : in_file_order(t)) {
      // A dotted key (net.ipv4.tcp_keepalive_time = 5) arrives as nested tables; name it as
      // written so the message shows what the user typed.
      const std::string name = dotted_name(*k, *n);
      const SysctlInfo* info = check_sysctl_name(name, side, loc(*k), diags_);
      if (!info) continue;
      if (auto v = scalar(*n, name))
        if (auto setting = check_sysctl_value(*info, *v, loc(*k), loc(*n), diags_)) out.push_back(*setting);
    }
  }

  static std::string dotted_name(const toml::key& key, const toml::node& node) {
    std::string name = key_name(key);
    for (const toml::node* n = &node; n->is_table() && !n->as_table()->empty();) {
      auto first = in_file_order(*n->as_table()).front();
      name += "." + key_name(*first.first);
      n = first.second;
    }
    return name;
  }

  void read_traffic(const toml::key& key, const toml::node& node, Traffic& traffic) {
    const toml::table* t = table(key, node, "traffic");
    if (!t) return;
    traffic.loc = loc(node);
    for (auto [k, n] : in_file_order(*t)) {
      if (key_name(*k) == "pattern") {
        if (auto v = scalar(*n, "traffic.pattern"))
          if (auto p = check_pattern(*v, loc(*n), diags_)) traffic.pattern = *p;
      } else if (key_name(*k) == "interval") {
        if (auto v = scalar(*n, "traffic.interval"))
          if (auto d = check_duration(*v, loc(*n), "interval", DurationRule::positive, kMaxHorizon, diags_))
            traffic.interval = *d;
      } else {
        error(loc(*k), "unknown key '" + key_name(*k) + "' in [traffic]",
              did_you_mean(key_name(*k), {"pattern", "interval"}));
      }
    }
  }

  void read_faults(const toml::key& key, const toml::node& node, std::vector<FaultSpec>& faults) {
    const toml::array* arr = node.as_array();
    if (arr && arr->empty()) return;  // `fault = []`: no faults, said explicitly
    if (!arr || !arr->is_array_of_tables()) {
      error(loc(node), "'fault' is " + toml_kind_of(node) + ", expected an array of tables",
            "write each fault as a [[fault]] section (double brackets)");
      return;
    }
    for (const toml::node& element : *arr) read_fault(*element.as_table(), faults.size(), faults);
  }

  void read_fault(const toml::table& t, std::size_t index, std::vector<FaultSpec>& faults) {
    FaultSpec f;
    f.loc = loc(t);
    const std::string label = "[[fault]] #" + std::to_string(index);
    bool has_kind = false, has_at = false;
    for (auto [k, n] : in_file_order(t)) {
      const std::string name = key_name(*k);
      if (name == "flap" && n->is_table()) {
        // flap = { up = "2s", down = "3s", count = 4 } → params flap.up, flap.down, flap.count;
        // the fault's own validation checks them.
        for (auto [fk, fn] : in_file_order(*n->as_table()))
          if (auto fv = scalar(*fn, "fault.flap." + key_name(*fk)))
            f.params.emplace("flap." + key_name(*fk), Setting{"flap." + key_name(*fk), *fv, loc(*fk)});
        continue;
      }
      auto v = scalar(*n, "fault." + name);
      if (!v) continue;
      if (name == "kind") {
        has_kind = true;
        const auto* kind = std::get_if<std::string>(&*v);
        if (kind && is_identifier(*kind))
          f.kind = *kind;
        else
          error(loc(*n), "'kind' = " + describe(*v) + " in " + label + " is not a fault kind",
                "write a name such as kind = \"blackhole\"");
      } else if (name == "at") {
        has_at = true;
        if (auto d = check_duration(*v, loc(*n), "at", DurationRule::non_negative, kMaxHorizon, diags_)) f.at = *d;
      } else if (name == "duration") {
        if (auto d = check_duration(*v, loc(*n), "duration", DurationRule::positive, kMaxHorizon, diags_))
          f.duration = *d;
      } else if (!is_identifier(name)) {
        error(loc(*k), "'" + name + "' in " + label + " is not a parameter name", "use letters, digits, '_' and '-'");
      } else {
        f.params.emplace(name, Setting{name, *v, loc(*k)});
      }
    }
    if (!has_kind) error(f.loc, label + " has no 'kind'", "add kind = \"blackhole\" (or another fault kind)");
    if (!has_at) error(f.loc, label + " has no 'at'", "add at = \"2s\": when the fault starts, after steady state");
    faults.push_back(std::move(f));
  }

  void read_trace(const toml::key& key, const toml::node& node, Scenario& s) {
    auto v = scalar(node, "trace");
    if (!v) return;
    if (const bool* b = std::get_if<bool>(&*v)) {
      s.trace = *b;
      s.trace_loc = loc(key);
    } else {
      error(loc(node), "'trace' = " + describe(*v) + " is " + kind_of(*v) + ", expected a boolean",
            "write trace = true or trace = false");
    }
  }

  // [expect]: gates on the measurement. Contradictions (survives = true with a detection bound)
  // are errors here, because such a gate could only ever fail.
  void read_expect(const toml::key& key, const toml::node& node, Expectations& e) {
    const toml::table* t = table(key, node, "expect");
    if (!t) return;
    e.loc = loc(node);
    std::optional<SourceLoc> survives_at, bound_at;
    for (auto [k, n] : in_file_order(*t)) {
      const std::string name = key_name(*k);
      if (std::find(kExpectKeys.begin(), kExpectKeys.end(), name) == kExpectKeys.end()) {
        error(loc(*k), "unknown key '" + name + "' in [expect]", did_you_mean(name, kExpectKeys));
        continue;
      }
      auto v = scalar(*n, "expect." + name);
      if (!v) continue;
      if (name.ends_with("_detect_max")) {
        bound_at = loc(*k);
        if (auto d = check_duration(*v, loc(*n), name, DurationRule::positive, kMaxHorizon, diags_))
          (name == "client_detect_max" ? e.client_detect_max : e.server_detect_max) = *d;
      } else if (name.ends_with("_cause")) {
        const auto* cause = std::get_if<std::string>(&*v);
        if (cause && std::find(kCauses.begin(), kCauses.end(), *cause) != kCauses.end())
          (name == "client_cause" ? e.client_cause : e.server_cause) = *cause;
        else
          error(loc(*n), "'" + name + "' = " + describe(*v) + " is not a cause",
                cause ? did_you_mean(*cause, kCauses) : "write a cause such as \"serveralive\"");
      } else if (const bool* b = std::get_if<bool>(&*v)) {  // survives, agrees_with_model
        if (name == "survives") survives_at = loc(*k);
        (name == "survives" ? e.survives : e.agrees_with_model) = *b;
      } else {
        error(loc(*n), "'" + name + "' = " + describe(*v) + " in [expect] is " + kind_of(*v) + ", expected a boolean",
              "write " + name + " = true or " + name + " = false");
      }
    }
    if (survives_at && bound_at && e.survives == true)
      error(*bound_at, "[expect] sets a detection bound and survives = true (at " + survives_at->str() + ")",
            "a session that survives is never detected: keep one of them");
  }

  // [matrix] keys may be quoted ("client.X" = [...]) or dotted (client.X = [...]); the latter
  // arrives as nested tables, so both are flattened to the same dotted key.
  void collect_axes(const toml::table& t, const std::string& prefix, std::vector<MatrixAxis>& axes) {
    for (auto [k, n] : in_file_order(t)) {
      const std::string key = prefix + key_name(*k);
      if (const auto* sub = n->as_table()) {
        collect_axes(*sub, key + ".", axes);
        continue;
      }
      const SourceLoc key_loc = dotted_key_start(loc(*k));
      const auto* arr = n->as_array();
      if (!arr) {
        error(loc(*n), "matrix key '" + key + "' is " + toml_kind_of(*n) + ", expected an array of values",
              "write " + key + " = [value1, value2]");
        continue;
      }
      if (arr->empty()) {
        error(loc(*n), "matrix key '" + key + "' has no values", "give at least one value");
        continue;
      }
      MatrixAxis axis{key, {}, key_loc, {}};
      for (const toml::node& element : *arr)
        if (auto v = scalar(element, "matrix " + key + " element")) {
          axis.values.push_back(*v);
          axis.value_locs.push_back(loc(element));
        }
      if (axis.values.size() == arr->size()) axes.push_back(std::move(axis));
    }
  }

  // toml++ places the last part of a dotted key (`client.X = [1]`) at "X". Users read the key
  // from the start of the line, and axes sort by it, so move back over the dotted path when
  // only a path (no '=', '{' or ',') precedes the part on its line.
  SourceLoc dotted_key_start(SourceLoc leaf) const {
    std::size_t begin = 0;
    for (int line = 1; line < leaf.line && begin != std::string_view::npos; ++line) {
      begin = text_.find('\n', begin);
      if (begin != std::string_view::npos) ++begin;
    }
    if (begin == std::string_view::npos) return leaf;
    const std::size_t end = std::min(text_.find('\n', begin), text_.size());
    const std::string_view line = text_.substr(begin, end - begin);
    const std::size_t first = line.find_first_not_of(" \t");
    const std::size_t part = static_cast<std::size_t>(leaf.column - 1);
    if (first == std::string_view::npos || part > line.size() || first >= part) return leaf;
    if (line.substr(first, part - first).find_first_of("={,") != std::string_view::npos) return leaf;
    leaf.column = static_cast<int>(first) + 1;
    return leaf;
  }

  void read_matrix(const toml::node& node, Scenario& s) {
    const auto* t = node.as_table();
    if (!t) {
      error(loc(node), "'matrix' is " + toml_kind_of(node) + ", expected a table",
            "write it as a [matrix] section of key = [values]");
      return;
    }
    std::vector<MatrixAxis> axes;
    collect_axes(*t, "", axes);
    // Nested tables were walked depth-first; the user's order is the order of the keys.
    std::stable_sort(axes.begin(), axes.end(), [](const MatrixAxis& a, const MatrixAxis& b) {
      return std::tie(a.loc.line, a.loc.column) < std::tie(b.loc.line, b.loc.column);
    });
    std::map<std::string, SourceLoc> seen;
    std::size_t total = 1;
    for (MatrixAxis& axis : axes) {
      auto [first, inserted] = seen.emplace(axis.key, axis.loc);
      if (!inserted) {
        error(axis.loc, "matrix key '" + axis.key + "' is given twice (first at " + first->second.str() + ")",
              "merge the values into one array");
        continue;
      }
      auto target = AxisTarget::parse(axis.key, s, axis.loc, diags_);
      if (!target) continue;
      // Validate each value as if it were written in place, on a scratch copy.
      for (std::size_t i = 0; i < axis.values.size(); ++i) {
        Scenario scratch = s;
        target->apply(scratch, axis.values[i], axis.value_locs[i], diags_);
      }
      total *= axis.values.size();
      if (total > kMaxCases) {
        error(axis.loc, "[matrix] yields more than " + std::to_string(kMaxCases) + " cases",
              "use fewer axes or fewer values");
        return;
      }
      s.matrix.push_back(std::move(axis));
    }
  }

  std::string file_;
  std::string_view text_;  // the document, for dotted_key_start
  Diagnostics diags_;
};

}  // namespace

Scenario parse_string(std::string_view toml_text, std::string file_name) {
  if (const auto at = first_bare_non_ascii(toml_text))
    throw ScenarioError({Diagnostic{SourceLoc{file_name, at->line, at->column},
                                    "invalid TOML: a non-ASCII character outside a string or comment",
                                    "quote the value (see https://toml.io for the syntax)"}});
  toml::table root;
  try {
    root = toml::parse(toml_text, std::string(file_name));
  } catch (const toml::parse_error& e) {
    throw ScenarioError({Diagnostic{loc_of(e.source(), file_name), "invalid TOML: " + std::string(e.description()),
                                    "see https://toml.io for the syntax"}});
  }
  return ScenarioReader(std::move(file_name), toml_text).read(root);
}

Scenario parse_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ScenarioError({Diagnostic{SourceLoc{path.string(), 0, 0}, "cannot read scenario file: it is a directory",
                                    "pass the .toml files inside it"}});
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw ScenarioError({Diagnostic{SourceLoc{path.string(), 0, 0},
                                    "cannot open scenario file for reading: " + std::string(std::strerror(err)), ""}});
  }
  std::ostringstream text;
  text << in.rdbuf();
  Scenario s = parse_string(text.str(), path.string());
  s.file = path;
  return s;
}

}  // namespace deadpeer::scenario
