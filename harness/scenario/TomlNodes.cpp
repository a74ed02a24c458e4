#include "scenario/TomlNodes.hpp"

#include <algorithm>
#include <tuple>

namespace deadpeer::scenario {

SourceLoc loc_of(const toml::source_region& region, const std::string& file) {
  return SourceLoc{file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

std::optional<Value> scalar_of(const toml::node& node) {
  if (const auto* v = node.as_boolean()) return Value{v->get()};
  if (const auto* v = node.as_integer()) return Value{std::int64_t{v->get()}};
  if (const auto* v = node.as_floating_point()) return Value{v->get()};
  if (const auto* v = node.as_string()) return Value{v->get()};
  return std::nullopt;
}

std::string toml_kind_of(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

std::vector<std::pair<const toml::key*, const toml::node*>> in_file_order(const toml::table& table) {
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (auto&& [key, node] : table) entries.emplace_back(&key, &node);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto& x = a.first->source().begin;
    const auto& y = b.first->source().begin;
    return std::tie(x.line, x.column) < std::tie(y.line, y.column);
  });
  return entries;
}

}  // namespace deadpeer::scenario
