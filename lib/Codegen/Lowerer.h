//===- Lowerer.h - The state of lowering one model --------------*- C++ -*-===//
//
// Private to lib/Codegen. The Lowerer walks the model's ops and turns each
// into Halide Funcs over the channel-innermost layout (Stage.h). Its core
// (Lowering.cpp) dispatches on the op with a TypeSwitch and manages values,
// weights and stages; each op family lowers in its own file:
//
//   LowerConv.cpp         conv2d
//   LowerNorm.cpp         batch_norm, layer_norm
//   LowerPool.cpp         max_pool2d, avg_pool2d, adaptive_avg_pool2d
//   LowerElementwise.cpp  activations, add, mul
//   LowerShape.cpp        flatten, reshape, concat
//   LowerLinear.cpp       linear, softmax
//   LowerQuant.cpp        quantize, dequantize, qconv2d, lookup_table
//   LowerQuantAmx.cpp     qconv2d on AMX tiles (the model runtime's kernel)
//   LowerQuantInFloat.cpp a stem's qconv2d as an exact f32 conv
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_LOWERER_H
#define CNNC_LIB_CODEGEN_LOWERER_H

#include "Lowering.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

namespace cnnc::quant {
struct Params;
} // namespace cnnc::quant

namespace cnnc::codegen {

/// The static shape of a ranked tensor value.
std::vector<int64_t> shapeOf(mlir::Value value);

/// Where NCHW dimension `dim` of a rank-`rank` tensor sits among the Func's
/// arguments: (c, w, h, n) for rank 4, reversed dims otherwise.
size_t argPosition(size_t rank, size_t dim);

/// Func arguments from an index given in NCHW order.
std::vector<Halide::Expr> toArgs(const std::vector<Halide::Expr> &nchw);

/// An error located at `op`, naming it.
llvm::Error errorAt(mlir::Operation *op, const llvm::Twine &message);

/// Entry `index` of an int8 conv's per-channel parameters for output
/// channel `o`, whose weights sum to `weightSum` (LowerQuant.cpp).
void setChannelParams(int index, int64_t o, int64_t weightSum,
                      llvm::ArrayRef<float> bias, const quant::Params &in,
                      llvm::ArrayRef<float> weightScales, float outScale,
                      Halide::Buffer<int32_t> &start,
                      Halide::Buffer<float> &multiplier);

/// `real` rounded half to even and saturated to u8 after adding
/// `zeroPoint`, as quant::quantize and quant::requantize compute it
/// (LowerQuant.cpp).
Halide::Expr saturateToU8(Halide::Expr real, int32_t zeroPoint);

/// `real` quantized as `op` quantizes it (LowerQuant.cpp).
Halide::Expr quantized(cnn::QuantizeOp op, Halide::Expr real);

/// The scale int8 conv `op`'s multipliers take its accumulator to: its
/// output's, or 1 where it writes f32 (the accumulator's real value).
float outputScaleOf(cnn::QConv2DOp op);

/// Int8 conv `op`'s output from `scaled`, an f32 accumulator times its
/// channel's multiplier: requantized to u8, or that f32 value (LowerQuant.cpp).
Halide::Expr convOutput(cnn::QConv2DOp op, Halide::Expr scaled);

/// Whether dense qconv2d `op` with i8 `weight` runs as an f32 conv of its
/// u8 input: one of at most 4 input channels (a stem on RGB), whose dot
/// products of 4 channels would hold 3 and run without VNNI (Build.cpp),
/// and whose every partial sum of u8 x i8 products is an integer under
/// 2^24, which f32 holds exactly. ResNet-18's QDQ stem (3 -> 64, 7x7) took
/// 0.73 ms as dot products, 0.52 ms so (Zen 5); a kernel that large now
/// has its columns folded into the channels (Lowerer::foldsColumns).
bool exactInFloat(cnn::QConv2DOp op, llvm::ArrayRef<int8_t> weight);

/// A lowered value: its Func (internal layout) and NCHW shape; for the
/// result of an earlier stage, the activation it reads.
struct Tensor {
  Halide::Func func;
  std::vector<int64_t> shape;
  int activation = -1;
};

/// What an op lowers to: its result Func and the kind of stage it makes
/// when it stands alone (not inside a fused group).
struct OpResult {
  Stage::Kind kind;
  Halide::Func func;
};

class Lowerer {
public:
  explicit Lowerer(const LoweringOptions &options) : options(options) {}
  llvm::Expected<LoweredModel> run(mlir::func::FuncOp func);

private:
  llvm::Error lower(mlir::Operation *op);
  llvm::Error lowerGroup(cnn::GroupOp group);
  /// Finishes the top-level op or group `op`: a root Func named after it,
  /// whose result later stages read as an activation. The root Func is
  /// named `base`_N: `group_<kind>` for fused groups, the op's name
  /// otherwise, so kernels say what they compute.
  void addStage(Stage::Kind kind, mlir::Operation *op, Stage stage,
                llvm::StringRef base);
  /// What the stage's kernel depends on, its ops, the layer name users
  /// know and its MACs (Stage::structure, ops, layer, macs).
  void describeStage(mlir::Operation *op, Stage &stage);
  /// Makes `stage`'s output an activation that later stages read as
  /// `result`, and appends the stage.
  void finishStage(Stage stage, mlir::Value result);
  /// A layout change at the model's edges, named `name`, writing `output`.
  Stage layoutStage(llvm::StringRef name, Halide::Func output,
                    const std::vector<int64_t> &shape) const;
  /// The entry and exit stages: layout changes at the model's edges. The
  /// entry takes in the quantize that is its input's only reader, if any,
  /// and returns it (the op then needs no stage of its own).
  mlir::Operation *addEntry(mlir::Value argument);
  llvm::Error addExit(mlir::Operation *user, mlir::Value result);

