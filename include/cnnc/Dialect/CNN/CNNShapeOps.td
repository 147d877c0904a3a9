//===- CNNShapeOps.td - Layout and shape ops ----------------*- tablegen -*-===//
//
// Included by CNNOps.td, after the base classes: ops that move elements
// without arithmetic on them (reshapes, concatenation, slices, shuffles,
// resizes).
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_CNNSHAPEOPS_TD
#define CNNC_DIALECT_CNN_CNNSHAPEOPS_TD

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

def CNN_FlattenOp : CNN_InferredOp<"flatten"> {
  let summary = "flatten dimensions start_dim..end_dim (torch.flatten)";
  let arguments = (ins CNN_Tensor:$input,
      DefaultValuedAttr<I64Attr, "1">:$start_dim,
      DefaultValuedAttr<I64Attr, "-1">:$end_dim);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_ReshapeOp : CNN_Op<"reshape", [Pure]> {
  let summary = "reshape to the result type (same element count)";
  let description = [{
    Also turns a stored `nn.Linear` weight `[O, I]` into a 1x1 conv weight
    `[O, I, 1, 1]`, as in ConvNeXt's blocks.
  }];
  let arguments = (ins CNN_Tensor:$input);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def CNN_ExpandOp : CNN_Op<"expand", [Pure]> {
  let summary = "broadcast to the result type (torch.expand, ONNX Expand)";
  let description = [{
    The input broadcasts NumPy-style into the result: aligned on the right,
    each input dimension 1 or equal to the result's. F.normalize's exported
    norm is expanded to its input's shape before the division.

    ```mlir
    %e = cnn.expand %n : tensor<1x1x7x7xf32> -> tensor<1x64x7x7xf32>
    ```
  }];
  let arguments = (ins CNN_Tensor:$input);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def CNN_PadOp : CNN_InferredOp<"pad"> {
  let summary = "padding of H and W (nn.ReflectionPad2d, ReplicationPad2d, "
                "ConstantPad2d; ONNX Pad)";
  let description = [{
    `padding` is `[top, left, bottom, right]`. Mode `constant` fills with
    `value`, `reflect` mirrors without repeating the edge (each side less
    than the dimension), `edge` repeats the edge. Zero padding read by one
    conv or pool is that op's own padding instead; this op is the rest.

    ```mlir
    %y = cnn.pad %x {padding = array<i64: 3, 3, 3, 3>, mode = "reflect"}
        : (tensor<1x3x64x64xf32>) -> tensor<1x3x70x70xf32>
    ```
  }];
  let arguments = (ins CNN_Tensor4D:$input, CNN_Quad:$padding,
      DefaultValuedAttr<StrAttr, "\"constant\"">:$mode,
      DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs CNN_Tensor4D:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_ConcatOp : CNN_InferredOp<"concat"> {
  let summary = "concatenation along one axis (torch.cat)";
  let arguments = (ins Variadic<CNN_Tensor>:$inputs,
      DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_SliceOp : CNN_InferredOp<"slice"> {
  let summary = "a contiguous slice along one axis (x[:, start:end])";
  let description = [{
    Elements `start` to `end` (exclusive) along `axis`: ShuffleNetV2
    splits its channels in two halves with `x.chunk(2, dim=1)`.

    ```mlir
    %a = cnn.slice %x {axis = 1 : i64, start = 0 : i64, end = 24 : i64}
        : (tensor<1x48x8x8xf32>) -> tensor<1x24x8x8xf32>
    ```
  }];
  let arguments = (ins CNN_Tensor:$input, I64Attr:$axis, I64Attr:$start,
      I64Attr:$end);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_ChannelShuffleOp : CNN_InferredOp<"channel_shuffle"> {
  let summary = "channel shuffle (torch.nn.ChannelShuffle)";
  let description = [{
    The channels, seen as `[groups, C / groups]`, transposed: output
    channel `i * groups + g` is input channel `g * (C / groups) + i`.
    ShuffleNet mixes its two branches so (a reshape, a transpose and a
    reshape when exported to ONNX).

    ```mlir
    %y = cnn.channel_shuffle %x {groups = 2 : i64}
        : (tensor<1x48x8x8xf32>) -> tensor<1x48x8x8xf32>
    ```
  }];
  let arguments = (ins CNN_Tensor4D:$input, I64Attr:$groups);
  let results = (outs CNN_Tensor4D:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_ResizeOp : CNN_Op<"resize", [Pure]> {
  let summary = "resize H and W (ONNX Resize, torch.nn.functional.interpolate)";
  let description = [{
    Each output pixel reads the input at a coordinate that
    `coordinates` computes from its own along each axis, with the scale
    `scale_h` / `scale_w` (output over input, as ONNX gives or computes
    it): `half_pixel` (x + 0.5) / scale - 0.5, `pytorch_half_pixel` the
    same but 0 where the output has one pixel, `align_corners` x * (in -
    1) / (out - 1), `asymmetric` x / scale. Mode `nearest` rounds that
    coordinate by `nearest` (`round_prefer_floor`, `round_prefer_ceil`,
    `floor`, `ceil`); `linear` interpolates the two neighbours on each
    axis (bilinear), both clamped to the input's edge. The output's size
    is the result type's.

    ```mlir
    %y = cnn.resize %x {scale_h = 2.0, scale_w = 2.0, mode = "nearest",
                        coordinates = "asymmetric", nearest = "floor"}
        : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32>
    ```
  }];
  let arguments = (ins CNN_Tensor4D:$input, F64Attr:$scale_h, F64Attr:$scale_w,
      DefaultValuedAttr<StrAttr, "\"nearest\"">:$mode,
      DefaultValuedAttr<StrAttr, "\"half_pixel\"">:$coordinates,
      DefaultValuedAttr<StrAttr, "\"round_prefer_floor\"">:$nearest);
  let results = (outs CNN_Tensor4D:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def CNN_DepthToSpaceOp : CNN_InferredOp<"depth_to_space"> {
  let summary = "channels to blocks of pixels (torch.nn.PixelShuffle)";
  let description = [{
    `[N, C * b * b, H, W]` to `[N, C, H * b, W * b]`, as ONNX DepthToSpace
    with `block_size` b: output `(c, h * b + i, w * b + j)` is input
    channel `c * b * b + i * b + j` (mode `crd`, PixelShuffle's, as
    PyTorch exports it) or `(i * b + j) * C + c` (mode `dcr`, ONNX's
    default), at `(h, w)`. Super-resolution networks end with it.

    ```mlir
    %y = cnn.depth_to_space %x {block_size = 3 : i64, mode = "crd"}
        : (tensor<1x27x8x8xf32>) -> tensor<1x3x24x24xf32>
    ```
  }];
  let arguments = (ins CNN_Tensor4D:$input, I64Attr:$block_size,
      DefaultValuedAttr<StrAttr, "\"dcr\"">:$mode);
  let results = (outs CNN_Tensor4D:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_SpaceToDepthOp : CNN_InferredOp<"space_to_depth"> {
  let summary = "blocks of pixels to channels (torch.nn.PixelUnshuffle)";
  let description = [{
    `[N, C, H * b, W * b]` to `[N, C * b * b, H, W]`, depth_to_space's
    inverse: output channel `c * b * b + i * b + j` (mode `crd`,
    PixelUnshuffle's) or `(i * b + j) * C + c` (mode `dcr`, ONNX
    SpaceToDepth's) at `(h, w)` is input channel `c` at
    `(h * b + i, w * b + j)`.

    ```mlir
    %y = cnn.space_to_depth %x {block_size = 2 : i64, mode = "crd"}
        : (tensor<1x3x8x8xf32>) -> tensor<1x12x4x4xf32>
    ```
  }];
  let arguments = (ins CNN_Tensor4D:$input, I64Attr:$block_size,
      DefaultValuedAttr<StrAttr, "\"dcr\"">:$mode);
  let results = (outs CNN_Tensor4D:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def CNN_TransposeOp : CNN_InferredOp<"transpose"> {
  let summary = "permutes dimensions (torch.permute, ONNX Transpose)";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`. Detector heads
    permute `[N, A, K, H, W]` to `[N, A, H, W, K]` before decoding boxes.

    ```mlir
    %y = cnn.transpose %x {perm = array<i64: 0, 1, 3, 4, 2>}
        : (tensor<1x3x9x8x8xf32>) -> tensor<1x3x8x8x9xf32>
    ```
  }];
  let arguments = (ins CNN_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs CNN_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

#endif // CNNC_DIALECT_CNN_CNNSHAPEOPS_TD
