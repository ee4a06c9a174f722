#include "syscalls/signal_numbers.h"

#include <csignal>

namespace mipsrun {
namespace {

// MIPS 1..31 -> host; SIGEMT (7) has no host counterpart.
constexpr int kToHost[32] = {
    0,       SIGHUP,  SIGINT,    SIGQUIT, SIGILL,  SIGTRAP, SIGABRT, -1 /* SIGEMT */,
    SIGFPE,  SIGKILL, SIGBUS,    SIGSEGV, SIGSYS,  SIGPIPE, SIGALRM, SIGTERM,
    SIGUSR1, SIGUSR2, SIGCHLD,   SIGPWR,  SIGWINCH, SIGURG, SIGIO,   SIGSTOP,
    SIGTSTP, SIGCONT, SIGTTIN,   SIGTTOU, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
};

}  // namespace

int MipsToHostSignal(int s) {
  if (s >= 0 && s < kMipsSigrtmin) return kToHost[s];
  // Real-time signals: the host C library keeps its first ones to itself, so the
  // guest's SIGRTMIN is the host's SIGRTMIN (34 on glibc), and so on up, short of the
  // host's SIGRTMAX, which mipsrun keeps to interrupt its own threads.
  if (s >= kMipsSigrtmin && s < kMipsNsig) {
    int host = SIGRTMIN + (s - kMipsSigrtmin);
    return host < SIGRTMAX ? host : -1;
  }
  return -1;
}

int HostToMipsSignal(int h) {
  for (int s = 0; s < kMipsSigrtmin; ++s) {
    if (kToHost[s] == h) return s;
  }
  if (h >= SIGRTMIN && h < SIGRTMAX) return kMipsSigrtmin + (h - SIGRTMIN);
  return -1;
}

}  // namespace mipsrun
