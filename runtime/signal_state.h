// The guest's signal state as a MIPS kernel keeps it: dispositions and pending signals
// for the process, and for the thread that runs (Process::signals holds its part, and
// runtime/guest_threads.cc swaps it on a switch) the blocked mask, the alternate stack,
// an interrupted syscall, and the signals sent to that thread alone. MIPS numbering throughout (1..127, asm/signal.h); sigsets are the kernel's
// 128-bit sigset_t, bit s-1 for signal s.
#ifndef MIPSRUN_RUNTIME_SIGNAL_STATE_H_
#define MIPSRUN_RUNTIME_SIGNAL_STATE_H_

#include <time.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mipsrun {

inline constexpr int kMipsSigrtmin = 32;
inline constexpr int kMipsNsig = 128;  // _NSIG: signals 1..127 (sigset has 128 bits)

// Guest signal numbers mipsrun itself refers to (asm/signal.h).
namespace mips_sig {
inline constexpr int kHup = 1, kInt = 2, kQuit = 3, kIll = 4, kTrap = 5, kAbrt = 6, kEmt = 7,
                     kFpe = 8, kKill = 9, kBus = 10, kSegv = 11, kSys = 12, kPipe = 13,
                     kAlrm = 14, kTerm = 15, kUsr1 = 16, kUsr2 = 17, kChld = 18, kPwr = 19,
                     kWinch = 20, kUrg = 21, kIo = 22, kStop = 23, kTstp = 24, kCont = 25,
                     kTtin = 26, kTtou = 27, kVtalrm = 28, kProf = 29, kXcpu = 30, kXfsz = 31;
}  // namespace mips_sig

// sa_flags bits of the MIPS struct sigaction.
inline constexpr uint32_t kMipsSaNocldstop = 0x00000001;
inline constexpr uint32_t kMipsSaSiginfo = 0x00000008;
inline constexpr uint32_t kMipsSaOnstack = 0x08000000;
inline constexpr uint32_t kMipsSaRestart = 0x10000000;
inline constexpr uint32_t kMipsSaNodefer = 0x40000000;
inline constexpr uint32_t kMipsSaResethand = 0x80000000;
inline constexpr uint32_t kMipsSigDfl = 0, kMipsSigIgn = 1;
// ss_flags of stack_t.
inline constexpr int32_t kMipsSsOnstack = 1, kMipsSsDisable = 2;
inline constexpr uint32_t kMipsMinsigstksz = 2048;

// si_code values (asm-generic/siginfo.h, with MIPS's own SI_TIMER/SI_MESGQ/SI_ASYNCIO).
inline constexpr int32_t kMipsSiUser = 0, kMipsSiKernel = 0x80, kMipsSiQueue = -1,
                         kMipsSiTimer = -3, kMipsSiMesgq = -4, kMipsSiAsyncio = -2,
                         kMipsSiSigio = -5, kMipsSiTkill = -6;

struct GuestSigset {
  uint64_t bits[2] = {};

  static GuestSigset Of(int sig) {
    GuestSigset s;
    s.Add(sig);
    return s;
  }
  static GuestSigset All() { return GuestSigset{{~uint64_t{0}, ~uint64_t{0}}}; }
  bool Has(int sig) const { return (bits[(sig - 1) / 64] >> ((sig - 1) % 64)) & 1; }
  void Add(int sig) { bits[(sig - 1) / 64] |= uint64_t{1} << ((sig - 1) % 64); }
  void Remove(int sig) { bits[(sig - 1) / 64] &= ~(uint64_t{1} << ((sig - 1) % 64)); }
  bool Empty() const { return (bits[0] | bits[1]) == 0; }
  // The kernel's sigset_t as four 32-bit words (word i holds signals 32i+1..32i+32).
  uint32_t Word(int i) const { return static_cast<uint32_t>(bits[i / 2] >> (32 * (i % 2))); }
  void SetWord(int i, uint32_t w) {
    uint64_t& b = bits[i / 2];
    int shift = 32 * (i % 2);
    b = (b & ~(uint64_t{0xffffffff} << shift)) | (uint64_t{w} << shift);
  }
  GuestSigset operator|(const GuestSigset& o) const { return {{bits[0] | o.bits[0], bits[1] | o.bits[1]}}; }
  GuestSigset operator&(const GuestSigset& o) const { return {{bits[0] & o.bits[0], bits[1] & o.bits[1]}}; }
  GuestSigset operator~() const { return {{~bits[0], ~bits[1]}}; }
  bool operator==(const GuestSigset& o) const = default;
};

// A MIPS siginfo_t (128 bytes): si_signo, si_code, si_errno (MIPS swaps the last two
// against other architectures), then the union as 32-bit words. Which words mean what
// depends on the signal: si_addr is word 0 for faults; si_pid, si_uid for kill and
// sigqueue (si_value in word 2), si_status in word 2 for SIGCHLD; si_tid, si_overrun,
// si_value for POSIX timers.
struct GuestSiginfo {
  int32_t signo = 0;
  int32_t code = 0;
  int32_t err = 0;
  uint32_t fields[29] = {};
  bool traced = false;  // --strace described it already (a synchronous exception)
  // The host tid of the thread it is for (tkill, tgkill, a fault), or 0 for the
  // process: then any thread that does not block it takes it.
  int32_t target = 0;
};
inline constexpr uint32_t kMipsSiginfoSize = 128;

