//===- OnnxImport.cpp - ONNX graphs into the cnn dialect ------------------===//
//
// One pass over the graph's nodes, in their (topological) order. Values
// are either activations (MLIR values) or host constants (initializers,
// Constant nodes, and shape arithmetic folded here); a host constant
// becomes a cnn.constant only where an op takes it as a tensor. Result
// types come from each op's own inference, so a node whose shapes do not
// fit gets the op's message with the node's name.
//
// Recomposed on the way: Clip(0, 6) is relu6, Clip(0, inf) relu, x *
// sigmoid(x) SiLU; Gemm and MatMul with a constant right side are linear
// layers; Add and Mul put the larger operand first (the cnn ops broadcast
// their right side).
//
//===----------------------------------------------------------------------===//

#include "cnnc/Import/OnnxImport.h"
#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Weights/ConstantData.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

#include <map>
#include <optional>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

bool cnnc::isOnnxFile(llvm::StringRef path) {
  return path.ends_with_insensitive(".onnx");
}

namespace {

/// The op types translated, and those folded on the host when their inputs
/// are constants (shape arithmetic).
// clang-format off
const llvm::StringSet<> kSupported = {
    "Add",
    "AveragePool",
    "BatchNormalization",
    "Clip",
    "Concat",
    "Constant",
    "Conv",
    "Div",
    "Dropout",
    "Erf",
    "Flatten",
    "Gather",
    "Gemm",
    "GlobalAveragePool",
    "HardSigmoid",
    "HardSwish",
    "Identity",
    "LayerNormalization",
    "MatMul",
    "MaxPool",
    "Mul",
    "Pad",
    "Pow",
    "ReduceMean",
    "Relu",
    "Reshape",
    "Shape",
    "Sigmoid",
    "Slice",
    "Softmax",
    "Split",
    "Sqrt",
    "Sub",
    "Transpose",
    "Unsqueeze"};
// clang-format on

} // namespace

std::string Importer::modulePath(const onnx::NodeProto &n) {
  llvm::SmallVector<llvm::StringRef> parts;
  llvm::StringRef(n.name()).split(parts, '/', -1, /*KeepEmpty=*/false);
  if (!parts.empty())
    parts.pop_back(); // the op, `Conv`
  std::string module;
  for (llvm::StringRef part : parts) {
    if (!module.empty() && part.starts_with(module + "."))
      module = part.str();
    else
      module = module.empty() ? part.str() : module + "." + part.str();
  }
  return module;
}

const HostTensor *Importer::constant(const onnx::NodeProto &n, int i) {
  if (!hasInput(n, i))
    return nullptr;
  auto it = values.find(n.input(i));
  if (it == values.end() || !it->second.host)
    return nullptr;
  return &*it->second.host;
}

llvm::Expected<Value> Importer::tensor(const onnx::NodeProto &n, int i,
                                       llvm::StringRef role) {
  if (!hasInput(n, i))
    return nodeError(n, "input " + llvm::Twine(i) + " is missing");
  auto it = values.find(n.input(i));
  if (it == values.end())
    return nodeError(n, "input '" + n.input(i) +
                            "' is not produced by any earlier node");
  Entry &e = it->second;
  if (e.value)
    return e.value;
  const HostTensor &h = *e.host;
  if (h.isInt)
    return nodeError(n, "input '" + n.input(i) +
                            "' is an integer tensor where data is expected");
  e.value = blob(n, n.input(i), role, h.shape, h.floats);
  return e.value;
}

Value Importer::blob(const onnx::NodeProto &n, const std::string &source,
                     llvm::StringRef role, llvm::ArrayRef<int64_t> shape,
                     llvm::ArrayRef<float> data) {
  // Exporter-made names say nothing; the node's module path does.
  std::string name = source;
  if (llvm::StringRef(name).starts_with("onnx::") && !role.empty()) {
    std::string module = modulePath(n);
    if (!module.empty())
      name = module + "." + role.str();
  }
  if (!usedBlobNames.insert(name).second)
    name = source;
  return makeConstant(builder, loc,
                      RankedTensorType::get(shape, builder.getF32Type()), data,
                      name, /*asBlob=*/true);
}

