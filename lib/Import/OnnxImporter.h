//===- OnnxImporter.h - The ONNX importer's state ---------------*- C++ -*-===//
//
// Private to lib/Import: the importer's state and its op table, shared by
// the driver (OnnxImport.cpp), the handlers (Onnx*Ops.cpp, one file per op
// family) and the recompositions of what exporters decompose
// (OnnxPatterns.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_IMPORT_ONNXIMPORTER_H
#define CNNC_LIB_IMPORT_ONNXIMPORTER_H

#include "OnnxTensors.h"
#include "cnnc/Import/OnnxImport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MathExtras.h"

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cnnc::onnximport {

using mlir::FileLineColLoc;
using mlir::Location;
using mlir::MLIRContext;
using mlir::ModuleOp;
using mlir::NameLoc;
using mlir::OpBuilder;
using mlir::OwningOpRef;
using mlir::RankedTensorType;
using mlir::Type;
using mlir::UnknownLoc;
using mlir::Value;
using mlir::func::FuncOp;

/// A value of the graph: an activation, or a constant known here.
struct Entry {
  Value value;                    // set for activations (and materialized
                                  // constants)
  std::optional<HostTensor> host; // set for constants
  /// An NHWC tensor (after a Transpose from NCHW) held as its NCHW value:
  /// channels-last LayerNorms and linear layers become the cnn dialect's
  /// channel ops on it (OnnxPatterns.cpp).
  bool channelsLast = false;
  /// Zero padding (top, left, bottom, right) that a Pad node left for the
  /// conv or average pool reading this value to apply.
  std::vector<int64_t> pendingPads;
  /// A u8 activation standing for the model's s8 one plus 128: an S8S8 QDQ
  /// model's QuantizeLinear (OnnxQuantOps.cpp).
  bool shiftedFromS8 = false;
  /// Int8 weights dequantized here with zero points 0: the scale of each
  /// slice along axis 0 (or one for the tensor), which a Conv reading them
  /// keeps, so that its int8 form reproduces them (OnnxQuantOps.cpp).
  std::vector<float> weightScales;
};

/// A QuantizeLinear's or DequantizeLinear's scales and zero points: one
/// each (per tensor) or one per slice along `axis`.
struct LinearQuantParams {
  std::vector<float> scales;
  std::vector<int64_t> zeroPoints;
  /// The zero point's ONNX data type: UINT8 (also without one), INT8, or
  /// INT32 (a dequantized bias).
  int zeroType = 0;
  int64_t axis = 0;
};

class Importer;

/// Translates one ONNX node; a row of the op table (OnnxOpTable.cpp) names
/// the handler of its op type.
using NodeHandler = llvm::Error (Importer::*)(const onnx::NodeProto &);

/// A row of the op table: an ONNX op type, the opsets whose definition of
/// it the handler reads, what it becomes, and its handler. The supported-op
/// check, `cnn-import --list-ops` and docs/onnx-ops.md all come from it.
struct OnnxOpRow {
  const char *type;
  int64_t minOpset, maxOpset;
  NodeHandler handler;
  /// What the node becomes in the cnn dialect, for the docs.
  const char *becomes;
  /// Whether it may read a channels-last (NHWC) tensor, which exists only
  /// between the Transposes around ConvNeXt's LayerNorms and linear layers.
  bool readsChannelsLast = false;
  /// How many leading inputs the node must name (ONNX's required ones);
  /// checked for every node before any handler or pattern reads them.
  int minInputs = 1;
};

/// The newest opset the table knows.
int64_t newestOnnxOpset();
/// The table, sorted by op type.
llvm::ArrayRef<OnnxOpRow> onnxOpTable();
/// The row of `type` whose opsets include `opset`, if any.
const OnnxOpRow *findOnnxOp(llvm::StringRef type, int64_t opset);

class Importer {
public:
  Importer(MLIRContext &context, llvm::StringRef path,
           const OnnxImportOptions &options)
      : context(context), builder(&context), path(path.str()),
        options(options) {}

  llvm::Expected<OwningOpRef<ModuleOp>> run();

  // Handlers, one file per family (the table names them).
  // OnnxConvOps.cpp
  llvm::Error conv(const onnx::NodeProto &n);
  llvm::Error batchNorm(const onnx::NodeProto &n);
  llvm::Error pad(const onnx::NodeProto &n);
  // OnnxActivationOps.cpp
  llvm::Error activation(const onnx::NodeProto &n);
  llvm::Error clip(const onnx::NodeProto &n);
  llvm::Error prelu(const onnx::NodeProto &n);
  llvm::Error depthToSpace(const onnx::NodeProto &n);
  llvm::Error spaceToDepth(const onnx::NodeProto &n);
  llvm::Error resize(const onnx::NodeProto &n);
  llvm::Error convTranspose(const onnx::NodeProto &n);
  llvm::Error reduceMax(const onnx::NodeProto &n);
  llvm::Error convOperands(const onnx::NodeProto &n, Value &x, Value &w,
                           Value &bias);
  // OnnxElementwiseOps.cpp: Add, Sub, Mul, Div (of activations, or of
  // integer constants: shape arithmetic), and squares.
  llvm::Error add(const onnx::NodeProto &n);
  llvm::Error sub(const onnx::NodeProto &n);
  llvm::Error mul(const onnx::NodeProto &n);
  llvm::Error div(const onnx::NodeProto &n);
  llvm::Error pow(const onnx::NodeProto &n);
  /// Greater, Less, Equal and the like, And and Or: masks of 1.0 and 0.0.
  llvm::Error compare(const onnx::NodeProto &n);
  /// Where: cnn.select of a mask.
  llvm::Error where(const onnx::NodeProto &n);
  // OnnxPoolOps.cpp
  llvm::Error pool(const onnx::NodeProto &n);
  // OnnxQuantOps.cpp: QDQ models. Activations become cnn.quantize and
  // cnn.dequantize; constants (weights, biases) are computed here.
  llvm::Error quantizeLinear(const onnx::NodeProto &n);
  llvm::Error dequantizeLinear(const onnx::NodeProto &n);
  // OnnxLinearOps.cpp
  llvm::Error gemm(const onnx::NodeProto &n);
  llvm::Error matMul(const onnx::NodeProto &n);
  // OnnxShapeOps.cpp
  llvm::Error reshape(const onnx::NodeProto &n);
  llvm::Error flatten(const onnx::NodeProto &n);
  llvm::Error concat(const onnx::NodeProto &n);
  llvm::Error softmax(const onnx::NodeProto &n);
  // OnnxGatherOps.cpp
  llvm::Error gather(const onnx::NodeProto &n);
  /// Squeeze and Unsqueeze: of constants computed here, of an activation
  /// a reshape.
  llvm::Error squeeze(const onnx::NodeProto &n);
  /// Expand: of constants, computed here; of an activation, cnn.expand.
  llvm::Error expand(const onnx::NodeProto &n);
  llvm::Error slice(const onnx::NodeProto &n);
  llvm::Error split(const onnx::NodeProto &n);
  llvm::Error passThrough(const onnx::NodeProto &n);
  // OnnxHostOps.cpp: constants and shape arithmetic, computed here.
  llvm::Error hostOp(const onnx::NodeProto &n);
  // OnnxPatterns.cpp: recompositions of what exporters decompose. A
  // pattern starts at its first node and marks the nodes it takes in as
  // skipped.
  llvm::Error transpose(const onnx::NodeProto &n);
  llvm::Error layerNormalization(const onnx::NodeProto &n);
  // OnnxNormOps.cpp
  llvm::Error instanceNormalization(const onnx::NodeProto &n);
  llvm::Error groupNormalization(const onnx::NodeProto &n);
  /// ReduceMean: over H and W a global average pool; over an NHWC
  /// tensor's channels (an exported LayerNorm's) or other axes a
  /// cnn.reduce_mean.
  llvm::Error reduceMean(const onnx::NodeProto &n);
  // OnnxReduceOps.cpp
  llvm::Error reduce(const onnx::NodeProto &n);
  llvm::Error argReduce(const onnx::NodeProto &n);
  llvm::Error lpNormalization(const onnx::NodeProto &n);
  /// Max, Min, Sum and Mean of any number of inputs.
  llvm::Error variadic(const onnx::NodeProto &n);

private:
  /// A node's `axes`: the attribute, or (Reduce*, Squeeze, Unsqueeze
  /// from opsets 13 and 18) its constant second input.
  llvm::Expected<std::vector<int64_t>> axesOf(const onnx::NodeProto &n);
  /// The node's `axis` attribute (`fallback` when absent) in [0, rank).
  llvm::Expected<int64_t> axisAttr(const onnx::NodeProto &n, int64_t rank,
                                   int64_t fallback);
  llvm::Expected<std::vector<int64_t>> reductionAxes(const onnx::NodeProto &n,
                                                     int64_t rank);
  llvm::Error checkSupported(const onnx::GraphProto &graph);
  llvm::Error addInput(const onnx::GraphProto &graph, FuncOp &func,
                       ModuleOp module);
  llvm::Error node(const onnx::NodeProto &n);

  llvm::Error binary(const onnx::NodeProto &n);
  /// The scale and zero point inputs of QuantizeLinear or DequantizeLinear
  /// `n` whose data has `shape`.
  llvm::Expected<LinearQuantParams>
  linearQuantParams(const onnx::NodeProto &n, llvm::ArrayRef<int64_t> shape);
  /// The shape `a` and `b` broadcast to NumPy-style (aligned on the right,
  /// each dimension equal or 1), or an error naming both.
  llvm::Expected<std::vector<int64_t>>
  broadcastShapes(const onnx::NodeProto &n, llvm::ArrayRef<int64_t> a,
                  llvm::ArrayRef<int64_t> b);
  /// Flatten and Reshape of an activation to `out`.
  llvm::Error reshapeTo(const onnx::NodeProto &n, Value x,
                        llvm::ArrayRef<int64_t> out);
  /// Whether `n` is Add, Sub, Mul or Div of integer constants.
  bool isHostArithmetic(const onnx::NodeProto &n);
  /// Add, Sub, Mul, Div of integer constants (shape arithmetic).
  llvm::Error hostArithmetic(const onnx::NodeProto &n);
  /// MatMul of an NHWC tensor by a constant [K, M] (and the bias Add after
  /// it): a 1x1 conv.
  llvm::Error channelsLastMatMul(const onnx::NodeProto &n);
  /// Reshape to [N, groups, C / groups, H, W], Transpose [0, 2, 1, 3, 4],
  /// Reshape back: a channel shuffle.
  llvm::Error channelShuffle(const onnx::NodeProto &n);
  /// Reshape to [N, C, H / b, b, W / b, b], Transpose [0, 1, 3, 5, 2, 4],
  /// Reshape to [N, C * b * b, H / b, W / b]: PixelUnshuffle.
  llvm::Error pixelUnshuffle(const onnx::NodeProto &n);
  /// Reshape to [N, G, -1], InstanceNormalization, Reshape back: GroupNorm.
  llvm::Error groupNormFromParts(const onnx::NodeProto &n);
  llvm::Error instanceNormAffine(const onnx::NodeProto &n, int64_t groups,
                                 int64_t channels, Value &weight, Value &bias);
  /// The one node that reads `value`, if it is of type `opType`.
  const onnx::NodeProto *soleConsumer(const std::string &value,
                                      llvm::StringRef opType);
  /// Node `n`'s input `i` that is not `other` among its first two.
  static const std::string &otherInput(const onnx::NodeProto &n,
                                       const std::string &other) {
    return n.input(0) == other ? n.input(1) : n.input(0);
  }
  /// The scalar value of a constant input, if it is one.
  std::optional<float> scalar(const std::string &name);
  /// The padding a Pad node left on input `i` of `n`, added to `pads`
  /// (top, left, bottom, right); whether there was any.
  bool takePendingPads(const onnx::NodeProto &n, int i,
                       std::vector<int64_t> &pads) {
    auto it = values.find(n.input(i));
    if (it == values.end() || it->second.pendingPads.empty())
      return false;
    for (int d = 0; d < 4; ++d)
      pads[d] += it->second.pendingPads[d];
    return true;
  }
  bool isChannelsLast(const std::string &name) {
    auto it = values.find(name);
    return it != values.end() && it->second.channelsLast;
  }
  void skip(const onnx::NodeProto *n) { skipped.insert(n); }

  /// An error about node `n`, naming the file, the node and its type.
  llvm::Error nodeError(const onnx::NodeProto &n, const llvm::Twine &message) {
    return failure(path + ": node '" + n.name() + "' (" + n.op_type() +
                   "): " + message);
  }
  /// The activation (or constant, materialized) named by input `i` of `n`.
  llvm::Expected<Value> tensor(const onnx::NodeProto &n, int i,
                               llvm::StringRef role = "");
  /// A bound constant (a named blob) of f32 `data` in `shape`, made from
  /// the initializer `source` that node `n` reads as its `role` ("weight",
  /// "bias"; none keeps the name): exporter-made names (`onnx::Conv_193`)
  /// become the node's module path and role, unless another blob has it.
  Value blob(const onnx::NodeProto &n, const std::string &source,
             llvm::StringRef role, llvm::ArrayRef<int64_t> shape,
             llvm::ArrayRef<float> data);
  /// The host constant named by input `i` of `n`, if it is one.
  const HostTensor *constant(const onnx::NodeProto &n, int i);
  bool hasInput(const onnx::NodeProto &n, int i) {
    return i < n.input_size() && !n.input(i).empty();
  }
  void define(const onnx::NodeProto &n, Value v, bool channelsLast = false) {
    Entry &e = values[n.output(0)];
    e.value = v;
    e.channelsLast = channelsLast;
  }
  /// Creates an op whose result type the op infers; its inference errors
  /// become the node's error.
  template <typename OpT, typename... Args>
  llvm::Expected<Value> inferred(const onnx::NodeProto &n, Args &&...args);
  /// The node's module path from its name (`/layer1/layer1.0/conv1/Conv`:
  /// `layer1.0.conv1`), for naming its weights.
  static std::string modulePath(const onnx::NodeProto &n);
  Location locate(const onnx::NodeProto &n) {
    return NameLoc::get(
        builder.getStringAttr(n.name().empty() ? n.op_type() : n.name()),
        FileLineColLoc::get(&context, path, 0, 0));
  }

  MLIRContext &context;
  OpBuilder builder;
  std::string path, modelDir;
  OnnxImportOptions options;
  int64_t opset = 0;
  std::map<std::string, Entry> values;
  Location loc = UnknownLoc::get(&context);
  /// The initializers' names: their blobs keep them, unless they are
  /// exporter-made (`onnx::Conv_193`), then named after the node.
  llvm::StringSet<> usedBlobNames;
  /// For each value, the nodes that read it.
  std::map<std::string, std::vector<const onnx::NodeProto *>> consumers;
  /// Nodes a recomposition took in.
  llvm::DenseSet<const onnx::NodeProto *> skipped;
};

// Attribute access.
inline const onnx::AttributeProto *attribute(const onnx::NodeProto &n,
                                             llvm::StringRef name) {
  for (const onnx::AttributeProto &a : n.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}
inline std::vector<int64_t> ints(const onnx::NodeProto &n, llvm::StringRef name,
                                 std::vector<int64_t> fallback) {
  const onnx::AttributeProto *a = attribute(n, name);
  if (!a || a->ints_size() == 0)
    return fallback;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}
inline std::vector<float> floats(const onnx::NodeProto &n,
                                 llvm::StringRef name) {
  const onnx::AttributeProto *a = attribute(n, name);
  if (!a)
    return {};
  return std::vector<float>(a->floats().begin(), a->floats().end());
}
inline int64_t intAttr(const onnx::NodeProto &n, llvm::StringRef name,
                       int64_t fallback) {
  const onnx::AttributeProto *a = attribute(n, name);
  return a ? a->i() : fallback;
}
inline float floatAttr(const onnx::NodeProto &n, llvm::StringRef name,
                       float fallback) {
  const onnx::AttributeProto *a = attribute(n, name);
  return a ? a->f() : fallback;
}
inline std::string stringAttr(const onnx::NodeProto &n, llvm::StringRef name) {
  const onnx::AttributeProto *a = attribute(n, name);
  return a ? a->s() : "";
}

inline std::vector<int64_t> shapeOf(Value v) {
  auto type = llvm::cast<RankedTensorType>(v.getType());
  return std::vector<int64_t>(type.getShape().begin(), type.getShape().end());
}

/// The element count of `dims`, saturating at INT64_MAX: shapes named by a
/// model file are untrusted and may overflow.
inline int64_t product(llvm::ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    if (llvm::MulOverflow(p, d, p))
      return std::numeric_limits<int64_t>::max();
  return p;
}

inline std::string shapeText(llvm::ArrayRef<int64_t> shape) {
  std::string s;
  for (int64_t d : shape)
    s += (s.empty() ? "" : "x") + std::to_string(d);
  return s.empty() ? "scalar" : s;
}

template <typename OpT, typename... Args>
llvm::Expected<Value> Importer::inferred(const onnx::NodeProto &n,
                                         Args &&...args) {
  Type placeholder = RankedTensorType::get({1}, builder.getF32Type());
  auto op = OpT::create(builder, loc, placeholder, std::forward<Args>(args)...);
  std::string message;
  mlir::FailureOr<Type> type;
  {
    mlir::ScopedDiagnosticHandler capture(&context, [&](mlir::Diagnostic &d) {
      message = d.str();
      return mlir::success();
    });
    type = OpT::inferResultType(typename OpT::Adaptor(op),
                                [&] { return op.emitOpError(); });
  }
  if (failed(type)) {
    op->erase();
    return nodeError(n, message);
  }
  op->getResult(0).setType(*type);
  return op->getResult(0);
}

} // namespace cnnc::onnximport

#endif // CNNC_LIB_IMPORT_ONNXIMPORTER_H
