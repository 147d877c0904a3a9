//===- ModelBuilder.h - Building cnn models layer by layer ------*- C++ -*-===//
//
// A small builder over OpBuilder with one call per PyTorch module, naming
// parameters the way torchvision's state_dict() does. Spatial layers check
// that their window fits before building; after the first failure every call
// returns its input unchanged and `error()` says what went wrong, so a model
// function never has to test results in between.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_ZOO_MODELBUILDER_H
#define CNNC_ZOO_MODELBUILDER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <optional>
#include <string>

namespace cnnc {

/// How a convolution is laid out: kernel, stride, symmetric padding, groups.
struct ConvSpec {
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t padding = 0;
  int64_t groups = 1;
  bool bias = false;
};

class ModelBuilder {
public:
  /// Starts `func.func @name(%input: tensor<NxCxHxWxf32>)`.
  ModelBuilder(mlir::MLIRContext *context, llvm::StringRef name,
               llvm::ArrayRef<int64_t> inputShape);

  mlir::Value input() const { return inputValue; }
  bool failed() const { return errorMessage.has_value(); }
  const std::string &error() const { return *errorMessage; }

  /// A parameter `cnn.weight "name"`.
  mlir::Value weight(llvm::StringRef name, llvm::ArrayRef<int64_t> shape);

  /// nn.Conv2d with parameters `<prefix>.weight` (and `<prefix>.bias`).
  mlir::Value conv(mlir::Value x, llvm::StringRef prefix, int64_t outChannels,
                   const ConvSpec &spec);
  /// nn.Linear used as a 1x1 conv: the stored `[O, I]` weight is reshaped.
  mlir::Value linearAsConv(mlir::Value x, llvm::StringRef prefix,
                           int64_t outChannels);
  /// nn.BatchNorm2d: `<prefix>.{weight,bias,running_mean,running_var}`.
  mlir::Value batchNorm(mlir::Value x, llvm::StringRef prefix,
                        double epsilon = 1e-5);
  /// LayerNorm over channels: `<prefix>.{weight,bias}`.
  mlir::Value layerNorm(mlir::Value x, llvm::StringRef prefix,
                        double epsilon = 1e-6);

  mlir::Value relu(mlir::Value x);
  mlir::Value relu6(mlir::Value x);
  mlir::Value gelu(mlir::Value x);
  mlir::Value add(mlir::Value lhs, mlir::Value rhs);
  /// Multiplies by a per-channel `[C, 1, 1]` parameter (ConvNeXt layer scale).
  mlir::Value layerScale(mlir::Value x, llvm::StringRef name);

  /// nn.MaxPool2d; `name` is the module's name, for error messages.
  mlir::Value maxPool(mlir::Value x, llvm::StringRef name, int64_t kernel,
                      int64_t stride, int64_t padding = 0);
  mlir::Value adaptiveAvgPool(mlir::Value x, int64_t height, int64_t width);
  mlir::Value flatten(mlir::Value x);
  /// nn.Linear: `<prefix>.weight` `[O, I]` and `<prefix>.bias`.
  mlir::Value linear(mlir::Value x, llvm::StringRef prefix,
                     int64_t outFeatures);

  /// The channel count of an NCHW value.
  static int64_t channels(mlir::Value x);

  /// Returns `result` from the function and hands over the module, or null
  /// if a layer did not fit (see `error()`).
  mlir::OwningOpRef<mlir::ModuleOp> finish(mlir::Value result);

private:
  /// Records the first failure; the layer is named in the message.
  void fail(const llvm::Twine &message);
  /// Checks that a window fits both spatial dimensions of `x`.
  bool windowFits(mlir::Value x, llvm::StringRef layer, int64_t kernel,
                  int64_t stride, int64_t padding, bool isPool);

  mlir::OpBuilder builder;
  mlir::Location loc;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::Operation *function = nullptr;
  mlir::Value inputValue;
  std::optional<std::string> errorMessage;
};

} // namespace cnnc

#endif // CNNC_ZOO_MODELBUILDER_H
