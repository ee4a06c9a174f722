// Decoded blocks by guest start address. Single-threaded for now; invalidation drops
// every block that overlaps a range and every successor link that points at one.
// It also knows, for each address, which cached blocks lead there by a direct edge:
// region formation asks that of every block it adds, and building it anew each time
// would cost a pass over every block decoded so far per region formed (a program the
// size of python has tens of thousands of blocks and forms hundreds of regions).
#ifndef MIPSRUN_RUNTIME_BLOCK_CACHE_H_
#define MIPSRUN_RUNTIME_BLOCK_CACHE_H_

#include <cstdint>
#include <memory>
#include <vector>

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
  // A block whose start is not cached yet (Find gave null).
  Block* Insert(std::unique_ptr<Block> block);
  // Drops blocks overlapping [addr, addr+len). Returns true if any was dropped; then
  // every Block* the caller holds may be dangling.
  bool Invalidate(uint32_t addr, uint32_t len);
  size_t size() const { return blocks_.size(); }
  // The cached blocks that go to `pc` by a direct edge (a branch or jump target, the
  // fall-through of a conditional branch or of a block that ends without a transfer);
  // empty when none does.
  const std::vector<const Block*>& PredecessorsOf(uint32_t pc) const {
    auto it = preds_.find(pc);
    return it == preds_.end() ? kNoPredecessors : it->second;
  }
  template <class F>
  void ForEach(F f) const {
    for (const auto& [start, block] : blocks_) f(*block);
  }

 private:
  void Link(const Block& block);    // adds it to its successors' predecessors
  void Unlink(const Block& block);  // removes it from there

  static const std::vector<const Block*> kNoPredecessors;
  absl::flat_hash_map<uint32_t, std::unique_ptr<Block>> blocks_;
  absl::flat_hash_map<uint32_t, std::vector<const Block*>> preds_;  // by target
  std::unique_ptr<Block*[]> lookup_;  // a cache of blocks_: NoBlock() or a live block
  Block* const none_ = NoBlock();
  uint32_t code_lo_ = UINT32_MAX;  // bounds of all cached code, to skip most
  uint32_t code_hi_ = 0;           // invalidations (munmap of data) cheaply
};

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_BLOCK_CACHE_H_
