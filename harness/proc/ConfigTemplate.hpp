#pragma once
// Renders fixtures/*.in: "{{name}}" placeholders replaced by values. A placeholder without a
// value, or a value without a placeholder, is a bug in the harness and throws.
#include <map>
#include <string>

namespace deadpeer::proc {

class ConfigTemplate {
 public:
  static std::string render(const std::string& text, const std::map<std::string, std::string>& values,
                            const std::string& template_name);
  // Reads fixtures/<name> ($DEADPEER_FIXTURES, else the source tree's fixtures/).
  static std::string load(const std::string& name);
  static std::string fixtures_dir();
};

}  // namespace deadpeer::proc