llvm::Error Importer::checkSupported(const onnx::GraphProto &graph) {
  std::string list;
  int count = 0;
  for (const onnx::NodeProto &n : graph.node()) {
    const bool standard = n.domain().empty() || n.domain() == "ai.onnx";
    // Attributes that rule a supported op type out, known before any
    // translation: a Transpose other than NCHW <-> NHWC.
    std::string why;
    if (n.op_type() == "Transpose") {
      std::vector<int64_t> perm = ints(n, "perm", {});
      if (perm != std::vector<int64_t>{0, 2, 3, 1} &&
          perm != std::vector<int64_t>{0, 3, 1, 2} &&
          perm != std::vector<int64_t>{0, 2, 1, 3, 4})
        why = ", perm other than NCHW <-> NHWC or a channel shuffle's";
    }
    if (standard && kSupported.contains(n.op_type()) && why.empty())
      continue;
    ++count;
    list += "\n  " + (standard ? "" : n.domain() + ".") + n.op_type() +
            " (node '" + n.name() + "', opset " + std::to_string(opset) + why +
            ")";
  }
  if (count)
    return failure(path + ": " + llvm::Twine(count) +
                   " node(s) CNNC does not support:" + list);
  return llvm::Error::success();
}

llvm::Error Importer::addInput(const onnx::GraphProto &graph,
                               func::FuncOp &func, ModuleOp module) {
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &t : graph.initializer())
    initializers.insert(t.name());
  const onnx::ValueInfoProto *input = nullptr;
  for (const onnx::ValueInfoProto &v : graph.input()) {
    if (initializers.contains(v.name()))
      continue; // IR version 3 lists initializers as inputs too
    if (input)
      return failure(path + ": the graph has more than one input ('" +
                     input->name() + "', '" + v.name() +
                     "'); CNNC compiles models with one");
    input = &v;
  }
  if (!input)
    return failure(path + ": the graph has no input");
  if (graph.output_size() != 1)
    return failure(path + ": the graph has " +
                   llvm::Twine(graph.output_size()) +
                   " outputs; CNNC compiles models with one");
  const auto &type = input->type().tensor_type();
  if (type.elem_type() != onnx::TensorProto::FLOAT)
    return failure(path + ": input '" + input->name() + "' is not float32");
  std::vector<int64_t> shape;
  for (int d = 0; d < type.shape().dim_size(); ++d) {
    const auto &dim = type.shape().dim(d);
    if (dim.has_dim_value() && dim.dim_value() > 0) {
      shape.push_back(dim.dim_value());
      continue;
    }
    if (options.inputShape.empty())
      return failure(path + ": input '" + input->name() + "' dimension " +
                     llvm::Twine(d) + " is dynamic ('" + dim.dim_param() +
                     "'): pin the input's shape with cnn-import "
                     "--input-shape=1x3x224x224 (your shape)");
    shape.push_back(-1);
  }
  if (!options.inputShape.empty()) {
    if (options.inputShape.size() != shape.size())
      return failure(path + ": --input-shape has " +
                     llvm::Twine(options.inputShape.size()) +
                     " dimensions; input '" + input->name() + "' has " +
                     llvm::Twine(shape.size()));
    for (size_t d = 0; d < shape.size(); ++d)
      if (shape[d] > 0 && shape[d] != options.inputShape[d])
        return failure(path + ": --input-shape gives dimension " +
                       llvm::Twine(d) + " as " +
                       llvm::Twine(options.inputShape[d]) + "; input '" +
                       input->name() + "' has " + llvm::Twine(shape[d]));
    shape = options.inputShape;
  }
  if (shape.size() != 4)
    return failure(path + ": input '" + input->name() + "' has shape " +
                   shapeText(shape) + "; CNNC compiles NCHW (4-D) inputs");

  // The function: named after the file, a C identifier.
  std::string name = llvm::sys::path::stem(path).str();
  for (char &c : name)
    if (!llvm::isAlnum(c))
      c = '_';
  if (name.empty() || llvm::isDigit(name[0]))
    name = "model_" + name;
  builder.setInsertionPointToEnd(module.getBody());
  auto inputType = RankedTensorType::get(shape, builder.getF32Type());
  // The result type is set once the output is known.
  func = func::FuncOp::create(builder, UnknownLoc::get(&context), name,
                              builder.getFunctionType({inputType}, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);
  values[input->name()].value = body->getArgument(0);
  return llvm::Error::success();
}

