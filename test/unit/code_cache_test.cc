// The persistent code cache's files: what a region is kept under, what is found again,
// and what never is (another region, a damaged file, another build's or CPU's salt).
// That linked objects run as compiled ones do is the differential tester's business.
#include "runtime/code_cache.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace mipsrun {
namespace {

namespace fs = std::filesystem;

EntryCell g_cell;

// A region at `head` of `blocks` blocks of `insns` instructions each, words from `seed`.
RegionSpec Region(uint32_t head, size_t blocks, size_t insns, uint32_t seed = 1) {
  RegionSpec r;
  r.big_endian = true;
  for (size_t b = 0; b < blocks; ++b) {
    RegionBlock rb;
    rb.start = head + 0x100 * static_cast<uint32_t>(b);
    rb.end = rb.start + 4 * static_cast<uint32_t>(insns);
    rb.entry = b % 2 == 0;
    for (size_t i = 0; i < insns; ++i) {
      Insn insn;
      insn.pc = rb.start + 4 * static_cast<uint32_t>(i);
      insn.raw = seed * 0x01000193u + insn.pc;
      insn.delay_slot = i + 1 == insns;
      rb.insns.push_back(insn);
    }
    r.blocks.push_back(rb);
  }
  r.exits.push_back(RegionExit{head + 0x1000, &g_cell});
  r.exits.push_back(RegionExit{head + 0x2000, nullptr});
  return r;
}

class CodeCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mipsrun-code-cache-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::vector<fs::path> Files() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(dir_)) {
      if (e.is_regular_file()) out.push_back(e.path());
    }
    return out;
  }
  std::string dir_;
};

TEST_F(CodeCacheTest, DescriptionsParseBack) {
  RegionSpec r = Region(0x400100, 3, 4);
  r.fr = true;
  r.inline_fp_slow_paths = true;
  std::optional<CachedRegion> c = CodeCache::Parse(CodeCache::Describe(r));
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->big_endian);
  EXPECT_TRUE(c->fr);
  EXPECT_TRUE(c->inline_fp_slow_paths);
  ASSERT_EQ(c->blocks.size(), 3u);
  for (size_t b = 0; b < 3; ++b) {
    EXPECT_EQ(c->blocks[b].start, r.blocks[b].start);
    EXPECT_EQ(c->blocks[b].end, r.blocks[b].end);
    EXPECT_EQ(c->blocks[b].entry, r.blocks[b].entry);
    ASSERT_EQ(c->blocks[b].words.size(), 4u);
    for (size_t i = 0; i < 4; ++i) {
      EXPECT_EQ(c->blocks[b].words[i], r.blocks[b].insns[i].raw);
      EXPECT_EQ(c->blocks[b].delay_slot[i], r.blocks[b].insns[i].delay_slot);
    }
  }
  EXPECT_EQ(c->exits, (std::vector<std::pair<uint32_t, bool>>{{0x401100, true}, {0x402100, false}}));
  // Cut short anywhere, or with bytes after it, a description is refused.
  std::string d = CodeCache::Describe(r);
  for (size_t n = 0; n < d.size(); n += 3) EXPECT_FALSE(CodeCache::Parse(d.substr(0, n))) << n;
  EXPECT_FALSE(CodeCache::Parse(d + "x"));
}

TEST_F(CodeCacheTest, FindsOnlyTheRegionItStored) {
  CodeCache cache(dir_);
  RegionSpec r = Region(0x400100, 2, 3);
  EXPECT_FALSE(cache.Find(r));
  cache.Store(r, "object bytes");
  EXPECT_EQ(cache.stores(), 1u);
  // Another run (another CodeCache) finds it.
  CodeCache later(dir_);
  EXPECT_EQ(later.Find(r), "object bytes");
  EXPECT_EQ(later.hits(), 1u);
  // Not for a region that differs in anything the code depends on.
  RegionSpec word = r;
  word.blocks[1].insns[2].raw ^= 1;
  RegionSpec entry = r;
  entry.blocks[1].entry = !entry.blocks[1].entry;
  RegionSpec slot = r;
  slot.blocks[0].insns[1].delay_slot = true;
  RegionSpec cell = r;
  cell.exits[1].cell = &g_cell;
  RegionSpec fr = r;
  fr.fr = true;
  RegionSpec order = r;
  order.big_endian = false;
  RegionSpec slow = r;
  slow.inline_fp_slow_paths = true;
  RegionSpec shorter = r;
  shorter.blocks.pop_back();
  for (const RegionSpec* other : {&word, &entry, &slot, &cell, &fr, &order, &slow, &shorter}) {
    EXPECT_FALSE(later.Find(*other));
  }
}

