//===- WeightPacking.h - Weights in the order schedules read ----*- C++ -*-===//
//
// Private to lib/Codegen. Bound weights arrive in PyTorch's layout (OIHW,
// [out, in]); schedules read output channels innermost, zero-padded to a
// multiple of kChannelPad so channel loops may round up to whole register
// tiles without reading past a buffer. Each function returns the repacked
// buffer; lowering registers it as a pipeline parameter.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_WEIGHTPACKING_H
#define CNNC_LIB_CODEGEN_WEIGHTPACKING_H

#include "Stage.h"

#include <array>
#include <vector>

namespace cnnc::codegen {

/// Sets every element of the freshly allocated (dense) `buffer` to 0.
/// Halide 14's Buffer::fill steps a pointer past the end on its last
/// iteration, which UBSan reports as pointer overflow.
void zeroFill(Halide::Buffer<float> &buffer);

/// An OIHW conv weight `[out, in / groups, kh, kw]` in blocks of
/// kConvWeightBlock outputs, kChannelPad-padded: (output in block, i, kx,
/// ky, block). A register tile of output channels then streams one or two
/// contiguous blocks; with all output channels innermost, rows 2^k floats
/// apart fell into a few cache sets (ResNet-50's 1024->2048 1x1 conv ran at
/// 16% of peak).
Halide::Buffer<float> packConvWeights(const std::vector<float> &oihw,
                                      std::array<int64_t, 4> shape);

/// A depthwise conv weight `[C, 1, kh, kw]` as (c, kx, ky).
Halide::Buffer<float> packDepthwiseWeights(const std::vector<float> &oihw,
                                           std::array<int64_t, 4> shape);

/// A linear weight `[out, in]` in tiles of kChannelPad outputs:
/// (output in tile, in, tile), so a tile of outputs streams one contiguous
/// block.
Halide::Buffer<float> packLinearWeights(const std::vector<float> &weight,
                                        int64_t outFeatures,
                                        int64_t inFeatures);

/// Per-channel values, zero-padded to a multiple of kChannelPad.
Halide::Buffer<float> packPerChannel(const std::vector<float> &values);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_WEIGHTPACKING_H
