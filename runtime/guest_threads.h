// Guest threads (clone with CLONE_THREAD): each guest thread runs on a host thread of
// its own, and one at a time holds the run lock, which it needs to run guest code or to
// touch the process's state (the block cache, the translator's queue, Process). A
// thread lets go of it while it blocks in a host syscall (SafeSyscall), when it exits,
// and when a thread has waited for it longer than a time slice (the runner then yields
// at its next block boundary, so a guest spinning on a flag cannot starve the thread
// that would set it). Like the kernel on one CPU, the switch clears LLbit and swaps the
// per-thread part of the signal state (runtime/signal_state.h) in and out of Process.
//
// Until the guest creates its first thread there is no run lock at all.
#ifndef MIPSRUN_RUNTIME_GUEST_THREADS_H_
#define MIPSRUN_RUNTIME_GUEST_THREADS_H_

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "runtime/cpu_state.h"
#include "runtime/process.h"

namespace mipsrun {

struct GuestThread {
  std::unique_ptr<CpuState> owned_cpu;  // null for the first thread (main's CpuState)
  CpuState* cpu = nullptr;
  pid_t tid = 0;
  ThreadSignals signals;        // while another thread runs
  uint32_t clear_child_tid = 0;  // likewise
  bool blocked_in_syscall = false;
};

class GuestThreads {
 public:
  // The registry, with the calling thread (running `cpu`) as its first thread, holding
  // the run lock.
  GuestThreads(Process& proc, CpuState& cpu);

  // Starts a guest thread running `cpu` (a copy of the caller's, with the child's
  // registers) and returns its tid, or a negative host errno. `settid`: a guest
  // address to store the tid at in the child (CLONE_CHILD_SETTID), or 0.
  long Start(std::unique_ptr<CpuState> cpu, uint32_t clear_child_tid, uint32_t child_settid);

  // The calling guest thread ends (exit, not exit_group): its clear_child_tid word is
  // zeroed and woken, and its host thread ends. The last one ends the process.
  [[noreturn]] void Exit(int status);

  // The run lock, for the calling thread.
  void Release();
  void Acquire();
  // At a block boundary: lets a thread that waited longer than a slice run first.
  // Returns whether another thread ran.
  bool YieldIfAsked();
  // sched_yield: lets every waiting thread run first.
  void Yield();

  // Signals became pending that the running thread does not take: the other threads
  // blocked in syscalls must look (their SafeSyscall returns EINTR).
  void KickOthers();

  // In a forked child: the caller is the only thread, and holds the run lock.
  void AfterForkInChild();

  size_t count();

 private:
  GuestThread* Self() const;
  void SwitchIn(GuestThread* t);
  void SwitchOut(GuestThread* t);
  void AcquireLocked(std::unique_lock<std::mutex>& lock, GuestThread* t);

  Process& proc_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<GuestThread>> threads_;
  std::vector<std::unique_ptr<CpuState>> retired_cpus_;  // of exited threads, for reuse
  GuestThread* running_ = nullptr;
  GuestThread* leader_ = nullptr;  // the first thread (compared only: it may be gone)
  uint64_t next_ticket_ = 0;   // FIFO order of the threads that want the run lock
  uint64_t serving_ = 0;
  std::atomic<bool> preempt_{false};
  int leader_status_ = 0;      // the first thread's exit status, once it exited
  bool leader_exited_ = false;
};

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_GUEST_THREADS_H_
