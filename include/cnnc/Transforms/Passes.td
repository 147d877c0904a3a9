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

#endif // CNNC_TRANSFORMS_PASSES_TD
