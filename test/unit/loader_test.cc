// ELF validation on hand-made headers, and loading of real guest programs.
#include <elf.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loader/elf_file.h"
#include "loader/loader.h"

namespace mipsrun {
namespace {

// A minimal valid big-endian MIPS32r2 o32 executable: one R+X PT_LOAD of the whole
// file at 0x400000, entry just after the headers.
class ElfBuilder {
 public:
  ElfBuilder() : bytes_(4096, 0) {
    memcpy(bytes_.data(), ELFMAG, SELFMAG);
    bytes_[EI_CLASS] = ELFCLASS32;
    bytes_[EI_DATA] = ELFDATA2MSB;
    bytes_[EI_VERSION] = EV_CURRENT;
    Put16(offsetof(Elf32_Ehdr, e_type), ET_EXEC);
    Put16(offsetof(Elf32_Ehdr, e_machine), EM_MIPS);
    Put32(offsetof(Elf32_Ehdr, e_version), EV_CURRENT);
    Put32(offsetof(Elf32_Ehdr, e_entry), 0x400100);
    Put32(offsetof(Elf32_Ehdr, e_phoff), sizeof(Elf32_Ehdr));
    Put32(offsetof(Elf32_Ehdr, e_flags), 0x70001007);  // mips32r2, o32, pic, cpic, noreorder
    Put16(offsetof(Elf32_Ehdr, e_ehsize), sizeof(Elf32_Ehdr));
    Put16(offsetof(Elf32_Ehdr, e_phentsize), sizeof(Elf32_Phdr));
    Put16(offsetof(Elf32_Ehdr, e_phnum), 1);
    Phdr(0, PT_LOAD, 0, 0x400000, 4096, 4096, PF_R | PF_X, 0x10000);
  }
  void Put16(size_t off, uint16_t v) {
    bytes_[off] = static_cast<uint8_t>(v >> 8);
    bytes_[off + 1] = static_cast<uint8_t>(v);
  }
  void Put32(size_t off, uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes_[off + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
  }
  void Phdr(int i, uint32_t type, uint32_t offset, uint32_t vaddr, uint32_t filesz,
            uint32_t memsz, uint32_t flags, uint32_t align) {
    size_t ph = sizeof(Elf32_Ehdr) + i * sizeof(Elf32_Phdr);
    Put32(ph + offsetof(Elf32_Phdr, p_type), type);
    Put32(ph + offsetof(Elf32_Phdr, p_offset), offset);
    Put32(ph + offsetof(Elf32_Phdr, p_vaddr), vaddr);
    Put32(ph + offsetof(Elf32_Phdr, p_paddr), vaddr);
    Put32(ph + offsetof(Elf32_Phdr, p_filesz), filesz);
    Put32(ph + offsetof(Elf32_Phdr, p_memsz), memsz);
    Put32(ph + offsetof(Elf32_Phdr, p_flags), flags);
    Put32(ph + offsetof(Elf32_Phdr, p_align), align);
  }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

std::string Error(const std::vector<uint8_t>& bytes) {
  absl::StatusOr<ElfInfo> info = ParseElf(bytes);
  return info.ok() ? "ok" : std::string(info.status().message());
}

TEST(ElfTest, AcceptsAMinimalExecutable) {
  ElfBuilder b;
  absl::StatusOr<ElfInfo> info = ParseElf(b.bytes());
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_TRUE(info->big_endian);
  EXPECT_FALSE(info->is_dyn);
  EXPECT_EQ(info->entry, 0x400100u);
  ASSERT_EQ(info->loads.size(), 1u);
  EXPECT_EQ(info->phdr_vaddr, 0x400034u);
}

TEST(ElfTest, RejectsWhatItCannotRun) {
  EXPECT_EQ(Error({'#', '!', '/', 'b'}), "not an ELF file");
  {
    ElfBuilder b;
    b.bytes().resize(40);
    EXPECT_EQ(Error(b.bytes()), "truncated ELF header");
  }
  {
    ElfBuilder b;
    b.bytes()[EI_CLASS] = ELFCLASS64;
    EXPECT_EQ(Error(b.bytes()), "64-bit ELF file (only 32-bit MIPS is supported)");
  }
  {
    ElfBuilder b;
    b.Put16(offsetof(Elf32_Ehdr, e_machine), EM_386);
    EXPECT_EQ(Error(b.bytes()), "not a MIPS executable (e_machine 3)");
  }
  {
    ElfBuilder b;
    b.Put16(offsetof(Elf32_Ehdr, e_type), ET_REL);
    EXPECT_EQ(Error(b.bytes()), "relocatable object, not an executable");
  }
  {
    ElfBuilder b;
    b.Put32(offsetof(Elf32_Ehdr, e_flags), 0x70000027);  // EF_MIPS_ABI2: n32
    EXPECT_EQ(Error(b.bytes()), "n32 ABI objects are not supported (only o32)");
  }
  {
    ElfBuilder b;
    b.Put32(offsetof(Elf32_Ehdr, e_flags), 0x90001007);  // mips32r6
    EXPECT_EQ(Error(b.bytes()), "MIPS Release 6 code is not supported (its encodings differ)");
  }
  {
    ElfBuilder b;
    b.Put32(offsetof(Elf32_Ehdr, e_flags), 0x72001007);  // microMIPS
    EXPECT_EQ(Error(b.bytes()), "MIPS16/microMIPS code is not supported");
  }
  {
    ElfBuilder b;
    b.Put16(offsetof(Elf32_Ehdr, e_phnum), 200);
    EXPECT_EQ(Error(b.bytes()), "truncated program headers");
  }
  {
    ElfBuilder b;
    b.Phdr(0, PT_LOAD, 0, 0x400000, 8192, 8192, PF_R | PF_X, 0x10000);
    EXPECT_EQ(Error(b.bytes()), "truncated file: program header 0 extends past its end");
  }
  {
    ElfBuilder b;
    b.Phdr(0, PT_LOAD, 0, 0x7ffff000, 4096, 0x2000, PF_R, 0x1000);
    EXPECT_EQ(Error(b.bytes()), "segment 0 at 0x7ffff000 lies outside user space");
  }
  {
    ElfBuilder b;
    b.Phdr(0, PT_LOAD, 0, 0x400000, 4096, 100, PF_R, 0x1000);
    EXPECT_EQ(Error(b.bytes()), "segment 0 has p_filesz > p_memsz");
  }
  {
    ElfBuilder b;
    b.Phdr(0, PT_LOAD, 0x10, 0x400000, 16, 16, PF_R, 0x1000);
    EXPECT_EQ(Error(b.bytes()), "segment 0 has p_vaddr and p_offset out of step");
  }
  {
    ElfBuilder b;
    b.Put16(offsetof(Elf32_Ehdr, e_phnum), 2);
    b.Phdr(1, PT_LOAD, 0x800, 0x400800, 16, 16, PF_R, 0x1000);
    EXPECT_EQ(Error(b.bytes()), "overlapping segments at 0x400800");
  }
  {
    ElfBuilder b;
    b.Phdr(0, PT_NOTE, 0, 0, 0, 0, 0, 0);
    EXPECT_EQ(Error(b.bytes()), "no loadable segments");
  }
}

std::string Guest(const char* endian, const char* name) {
  return std::string(GUEST_OUT) + "/" + endian + "/" + name;
}

TEST(LoaderTest, ReadsRealProgramsOfBothByteOrders) {
  absl::StatusOr<ElfImage> be = ReadElfImage(Guest("be", "arith"));
  ASSERT_TRUE(be.ok()) << be.status();
  EXPECT_TRUE(be->info.big_endian);
  absl::StatusOr<ElfImage> le = ReadElfImage(Guest("le", "arith"));
  ASSERT_TRUE(le.ok()) << le.status();
  EXPECT_FALSE(le->info.big_endian);
  absl::StatusOr<ElfImage> pie = ReadElfImage(Guest("le", "pie_start"));
  ASSERT_TRUE(pie.ok()) << pie.status();
  EXPECT_TRUE(pie->info.is_dyn);
  absl::StatusOr<ElfImage> missing = ReadElfImage("/nonexistent/prog");
  EXPECT_EQ(missing.status().message(), "/nonexistent/prog: No such file or directory");
}

TEST(LoaderTest, BuildsTheKernelsInitialStack) {
  for (const char* endian : {"be", "le"}) {
    absl::StatusOr<ElfImage> image = ReadElfImage(Guest(endian, "arith"));
    ASSERT_TRUE(image.ok());
    auto mem = *GuestMemory::Create(image->info.big_endian);
    LoadRequest req;
    req.argv = {"prog", "a1"};
    req.envp = {"A=1", "B=2", "C=3"};
    req.execfn = "./prog";
    absl::StatusOr<LoadedProgram> loaded = LoadProgram(*image, req, *mem);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    uint32_t sp = loaded->sp;
    EXPECT_EQ(sp % 16, 0u);
    EXPECT_EQ(loaded->entry, image->info.entry);
    EXPECT_EQ(mem->Read32(sp), 2u);  // argc
    std::string s;
    ASSERT_TRUE(mem->ReadString(mem->Read32(sp + 4), &s));
    EXPECT_EQ(s, "prog");
    ASSERT_TRUE(mem->ReadString(mem->Read32(sp + 8), &s));
    EXPECT_EQ(s, "a1");
    EXPECT_EQ(mem->Read32(sp + 12), 0u);
    ASSERT_TRUE(mem->ReadString(mem->Read32(sp + 16), &s));
    EXPECT_EQ(s, "A=1");
    EXPECT_EQ(mem->Read32(sp + 28), 0u);  // end of envp
    std::map<uint32_t, uint32_t> aux;
    for (uint32_t a = sp + 32;; a += 8) {
      uint32_t key = mem->Read32(a);
      if (key == AT_NULL) break;
      aux[key] = mem->Read32(a + 4);
    }
    EXPECT_EQ(aux[AT_PAGESZ], 4096u);
    EXPECT_EQ(aux[AT_PHENT], 32u);
    EXPECT_EQ(aux[AT_PHNUM], image->info.phnum);
    EXPECT_EQ(aux[AT_ENTRY], image->info.entry);
    EXPECT_EQ(aux[AT_BASE], 0u);
    // AT_PHDR points at the program headers in guest memory: the first one's type.
    uint32_t first_type = 0;
    memcpy(&first_type, image->bytes().data() + image->info.phoff, 4);
    EXPECT_EQ(*reinterpret_cast<uint32_t*>(mem->Host(aux[AT_PHDR])), first_type);
    ASSERT_TRUE(mem->ReadString(aux[AT_EXECFN], &s));
    EXPECT_EQ(s, "./prog");
    ASSERT_TRUE(mem->ReadString(aux[AT_PLATFORM], &s));
    EXPECT_EQ(s, "mips");
    EXPECT_TRUE(mem->IsMapped(aux[AT_RANDOM]));
    EXPECT_GT(aux[AT_RANDOM], sp);
    // The heap starts on the page after the highest segment.
    EXPECT_EQ(mem->brk_start, PageUp(image->info.max_vaddr()));
    // .bss is zero and writable; text is not writable.
    EXPECT_TRUE(mem->CheckRange(image->info.max_vaddr() - 4, 4, true));
    EXPECT_FALSE(mem->CheckRange(image->info.entry, 4, true));
    EXPECT_TRUE(mem->CheckRange(image->info.entry, 4, false));
  }
}

// Segments are mapped from the file as the kernel's elf_map does: a segment's first
// page holds the file's bytes before it too, its last file page the bytes after it
// unless .bss begins there; segments that share a page are read into zeroed pages.
TEST(LoaderTest, MapsSegmentsFromTheFile) {
  ElfBuilder b;
  b.bytes().resize(0x3000);
  for (size_t i = 0x100; i < b.bytes().size(); ++i) b.bytes()[i] = static_cast<uint8_t>(i * 7 + 1);
  b.Put16(offsetof(Elf32_Ehdr, e_phnum), 4);
  b.Phdr(0, PT_LOAD, 0, 0x400000, 0x800, 0x800, PF_R | PF_X, 0x1000);          // alone
  b.Phdr(1, PT_LOAD, 0x1100, 0x411100, 0x100, 0x200, PF_R | PF_W, 0x1000);     // shares
  b.Phdr(2, PT_LOAD, 0x1400, 0x411400, 0x100, 0x100, PF_R | PF_W, 0x1000);     // a page
  b.Phdr(3, PT_LOAD, 0x2180, 0x420180, 0x80, 0x1000, PF_R | PF_W, 0x1000);     // alone, .bss
  std::string path = testing::TempDir() + "/mapped_segments";
  FILE* f = fopen(path.c_str(), "wb");
  ASSERT_TRUE(f);
  fwrite(b.bytes().data(), 1, b.bytes().size(), f);
  fclose(f);
  absl::StatusOr<ElfImage> image = ReadElfImage(path);
  ASSERT_TRUE(image.ok()) << image.status();
  auto mem = *GuestMemory::Create(true);
  LoadRequest req;
  req.argv = {"p"};
  req.execfn = "p";
  ASSERT_TRUE(LoadProgram(*image, req, *mem).ok());
  const std::vector<uint8_t>& file = b.bytes();
  auto at = [&](uint32_t addr) { return *mem->Host(addr); };
  EXPECT_EQ(memcmp(mem->Host(0x400000), ELFMAG, SELFMAG), 0);
  EXPECT_EQ(at(0x400400), file[0x400]);
  EXPECT_EQ(at(0x400900), file[0x900]);  // past filesz, no .bss: the file's bytes
  EXPECT_FALSE(mem->CheckRange(0x400000, 4, true));
  EXPECT_EQ(at(0x411000), 0);  // shared page: only the segments' bytes
  EXPECT_EQ(at(0x411100), file[0x1100]);
  EXPECT_EQ(at(0x4111ff), file[0x11ff]);
  EXPECT_EQ(at(0x411200), 0);
  EXPECT_EQ(at(0x411400), file[0x1400]);
  EXPECT_EQ(at(0x411500), 0);
  EXPECT_EQ(at(0x420000), file[0x2000]);  // before the segment on its first page
  EXPECT_EQ(at(0x420180), file[0x2180]);
  EXPECT_EQ(at(0x4201ff), file[0x21ff]);
  for (uint32_t a = 0x420200; a < 0x421180; ++a) ASSERT_EQ(at(a), 0) << std::hex << a;
  EXPECT_TRUE(mem->CheckRange(0x420000, 0x1180, true));
  // Writes stay private to the guest.
  *mem->Host(0x420180) = 0x55;
  image = absl::StatusOr<ElfImage>(ElfImage());
  EXPECT_EQ(ReadElfImage(path)->bytes()[0x2180], file[0x2180]);
  remove(path.c_str());
}

TEST(LoaderTest, PlacesPositionIndependentImagesAtTheEtDynBase) {
  absl::StatusOr<ElfImage> image = ReadElfImage(Guest("be", "pie_start"));
  ASSERT_TRUE(image.ok());
  auto mem = *GuestMemory::Create(true);
  LoadRequest req;
  req.argv = {"pie"};
  req.execfn = "pie";
  absl::StatusOr<LoadedProgram> loaded = LoadProgram(*image, req, *mem);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->load_bias + image->info.min_vaddr(), kEtDynBase);
  EXPECT_EQ(loaded->entry, image->info.entry + loaded->load_bias);
  EXPECT_TRUE(mem->IsExecutable(loaded->entry));
}

}  // namespace
}  // namespace mipsrun
