//===- Recompose.td - What exporters decompose, as patterns -*- tablegen -*-===//
//
// ONNX has no SiLU, no Mish before opset 18 and (before opset 14) no
// HardSwish: PyTorch exports them as a product of x and its gate. The importer translates node by node; these
// rules (--cnn-recompose) make the products the dialect's activations again,
// so the fusion passes see what they see in the zoo.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_TRANSFORMS_RECOMPOSE_TD
#define CNNC_TRANSFORMS_RECOMPOSE_TD

include "mlir/IR/PatternBase.td"
include "cnnc/Dialect/CNN/CNNOps.td"

// The gate is computed for the product alone: with a second user it stays,
// and a SiLU beside it would compute the exponential twice.
def HasOneUse : Constraint<CPred<"$0.hasOneUse()">, "has one use">;

// x * sigmoid(x), either way round: SiLU.
def SiluFromSigmoidRight : Pat<(CNN_MulOp $x, (CNN_SigmoidOp:$gate $x)),
                               (CNN_SiluOp $x), [(HasOneUse $gate)]>;
def SiluFromSigmoidLeft : Pat<(CNN_MulOp (CNN_SigmoidOp:$gate $x), $x),
                              (CNN_SiluOp $x), [(HasOneUse $gate)]>;
// x * hardsigmoid(x), either way round: HardSwish.
def HardswishFromHardsigmoidRight
    : Pat<(CNN_MulOp $x, (CNN_HardsigmoidOp:$gate $x)), (CNN_HardswishOp $x),
          [(HasOneUse $gate)]>;
def HardswishFromHardsigmoidLeft
    : Pat<(CNN_MulOp (CNN_HardsigmoidOp:$gate $x), $x), (CNN_HardswishOp $x),
          [(HasOneUse $gate)]>;
// x * tanh(softplus(x)), either way round: Mish.
def MishFromSoftplusRight
    : Pat<(CNN_MulOp $x, (CNN_TanhOp:$gate (CNN_SoftplusOp:$soft $x))),
          (CNN_MishOp $x), [(HasOneUse $gate), (HasOneUse $soft)]>;
def MishFromSoftplusLeft
    : Pat<(CNN_MulOp (CNN_TanhOp:$gate (CNN_SoftplusOp:$soft $x)), $x),
          (CNN_MishOp $x), [(HasOneUse $gate), (HasOneUse $soft)]>;

#endif // CNNC_TRANSFORMS_RECOMPOSE_TD
