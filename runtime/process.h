// Guest-process-wide state shared by the runtime and the syscall layer.
#ifndef MIPSRUN_RUNTIME_PROCESS_H_
#define MIPSRUN_RUNTIME_PROCESS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "runtime/guest_memory.h"
#include "runtime/signal_state.h"

namespace mipsrun {

// The steps of a fork, for the runtime's own threads and state (Process::on_fork).
enum class ForkStage { kBefore, kParent, kChild };

class GuestThreads;
struct CpuState;

struct Process {
  std::unique_ptr<GuestMemory> mem;
  std::string exe_path;       // absolute host path of the guest program
  bool strace = false;        // --strace: log each guest syscall to stderr
  std::string sysroot;        // -L: absolute guest paths are looked up here first
  // Drops translations/decoded blocks overlapping [addr, addr+len): set by the runtime,
  // called by the syscall layer on munmap, mprotect, mremap and cacheflush.
  std::function<void(uint32_t addr, uint32_t len)> invalidate_code;
  // Runs when the guest is about to end, by exit or by a signal (--stats).
  std::function<void()> on_exit;
  // Runs before a fork, then in the parent or in the child: the compile thread must be
  // between jobs when the address space is copied, and the child has none.
  std::function<void(ForkStage)> on_fork;
  // execve of a MIPS program runs this mipsrun again (self_exe) with these options
  // before the program's path (-L, --jit, ...), so that children run as the parent.
  std::string self_exe;
  std::vector<std::string> exec_options;
  // A vfork child's end of the pipe its parent waits on (-1: none); closed on exec.
  int vfork_fd = -1;
  // Attached System V shared memory: guest address -> segment length (shmdt).
  std::map<uint32_t, uint32_t> shm_attached;

  // The guest's threads and the run lock (runtime/guest_threads.h): null until the
  // guest creates its first thread, then alive until the process ends.
  GuestThreads* threads = nullptr;
  // Runs guest code on the calling (new) host thread until the guest calls exit_group,
  // and returns its status (set by the runtime).
  std::function<int(CpuState&)> run_thread;

  // Dispositions and pending signals; the mask and the rest of what is per thread are
  // the running thread's (runtime/signal_state.h).
  SignalState signals;
  uint32_t clear_child_tid = 0;  // set_tid_address, of the running thread
  // The guest's signalfds: the host eventfd standing in for each, and its mask
  // (syscalls/signalfd.cc).
  std::map<int, GuestSigset> signalfds;
  // The eventfds of a big-endian guest, whose counters are swapped (syscalls/eventfd.cc).
  std::set<int> eventfds;

  // Takes a signal's host default action on mipsrun itself: for a terminating signal
  // mipsrun dies of it (after on_exit, without a core file), so the parent sees the
  // guest's wait status; others (stop, ignore) return.
  void SignalSelf(int host_signo);
  // The same, and exits with 128 + signo should the signal not terminate.
  [[noreturn]] void DieOfSignal(int host_signo);
};

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_PROCESS_H_
