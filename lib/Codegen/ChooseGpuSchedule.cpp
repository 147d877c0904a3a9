//===- ChooseGpuSchedule.cpp - The GPU schedule rules, as a pure function -===//
//
// A block of threads covers a tile of output channels x pixels. Threads run
// along channels first, so that a warp reads 32 consecutive weights and
// writes 32 consecutive outputs (channels are innermost in memory), and
// each thread accumulates a few pixels in registers. Dense convolutions are
// computed per block with the reduction split into chunks of input
// channels, each chunk's input window and weights staged in shared memory.
// In a fused depthwise->pointwise group, the depthwise result the pointwise
// conv reads is computed per block, for all its channels, in shared memory.
// Nothing here knows Halide: GpuSchedules.cpp applies the plan.
//
//===----------------------------------------------------------------------===//

#include "GpuPlan.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace cnnc::codegen;

namespace {

constexpr int kWarp = 32;
constexpr int kMaxThreads = 256;
/// Shared memory a block may fill with per-block results (bytes); the
/// staged chunks of a conv take at most another 16 KB, under the 48 KB
/// every CUDA device and OpenCL implementation offers.
constexpr int64_t kSharedBudget = 24 << 10;
constexpr int64_t kChunkBudget = 16 << 10;

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// The per-thread pixel count that wastes the least of a row of `width`.
int pixelsFor(int64_t width, int most) {
  return leastPaddedTile(width, 1, most);
}

/// A grid for `channels` outputs per pixel on maps `width` x `height`.
GpuGrid gridFor(int64_t channels, int64_t width, int64_t height, int pixels) {
  GpuGrid g;
  g.channels = static_cast<int>(std::min<int64_t>(kWarp, channels));
  g.pixels = pixelsFor(width, pixels);
  const int64_t tiles = ceilDiv(width, g.pixels);
  const int64_t maxColumns = std::max(1, kMaxThreads / g.channels / 2);
  // Equal column groups so that rounding up wastes little.
  g.columns = static_cast<int>(
      ceilDiv(tiles, ceilDiv(tiles, std::min(tiles, maxColumns))));
  g.rows = static_cast<int>(std::min<int64_t>(
      height, std::max(1, kMaxThreads / (g.channels * g.columns))));
  return g;
}

/// Input channels per staged chunk: at most 16, dividing the channels,
/// with the chunk's weights within kChunkBudget.
int64_t chunkFor(const ConvShape &c, const GpuGrid &g) {
  const int64_t taps = c.kernelW * c.kernelH;
  int64_t chunk = std::min<int64_t>(c.inChannels, 16);
  while (chunk > 1 && (c.inChannels % chunk != 0 ||
                       g.channels * chunk * taps * 4 > kChunkBudget))
    --chunk;
  return chunk;
}

/// A conv in its own kernel: depthwise per thread, dense per block.
GpuConvPlan ownKernel(const ConvShape &c) {
  GpuConvPlan p{c};
  p.grid = gridFor(c.outChannels, c.outW, c.outH, 4);
  if (c.depthwise) {
    p.loop = GpuConvLoop::PerThread;
  } else {
    p.loop = GpuConvLoop::Blocks;
    p.chunk = chunkFor(c, p.grid);
  }
  return p;
}

/// The pointwise conv `pw` reading depthwise conv `dw`'s result from
/// shared memory: all of it for the block's pixels, so the block's threads
/// cover as many output channels as they can and few pixels.
GpuConvPlan pointwiseAfterDepthwise(const ConvShape &dw, const ConvShape &pw,
                                    bool reductions) {
  GpuGrid g;
  // Equal channel tiles of whole warps, within the zero-padded weights.
  const int64_t channelTiles =
      ceilDiv(ceilDiv(pw.outChannels, kWarp) * kWarp, kMaxThreads);
  g.channels = static_cast<int>(
      ceilDiv(ceilDiv(pw.outChannels, channelTiles), kWarp) * kWarp);
  if (g.channels * channelTiles >
      ceilDiv(pw.outChannels, kChannelPad) * kChannelPad)
    g.channels = kWarp;
  // With a LayerNorm between, the depthwise output is kept as well.
  const int64_t copies = reductions ? 2 : 1;
  const int64_t pixels =
      std::clamp<int64_t>(kSharedBudget / (4 * copies * dw.outChannels), 1, 64);
  g.pixels = pixelsFor(pw.outW, static_cast<int>(std::min<int64_t>(pixels, 8)));
  g.columns = static_cast<int>(std::clamp<int64_t>(
      std::min(pixels / g.pixels, ceilDiv(pw.outW, g.pixels)), 1,
      std::max(1, kMaxThreads / g.channels)));
  g.rows = 1;
  GpuConvPlan p{pw, GpuConvLoop::Blocks, g};
  p.chunk = chunkFor(pw, g);
  p.stageInput = false;
  return p;
}

std::string gridText(const GpuGrid &g) {
  return "blocks of " + std::to_string(g.channels) + " channels x " +
         std::to_string(g.columns * g.pixels) + " columns x " +
         std::to_string(g.rows) + " rows, " + std::to_string(g.pixels) +
         " pixels per thread";
}

llvm::json::Array gridJson(const GpuGrid &g) {
  return llvm::json::Array{g.channels, g.columns, g.rows, g.pixels};
}

const char *loopName(GpuConvLoop loop) {
  switch (loop) {
  case GpuConvLoop::PerThread:
    return "per-thread";
  case GpuConvLoop::Blocks:
    return "blocks";
  case GpuConvLoop::InBlock:
    return "in-block";
  }
  return "blocks";
}

const char *methodName(GpuMethod method) {
  switch (method) {
  case GpuMethod::Conv:
    return "conv";
  case GpuMethod::DepthwisePointwise:
    return "depthwise-pointwise";
  case GpuMethod::Linear:
    return "linear";
  case GpuMethod::Pixels:
    return "pixels";
  case GpuMethod::Flat:
    return "flat";
  }
  return "flat";
}

} // namespace

