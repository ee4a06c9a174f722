#include "runtime/guest_memory.h"

#include <sys/mman.h>
#include <sys/shm.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mipsrun {
namespace {

constexpr uint64_t kWindowSize = uint64_t{1} << 32;
// A guard past the window: an 8-byte access at 0xfffffffc reaches 4 bytes beyond it.
constexpr uint64_t kGuardSize = 64 * 1024;
constexpr uint32_t kNumPages = static_cast<uint32_t>(kWindowSize / kGuestPageSize);
constexpr uint8_t kPageMapped = 0x80;

int HostProt(int guest_prot) {
  // Guest execute permission needs host read access only: guest code is read and
  // decoded, never run natively. x86 has no write-only pages, so write implies read.
  int p = PROT_NONE;
  if (guest_prot & (kProtRead | kProtExec)) p |= PROT_READ;
  if (guest_prot & kProtWrite) p |= PROT_READ | PROT_WRITE;
  return p;
}

template <class T>
T FromGuest(T v, bool big_endian) {
  if (!big_endian) return v;
  if constexpr (sizeof(T) == 2) return __builtin_bswap16(v);
  if constexpr (sizeof(T) == 4) return __builtin_bswap32(v);
  if constexpr (sizeof(T) == 8) return __builtin_bswap64(v);
  return v;
}

}  // namespace

absl::StatusOr<std::unique_ptr<GuestMemory>> GuestMemory::Create(bool big_endian) {
  void* p = mmap(nullptr, kWindowSize + kGuardSize, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot reserve 4 GiB of address space for the guest: ",
                     strerror(errno)));
  }
  return std::unique_ptr<GuestMemory>(new GuestMemory(static_cast<uint8_t*>(p), big_endian));
}

GuestMemory::GuestMemory(uint8_t* base, bool big_endian)
    // calloc: a table this large comes zeroed from mmap, with no page touched until
    // used (new[]() would write all 1 MiB on every start-up).
    : base_(base), big_endian_(big_endian),
      pages_(static_cast<uint8_t*>(calloc(kNumPages, 1))) {
  if (!pages_) abort();
}

GuestMemory::~GuestMemory() { munmap(base_, kWindowSize + kGuardSize); }

void GuestMemory::SetPages(uint32_t addr, uint32_t len, uint8_t flags) {
  memset(&pages_[addr / kGuestPageSize], flags, PageUp(len) / kGuestPageSize);
}

int GuestMemory::Map(uint32_t addr, uint32_t len, int prot, bool shared, int fd,
                     uint64_t offset) {
  if (len == 0 || uint64_t{addr} + PageUp(len) > kGuestUserTop) return -ENOMEM;
  int flags = MAP_FIXED | (shared ? MAP_SHARED : MAP_PRIVATE);
  if (fd < 0) flags |= MAP_ANONYMOUS | MAP_NORESERVE;
  void* p = mmap(base_ + addr, len, HostProt(prot), flags, fd, static_cast<off_t>(offset));
  if (p == MAP_FAILED) return -errno;
  SetPages(addr, len, kPageMapped | (prot & 7));
  return 0;
}

int GuestMemory::Protect(uint32_t addr, uint32_t len, int prot) {
  if (uint64_t{addr} + PageUp(len) > kGuestUserTop) return -ENOMEM;
  for (uint32_t a = addr; a < addr + PageUp(len); a += kGuestPageSize) {
    if (!IsMapped(a)) return -ENOMEM;  // as the kernel: the range must be mapped
  }
  if (mprotect(base_ + addr, PageUp(len), HostProt(prot)) != 0) return -errno;
  SetPages(addr, len, kPageMapped | (prot & 7));
  return 0;
}

