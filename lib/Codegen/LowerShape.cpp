//===- LowerShape.cpp - Flatten, reshape and concat -----------------------===//
//
// Shape ops move no data in the model's view: each output element reads
// one input element, found from its NCHW linear index.
//
//===----------------------------------------------------------------------===//

#include "Lowerer.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace cnnc::cnn;
using Halide::Expr;
using Halide::Func;

namespace cnnc::codegen {

llvm::Expected<OpResult> Lowerer::lowerReshape(Operation *op) {
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  std::vector<Expr> nchw = nchwOf(vars);
  llvm::Expected<Tensor> in = get(op, op->getOperand(0));
  if (!in)
    return in.takeError();
  // Same elements in NCHW order: linear index out -> index in.
  Expr linear = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    linear = linear * int(shape[d]) + nchw[d];
  std::vector<Expr> index(in->shape.size());
  for (size_t d = in->shape.size(); d-- > 0;) {
    index[d] = linear % int(in->shape[d]);
    linear = linear / int(in->shape[d]);
  }
  Func f(uniqueName(op->getName().stripDialect()));
  f(vars) = in->func(toArgs(index));
  return OpResult{Stage::Kind::Elementwise, f};
}

llvm::Expected<OpResult> Lowerer::lowerConcat(ConcatOp concat) {
  Operation *op = concat;
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  std::vector<Halide::Var> vars = argVars(shape.size());
  int64_t axis = static_cast<int64_t>(concat.getAxis());
  if (axis < 0)
    axis += shape.size();
  size_t pos = argPosition(shape.size(), axis);
  std::vector<Expr> args(vars.begin(), vars.end());
  Expr result;
  int64_t start = shape[axis];
  // Build from the last input backwards: each earlier input covers
  // [start, end) and is selected below its end.
  for (Value input : llvm::reverse(concat.getInputs())) {
    llvm::Expected<Tensor> in = get(op, input);
    if (!in)
      return in.takeError();
    int64_t end = start;
    start -= in->shape[axis];
    std::vector<Expr> shifted = args;
    shifted[pos] =
        Halide::clamp(args[pos] - int(start), 0, int(in->shape[axis]) - 1);
    Expr here = in->func(shifted);
    result = result.defined()
                 ? Halide::select(args[pos] < int(end), here, result)
                 : here;
  }
  Func f(uniqueName("concat"));
  f(vars) = result;
  return OpResult{Stage::Kind::Elementwise, f};
}

} // namespace cnnc::codegen