llvm::Expected<OwningOpRef<ModuleOp>> Importer::run() {
  context.loadDialect<cnn::CNNDialect, func::FuncDialect>();
  modelDir = llvm::sys::path::parent_path(path).str();
  onnx::ModelProto model;
  if (llvm::Error e = readModel(path, model))
    return std::move(e);
  for (const auto &op : model.opset_import())
    if (op.domain().empty() || op.domain() == "ai.onnx")
      opset = op.version();
  if (opset && opset < 7)
    return failure(path + ": opset " + llvm::Twine(opset) +
                   " is too old; CNNC reads opsets 7 and later (export "
                   "with opset_version=11 or later)");
  const onnx::GraphProto &graph = model.graph();
  if (llvm::Error e = checkSupported(graph))
    return std::move(e);

  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
  func::FuncOp func;
  if (llvm::Error e = addInput(graph, func, *module))
    return std::move(e);
  for (const onnx::TensorProto &t : graph.initializer()) {
    llvm::Expected<HostTensor> h = readTensor(t, modelDir);
    if (!h)
      return failure(path + ": " + llvm::toString(h.takeError()));
    values[t.name()].host = std::move(*h);
  }
  this->graph = &graph;
  for (const onnx::NodeProto &n : graph.node()) {
    if (n.output_size() < 1)
      return nodeError(n, "has no output");
    for (const std::string &input : n.input())
      consumers[input].push_back(&n);
  }
  // Constants first: patterns look ahead at them.
  for (const onnx::NodeProto &n : graph.node()) {
    if (n.op_type() != "Constant")
      continue;
    if (llvm::Error e = hostOp(n))
      return std::move(e);
    skip(&n);
  }
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto &n = graph.node(i);
    if (skipped.contains(&n))
      continue;
    loc = locate(n);
    if (llvm::Error e = node(n, i))
      return std::move(e);
  }
  auto out = values.find(graph.output(0).name());
  if (out == values.end() || !out->second.value)
    return failure(path + ": the graph's output '" + graph.output(0).name() +
                   "' is not computed from its input");
  Value result = out->second.value;
  func::ReturnOp::create(builder, UnknownLoc::get(&context), result);
  func.setFunctionType(builder.getFunctionType(func.getArgumentTypes(),
                                               TypeRange{result.getType()}));
  // Ops whose results nothing uses (a sigmoid folded into SiLU).
  llvm::SmallVector<Operation *> ops;
  func.walk([&](Operation *op) { ops.push_back(op); });
  for (Operation *op : llvm::reverse(ops))
    if (op->getDialect() &&
        op->getDialect()->getNamespace() ==
            cnn::CNNDialect::getDialectNamespace() &&
        op->use_empty())
      op->erase();
  return module;
}

llvm::Error Importer::node(const onnx::NodeProto &n, int index) {
  llvm::StringRef type = n.op_type();
  if ((type == "Add" || type == "Sub" || type == "Mul" || type == "Div") &&
      n.input_size() == 2 && constant(n, 0) && constant(n, 0)->isInt &&
      constant(n, 1) && constant(n, 1)->isInt)
    return hostArithmetic(n);
  // Channels-last tensors exist only between the Transposes around
  // ConvNeXt's LayerNorms and linear layers.
  static const llvm::StringSet<> channelsLastOps = {
      "Transpose",  "LayerNormalization",
      "ReduceMean", "MatMul",
      "Add",        "Mul",
      "Div",        "Relu",
      "Identity",   "Dropout"};
  if (!channelsLastOps.contains(type))
    for (const std::string &input : n.input())
      if (isChannelsLast(input))
        return nodeError(n, "reads the channels-last (NHWC) tensor '" + input +
                                "'; CNNC takes NHWC tensors only into "
                                "LayerNorms, linear layers and elementwise "
                                "ops between Transposes");
  if (type == "Transpose")
    return transpose(n);
  if (type == "LayerNormalization")
    return layerNormalization(n);
  if (type == "ReduceMean")
    return decomposedLayerNorm(index);
  if (type == "Div")
    return decomposedGelu(index);
  if (type == "MatMul" && isChannelsLast(n.input(0)))
    return channelsLastMatMul(index);
  if (type == "Reshape" && constant(n, 1) && constant(n, 1)->isInt &&
      constant(n, 1)->ints.size() == 5)
    return channelShuffle(index);
  if (type == "Slice")
    return slice(n);
  if (type == "Split")
    return split(n);
  if (type == "Sub" || type == "Pow" || type == "Sqrt" || type == "Erf")
    return nodeError(n, "is supported only inside a LayerNorm (ReduceMean, "
                        "Sub, Pow, ReduceMean, Add, Sqrt, Div) or an exact "
                        "GELU (Div, Erf, Add, Mul, Mul)");
  if (type == "Conv")
    return conv(n);
  if (type == "BatchNormalization")
    return batchNorm(n);
  if (type == "Relu" || type == "Sigmoid" || type == "HardSwish" ||
      type == "HardSigmoid")
    return activation(n);
  if (type == "Pad")
    return pad(n);
  if (type == "Clip")
    return clip(n);
  if (type == "Add" || type == "Mul")
    return binary(n);
  if (type == "MaxPool" || type == "AveragePool" || type == "GlobalAveragePool")
    return pool(n);
  if (type == "Gemm" || type == "MatMul")
    return gemm(n);
  if (type == "Identity" || type == "Dropout") {
    if (type == "Dropout" && n.output_size() > 1 && !n.output(1).empty())
      return nodeError(n, "its mask output is used (training mode)");
    auto it = values.find(n.input(0));
    if (it == values.end())
      return nodeError(n, "input '" + n.input(0) + "' is not defined");
    Entry copy = it->second;
    values[n.output(0)] = copy;
    return llvm::Error::success();
  }
  if (type == "Constant" || type == "Shape" || type == "Gather" ||
      type == "Unsqueeze")
    return hostOp(n);
  // Flatten, Reshape, Concat, Softmax: on host constants when all inputs
  // are, else on activations.
  return shapeOp(n);
}

