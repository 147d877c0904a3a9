//===- OnnxOpTable.cpp - The ONNX op types CNNC translates ----------------===//
//
// One row per ONNX op type: the opsets whose definition of it the handler
// reads, what it becomes in the cnn dialect, its handler, whether it may
// read an NHWC tensor and how many inputs it must name (1 unless given).
// Adding an op is a handler in its family's file and a row here; the
// supported-op check, `cnn-import --list-ops` and docs/onnx-ops.md follow
// from the table.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace cnnc;
using namespace cnnc::onnximport;

namespace {

/// The newest opset whose changes the handlers know: 18 (what PyTorch 2's
/// dynamo exporter writes; Debian's ONNX 1.12 and PyTorch 1.13 stop at
/// 17). Opset 18 moved the Reduce ops' axes to an input and added
/// attributes to Resize, Split and Pad, GroupNormalization and Mish; an op
/// whose definition changes after it gets a new row then.
constexpr int64_t kNewest = 18;

// clang-format off
const OnnxOpRow kTable[] = {
  {"Abs", 7, kNewest, &Importer::activation, "cnn.abs", true},
  {"Add", 7, kNewest, &Importer::add,
   "cnn.add (a constant over channels broadcasts as [C, 1, 1])", true, 2},
  {"And", 7, kNewest, &Importer::compare, "cnn.mul of two masks", false, 2},
  {"ArgMax", 7, kNewest, &Importer::argReduce,
   "cnn.argmax (the first maximum; indices as f32 values)"},
  {"ArgMin", 7, kNewest, &Importer::argReduce,
   "cnn.argmin (the first minimum; indices as f32 values)"},
  {"AveragePool", 7, kNewest, &Importer::pool, "cnn.avg_pool2d"},
  {"BatchNormalization", 7, kNewest, &Importer::batchNorm,
   "cnn.batch_norm (eval mode)", false, 5},
  {"Cast", 7, kNewest, &Importer::hostOp,
   "a constant (of constants, to float32, int32 or int64)"},
  {"Celu", 12, kNewest, &Importer::activation, "cnn.celu", true},
  {"Clip", 7, kNewest, &Importer::clip,
   "cnn.relu6 (0, 6), cnn.relu (0, none), else cnn.clip", true},
  {"Concat", 7, kNewest, &Importer::concat,
   "cnn.concat, or a constant (of constants)"},
  {"Constant", 7, kNewest, &Importer::hostOp, "a constant", false, 0},
  {"ConstantOfShape", 9, kNewest, &Importer::hostOp,
   "a constant (of a constant shape)"},
  {"Conv", 7, kNewest, &Importer::conv,
   "cnn.conv2d (a Pad before it folds into its padding)", false, 2},
  {"ConvTranspose", 7, kNewest, &Importer::convTranspose,
   "cnn.conv_transpose2d", false, 2},
  {"DepthToSpace", 7, kNewest, &Importer::depthToSpace,
   "cnn.depth_to_space (DCR, or CRD: PixelShuffle)"},
  {"DequantizeLinear", 10, kNewest, &Importer::dequantizeLinear,
   "cnn.dequantize (of an activation, per tensor); of integer weights and "
   "biases, a constant (per tensor or per axis)", true, 2},
  {"Div", 7, kNewest, &Importer::div,
   "cnn.div (the right side broadcasts), or shape arithmetic", true, 2},
  {"Dropout", 7, kNewest, &Importer::passThrough, "nothing (eval mode)",
   true},
  {"Elu", 7, kNewest, &Importer::activation, "cnn.elu", true},
  {"Equal", 11, kNewest, &Importer::compare,
   "cnn.equal (a mask of 1.0 and 0.0)", false, 2},
  {"Erf", 9, kNewest, &Importer::activation,
   "cnn.erf (x / sqrt(2), Erf, + 1, * x, * 0.5 becomes cnn.gelu)", true},
  {"Exp", 7, kNewest, &Importer::activation, "cnn.exp", true},
  {"Expand", 8, kNewest, &Importer::expand,
   "cnn.expand, or a constant (of constants)", false, 2},
  {"Flatten", 7, kNewest, &Importer::flatten, "cnn.flatten or cnn.reshape"},
  {"Gather", 7, kNewest, &Importer::gather,
   "shape arithmetic; of an activation by constant indices, cnn.slice per "
   "index and cnn.concat", false, 2},
  {"Gemm", 7, kNewest, &Importer::gemm, "cnn.linear", false, 2},
  {"GlobalAveragePool", 7, kNewest, &Importer::pool,
   "cnn.adaptive_avg_pool2d to 1x1"},
  {"GlobalMaxPool", 7, kNewest, &Importer::pool,
   "cnn.max_pool2d over the whole map"},
  {"Greater", 9, kNewest, &Importer::compare,
   "cnn.greater (a mask of 1.0 and 0.0)", false, 2},
  {"GreaterOrEqual", 12, kNewest, &Importer::compare,
   "cnn.greater_equal (a mask of 1.0 and 0.0)", false, 2},
  {"GroupNormalization", 18, kNewest, &Importer::groupNormalization,
   "cnn.group_norm (scale and bias per group)", false, 3},
  {"HardSigmoid", 7, kNewest, &Importer::activation,
   "cnn.hardsigmoid (alpha 1/6, beta 0.5)"},
  {"HardSwish", 14, kNewest, &Importer::activation, "cnn.hardswish"},
  {"Identity", 7, kNewest, &Importer::passThrough, "nothing", true},
  {"InstanceNormalization", 7, kNewest, &Importer::instanceNormalization,
   "cnn.group_norm (a group per channel; Reshape [N, G, -1] before it and "
   "back after: GroupNorm)", false, 3},
  {"LayerNormalization", 17, kNewest, &Importer::layerNormalization,
   "cnn.layer_norm (over an NHWC tensor's channels)", true, 2},
  {"LeakyRelu", 7, kNewest, &Importer::activation, "cnn.leaky_relu",
   true},
  {"Less", 9, kNewest, &Importer::compare,
   "cnn.less (a mask of 1.0 and 0.0)", false, 2},
  {"LessOrEqual", 12, kNewest, &Importer::compare,
   "cnn.less_equal (a mask of 1.0 and 0.0)", false, 2},
  {"Log", 7, kNewest, &Importer::activation, "cnn.log", true},
  {"LogSoftmax", 7, kNewest, &Importer::softmax, "cnn.log_softmax"},
  {"LpNormalization", 7, kNewest, &Importer::lpNormalization,
   "cnn.reduce_l1 or cnn.reduce_l2 (p = 1, 2), then cnn.div"},
  {"MatMul", 7, kNewest, &Importer::matMul,
   "cnn.linear, or a 1x1 cnn.conv2d on an NHWC tensor", true, 2},
  {"Max", 8, kNewest, &Importer::variadic,
   "cnn.max (a chain of them past two inputs; the smaller broadcasts)", true},
  {"MaxPool", 7, kNewest, &Importer::pool, "cnn.max_pool2d"},
  {"Mean", 8, kNewest, &Importer::variadic,
   "cnn.add of every input, then cnn.mul by 1 / count"},
  {"Min", 8, kNewest, &Importer::variadic,
   "cnn.min (a chain of them past two inputs; the smaller broadcasts)", true},
  {"Mish", 18, kNewest, &Importer::activation, "cnn.mish", true},
  {"Mul", 7, kNewest, &Importer::mul,
   "cnn.mul (a constant over channels broadcasts as [C, 1, 1]), or shape "
   "arithmetic", true, 2},
  {"Neg", 7, kNewest, &Importer::activation, "cnn.neg", true},
  {"Not", 7, kNewest, &Importer::activation, "cnn.logical_not of a mask"},
  {"Or", 7, kNewest, &Importer::compare, "cnn.max of two masks", false, 2},
  {"Pad", 7, kNewest, &Importer::pad,
   "zero padding of H and W folded into the Conv or AveragePool reading "
   "it, else cnn.pad (constant, reflect, edge)"},
  {"Pow", 7, kNewest, &Importer::pow,
   "cnn.mul (a square), else cnn.pow (by a constant scalar)", true, 2},
  {"PRelu", 7, kNewest, &Importer::prelu,
   "cnn.prelu (slopes per channel, [C, 1, 1], or one, [1])", false, 2},
  {"QuantizeLinear", 10, kNewest, &Importer::quantizeLinear,
   "cnn.quantize (u8; s8 held as u8 + 128); between DequantizeLinears "
   "around a Conv, cnn.qconv2d (--cnn-qdq-to-int8)", true, 2},
  {"Range", 11, kNewest, &Importer::hostOp, "a constant (of constants)",
   false, 3},
  {"Reciprocal", 7, kNewest, &Importer::activation, "cnn.reciprocal",
   true},
  {"ReduceL1", 7, kNewest, &Importer::reduce, "cnn.reduce_l1", true},
  {"ReduceL2", 7, kNewest, &Importer::reduce, "cnn.reduce_l2", true},
  {"ReduceMax", 7, kNewest, &Importer::reduceMax,
   "cnn.max_pool2d over the whole map (H and W), flattened without "
   "keepdims; else cnn.reduce_max"},
  {"ReduceMean", 7, kNewest, &Importer::reduceMean,
   "cnn.adaptive_avg_pool2d (over H and W), else cnn.reduce_mean (an "
   "exported LayerNorm's ReduceMean ... Add becomes cnn.layer_norm)", true},
  {"ReduceMin", 7, kNewest, &Importer::reduce, "cnn.reduce_min", true},
  {"ReduceSum", 7, kNewest, &Importer::reduce,
   "cnn.reduce_sum (axes an attribute, from opset 13 an input)", true},
  {"ReduceSumSquare", 7, kNewest, &Importer::reduce,
   "cnn.reduce_sum_square", true},
  {"Relu", 7, kNewest, &Importer::activation, "cnn.relu", true},
  {"Reshape", 7, kNewest, &Importer::reshape,
   "cnn.reshape, cnn.flatten, or the start of a channel shuffle (Reshape, "
   "Transpose [0, 2, 1, 3, 4], Reshape), of PixelUnshuffle (6-D) or of an "
   "exported GroupNorm", false, 2},
  {"Resize", 10, kNewest, &Importer::resize,
   "cnn.resize (nearest or linear, by constant scales or sizes)"},
  {"Selu", 7, kNewest, &Importer::activation, "cnn.selu", true},
  {"Shape", 7, kNewest, &Importer::hostOp, "shape arithmetic"},
  {"Sigmoid", 7, kNewest, &Importer::activation,
   "cnn.sigmoid (x * sigmoid(x) becomes cnn.silu)"},
  {"Slice", 7, kNewest, &Importer::slice, "cnn.slice (steps of 1)"},
  {"Softmax", 7, kNewest, &Importer::softmax, "cnn.softmax"},
  {"Softplus", 7, kNewest, &Importer::activation,
   "cnn.softplus (x * tanh(softplus(x)) becomes cnn.mish)", true},
  {"Softsign", 7, kNewest, &Importer::activation, "cnn.softsign", true},
  {"SpaceToDepth", 7, kNewest, &Importer::spaceToDepth,
   "cnn.space_to_depth (DCR)"},
  {"Split", 7, kNewest, &Importer::split, "cnn.slice per output"},
  {"Sqrt", 7, kNewest, &Importer::activation, "cnn.sqrt", true},
  {"Squeeze", 7, kNewest, &Importer::squeeze,
   "cnn.reshape or cnn.flatten, or a constant (of constants)"},
  {"Sub", 7, kNewest, &Importer::sub,
   "cnn.sub (the right side broadcasts), or shape arithmetic", true, 2},
  {"Sum", 8, kNewest, &Importer::variadic,
   "cnn.add of every input (the smaller ones broadcast)"},
  {"Tanh", 7, kNewest, &Importer::activation, "cnn.tanh"},
  {"Transpose", 7, kNewest, &Importer::transpose,
   "cnn.transpose; NCHW <-> NHWC around channels-last LayerNorms and "
   "linear layers, a channel shuffle's or PixelUnshuffle's are taken in "
   "by their patterns", true},
  {"Unsqueeze", 7, kNewest, &Importer::squeeze,
   "cnn.reshape, or a constant (of constants)"},
  {"Upsample", 7, 9, &Importer::resize,
   "cnn.resize (nearest or linear, asymmetric)"},
  {"Where", 9, kNewest, &Importer::where,
   "cnn.select (the three inputs broadcast together)", false, 3},
};
// clang-format on

} // namespace

int64_t cnnc::onnximport::newestOnnxOpset() { return kNewest; }

llvm::ArrayRef<OnnxOpRow> cnnc::onnximport::onnxOpTable() { return kTable; }

const OnnxOpRow *cnnc::onnximport::findOnnxOp(llvm::StringRef type,
                                              int64_t opset) {
  for (const OnnxOpRow &row : kTable)
    if (type == row.type && opset >= row.minOpset && opset <= row.maxOpset)
      return &row;
  return nullptr;
}

void cnnc::printSupportedOnnxOps(llvm::raw_ostream &os) {
  os << "| ONNX op | opsets | becomes |\n|---|---|---|\n";
  for (const OnnxOpRow &row : kTable)
    os << "| " << row.type << " | " << row.minOpset << "-" << row.maxOpset
       << " | " << row.becomes << " |\n";
}
