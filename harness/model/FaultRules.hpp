#pragma once
// Per fault kind: which Episode each side lives through, and which mechanisms can end it.
//   LossFaults.cpp    blackhole, drop (both or one way), link-down, crash, freeze, spoof-keepalive,
//                     impair
//   ResetFaults.cpp   reject (RST, or ICMP → drop_fault), spoof-rst, spoof-data, reboot
//   FirewallFault.cpp firewall (conntrack idle timeout, drop or reset on expiry)
//   Transient.cpp     `duration` and `flap`: what survives an outage that ends
#include <optional>
#include <string>

#include "model/Mechanisms.hpp"

namespace deadpeer::model {

struct FaultContext {
  const Inputs& in;
  Profiles p;
  double rtt = 0;

  Profile& side(Side s) { return s == Side::client ? p.client : p.server; }
  // A fault parameter, lower-cased; `dflt` when absent.
  std::string param(const std::string& key, const std::string& dflt) const;
  // "30", "30s", "500ms", "2m" → seconds; nullopt when absent, throws on garbage.
  std::optional<double> seconds(const std::string& key) const;
};

// Both sides' predictions for the fault in ctx.in.fault. Throws std::invalid_argument for a
// parameter it cannot read (predict() turns that into an "unknown-fault" prediction).
Prediction loss_fault(FaultContext& ctx);
Prediction reset_fault(FaultContext& ctx);
Prediction firewall_fault(FaultContext& ctx);

// direction=both|to-server|to-client; target=server|client.
enum class Direction { both, to_server, to_client };

// Everything in direction `d` is lost from t0; soft_error (non-empty) is the ICMP error the
// sender of a lost packet gets (reject with icmp): it changes only the cause of a TCP give-up.
Prediction drop_fault(FaultContext& ctx, Direction d, const std::string& why, const std::string& soft_error);

// A transient fault (`duration`, or `flap`): the permanent prediction, corrected for an outage
// that ends. Returns `permanent` unchanged for a permanent fault.
Prediction transient(FaultContext& ctx, Prediction permanent);

Direction direction_param(const FaultContext& ctx);
Side target_param(const FaultContext& ctx);

}  // namespace deadpeer::model
