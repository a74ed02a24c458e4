#pragma once
// A libnftables context bound to one network namespace. Each run() is one nftables transaction:
// the whole buffer is committed atomically or not at all, and a failure carries libnftables'
// own error text ("Error: No such file or directory; delete table inet dpfault ...").
#include <memory>
#include <string>

struct nft_ctx;

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::netlink {

class NftContext {
 public:
  static NftContext open_in(const sys::Netns& ns);
  NftContext(NftContext&&) noexcept = default;
  NftContext& operator=(NftContext&&) noexcept = default;
  ~NftContext();

  // Runs `commands` (nft syntax) as one transaction; `what` names the action for errors.
  void run(const std::string& commands, const std::string& what);
  // Runs a listing command and returns its (JSON when json=true) output.
  std::string query(const std::string& command, bool json = true);

  const std::string& ns_name() const { return ns_name_; }

 private:
  struct Deleter {
    void operator()(nft_ctx* c) const;
  };
  NftContext(std::unique_ptr<nft_ctx, Deleter> ctx, std::string ns_name)
      : ctx_(std::move(ctx)), ns_name_(std::move(ns_name)) {}
  std::unique_ptr<nft_ctx, Deleter> ctx_;
  std::string ns_name_;
};

}  // namespace deadpeer::netlink
