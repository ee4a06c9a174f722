#include "loader/elf_file.h"

#include <elf.h>

#include <algorithm>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mipsrun {
namespace {

constexpr uint32_t kUserTop = 0x80000000u;
constexpr uint32_t kPage = 4096;
constexpr uint32_t kPtMipsAbiflags = 0x70000003;

// e_flags fields of the MIPS psABI that glibc's <elf.h> does not name.
constexpr uint32_t kEfMipsAbiMask = 0x0000f000;     // EF_MIPS_ABI
constexpr uint32_t kEfMipsAbiO32 = 0x00001000;      // E_MIPS_ABI_O32
constexpr uint32_t kEfMipsAseMicromips = 0x02000000;
constexpr uint32_t kEfMipsAseMips16 = 0x04000000;

class Reader {
 public:
  Reader(std::span<const uint8_t> file, bool big) : file_(file), big_(big) {}
  uint16_t U16(size_t off) const {
    uint16_t v;
    memcpy(&v, &file_[off], 2);
    return big_ ? __builtin_bswap16(v) : v;
  }
  uint32_t U32(size_t off) const {
    uint32_t v;
    memcpy(&v, &file_[off], 4);
    return big_ ? __builtin_bswap32(v) : v;
  }

 private:
  std::span<const uint8_t> file_;
  bool big_;
};

absl::Status Bad(const std::string& why) { return absl::InvalidArgumentError(why); }

absl::Status CheckFlags(uint32_t flags) {
  if (flags & EF_MIPS_ABI2) return Bad("n32 ABI objects are not supported (only o32)");
  uint32_t abi = flags & kEfMipsAbiMask;
  if (abi != 0 && abi != kEfMipsAbiO32) {
    return Bad(absl::StrFormat("unsupported MIPS ABI 0x%x in e_flags (only o32)", abi));
  }
  if (flags & (kEfMipsAseMips16 | kEfMipsAseMicromips)) {
    return Bad("MIPS16/microMIPS code is not supported");
  }
  uint32_t arch = flags & EF_MIPS_ARCH;
  if (arch == 0x90000000u /* MIPS32r6 */ || arch == 0xa0000000u /* MIPS64r6 */) {
    return Bad("MIPS Release 6 code is not supported (its encodings differ)");
  }
  return absl::OkStatus();
}

}  // namespace

uint32_t ElfInfo::min_vaddr() const {
  uint32_t lo = UINT32_MAX;
  for (const ElfSegment& s : loads) lo = std::min(lo, s.vaddr & ~(kPage - 1));
  return lo;
}

uint32_t ElfInfo::max_vaddr() const {
  uint32_t hi = 0;
  for (const ElfSegment& s : loads) hi = std::max(hi, s.vaddr + s.memsz);
  return hi;
}

