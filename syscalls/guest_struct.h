// A guest struct at a guest address, read and written field by field in the guest's
// byte order. The range is checked against the guest's page table first, so that a bad
// guest pointer becomes EFAULT and never a host fault inside mipsrun.
#ifndef MIPSRUN_SYSCALLS_GUEST_STRUCT_H_
#define MIPSRUN_SYSCALLS_GUEST_STRUCT_H_

#include <cstdint>
#include <cstring>

#include "runtime/guest_memory.h"

namespace mipsrun {

class GuestStruct {
 public:
  GuestStruct(GuestMemory& mem, uint32_t addr, uint32_t size)
      : mem_(mem), addr_(addr), size_(size) {}

  bool readable() const { return addr_ != 0 && mem_.CheckRange(addr_, size_, false); }
  bool writable() const { return addr_ != 0 && mem_.CheckRange(addr_, size_, true); }

  uint8_t Get8(uint32_t off) const { return *mem_.Host(addr_ + off); }
  uint16_t Get16(uint32_t off) const { return mem_.Read16(addr_ + off); }
  uint32_t Get32(uint32_t off) const { return mem_.Read32(addr_ + off); }
  uint64_t Get64(uint32_t off) const { return mem_.Read64(addr_ + off); }
  void Put8(uint32_t off, uint8_t v) { *mem_.Host(addr_ + off) = v; }
  void Put16(uint32_t off, uint16_t v) { mem_.Write16(addr_ + off, v); }
  void Put32(uint32_t off, uint32_t v) { mem_.Write32(addr_ + off, v); }
  void Put64(uint32_t off, uint64_t v) { mem_.Write64(addr_ + off, v); }
  void PutBytes(uint32_t off, const void* p, uint32_t n) { memcpy(mem_.Host(addr_ + off), p, n); }
  void Zero() { memset(mem_.Host(addr_), 0, size_); }

 private:
  GuestMemory& mem_;
  uint32_t addr_;
  uint32_t size_;
};

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_GUEST_STRUCT_H_
