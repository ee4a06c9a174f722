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
  Block* Find(uint32_t pc) const {
    auto it = blocks_.find(pc);
    return it == blocks_.end() ? nullptr : it->second.get();
  }
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
  uint32_t code_lo_ = UINT32_MAX;  // bounds of all cached code, to skip most
  uint32_t code_hi_ = 0;           // invalidations (munmap of data) cheaply
};

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_BLOCK_CACHE_H_
