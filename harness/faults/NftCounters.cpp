#include "faults/NftCounters.hpp"

#include <nlohmann/json.hpp>

namespace deadpeer::faults {

NftCounters NftCounters::read(netlink::NftContext& nft, const std::string& family, const std::string& table,
                              const std::string& comment) {
  NftCounters out;
  const auto doc = nlohmann::json::parse(nft.query("list table " + family + " " + table));
  for (const auto& item : doc.at("nftables")) {
    if (!item.contains("rule")) continue;
    const auto& rule = item["rule"];
    if (!comment.empty() && rule.value("comment", "") != comment) continue;
    for (const auto& expr : rule.at("expr"))
      if (expr.contains("counter")) {
        out.packets += expr["counter"].at("packets").get<long>();
        out.bytes += expr["counter"].at("bytes").get<long>();
      }
  }
  return out;
}

}  // namespace deadpeer::faults
