#pragma once
// A named network namespace owned by this process.
//
// Created in-process (unshare by a thread that then returns to its own namespace, never the `ip`
// binary) and bind-mounted at
// /run/netns/<name> like `ip netns add` does, so users can inspect a live lab with `ip -n` and
// `deadpeer cleanup` can find what a SIGKILLed run left behind. Destroying the object unmounts
// and unlinks the name; the kernel frees the namespace, and the devices in it, once the last
// process and fd inside it are gone.
#include <functional>
#include <string>

#include "sys/UniqueFd.hpp"

namespace deadpeer::sys {

class Netns {
 public:
  static constexpr const char* kRunDir = "/run/netns";

  // Creates a fresh namespace named `name`; throws if the name exists.
  static Netns create(const std::string& name);
  // Removes the bind mount of a namespace this process does not own (cleanup of dead runs).
  static void remove_name(const std::string& name);

  Netns(Netns&&) noexcept = default;
  Netns& operator=(Netns&&) noexcept = default;
  ~Netns();

  const std::string& name() const { return name_; }
  int fd() const { return fd_.get(); }

  // Runs fn on the calling thread after it entered this namespace; the thread returns to its
  // own namespace before run() returns (or the process aborts: a thread left in the wrong
  // namespace would configure the wrong network). Sockets opened inside fn stay bound to this
  // namespace.
  void run(const std::function<void()>& fn) const;

 private:
  Netns(std::string name, UniqueFd fd) : name_(std::move(name)), fd_(std::move(fd)) {}
  std::string name_;
  UniqueFd fd_;
};

}  // namespace deadpeer::sys