TEST_F(CodeCacheTest, ADamagedFileIsAMiss) {
  CodeCache cache(dir_);
  RegionSpec r = Region(0x400100, 2, 3);
  cache.Store(r, std::string(1000, 'o'));
  std::vector<fs::path> files = Files();
  ASSERT_EQ(files.size(), 1u);
  std::string bytes;
  {
    std::ifstream in(files[0], std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  for (const std::string& damaged : {flipped, bytes.substr(0, bytes.size() - 1), std::string()}) {
    std::ofstream(files[0], std::ios::binary | std::ios::trunc) << damaged;
    EXPECT_FALSE(CodeCache(dir_).Find(r));
  }
  std::ofstream(files[0], std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_TRUE(CodeCache(dir_).Find(r));
}

TEST_F(CodeCacheTest, RegionsAtAHeadComeLargestFirst) {
  CodeCache cache(dir_);
  cache.Store(Region(0x400100, 2, 3), "small");
  cache.Store(Region(0x400100, 5, 3), "large");
  RegionSpec little = Region(0x400100, 3, 3);
  little.big_endian = false;
  cache.Store(little, "little-endian");
  cache.Store(Region(0x400200, 4, 3), "elsewhere");
  std::vector<CachedRegion> at = CodeCache(dir_).RegionsAt(0x400100, /*big_endian=*/true, false);
  ASSERT_EQ(at.size(), 2u);
  EXPECT_EQ(at[0].blocks.size(), 5u);
  EXPECT_EQ(at[1].blocks.size(), 2u);
  EXPECT_EQ(CodeCache(dir_).RegionsAt(0x400100, false, false).size(), 1u);
  EXPECT_TRUE(CodeCache(dir_).RegionsAt(0x400100, true, /*fr=*/true).empty());
  EXPECT_TRUE(CodeCache(dir_).RegionsAt(0x400300, true, false).empty());
}

TEST_F(CodeCacheTest, TuningVariablesSaltTheCache) {
  RegionSpec r = Region(0x400100, 2, 3);
  CodeCache(dir_).Store(r, "default code");
  setenv("MIPSRUN_CG_LEVEL", "0", 1);
  EXPECT_FALSE(CodeCache(dir_).Find(r));
  CodeCache(dir_).Store(r, "level 0 code");
  EXPECT_EQ(CodeCache(dir_).Find(r), "level 0 code");
  unsetenv("MIPSRUN_CG_LEVEL");
  EXPECT_EQ(CodeCache(dir_).Find(r), "default code");
}

TEST_F(CodeCacheTest, TrimmingRemovesTheFilesUnusedLongest) {
  const std::string object(10000, 'o');
  auto head = [](uint32_t i) { return 0x400000 + 0x10000 * i; };
  for (uint32_t i = 0; i < 8; ++i) CodeCache(dir_).Store(Region(head(i), 1, 2), object);
  // The first four were last used long ago.
  for (const fs::path& f : Files()) {
    uint32_t at = std::stoul(f.parent_path().filename().string(), nullptr, 16);
    if (at >= head(4)) continue;
    struct timespec times[2] = {{1000, 0}, {1000 + at / 0x10000, 0}};
    ASSERT_EQ(utimensat(AT_FDCWD, f.c_str(), times, 0), 0);
  }
  // Nine files of 10 KB and more are over a 60 KB limit: the oldest go until the cache
  // is under 45 KB, the four old ones first.
  CodeCache cache(dir_, 60000);
  cache.TrimAlways();
  cache.Store(Region(head(8), 1, 2), object);
  std::vector<uint32_t> left;
  for (const fs::path& f : Files()) left.push_back(std::stoul(f.parent_path().filename().string(), nullptr, 16));
  std::sort(left.begin(), left.end());
  ASSERT_EQ(left.size(), 4u);
  EXPECT_GE(left[0], head(4));
  EXPECT_EQ(left.back(), head(8));  // the newest stays
}

TEST(CodeCacheDirTest, DefaultsToTheUsersCacheDirectory) {
  const char* saved[3] = {getenv("MIPSRUN_CODE_CACHE"), getenv("XDG_CACHE_HOME"), getenv("HOME")};
  std::string keep[3];
  for (int i = 0; i < 3; ++i) keep[i] = saved[i] ? saved[i] : "";
  unsetenv("MIPSRUN_CODE_CACHE");
  unsetenv("XDG_CACHE_HOME");
  setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(DefaultCodeCacheDir(), "/home/someone/.cache/mipsrun");
  setenv("XDG_CACHE_HOME", "/var/cache/someone", 1);
  EXPECT_EQ(DefaultCodeCacheDir(), "/var/cache/someone/mipsrun");
  setenv("MIPSRUN_CODE_CACHE", "/srv/cache", 1);
  EXPECT_EQ(DefaultCodeCacheDir(), "/srv/cache");
  setenv("MIPSRUN_CODE_CACHE", "off", 1);
  EXPECT_EQ(DefaultCodeCacheDir(), "");
  unsetenv("MIPSRUN_CODE_CACHE");
  unsetenv("XDG_CACHE_HOME");
  unsetenv("HOME");
  EXPECT_EQ(DefaultCodeCacheDir(), "");
  const char* names[3] = {"MIPSRUN_CODE_CACHE", "XDG_CACHE_HOME", "HOME"};
  for (int i = 0; i < 3; ++i) {
    if (saved[i]) setenv(names[i], keep[i].c_str(), 1);
  }
}

}  // namespace
}  // namespace mipsrun