  // The op families, one file each.
  llvm::Expected<OpResult> lowerConv(cnn::Conv2DOp op);
  llvm::Expected<Halide::Func> convReduction(cnn::Conv2DOp op, ConvInfo &info);
  /// Defines `info.conv`: a direct conv of `info.padded` (shape, groups in
  /// `info`) by OIHW `weight`, initialised with `bias`.
  void directConv(ConvInfo &info, const std::vector<float> &weight,
                  Halide::Func bias, llvm::ArrayRef<int64_t> stride,
                  llvm::ArrayRef<int64_t> pad, llvm::ArrayRef<int64_t> dil);
  /// The Winograd tile size for `op` (0: direct convolution); marks
  /// `info` eligible where the algorithm applies.
  int winogradTile(cnn::Conv2DOp op, ConvInfo &info) const;
  /// Defines `info.winograd` for F(m x m, 3 x 3) over `info.padded`.
  void winogradConv(ConvInfo &info, const std::vector<float> &weight, int m,
                    int64_t padX, int64_t padY);
  llvm::Expected<OpResult> lowerBatchNorm(cnn::BatchNormOp bn);
  llvm::Expected<OpResult> lowerLayerNorm(cnn::LayerNormOp ln);
  llvm::Expected<OpResult> lowerGroupNorm(cnn::GroupNormOp gn);
  llvm::Expected<OpResult> lowerMaxPool(cnn::MaxPool2DOp pool);
  llvm::Expected<OpResult> lowerAvgPool(cnn::AvgPool2DOp pool);
  llvm::Expected<OpResult> lowerAdaptiveAvgPool(cnn::AdaptiveAvgPool2DOp pool);
  llvm::Expected<OpResult>
  lowerActivation(cnn::ActivationOpInterface activation);
  /// add and mul.
  llvm::Expected<OpResult> lowerBinary(mlir::Operation *op);
  llvm::Expected<OpResult> lowerSelect(cnn::SelectOp select);
  /// `in` read at the output coordinates `nchw`, broadcast NumPy-style.
  Halide::Expr broadcastRead(const Tensor &in,
                             llvm::ArrayRef<Halide::Expr> nchw);
  /// flatten and reshape.
  llvm::Expected<OpResult> lowerReshape(mlir::Operation *op);
  llvm::Expected<OpResult> lowerConcat(cnn::ConcatOp concat);
  llvm::Expected<OpResult> lowerExpand(cnn::ExpandOp expand);
  llvm::Expected<OpResult> lowerPad(cnn::PadOp pad);
  llvm::Expected<OpResult> lowerSlice(cnn::SliceOp slice);
  llvm::Expected<OpResult> lowerDepthToSpace(cnn::DepthToSpaceOp op);
  llvm::Expected<OpResult> lowerSpaceToDepth(cnn::SpaceToDepthOp op);
  llvm::Expected<OpResult> lowerTranspose(cnn::TransposeOp op);
  llvm::Expected<OpResult> lowerResize(cnn::ResizeOp op);
  llvm::Expected<OpResult> lowerConvTranspose(cnn::ConvTranspose2DOp op);
  llvm::Expected<OpResult> lowerChannelShuffle(cnn::ChannelShuffleOp shuffle);
  llvm::Expected<OpResult> lowerLinear(cnn::LinearOp linear);
  // Int8 (LowerQuant.cpp).
  llvm::Expected<OpResult> lowerQuantize(cnn::QuantizeOp op);
  llvm::Expected<OpResult> lowerDequantize(cnn::DequantizeOp op);
  llvm::Expected<OpResult> lowerQConv(cnn::QConv2DOp op);
  llvm::Expected<OpResult> lowerLookupTable(cnn::LookupTableOp op);
  /// Whether dense qconv2d `op` runs on AMX tiles, as a call of the model
  /// runtime's kernel: a stage of its own, whose fused epilogue, if any,
  /// becomes an elementwise stage after it.
  bool qconvOnAmx(cnn::QConv2DOp op);
  /// Whether an int8 conv of `groups` and weight shape `w` on an input
  /// `inW` wide folds its kernel columns into its channels.
  bool foldsColumns(int64_t groups, llvm::ArrayRef<int64_t> w,
                    int64_t inW) const;
  /// A dense qconv2d that is a stage of its own, as a call of the model
  /// runtime's AMX kernel.
  llvm::Expected<OpResult> lowerQConvAmx(cnn::QConv2DOp op, const Tensor &input,
                                         llvm::ArrayRef<int8_t> weight,
                                         llvm::ArrayRef<float> bias);
  /// A dense qconv2d of few input channels as an f32 conv whose values are
  /// the integers the int8 conv multiplies (exactInFloat), bit for bit.
  llvm::Expected<OpResult> lowerQConvInFloat(cnn::QConv2DOp op,
                                             const Tensor &input,
                                             llvm::ArrayRef<int8_t> weight,
                                             llvm::ArrayRef<float> bias);
  /// A qconv2d with one channel per group (depthwise), its input, i8
  /// weights and bias.
  llvm::Expected<OpResult> lowerQDepthwise(cnn::QConv2DOp op,
                                           const Tensor &input,
                                           llvm::ArrayRef<int8_t> weight,
                                           llvm::ArrayRef<float> bias);
  /// softmax or log_softmax of `op`'s input along `axis`.
  llvm::Expected<OpResult> lowerSoftmax(mlir::Operation *op, int64_t axis,
                                        bool log);
  /// Any reduce_* op: `kind` over `axes` of its input.
  llvm::Expected<OpResult> lowerReduce(mlir::Operation *op,
                                       llvm::ArrayRef<int64_t> axes,
                                       bool keepdim, cnn::Reduction kind);

