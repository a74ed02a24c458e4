#include "proc/ConfigTemplate.hpp"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "sys/SystemError.hpp"

#ifndef DEADPEER_SOURCE_DIR
#error "DEADPEER_SOURCE_DIR must be defined by the build"
#endif

namespace deadpeer::proc {

std::string ConfigTemplate::fixtures_dir() {
  if (const char* env = std::getenv("DEADPEER_FIXTURES"); env && *env) return env;
  return std::string(DEADPEER_SOURCE_DIR) + "/fixtures";
}

std::string ConfigTemplate::load(const std::string& name) {
  const std::string path = fixtures_dir() + "/" + name;
  std::ifstream in(path);
  if (!in) throw sys::Error("read template " + path + ": cannot open (set DEADPEER_FIXTURES?)");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ConfigTemplate::render(const std::string& text, const std::map<std::string, std::string>& values,
                                   const std::string& template_name) {
  std::string out;
  std::set<std::string> used;
  size_t pos = 0;
  for (;;) {
    size_t open = text.find("{{", pos);
    if (open == std::string::npos) break;
    size_t close = text.find("}}", open);
    if (close == std::string::npos) throw sys::Error("template " + template_name + ": unclosed {{");
    std::string key = text.substr(open + 2, close - open - 2);
    auto it = values.find(key);
    if (it == values.end()) throw sys::Error("template " + template_name + ": no value for {{" + key + "}}");
    out.append(text, pos, open - pos);
    out += it->second;
    used.insert(key);
    pos = close + 2;
  }
  out.append(text, pos);
  for (const auto& [k, v] : values)
    if (!used.count(k)) throw sys::Error("template " + template_name + ": value " + k + " has no placeholder");
  return out;
}

}  // namespace deadpeer::proc
