// The compile thread and start-up: regions that get hot within the compile delay wait
// in the queue, and when it has passed the dispatcher drops those gone cold before
// anything is compiled.
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

TEST(Tier2Test, JobsFromStartUpWaitForTheDispatcherToDropColdOnes) {
  // Never destroyed: a compile thread is never stopped (runtime/tier2.h); a static, so
  // that LeakSanitizer sees it still in use.
  static Tier2* tier2 = new Tier2(/*big_endian=*/true, /*background=*/true, std::chrono::seconds(1));
  tier2->Submit(OneBlock(0x400000));
  tier2->Submit(OneBlock(0x400100));
  EXPECT_TRUE(tier2->has_worker());
  EXPECT_FALSE(tier2->cold_check_due());  // the delay has not passed
  // The thread asks once the delay is over (it pokes the running guest; here there is
  // none, so the test looks).
  for (int i = 0; i < 600 && !tier2->cold_check_due(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(tier2->cold_check_due());
  std::vector<uint32_t> dropped;
  tier2->DropColdJobs([](const RegionSpec&) { return true; },
                      [&](const RegionSpec& r) { dropped.push_back(r.blocks[0].start); });
  EXPECT_EQ(dropped, (std::vector<uint32_t>{0x400000, 0x400100}));
  EXPECT_EQ(tier2->regions_dropped_cold(), 2u);
  EXPECT_FALSE(tier2->cold_check_due());
  EXPECT_NE(tier2->Stats().find("regions compiled 0 "), std::string::npos) << tier2->Stats();
}

}  // namespace
}  // namespace mipsrun
