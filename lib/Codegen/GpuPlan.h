//===- GpuPlan.h - A stage's GPU schedule as data ---------------*- C++ -*-===//
//
// As for CPUs (SchedulePlan.h): a pure function chooses each stage's GPU
// plan, its thread grids and reduction chunks, from the stage's shapes
// (ChooseGpuSchedule.cpp, no Halide), and GpuSchedules.cpp applies it. The
// plan is what `--emit=schedule` prints for CUDA and OpenCL targets, in
// words and as JSON.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_GPUPLAN_H
#define CNNC_LIB_CODEGEN_GPUPLAN_H

#include "SchedulePlan.h"

namespace cnnc::codegen {

/// The thread grid of a block: `channels` x `columns` x `rows` threads,
/// each computing `pixels` consecutive outputs along x.
struct GpuGrid {
  int channels = 32, columns = 1, rows = 1, pixels = 1;
  int threads() const { return channels * columns * rows; }
};

/// How a conv runs on the GPU.
enum class GpuConvLoop {
  PerThread, // each thread its pixels, the whole reduction (depthwise)
  Blocks,    // per block, the reduction in chunks staged in shared memory
  InBlock,   // a depthwise conv computed per block of the pointwise conv
             // after it, all its channels, in shared memory
};

struct GpuConvPlan {
  ConvShape shape;
  GpuConvLoop loop = GpuConvLoop::Blocks;
  GpuGrid grid;
  /// Blocks: input channels per staged chunk, and whether the input
  /// window is staged too (not when it is already in shared memory).
  int64_t chunk = 0;
  bool stageInput = true;
};

enum class GpuMethod {
  Conv,               // the last conv writes the output
  DepthwisePointwise, // convs in program order, own kernels but InBlock
  Linear,             // a thread per output feature
  Pixels,             // a thread per output of a 4-D result
  Flat,               // a thread per output of another rank
};

struct GpuStagePlan {
  GpuMethod method = GpuMethod::Flat;
  std::vector<GpuConvPlan> convs;
  /// Pixels: the grid of the output.
  GpuGrid grid;
};

/// What the chooser knows of a stage, besides StageShape: whether it has
/// reductions besides its convs (a LayerNorm between depthwise and
/// pointwise keeps two copies in shared memory), and its output's NCHW
/// extents.
struct GpuStageShape {
  StageShape stage;
  bool reductions = false;
  std::vector<int64_t> outShape;
};

GpuStagePlan chooseGpuPlan(const GpuStageShape &stage);
/// The plan in words, one line per decision (`--emit=schedule`).
std::vector<std::string> describeGpuPlan(const GpuStagePlan &plan);
/// The plan as one line of JSON.
std::string gpuPlanJson(const GpuStagePlan &plan);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_GPUPLAN_H
