// System V shared memory: shmget, shmat, shmdt, shmctl, both as o32's own calls and
// through the ipc() multiplexer that glibc uses on o32. A segment is the host's,
// attached into the guest's address window. Semaphores and message queues are not
// implemented (ENOSYS, said under --strace).
#include <sys/ipc.h>
#include <sys/shm.h>

#include <cerrno>

#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"

namespace mipsrun {
namespace {

constexpr uint32_t kMipsShmlba = 0x40000;  // SHMLBA: MIPS's caches alias below this
constexpr uint32_t kIpc64 = 0x100;
constexpr uint32_t kShmidDsSize = 72;      // o32 struct shmid64_ds

int64_t SysShmget(SyscallContext& c) {
  return GuestResult(shmget(static_cast<key_t>(c.a[0]), c.a[1], static_cast<int>(c.a[2])));
}

// Returns the guest address, or a negative MIPS errno.
int64_t Attach(SyscallContext& c, int shmid, uint32_t addr, uint32_t flags) {
  struct shmid_ds ds;
  if (shmctl(shmid, IPC_STAT, &ds) != 0) return GuestResult(-1);
  uint32_t len = static_cast<uint32_t>((ds.shm_segsz + kGuestPageSize - 1) & ~uint64_t{kGuestPageSize - 1});
  if (addr == 0) {
    addr = c.mem.FindFree(len);
    if (addr == 0) return -HostToMipsErrno(ENOMEM);
  } else if (flags & SHM_RND) {
    addr &= ~(kMipsShmlba - 1);
  } else if (addr % kGuestPageSize != 0) {
    return -kMipsEinval;
  }
  if (addr == 0 || !GuestMemory::AccessOk(addr, len)) return -kMipsEinval;
  if (int r = c.mem.AttachShm(addr, len, shmid, flags & SHM_RDONLY)) return -HostToMipsErrno(-r);
  if (c.proc.invalidate_code) c.proc.invalidate_code(addr, len);
  c.proc.shm_attached[addr] = len;
  return addr;
}

int64_t Detach(SyscallContext& c, uint32_t addr) {
  auto it = c.proc.shm_attached.find(addr);
  if (it == c.proc.shm_attached.end()) return -kMipsEinval;
  if (int r = c.mem.DetachShm(addr, it->second)) return -HostToMipsErrno(-r);
  if (c.proc.invalidate_code) c.proc.invalidate_code(addr, it->second);
  c.proc.shm_attached.erase(it);
  return 0;
}

int64_t Control(SyscallContext& c, int shmid, uint32_t cmd, uint32_t buf) {
  cmd &= ~kIpc64;  // glibc asks for the 64 layouts, which o32 has anyway
  struct shmid_ds ds {};
  switch (cmd) {
    case IPC_RMID:
    case SHM_LOCK:
    case SHM_UNLOCK:
      return GuestResult(shmctl(shmid, static_cast<int>(cmd), nullptr));
    case IPC_SET: {
      GuestStruct in(c.mem, buf, kShmidDsSize);
      if (!in.readable()) return -kMipsEfault;
      ds.shm_perm.uid = in.Get32(4);
      ds.shm_perm.gid = in.Get32(8);
      ds.shm_perm.mode = static_cast<unsigned short>(in.Get32(20));
      return GuestResult(shmctl(shmid, IPC_SET, &ds));
    }
    case IPC_STAT:
    case SHM_STAT:
    case SHM_STAT_ANY: {
      GuestStruct out(c.mem, buf, kShmidDsSize);
      if (!out.writable()) return -kMipsEfault;
      int r = shmctl(shmid, static_cast<int>(cmd), &ds);
      if (r < 0) return GuestResult(-1);
      out.Zero();
      out.Put32(0, static_cast<uint32_t>(ds.shm_perm.__key));
      out.Put32(4, ds.shm_perm.uid);
      out.Put32(8, ds.shm_perm.gid);
      out.Put32(12, ds.shm_perm.cuid);
      out.Put32(16, ds.shm_perm.cgid);
      out.Put32(20, ds.shm_perm.mode);
      out.Put16(24, static_cast<uint16_t>(ds.shm_perm.__seq));
      out.Put32(36, static_cast<uint32_t>(ds.shm_segsz));
      const uint64_t times[3] = {static_cast<uint64_t>(ds.shm_atime),
                                 static_cast<uint64_t>(ds.shm_dtime),
                                 static_cast<uint64_t>(ds.shm_ctime)};
      for (int i = 0; i < 3; ++i) {
        out.Put32(40 + 4 * i, static_cast<uint32_t>(times[i]));
        out.Put16(64 + 2 * i, static_cast<uint16_t>(times[i] >> 32));
      }
      out.Put32(52, static_cast<uint32_t>(ds.shm_cpid));
      out.Put32(56, static_cast<uint32_t>(ds.shm_lpid));
      out.Put32(60, static_cast<uint32_t>(ds.shm_nattch));
      return r;
    }
    default:
      return -kMipsEinval;
  }
}

int64_t SysShmat(SyscallContext& c) { return Attach(c, static_cast<int>(c.a[0]), c.a[1], c.a[2]); }
int64_t SysShmdt(SyscallContext& c) { return Detach(c, c.a[0]); }
int64_t SysShmctl(SyscallContext& c) { return Control(c, static_cast<int>(c.a[0]), c.a[1], c.a[2]); }

// ipc(call, first, second, third, ptr, fifth): o32's System V multiplexer.
int64_t SysIpc(SyscallContext& c) {
  enum : uint32_t { kShmat = 21, kShmdt = 22, kShmget = 23, kShmctl = 24 };
  uint32_t call = c.a[0] & 0xffff, version = c.a[0] >> 16;
  uint32_t first = c.a[1], second = c.a[2], third = c.a[3], ptr = c.a[4];
  switch (call) {
    case kShmat: {
      if (version == 1) return -kMipsEinval;  // iBCS2's form, never on MIPS
      GuestStruct result(c.mem, third, 4);
      if (!result.writable()) return -kMipsEfault;
      int64_t addr = Attach(c, static_cast<int>(first), ptr, second);
      if (addr < 0) return addr;
      result.Put32(0, static_cast<uint32_t>(addr));
      return 0;
    }
    case kShmdt:
      return Detach(c, ptr);
    case kShmget:
      return GuestResult(shmget(static_cast<key_t>(first), second, static_cast<int>(third)));
    case kShmctl:
      return Control(c, static_cast<int>(first), second, ptr);
    default:
      c.note = "System V semaphores and message queues are not implemented by mipsrun";
      return -kMipsEnosys;
  }
}

constexpr SyscallDef kSyscalls[] = {
    {kNr_ipc, SysIpc, "dxxxpx"},
    {kNr_shmget, SysShmget, "xux"},
    {kNr_shmat, SysShmat, "dpx", 'x'},
    {kNr_shmdt, SysShmdt, "p"},
    {kNr_shmctl, SysShmctl, "dxp"},
};

}  // namespace

std::span<const SyscallDef> SysvShmSyscalls() { return kSyscalls; }

}  // namespace mipsrun
