#include "runtime/regions.h"

#include <algorithm>
#include <queue>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "frontend/block.h"
#include "frontend/decoder.h"

namespace mipsrun {
namespace {

// A block joins a region if it ran at least 1/kHeat times as often as the head.
inline constexpr uint64_t kHeat = 64;

RegionBlock Copy(const Block& block) {
  RegionBlock r;
  r.start = block.start;
  r.end = block.end;
  r.insns.reserve(block.insn_count());
  for (size_t i = 0; i < block.insn_count(); ++i) r.insns.push_back(block.code[i].insn);
  return r;
}

bool Contains(const RegionSpec& region, uint32_t pc) {
  return std::any_of(region.blocks.begin(), region.blocks.end(),
                     [pc](const RegionBlock& b) { return b.start == pc; });
}

// Every static target of the region's blocks that is not one of them.
void AddExits(RegionSpec& region, absl::FunctionRef<EntryCell*(uint32_t)> cell_for) {
  for (const RegionBlock& b : region.blocks) {
    uint32_t targets[2];
    size_t n = StaticSuccessors(b.insns.data(), b.insns.size(), b.end, targets);
    for (size_t i = 0; i < n; ++i) {
      uint32_t t = targets[i];
      if (Contains(region, t)) continue;
      if (std::any_of(region.exits.begin(), region.exits.end(),
                      [t](const RegionExit& e) { return e.pc == t; })) {
        continue;
      }
      region.exits.push_back(RegionExit{t, cell_for(t)});
    }
  }
}

// Which blocks the code may be entered at: the head; a call's return point (the return
// comes by an indirect jump, maybe from a callee outside); a block that a decoded block
// outside leads to; and a block that no block of the region leads to by a direct edge
// (a switch's case, a function called through a register). Any other block runs only
// when the region's own code goes there; should it be reached from elsewhere after
// all, the interpreter runs it, and it may become the head of a region of its own.
void MarkEntries(RegionSpec& region, const BlockCache& cache) {
  absl::flat_hash_set<uint32_t> reached, returns;
  for (const RegionBlock& b : region.blocks) {
    uint32_t targets[2];
    size_t n = StaticSuccessors(b.insns.data(), b.insns.size(), b.end, targets);
    reached.insert(targets, targets + n);
    if (EndsInCall(b.insns.data(), b.insns.size())) returns.insert(b.end);
  }
  for (size_t i = 1; i < region.blocks.size(); ++i) {
    RegionBlock& b = region.blocks[i];
    bool from_outside = false;
    for (const Block* p : cache.PredecessorsOf(b.start)) from_outside |= !Contains(region, p->start);
    b.entry = from_outside || returns.contains(b.start) || !reached.contains(b.start);
  }
}

}  // namespace

std::unique_ptr<RegionSpec> FormRegion(const BlockCache& cache, const Block& head,
                                       bool big_endian, bool fr, size_t max_blocks,
                                       absl::FunctionRef<EntryCell*(uint32_t)> cell_for) {
  auto region = std::make_unique<RegionSpec>();
  region->big_endian = big_endian;
  region->fr = fr;
  // Candidates: blocks that ran about as often as the head (less is not worth the
  // compile time: those paths become exits).
  auto hot = [&head](const Block* b) {
    return b && b->translatable() && !b->native && !b->pending &&
           b->exec_count * kHeat >= head.exec_count && b->exec_count > 0;
  };
  // Grow from the head, hottest candidate first.
  auto colder = [](const Block* a, const Block* b) { return a->exec_count < b->exec_count; };
  std::priority_queue<const Block*, std::vector<const Block*>, decltype(colder)> queue(colder);
  absl::flat_hash_set<uint32_t> seen = {head.start};
  queue.push(&head);
  while (!queue.empty() && region->blocks.size() < max_blocks) {
    const Block* b = queue.top();
    queue.pop();
    region->blocks.push_back(Copy(*b));
    const RegionBlock& added = region->blocks.back();
    // Forward: where it goes, and a call's return point (the return, an indirect
    // jump, then stays inside the region). Backward: what leads to it, such as the
    // cases of a switch that all go back to the loop that dispatched them.
    uint32_t targets[3];
    size_t n = StaticSuccessors(added.insns.data(), added.insns.size(), added.end, targets);
    if (EndsInCall(added.insns.data(), added.insns.size())) targets[n++] = added.end;
    auto consider = [&](const Block* c) {
      if (hot(c) && seen.insert(c->start).second) queue.push(c);
    };
    for (size_t i = 0; i < n; ++i) consider(cache.Find(targets[i]));
    for (const Block* p : cache.PredecessorsOf(b->start)) consider(p);
  }
  MarkEntries(*region, cache);
  AddExits(*region, cell_for);
  return region;
}

std::unique_ptr<RegionSpec> SingleBlockRegion(const Block& block, bool big_endian, bool fr,
                                              absl::FunctionRef<EntryCell*(uint32_t)> cell_for) {
  auto region = std::make_unique<RegionSpec>();
  region->big_endian = big_endian;
  region->fr = fr;
  region->blocks.push_back(Copy(block));
  AddExits(*region, cell_for);
  return region;
}

}  // namespace mipsrun