GpuStagePlan cnnc::codegen::chooseGpuPlan(const GpuStageShape &shape) {
  const StageShape &stage = shape.stage;
  GpuStagePlan plan;
  const std::vector<ConvShape> &convs = stage.convs;
  if (stage.kind == StageKind::DepthwisePointwise && !convs.empty()) {
    plan.method = GpuMethod::DepthwisePointwise;
    size_t d = 0;
    while (d < convs.size() && !convs[d].depthwise)
      ++d;
    for (size_t i = 0; i < convs.size(); ++i) {
      // Without a pointwise conv after the depthwise one, each conv is
      // its own kernel.
      if (d + 1 < convs.size() && i == d) {
        GpuConvPlan pw =
            pointwiseAfterDepthwise(convs[d], convs[d + 1], shape.reductions);
        plan.convs.push_back(GpuConvPlan{convs[d], GpuConvLoop::InBlock,
                                         pw.grid});
        plan.convs.push_back(pw);
        ++i;
        continue;
      }
      plan.convs.push_back(ownKernel(convs[i]));
    }
    return plan;
  }
  if (stage.kind == StageKind::Linear) {
    plan.method = GpuMethod::Linear;
    return plan;
  }
  if (!convs.empty()) {
    plan.method = GpuMethod::Conv;
    plan.convs.push_back(ownKernel(convs.back()));
    return plan;
  }
  if (shape.outShape.size() == 4) {
    plan.method = GpuMethod::Pixels;
    plan.grid = gridFor(shape.outShape[1], shape.outShape[3],
                        shape.outShape[2], 1);
  }
  return plan;
}

std::vector<std::string>
cnnc::codegen::describeGpuPlan(const GpuStagePlan &plan) {
  std::vector<std::string> lines;
  if (plan.method == GpuMethod::Linear)
    return {"a thread per output, blocks of 64"};
  if (plan.method == GpuMethod::Pixels || plan.method == GpuMethod::Flat)
    return {"a thread per output"};
  for (const GpuConvPlan &p : plan.convs) {
    const std::string head = "conv " + p.shape.describe() + ": ";
    switch (p.loop) {
    case GpuConvLoop::PerThread:
      lines.push_back(head + gridText(p.grid) + ", per thread");
      break;
    case GpuConvLoop::InBlock:
      lines.push_back("the depthwise result for the block's pixels, all " +
                      std::to_string(p.shape.outChannels) +
                      " channels, in shared memory");
      break;
    case GpuConvLoop::Blocks:
      lines.push_back(head + gridText(p.grid) +
                      ", accumulators in registers, input channels in chunks "
                      "of " +
                      std::to_string(p.chunk) + ", " +
                      (p.stageInput ? "input window and weights" : "weights") +
                      " staged in shared memory");
      break;
    }
  }
  return lines;
}

std::string cnnc::codegen::gpuPlanJson(const GpuStagePlan &plan) {
  llvm::json::Object o{{"method", methodName(plan.method)}};
  llvm::json::Array convs;
  for (const GpuConvPlan &p : plan.convs) {
    llvm::json::Object conv{{"conv", p.shape.describe()},
                            {"loop", loopName(p.loop)},
                            {"grid", gridJson(p.grid)}};
    if (p.loop == GpuConvLoop::Blocks) {
      conv["chunk"] = p.chunk;
      conv["stage_input"] = p.stageInput;
    }
    convs.push_back(std::move(conv));
  }
  if (!convs.empty())
    o["convs"] = std::move(convs);
  if (plan.method == GpuMethod::Pixels)
    o["grid"] = gridJson(plan.grid);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(std::move(o));
  return text;
}
