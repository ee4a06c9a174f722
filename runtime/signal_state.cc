#include "runtime/signal_state.h"

#include <algorithm>

namespace mipsrun {

DefaultAction DefaultActionOf(int sig) {
  using namespace mips_sig;
  switch (sig) {
    case kChld: case kWinch: case kUrg:
      return DefaultAction::kIgnore;
    case kCont:
      return DefaultAction::kContinue;
    case kStop: case kTstp: case kTtin: case kTtou:
      return DefaultAction::kStop;
    case kQuit: case kIll: case kTrap: case kAbrt: case kEmt: case kFpe: case kBus:
    case kSegv: case kSys: case kXcpu: case kXfsz:
      return DefaultAction::kCore;
    default:
      return DefaultAction::kTerminate;
  }
}

std::string GuestSignalName(int sig) {
  static const char* const kNames[32] = {
      "0",       "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGEMT",
      "SIGFPE",  "SIGKILL", "SIGBUS",    "SIGSEGV", "SIGSYS",   "SIGPIPE", "SIGALRM", "SIGTERM",
      "SIGUSR1", "SIGUSR2", "SIGCHLD",   "SIGPWR",  "SIGWINCH", "SIGURG",  "SIGIO",   "SIGSTOP",
      "SIGTSTP", "SIGCONT", "SIGTTIN",   "SIGTTOU", "SIGVTALRM", "SIGPROF", "SIGXCPU", "SIGXFSZ"};
  if (sig >= 0 && sig < kMipsSigrtmin) return kNames[sig];
  return "SIGRT" + std::to_string(sig - kMipsSigrtmin);
}

ThreadSignals SignalState::SaveThread() const {
  ThreadSignals t;
  t.tid = current_tid;
  t.blocked = blocked;
  t.altstack = altstack;
  t.interrupted = static_cast<int>(interrupted);
  t.interrupted_v0 = interrupted_v0;
  t.interrupted_a3 = interrupted_a3;
  t.has_restart_deadline = has_restart_deadline;
  t.restart_deadline = restart_deadline;
  t.has_saved_mask = has_saved_mask;
  t.saved_mask = saved_mask;
  return t;
}

void SignalState::LoadThread(const ThreadSignals& t) {
  current_tid = t.tid;
  blocked = t.blocked;
  altstack = t.altstack;
  interrupted = static_cast<Interrupted>(t.interrupted);
  interrupted_v0 = t.interrupted_v0;
  interrupted_a3 = t.interrupted_a3;
  has_restart_deadline = t.has_restart_deadline;
  restart_deadline = t.restart_deadline;
  has_saved_mask = t.has_saved_mask;
  saved_mask = t.saved_mask;
}

GuestSigset SignalState::pending() const {
  GuestSigset set;
  for (const GuestSiginfo& i : queue_) {
    if (Visible(i)) set.Add(i.signo);
  }
  return set;
}

bool SignalState::HasPendingForOthers() const {
  return std::any_of(queue_.begin(), queue_.end(), [this](const GuestSiginfo& i) {
    return !Visible(i) || blocked.Has(i.signo);
  });
}

void SignalState::Enqueue(const GuestSiginfo& info) {
  int sig = info.signo;
  if (sig <= 0 || sig >= kMipsNsig) return;
  auto same = [&info](const GuestSiginfo& q) { return q.signo == info.signo && q.target == info.target; };
  if (sig < kMipsSigrtmin && std::any_of(queue_.begin(), queue_.end(), same)) return;
  if (info.code == kMipsSiTimer) {
    // A POSIX timer's signal is pending at most once; more expiries count as overruns.
    for (GuestSiginfo& q : queue_) {
      if (same(q) && q.code == kMipsSiTimer && q.fields[0] == info.fields[0]) {
        q.fields[1] += 1 + info.fields[1];
        return;
      }
    }
  }
  queue_.push_back(info);
}

bool SignalState::Take(const GuestSigset& set, GuestSiginfo* out) {
  if (queue_.empty()) return false;
  GuestSigset ready = pending() & set;
  if (ready.Empty()) return false;
  int pick = 0;
  // The kernel's synchronous signals go first (SYNCHRONOUS_MASK in kernel/signal.c).
  for (int s : {mips_sig::kSegv, mips_sig::kBus, mips_sig::kIll, mips_sig::kTrap,
                mips_sig::kFpe, mips_sig::kSys}) {
    if (ready.Has(s)) {
      pick = s;
      break;
    }
  }
  for (int s = 1; !pick && s < kMipsNsig; ++s) {
    if (ready.Has(s)) pick = s;
  }
  // The thread's own signals before the process's, as the kernel's dequeue_signal().
  auto it = std::find_if(queue_.begin(), queue_.end(), [this, pick](const GuestSiginfo& i) {
    return i.signo == pick && i.target != 0 && (current_tid == 0 || i.target == current_tid);
  });
  if (it == queue_.end()) {
    it = std::find_if(queue_.begin(), queue_.end(),
                      [pick](const GuestSiginfo& i) { return i.signo == pick && i.target == 0; });
  }
  *out = *it;
  queue_.erase(it);
  if (out->code == kMipsSiTimer) timer_overruns_[out->fields[0]] = out->fields[1];
  return true;
}

void SignalState::Force(const GuestSiginfo& info) {
  int sig = info.signo;
  GuestSigaction& a = actions[sig];
  if (blocked.Has(sig) || a.handler == kMipsSigIgn) {
    a.handler = kMipsSigDfl;
    blocked.Remove(sig);
  }
  GuestSiginfo own = info;
  own.target = current_tid;
  Enqueue(own);
}

void SignalState::Discard(int sig) {
  std::erase_if(queue_, [sig](const GuestSiginfo& i) { return i.signo == sig; });
}

}  // namespace mipsrun
