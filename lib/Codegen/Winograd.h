//===- Winograd.h - Winograd's minimal filtering for 3x3 convs --*- C++ -*-===//
//
// Private to lib/Codegen. A stride-1 3x3 dense conv computed as F(m x m,
// 3 x 3): each m x m tile of outputs comes from an (m+2) x (m+2) tile of
// inputs through three transforms (Lavin and Gray, "Fast Algorithms for
// Convolutional Neural Networks", 2016):
//
//   V = B^T d B     per input channel and tile    (input transform)
//   U = G g G^T     per weight, at compile time   (filter transform)
//   M = sum_i U V   per output channel and tile   (one matrix product per
//                                                  point of the tile)
//   Y = A^T M A                                   (output transform)
//
// The products do (m+2)^2 / (9 m^2) of direct convolution's
// multiply-accumulates: 4/9 for m = 2, 1/4 for m = 4. The transforms round
// differently from direct convolution; docs/decisions.md has the error
// each tile size showed against the reference.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_WINOGRAD_H
#define CNNC_LIB_CODEGEN_WINOGRAD_H

#include "Stage.h"

#include <functional>
#include <vector>

namespace cnnc::codegen {

/// The transform matrices of F(m x m, 3 x 3), row-major.
struct WinogradTransform {
  int m = 0;                   // outputs per tile side
  int alpha = 0;               // inputs per tile side: m + 2
  std::vector<double> inputT;  // B^T: alpha x alpha
  std::vector<double> filter;  // G: alpha x 3
  std::vector<double> outputT; // A^T: m x alpha
};

/// The transforms for m = 2 or m = 4.
const WinogradTransform &winogradTransform(int m);

/// An OIHW 3x3 weight `[out, in, 3, 3]` transformed to U = G g G^T, in
/// tiles of kChannelPad outputs: (output in tile, in, ax, ay, tile), where
/// ax transforms along x (kernel columns) and ay along y (rows). One
/// point's register tile of outputs then streams one contiguous block.
Halide::Buffer<float> packWinogradWeights(const std::vector<float> &oihw,
                                          int64_t outChannels,
                                          int64_t inChannels,
                                          const WinogradTransform &t);

/// Per row i < `rows` of the row-major `matrix` (`width` columns): the sum
/// of matrix[i][k] * term(k) over the row's nonzero entries, with 1 and -1
/// as additions and subtractions. A transform along one axis gives one
/// value per row; Halide::mux picks among them.
std::vector<Halide::Expr>
transformRows(const std::vector<double> &matrix, int rows, int width,
              const std::function<Halide::Expr(int)> &term);

/// The tile size m for a stride-1 3x3 dense conv of `info`'s shape, or 0
/// for direct convolution: where Winograd was measured faster, or with
/// `every`, wherever it applies.
int chooseWinogradTile(const ConvInfo &info, bool every);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_WINOGRAD_H
