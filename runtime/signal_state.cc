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

void SignalState::Enqueue(const GuestSiginfo& info) {
  int sig = info.signo;
  if (sig <= 0 || sig >= kMipsNsig) return;
  if (sig < kMipsSigrtmin && pending_set_.Has(sig)) return;
  if (info.code == kMipsSiTimer) {
    // A POSIX timer's signal is pending at most once; more expiries count as overruns.
    for (GuestSiginfo& q : queue_) {
      if (q.signo == sig && q.code == kMipsSiTimer && q.fields[0] == info.fields[0]) {
        q.fields[1] += 1 + info.fields[1];
        return;
      }
    }
  }
  queue_.push_back(info);
  pending_set_.Add(sig);
}

bool SignalState::Take(const GuestSigset& set, GuestSiginfo* out) {
  GuestSigset ready = pending_set_ & set;
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
  auto it = std::find_if(queue_.begin(), queue_.end(),
                         [pick](const GuestSiginfo& i) { return i.signo == pick; });
  *out = *it;
  queue_.erase(it);
  if (out->code == kMipsSiTimer) timer_overruns_[out->fields[0]] = out->fields[1];
  if (std::none_of(queue_.begin(), queue_.end(),
                   [pick](const GuestSiginfo& i) { return i.signo == pick; })) {
    pending_set_.Remove(pick);
  }
  return true;
}

void SignalState::Force(const GuestSiginfo& info) {
  int sig = info.signo;
  GuestSigaction& a = actions[sig];
  if (blocked.Has(sig) || a.handler == kMipsSigIgn) {
    a.handler = kMipsSigDfl;
    blocked.Remove(sig);
  }
  Enqueue(info);
}

void SignalState::Discard(int sig) {
  std::erase_if(queue_, [sig](const GuestSiginfo& i) { return i.signo == sig; });
  pending_set_.Remove(sig);
}

}  // namespace mipsrun
