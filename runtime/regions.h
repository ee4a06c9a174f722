// Region formation: which blocks go to the translator with a hot block.
#ifndef MIPSRUN_RUNTIME_REGIONS_H_
#define MIPSRUN_RUNTIME_REGIONS_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/functional/function_ref.h"
#include "runtime/block_cache.h"
#include "translator/translator.h"

namespace mipsrun {

inline constexpr size_t kMaxRegionBlocks = 32;
// For regions formed again once start-up is over (runtime/tier2.h), from counts that
// know more of the paths the code takes.
inline constexpr size_t kMaxRevisedRegionBlocks = 128;

// The region entered at `head`: the head, then, hottest first, blocks that ran about as
// often and that the region's blocks lead to (direct branches, fall-through, a call's
// return point) or that lead into it; none that is already the entry of a translation
// or pending in another region; at most `max_blocks`. Loops thus come whole, with the
// paths they actually take (a switch's cases too), and LLVM keeps guest registers in
// host registers across their blocks. Other targets become exits, with the entry cell
// `cell_for` gives, so the code chains to them once they are compiled.
std::unique_ptr<RegionSpec> FormRegion(const BlockCache& cache, const Block& head,
                                       bool big_endian, bool fr, size_t max_blocks,
                                       absl::FunctionRef<EntryCell*(uint32_t)> cell_for);

// A region of `block` alone (--jit=eager).
// Both build code for byte order `big_endian` and the FPU register mode `fr`.
std::unique_ptr<RegionSpec> SingleBlockRegion(const Block& block, bool big_endian, bool fr,
                                              absl::FunctionRef<EntryCell*(uint32_t)> cell_for);

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_REGIONS_H_