llvm::Error Importer::conv(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  llvm::Expected<Value> w = tensor(n, 1, "weight");
  if (!w)
    return w.takeError();
  Value bias;
  if (hasInput(n, 2)) {
    llvm::Expected<Value> b = tensor(n, 2, "bias");
    if (!b)
      return b.takeError();
    bias = *b;
  }
  std::vector<int64_t> wShape = shapeOf(*w), xShape = shapeOf(*x);
  if (wShape.size() != 4 || xShape.size() != 4)
    return nodeError(n, "CNNC compiles 2-D convolutions (4-D input and "
                        "weight); got input " +
                            shapeText(xShape) + ", weight " +
                            shapeText(wShape));
  std::vector<int64_t> strides = ints(n, "strides", {1, 1});
  std::vector<int64_t> dilations = ints(n, "dilations", {1, 1});
  std::vector<int64_t> pads = ints(n, "pads", {0, 0, 0, 0});
  const int64_t group = intAttr(n, "group", 1);
  std::string autoPad = stringAttr(n, "auto_pad");
  if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4)
    return nodeError(n, "strides, dilations and pads must be 2-D");
  takePendingPads(n, 0, pads);
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    // Output = ceil(input / stride); the total padding split, the odd
    // pixel at the end (UPPER) or the beginning (LOWER).
    for (int d = 0; d < 2; ++d) {
      int64_t in = xShape[2 + d], k = (wShape[2 + d] - 1) * dilations[d] + 1;
      int64_t out = (in + strides[d] - 1) / strides[d];
      int64_t total = std::max<int64_t>(0, (out - 1) * strides[d] + k - in);
      int64_t small = total / 2, large = total - small;
      pads[d] = autoPad == "SAME_UPPER" ? small : large;
      pads[d + 2] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (!autoPad.empty() && autoPad != "NOTSET" && autoPad != "VALID") {
    return nodeError(n, "auto_pad '" + autoPad + "' is not supported");
  }
  llvm::Expected<Value> y = inferred<cnn::Conv2DOp>(
      n, *x, *w, bias, strides, pads, dilations, static_cast<uint64_t>(group));
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::batchNorm(const onnx::NodeProto &n) {
  if (intAttr(n, "training_mode", 0) != 0 ||
      (n.output_size() > 1 && !n.output(1).empty()))
    return nodeError(n, "training mode is not supported (export the model "
                        "in eval mode)");
  llvm::SmallVector<Value, 5> operands;
  const char *roles[] = {"", "weight", "bias", "running_mean", "running_var"};
  for (int i = 0; i < 5; ++i) {
    llvm::Expected<Value> v = tensor(n, i, roles[i]);
    if (!v)
      return v.takeError();
    operands.push_back(*v);
  }
  llvm::Expected<Value> y = inferred<cnn::BatchNormOp>(
      n, operands[0], operands[1], operands[2], operands[3], operands[4],
      llvm::APFloat(static_cast<double>(floatAttr(n, "epsilon", 1e-5f))));
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::activation(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  Type type = x->getType();
  Value y;
  if (n.op_type() == "Relu")
    y = cnn::ReluOp::create(builder, loc, type, *x);
  else if (n.op_type() == "Sigmoid")
    y = cnn::SigmoidOp::create(builder, loc, type, *x);
  else if (n.op_type() == "HardSwish")
    y = cnn::HardswishOp::create(builder, loc, type, *x);
  else if (std::abs(floatAttr(n, "alpha", 0.2f) - 1.0f / 6) < 1e-6f &&
           floatAttr(n, "beta", 0.5f) == 0.5f)
    y = cnn::HardsigmoidOp::create(builder, loc, type, *x);
  else
    return nodeError(n, "only PyTorch's hardsigmoid (alpha 1/6, beta 0.5) "
                        "is supported");
  define(n, y, isChannelsLast(n.input(0)));
  return llvm::Error::success();
}

llvm::Error Importer::clip(const onnx::NodeProto &n) {
  // Opset 11 moved min and max from attributes to inputs.
  std::optional<float> lo, hi;
  if (opset < 11) {
    if (attribute(n, "min"))
      lo = floatAttr(n, "min", 0);
    if (attribute(n, "max"))
      hi = floatAttr(n, "max", 0);
  } else {
    for (int i = 1; i <= 2; ++i) {
      if (!hasInput(n, i))
        continue;
      const HostTensor *c = constant(n, i);
      if (!c || c->isInt || c->floats.size() != 1)
        return nodeError(n, "min and max must be constant scalars");
      (i == 1 ? lo : hi) = c->floats[0];
    }
  }
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  Value y;
  if (lo == 0.0f && hi == 6.0f)
    y = cnn::Relu6Op::create(builder, loc, x->getType(), *x);
  else if (lo == 0.0f && !hi)
    y = cnn::ReluOp::create(builder, loc, x->getType(), *x);
  else
    return nodeError(n, "only Clip(0, 6) (ReLU6) and Clip(0) (ReLU) are "
                        "supported; got min " +
                            (lo ? std::to_string(*lo) : "none") + ", max " +
                            (hi ? std::to_string(*hi) : "none"));
  define(n, y);
  return llvm::Error::success();
}

llvm::Error Importer::pad(const onnx::NodeProto &n) {
  // PyTorch writes Pad before average pools that count padding (and for
  // F.pad before a conv): zero padding of H and W, which the conv or pool
  // reading it applies itself.
  std::vector<int64_t> pads = ints(n, "pads", {});
  if (opset >= 11) {
    const HostTensor *p = constant(n, 1);
    if (!p || !p->isInt)
      return nodeError(n, "the pads must be a constant");
    pads = p->ints;
  }
  std::string mode = stringAttr(n, "mode");
  if (!mode.empty() && mode != "constant")
    return nodeError(n, "mode '" + mode + "' is not supported");
  std::optional<float> value =
      opset >= 11 ? (hasInput(n, 2) ? scalar(n.input(2)) : 0.0f)
                  : floatAttr(n, "value", 0.0f);
  if (value != 0.0f)
    return nodeError(n, "only zero padding is supported");
  auto it = values.find(n.input(0));
  if (it == values.end() || !it->second.value)
    return nodeError(n, "input '" + n.input(0) + "' is not an activation");
  Entry padded = it->second;
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; })) {
    values[n.output(0)] = padded;
    return llvm::Error::success();
  }
  // [N, C, H, W] begins, then ends: only H and W, never negative.
  if (pads.size() != 8 || pads[0] || pads[1] || pads[4] || pads[5] ||
      llvm::any_of(pads, [](int64_t p) { return p < 0; }) ||
      !padded.pendingPads.empty())
    return nodeError(n, "only non-negative padding of H and W (4-D) is "
                        "supported");
  const onnx::NodeProto *reader = soleConsumer(n.output(0), "Conv");
  if (!reader) {
    reader = soleConsumer(n.output(0), "AveragePool");
    if (reader && llvm::any_of(ints(*reader, "pads", {0, 0, 0, 0}),
                               [](int64_t p) { return p != 0; }))
      reader = nullptr;
  }
  if (!reader)
    return nodeError(n, "non-zero padding is supported only when a Conv, "
                        "or an AveragePool without padding of its own, "
                        "alone reads it");
  padded.pendingPads = {pads[2], pads[3], pads[6], pads[7]};
  values[n.output(0)] = padded;
  return llvm::Error::success();
}

