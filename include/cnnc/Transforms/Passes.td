//===- Passes.td - Passes over the cnn dialect ------------*- tablegen -*-===//

#ifndef CNNC_TRANSFORMS_PASSES_TD
#define CNNC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def CNNStats : Pass<"cnn-stats", "mlir::ModuleOp"> {
  let summary = "Print per-op output shape, parameters, MACs and receptive "
                "field, with totals";
  let description = [{
    For every function, prints one row per layer op: the output shape, the
    learnable parameters it uses (BatchNorm running statistics are buffers,
    not parameters; a weight used twice counts once), its multiply-accumulates
    (convolutions and linear layers), and the receptive field with its jump
    (the product of strides) at that point. A last line per function reads
    `total: params=<N> macs=<M>`. With `json=true` the same goes out as JSON.
    The table goes to stdout; the IR is left unchanged.
  }];
  let options = [
    Option<"json", "json", "bool", /*default=*/"false",
           "Print JSON instead of a table">,
  ];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNBindWeights : Pass<"cnn-bind-weights", "mlir::ModuleOp"> {
  let summary = "Replace every cnn.weight with a constant from a safetensors "
                "file or from a seeded random generator";
  let description = [{
    `file=W.safetensors` binds the tensors of a safetensors file by name
    (torchvision's state_dict keys); a missing tensor or a wrong shape is an
    error naming it. `random-seed=S` binds deterministic, fan-in-scaled
    random weights instead. Constants hold the data as resource blobs; print
    with `--mlir-elide-resource-strings-if-larger=N` to keep the text short.
  }];
  let options = [
    Option<"file", "file", "std::string", /*default=*/"",
           "The safetensors file to bind">,
    Option<"randomSeed", "random-seed", "int64_t", /*default=*/"-1",
           "Bind random weights from this seed instead">,
    Option<"verbose", "verbose", "bool", /*default=*/"false",
           "List tensors of the file that the model does not use">,
  ];
}

#endif // CNNC_TRANSFORMS_PASSES_TD