  /// The NCHW index variables of a rank-`rank` tensor, and the Func
  /// arguments they form.
  std::vector<Halide::Var> argVars(size_t rank) const;
  std::vector<Halide::Expr> nchwOf(const std::vector<Halide::Var> &args) const;

  std::string uniqueName(llvm::StringRef base) {
    return (base + "_" + llvm::Twine(counter++)).str();
  }
  llvm::Expected<Tensor> get(mlir::Operation *user, mlir::Value value);
  /// `t` read outside its bounds as `value`. With `spatialOnly`, channels
  /// and images are read unchecked: an op whose output channel c reads
  /// input channel c (depthwise convs, pools) rounds its channel tiles up
  /// past the channels, and the memory plan widens its input to match. A
  /// bound on channels there made Halide clamp each lane of a vector load
  /// (a gather) wherever the tiles did not divide the channels.
  Halide::Func zeroPadded(const Tensor &t,
                          Halide::Expr value = Halide::Expr(0.0f),
                          bool spatialOnly = false);
  /// The rank-4 `t` read outside its rows and columns as `values(c)`.
  Halide::Func paddedPerChannel(const Tensor &t, Halide::Func values,
                                bool spatialOnly);
  llvm::Expected<std::vector<float>> constant(mlir::Operation *user,
                                              mlir::Value value);
  /// Per-channel values, padded with zeros, as a weight parameter.
  Halide::Func perChannel(const std::vector<float> &values,
                          llvm::StringRef name);
  /// A conv's bias as a per-channel parameter: `bias`'s values, or
  /// `channels` zeros without one.
  llvm::Expected<Halide::Func> biasOf(mlir::Operation *op, mlir::Value bias,
                                      int64_t channels);
  /// Registers a repacked constant as a weight parameter of the current
  /// stage's pipeline, with its exact dense shape (so Halide compiles for
  /// it), and returns the Func that reads it.
  Halide::Func param(Halide::Buffer<> buffer, llvm::StringRef name);
  /// The same parameter itself, for an extern stage's arguments.
  Halide::ImageParam weightParam(Halide::Buffer<> buffer, llvm::StringRef name);

  LoweringOptions options;
  Vars v;
  int counter = 0;
  /// The layer name of the last stage, for naming stages without weights.
  std::string lastLayer = "input";
  llvm::DenseMap<mlir::Value, Tensor> values;
  LoweredModel model;
  /// The stage being filled: a fused group's, or a lone op's.
  Stage *currentStage = nullptr;
};

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_LOWERER_H
