#include "cli/CaseSelection.hpp"

#include <regex>
#include <sstream>
#include <stdexcept>

namespace deadpeer::cli {
namespace {

bool matches(const scenario::Case& c, const std::string& filter, const std::regex* re) {
  if (!re) {
    const auto eq = filter.find('=');
    const auto settings = c.settings();
    auto it = settings.find(filter.substr(0, eq));
    return it != settings.end() && scenario::render(it->second) == filter.substr(eq + 1);
  }
  return std::regex_search(c.id, *re);
}

// `key=value` when the part before '=' looks like a setting name (no regex metacharacters).
bool is_setting_filter(const std::string& f) {
  const auto eq = f.find('=');
  return eq != std::string::npos && eq > 0 && f.find_first_of("^$*+?()[]{}|\\ ") >= eq;
}

}  // namespace

std::vector<scenario::Case> select_cases(std::vector<scenario::Case> cases, const std::vector<std::string>& filters) {
  std::vector<std::pair<std::string, std::optional<std::regex>>> compiled;
  for (const auto& f : filters) {
    if (is_setting_filter(f)) {
      compiled.emplace_back(f, std::nullopt);
      continue;
    }
    try {
      compiled.emplace_back(f, std::regex(f, std::regex::ECMAScript));
    } catch (const std::regex_error& e) {
      throw std::invalid_argument("--filter '" + f + "' is not a regular expression: " + e.what());
    }
  }
  std::vector<scenario::Case> out;
  for (auto& c : cases) {
    bool all = true;
    for (const auto& [f, re] : compiled) all = all && matches(c, f, re ? &*re : nullptr);
    if (all) out.push_back(std::move(c));
  }
  return out;
}

std::string list_cases(const std::vector<scenario::Case>& cases) {
  std::ostringstream out;
  for (const auto& c : cases) {
    out << c.id;
    for (const auto& [axis, value] : c.axes) out << "  " << axis << "=" << scenario::render(value);
    out << "  (repeat " << c.scenario.repeat << ")\n";
  }
  return out.str();
}

}  // namespace deadpeer::cli
