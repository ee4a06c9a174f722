#include "runtime/process.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

namespace mipsrun {

void Process::SignalSelf(int host_signo) {
  // Whatever the signal does to the guest, it does to mipsrun: its default action,
  // with no core file of mipsrun's own memory and without mipsrun's fault handlers.
  if (on_exit) on_exit();
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  signal(host_signo, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, host_signo);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  raise(host_signo);
}

void Process::DieOfSignal(int host_signo) {
  SignalSelf(host_signo);
  _exit(128 + host_signo);  // a signal whose default is not to terminate
}

}  // namespace mipsrun
