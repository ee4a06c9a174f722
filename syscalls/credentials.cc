// Process groups, sessions and credentials: getpgrp, getpgid, setpgid, getsid, setsid,
// the set*id calls, getres*id, getgroups, setgroups. IDs are 32-bit on o32, as on the
// host. The set*id calls go through the C library, which applies them to every host
// thread (the compile thread too), as the kernel applies them to a whole process.
#include <grp.h>
#include <unistd.h>

#include <vector>

#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"

namespace mipsrun {
namespace {

constexpr uint32_t kMaxGroups = 65536;  // NGROUPS_MAX

int64_t SysGetpgrp(SyscallContext&) { return getpgrp(); }
int64_t SysGetpgid(SyscallContext& c) { return GuestResult(getpgid(static_cast<pid_t>(c.a[0]))); }
int64_t SysGetsid(SyscallContext& c) { return GuestResult(getsid(static_cast<pid_t>(c.a[0]))); }
int64_t SysSetsid(SyscallContext&) { return GuestResult(setsid()); }
int64_t SysSetpgid(SyscallContext& c) {
  return GuestResult(setpgid(static_cast<pid_t>(c.a[0]), static_cast<pid_t>(c.a[1])));
}

int64_t SysSetuid(SyscallContext& c) { return GuestResult(setuid(c.a[0])); }
int64_t SysSetgid(SyscallContext& c) { return GuestResult(setgid(c.a[0])); }
int64_t SysSetreuid(SyscallContext& c) { return GuestResult(setreuid(c.a[0], c.a[1])); }
int64_t SysSetregid(SyscallContext& c) { return GuestResult(setregid(c.a[0], c.a[1])); }
int64_t SysSetresuid(SyscallContext& c) { return GuestResult(setresuid(c.a[0], c.a[1], c.a[2])); }
int64_t SysSetresgid(SyscallContext& c) { return GuestResult(setresgid(c.a[0], c.a[1], c.a[2])); }

// getresuid/getresgid: three IDs, each to its own guest pointer.
int64_t PutIds(SyscallContext& c, const uint32_t (&ids)[3]) {
  for (int i = 0; i < 3; ++i) {
    if (!GuestStruct(c.mem, c.a[i], 4).writable()) return -kMipsEfault;
  }
  for (int i = 0; i < 3; ++i) GuestStruct(c.mem, c.a[i], 4).Put32(0, ids[i]);
  return 0;
}

int64_t SysGetresuid(SyscallContext& c) {
  uid_t r, e, s;
  if (getresuid(&r, &e, &s) != 0) return GuestResult(-1);
  return PutIds(c, {r, e, s});
}

int64_t SysGetresgid(SyscallContext& c) {
  gid_t r, e, s;
  if (getresgid(&r, &e, &s) != 0) return GuestResult(-1);
  return PutIds(c, {r, e, s});
}

int64_t SysGetgroups(SyscallContext& c) {
  int32_t size = static_cast<int32_t>(c.a[0]);
  if (size < 0) return -kMipsEinval;
  int n = getgroups(0, nullptr);
  if (n < 0) return GuestResult(-1);
  if (size == 0) return n;
  if (size < n) return -kMipsEinval;
  std::vector<gid_t> groups(n);
  n = getgroups(n, groups.data());
  if (n < 0) return GuestResult(-1);
  GuestStruct out(c.mem, c.a[1], 4 * static_cast<uint32_t>(n));
  if (n > 0 && !out.writable()) return -kMipsEfault;
  for (int i = 0; i < n; ++i) out.Put32(4 * i, groups[i]);
  return n;
}

int64_t SysSetgroups(SyscallContext& c) {
  uint32_t n = c.a[0];
  if (n > kMaxGroups) return -kMipsEinval;
  GuestStruct in(c.mem, c.a[1], 4 * n);
  if (n > 0 && !in.readable()) return -kMipsEfault;
  std::vector<gid_t> groups(n);
  for (uint32_t i = 0; i < n; ++i) groups[i] = in.Get32(4 * i);
  return GuestResult(setgroups(n, groups.data()));
}

constexpr SyscallDef kSyscalls[] = {
    {kNr_getpgrp, SysGetpgrp, ""},
    {kNr_getpgid, SysGetpgid, "d"},
    {kNr_setpgid, SysSetpgid, "dd"},
    {kNr_getsid, SysGetsid, "d"},
    {kNr_setsid, SysSetsid, ""},
    {kNr_setuid, SysSetuid, "u"},
    {kNr_setgid, SysSetgid, "u"},
    {kNr_setreuid, SysSetreuid, "dd"},
    {kNr_setregid, SysSetregid, "dd"},
    {kNr_setresuid, SysSetresuid, "ddd"},
    {kNr_setresgid, SysSetresgid, "ddd"},
    {kNr_getresuid, SysGetresuid, "ppp"},
    {kNr_getresgid, SysGetresgid, "ppp"},
    {kNr_getgroups, SysGetgroups, "dp"},
    {kNr_setgroups, SysSetgroups, "up"},
};

}  // namespace

std::span<const SyscallDef> CredentialSyscalls() { return kSyscalls; }

}  // namespace mipsrun
