#pragma once
// Small bridges from toml++ nodes to the scenario's types. Private to the scenario module:
// nothing outside it sees toml++.
#include <toml++/toml.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scenario/Scenario.hpp"

namespace deadpeer::scenario {

inline std::string key_name(const toml::key& key) { return std::string(key.str()); }

SourceLoc loc_of(const toml::source_region& region, const std::string& file);

// A bool, integer, float or string node as a Value; nullopt for tables, arrays and dates.
std::optional<Value> scalar_of(const toml::node& node);

// "a table", "an array", "a date", … for messages about the wrong kind of node.
std::string toml_kind_of(const toml::node& node);

// toml::table iterates in key order (it is a std::map); users expect their file order, both in
// settings (ssh takes the first value it sees) and in matrix axes (they define case numbers).
std::vector<std::pair<const toml::key*, const toml::node*>> in_file_order(const toml::table& table);

}  // namespace deadpeer::scenario
