//===- ChooseScheduleTest.cpp - The CPU schedule rules, without Halide ----===//
//
// chooseCpuPlan for the CPUs this project's machines have come with
// (docs/measurements.md) and an 8-core one, on the layers whose plans
// differ between them.
//
//===----------------------------------------------------------------------===//

#include "MachineModels.h"
#include "SchedulePlan.h"

#include <gtest/gtest.h>

using namespace cnnc::codegen;
using namespace cnnc::codegen::testing;

namespace {

StagePlan planFor(const ConvShape &c, const CpuModel &cpu,
                  ConvLoop requested = ConvLoop::Auto) {
  StageShape stage;
  stage.kind = StageKind::Conv;
  stage.convs = {c};
  return chooseCpuPlan(stage, cpu, requested);
}

TEST(ChooseSchedule, RegisterTilesFromTheRegisterFile) {
  // ResNet's 56x56 3x3: 4 vectors x 4 pixels pad no row on AVX-512 (24
  // accumulators); AVX2's 12 allow 4 x 3 at most (3 vectors do not divide
  // 64 channels), and 2 pixels pad 56 less than 3.
  StagePlan p = planFor(conv(64, 64, 3, 56), kSapphireRapids);
  ASSERT_EQ(p.method, StageMethod::Conv);
  EXPECT_EQ(p.convs[0].tile.vectors, 4);
  EXPECT_EQ(p.convs[0].tile.pixels, 4);
  StagePlan avx2 = planFor(conv(64, 64, 3, 56), kAvx2);
  EXPECT_EQ(avx2.convs[0].tile.vectors, 4);
  EXPECT_EQ(avx2.convs[0].tile.pixels, 2);
  // 14-wide rows: 5 pixels pad to 15, as 3 do; the larger wins.
  EXPECT_EQ(planFor(conv(256, 256, 3, 14), kZen4).convs[0].tile.pixels, 5);
}

TEST(ChooseSchedule, TilesThatComputeLeastWhereChannelsAreNotMultiplesOf64) {
  // EfficientNet's 144 channels: 3 vectors compute 144, 4 would compute
  // 192; 96 channels: 2 vectors (96), not 4 (128); 80 channels on 14-wide
  // rows: 1 x 14 (80 x 14, a load per FMA) against 2 x 7 (96 x 14) and
  // 4 x 5 (128 x 15).
  EXPECT_EQ(planFor(conv(24, 144, 1, 56), kZen4).convs[0].tile.vectors, 3);
  RegisterTile t = planFor(conv(16, 96, 1, 112), kZen4).convs[0].tile;
  EXPECT_EQ(t.vectors, 2);
  EXPECT_EQ(t.pixels, 8);
  t = planFor(conv(480, 80, 1, 14), kZen4).convs[0].tile;
  EXPECT_EQ(t.vectors, 1);
  EXPECT_EQ(t.pixels, 14);
  // Where the channels are a multiple of 64, only columns differ, and the
  // loads weigh twice: ResNet's 256 channels on 14-wide rows keep 4 x 5
  // (15 columns), not 2 x 7 (9 loads per 14 FMAs).
  t = planFor(conv(256, 256, 1, 14), kZen4).convs[0].tile;
  EXPECT_EQ(t.vectors, 4);
  EXPECT_EQ(t.pixels, 5);
}

TEST(ChooseSchedule, RowsForAllChannelTilesWhereWeightsFitAndRowsFeedTheCores) {
  // 64->64 3x3 (147 KB of weights) on 56 rows: whole rows everywhere.
  for (const CpuModel &cpu : {kZen4, kSapphireRapids, kZen5, kEightCores})
    EXPECT_EQ(planFor(conv(64, 64, 3, 56), cpu).convs[0].loop,
              ConvLoop::WholeRows);
  // A 14x14 map with few weights: 14 rows keep 2 cores busy, not 8.
  EXPECT_EQ(planFor(conv(64, 64, 1, 14), kZen4).convs[0].loop,
            ConvLoop::WholeRows);
  EXPECT_EQ(planFor(conv(64, 64, 1, 14), kEightCores).convs[0].loop,
            ConvLoop::Rows);
  // 256->256 3x3 (2.4 MB): a task per row and channel tile.
  EXPECT_EQ(planFor(conv(256, 256, 3, 14), kSapphireRapids).convs[0].loop,
            ConvLoop::Rows);
}

TEST(ChooseSchedule, BlockedWhereWeightsOutgrowL2) {
  // 7x7 maps are always weight-bound.
  StagePlan small = planFor(conv(512, 512, 3, 7), kSapphireRapids);
  ASSERT_EQ(small.convs[0].loop, ConvLoop::Blocked);
  EXPECT_EQ(small.convs[0].taskRows, 7);
  EXPECT_EQ(small.convs[0].reductionBlock, 64); // an eighth of 2 MB
  EXPECT_EQ(planFor(conv(512, 512, 3, 7), kZen4).convs[0].reductionBlock, 32);
  // 512->512 3x3 at 14x14: a 64-channel tile's weights (1.1 MB) exceed a
  // 1 MB L2 (Zen 4, Zen 5), not the Xeon's 2 MB.
  EXPECT_EQ(planFor(conv(512, 512, 3, 14), kZen5).convs[0].loop,
            ConvLoop::Blocked);
  EXPECT_EQ(planFor(conv(512, 512, 3, 14), kSapphireRapids).convs[0].loop,
            ConvLoop::Rows);
}

TEST(ChooseSchedule, BlockedTilesThatShareTheCoresEvenly) {
  // MNASNet's 1152->320 1x1 on 7x7: 4 x 4 tiles (64 channels, 8 columns
  // for 7) compute least, but make five tasks, three on one core of two;
  // 2 x 7 tiles make ten.
  RegisterTile t = planFor(conv(1152, 320, 1, 7), kZen5).convs[0].tile;
  EXPECT_EQ(t.vectors, 2);
  EXPECT_EQ(t.pixels, 7);
  // Eight images make 40 tasks of 64 channels: those again.
  ConvShape batch = conv(1152, 320, 1, 7);
  batch.images = 8;
  EXPECT_EQ(planFor(batch, kZen5).convs[0].tile.vectors, 4);
  // 512 channels make eight tiles of 64 either way.
  EXPECT_EQ(planFor(conv(512, 512, 1, 7), kZen5).convs[0].tile.vectors, 4);
}

TEST(ChooseSchedule, ARequestedLoopWinsExceptForDepthwiseConvs) {
  // Depthwise convs run a task per row for all channel tiles: a task per
  // tile is too little work.
  EXPECT_EQ(
      planFor(conv(64, 64, 3, 56), kZen4, ConvLoop::Blocked).convs[0].loop,
      ConvLoop::Blocked);
  ConvShape depthwise = conv(1, 96, 3, 56);
  depthwise.depthwise = true;
  StagePlan p = planFor(depthwise, kZen4, ConvLoop::Blocked);
  EXPECT_EQ(p.convs[0].loop, ConvLoop::WholeRows);
  EXPECT_EQ(p.convs[0].tile.vectors, 2); // depthwise tiles: 2 vectors
}

TEST(ChooseSchedule, WinogradStripsNeedTilesPerStripForEveryCore) {
  // VGG/ResNet's 64->64 F(4x4) at 56x56: 14 x 14 tiles. On 2 cores strips
  // of 3 tile rows (42 tiles); on 8 cores a strip would be one row of 14
  // tiles, too few to reuse the weights: whole-layer phases.
  ConvShape c = conv(64, 64, 3, 56);
  c.winogradM = 4;
  c.winogradTilesX = c.winogradTilesY = 14;
  StagePlan two = planFor(c, kSapphireRapids);
  ASSERT_EQ(two.convs[0].loop, ConvLoop::WinogradStrips);
  EXPECT_EQ(two.convs[0].stripRows, 3);
  EXPECT_EQ(planFor(c, kEightCores).convs[0].loop, ConvLoop::WinogradPhases);
}

TEST(ChooseSchedule, DepthwisePointwiseBlocksByStripsOrLayers) {
  // MobileNetV2's 56x56 block (24 -> 144 -> depthwise -> 24): strips of
  // a sixth of L1, at least two per core, of equal height (14 rows on 2
  // cores; 16 strips rounded to 14 of 4 rows on 8).
  ConvShape expand = conv(24, 144, 1, 56), project = conv(144, 24, 1, 56);
  ConvShape depthwise = conv(1, 144, 3, 56);
  depthwise.depthwise = true;
  StageShape block;
  block.kind = StageKind::DepthwisePointwise;
  block.convs = {expand, depthwise, project};
  StagePlan two = chooseCpuPlan(block, kZen4);
  ASSERT_EQ(two.method, StageMethod::BlockStrips);
  ASSERT_EQ(two.convs.size(), 3u);
  EXPECT_EQ(two.stripRows, 14);
  EXPECT_EQ(chooseCpuPlan(block, kEightCores).stripRows, 4);
  // At 28x28: layer by layer, each conv with its own plan.
  for (ConvShape *c : {&expand, &depthwise, &project})
    c->outW = c->outH = 28;
  block.convs = {expand, depthwise, project};
  StagePlan layers = chooseCpuPlan(block, kZen4);
  EXPECT_EQ(layers.method, StageMethod::BlockLayers);
  EXPECT_EQ(layers.convs[1].loop, ConvLoop::WholeRows);
}

TEST(ChooseSchedule, PlansPrintAsWordsAndJson) {
  StagePlan p = planFor(conv(512, 512, 3, 7), kSapphireRapids);
  std::vector<std::string> words = describePlan(p, 16);
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0], "conv 512->512 3x3 to 7x7: blocked, register tile 4 "
                      "vectors (64 channels) x 4 pixels, 7 rows x one "
                      "channel tile per task, input channels in blocks of 64");
  EXPECT_EQ(planJson(p),
            "{\"convs\":[{\"conv\":\"512->512 3x3 to 7x7\",\"loop\":"
            "\"blocked\",\"reduction_block\":64,\"task_rows\":7,\"tile\":[4,"
            "4]}],\"method\":\"conv\"}");
  EXPECT_EQ(convLoopNamed("whole-rows"), ConvLoop::WholeRows);
  EXPECT_FALSE(convLoopNamed("sideways").has_value());
}

TEST(ChooseSchedule, SimpleStages) {
  StageShape entry;
  entry.layoutEntry = true;
  EXPECT_EQ(chooseCpuPlan(entry, kZen4).method, StageMethod::LayoutEntry);
  StageShape head;
  head.kind = StageKind::Linear;
  head.rank = 2;
  EXPECT_EQ(chooseCpuPlan(head, kZen4).linearTile, 64);
  EXPECT_EQ(chooseCpuPlan(head, kAvx2).linearTile, 32);
  StageShape pooled;
  pooled.kind = StageKind::Reduction;
  pooled.rank = 2;
  EXPECT_EQ(chooseCpuPlan(pooled, kZen4).method, StageMethod::Features);
}

} // namespace
