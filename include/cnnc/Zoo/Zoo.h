//===- Zoo.h - The model zoo ------------------------------------*- C++ -*-===//
//
// The classic CNN families, built with torchvision's parameter names so that
// a saved state_dict binds as it is.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_ZOO_ZOO_H
#define CNNC_ZOO_ZOO_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <vector>

namespace cnnc {

struct ZooOptions {
  /// Input height and width. PyTorch's models take any size that survives
  /// their downsampling, square or not.
  int64_t inputHeight = 224;
  int64_t inputWidth = 224;
  int64_t batch = 1;
};

/// Parses an input size as `N` (square) or `HxW`; false if malformed.
bool parseInputSize(llvm::StringRef text, int64_t &height, int64_t &width);

struct ZooModelInfo {
  const char *name;
  const char *summary;
  /// Extra text for the model file's header (parameter naming and such).
  const char *notes;
};

/// Every model of the zoo, in a stable order.
const std::vector<ZooModelInfo> &zooModels();

/// Builds `name` as a module with one function `@name`. On a bad name or an
/// input too small for the network, returns null and sets `error`.
mlir::OwningOpRef<mlir::ModuleOp> buildZooModel(mlir::MLIRContext *context,
                                                llvm::StringRef name,
                                                const ZooOptions &options,
                                                std::string &error);

/// The comment block that starts a generated model file.
std::string zooModelHeader(llvm::StringRef name, const ZooOptions &options);

} // namespace cnnc

#endif // CNNC_ZOO_ZOO_H
