// execve: a MIPS program (ELF32, EM_MIPS, either byte order) runs under this mipsrun
// again, with the parent's sysroot and execution mode; anything else (a script, a host
// program) goes to the host's execve as it is, which runs it as the host kernel would.
//
// What carries over is what the kernel keeps across exec: descriptors without
// FD_CLOEXEC, ignored signals (the host disposition is SIG_IGN for them), and the
// signal mask, which mipsrun hands over as its own host mask for the new mipsrun to
// read back as the guest's.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/mips_abi.h"
#include "syscalls/guest_path.h"
#include "syscalls/signal_numbers.h"
#include "syscalls/strace.h"

namespace mipsrun {
namespace {

constexpr size_t kMaxArgStrlen = 32 * 4096;  // MAX_ARG_STRLEN
constexpr size_t kMaxArgs = 0x7fffffff / 4;

// A NULL-terminated guest array of string pointers (argv, envp); a null array is
// empty. False: a pointer or a string that is not readable (EFAULT) or too long (E2BIG),
// stored in *err.
bool ReadStrings(SyscallContext& c, uint32_t array, std::vector<std::string>* out,
                 int64_t* err) {
  if (array == 0) return true;
  for (uint32_t i = 0;; ++i) {
    uint32_t slot = array + 4 * i;
    if (i >= kMaxArgs || !GuestMemory::AccessOk(slot, 4) || !c.mem.IsReadable(slot)) {
      *err = -kMipsEfault;
      return false;
    }
    uint32_t p = c.mem.Read32(slot);
    if (p == 0) return true;
    std::string s;
    if (!c.mem.ReadString(p, &s, kMaxArgStrlen)) {
      *err = s.size() >= kMaxArgStrlen - 1 ? -HostToMipsErrno(E2BIG) : -kMipsEfault;
      return false;
    }
    out->push_back(std::move(s));
  }
}

bool IsMipsElf(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char h[20];
  ssize_t n = read(fd, h, sizeof h);
  close(fd);
  if (n != static_cast<ssize_t>(sizeof h) || memcmp(h, "\177ELF", 4) != 0) return false;
  if (h[4] != 1) return false;  // ELFCLASS32
  uint16_t machine = h[5] == 2 ? static_cast<uint16_t>(h[18] << 8 | h[19])
                               : static_cast<uint16_t>(h[19] << 8 | h[18]);
  return machine == 8;  // EM_MIPS
}

std::vector<char*> CStrings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (std::string& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int64_t SysExecve(SyscallContext& c) {
  PATH_ARG(path, 0);
  std::string guest_path;
  int64_t err = 0;
  if (!c.Path(c.a[0], &guest_path, &err)) return err;
  std::vector<std::string> argv, envp;
  if (!ReadStrings(c, c.a[1], &argv, &err) || !ReadStrings(c, c.a[2], &envp, &err)) return err;

  std::vector<std::string> host_argv;
  std::string program = path;
  if (IsMipsElf(path)) {
    if (access(path.c_str(), X_OK) != 0) return GuestResult(-1);
    program = c.proc.self_exe;
    host_argv.push_back(program);
    for (const std::string& o : c.proc.exec_options) host_argv.push_back(o);
    if (!argv.empty()) host_argv.insert(host_argv.end(), {"-0", argv[0]});
    host_argv.push_back("--");
    // The guest's own name for the program (its AT_EXECFN) unless the sysroot supplied
    // it, when only the host's path names it.
    host_argv.push_back(path == guest_path || path.empty() ? guest_path : path);
    for (size_t i = 1; i < argv.size(); ++i) host_argv.push_back(argv[i]);
  } else {
    host_argv = argv;
  }

  // The trace line comes first: a successful exec does not return to print it (a failed
  // one prints its error as usual after it).
  if (c.proc.strace) {
    std::string args;
    for (const std::string& a : argv) absl::StrAppend(&args, args.empty() ? "" : ", ", "\"", a, "\"");
    StraceEvent(c.proc, absl::StrFormat("execve(\"%s\", [%s]) = ? <%s>", guest_path, args,
                                        program == path ? "handed to the host" : "runs under mipsrun"));
  }
  sigset_t blocked, before;
  sigemptyset(&blocked);
  for (int sig = 1; sig < kMipsNsig; ++sig) {
    int host = MipsToHostSignal(sig);
    if (host > 0 && c.proc.signals.blocked.Has(sig)) sigaddset(&blocked, host);
  }
  fflush(stdout);
  fflush(stderr);
  sigprocmask(SIG_SETMASK, &blocked, &before);
  std::vector<char*> host_args = CStrings(host_argv);
  std::vector<char*> host_env = CStrings(envp);
  execve(program.c_str(), host_args.data(), host_env.data());
  int saved = errno;
  sigprocmask(SIG_SETMASK, &before, nullptr);
  errno = saved;
  return GuestResult(-1);
}

constexpr SyscallDef kSyscalls[] = {
    {kNr_execve, SysExecve, "spp"},
};

}  // namespace

std::span<const SyscallDef> ExecSyscalls() { return kSyscalls; }

}  // namespace mipsrun
