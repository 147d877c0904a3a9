//===- ConvTransposeAsShuffle.cpp - Transposed convs as conv + shuffle ----===//
//
// A transposed conv of stride s (dilation 1, one group) is s * s ordinary
// convs, one per output phase: output row Y with Y + top = q * s + i gets
// input row q - m through kernel row i + m * s, for m = 0 .. M - 1 with
// M = ceil(k / s) (rows past the kernel weigh 0). So it is one conv of
// M x M taps (flipped, M - 1 rows of padding before) to O * s * s
// channels, channel (o * s + i) * s + j, then depth_to_space in CRD order
// interleaving the phases and a slice dropping the `top` rows (and `left`
// columns) the transposed conv crops. A U-Net's 2x2, stride 2 up-conv is
// the case M = 1: a 1x1 conv and a PixelShuffle. The conv runs on the
// dense conv schedules. Exact up to summation order.
//
//===----------------------------------------------------------------------===//

#include "WeightRewrites.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Weights/ConstantData.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace cnnc {
#define GEN_PASS_DEF_CNNCONVTRANSPOSEASSHUFFLE
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;
using namespace cnnc;
using namespace cnnc::cnn;

namespace {

struct ConvTransposeAsShuffle : OpRewritePattern<ConvTranspose2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvTranspose2DOp up,
                                PatternRewriter &rewriter) const override {
    auto inType = llvm::cast<RankedTensorType>(up.getInput().getType());
    auto outType = llvm::cast<RankedTensorType>(up.getType());
    auto weightType = llvm::cast<RankedTensorType>(up.getWeight().getType());
    const int64_t in = weightType.getDimSize(0), out = weightType.getDimSize(1);
    const int64_t kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);
    const int64_t s = up.getStride()[0];
    ArrayRef<int64_t> padding = up.getPadding();
    if (up.getStride()[1] != s || s < 2)
      return rewriter.notifyMatchFailure(up, "strides differ or are 1");
    if (up.getGroups() != 1 ||
        llvm::any_of(up.getDilation(), [](int64_t d) { return d != 1; }))
      return rewriter.notifyMatchFailure(up, "groups or dilation");
    // Taps per phase, and the conv's output rows and columns: enough
    // for the output after the crop.
    const int64_t m = (std::max(kh, kw) + s - 1) / s;
    const int64_t rows = (padding[0] + outType.getDimSize(2) + s - 1) / s;
    const int64_t cols = (padding[1] + outType.getDimSize(3) + s - 1) / s;
    const int64_t padBottom = rows - inType.getDimSize(2);
    const int64_t padRight = cols - inType.getDimSize(3);
    if (padBottom < 0 || padRight < 0)
      return rewriter.notifyMatchFailure(up, "output smaller than the input");
    std::optional<std::vector<float>> weight = constantValues(up.getWeight());
    if (!weight)
      return rewriter.notifyMatchFailure(up, "weight is not a constant");
    std::optional<std::vector<float>> bias;
    if (Value b = up.getBias()) {
      bias = constantValues(b);
      if (!bias)
        return rewriter.notifyMatchFailure(up, "bias is not a constant");
    }
    // W[c, o, ky, kx] to [O * s * s, C, M, M]: channel (o * s + i) * s + j,
    // tap (ty, tx) is kernel (i + (M - 1 - ty) * s, j + (M - 1 - tx) * s).
    const int64_t phases = out * s * s;
    std::vector<float> dense(phases * in * m * m, 0.0f);
    for (int64_t o = 0; o < out; ++o)
      for (int64_t i = 0; i < s; ++i)
        for (int64_t j = 0; j < s; ++j)
          for (int64_t c = 0; c < in; ++c)
            for (int64_t ty = 0; ty < m; ++ty)
              for (int64_t tx = 0; tx < m; ++tx) {
                const int64_t ky = i + (m - 1 - ty) * s,
                              kx = j + (m - 1 - tx) * s;
                if (ky >= kh || kx >= kw)
                  continue;
                const int64_t phase = (o * s + i) * s + j;
                dense[((phase * in + c) * m + ty) * m + tx] =
                    (*weight)[((c * out + o) * kh + ky) * kw + kx];
              }
    std::string name = derivedWeightName(up.getWeight(), "", "upconv");
    const bool asBlob = isBlobConstant(up.getWeight());
    Location loc = up.getLoc();
    Type f32 = weightType.getElementType();
    Value denseWeight = makeConstant(
        rewriter, loc, RankedTensorType::get({phases, in, m, m}, f32), dense,
        name + ".phases", asBlob);
    Value denseBias;
    if (bias) {
      std::vector<float> repeated(phases);
      for (int64_t phase = 0; phase < phases; ++phase)
        repeated[phase] = (*bias)[phase / (s * s)];
      denseBias =
          makeConstant(rewriter, loc, RankedTensorType::get({phases}, f32),
                       repeated, name + ".phases_bias", asBlob);
    }
    const int64_t n = inType.getDimSize(0);
    auto conv = Conv2DOp::create(
        rewriter, loc, RankedTensorType::get({n, phases, rows, cols}, f32),
        up.getInput(), denseWeight, denseBias, ArrayRef<int64_t>{1, 1},
        ArrayRef<int64_t>{m - 1, m - 1, padBottom, padRight},
        ArrayRef<int64_t>{1, 1}, uint64_t(1),
        /*padding_values=*/DenseF32ArrayAttr());
    Value y = DepthToSpaceOp::create(
        rewriter, loc, RankedTensorType::get({n, out, rows * s, cols * s}, f32),
        conv.getResult(), uint64_t(s), rewriter.getStringAttr("crd"));
    // Drop the rows and columns the transposed conv crops.
    for (int d = 0; d < 2; ++d) {
      const int64_t start = padding[d], size = outType.getDimSize(2 + d);
      auto shape =
          llvm::to_vector(llvm::cast<RankedTensorType>(y.getType()).getShape());
      if (start == 0 && size == shape[2 + d])
        continue;
      shape[2 + d] = size;
      y = SliceOp::create(rewriter, loc, RankedTensorType::get(shape, f32), y,
                          uint64_t(2 + d), uint64_t(start),
                          uint64_t(start + size));
    }
    rewriter.replaceOp(up, y);
    return success();
  }
};

struct ConvTransposeAsShufflePass
    : public cnnc::impl::CNNConvTransposeAsShuffleBase<
          ConvTransposeAsShufflePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConvTransposeAsShuffle>(&getContext());
    if (failed(applyKeepingConstants(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
