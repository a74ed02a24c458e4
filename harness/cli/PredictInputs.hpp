#pragma once
// The input side of `deadpeer predict`: command-line settings (and optionally a scenario file)
// turned into the timing model's Inputs, checked as strictly as `deadpeer run` would check them
// where that is possible without privileges. Pure apart from reading the scenario file, so the
// real parsing is unit-tested (tests/unit/predict_test.cpp).
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/Model.hpp"

namespace deadpeer::cli {

// What the user typed, before any interpretation.
struct PredictArgs {
  std::optional<std::string> scenario;  // a TOML file; its settings first, the flags below override
  std::vector<std::string> client, server;                // ssh_config / sshd_config K=V
  std::vector<std::string> kernel_client, kernel_server;  // sysctl K=V (with or without net.ipv4.)
  std::optional<std::string> fault;                       // kind
  std::vector<std::string> fault_params;                  // K=V
  std::optional<std::string> traffic;                     // idle, interactive, stream, forward
  std::optional<std::string> interval;                    // traffic interval, "2s"
  std::optional<std::string> rtt;                         // round-trip time, "20ms"
  std::optional<std::string> client_impl, server_impl;    // openssh, dropbear
  std::optional<std::string> client_version, server_version;  // "9.2p1", "2022.83"
};

// Bad input: `deadpeer predict` prints the message and exits 2.
class PredictError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where a version came from, for the report.
struct ResolvedVersion {
  model::Version version;
  std::string origin;  // "--client-version", "installed /usr/bin/ssh", "model default"
};
// The version of an implementation on a side when the user gave none (the command asks the
// installed binaries; tests pass a fixed answer).
using VersionLookup = std::function<ResolvedVersion(scenario::Implementation, bool client)>;

struct PredictCase {
  std::string label;  // "" for flags only, else the scenario case id ("demo/0")
  model::Inputs inputs;
  ResolvedVersion client_version, server_version;
  std::vector<std::string> unused;  // options the model does not read, e.g. "client Ciphers"
};

// One PredictCase per scenario case (one without a scenario or [matrix]). Throws PredictError
// naming the flag or the file:line:column and what is wrong with it.
std::vector<PredictCase> predict_cases(const PredictArgs& args, const VersionLookup& lookup);

// The installed binaries' versions (ssh -V, sshd -V, dbclient -V, dropbear -V), else the
// versions the model was built around (OpenSSH 9.2, Dropbear 2022.83).
ResolvedVersion installed_version(scenario::Implementation impl, bool client);

}  // namespace deadpeer::cli
