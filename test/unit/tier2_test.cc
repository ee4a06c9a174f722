// The compile thread and start-up: regions that get hot within the compile delay wait
// in the queue, and when it has passed the dispatcher drops those gone cold and forms
// the others again before anything is compiled.
#include "runtime/tier2.h"

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace mipsrun {
namespace {

std::unique_ptr<RegionSpec> OneBlock(uint32_t start) {
  auto region = std::make_unique<RegionSpec>();
  RegionBlock b;
  b.start = start;
  b.end = start + 4;
  b.insns.resize(1);
  region->blocks.push_back(b);
  return region;
}

// The compile thread asks for the dispatcher once the delay is over (it pokes the
// running guest; here there is none, so the test looks). True when it did in time.
bool WaitForColdCheck(const Tier2& tier2) {
  for (int i = 0; i < 600 && !tier2.cold_check_due(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return tier2.cold_check_due();
}

// The starts of the regions that wait, in the queue's order; `revise` then leaves
// what ReviseWaitingJobs should compile and says how many it dropped.
template <class Revise>
std::vector<uint32_t> Waiting(Tier2& tier2, Revise revise) {
  std::vector<uint32_t> waiting;
  tier2.ReviseWaitingJobs([&](std::vector<std::unique_ptr<RegionSpec>>& regions) {
    for (const auto& r : regions) waiting.push_back(r->blocks[0].start);
    return revise(regions);
  });
  return waiting;
}

TEST(Tier2Test, JobsFromStartUpWaitForTheDispatcherToReviseThem) {
  // Never destroyed: a compile thread is never stopped (runtime/tier2.h); a static, so
  // that LeakSanitizer sees it still in use.
  static Tier2* tier2 = new Tier2(/*big_endian=*/true, /*background=*/true, std::chrono::seconds(1));
  tier2->Submit(OneBlock(0x400000));
  tier2->Submit(OneBlock(0x400100));
  EXPECT_TRUE(tier2->has_worker());
  EXPECT_FALSE(tier2->cold_check_due());  // the delay has not passed
  ASSERT_TRUE(WaitForColdCheck(*tier2));
  // The dispatcher drops the first region as cold and forms the second again (here:
  // one at another block).
  std::vector<uint32_t> waiting =
      Waiting(*tier2, [](std::vector<std::unique_ptr<RegionSpec>>& regions) {
        regions.clear();
        regions.push_back(OneBlock(0x400200));
        return size_t{1};
      });
  EXPECT_EQ(waiting, (std::vector<uint32_t>{0x400000, 0x400100}));
  EXPECT_EQ(tier2->regions_dropped_cold(), 1u);
  EXPECT_FALSE(tier2->cold_check_due());
  // The thread compiles what the dispatcher left, and only that (with or without a
  // translator to load here, the job comes back).
  std::vector<uint32_t> done;
  for (int i = 0; i < 600 && done.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    tier2->Publish([&](const RegionSpec& r, NativeCode) { done.push_back(r.blocks[0].start); });
  }
  EXPECT_EQ(done, (std::vector<uint32_t>{0x400200}));
}

}  // namespace
}  // namespace mipsrun

namespace mipsrun {
namespace {

TEST(Tier2Test, RegionsFromTheCodeCacheGoBeforeTheDelayIsOver) {
  // Never destroyed, as above; the delay outlasts the test.
  static Tier2* tier2 = new Tier2(/*big_endian=*/true, /*background=*/true, std::chrono::hours(1));
  tier2->Submit(OneBlock(0x400000));
  tier2->Submit(OneBlock(0x400100), /*from_cache=*/true);
  std::vector<uint32_t> done;
  for (int i = 0; i < 600 && done.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    tier2->Publish([&](const RegionSpec& r, NativeCode) { done.push_back(r.blocks[0].start); });
  }
  EXPECT_EQ(done, (std::vector<uint32_t>{0x400100}));
  EXPECT_FALSE(tier2->cold_check_due());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  tier2->Publish([&](const RegionSpec& r, NativeCode) { done.push_back(r.blocks[0].start); });
  EXPECT_EQ(done.size(), 1u);  // the other waits for the delay and the dispatcher
}

}  // namespace
}  // namespace mipsrun

namespace mipsrun {
namespace {

TEST(Tier2Test, WaitingJobsGoHottestFirst) {
  // Never destroyed, as above. Nothing formed from counts is compiled before the
  // dispatcher has revised it (the delay), so the queue's order can be looked at there.
  static Tier2* tier2 = new Tier2(/*big_endian=*/true, /*background=*/true, std::chrono::seconds(1));
  tier2->Submit(OneBlock(0x400000));
  tier2->Submit(OneBlock(0x400100));
  tier2->Submit(OneBlock(0x400200));
  auto heat = [](const RegionSpec& r) -> uint64_t {
    switch (r.blocks[0].start) {
      case 0x400100: return 300;
      case 0x400200: return 200;
      default: return 100;
    }
  };
  tier2->Prioritize(heat);
  ASSERT_TRUE(WaitForColdCheck(*tier2));
  std::vector<uint32_t> waiting =
      Waiting(*tier2, [](std::vector<std::unique_ptr<RegionSpec>>&) { return size_t{0}; });
  EXPECT_EQ(waiting, (std::vector<uint32_t>{0x400100, 0x400200, 0x400000}));
}

}  // namespace
}  // namespace mipsrun
