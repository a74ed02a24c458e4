#pragma once
// A private (0700) directory removed with everything in it on destruction. Keys, rendered
// configs and logs of a case live here; nobody but root can read them.
#include <string>

namespace deadpeer::sys {

class TempDir {
 public:
  // Creates `path` (its parent must exist); throws if it exists already.
  explicit TempDir(std::string path);
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Writes a file inside with the given mode (0600 by default).
  std::string write(const std::string& name, const std::string& content, unsigned mode = 0600) const;

 private:
  std::string path_;
};

}  // namespace deadpeer::sys
