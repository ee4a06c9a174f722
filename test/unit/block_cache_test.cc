// The block cache and its lookup table (what EndOfBlock reads at indirect jumps).
#include "runtime/block_cache.h"

#include <cstdint>

#include "frontend/block.h"
#include "gtest/gtest.h"

namespace mipsrun {
namespace {

// A block of one nop and a jr ra at `pc`.
std::unique_ptr<Block> BlockAtPc(uint32_t pc) {
  auto fetch = [pc](uint32_t addr, uint32_t* word) {
    *word = addr == pc ? 0x03e00008 : 0;  // jr ra; nop
    return true;
  };
  return BuildBlock(DiscoverBlock(pc, fetch), true);
}

Block* Slot(const BlockCache& cache, uint32_t pc) {
  return static_cast<Block*>(cache.lookup_table()[BlockLookupIndex(pc)]);
}

TEST(BlockCacheTest, FindFillsTheLookupTable) {
  BlockCache cache;
  Block* b = cache.Insert(BlockAtPc(0x1000));
  EXPECT_EQ(Slot(cache, 0x1000), NoBlock());
  EXPECT_EQ(cache.Find(0x1000), b);
  EXPECT_EQ(Slot(cache, 0x1000), b);
  EXPECT_EQ(cache.Find(0x1004), nullptr);
}

TEST(BlockCacheTest, AnEmptySlotIsNotABlockAtPcOne) {
  // A guest may jump to pc 1: the dispatcher must build its fetch fault, not run the
  // empty slot's NoBlock() (which leaves for the dispatcher at pc 1, for ever).
  BlockCache cache;
  EXPECT_EQ(cache.Find(1), nullptr);
  Block* one = cache.Insert(BlockAtPc(1));
  EXPECT_EQ(cache.Find(1), one);
  EXPECT_EQ(Slot(cache, 1), one);
}

TEST(BlockCacheTest, PcsThatShareASlotEachFindTheirOwnBlock) {
  BlockCache cache;
  uint32_t other = 0x1000 + (4u << kBlockLookupBits);
  ASSERT_EQ(BlockLookupIndex(0x1000), BlockLookupIndex(other));
  Block* a = cache.Insert(BlockAtPc(0x1000));
  Block* b = cache.Insert(BlockAtPc(other));
  EXPECT_EQ(cache.Find(0x1000), a);
  EXPECT_EQ(cache.Find(other), b);
  EXPECT_EQ(Slot(cache, 0x1000), b);
  EXPECT_EQ(cache.Find(0x1000), a);
}

TEST(BlockCacheTest, InvalidationEmptiesTheLookupTable) {
  BlockCache cache;
  cache.Insert(BlockAtPc(0x1000));
  Block* kept = cache.Insert(BlockAtPc(0x2000));
  cache.Find(0x1000);
  cache.Find(0x2000);
  ASSERT_TRUE(cache.Invalidate(0x1000, 4));
  // No slot may keep a dropped block: EndOfBlock would run freed code.
  EXPECT_EQ(Slot(cache, 0x1000), NoBlock());
  EXPECT_EQ(cache.Find(0x1000), nullptr);
  EXPECT_EQ(cache.Find(0x2000), kept);
}

}  // namespace
}  // namespace mipsrun
