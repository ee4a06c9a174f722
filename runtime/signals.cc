#include "runtime/signals.h"

#include <unistd.h>

#include "absl/strings/str_format.h"
#include "runtime/guest_threads.h"
#include "runtime/signal_frame.h"
#include "syscalls/signal_numbers.h"
#include "syscalls/strace.h"

namespace mipsrun {
namespace {

std::string Describe(const GuestSiginfo& info) {
  std::string code;
  switch (info.code) {
    case kMipsSiUser: code = "SI_USER"; break;
    case kMipsSiKernel: code = "SI_KERNEL"; break;
    case kMipsSiQueue: code = "SI_QUEUE"; break;
    case kMipsSiTimer: code = "SI_TIMER"; break;
    case kMipsSiTkill: code = "SI_TKILL"; break;
    default: code = absl::StrFormat("%d", info.code); break;
  }
  std::string out = absl::StrFormat("si_signo=%s, si_code=%s", GuestSignalName(info.signo), code);
  if (info.code == kMipsSiUser || info.code == kMipsSiTkill || info.code == kMipsSiQueue) {
    absl::StrAppendFormat(&out, ", si_pid=%d, si_uid=%u", static_cast<int32_t>(info.fields[0]),
                          info.fields[1]);
  } else if (info.code > 0 && info.code != kMipsSiKernel) {
    absl::StrAppendFormat(&out, ", si_addr=0x%x", info.fields[0]);
  }
  return out;
}

// After the signal that interrupted a syscall (or none) was dealt with: the kernel's
// ERESTARTSYS / ERESTARTNOHAND handling. `handler`: a handler runs now; `sa_restart`:
// its flags ask for restarts.
void ResolveInterrupted(CpuState& cpu, SignalState& st, bool handler, bool sa_restart) {
  using I = SignalState::Interrupted;
  I what = st.interrupted;
  st.interrupted = I::kNone;
  bool restart = (what == I::kRestartSys && (!handler || sa_restart)) ||
                 (what == I::kRestartNoHandler && !handler);
  if (!restart) {  // the syscall's EINTR stands
    st.has_restart_deadline = false;
    return;
  }
  cpu.gpr[2] = st.interrupted_v0;
  cpu.gpr[7] = st.interrupted_a3;
  cpu.pc -= 4;
}

[[noreturn]] void Die(Process& proc, int sig) {
  if (proc.strace) StraceEvent(proc, absl::StrFormat("+++ killed by %s +++", GuestSignalName(sig)));
  int host = MipsToHostSignal(sig);
  if (host > 0) proc.DieOfSignal(host);
  // No host signal means the same (SIGEMT): the shell's convention instead.
  if (proc.on_exit) proc.on_exit();
  _exit(128 + sig);
}

void TakeDefaultAction(Process& proc, int sig) {
  switch (DefaultActionOf(sig)) {
    case DefaultAction::kIgnore:
    case DefaultAction::kContinue:
      return;
    case DefaultAction::kStop:
      if (int host = MipsToHostSignal(sig); host > 0) StopSelf(host);
      return;
    case DefaultAction::kTerminate:
    case DefaultAction::kCore:
      Die(proc, sig);
  }
}

}  // namespace

bool DeliverSignals(CpuState& cpu, Process& proc) {
  SignalState& st = proc.signals;
  if (HostSignalsArrived()) {
    DrainHostSignals(st);
    // Signals for other threads, or that this one blocks: the others look too.
    if (proc.threads && st.HasPendingForOthers()) proc.threads->KickOthers();
  }
  bool handler_ran = false;
  GuestSiginfo info;
  while (st.TakeDeliverable(&info)) {
    int sig = info.signo;
    GuestSigaction act = st.actions[sig];
    if (proc.strace && !info.traced) StraceEvent(proc, absl::StrFormat("--- %s {%s} ---", GuestSignalName(sig), Describe(info)));
    if (act.handler == kMipsSigIgn) continue;
    if (act.handler == kMipsSigDfl) {
      TakeDefaultAction(proc, sig);
      continue;
    }
    if (!handler_ran) ResolveInterrupted(cpu, st, true, act.flags & kMipsSaRestart);
    GuestSigset saved = st.has_saved_mask ? st.saved_mask : st.blocked;
    st.has_saved_mask = false;
    if (!PushSignalFrame(cpu, *proc.mem, st, info, act, saved)) {
      // force_sigsegv(): a SIGSEGV handler that cannot get a frame is reset first.
      if (sig == mips_sig::kSegv) st.actions[sig].handler = kMipsSigDfl;
      GuestSiginfo segv;
      segv.signo = mips_sig::kSegv;
      segv.code = kMipsSiKernel;
      st.Force(segv);
      continue;
    }
    handler_ran = true;
    if (act.flags & kMipsSaResethand) {
      st.actions[sig].handler = kMipsSigDfl;
      st.actions[sig].flags &= ~kMipsSaSiginfo;
      SetHostDisposition(sig, st.actions[sig], st.blocked.Has(sig));
    }
    GuestSigset before = st.blocked;
    st.blocked = st.blocked | act.mask;
    if (!(act.flags & kMipsSaNodefer)) st.blocked.Add(sig);
    st.blocked.Remove(mips_sig::kKill);
    st.blocked.Remove(mips_sig::kStop);
    UpdateHostForMask(st, before);
  }
  if (!handler_ran) {
    uint32_t pc = cpu.pc;
    ResolveInterrupted(cpu, st, false, false);
    if (st.has_saved_mask) {
      GuestSigset before = st.blocked;
      st.blocked = st.saved_mask;
      st.has_saved_mask = false;
      UpdateHostForMask(st, before);
    }
    return cpu.pc != pc;
  }
  return true;
}

}  // namespace mipsrun
