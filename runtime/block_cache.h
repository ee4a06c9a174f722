// Decoded blocks by guest start address. Single-threaded for now; invalidation drops
// every block that overlaps a range and every successor link that points at one.
#ifndef MIPSRUN_RUNTIME_BLOCK_CACHE_H_
#define MIPSRUN_RUNTIME_BLOCK_CACHE_H_

#include <cstdint>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "runtime/interpreter.h"

namespace mipsrun {

class BlockCache {
 public:
  BlockCache();
  // Through the lookup table first; a block found in the map takes its slot. An empty
  // slot's NoBlock() "starts" at pc 1: it is not a block of the cache.
  Block* Find(uint32_t pc) const {
    Block*& slot = lookup_[BlockLookupIndex(pc)];
    if (slot->start == pc && slot != none_) return slot;
    auto it = blocks_.find(pc);
    if (it == blocks_.end()) return nullptr;
    slot = it->second.get();
    return slot;
  }
  // The direct-mapped table of blocks found lately (kBlockLookupBits slots), for
  // CpuState::block_lookup; it never moves.
  void* const* lookup_table() const { return reinterpret_cast<void* const*>(lookup_.get()); }
  Block* Insert(std::unique_ptr<Block> block);
  // Drops blocks overlapping [addr, addr+len). Returns true if any was dropped; then
  // every Block* the caller holds may be dangling.
  bool Invalidate(uint32_t addr, uint32_t len);
  size_t size() const { return blocks_.size(); }
  template <class F>
  void ForEach(F f) const {
    for (const auto& [start, block] : blocks_) f(*block);
  }

 private:
  absl::flat_hash_map<uint32_t, std::unique_ptr<Block>> blocks_;
  std::unique_ptr<Block*[]> lookup_;  // a cache of blocks_: NoBlock() or a live block
  Block* const none_ = NoBlock();
  uint32_t code_lo_ = UINT32_MAX;  // bounds of all cached code, to skip most
  uint32_t code_hi_ = 0;           // invalidations (munmap of data) cheaply
};

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_BLOCK_CACHE_H_
