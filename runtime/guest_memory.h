// The guest's 4 GiB address space as one linear host reservation (design brief,
// decision 4): guest address a is host address base() + a. Guest mappings are real
// host mappings inside the window with the guest's protections, so a bad guest access
// is a host fault. Nothing of mipsrun's own lives in the window.
//
// The page table here mirrors what the guest has mapped (mipsrun makes every change to
// the window itself), for the mmap allocator, instruction fetch and pointer checks.
#ifndef MIPSRUN_RUNTIME_GUEST_MEMORY_H_
#define MIPSRUN_RUNTIME_GUEST_MEMORY_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace mipsrun {

inline constexpr uint32_t kGuestPageSize = 4096;
// TASK_SIZE of a 32-bit MIPS kernel: user space ends where kseg0 begins.
inline constexpr uint32_t kGuestUserTop = 0x80000000u;

inline constexpr uint32_t PageDown(uint32_t a) { return a & ~(kGuestPageSize - 1); }
inline constexpr uint64_t PageUp(uint64_t a) {
  return (a + kGuestPageSize - 1) & ~uint64_t{kGuestPageSize - 1};
}

// Guest protections, with the MIPS (and generic) PROT_* values.
enum GuestProt : uint8_t {
  kProtRead = 1,
  kProtWrite = 2,
  kProtExec = 4,
};

class GuestMemory {
 public:
  static absl::StatusOr<std::unique_ptr<GuestMemory>> Create(bool big_endian);
  ~GuestMemory();
  GuestMemory(const GuestMemory&) = delete;
  GuestMemory& operator=(const GuestMemory&) = delete;

  uint8_t* base() const { return base_; }
  bool big_endian() const { return big_endian_; }
  uint8_t* Host(uint32_t addr) const { return base_ + addr; }

  // Maps [addr, addr+len) (page aligned) with `prot`: anonymous zero pages when
  // fd < 0, else the file at `offset`. Returns a negative host errno on failure.
  int Map(uint32_t addr, uint32_t len, int prot, bool shared, int fd, uint64_t offset);
  int Protect(uint32_t addr, uint32_t len, int prot);
  int Unmap(uint32_t addr, uint32_t len);
  // Attaches System V shared memory segment `shmid` of `len` bytes at `addr` (page
  // aligned, in place of whatever was there); detaching maps inaccessible pages back.
  // Negative host errno on failure.
  int AttachShm(uint32_t addr, uint32_t len, int shmid, bool read_only);
  int DetachShm(uint32_t addr, uint32_t len);
  // Moves or resizes the mapping [old_addr, +old_len) to [target, +new_len) with the
  // host's mremap, keeping its contents and protection; the caller chose `target`
  // (old_addr to resize in place, into free pages).
  int Remap(uint32_t old_addr, uint32_t old_len, uint32_t new_len, uint32_t target);

  // Top-down search below mmap_top() for `len` bytes of unmapped pages; 0 if none.
  uint32_t FindFree(uint32_t len) const;
  bool IsRangeFree(uint32_t addr, uint32_t len) const;
  bool IsMapped(uint32_t addr) const { return pages_[addr / kGuestPageSize] != 0; }
  bool IsReadable(uint32_t addr) const;
  bool IsExecutable(uint32_t addr) const { return IsReadable(addr); }
  // Every page of [addr, addr+len) is user memory, mapped, and readable (or writable).
  bool CheckRange(uint32_t addr, uint64_t len, bool write) const;

  uint32_t mmap_top() const { return mmap_top_; }
  void set_mmap_top(uint32_t top) { mmap_top_ = top; }

  // Program break, kept here because brk and mmap share the address space.
  uint32_t brk_start = 0;
  uint32_t brk_current = 0;

  // The kernel's access_ok(): the whole range lies in user space. Host syscalls then
  // report EFAULT for unmapped pages inside it by themselves.
  static bool AccessOk(uint32_t addr, uint64_t len) {
    return uint64_t{addr} + len <= kGuestUserTop;
  }

  // Guest-order scalar access for the loader and the syscall layer (not for the hot
  // path). Callers check the range first.
  uint32_t Read32(uint32_t addr) const;
  uint16_t Read16(uint32_t addr) const;
  uint64_t Read64(uint32_t addr) const;
  void Write32(uint32_t addr, uint32_t v);
  void Write16(uint32_t addr, uint16_t v);
  void Write64(uint32_t addr, uint64_t v);
  // Reads a NUL-terminated guest string of at most `max` bytes; false if it runs into
  // an unreadable page or past `max`.
  bool ReadString(uint32_t addr, std::string* out, size_t max = 4096) const;

 private:
  GuestMemory(uint8_t* base, bool big_endian);
  void SetPages(uint32_t addr, uint32_t len, uint8_t flags);

  uint8_t* base_;
  bool big_endian_;
  uint32_t mmap_top_ = 0x77ff0000u;
  struct Free {
    void operator()(uint8_t* p) const { free(p); }
  };
  std::unique_ptr<uint8_t[], Free> pages_;  // per guest page: 0 = unmapped, else 0x80 | prot
};

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_GUEST_MEMORY_H_
