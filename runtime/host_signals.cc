#include "runtime/host_signals.h"

#include <errno.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "syscalls/signal_numbers.h"

// The safe syscall: arguments moved to the kernel's registers, then a look at the
// "signals arrived" flag, then the syscall instruction. A host signal handled between
// the look and the instruction moves the interrupted pc to the EINTR exit (see
// OnHostSignal); one handled during the syscall makes it return EINTR by itself (the
// handler is installed without SA_RESTART); one after it leaves the result alone.
extern "C" long mipsrun_safe_syscall(const uint32_t* arrived, long nr, long a1, long a2,
                                     long a3, long a4, long a5, long a6);
extern "C" char mipsrun_safe_syscall_start[], mipsrun_safe_syscall_end[],
    mipsrun_safe_syscall_eintr[];
asm(R"(
  .text
  .globl mipsrun_safe_syscall
  .type mipsrun_safe_syscall, @function
mipsrun_safe_syscall:
  .cfi_startproc
  mov %rdi, %r11
  mov %rsi, %rax
  mov %rdx, %rdi
  mov %rcx, %rsi
  mov %r8, %rdx
  mov %r9, %r10
  mov 8(%rsp), %r8
  mov 16(%rsp), %r9
  .globl mipsrun_safe_syscall_start
mipsrun_safe_syscall_start:
  cmpl $0, (%r11)
  jne mipsrun_safe_syscall_eintr
  syscall
  .globl mipsrun_safe_syscall_end
mipsrun_safe_syscall_end:
  ret
  .globl mipsrun_safe_syscall_eintr
mipsrun_safe_syscall_eintr:
  mov $-4, %rax
  ret
  .cfi_endproc
  .size mipsrun_safe_syscall, .-mipsrun_safe_syscall
)");

