#include "runtime/block_cache.h"

#include <algorithm>
#include <vector>

namespace mipsrun {

BlockCache::BlockCache() : lookup_(new Block*[1u << kBlockLookupBits]) {
  std::fill_n(lookup_.get(), 1u << kBlockLookupBits, NoBlock());
}

Block* BlockCache::Insert(std::unique_ptr<Block> block) {
  code_lo_ = std::min(code_lo_, block->start);
  code_hi_ = std::max(code_hi_, block->end);
  Block* raw = block.get();
  blocks_[block->start] = std::move(block);
  return raw;
}

bool BlockCache::Invalidate(uint32_t addr, uint32_t len) {
  uint64_t lo = addr, hi = uint64_t{addr} + len;
  if (hi <= code_lo_ || lo >= code_hi_) return false;
  std::vector<uint32_t> doomed;
  for (const auto& [start, block] : blocks_) {
    if (block->start < hi && block->end > lo) doomed.push_back(start);
  }
  if (doomed.empty()) return false;
  for (uint32_t start : doomed) blocks_.erase(start);
  // Successor links are only a shortcut; clearing them all is simpler than finding
  // the ones that pointed at dropped blocks, and invalidation is rare.
  for (auto& [start, block] : blocks_) block->ClearSuccessors();
  std::fill_n(lookup_.get(), 1u << kBlockLookupBits, NoBlock());
  return true;
}

}  // namespace mipsrun
