// The runtime's side of the translator tier: the entry cells that translated code
// jumps through, the compile thread, publication of finished regions, and dropping
// translations when guest code changes.
//
// Threads: the compile thread only ever touches a job it was handed (the region's own
// copy of its instructions) and the translator; everything else here belongs to the
// dispatcher's thread. Finished jobs wait in a queue until the dispatcher, told by
// cpu.interrupt, publishes them: stores the code into the entry cells of the region's
// blocks (atomics that other translated code and other guest threads read; a region's
// code can be entered at any of its blocks) and hands it to the executor for them. A
// job whose guest code was invalidated while it compiled is thrown away instead
// (generation numbers).
#ifndef MIPSRUN_RUNTIME_TIER2_H_
#define MIPSRUN_RUNTIME_TIER2_H_

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/functional/function_ref.h"
#include "runtime/code_cache.h"
#include "runtime/cpu_state.h"
#include "translator/translator.h"

namespace mipsrun {

// A short program must not pay for LLVM: loading the translator (mapping and
// relocating it while the guest's page faults wait on the same address space) and
// compiling would cost a guest run that ends within milliseconds more than all its
// interpreted code. Regions that get hot sooner than this after start-up wait in the
// queue; then the dispatcher forms them again from what ran meanwhile (ReviseWaitingJobs:
// those that have gone cold are dropped, the others grow), and the compile thread goes
// on with those.
inline constexpr std::chrono::milliseconds kCompileDelay{10};

class Tier2 {
 public:
  // The running guest thread is poked (PokeRunningGuest) when translations are ready.
  // The compile thread compiles nothing sooner than `compile_delay` after this.
  // With `code_cache`, regions it holds are linked from there instead of compiled, and
  // what is compiled is kept there (runtime/code_cache.h).
  Tier2(bool big_endian, bool background,
        std::chrono::milliseconds compile_delay = kCompileDelay,
        std::unique_ptr<CodeCache> code_cache = nullptr);
  // Only when has_worker() is false: a compile thread is never stopped (it may be deep
  // in LLVM, and a short program must not wait for it); mipsrun leaves by _exit.
  ~Tier2();
  Tier2(const Tier2&) = delete;
  Tier2& operator=(const Tier2&) = delete;

  // The cell for code entered at `pc`; created on first use, never moves.
  EntryCell* CellFor(uint32_t pc) { return &cells_[pc]; }
  CodeCache* code_cache() { return code_cache_.get(); }
  JumpCacheEntry* jump_cache() { return jump_cache_.get(); }

  // Compiles `region` on this thread and publishes it. Null when the translator is
  // not available or fails (said once on stderr).
  NativeCode CompileNow(std::unique_ptr<RegionSpec> region);
  // Queues `region` for the compile thread. A region `from_cache` (the code cache holds
  // its code: Executor::FromCodeCache) costs no compiling, and was not formed from the
  // young counts of start-up: it goes before the compile delay is over, and
  // ReviseWaitingJobs leaves it alone.
  void Submit(std::unique_ptr<RegionSpec> region, bool from_cache = false);
  // A copy of the live region whose code is `code`, to be compiled again with its FPU
  // slow paths inline (RegionSpec::inline_fp_slow_paths, `replaces` set); null when it
  // has them already or is gone. Its code then takes the old one's place in the entry
  // cells that hold that.
  std::unique_ptr<RegionSpec> ForRecompile(NativeCode code);
  // Start-up is over (kCompileDelay) and the compile thread, which poked the guest,
  // waits for the dispatcher to call ReviseWaitingJobs: `revise` gets the regions that
  // wait, in the order they came, and leaves in their place the ones to compile (fewer
  // when code that was hot during start-up has not run since, such as glibc's
  // __tunables_init; larger ones formed from the counts of now). It returns how many
  // it dropped as cold. Then the thread goes on.
  bool cold_check_due() const { return cold_check_due_.load(std::memory_order_seq_cst); }
  using Reviser = absl::FunctionRef<size_t(std::vector<std::unique_ptr<RegionSpec>>& regions)>;
  void ReviseWaitingJobs(Reviser revise);
  // Orders the jobs that wait for the compile thread by `heat` (the guest work the
  // interpreter still does in each region, by the dispatcher's counts), hottest first;
  // those from the code cache, which cost no compiling, go before all. A large program
  // makes regions hot faster than LLVM compiles them: the code that costs most runs
  // translated soonest.
  void Prioritize(absl::FunctionRef<uint64_t(const RegionSpec& region)> heat);
  // Publishes what the compile thread finished: `done(region, code)` for each job,
  // with null code for one that failed or was discarded.
  void Publish(absl::FunctionRef<void(const RegionSpec& region, NativeCode code)> done);
  // Guest code in [addr, addr+len) changed (the block cache dropped blocks: jobs in
  // flight only ever hold cached blocks): drops the translations that cover any of
  // it and calls `dropped(pc, code)` for each block of each; jobs in flight are
  // discarded when done.
  void Invalidate(uint32_t addr, uint32_t len,
                  absl::FunctionRef<void(uint32_t pc, NativeCode code)> dropped);

