// The persistent code cache: translated regions kept on disk, so that the next run of
// the same guest code links them instead of compiling them again. A program that
// mipsrun runs again and again (a test suite's binaries, the processes a build script
// spawns, a benchmark) then pays LLVM's compile time once.
//
// What is kept for a region is the relocatable object the translator linked (it names
// no address of the process that made it: translator/translator.h) with a description
// of the region it was compiled for: every block's start, end, entry flag and
// instruction words, the exits, and the flags the code depends on. An object is used
// only for a region whose description is the same, byte for byte, so it is the code
// the translator would compile for it now.
//
// Everything else that decides the code is in the cache's salt, a directory level of
// its own: the identity (inode, size, modification time) of the mipsrun executable and
// of the translator module, the host CPU's model and feature flags, and the translator's
// tuning variables (MIPSRUN_JIT_CPU, MIPSRUN_CG_LEVEL, MIPSRUN_LLVM_OPTS). Another build
// or another machine sharing the directory finds nothing of the other's.
//
// Layout: DIR/SALT/HEAD/KEY, HEAD the region's first block's address and KEY a hash of
// its description. Files are written under a temporary name and renamed, so that
// concurrent runs never read half a file; a file that fails its checksum is a miss.
// The cache is trimmed, oldest files first, when it grows past kCodeCacheLimit.
#ifndef MIPSRUN_RUNTIME_CODE_CACHE_H_
#define MIPSRUN_RUNTIME_CODE_CACHE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "translator/translator.h"

namespace mipsrun {

inline constexpr uint64_t kCodeCacheLimit = uint64_t{256} << 20;

// A region the cache holds, as described when it was stored: the executor checks it
// against the guest's code of now before it asks for its object (Executor::FromCache).
struct CachedRegion {
  struct Block {
    uint32_t start = 0;
    uint32_t end = 0;
    bool entry = false;
    std::vector<uint32_t> words;      // the instruction words, in host order
    std::vector<bool> delay_slot;     // which of them run in a delay slot
  };
  bool big_endian = false;
  bool fr = false;
  bool inline_fp_slow_paths = false;
  std::vector<Block> blocks;
  std::vector<std::pair<uint32_t, bool>> exits;  // pc, and whether it has an entry cell
};

class CodeCache {
 public:
  // The cache in `dir` (made when the first region is stored). Nothing is read before
  // the first lookup.
  explicit CodeCache(std::string dir, uint64_t limit = kCodeCacheLimit);
  // Tests: look at the cache's size on every first store, not in one run of many.
  void TrimAlways() { trim_always_ = true; }

  // The object compiled for a region equal to `region`, if the cache has one.
  std::optional<std::string> Find(const RegionSpec& region);
  // Keeps `object`, compiled for `region`. Failures (a full disk, a read-only
  // directory) only mean that the next run compiles again.
  void Store(const RegionSpec& region, std::string_view object);
  // The regions the cache holds that start at `head`, for code of this byte order and
  // FPU mode (at most a few).
  std::vector<CachedRegion> RegionsAt(uint32_t head, bool big_endian, bool fr);

  // Used by the guest's thread (RegionsAt) and the compile thread (Find, Store).
  uint64_t hits() const { return hits_; }
  uint64_t stores() const { return stores_; }
  const std::string& dir() const { return dir_; }

  // The description of `region` that its file holds (exposed for tests).
  static std::string Describe(const RegionSpec& region);
  static std::optional<CachedRegion> Parse(std::string_view description);
  // A 64-bit hash of `bytes`, the same in every run.
  static uint64_t Hash(std::string_view bytes, uint64_t seed = 0);

 private:
  const std::string& SaltDir();
  std::string PathOf(uint32_t head, std::string_view description);
  // The description and object in the file at `path`; nullopt if it is not a whole,
  // intact cache file.
  static std::optional<std::pair<std::string, std::string>> ReadEntry(const std::string& path);
  void TrimIfLarge();

  std::string dir_;
  uint64_t limit_;
  bool trim_always_ = false;
  std::once_flag salt_once_;
  std::string salt_dir_;  // DIR/SALT, computed on first use
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> stores_{0};
};

// The cache directory by default: $MIPSRUN_CODE_CACHE if set ("off" for none), else
// $XDG_CACHE_HOME/mipsrun, else $HOME/.cache/mipsrun; empty for none.
std::string DefaultCodeCacheDir();

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_CODE_CACHE_H_
