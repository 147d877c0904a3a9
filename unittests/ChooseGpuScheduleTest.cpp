//===- ChooseGpuScheduleTest.cpp - The GPU schedule rules, without Halide -===//

#include "GpuPlan.h"
#include "MachineModels.h"

#include <gtest/gtest.h>

using namespace cnnc::codegen;
using namespace cnnc::codegen::testing;

namespace {

GpuStageShape stageOf(StageKind kind, std::vector<ConvShape> convs,
                      bool reductions = false) {
  GpuStageShape s;
  s.stage.kind = kind;
  s.stage.convs = std::move(convs);
  s.reductions = reductions;
  s.outShape = {1, s.stage.convs.back().outChannels,
                s.stage.convs.back().outH, s.stage.convs.back().outW};
  return s;
}

TEST(ChooseGpuSchedule, DenseConvsStageChunksWithinSharedMemory) {
  // 64->64 3x3: chunks of 16 input channels would stage 32 x 16 x 9 weights
  // (18 KB), over the 16 KB budget: 8 divides 64 and fits.
  GpuStagePlan p =
      chooseGpuPlan(stageOf(StageKind::Conv, {conv(64, 64, 3, 56)}));
  ASSERT_EQ(p.method, GpuMethod::Conv);
  ASSERT_EQ(p.convs.size(), 1u);
  EXPECT_EQ(p.convs[0].loop, GpuConvLoop::Blocks);
  EXPECT_EQ(p.convs[0].chunk, 8);
  EXPECT_EQ(p.convs[0].grid.channels, 32);
  EXPECT_EQ(p.convs[0].grid.pixels, 4); // 56 = 14 x 4: no padding
  EXPECT_LE(p.convs[0].grid.threads(), 256);
  // 14 tiles of 4 pixels a row: columns for half the threads at most (4,
  // equal groups), rows for the rest.
  EXPECT_EQ(gpuPlanJson(p),
            "{\"convs\":[{\"chunk\":8,\"conv\":\"64->64 3x3 to 56x56\","
            "\"grid\":[32,4,2,4],\"loop\":\"blocks\",\"stage_input\":true}],"
            "\"method\":\"conv\"}");
}

TEST(ChooseGpuSchedule, DepthwiseResultPerBlockOfThePointwiseConv) {
  ConvShape depthwise = conv(1, 144, 3, 28);
  depthwise.depthwise = true;
  GpuStagePlan p = chooseGpuPlan(
      stageOf(StageKind::DepthwisePointwise,
              {conv(24, 144, 1, 28), depthwise, conv(144, 24, 1, 28)}));
  ASSERT_EQ(p.method, GpuMethod::DepthwisePointwise);
  ASSERT_EQ(p.convs.size(), 3u);
  EXPECT_EQ(p.convs[0].loop, GpuConvLoop::Blocks);
  EXPECT_EQ(p.convs[1].loop, GpuConvLoop::InBlock);
  EXPECT_EQ(p.convs[2].loop, GpuConvLoop::Blocks);
  EXPECT_FALSE(p.convs[2].stageInput);
  std::vector<std::string> words = describeGpuPlan(p);
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(words[1], "the depthwise result for the block's pixels, all 144 "
                      "channels, in shared memory");
  // A LayerNorm between keeps two copies in shared memory: fewer pixels.
  GpuStagePlan norm = chooseGpuPlan(
      stageOf(StageKind::DepthwisePointwise,
              {depthwise, conv(144, 24, 1, 28)}, /*reductions=*/true));
  GpuStagePlan plain = chooseGpuPlan(stageOf(
      StageKind::DepthwisePointwise, {depthwise, conv(144, 24, 1, 28)}));
  EXPECT_LT(norm.convs[1].grid.columns * norm.convs[1].grid.pixels,
            plain.convs[1].grid.columns * plain.convs[1].grid.pixels);
}

TEST(ChooseGpuSchedule, DepthwiseAloneRunsPerThread) {
  ConvShape depthwise = conv(1, 32, 3, 112);
  depthwise.depthwise = true;
  GpuStagePlan p = chooseGpuPlan(stageOf(StageKind::Conv, {depthwise}));
  EXPECT_EQ(p.convs[0].loop, GpuConvLoop::PerThread);
  EXPECT_EQ(describeGpuPlan(p)[0],
            "conv depthwise 32 3x3 to 112x112: blocks of 32 channels x 16 "
            "columns x 2 rows, 4 pixels per thread, per thread");
}

} // namespace