  // fork() copies only the calling thread: BeforeFork waits until the compile thread is
  // between jobs (outside LLVM and its locks) and keeps it there; AfterFork lets it go
  // on in the parent, and in the child, which has no compile thread, makes the next
  // Submit (or this call, if jobs wait) start one.
  void BeforeFork();
  void AfterFork(bool child);

  bool has_worker() const { return worker_started_; }
  bool failed() const { return failed_; }
  uint64_t regions_submitted() const { return submitted_; }
  uint64_t regions_published() const { return published_; }
  uint64_t regions_discarded() const { return discarded_; }
  uint64_t regions_dropped_cold() const { return dropped_cold_; }
  // Compile statistics, one line.
  std::string Stats();

 private:
  struct Job {
    std::unique_ptr<RegionSpec> region;
    bool from_cache = false;
    uint64_t generation = 0;
    NativeCode code = nullptr;
    std::string error;
  };
  struct Region {  // a published or compiled region, kept for invalidation
    std::unique_ptr<RegionSpec> spec;  // lives as long as the code: faults name its insns
    NativeCode code = nullptr;
    bool live = true;
  };

  bool EnsureTranslator();
  NativeCode Compile(const RegionSpec& region, std::string* error);
  void Record(std::unique_ptr<RegionSpec> spec, NativeCode code);
  void ReportFailure(const std::string& what);
  void StartWorkerLocked();  // with mu_ held
  static void* WorkerMain(void* self);
  void Work();
  // Takes the first queued job that `eligible` accepts, compiles it and hands it back
  // (with mu_ held by `lock`, let go while compiling); false when there is none.
  template <class Eligible>
  bool RunOneJob(std::unique_lock<std::mutex>& lock, Eligible eligible);

  bool big_endian_;
  bool background_;
  std::chrono::steady_clock::time_point start_after_;  // for the compile thread
  absl::node_hash_map<uint32_t, EntryCell> cells_;
  std::unique_ptr<JumpCacheEntry[]> jump_cache_;
  std::vector<Region> regions_;
  uint64_t generation_ = 0;  // bumped by every invalidation that drops something
  uint64_t submitted_ = 0, published_ = 0, discarded_ = 0, dropped_cold_ = 0;
  uint64_t recompiles_ = 0;  // ForRecompile's copies
  std::unique_ptr<CodeCache> code_cache_;

  std::unique_ptr<Translator> translator_;  // created on first use, by whoever compiles
  std::atomic<bool> failed_{false};

  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;            // busy_ became false
  bool busy_ = false;                       // guarded by mu_: a job is being compiled
  std::unique_lock<std::mutex> fork_lock_;  // held from BeforeFork to AfterFork
  std::deque<std::unique_ptr<Job>> queue_;  // guarded by mu_
  std::vector<std::unique_ptr<Job>> done_;  // guarded by mu_
  bool worker_started_ = false;
  std::atomic<bool> cold_check_due_{false};  // set by the compile thread
  bool start_up_over_ = false;               // guarded by mu_: ReviseWaitingJobs ran
  uint64_t compiled_regions_ = 0;            // guarded by mu_
  uint64_t compiled_blocks_ = 0;             // guarded by mu_
  double compile_seconds_ = 0;               // guarded by mu_
  uint64_t loaded_regions_ = 0;              // guarded by mu_: from the code cache
  double load_seconds_ = 0;                  // guarded by mu_
  // Loading the translator and setting LLVM up (EnsureTranslator), once per process:
  // part of what the compile tier costs, though no region's compile time.
  double translator_load_seconds_ = 0;       // guarded by mu_
  pthread_t worker_{};
};

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_TIER2_H_