llvm::Error Importer::binary(const onnx::NodeProto &n) {
  const bool isMul = n.op_type() == "Mul";
  // x * sigmoid(x), either way round: SiLU.
  if (isMul && n.input_size() == 2) {
    for (int s = 0; s < 2; ++s) {
      auto it = values.find(n.input(s));
      if (it != values.end() && it->second.producer == "Sigmoid" &&
          it->second.producerInput == n.input(1 - s)) {
        llvm::Expected<Value> x = tensor(n, 1 - s);
        if (!x)
          return x.takeError();
        define(n, cnn::SiluOp::create(builder, loc, x->getType(), *x),
               isChannelsLast(n.input(1 - s)));
        return llvm::Error::success();
      }
    }
  }
  const char *role = isMul ? "scale" : "shift";
  if (n.input_size() != 2)
    return nodeError(n, "expects two inputs");
  const bool last0 = isChannelsLast(n.input(0)),
             last1 = isChannelsLast(n.input(1));
  const bool channelsLast = last0 || last1;
  Value operands[2];
  for (int i = 0; i < 2; ++i) {
    const HostTensor *c = constant(n, i);
    // A constant over an NHWC tensor's channels ([C], or [1, 1, 1, C])
    // broadcasts over the NCHW value as [C, 1, 1].
    if (channelsLast && c && !c->isInt && c->shape.size() >= 1 &&
        c->shape.back() == c->elements() && c->elements() > 1) {
      operands[i] = blob(n, n.input(i), role, {c->elements(), 1, 1}, c->floats);
      continue;
    }
    if (channelsLast && !c && !(i ? last1 : last0))
      return nodeError(n, "combines a channels-last (NHWC) tensor with an "
                          "NCHW one");
    llvm::Expected<Value> v = tensor(n, i, role);
    if (!v)
      return v.takeError();
    operands[i] = *v;
  }
  Value lhs = operands[0], rhs = operands[1];
  // The cnn ops broadcast their right side: the larger goes left (both
  // are commutative).
  if (product(shapeOf(rhs)) > product(shapeOf(lhs)))
    std::swap(lhs, rhs);
  llvm::Expected<Value> y = isMul ? inferred<cnn::MulOp>(n, lhs, rhs)
                                  : inferred<cnn::AddOp>(n, lhs, rhs);
  if (!y)
    return y.takeError();
  define(n, *y, channelsLast);
  return llvm::Error::success();
}

