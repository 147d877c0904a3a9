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

def CNNRecompose : Pass<"cnn-recompose", "mlir::func::FuncOp"> {
  let summary = "Make what exporters decompose the dialect's ops again";
  let description = [{
    `x * sigmoid(x)` becomes `cnn.silu`, `x * hardsigmoid(x)`
    `cnn.hardswish` (either operand order; declarative rules in
    `Recompose.td`); `x * (erf(x / sqrt(2)) + 1) * 0.5` becomes `cnn.gelu`,
    and `(x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps) * w + b` with the
    means over the channels becomes `cnn.layer_norm`. A rule fires only
    where the intermediate values have no other user. The ONNX importer
    translates node by node and runs this pass after it; `--cnn-optimize`
    runs it first, for IR written by hand.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNFoldBatchNorm : Pass<"cnn-fold-batch-norm", "mlir::func::FuncOp"> {
  let summary = "Fold BatchNorm and layer scale into the preceding conv";
  let description = [{
    `conv -> batch_norm` becomes one conv with `w' = w * g / sqrt(v + eps)`
    and `b' = beta + (b - m) * g / sqrt(v + eps)`, and `conv -> mul` by a
    per-channel constant (ConvNeXt's layer scale, `[C, 1, 1]`) becomes one
    conv with `w' = w * s`, `b' = b * s`. Only where every tensor involved
    is a constant (weights bound) and the conv's result has no other user.
    Folded constants are blobs if the conv's weight was one, else inline.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNFoldAffineIntoConv : Pass<"cnn-fold-affine-into-conv",
                                 "mlir::func::FuncOp"> {
  let summary = "Fold a per-channel affine (input normalization) into the "
                "convs that read it";
  let description = [{
    A chain of mul, div, add, sub (by constants, one per channel or one for
    all) and neg, such as `(x / 255 - mean) / std` before the first conv,
    is `a * x + b` per channel. A conv that reads it becomes a conv of `x`:
    input channel c's weights times `a[c]`, the bias plus the weights times
    `b[c]`, and `padding_values` `(p - b[c]) / a[c]`, where the padding read
    `p` (zero) before, so that it still reads `p` after the affine. Folds
    only where every user of the chain is a conv with constant weights.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNQuantizeInt8 : Pass<"cnn-quantize-int8", "mlir::func::FuncOp"> {
  let summary = "Rewrite calibrated convs as int8 convs between quantize "
                "and dequantize";
  let description = [{
    A conv (no groups, constant weights) whose input and output carry
    calibrated ranges, `cnn.input_range` and `cnn.output_range` (each
    `array<f32: min, max>`, written by `cnnc --quantize=int8` from its
    calibration inputs), becomes `cnn.quantize` -> `cnn.qconv2d` ->
    `cnn.dequantize`: u8 activations covering the range, i8 weights with
    one scale per output channel. A ReLU or ReLU6 that is the conv's only
    user goes into the int8 conv (its range starts at 0, so the u8 zero
    point 0 saturates what it clamped); its result carries the range then.
    Other readers of a value an int8 conv reads (a residual) read its
    quantized form dequantized, as ONNX Runtime's QDQ models do. A max
    pool that only int8 convs read is quantized before it and pools u8
    values (the same values: quantizing is monotonic).
    Canonicalization then removes each dequantize -> quantize pair with
    the same parameters, so consecutive int8 convs pass u8 values.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNQdqToInt8 : Pass<"cnn-qdq-to-int8", "mlir::func::FuncOp"> {
  let summary = "Rewrite a QDQ model's quantized convs as int8 convs";
  let description = [{
    What a QDQ ONNX model says with QuantizeLinear and DequantizeLinear
    around a Conv (ONNX Runtime runs it as QLinearConv): `cnn.dequantize`
    -> `cnn.conv2d` -> `cnn.quantize`, the conv's weights stored as int8 in
    the model (`cnn.weight_scales`, one per output channel, set by the
    importer), becomes one `cnn.qconv2d` with the model's scales and zero
    points. A ReLU or ReLU6 between the conv and the quantize goes in when
    the output range saturates where it clamps (zero point 0; ReLU6: 6 at
    or above 255). The same for a linear layer (QGemm), as a 1x1 conv.
    A dequantize -> conv or linear layer with int8 weights whose result
    is not quantized so (a classifier's last layer, an activation the
    output range does not saturate, other readers of the f32 result)
    becomes a `cnn.qconv2d` with an f32 result, the exact value of the f32
    layer (ONNX Runtime's QGemm with a float output). Convs with groups
    int8 code does not compute, or weights needing -128, stay as they are:
    the model's meaning, rounding included, is kept either way.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNQuantizedTables : Pass<"cnn-quantized-tables", "mlir::func::FuncOp"> {
  let summary = "Tabulate activations of quantized values";
  let description = [{
    `cnn.dequantize` followed by activations (SiLU, sigmoid, hardswish,
    any with an `evaluate`), each the only reader of the one before, and a
    `cnn.quantize` if one reads the last, is a function of a u8 value: it
    becomes one `cnn.lookup_table` of 256 values (u8 with the quantize, else
    f32), computed as the reference interpreter computes the ops, so the
    result is the same bit for bit.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNPruneDeadTaps : Pass<"cnn-prune-dead-taps", "mlir::func::FuncOp"> {
  let summary = "Drop the kernel taps of convs that read only padding";
  let description = [{
    A tap of a dilated conv whose reads fall in the zero padding for every
    output (DeepLab's ASPP, rates 12 to 36, on a 14x14 or 28x28 map)
    multiplies zeros: the conv becomes one with the taps that read the
    input, its padding moved to keep every output, and dilation 1 along a
    dimension left with one tap (a 3x3 conv whose centre tap alone reads
    the map becomes a 1x1 conv). Exact. Only convs with a constant weight.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNConvTransposeAsShuffle : Pass<"cnn-conv-transpose-as-shuffle",
                                     "mlir::func::FuncOp"> {
  let summary = "Rewrite strided transposed convs as a conv, a PixelShuffle "
                "and a crop";
  let description = [{
    A transposed conv of stride s (the same along both dimensions, one
    group, dilation 1) is s * s ordinary convs, one per output phase, each
    with ceil(k / s) taps per dimension of the kernel, flipped. They become
    one `cnn.conv2d` to `O * s * s` channels (taps past the kernel weigh
    0, the bias repeated per phase), a `cnn.depth_to_space` in CRD order
    that interleaves the phases, and `cnn.slice`s dropping what the
    transposed conv's padding crops. A U-Net's 2x2, stride 2 up-conv
    becomes a 1x1 conv and a PixelShuffle. The conv then runs on the dense
    conv schedules. Only with a constant weight and bias.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNFuseConvEpilogue : Pass<"cnn-fuse-conv-epilogue", "mlir::func::FuncOp"> {
  let summary = "Group a conv with its epilogue: BatchNorm affine, layer "
                "scale, residual add, activation";
  let description = [{
    Follows each conv's single-user chain and puts, in this order, at most
    one BatchNorm, one per-channel `cnn.mul`, one residual `cnn.add` (both
    operands of the same type) and one activation into a `cnn.group conv`.
    It stops at a value with a second user, a residual whose shapes differ,
    or any other op. An int8 conv's (`cnn.qconv2d`) chain starts with the
    dequantize of its result; the dequantize of a residual's other operand
    joins too, and a quantize may end it.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNFuseConvPrologue : Pass<"cnn-fuse-conv-prologue", "mlir::func::FuncOp"> {
  let summary = "Group a per-image channel scale with the pointwise conv "
                "that reads it";
  let description = [{
    A `cnn.mul` of a map by a tensor of shape [N, C, 1, 1] (the scale of a
    squeeze-excitation block) whose only user is a pointwise conv (a bare
    conv or a `cnn.group conv`) moves to the front of that conv's group,
    so code generation computes it a row at a time as the conv reads it
    instead of storing the scaled map. Runs after the conv and depthwise
    fusions (a group that starts with anything but a conv is no longer a
    conv unit for them) and before the elementwise one.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNFuseDepthwisePointwise
    : Pass<"cnn-fuse-depthwise-pointwise", "mlir::func::FuncOp"> {
  let summary = "Group a depthwise conv with the pointwise convs around it";
  let description = [{
    Makes a `cnn.group depthwise_pointwise` of a depthwise conv (with its
    epilogue), the pointwise conv that produces its input if nothing else
    uses it (MobileNetV2's expansion), an optional channel LayerNorm, and
    the pointwise conv that consumes it; after an expanding pointwise conv
    the projecting one follows too (ConvNeXt's block). Groups of the conv
    epilogue pass are merged in, so every op of the block sits in one flat
    group. A depthwise result with a second user is not fused.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNFuseNormActivation
    : Pass<"cnn-fuse-norm-activation", "mlir::func::FuncOp"> {
  let summary = "Group a normalization with the activation after it";
  let description = [{
    A `layer_norm`, `group_norm` or `batch_norm` (one that could not fold
    into a conv) and the activation after it (GELU, SiLU, ReLU, ...)
    become a `cnn.group norm_activation`, unless the norm's result has a
    second user.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNFuseElementwise
    : Pass<"cnn-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Group chains of elementwise ops into one stage each";
  let description = [{
    A chain of elementwise ops (activations, add, sub, mul, div), each
    reading the one before it as its first operand and its only user,
    becomes a `cnn.group elementwise`: one stage that reads its input once,
    instead of a stage and a pass over memory per op. A chain is cut every
    `max-ops` ops, so that no kernel's expression grows with the graph (a
    chain of 20,000 ops is a few hundred identical groups sharing one
    kernel).
  }];
  let options = [
    Option<"maxOps", "max-ops", "unsigned", /*default=*/"64",
           "The most ops one group takes">,
  ];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

def CNNLinearAsConv : Pass<"cnn-linear-as-conv", "mlir::func::FuncOp"> {
  let summary = "Rewrite linear layers with constant weights as 1x1 convs";
  let description = [{
    `cnn.linear %x, %w, %b` (x of N x K, w of M x K, both constant w and b)
    becomes a 1x1 `cnn.conv2d` on a 1 x 1 map: `cnn.reshape`s of x to
    N x K x 1 x 1 and of w to M x K x 1 x 1 before it, and of its result
    to N x M after. Int8 quantization runs it first (lib/Quantize), so a
    classifier is quantized and compiled as the convs are: VGG's and
    AlexNet's, most of their weights, then read as bytes, not floats.
    Exact: the same products summed.
  }];
  let dependentDialects = ["::cnnc::cnn::CNNDialect"];
}

#endif // CNNC_TRANSFORMS_PASSES_TD