struct GuestSigaction {
  uint32_t flags = 0;
  uint32_t handler = kMipsSigDfl;  // SIG_DFL (0), SIG_IGN (1) or a guest address
  GuestSigset mask;
};

struct GuestAltStack {
  uint32_t sp = 0;
  uint32_t size = 0;
  int32_t flags = kMipsSsDisable;
  // Whether a stack pointer lies on it (the kernel's on_sig_stack(): above the base,
  // at most at the top).
  bool Contains(uint32_t addr) const { return size != 0 && addr > sp && addr - sp <= size; }
};

// What the guest default action of a signal is (signal(7)).
enum class DefaultAction { kTerminate, kCore, kIgnore, kStop, kContinue };
DefaultAction DefaultActionOf(int sig);
// The name of a guest signal ("SIGSEGV", "SIGRT3"), for --strace.
std::string GuestSignalName(int sig);

// What the kernel keeps per thread, saved while another thread runs.
struct ThreadSignals {
  int32_t tid = 0;
  GuestSigset blocked;
  GuestAltStack altstack;
  int interrupted = 0;  // SignalState::Interrupted
  uint32_t interrupted_v0 = 0, interrupted_a3 = 0;
  bool has_restart_deadline = false;
  struct timespec restart_deadline {};
  bool has_saved_mask = false;
  GuestSigset saved_mask;
};

class SignalState {
 public:
  // The host tid of the thread whose part this holds (0 before threads: the one thread).
  int32_t current_tid = 0;
  ThreadSignals SaveThread() const;
  void LoadThread(const ThreadSignals& t);

  GuestSigaction actions[kMipsNsig];  // index = signal number; [0] unused
  GuestSigset blocked;
  GuestAltStack altstack;
  uint32_t trampoline = 0;  // guest address of the sigreturn code (0: not mapped yet)

  // A syscall that a host signal interrupted (host EINTR): a handler with SA_RESTART,
  // or no handler at all, makes it start again, as the kernel's ERESTARTSYS does; the
  // sleeps and waits that the kernel never restarts across a handler say kNoHandler.
  enum class Interrupted { kNone, kRestartSys, kRestartNoHandler };
  Interrupted interrupted = Interrupted::kNone;
  uint32_t interrupted_v0 = 0;  // the syscall number and a3 to restart it with
  uint32_t interrupted_a3 = 0;

  // A sleep (nanosleep, clock_nanosleep, poll) that a signal interrupted and that no
  // handler ends restarts towards the same end, not for its whole length again (the
  // kernel's restart_block): the absolute end on the sleep's clock, set when it is
  // interrupted, taken by its restart, dropped when a handler runs instead.
  bool has_restart_deadline = false;
  struct timespec restart_deadline {};

  // rt_sigsuspend's caller's mask while it waits with another: the frame of the
  // handler that ends the wait records this one, and it comes back afterwards.
  bool has_saved_mask = false;
  GuestSigset saved_mask;

  // A standard signal is pending at most once; real-time signals queue.
  void Enqueue(const GuestSiginfo& info);
  // The signals pending for the running thread: its own and the process's.
  GuestSigset pending() const;
  // Whether a pending signal is not blocked.
  bool HasDeliverable() const { return !queue_.empty() && !(pending() & ~blocked).Empty(); }
  // Whether a pending signal is for another thread, or blocked by this one while
  // another thread could take it: after that, the other threads must look.
  bool HasPendingForOthers() const;
  // Takes the next deliverable signal: synchronous faults first, then the lowest
  // number, as the kernel's next_signal() picks. False if none.
  bool TakeDeliverable(GuestSiginfo* out) { return Take(~blocked, out); }
  // Takes the next pending signal of `set` (rt_sigtimedwait, signalfd).
  bool Take(const GuestSigset& set, GuestSiginfo* out);
  // The kernel's force_sig(): a synchronous signal that is blocked or ignored is
  // unblocked and reset to SIG_DFL (it then kills), and it is made pending.
  void Force(const GuestSiginfo& info);
  // Forgets pending instances of `sig` (its disposition became SIG_IGN).
  void Discard(int sig);
  // timer_getoverrun: the overruns that the timer's last taken signal carried (0 before
  // one was taken).
  uint32_t TimerOverrun(uint32_t timer) const {
    auto it = timer_overruns_.find(timer);
    return it == timer_overruns_.end() ? 0 : it->second;
  }
  void ForgetTimer(uint32_t timer) { timer_overruns_.erase(timer); }
  // A forked child starts with no pending signals and none of its parent's timers.
  void ResetForChild() {
    queue_.clear();
    timer_overruns_.clear();
    interrupted = Interrupted::kNone;
    has_restart_deadline = false;
  }

 private:
  // Before the guest has threads (current_tid 0) every signal is the one thread's.
  bool Visible(const GuestSiginfo& i) const {
    return i.target == 0 || current_tid == 0 || i.target == current_tid;
  }
  std::vector<GuestSiginfo> queue_;  // in arrival order
  std::map<uint32_t, uint32_t> timer_overruns_;  // POSIX timer id -> its last overrun
};

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_SIGNAL_STATE_H_
