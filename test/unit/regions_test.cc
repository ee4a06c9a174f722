// Region formation: which hot blocks go with a head, and at which of them the code can
// be entered.
#include "runtime/regions.h"

#include <cstdint>
#include <map>
#include <vector>

#include "frontend/block.h"
#include "gtest/gtest.h"

namespace mipsrun {
namespace {

// A loop with a call:
//   A 0x1000: addiu v0,v0,1; bne v0,v1,C; nop       (the head)
//   B 0x100c: jal F; nop
//   R 0x1014: b A; nop                              (B's call returns here)
//   C 0x101c: addiu a0,a0,1; b A; nop
//   X 0x1030: b C; nop                              (outside: never ran)
//   F 0x1040: jr ra; nop                            (called from B)
constexpr uint32_t kBase = 0x1000;
constexpr uint32_t kA = 0x1000, kB = 0x100c, kR = 0x1014, kC = 0x101c, kX = 0x1030,
                   kF = 0x1040;
const std::map<uint32_t, uint32_t> kCode = {
    {0x1000, 0x24420001}, {0x1004, 0x14430005}, {0x100c, 0x0c000410}, {0x1014, 0x1000fffa},
    {0x101c, 0x24840001}, {0x1020, 0x1000fff7}, {0x1030, 0x1000fffa}, {0x1040, 0x03e00008},
};

class RegionsTest : public ::testing::Test {
 protected:
  Block* Add(uint32_t pc, uint64_t runs) {
    auto fetch = [](uint32_t addr, uint32_t* word) {
      if (addr < kBase || addr >= kBase + 0x100) return false;
      auto it = kCode.find(addr);
      *word = it == kCode.end() ? 0 : it->second;  // nop
      return true;
    };
    Block* b = cache_.Insert(BuildBlock(DiscoverBlock(pc, fetch), true));
    b->exec_count = runs;
    return b;
  }
  // FormRegion's blocks, by start: whether each is an entry.
  std::map<uint32_t, bool> Form(const Block& head) {
    EntryCell cell;
    std::unique_ptr<RegionSpec> r =
        FormRegion(cache_, head, true, false, kMaxRegionBlocks, [&](uint32_t) { return &cell; });
    std::map<uint32_t, bool> out;
    for (const RegionBlock& b : r->blocks) out[b.start] = b.entry;
    EXPECT_EQ(r->blocks[0].start, head.start);
    return out;
  }
  BlockCache cache_;
};

TEST_F(RegionsTest, BlocksReachedOnlyFromInsideAreNotEntries) {
  Block* a = Add(kA, 1000);
  Add(kB, 900);
  Add(kR, 900);
  Add(kC, 100);
  Add(kF, 900);
  std::map<uint32_t, bool> want = {
      {kA, true},   // the head
      {kB, false},  // A's fall-through only
      {kR, true},   // a call's return point: F returns there by jr
      {kC, false},  // A's branch target only
      {kF, false},  // B's call target only
  };
  EXPECT_EQ(Form(*a), want);
}

TEST_F(RegionsTest, ABlockThatCodeOutsideLeadsToIsAnEntry) {
  Block* a = Add(kA, 1000);
  Add(kB, 900);
  Add(kR, 900);
  Add(kC, 100);
  Add(kF, 900);
  Add(kX, 0);  // decoded, never ran: not in the region, but it branches to C
  std::map<uint32_t, bool> got = Form(*a);
  EXPECT_FALSE(got.contains(kX));
  EXPECT_TRUE(got.at(kC));
  EXPECT_FALSE(got.at(kB));
}

TEST_F(RegionsTest, ABlockNoDirectEdgeReachesIsAnEntry) {
  // B never ran: R joins the region as a block that leads to A, and nothing in the
  // region leads to R by a direct edge (B's call returns there by jr), so R is an
  // entry, as a switch's case would be.
  Block* a = Add(kA, 1000);
  Add(kB, 0);
  Add(kR, 900);
  Add(kC, 100);
  std::map<uint32_t, bool> want = {{kA, true}, {kR, true}, {kC, false}};
  EXPECT_EQ(Form(*a), want);
}

}  // namespace
}  // namespace mipsrun
