// Filesystem syscalls: paths, metadata, directories.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstddef>
#include <string>
#include <vector>

#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/fd_kinds.h"
#include "syscalls/flags.h"
#include "syscalls/guest_path.h"
#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"

namespace mipsrun {
namespace {

int Fd(uint32_t v) { return static_cast<int>(v); }  // AT_FDCWD (-100) is the same

// /proc/self/exe names mipsrun on the host; the guest expects its own program.
bool IsSelfExe(const std::string& path) {
  return path == "/proc/self/exe" || path == "/proc/" + std::to_string(getpid()) + "/exe";
}

}  // namespace

bool GuestPath(SyscallContext& c, uint32_t addr, std::string* out, int64_t* err) {
  if (!c.Path(addr, out, err)) return false;
  if (IsSelfExe(*out)) {
    *out = c.proc.exe_path;
  } else if (!c.proc.sysroot.empty() && out->size() > 1 && (*out)[0] == '/') {
    std::string rooted = c.proc.sysroot + *out;
    struct stat st;
    if (lstat(rooted.c_str(), &st) == 0) *out = std::move(rooted);
  }
  return true;
}

namespace {

void FillStat64(GuestStruct& g, const struct stat& st) {
  using S = mips::Stat64;
  g.Zero();
  g.Put32(offsetof(S, st_dev), static_cast<uint32_t>(st.st_dev));
  g.Put64(offsetof(S, st_ino), st.st_ino);
  g.Put32(offsetof(S, st_mode), st.st_mode);
  g.Put32(offsetof(S, st_nlink), static_cast<uint32_t>(st.st_nlink));
  g.Put32(offsetof(S, st_uid), st.st_uid);
  g.Put32(offsetof(S, st_gid), st.st_gid);
  g.Put32(offsetof(S, st_rdev), static_cast<uint32_t>(st.st_rdev));
  g.Put64(offsetof(S, st_size), static_cast<uint64_t>(st.st_size));
  g.Put32(offsetof(S, st_atime_sec), static_cast<uint32_t>(st.st_atim.tv_sec));
  g.Put32(offsetof(S, st_atime_nsec), static_cast<uint32_t>(st.st_atim.tv_nsec));
  g.Put32(offsetof(S, st_mtime_sec), static_cast<uint32_t>(st.st_mtim.tv_sec));
  g.Put32(offsetof(S, st_mtime_nsec), static_cast<uint32_t>(st.st_mtim.tv_nsec));
  g.Put32(offsetof(S, st_ctime_sec), static_cast<uint32_t>(st.st_ctim.tv_sec));
  g.Put32(offsetof(S, st_ctime_nsec), static_cast<uint32_t>(st.st_ctim.tv_nsec));
  g.Put32(offsetof(S, st_blksize), static_cast<uint32_t>(st.st_blksize));
  g.Put64(offsetof(S, st_blocks), static_cast<uint64_t>(st.st_blocks));
}

int64_t StatInto(SyscallContext& c, int dirfd, const std::string& path, int flags,
                 uint32_t out) {
  GuestStruct g(c.mem, out, sizeof(mips::Stat64));
  if (!g.writable()) return -kMipsEfault;
  struct stat st;
  if (fstatat(dirfd, path.c_str(), &st, flags) != 0) return GuestResult(-1);
  FillStat64(g, st);
  return 0;
}

int64_t SysStat64(SyscallContext& c) {
  PATH_ARG(path, 0);
  return StatInto(c, AT_FDCWD, path, 0, c.a[1]);
}
int64_t SysLstat64(SyscallContext& c) {
  PATH_ARG(path, 0);
  return StatInto(c, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, c.a[1]);
}
int64_t SysFstat64(SyscallContext& c) {
  return StatInto(c, Fd(c.a[0]), "", AT_EMPTY_PATH, c.a[1]);
}
int64_t SysFstatat64(SyscallContext& c) {
  PATH_ARG(path, 1);
  // AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT and AT_EMPTY_PATH are generic values.
  return StatInto(c, Fd(c.a[0]), path, static_cast<int>(c.a[3]), c.a[2]);
}

int64_t SysStatx(SyscallContext& c) {
  PATH_ARG(path, 1);
  GuestStruct g(c.mem, c.a[4], sizeof(mips::Statx));
  if (!g.writable()) return -kMipsEfault;
  struct statx sx;
  if (statx(Fd(c.a[0]), path.c_str(), static_cast<int>(c.a[2]), c.a[3], &sx) != 0) {
    return GuestResult(-1);
  }
  using S = mips::Statx;
  g.Zero();
  g.Put32(offsetof(S, stx_mask), sx.stx_mask);
  g.Put32(offsetof(S, stx_blksize), sx.stx_blksize);
  g.Put64(offsetof(S, stx_attributes), sx.stx_attributes);
  g.Put32(offsetof(S, stx_nlink), sx.stx_nlink);
  g.Put32(offsetof(S, stx_uid), sx.stx_uid);
  g.Put32(offsetof(S, stx_gid), sx.stx_gid);
  g.Put16(offsetof(S, stx_mode), sx.stx_mode);
  g.Put64(offsetof(S, stx_ino), sx.stx_ino);
  g.Put64(offsetof(S, stx_size), sx.stx_size);
  g.Put64(offsetof(S, stx_blocks), sx.stx_blocks);
  g.Put64(offsetof(S, stx_attributes_mask), sx.stx_attributes_mask);
  auto put_time = [&](size_t off, const struct statx_timestamp& t) {
    g.Put64(static_cast<uint32_t>(off), static_cast<uint64_t>(t.tv_sec));
    g.Put32(static_cast<uint32_t>(off + 8), t.tv_nsec);
  };
  put_time(offsetof(S, stx_atime), sx.stx_atime);
  put_time(offsetof(S, stx_btime), sx.stx_btime);
  put_time(offsetof(S, stx_ctime), sx.stx_ctime);
  put_time(offsetof(S, stx_mtime), sx.stx_mtime);
  g.Put32(offsetof(S, stx_rdev_major), sx.stx_rdev_major);
  g.Put32(offsetof(S, stx_rdev_minor), sx.stx_rdev_minor);
  g.Put32(offsetof(S, stx_dev_major), sx.stx_dev_major);
  g.Put32(offsetof(S, stx_dev_minor), sx.stx_dev_minor);
  return 0;
}

int64_t OpenAt(SyscallContext& c, int dirfd, uint32_t path_arg, uint32_t flags, uint32_t mode) {
  std::string path;
  if (int64_t err; !GuestPath(c, path_arg, &path, &err)) return err;
  if (int fd = OpenSignalfdInfo(c.proc, path, OpenFlagsToHost(flags)); fd != -1) {
    return fd >= 0 ? fd : -HostToMipsErrno(-fd);
  }
  return GuestResult(openat(dirfd, path.c_str(), OpenFlagsToHost(flags), mode));
}
int64_t SysOpen(SyscallContext& c) { return OpenAt(c, AT_FDCWD, c.a[0], c.a[1], c.a[2]); }
int64_t SysOpenat(SyscallContext& c) { return OpenAt(c, Fd(c.a[0]), c.a[1], c.a[2], c.a[3]); }

int64_t ReadlinkAt(SyscallContext& c, int dirfd, uint32_t path_arg, uint32_t buf, uint32_t size) {
  std::string path;
  if (int64_t err; !c.Path(path_arg, &path, &err)) return err;
  if (static_cast<int32_t>(size) <= 0) return -kMipsEinval;
  if (!c.mem.CheckRange(buf, size, true)) return -kMipsEfault;
  // What the kernel would say where the host's link names mipsrun's stand-ins.
  std::string link = IsSelfExe(path) ? c.proc.exe_path : SignalfdProcLink(c.proc, path);
  if (!link.empty()) {
    size_t n = std::min<size_t>(link.size(), size);
    memcpy(c.mem.Host(buf), link.data(), n);
    return static_cast<int64_t>(n);
  }
  if (int64_t err; !GuestPath(c, path_arg, &path, &err)) return err;
  return GuestResult(readlinkat(dirfd, path.c_str(), reinterpret_cast<char*>(c.mem.Host(buf)), size));
}
int64_t SysReadlink(SyscallContext& c) { return ReadlinkAt(c, AT_FDCWD, c.a[0], c.a[1], c.a[2]); }
int64_t SysReadlinkat(SyscallContext& c) {
  return ReadlinkAt(c, Fd(c.a[0]), c.a[1], c.a[2], c.a[3]);
}

int64_t SysAccess(SyscallContext& c) {
  PATH_ARG(path, 0);
  return GuestResult(faccessat(AT_FDCWD, path.c_str(), static_cast<int>(c.a[1]), 0));
}
int64_t SysFaccessat(SyscallContext& c) {
  PATH_ARG(path, 1);
  // The syscall has no flags argument; faccessat2 has. Use the raw host call so that
  // glibc does not emulate anything on our side.
  return GuestResult(syscall(SYS_faccessat, Fd(c.a[0]), path.c_str(), static_cast<int>(c.a[2])));
}
int64_t SysFaccessat2(SyscallContext& c) {
  PATH_ARG(path, 1);
  return GuestResult(syscall(SYS_faccessat2, Fd(c.a[0]), path.c_str(), static_cast<int>(c.a[2]),
                             static_cast<int>(c.a[3])));
}

// A working directory inside the sysroot reads as the guest path that led there.
int64_t SysGetcwd(SyscallContext& c) {
  if (!c.mem.CheckRange(c.a[0], c.a[1], true)) return -kMipsEfault;
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return GuestResult(-1);
  std::string path = cwd;
  const std::string& root = c.proc.sysroot;
  if (!root.empty() && path.compare(0, root.size(), root) == 0 &&
      (path.size() == root.size() || path[root.size()] == '/')) {
    path = path.size() == root.size() ? "/" : path.substr(root.size());
  }
  if (path.size() + 1 > c.a[1]) return -kMipsErange;
  memcpy(c.mem.Host(c.a[0]), path.c_str(), path.size() + 1);
  return static_cast<int64_t>(path.size() + 1);
}
int64_t SysChdir(SyscallContext& c) {
  PATH_ARG(path, 0);
  return GuestResult(chdir(path.c_str()));
}
int64_t SysFchdir(SyscallContext& c) { return GuestResult(fchdir(Fd(c.a[0]))); }

int64_t SysUnlink(SyscallContext& c) {
  PATH_ARG(path, 0);
  return GuestResult(unlink(path.c_str()));
}
int64_t SysUnlinkat(SyscallContext& c) {
  PATH_ARG(path, 1);
  return GuestResult(unlinkat(Fd(c.a[0]), path.c_str(), static_cast<int>(c.a[2])));
}
int64_t SysMkdir(SyscallContext& c) {
  PATH_ARG(path, 0);
  return GuestResult(mkdir(path.c_str(), c.a[1]));
}
int64_t SysMkdirat(SyscallContext& c) {
  PATH_ARG(path, 1);
  return GuestResult(mkdirat(Fd(c.a[0]), path.c_str(), c.a[2]));
}
int64_t SysRmdir(SyscallContext& c) {
  PATH_ARG(path, 0);
  return GuestResult(rmdir(path.c_str()));
}
int64_t SysRename(SyscallContext& c) {
  PATH_ARG(from, 0);
  PATH_ARG(to, 1);
  return GuestResult(rename(from.c_str(), to.c_str()));
}
int64_t SysRenameat(SyscallContext& c) {
  PATH_ARG(from, 1);
  PATH_ARG(to, 3);
  return GuestResult(renameat(Fd(c.a[0]), from.c_str(), Fd(c.a[2]), to.c_str()));
}
int64_t SysRenameat2(SyscallContext& c) {
  PATH_ARG(from, 1);
  PATH_ARG(to, 3);
  return GuestResult(renameat2(Fd(c.a[0]), from.c_str(), Fd(c.a[2]), to.c_str(), c.a[4]));
}
int64_t SysChmod(SyscallContext& c) {
  PATH_ARG(path, 0);
  return GuestResult(chmod(path.c_str(), c.a[1]));
}
int64_t SysFchmod(SyscallContext& c) { return GuestResult(fchmod(Fd(c.a[0]), c.a[1])); }
int64_t SysUmask(SyscallContext& c) { return umask(c.a[0]); }
int64_t SysSymlink(SyscallContext& c) {
  // The target is text stored in the link, not a path to look up: never remapped.
  std::string target;
  if (int64_t err; !c.Path(c.a[0], &target, &err)) return err;
  PATH_ARG(link, 1);
  return GuestResult(symlink(target.c_str(), link.c_str()));
}
int64_t SysLink(SyscallContext& c) {
  PATH_ARG(from, 0);
  PATH_ARG(to, 1);
  return GuestResult(link(from.c_str(), to.c_str()));
}
int64_t SysFtruncate64(SyscallContext& c) {
  // o32 passes the 64-bit length in an aligned pair: a2/a3.
  return GuestResult(ftruncate(Fd(c.a[0]), static_cast<off_t>(c.Arg64(2))));
}
int64_t SysFsync(SyscallContext& c) { return GuestResult(fsync(Fd(c.a[0]))); }

// struct linux_dirent64 has the same layout everywhere; only byte order changes.
int64_t SysGetdents64(SyscallContext& c) {
  uint32_t size = c.a[2];
  if (!c.mem.CheckRange(c.a[1], size, true)) return -kMipsEfault;
  std::vector<char> buf(size);
  long n = syscall(SYS_getdents64, Fd(c.a[0]), buf.data(), buf.size());
  if (n < 0) return GuestResult(n);
  GuestStruct g(c.mem, c.a[1], static_cast<uint32_t>(n));
  g.PutBytes(0, buf.data(), static_cast<uint32_t>(n));
  for (long off = 0; off < n;) {
    uint64_t ino, doff;
    uint16_t reclen;
    memcpy(&ino, &buf[off], 8);
    memcpy(&doff, &buf[off + 8], 8);
    memcpy(&reclen, &buf[off + 16], 2);
    g.Put64(static_cast<uint32_t>(off), ino);
    g.Put64(static_cast<uint32_t>(off + 8), doff);
    g.Put16(static_cast<uint32_t>(off + 16), reclen);
    off += reclen;
  }
  return n;
}

constexpr SyscallDef kDefs[] = {
    {kNr_open, SysOpen, "sxo", 'f'},
    {kNr_openat, SysOpenat, "fsxo", 'f'},
    {kNr_stat64, SysStat64, "sp"},
    {kNr_lstat64, SysLstat64, "sp"},
    {kNr_fstat64, SysFstat64, "fp"},
    {kNr_fstatat64, SysFstatat64, "fspx"},
    {kNr_statx, SysStatx, "fsxxp"},
    {kNr_readlink, SysReadlink, "spu"},
    {kNr_readlinkat, SysReadlinkat, "fspu"},
    {kNr_access, SysAccess, "sd"},
    {kNr_faccessat, SysFaccessat, "fsd"},
    {kNr_faccessat2, SysFaccessat2, "fsdx"},
    {kNr_getcwd, SysGetcwd, "pu"},
    {kNr_chdir, SysChdir, "s"},
    {kNr_fchdir, SysFchdir, "f"},
    {kNr_unlink, SysUnlink, "s"},
    {kNr_unlinkat, SysUnlinkat, "fsx"},
    {kNr_mkdir, SysMkdir, "so"},
    {kNr_mkdirat, SysMkdirat, "fso"},
    {kNr_rmdir, SysRmdir, "s"},
    {kNr_rename, SysRename, "ss"},
    {kNr_renameat, SysRenameat, "fsfs"},
    {kNr_renameat2, SysRenameat2, "fsfsx"},
    {kNr_chmod, SysChmod, "so"},
    {kNr_fchmod, SysFchmod, "fo"},
    {kNr_umask, SysUmask, "o"},
    {kNr_symlink, SysSymlink, "ss"},
    {kNr_link, SysLink, "ss"},
    {kNr_ftruncate64, SysFtruncate64, "fxxx"},
    {kNr_fsync, SysFsync, "f"},
    {kNr_getdents64, SysGetdents64, "fpu"},
};

}  // namespace

std::span<const SyscallDef> FsSyscalls() { return kDefs; }

}  // namespace mipsrun