llvm::Error Importer::pool(const onnx::NodeProto &n) {
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  if (shapeOf(*x).size() != 4)
    return nodeError(n, "CNNC pools 4-D (NCHW) tensors");
  llvm::Expected<Value> y = [&]() -> llvm::Expected<Value> {
    if (n.op_type() == "GlobalAveragePool")
      return inferred<cnn::AdaptiveAvgPool2DOp>(n, *x,
                                                llvm::ArrayRef<int64_t>{1, 1});
    std::vector<int64_t> kernel = ints(n, "kernel_shape", {});
    std::vector<int64_t> strides = ints(n, "strides", {1, 1});
    std::vector<int64_t> pads = ints(n, "pads", {0, 0, 0, 0});
    std::vector<int64_t> dilations = ints(n, "dilations", {1, 1});
    std::string autoPad = stringAttr(n, "auto_pad");
    if (kernel.size() != 2 || strides.size() != 2 || pads.size() != 4 ||
        dilations.size() != 2)
      return nodeError(n, "kernel_shape, strides, dilations and pads must be "
                          "2-D");
    if (!autoPad.empty() && autoPad != "NOTSET" && autoPad != "VALID")
      return nodeError(n, "auto_pad '" + autoPad + "' is not supported");
    if (n.output_size() > 1 && !n.output(1).empty())
      return nodeError(n, "the Indices output is not supported");
    const bool ceil = intAttr(n, "ceil_mode", 0) != 0;
    if (n.op_type() == "MaxPool")
      return inferred<cnn::MaxPool2DOp>(n, *x, kernel, strides, pads, dilations,
                                        ceil);
    // A Pad before it: its zeros count, as with count_include_pad.
    const bool prepadded = takePendingPads(n, 0, pads);
    if (dilations != std::vector<int64_t>{1, 1})
      return nodeError(n, "dilated average pooling is not supported");
    // ONNX's default is count_include_pad = 0; PyTorch writes it.
    return inferred<cnn::AvgPool2DOp>(
        n, *x, kernel, strides, pads, ceil,
        prepadded || intAttr(n, "count_include_pad", 0) != 0);
  }();
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::gemm(const onnx::NodeProto &n) {
  // A linear layer: [N, K] x constant weight, plus an optional bias.
  const bool isGemm = n.op_type() == "Gemm";
  const HostTensor *w = constant(n, 1);
  if (!w || w->isInt || w->shape.size() != 2)
    return nodeError(n, "the right operand must be a constant 2-D weight "
                        "(a linear layer)");
  if (isGemm && intAttr(n, "transA", 0) != 0)
    return nodeError(n, "transA is not supported");
  const float alpha = isGemm ? floatAttr(n, "alpha", 1) : 1;
  const float beta = isGemm ? floatAttr(n, "beta", 1) : 1;
  // cnn.linear wants [M, K]: Gemm's transB = 1 is that layout; MatMul and
  // transB = 0 hold [K, M].
  const bool transposed = isGemm && intAttr(n, "transB", 0) != 0;
  HostTensor weight;
  weight.shape = w->shape;
  weight.floats = w->floats;
  if (!transposed) {
    const int64_t k = w->shape[0], m = w->shape[1];
    weight.shape = {m, k};
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < m; ++j)
        weight.floats[j * k + i] = w->floats[i * m + j];
  }
  for (float &v : weight.floats)
    v *= alpha;
  Value weightValue =
      blob(n, n.input(1), "weight", weight.shape, weight.floats);
  Value bias;
  if (hasInput(n, 2)) {
    const HostTensor *b = constant(n, 2);
    if (!b || b->isInt || b->elements() != weight.shape[0])
      return nodeError(n, "the bias must be a constant of " +
                              llvm::Twine(weight.shape[0]) + " values");
    std::vector<float> values = b->floats;
    for (float &v : values)
      v *= beta;
    bias = blob(n, n.input(2), "bias", {weight.shape[0]}, values);
  }
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  llvm::Expected<Value> y = inferred<cnn::LinearOp>(n, *x, weightValue, bias);
  if (!y)
    return y.takeError();
  define(n, *y);
  return llvm::Error::success();
}

