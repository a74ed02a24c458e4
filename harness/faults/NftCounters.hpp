#pragma once
// Sums of the `counter` statements in one nftables table: the proof that a rule acted.
#include <string>

#include "netlink/NftContext.hpp"

namespace deadpeer::faults {

struct NftCounters {
  long packets = 0;
  long bytes = 0;
  // All counters in `family table`, or only those of rules whose comment is `comment`.
  static NftCounters read(netlink::NftContext& nft, const std::string& family, const std::string& table,
                          const std::string& comment = "");
};

}  // namespace deadpeer::faults
