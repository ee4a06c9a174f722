// File attributes set by name or descriptor: sizes (truncate), times (utime, utimes,
// futimesat, utimensat and its time64 form) and owners (chown and friends). UTIME_NOW,
// UTIME_OMIT, AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH have the generic values on MIPS.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>

#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/guest_path.h"
#include "syscalls/guest_struct.h"
#include "syscalls/guest_time.h"
#include "syscalls/mips_abi.h"

namespace mipsrun {
namespace {

int Fd(uint32_t v) { return static_cast<int>(v); }

int64_t SysTruncate(SyscallContext& c) {
  PATH_ARG(path, 0);
  return GuestResult(truncate(path.c_str(), static_cast<int32_t>(c.a[1])));
}
int64_t SysTruncate64(SyscallContext& c) {
  PATH_ARG(path, 0);
  // o32 passes the 64-bit length in an aligned pair: a2/a3 (a1 is padding).
  return GuestResult(truncate(path.c_str(), static_cast<off_t>(c.Arg64(2))));
}
int64_t SysFtruncate(SyscallContext& c) {
  return GuestResult(ftruncate(Fd(c.a[0]), static_cast<int32_t>(c.a[1])));
}

// The path argument of the *at calls may be null (utimensat on the descriptor itself).
int64_t OptionalPath(SyscallContext& c, uint32_t addr, std::string* out) {
  if (addr == 0) return 0;
  int64_t err = 0;
  return GuestPath(c, addr, out, &err) ? 0 : err;
}

int64_t Utimens(SyscallContext& c, int dirfd, uint32_t path_addr, uint32_t times,
                TimeLayout layout, int flags) {
  std::string path;
  if (int64_t err = OptionalPath(c, path_addr, &path)) return err;
  struct timespec ts[2];
  if (times != 0) {
    for (int i = 0; i < 2; ++i) {
      if (!ReadTimespec(c, times + i * TimespecSize(layout), layout, &ts[i])) {
        return -kMipsEfault;
      }
    }
  }
  const struct timespec* tp = times != 0 ? ts : nullptr;
  if (path_addr == 0) return GuestResult(futimens(dirfd, tp));
  return GuestResult(utimensat(dirfd, path.c_str(), tp, flags));
}
int64_t SysUtimensat(SyscallContext& c) {
  return Utimens(c, Fd(c.a[0]), c.a[1], c.a[2], TimeLayout::k32, static_cast<int>(c.a[3]));
}
int64_t SysUtimensat64(SyscallContext& c) {
  return Utimens(c, Fd(c.a[0]), c.a[1], c.a[2], TimeLayout::k64, static_cast<int>(c.a[3]));
}

// utimes and futimesat: two struct old_timeval32, microseconds.
int64_t Utimes(SyscallContext& c, int dirfd, int path_index, uint32_t times) {
  PATH_ARG(path, path_index);
  struct timespec ts[2];
  if (times != 0) {
    GuestStruct g(c.mem, times, 2 * sizeof(mips::Timeval32));
    if (!g.readable()) return -kMipsEfault;
    for (int i = 0; i < 2; ++i) {
      ts[i].tv_sec = static_cast<int32_t>(g.Get32(8 * i));
      int32_t usec = static_cast<int32_t>(g.Get32(8 * i + 4));
      if (usec < 0 || usec >= 1000000) return -kMipsEinval;
      ts[i].tv_nsec = usec * 1000L;
    }
  }
  return GuestResult(utimensat(dirfd, path.c_str(), times != 0 ? ts : nullptr, 0));
}
int64_t SysUtimes(SyscallContext& c) { return Utimes(c, AT_FDCWD, 0, c.a[1]); }
int64_t SysFutimesat(SyscallContext& c) { return Utimes(c, Fd(c.a[0]), 1, c.a[2]); }

// utime: struct utimbuf, two 32-bit seconds.
int64_t SysUtime(SyscallContext& c) {
  PATH_ARG(path, 0);
  struct timespec ts[2];
  if (c.a[1] != 0) {
    GuestStruct g(c.mem, c.a[1], 8);
    if (!g.readable()) return -kMipsEfault;
    for (int i = 0; i < 2; ++i) {
      ts[i].tv_sec = static_cast<int32_t>(g.Get32(4 * i));
      ts[i].tv_nsec = 0;
    }
  }
  return GuestResult(utimensat(AT_FDCWD, path.c_str(), c.a[1] != 0 ? ts : nullptr, 0));
}

// o32 ids are 32 bits; -1 (leave unchanged) is the same value.
int64_t SysChown(SyscallContext& c) {
  PATH_ARG(path, 0);
  return GuestResult(chown(path.c_str(), c.a[1], c.a[2]));
}
int64_t SysLchown(SyscallContext& c) {
  PATH_ARG(path, 0);
  return GuestResult(lchown(path.c_str(), c.a[1], c.a[2]));
}
int64_t SysFchown(SyscallContext& c) { return GuestResult(fchown(Fd(c.a[0]), c.a[1], c.a[2])); }
int64_t SysFchownat(SyscallContext& c) {
  PATH_ARG(path, 1);  // "" with AT_EMPTY_PATH names the descriptor itself
  return GuestResult(fchownat(Fd(c.a[0]), path.c_str(), c.a[2], c.a[3], static_cast<int>(c.a[4])));
}

constexpr SyscallDef kDefs[] = {
    {kNr_truncate, SysTruncate, "sd"},
    {kNr_truncate64, SysTruncate64, "sxxx"},
    {kNr_ftruncate, SysFtruncate, "fd"},
    {kNr_utime, SysUtime, "sp"},
    {kNr_utimes, SysUtimes, "sp"},
    {kNr_futimesat, SysFutimesat, "fsp"},
    {kNr_utimensat, SysUtimensat, "fspx"},
    {kNr_utimensat_time64, SysUtimensat64, "fspx"},
    {kNr_chown, SysChown, "sdd"},
    {kNr_lchown, SysLchown, "sdd"},
    {kNr_fchown, SysFchown, "fdd"},
    {kNr_fchownat, SysFchownat, "fsddx"},
};

}  // namespace

std::span<const SyscallDef> FileAttrSyscalls() { return kDefs; }

}  // namespace mipsrun