int GuestMemory::Unmap(uint32_t addr, uint32_t len) {
  if (uint64_t{addr} + PageUp(len) > kGuestUserTop) return -EINVAL;
  // Unmapping would give the range back to the host; map inaccessible pages over it
  // instead so that the window stays whole.
  void* p = mmap(base_ + addr, PageUp(len), PROT_NONE,
                 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return -errno;
  SetPages(addr, len, 0);
  return 0;
}

int GuestMemory::AttachShm(uint32_t addr, uint32_t len, int shmid, bool read_only) {
  if (len == 0 || uint64_t{addr} + PageUp(len) > kGuestUserTop) return -EINVAL;
  void* p = shmat(shmid, base_ + addr, SHM_REMAP | (read_only ? SHM_RDONLY : 0));
  if (p == reinterpret_cast<void*>(-1)) return -errno;
  SetPages(addr, len, kPageMapped | kProtRead | (read_only ? 0 : kProtWrite));
  return 0;
}

int GuestMemory::DetachShm(uint32_t addr, uint32_t len) {
  if (shmdt(base_ + addr) != 0) return -errno;
  return Unmap(addr, len);
}

int GuestMemory::Remap(uint32_t old_addr, uint32_t old_len, uint32_t new_len,
                       uint32_t target) {
  uint8_t flags = pages_[old_addr / kGuestPageSize];
  if (!(flags & kPageMapped)) return -EFAULT;
  if (target == old_addr && new_len <= old_len) {
    if (new_len < old_len) return Unmap(old_addr + new_len, old_len - new_len);
    return 0;
  }
  void* p;
  if (target == old_addr) {
    // Growing in place: hand the (free) tail of our reservation back to the host so
    // that mremap can extend into it.
    munmap(base_ + old_addr + old_len, new_len - old_len);
    p = mremap(base_ + old_addr, old_len, new_len, 0);
  } else {
    p = mremap(base_ + old_addr, old_len, new_len, MREMAP_MAYMOVE | MREMAP_FIXED,
               base_ + target);
  }
  if (p == MAP_FAILED) {
    int err = errno;
    if (target == old_addr) {
      mmap(base_ + old_addr + old_len, new_len - old_len, PROT_NONE,
           MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    }
    return -err;
  }
  if (target != old_addr) {
    // mremap left a hole in the window where the mapping was: reserve it again.
    mmap(base_ + old_addr, old_len, PROT_NONE,
         MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    SetPages(old_addr, old_len, 0);
  }
  SetPages(target, new_len, flags);
  return 0;
}

bool GuestMemory::IsRangeFree(uint32_t addr, uint32_t len) const {
  if (uint64_t{addr} + PageUp(len) > kGuestUserTop || addr == 0) return false;
  uint32_t first = addr / kGuestPageSize, n = PageUp(len) / kGuestPageSize;
  for (uint32_t i = 0; i < n; ++i) {
    if (pages_[first + i]) return false;
  }
  return true;
}

uint32_t GuestMemory::FindFree(uint32_t len) const {
  uint32_t n = PageUp(len) / kGuestPageSize;
  if (n == 0) return 0;
  // Top-down first fit, as the kernel's default mmap layout.
  uint32_t run = 0;
  for (uint32_t page = mmap_top_ / kGuestPageSize; page-- > 16;) {
    run = pages_[page] ? 0 : run + 1;
    if (run == n) return page * kGuestPageSize;
  }
  return 0;
}

bool GuestMemory::IsReadable(uint32_t addr) const {
  uint8_t f = pages_[addr / kGuestPageSize];
  return (f & kPageMapped) && (f & (kProtRead | kProtExec | kProtWrite));
}

bool GuestMemory::CheckRange(uint32_t addr, uint64_t len, bool write) const {
  if (!AccessOk(addr, len)) return false;
  if (len == 0) return true;
  uint8_t need = write ? kProtWrite : kProtRead | kProtWrite | kProtExec;
  for (uint64_t page = addr / kGuestPageSize; page <= (addr + len - 1) / kGuestPageSize; ++page) {
    uint8_t f = pages_[page];
    if (!(f & kPageMapped) || !(f & need)) return false;
  }
  return true;
}

uint32_t GuestMemory::Read32(uint32_t addr) const {
  uint32_t v;
  memcpy(&v, base_ + addr, 4);
  return FromGuest(v, big_endian_);
}
uint16_t GuestMemory::Read16(uint32_t addr) const {
  uint16_t v;
  memcpy(&v, base_ + addr, 2);
  return FromGuest(v, big_endian_);
}
uint64_t GuestMemory::Read64(uint32_t addr) const {
  uint64_t v;
  memcpy(&v, base_ + addr, 8);
  return FromGuest(v, big_endian_);
}
void GuestMemory::Write32(uint32_t addr, uint32_t v) {
  v = FromGuest(v, big_endian_);
  memcpy(base_ + addr, &v, 4);
}
void GuestMemory::Write16(uint32_t addr, uint16_t v) {
  v = FromGuest(v, big_endian_);
  memcpy(base_ + addr, &v, 2);
}
void GuestMemory::Write64(uint32_t addr, uint64_t v) {
  v = FromGuest(v, big_endian_);
  memcpy(base_ + addr, &v, 8);
}

bool GuestMemory::ReadString(uint32_t addr, std::string* out, size_t max) const {
  out->clear();
  for (size_t i = 0; i < max; ++i, ++addr) {
    if (addr >= kGuestUserTop || !IsReadable(addr)) return false;
    char c = static_cast<char>(base_[addr]);
    if (c == 0) return true;
    out->push_back(c);
  }
  return false;
}

}  // namespace mipsrun