llvm::Error Importer::shapeOp(const onnx::NodeProto &n) {
  llvm::StringRef type = n.op_type();
  if (type == "Concat") {
    int64_t axis = intAttr(n, "axis", 0);
    // Shape arithmetic: integer constants, joined here.
    bool allHost = true;
    for (int i = 0; i < n.input_size(); ++i)
      allHost &= constant(n, i) && constant(n, i)->isInt;
    if (allHost) {
      HostTensor joined;
      joined.isInt = true;
      for (int i = 0; i < n.input_size(); ++i)
        joined.ints.insert(joined.ints.end(), constant(n, i)->ints.begin(),
                           constant(n, i)->ints.end());
      joined.shape = {static_cast<int64_t>(joined.ints.size())};
      values[n.output(0)].host = std::move(joined);
      return llvm::Error::success();
    }
    llvm::SmallVector<Value> inputs;
    for (int i = 0; i < n.input_size(); ++i) {
      llvm::Expected<Value> v = tensor(n, i);
      if (!v)
        return v.takeError();
      inputs.push_back(*v);
    }
    const int64_t rank = static_cast<int64_t>(shapeOf(inputs[0]).size());
    if (axis < 0)
      axis += rank;
    llvm::Expected<Value> y =
        inferred<cnn::ConcatOp>(n, ValueRange(inputs), axis);
    if (!y)
      return y.takeError();
    define(n, *y);
    return llvm::Error::success();
  }
  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  std::vector<int64_t> in = shapeOf(*x);
  const int64_t rank = static_cast<int64_t>(in.size());
  if (type == "Softmax") {
    int64_t axis = intAttr(n, "axis", opset < 13 ? 1 : -1);
    if (axis < 0)
      axis += rank;
    if (opset < 13 && axis != rank - 1)
      return nodeError(n, "before opset 13 Softmax flattens from its axis; "
                          "only the last axis is supported");
    llvm::Expected<Value> y = inferred<cnn::SoftmaxOp>(n, *x, axis);
    if (!y)
      return y.takeError();
    define(n, *y);
    return llvm::Error::success();
  }
  // Flatten and Reshape: the new shape, then cnn.flatten where it is one.
  std::vector<int64_t> out;
  if (type == "Flatten") {
    int64_t axis = intAttr(n, "axis", 1);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis > rank)
      return nodeError(n, "axis " + llvm::Twine(axis) + " is out of range");
    out = {product(llvm::ArrayRef(in).take_front(axis)),
           product(llvm::ArrayRef(in).drop_front(axis))};
  } else {
    const HostTensor *shape = constant(n, 1);
    if (!shape || !shape->isInt)
      return nodeError(n, "the target shape must be a constant (pin dynamic "
                          "dimensions with cnn-import --input-shape)");
    int64_t known = 1, inferIndex = -1;
    for (size_t i = 0; i < shape->ints.size(); ++i) {
      int64_t d = shape->ints[i];
      if (d == 0 && intAttr(n, "allowzero", 0) == 0) {
        if (static_cast<int64_t>(i) >= rank)
          return nodeError(n, "0 copies a dimension the input lacks");
        d = in[i];
      }
      if (d == -1) {
        if (inferIndex >= 0)
          return nodeError(n, "more than one -1 in the target shape");
        inferIndex = static_cast<int64_t>(i);
        out.push_back(1);
        continue;
      }
      if (d <= 0)
        return nodeError(n, "dimension " + llvm::Twine(d) +
                                " in the target shape");
      known *= d;
      out.push_back(d);
    }
    if (inferIndex >= 0 && known > 0)
      out[inferIndex] = product(in) / known;
  }
  if (product(out) != product(in))
    return nodeError(n, "cannot reshape " + shapeText(in) + " to " +
                            shapeText(out));
  Value y;
  if (rank == 4 && out.size() == 2 && out[0] == in[0]) {
    llvm::Expected<Value> flat = inferred<cnn::FlattenOp>(n, *x, 1, -1);
    if (!flat)
      return flat.takeError();
    y = *flat;
  } else {
    y = cnn::ReshapeOp::create(
        builder, loc, RankedTensorType::get(out, builder.getF32Type()), *x);
  }
  define(n, y);
  return llvm::Error::success();
}