namespace mipsrun {
namespace {

static_assert(EINTR == 4);

// Host signals caught and not yet drained. Handlers on several host threads (one per
// guest thread) may fill it at once: each reserves a slot, fills it and marks it full;
// the drain takes full slots in order.
struct Caught {
  std::atomic<uint32_t> full{0};
  int signo;
  siginfo_t info;
  pid_t tid;  // the host thread that caught it
};
constexpr uint32_t kRingSize = 512;
constinit Caught g_ring[kRingSize]{};  // zero in .bss: no start-up code touches it
std::atomic<uint32_t> g_head{0};  // next slot a handler reserves
std::atomic<uint32_t> g_tail{0};  // next slot DrainHostSignals reads
uint32_t g_arrived = 0;           // nonzero: the ring may hold something
// Nonzero: a host signal was handled on this thread since it last looked (SafeSyscall
// then does not start its syscall). Initial-exec TLS: safe in a signal handler.
thread_local uint32_t t_arrived __attribute__((tls_model("initial-exec"))) = 0;
std::atomic<uint32_t*> g_running_interrupt{nullptr};
void (*g_release_hook)() = nullptr;
void (*g_acquire_hook)() = nullptr;

// The host signal that mipsrun sends its own threads to interrupt a blocking syscall
// (KickThread); no guest signal maps to it.
int KickSignal() { return SIGRTMAX; }

// Between the safe syscall's look at its flag and its syscall instruction: do not start
// the syscall at all.
void SkipSafeSyscall(void* ucontext) {
  auto* uc = static_cast<ucontext_t*>(ucontext);
  greg_t& rip = uc->uc_mcontext.gregs[REG_RIP];
  if (rip >= reinterpret_cast<greg_t>(mipsrun_safe_syscall_start) &&
      rip < reinterpret_cast<greg_t>(mipsrun_safe_syscall_end)) {
    rip = reinterpret_cast<greg_t>(mipsrun_safe_syscall_eintr);
  }
}

void OnKick(int, siginfo_t*, void* ucontext) {
  t_arrived = 1;
  SkipSafeSyscall(ucontext);
}

void OnHostSignal(int signo, siginfo_t* info, void* ucontext) {
  NoteHostSignal(signo, info);
  SkipSafeSyscall(ucontext);
}

// Host signals the guest leaves at SIG_DFL that the host may keep: their default is to
// be ignored (or to continue), so catching them would only interrupt syscalls.
bool HostDefaultIsHarmless(int sig) {
  DefaultAction a = DefaultActionOf(sig);
  return a == DefaultAction::kIgnore || a == DefaultAction::kContinue;
}

void CatchHost(int host_signo) {
  struct sigaction sa = {};
  sa.sa_sigaction = OnHostSignal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;  // no SA_RESTART: blocking syscalls see EINTR
  sigfillset(&sa.sa_mask);
  sigaction(host_signo, &sa, nullptr);
}

void SetHost(int host_signo, void (*handler)(int)) {
  struct sigaction sa = {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sigaction(host_signo, &sa, nullptr);
}

// mipsrun's fault handler owns these; it passes sent ones on (NoteHostSignal).
bool OwnedByFaultHandler(int host_signo) { return host_signo == SIGSEGV || host_signo == SIGBUS; }

}  // namespace

void NoteHostSignal(int signo, const siginfo_t* info) {
  uint32_t head = g_head.load(std::memory_order_relaxed);
  bool reserved = false;
  while (head - g_tail.load(std::memory_order_acquire) < kRingSize) {
    if (g_head.compare_exchange_weak(head, head + 1, std::memory_order_acq_rel)) {
      reserved = true;
      break;
    }
  }
  if (reserved) {
    Caught& c = g_ring[head % kRingSize];
    c.signo = signo;
    c.info = *info;
    c.tid = static_cast<pid_t>(syscall(SYS_gettid));
    c.full.store(1, std::memory_order_release);
  }
  t_arrived = 1;
  __atomic_store_n(&g_arrived, 1, __ATOMIC_RELEASE);
  PokeRunningGuest();
}

void SetRunningInterrupt(uint32_t* interrupt) {
  g_running_interrupt.store(interrupt, std::memory_order_seq_cst);
}

void PokeRunningGuest() {
  if (uint32_t* p = g_running_interrupt.load(std::memory_order_seq_cst)) {
    __atomic_store_n(p, 1, __ATOMIC_RELEASE);
  }
}

void SetBlockingHooks(void (*release)(), void (*acquire)()) {
  g_release_hook = release;
  g_acquire_hook = acquire;
  struct sigaction sa = {};
  sa.sa_sigaction = OnKick;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigfillset(&sa.sa_mask);
  sigaction(KickSignal(), &sa, nullptr);
}

void KickThread(pid_t tid) { tgkill(getpid(), tid, KickSignal()); }

void ClearArrivedOnThisThread() { t_arrived = 0; }

void InstallHostSignals(SignalState& state, uint32_t* interrupt) {
  SetRunningInterrupt(interrupt);
  sigset_t host_blocked;
  sigprocmask(SIG_SETMASK, nullptr, &host_blocked);
  for (int sig = 1; sig < kMipsNsig; ++sig) {
    int host = MipsToHostSignal(sig);
    if (host <= 0 || host == SIGKILL || host == SIGSTOP) continue;
    if (sigismember(&host_blocked, host)) state.blocked.Add(sig);
    struct sigaction old;
    if (sigaction(host, nullptr, &old) == 0 && !(old.sa_flags & SA_SIGINFO) &&
        old.sa_handler == SIG_IGN) {
      state.actions[sig].handler = kMipsSigIgn;
      continue;
    }
    SetHostDisposition(sig, state.actions[sig], state.blocked.Has(sig));
  }
  // The guest's mask is the guest's business: the host delivers everything to mipsrun.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

void SetHostDisposition(int sig, const GuestSigaction& action, bool blocked) {
  int host = MipsToHostSignal(sig);
  if (host <= 0 || host == SIGKILL || host == SIGSTOP || OwnedByFaultHandler(host)) return;
  if (action.handler == kMipsSigIgn) {
    SetHost(host, SIG_IGN);
  } else if (action.handler == kMipsSigDfl && HostDefaultIsHarmless(sig) && !blocked) {
    SetHost(host, SIG_DFL);
  } else {
    CatchHost(host);
  }
}

void UpdateHostForMask(const SignalState& state, const GuestSigset& before) {
  for (int sig : {mips_sig::kChld, mips_sig::kWinch, mips_sig::kUrg, mips_sig::kCont}) {
    if (before.Has(sig) != state.blocked.Has(sig) && state.actions[sig].handler == kMipsSigDfl) {
      SetHostDisposition(sig, state.actions[sig], state.blocked.Has(sig));
    }
  }
}

bool HostSignalsArrived() { return __atomic_load_n(&g_arrived, __ATOMIC_ACQUIRE) != 0; }

void DrainHostSignals(SignalState& state) {
  // Cleared first: a signal caught from here on sets it again.
  __atomic_store_n(&g_arrived, 0, __ATOMIC_RELEASE);
  t_arrived = 0;
  uint32_t tail = g_tail.load(std::memory_order_relaxed);
  while (tail != g_head.load(std::memory_order_acquire)) {
    Caught& c = g_ring[tail % kRingSize];
    // A handler that reserved the slot and has not filled it yet sets g_arrived again.
    if (!c.full.load(std::memory_order_acquire)) break;
    GuestSiginfo info = GuestSiginfoFromHost(c.info);
    // tkill and tgkill are for the thread that caught them.
    if (c.info.si_code == SI_TKILL) info.target = c.tid;
    c.full.store(0, std::memory_order_relaxed);
    ++tail;
    g_tail.store(tail, std::memory_order_release);
    if (info.signo <= 0) continue;
    // The kernel does not even queue a signal that is ignored and not blocked.
    if (state.actions[info.signo].handler == kMipsSigIgn && !state.blocked.Has(info.signo)) {
      continue;
    }
    state.Enqueue(info);
  }
}

void ForgetHostSignals() {
  __atomic_store_n(&g_arrived, 0, __ATOMIC_RELEASE);
  g_tail.store(g_head.load(std::memory_order_acquire), std::memory_order_release);
}

GuestSiginfo GuestSiginfoFromHost(const siginfo_t& h) {
  GuestSiginfo g;
  g.signo = HostToMipsSignal(h.si_signo);
  g.err = 0;
  switch (h.si_code) {
    case SI_TIMER: g.code = kMipsSiTimer; break;
    case SI_MESGQ: g.code = kMipsSiMesgq; break;
    case SI_ASYNCIO: g.code = kMipsSiAsyncio; break;
    default: g.code = h.si_code; break;
  }
  if (h.si_code == SI_USER || h.si_code == SI_TKILL || h.si_code == SI_QUEUE ||
      h.si_code == SI_MESGQ) {
    g.fields[0] = static_cast<uint32_t>(h.si_pid);
    g.fields[1] = h.si_uid;
    g.fields[2] = static_cast<uint32_t>(h.si_value.sival_int);
  } else if (h.si_code == SI_TIMER) {
    g.fields[0] = static_cast<uint32_t>(h.si_timerid);
    g.fields[1] = static_cast<uint32_t>(h.si_overrun);
    g.fields[2] = static_cast<uint32_t>(h.si_value.sival_int);
  } else if (h.si_signo == SIGCHLD && h.si_code > 0) {
    g.fields[0] = static_cast<uint32_t>(h.si_pid);
    g.fields[1] = h.si_uid;
    // An exit code, or the number of the signal that stopped or killed the child.
    int status = h.si_status;
    if (h.si_code != CLD_EXITED) {
      int s = HostToMipsSignal(status);
      status = s > 0 ? s : status;
    }
    g.fields[2] = static_cast<uint32_t>(status);
    g.fields[3] = static_cast<uint32_t>(h.si_utime);
    g.fields[4] = static_cast<uint32_t>(h.si_stime);
  } else if ((h.si_signo == SIGIO || h.si_signo == SIGPOLL) && h.si_code > 0) {
    g.fields[0] = static_cast<uint32_t>(h.si_band);
    g.fields[1] = static_cast<uint32_t>(h.si_fd);
  }
  return g;
}

long SafeSyscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
  if (!g_release_hook) return mipsrun_safe_syscall(&t_arrived, nr, a1, a2, a3, a4, a5, a6);
  // Other guest threads run while this one blocks.
  g_release_hook();
  long r = mipsrun_safe_syscall(&t_arrived, nr, a1, a2, a3, a4, a5, a6);
  g_acquire_hook();
  return r;
}

void StopSelf(int host_signo) {
  struct sigaction old;
  sigaction(host_signo, nullptr, &old);
  SetHost(host_signo, SIG_DFL);
  raise(host_signo);  // stops here until SIGCONT
  sigaction(host_signo, &old, nullptr);
}

}  // namespace mipsrun
