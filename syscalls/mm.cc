// Memory-management syscalls. All guest mappings live in the guest window and go
// through GuestMemory so that its page table stays the truth.
#include <sys/mman.h>

#include <cerrno>

#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/mips_abi.h"

namespace mipsrun {
namespace {

bool Aligned(uint32_t a) { return (a & (kGuestPageSize - 1)) == 0; }

void Invalidate(SyscallContext& c, uint32_t addr, uint64_t len) {
  if (c.proc.invalidate_code) c.proc.invalidate_code(addr, static_cast<uint32_t>(len));
}

int64_t SysBrk(SyscallContext& c) {
  GuestMemory& m = c.mem;
  uint32_t want = c.a[0];
  if (want < m.brk_start) return m.brk_current;
  uint64_t old_top = PageUp(m.brk_current), new_top = PageUp(want);
  if (new_top > old_top) {
    uint32_t len = static_cast<uint32_t>(new_top - old_top);
    // The kernel refuses to grow the heap into another mapping; so do we.
    if (new_top > kGuestUserTop || !m.IsRangeFree(static_cast<uint32_t>(old_top), len)) {
      return m.brk_current;
    }
    if (m.Map(static_cast<uint32_t>(old_top), len, kProtRead | kProtWrite, false, -1, 0) != 0) {
      return m.brk_current;
    }
  } else if (new_top < old_top) {
    m.Unmap(static_cast<uint32_t>(new_top), static_cast<uint32_t>(old_top - new_top));
  }
  m.brk_current = want;
  return want;
}

int64_t DoMmap(SyscallContext& c, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags,
               int fd, uint64_t offset) {
  GuestMemory& m = c.mem;
  if (len == 0) return -kMipsEinval;
  uint64_t size = PageUp(len);
  if (size >= kGuestUserTop) return -kMipsEnomem;
  uint32_t type = flags & kMipsMapType;
  if (type != kMipsMapShared && type != kMipsMapPrivate && type != 3 /* SHARED_VALIDATE */) {
    return -kMipsEinval;
  }
  bool anonymous = flags & kMipsMapAnonymous;
  if (!anonymous && (offset & (kGuestPageSize - 1))) return -kMipsEinval;
  uint32_t where;
  if (flags & (kMipsMapFixed | kMipsMapFixedNoreplace)) {
    if (!Aligned(addr) || uint64_t{addr} + size > kGuestUserTop) return -kMipsEinval;
    if ((flags & kMipsMapFixedNoreplace) && !m.IsRangeFree(addr, static_cast<uint32_t>(size))) {
      return -kMipsEexist;
    }
    where = addr;
    Invalidate(c, where, size);
  } else {
    // A hint is taken when the range is free, as the kernel does.
    uint32_t hint = PageDown(addr);
    where = (hint && m.IsRangeFree(hint, static_cast<uint32_t>(size)))
                ? hint
                : m.FindFree(static_cast<uint32_t>(size));
    if (where == 0) return -kMipsEnomem;
  }
  int r = m.Map(where, static_cast<uint32_t>(size), static_cast<int>(prot & 7),
                type != kMipsMapPrivate, anonymous ? -1 : fd, anonymous ? 0 : offset);
  if (r < 0) return GuestResultFromNegErrno(r);
  return where;
}

// mmap2(addr, len, prot, flags, fd, pgoffset): the offset counts 4096-byte units.
int64_t SysMmap2(SyscallContext& c) {
  return DoMmap(c, c.a[0], c.a[1], c.a[2], c.a[3], static_cast<int>(c.a[4]),
                uint64_t{c.a[5]} * 4096);
}
// The old mmap takes a byte offset.
int64_t SysMmap(SyscallContext& c) {
  return DoMmap(c, c.a[0], c.a[1], c.a[2], c.a[3], static_cast<int>(c.a[4]), c.a[5]);
}

int64_t SysMunmap(SyscallContext& c) {
  uint32_t addr = c.a[0], len = c.a[1];
  if (!Aligned(addr) || len == 0 || uint64_t{addr} + PageUp(len) > kGuestUserTop) {
    return -kMipsEinval;
  }
  Invalidate(c, addr, PageUp(len));
  return GuestResultFromNegErrno(c.mem.Unmap(addr, static_cast<uint32_t>(PageUp(len))));
}

int64_t SysMprotect(SyscallContext& c) {
  uint32_t addr = c.a[0], len = c.a[1];
  if (!Aligned(addr)) return -kMipsEinval;
  if (len == 0) return 0;
  Invalidate(c, addr, PageUp(len));
  return GuestResultFromNegErrno(c.mem.Protect(addr, static_cast<uint32_t>(PageUp(len)),
                                               static_cast<int>(c.a[2] & 7)));
}

// mremap(old, old_size, new_size, flags, new_addr)
int64_t SysMremap(SyscallContext& c) {
  uint32_t old_addr = c.a[0], flags = c.a[3];
  uint64_t old_size = PageUp(c.a[1]), new_size = PageUp(c.a[2]);
  if (!Aligned(old_addr) || new_size == 0 || new_size >= kGuestUserTop) return -kMipsEinval;
  if (flags & ~(kMipsMremapMaymove | kMipsMremapFixed)) return -kMipsEinval;
  if ((flags & kMipsMremapFixed) && !(flags & kMipsMremapMaymove)) return -kMipsEinval;
  GuestMemory& m = c.mem;
  Invalidate(c, old_addr, old_size);
  uint32_t target = old_addr;
  if (flags & kMipsMremapFixed) {
    target = c.a[4];
    if (!Aligned(target) || uint64_t{target} + new_size > kGuestUserTop) return -kMipsEinval;
    Invalidate(c, target, new_size);
  } else if (new_size > old_size &&
             !m.IsRangeFree(static_cast<uint32_t>(old_addr + old_size),
                            static_cast<uint32_t>(new_size - old_size))) {
    if (!(flags & kMipsMremapMaymove)) return -kMipsEnomem;
    target = m.FindFree(static_cast<uint32_t>(new_size));
    if (target == 0) return -kMipsEnomem;
  }
  int r = m.Remap(old_addr, static_cast<uint32_t>(old_size), static_cast<uint32_t>(new_size), target);
  return r < 0 ? GuestResultFromNegErrno(r) : target;
}

int64_t SysMadvise(SyscallContext& c) {
  uint32_t addr = c.a[0];
  if (!Aligned(addr) || !GuestMemory::AccessOk(addr, c.a[1])) return -kMipsEinval;
  // The MADV_* values of MIPS are the generic ones.
  return GuestResult(madvise(c.mem.Host(addr), c.a[1], static_cast<int>(c.a[2])));
}

// cacheflush(addr, nbytes, cache): the guest wrote code; drop what was decoded from it.
int64_t SysCacheflush(SyscallContext& c) {
  if (!GuestMemory::AccessOk(c.a[0], c.a[1])) return -kMipsEfault;
  Invalidate(c, c.a[0], c.a[1]);
  return 0;
}

constexpr SyscallDef kDefs[] = {
    {kNr_brk, SysBrk, "p", 'x'},
    {kNr_mmap2, SysMmap2, "pxdxfx", 'x'},
    {kNr_mmap, SysMmap, "pxdxfx", 'x'},
    {kNr_munmap, SysMunmap, "px"},
    {kNr_mprotect, SysMprotect, "pxd"},
    {kNr_mremap, SysMremap, "pxxxp", 'x'},
    {kNr_madvise, SysMadvise, "pxd"},
    {kNr_cacheflush, SysCacheflush, "pxd"},
};

}  // namespace

std::span<const SyscallDef> MmSyscalls() { return kDefs; }

}  // namespace mipsrun
