#include "runtime/regions.h"

#include <algorithm>
#include <vector>

#include "frontend/block.h"

namespace mipsrun {
namespace {

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

}  // namespace

std::unique_ptr<RegionSpec> FormRegion(const BlockCache& cache, const Block& head,
                                       bool big_endian, size_t max_blocks,
                                       absl::FunctionRef<EntryCell*(uint32_t)> cell_for) {
  auto region = std::make_unique<RegionSpec>();
  region->big_endian = big_endian;
  region->blocks.push_back(Copy(head));
  for (size_t next = 0; next < region->blocks.size() && region->blocks.size() < max_blocks;
       ++next) {
    uint32_t targets[2];
    const RegionBlock& from = region->blocks[next];
    size_t n = StaticSuccessors(from.insns.data(), from.insns.size(), from.end, targets);
    for (size_t i = 0; i < n && region->blocks.size() < max_blocks; ++i) {
      const Block* b = cache.Find(targets[i]);
      if (!b || !b->translatable() || b->exec_count == 0 || b->native || b->pending ||
          Contains(*region, b->start)) {
        continue;
      }
      region->blocks.push_back(Copy(*b));  // may move `from`: not used below
    }
  }
  AddExits(*region, cell_for);
  return region;
}

std::unique_ptr<RegionSpec> SingleBlockRegion(const Block& block, bool big_endian,
                                              absl::FunctionRef<EntryCell*(uint32_t)> cell_for) {
  auto region = std::make_unique<RegionSpec>();
  region->big_endian = big_endian;
  region->blocks.push_back(Copy(block));
  AddExits(*region, cell_for);
  return region;
}

}  // namespace mipsrun