absl::StatusOr<ElfInfo> ParseElf(std::span<const uint8_t> file) {
  if (file.size() < 4 || memcmp(file.data(), ELFMAG, SELFMAG) != 0) {
    return Bad("not an ELF file");
  }
  if (file.size() < sizeof(Elf32_Ehdr)) return Bad("truncated ELF header");
  if (file[EI_CLASS] == ELFCLASS64) return Bad("64-bit ELF file (only 32-bit MIPS is supported)");
  if (file[EI_CLASS] != ELFCLASS32) return Bad("invalid ELF class");
  if (file[EI_DATA] != ELFDATA2MSB && file[EI_DATA] != ELFDATA2LSB) {
    return Bad("invalid ELF byte order");
  }
  if (file[EI_VERSION] != EV_CURRENT) return Bad("invalid ELF version");
  ElfInfo info;
  info.big_endian = file[EI_DATA] == ELFDATA2MSB;
  Reader r(file, info.big_endian);

  uint16_t machine = r.U16(offsetof(Elf32_Ehdr, e_machine));
  if (machine != EM_MIPS) {
    return Bad(absl::StrCat("not a MIPS executable (e_machine ", machine, ")"));
  }
  uint16_t type = r.U16(offsetof(Elf32_Ehdr, e_type));
  if (type != ET_EXEC && type != ET_DYN) {
    return Bad(type == ET_REL ? "relocatable object, not an executable"
                              : absl::StrCat("not an executable (e_type ", type, ")"));
  }
  info.is_dyn = type == ET_DYN;
  info.flags = r.U32(offsetof(Elf32_Ehdr, e_flags));
  if (absl::Status s = CheckFlags(info.flags); !s.ok()) return s;
  info.entry = r.U32(offsetof(Elf32_Ehdr, e_entry));
  info.phoff = r.U32(offsetof(Elf32_Ehdr, e_phoff));
  info.phnum = r.U16(offsetof(Elf32_Ehdr, e_phnum));
  uint16_t phentsize = r.U16(offsetof(Elf32_Ehdr, e_phentsize));
  if (info.phnum == 0) return Bad("no program headers");
  if (phentsize != sizeof(Elf32_Phdr)) return Bad("invalid program header size");
  if (uint64_t{info.phoff} + uint64_t{info.phnum} * phentsize > file.size()) {
    return Bad("truncated program headers");
  }

  for (uint16_t i = 0; i < info.phnum; ++i) {
    size_t ph = info.phoff + size_t{i} * sizeof(Elf32_Phdr);
    uint32_t p_type = r.U32(ph + offsetof(Elf32_Phdr, p_type));
    uint32_t offset = r.U32(ph + offsetof(Elf32_Phdr, p_offset));
    uint32_t filesz = r.U32(ph + offsetof(Elf32_Phdr, p_filesz));
    uint32_t vaddr = r.U32(ph + offsetof(Elf32_Phdr, p_vaddr));
    if (uint64_t{offset} + filesz > file.size() &&
        (p_type == PT_LOAD || p_type == PT_INTERP || p_type == kPtMipsAbiflags)) {
      return Bad(absl::StrCat("truncated file: program header ", i, " extends past its end"));
    }
    if (p_type == PT_LOAD) {
      ElfSegment s;
      s.vaddr = vaddr;
      s.offset = offset;
      s.filesz = filesz;
      s.memsz = r.U32(ph + offsetof(Elf32_Phdr, p_memsz));
      s.flags = r.U32(ph + offsetof(Elf32_Phdr, p_flags));
      s.align = r.U32(ph + offsetof(Elf32_Phdr, p_align));
      if (s.filesz > s.memsz) return Bad(absl::StrCat("segment ", i, " has p_filesz > p_memsz"));
      if (uint64_t{s.vaddr} + s.memsz > kUserTop) {
        return Bad(absl::StrFormat("segment %d at 0x%x lies outside user space", i, s.vaddr));
      }
      if (s.align > 1 && (s.align & (s.align - 1))) {
        return Bad(absl::StrCat("segment ", i, " has an alignment that is not a power of 2"));
      }
      if ((s.vaddr - s.offset) % kPage != 0) {
        return Bad(absl::StrCat("segment ", i, " has p_vaddr and p_offset out of step"));
      }
      if (s.memsz) info.loads.push_back(s);
    } else if (p_type == PT_INTERP) {
      if (filesz == 0 || file[offset + filesz - 1] != 0) return Bad("invalid PT_INTERP");
      info.interp = std::string(reinterpret_cast<const char*>(&file[offset]));
    } else if (p_type == PT_PHDR) {
      info.phdr_vaddr = vaddr;
    } else if (p_type == kPtMipsAbiflags && filesz >= 24) {
      info.fp_abi = file[offset + 7];
    }
  }
  if (info.loads.empty()) return Bad("no loadable segments");

  std::vector<ElfSegment> sorted = info.loads;
  std::sort(sorted.begin(), sorted.end(),
            [](const ElfSegment& a, const ElfSegment& b) { return a.vaddr < b.vaddr; });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i - 1].vaddr + sorted[i - 1].memsz > sorted[i].vaddr) {
      return Bad(absl::StrFormat("overlapping segments at 0x%x", sorted[i].vaddr));
    }
  }
  if (!info.phdr_vaddr) {
    // The headers are usually inside the first segment that maps file offset 0.
    for (const ElfSegment& s : info.loads) {
      if (info.phoff >= s.offset && info.phoff < s.offset + s.filesz) {
        info.phdr_vaddr = s.vaddr + (info.phoff - s.offset);
        break;
      }
    }
  }
  if (info.is_dyn && info.max_vaddr() - info.min_vaddr() > 0x40000000u) {
    return Bad("position-independent image larger than 1 GiB");
  }
  return info;
}

}  // namespace mipsrun