llvm::Error Importer::hostOp(const onnx::NodeProto &n) {
  llvm::StringRef type = n.op_type();
  HostTensor result;
  if (type == "Constant") {
    const onnx::AttributeProto *value = attribute(n, "value");
    if (!value || !value->has_t())
      return nodeError(n, "only tensor constants ('value') are supported");
    llvm::Expected<HostTensor> h = readTensor(value->t(), modelDir);
    if (!h)
      return nodeError(n, llvm::toString(h.takeError()));
    result = std::move(*h);
  } else if (type == "Shape") {
    auto it = values.find(n.input(0));
    if (it == values.end())
      return nodeError(n, "input '" + n.input(0) + "' is not defined");
    std::vector<int64_t> shape =
        it->second.value ? shapeOf(it->second.value) : it->second.host->shape;
    result.isInt = true;
    result.ints = shape;
    result.shape = {static_cast<int64_t>(shape.size())};
  } else if (type == "Gather") {
    const HostTensor *data = constant(n, 0), *index = constant(n, 1);
    if (!data || !index || !data->isInt || !index->isInt ||
        data->shape.size() != 1 || intAttr(n, "axis", 0) != 0)
      return nodeError(n, "only gathers from constant 1-D shapes are "
                          "supported (shape arithmetic)");
    result.isInt = true;
    result.shape = index->shape;
    for (int64_t i : index->ints) {
      int64_t size = static_cast<int64_t>(data->ints.size());
      if (i < -size || i >= size)
        return nodeError(n, "index " + llvm::Twine(i) + " is out of range");
      result.ints.push_back(data->ints[i < 0 ? i + size : i]);
    }
  } else { // Unsqueeze of shape arithmetic
    const HostTensor *data = constant(n, 0);
    if (!data || !data->isInt || data->ints.size() != 1)
      return nodeError(n, "only unsqueezes of constant scalars are supported "
                          "(shape arithmetic)");
    result = *data;
    result.shape = {1};
  }
  values[n.output(0)].host = std::move(result);
  return llvm::Error::success();
}

llvm::Expected<OwningOpRef<ModuleOp>>
cnnc::importOnnx(MLIRContext &context, llvm::StringRef path,
                 const OnnxImportOptions &options) {
  Importer importer(context, path, options);
  return importer.run();
}
