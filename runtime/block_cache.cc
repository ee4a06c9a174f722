#include "runtime/block_cache.h"

#include <algorithm>
#include <cassert>
#include <vector>

#include "frontend/block.h"

namespace mipsrun {

const std::vector<const Block*> BlockCache::kNoPredecessors;

// The direct successors of a block (none for a fetch fault).
static size_t DirectSuccessors(const Block& b, uint32_t out[2]) {
  if (!b.translatable()) return 0;
  size_t n = std::min<size_t>(b.insn_count(), 2);
  Insn last[2];
  for (size_t i = 0; i < n; ++i) last[i] = b.code[b.insn_count() - n + i].insn;
  return StaticSuccessors(last, n, b.end, out);
}

void BlockCache::Link(const Block& block) {
  uint32_t targets[2];
  size_t n = DirectSuccessors(block, targets);
  for (size_t i = 0; i < n; ++i) {
    if (i == 1 && targets[1] == targets[0]) break;  // a branch to its own fall-through
    preds_[targets[i]].push_back(&block);
  }
}

void BlockCache::Unlink(const Block& block) {
  uint32_t targets[2];
  size_t n = DirectSuccessors(block, targets);
  for (size_t i = 0; i < n; ++i) {
    auto it = preds_.find(targets[i]);
    if (it == preds_.end()) continue;
    std::erase(it->second, &block);
    if (it->second.empty()) preds_.erase(it);
  }
}

BlockCache::BlockCache() : lookup_(new Block*[1u << kBlockLookupBits]) {
  std::fill_n(lookup_.get(), 1u << kBlockLookupBits, NoBlock());
}

Block* BlockCache::Insert(std::unique_ptr<Block> block) {
  code_lo_ = std::min(code_lo_, block->start);
  code_hi_ = std::max(code_hi_, block->end);
  Block* raw = block.get();
  [[maybe_unused]] bool inserted = blocks_.try_emplace(raw->start, std::move(block)).second;
  assert(inserted && "BlockCache::Insert: a block with this start is cached already");
  Link(*raw);
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
  for (uint32_t start : doomed) {
    auto it = blocks_.find(start);
    Unlink(*it->second);
    blocks_.erase(it);
  }
  // Successor links are only a shortcut; clearing them all is simpler than finding
  // the ones that pointed at dropped blocks, and invalidation is rare.
  for (auto& [start, block] : blocks_) block->ClearSuccessors();
  std::fill_n(lookup_.get(), 1u << kBlockLookupBits, NoBlock());
  return true;
}

}  // namespace mipsrun
