// The block cache and its lookup table (what EndOfBlock reads at indirect jumps).
#include "runtime/block_cache.h"

#include <cstdint>
#include <vector>

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

// A block at `pc` of `words` (big-endian words in host order).
std::unique_ptr<Block> BlockOf(uint32_t pc, std::vector<uint32_t> words) {
  auto fetch = [pc, words](uint32_t addr, uint32_t* word) {
    size_t i = (addr - pc) / 4;
    *word = i < words.size() ? words[i] : 0;
    return true;
  };
  return BuildBlock(DiscoverBlock(pc, fetch), true);
}

std::vector<uint32_t> Starts(const std::vector<const Block*>& blocks) {
  std::vector<uint32_t> starts;
  for (const Block* b : blocks) starts.push_back(b->start);
  return starts;
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

TEST(BlockCacheTest, InsertingASecondBlockAtAStartIsABug) {
#ifdef NDEBUG
  GTEST_SKIP() << "an assert: checked in debug builds (the sanitizer build)";
#endif
  BlockCache cache;
  cache.Insert(BlockAtPc(0x1000));
  EXPECT_DEATH(cache.Insert(BlockAtPc(0x1000)), "cached already");
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

TEST(BlockCacheTest, KnowsWhichBlocksLeadWhere) {
  BlockCache cache;
  // 0x1000: beq $a0, $0, +0x10 (to 0x1014), nop: goes to 0x1014 or on to 0x1008
  cache.Insert(BlockOf(0x1000, {0x10800004, 0}));
  // 0x2000: j 0x1014; nop
  cache.Insert(BlockOf(0x2000, {0x08000405, 0}));
  // 0x3000: jr ra; nop (no direct successor)
  cache.Insert(BlockOf(0x3000, {0x03e00008, 0}));
  // 0x4000: beq $a0, $0, +4 (to 0x4008, its own fall-through): listed once
  cache.Insert(BlockOf(0x4000, {0x10800001, 0}));
  EXPECT_EQ(Starts(cache.PredecessorsOf(0x1014)), (std::vector<uint32_t>{0x1000, 0x2000}));
  EXPECT_EQ(Starts(cache.PredecessorsOf(0x1008)), (std::vector<uint32_t>{0x1000}));
  EXPECT_EQ(Starts(cache.PredecessorsOf(0x4008)), (std::vector<uint32_t>{0x4000}));
  EXPECT_TRUE(cache.PredecessorsOf(0x3008).empty());
  // A dropped block leads nowhere any more (region formation must not follow it).
  ASSERT_TRUE(cache.Invalidate(0x1000, 4));
  EXPECT_EQ(Starts(cache.PredecessorsOf(0x1014)), (std::vector<uint32_t>{0x2000}));
  EXPECT_TRUE(cache.PredecessorsOf(0x1008).empty());
}

}  // namespace
}  // namespace mipsrun
