//===- OnnxResizeOps.cpp - Resize and Upsample ----------------------------===//
//
// ONNX Resize (and Upsample before opset 10) of H and W, by constant
// scales or sizes (shape arithmetic the exporter wrote folds to them), to
// cnn.resize: nearest or bilinear, with the opset's coordinate
// transformation and rounding.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

#include <cmath>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::onnximport;

llvm::Error Importer::resize(const onnx::NodeProto &n) {
  const bool upsample = n.op_type() == "Upsample";
  std::string mode = stringAttr(n, "mode");
  if (mode.empty())
    mode = "nearest";
  if (mode == "bilinear") // Upsample's name for it
    mode = "linear";
  if (mode != "nearest" && mode != "linear")
    return nodeError(n, "mode '" + mode +
                            "' is not supported (nearest and linear are)");
  // Before opset 11 every resize is asymmetric, rounding down.
  std::string coordinates = "asymmetric", nearest = "floor";
  if (!upsample && opset >= 11) {
    coordinates = stringAttr(n, "coordinate_transformation_mode");
    if (coordinates.empty())
      coordinates = "half_pixel";
    nearest = stringAttr(n, "nearest_mode");
    if (nearest.empty())
      nearest = "round_prefer_floor";
  }
  if (coordinates != "half_pixel" && coordinates != "pytorch_half_pixel" &&
      coordinates != "align_corners" && coordinates != "asymmetric")
    return nodeError(n, "coordinate_transformation_mode '" + coordinates +
                            "' is not supported");
  if (nearest != "round_prefer_floor" && nearest != "round_prefer_ceil" &&
      nearest != "floor" && nearest != "ceil")
    return nodeError(n, "nearest_mode '" + nearest + "' is not supported");
  // Opset 18's additions, at their defaults only.
  if (intAttr(n, "antialias", 0) != 0)
    return nodeError(n, "antialias is not supported");
  if (attribute(n, "axes"))
    return nodeError(n, "axes is not supported (scales or sizes for every "
                        "dimension are)");
  std::string policy = stringAttr(n, "keep_aspect_ratio_policy");
  if (!policy.empty() && policy != "stretch")
    return nodeError(n, "keep_aspect_ratio_policy '" + policy +
                            "' is not supported (stretch is)");

  llvm::Expected<Value> x = tensor(n, 0);
  if (!x)
    return x.takeError();
  const std::vector<int64_t> in = shapeOf(*x);
  if (in.size() != 4)
    return nodeError(n, "resizes only 4-D (NCHW) tensors");
  // Scales: Upsample's attribute (opsets 7, 8) or input 1; Resize's input
  // 1 (opset 10) or 2; sizes: Resize's input 3.
  std::vector<double> scales;
  std::vector<int64_t> sizes;
  const int scalesInput = upsample || opset < 11 ? 1 : 2;
  if (upsample && opset < 9) {
    for (float s : floats(n, "scales"))
      scales.push_back(s);
  } else if (hasInput(n, scalesInput)) {
    const HostTensor *c = constant(n, scalesInput);
    if (!c || c->isInt)
      return nodeError(n, "scales must be a constant float tensor");
    scales.assign(c->floats.begin(), c->floats.end());
  }
  if (!upsample && opset >= 11 && hasInput(n, 3)) {
    const HostTensor *c = constant(n, 3);
    if (!c || !c->isInt)
      return nodeError(n, "sizes must be a constant integer tensor");
    sizes = c->ints;
  }
  std::vector<int64_t> out = in;
  double scaleH = 0, scaleW = 0;
  if (sizes.size() == 4) {
    out = sizes;
    scaleH = double(out[2]) / double(in[2]);
    scaleW = double(out[3]) / double(in[3]);
  } else if (scales.size() == 4) {
    for (int d = 2; d < 4; ++d) {
      // Range-checked before the cast: scales come from the file.
      const double size = std::floor(double(in[d]) * scales[d]);
      out[d] =
          size >= 1 && size <= double(1 << 20) ? static_cast<int64_t>(size) : 0;
    }
    scaleH = scales[2];
    scaleW = scales[3];
    if (scales[0] != 1 || scales[1] != 1)
      return nodeError(n, "resizes only H and W (scales of N and C must "
                          "be 1)");
  } else {
    return nodeError(n, "needs 4 constant scales or sizes");
  }
  if (out[0] != in[0] || out[1] != in[1])
    return nodeError(n, "resizes only H and W (sizes of N and C must stay)");
  if (out[2] < 1 || out[3] < 1 || out[2] > (1 << 20) || out[3] > (1 << 20) ||
      !(scaleH > 0) || !(scaleW > 0))
    return nodeError(n, "resizes to " + std::to_string(out[2]) + "x" +
                            std::to_string(out[3]) +
                            ": outside 1 to 2^20 pixels per side");
  auto type = RankedTensorType::get(out, builder.getF32Type());
  Value y = cnn::ResizeOp::create(
      builder, loc, type, *x, builder.getF64FloatAttr(scaleH),
      builder.getF64FloatAttr(scaleW), builder.getStringAttr(mode),
      builder.getStringAttr(coordinates), builder.getStringAttr(nearest));
  define(n, y);
  return llvm::Error::success();
}
