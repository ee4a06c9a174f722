// The dispatcher: finds or builds the block at the guest pc, runs it, and handles
// whatever made it leave (syscalls, synci, guest exceptions, host faults).
#ifndef MIPSRUN_RUNTIME_EXECUTOR_H_
#define MIPSRUN_RUNTIME_EXECUTOR_H_

#include <setjmp.h>
#include <signal.h>
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

#include "runtime/block_cache.h"
#include "runtime/cpu_state.h"
#include "runtime/options.h"
#include "runtime/process.h"
#include "runtime/regions.h"
#include "runtime/tier2.h"

namespace mipsrun {

// Whether a host fault at `host_addr` is on guest memory (the guest's 4 GiB window and
// the guard after it).
bool IsGuestAddress(const CpuState& cpu, uintptr_t host_addr);

// A host fault at `host_addr` while the interpreter ran: when it is a guest access (the
// address is in the guest window and cpu.cur_mem_insn names the instruction), makes
// cpu's exit a memory fault at that instruction, as the kernel reports it, and returns
// true. The interpreter keeps CpuState exact at every guest access.
//
// Translated code does not: a fault there finds CpuState exact at cpu.pc, a point
// before the access (translator/region_ir.h). The interpreter, run again from there,
// reaches the access with the exact state and faults itself (kRecoveryRounds).
bool CaptureGuestFault(CpuState& cpu, uintptr_t host_addr);

// How many dispatcher rounds the interpreter alone runs after a fault in translated
// code, to reach the access again (or the instruction that raised an exception there:
// kRunAgain). The access is mostly at most one pass through a region's blocks after
// cpu.pc (translated code commits on back edges), and every round runs one block at
// least. A small loop that commits nothing from round to round may take longer: then
// translated code goes on from where the interpreter stopped, faults again, and the
// next recovery starts from there. Should it not fault again (another thread mapped
// the page meanwhile), translated code simply runs on.
inline constexpr uint64_t kRecoveryRounds = std::max(kMaxRegionBlocks, kMaxRevisedRegionBlocks) + 1;

// Translated code entered at one block that hands back kRunAgain this often is
// compiled again with its FPU slow paths inline (RegionSpec::inline_fp_slow_paths): a
// program that computes with NaNs, or in another rounding mode, then stays in it.
inline constexpr uint32_t kRecompileAfterRunsAgain = 16;

class Executor {
 public:
  // jit: how guest code runs (runtime/options.h); threshold: runs of a block before
  // it is hot (tiered mode); code_cache: the directory of the persistent code cache
  // (runtime/code_cache.h), empty for none.
  Executor(Process& proc, CpuState& cpu, JitMode jit = JitMode::kOff,
           uint64_t threshold = kDefaultJitThreshold, const std::string& code_cache = "");
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs the guest until it exits and returns its exit status. A guest that dies of a
  // signal takes mipsrun down with the same host signal (as the kernel would take the
  // guest), so this then does not return.
  int Run();
  // The same for another guest thread, on the host thread that runs it (with the run
  // lock held: runtime/guest_threads.h); returns when the guest calls exit_group.
  int RunThread(CpuState& cpu);

  // Installs the host SIGSEGV/SIGBUS handler that turns faults on guest memory into
  // guest faults. Call once per process before Run.
  static void InstallFaultHandler();

  const BlockCache& cache() const { return cache_; }
  // Execution statistics, one line each, for --stats.
  std::string Stats() const;
  uint64_t blocks_built() const { return blocks_built_; }
  // Whether mipsrun must leave by _exit: a compile thread may be running, or other
  // guest threads.
  bool must_exit_quickly() const { return (tier2_ && tier2_->has_worker()) || proc_.threads; }

 private:
  int Loop(CpuState& cpu);
  Block* BlockAt(uint32_t pc, bool fr);
  Block* NextBlock(Block* prev, uint32_t pc, bool fr);
  void TranslateNow(Block& block, bool fr);
  void MakeHot(Block& block, bool fr);
  // *from_cache: the region is one the code cache holds (FromCodeCache).
  std::unique_ptr<RegionSpec> FormRegionAt(const Block& head, bool fr, size_t max_blocks,
                                           bool* from_cache = nullptr);
  std::unique_ptr<RegionSpec> FromCodeCache(const Block& head, bool fr);
  void ReviseStartUpRegions(const CpuState& cpu);
  void PublishTranslations();
  void Adopt(Block* b, NativeCode code, NativeCode replaces = nullptr);
  void CompileAgain(const Block& b);
  void CompileNowAndAdopt(std::unique_ptr<RegionSpec> region);
  void RestartCount(Block& b);
  void Invalidate(uint32_t addr, uint32_t len);
  void RaiseGuestException(CpuState& cpu, int host_fault_signo);
  void HandleInterrupt(CpuState& cpu);
  static void EndRecovery();

  Process& proc_;
  CpuState& main_cpu_;
  BlockCache cache_;
  bool cache_changed_ = false;  // set by invalidation: drop held Block pointers
  uint64_t blocks_built_ = 0;
  JitMode jit_;
  std::unique_ptr<Tier2> tier2_;  // null with --jit=off
  // --stats: time stamp counter cycles spent running blocks in each tier.
  bool timing_ = false;
  uint64_t start_cycles_ = 0;
  uint64_t interp_cycles_ = 0;
  uint64_t native_cycles_ = 0;
  uint64_t native_entries_ = 0;
  uint64_t retired_runs_ = 0;   // interpreted runs of blocks whose count restarted
  uint64_t retired_insns_ = 0;

 public:
  void EnableTiming();
};

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_EXECUTOR_H_
