//===- OnnxImport.cpp - ONNX graphs into the cnn dialect ------------------===//
//
// The driver: every node's op type is looked up in the op table
// (OnnxOpTable.cpp) before anything is translated, then one pass over the
// nodes, in their (topological) order, calls each row's handler. Values
// are either activations (MLIR values) or host constants (initializers,
// Constant nodes, and shape arithmetic folded here); a host constant
// becomes a cnn.constant only where an op takes it as a tensor. Result
// types come from each op's own inference, so a node whose shapes do not
// fit gets the op's message with the node's name. Last, the recomposition
// patterns (--cnn-recompose) run over the translated function.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Import/OnnxImport.h"
#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "cnnc/Dialect/CNN/CNNOps.h"
#include "cnnc/Transforms/Passes.h"
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

llvm::Expected<std::vector<int64_t>>
cnnc::parseInputShape(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef> dims;
  text.split(dims, 'x');
  std::vector<int64_t> shape;
  for (llvm::StringRef d : dims) {
    int64_t v = 0;
    if (d.getAsInteger(10, v) || v <= 0 || v > (1 << 20))
      return failure("--input-shape=" + text +
                     ": expected positive dimensions like 1x3x224x224");
    shape.push_back(v);
  }
  return shape;
}

bool cnnc::isOnnxFile(llvm::StringRef path) {
  return path.ends_with_insensitive(".onnx");
}

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
    const OnnxOpRow *row = standard ? findOnnxOp(n.op_type(), opset) : nullptr;
    if (row) {
      // Patterns look ahead at later nodes' inputs and outputs: every
      // node's are checked here, before any handler runs.
      int named = 0;
      while (named < n.input_size() && !n.input(named).empty())
        ++named;
      if (named < row->minInputs)
        return nodeError(n, "needs " + llvm::Twine(row->minInputs) +
                                (row->minInputs == 1 ? " input" : " inputs") +
                                ", but names " + llvm::Twine(named));
      if (n.output_size() < 1 || n.output(0).empty())
        return nodeError(n, "names no output");
      continue;
    }
    std::string why;
    // An op CNNC reads at other opsets says which.
    for (const OnnxOpRow &other : onnxOpTable())
      if (standard && !row && n.op_type() == other.type)
        why = ", which CNNC reads at opsets " + std::to_string(other.minOpset) +
              " to " + std::to_string(other.maxOpset);
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
                     "'): pin the input's shape with "
                     "--input-shape=1x3x224x224 (your shape; cnnc, cnn-run "
                     "and cnn-import take it)");
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
  if (opset == 0)
    return failure(path + ": the model imports no opset of the default ONNX "
                          "domain");
  if (opset < 7)
    return failure(path + ": opset " + llvm::Twine(opset) +
                   " is too old; CNNC reads opsets 7 and later (export "
                   "with opset_version=11 or later)");
  if (opset > newestOnnxOpset())
    return failure(
        path + ": opset " + llvm::Twine(opset) +
        " is newer than CNNC reads (7 to " + llvm::Twine(newestOnnxOpset()) +
        "; export with opset_version=" + llvm::Twine(newestOnnxOpset()) + ")");
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
  for (const onnx::NodeProto &n : graph.node()) {
    if (skipped.contains(&n))
      continue;
    loc = locate(n);
    if (llvm::Error e = node(n))
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

llvm::Error Importer::node(const onnx::NodeProto &n) {
  // checkSupported found a row for every node.
  const OnnxOpRow *row = findOnnxOp(n.op_type(), opset);
  if (!row->readsChannelsLast)
    for (const std::string &input : n.input())
      if (isChannelsLast(input))
        return nodeError(n, "reads the channels-last (NHWC) tensor '" + input +
                                "'; CNNC takes NHWC tensors only into "
                                "LayerNorms, linear layers and elementwise "
                                "ops between Transposes");
  return (this->*row->handler)(n);
}

llvm::Expected<OwningOpRef<ModuleOp>>
cnnc::importOnnx(MLIRContext &context, llvm::StringRef path,
                 const OnnxImportOptions &options) {
  Importer importer(context, path, options);
  llvm::Expected<OwningOpRef<ModuleOp>> module = importer.run();
  if (!module)
    return module.takeError();
  PassManager pm(&context);
  pm.addNestedPass<func::FuncOp>(createCNNRecompose());
  if (failed(pm.run(**module)))
    return failure(path + ": the recomposition patterns failed");
  return module;
}
