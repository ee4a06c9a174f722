// The dispatcher: finds or builds the block at the guest pc, runs it, and handles
// whatever made it leave (syscalls, synci, guest exceptions, host faults).
#ifndef MIPSRUN_RUNTIME_EXECUTOR_H_
#define MIPSRUN_RUNTIME_EXECUTOR_H_

#include <setjmp.h>
#include <signal.h>
#include <cstdint>
#include <memory>
#include <string>

#include "runtime/block_cache.h"
#include "translator/translator.h"
#include "runtime/cpu_state.h"
#include "runtime/process.h"

namespace mipsrun {

class Executor {
 public:
  // eager: translate every block with LLVM before it first runs (translator/).
  Executor(Process& proc, CpuState& cpu, bool jit_eager = false);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs the guest until it exits and returns its exit status. A guest that dies of a
  // signal takes mipsrun down with the same host signal (as the kernel would take the
  // guest), so this then does not return.
  int Run();

  // Installs the host SIGSEGV/SIGBUS handler that turns faults on guest memory into
  // guest faults. Call once per process before Run.
  static void InstallFaultHandler();

  const BlockCache& cache() const { return cache_; }
  // Execution statistics, one line each, for --stats.
  std::string Stats() const;
  uint64_t blocks_built() const { return blocks_built_; }

 private:
  int Loop();
  Block* BlockAt(uint32_t pc);
  Block* NextBlock(Block* prev, uint32_t pc);
  void Translate(Block& block);
  [[noreturn]] void DieOfGuestSignal(int host_fault_signo);

  Process& proc_;
  CpuState& cpu_;
  BlockCache cache_;
  bool cache_changed_ = false;  // set by invalidation: drop held Block pointers
  uint64_t blocks_built_ = 0;
  bool jit_eager_;
  std::unique_ptr<Translator> translator_;  // created on first use
  bool translator_failed_ = false;

  // Written by the host fault handler (runtime/executor.cc), which is not a member.
 public:
  sigjmp_buf fault_jmp_;
  int fault_signo_ = 0;
  CpuState& cpu() { return cpu_; }
};

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_EXECUTOR_H_
