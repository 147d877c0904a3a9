//===- PlanCandidatesTest.cpp - Plans tuning measures and records ---------===//
//
// Every plan the chooser picks and every candidate `--tune` measures fits
// its stage, survives the JSON a tuning record stores, and a record that
// does not fit says why.
//
//===----------------------------------------------------------------------===//

#include "MachineModels.h"
#include "SchedulePlan.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <set>

using namespace cnnc::codegen;
using namespace cnnc::codegen::testing;

namespace {

const CpuModel kMachines[] = {kZen4, kSapphireRapids, kEightCores, kAvx2};

StageShape convStage(const ConvShape &c) {
  StageShape stage;
  stage.kind = StageKind::Conv;
  stage.convs = {c};
  return stage;
}

StageShape block(int64_t channels, int64_t expanded, int64_t size) {
  ConvShape depthwise = conv(1, expanded, 3, size);
  depthwise.depthwise = true;
  StageShape stage;
  stage.kind = StageKind::DepthwisePointwise;
  stage.convs = {conv(channels, expanded, 1, size), depthwise,
                 conv(expanded, channels, 1, size)};
  return stage;
}

std::vector<StageShape> stages() {
  StageShape linear;
  linear.kind = StageKind::Linear;
  linear.rank = 2;
  ConvShape depthwise = conv(1, 96, 3, 56);
  depthwise.depthwise = true;
  return {convStage(conv(64, 64, 3, 56)),   convStage(conv(512, 512, 3, 7)),
          convStage(conv(3, 64, 7, 112)),   convStage(conv(240, 40, 1, 28)),
          convStage(conv(64, 64, 3, 56, 4)), convStage(conv(256, 256, 3, 14, 2)),
          convStage(depthwise),             block(24, 144, 56),
          block(96, 576, 14),               linear};
}

llvm::json::Value asJson(const StagePlan &plan) {
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(planJson(plan));
  EXPECT_TRUE(static_cast<bool>(v));
  return v ? std::move(*v) : llvm::json::Value(nullptr);
}

TEST(PlanCandidates, ChosenAndCandidatePlansFitAndSurviveJson) {
  for (const CpuModel &cpu : kMachines)
    for (const StageShape &stage : stages()) {
      StagePlan chosen = chooseCpuPlan(stage, cpu);
      EXPECT_EQ(planMisfit(chosen, stage, cpu), "") << planJson(chosen);
      std::vector<StagePlan> candidates = candidateCpuPlans(stage, cpu);
      EXPECT_LE(candidates.size(), kMaxCandidatePlans);
      std::set<std::string> seen = {planJson(chosen)};
      candidates.push_back(chosen);
      for (const StagePlan &p : candidates) {
        const std::string json = planJson(p);
        EXPECT_EQ(planMisfit(p, stage, cpu), "") << json;
        EXPECT_TRUE(seen.insert(json).second || &p == &candidates.back())
            << "repeated candidate " << json;
        llvm::Expected<StagePlan> back = planFromJson(asJson(p), stage, cpu);
        ASSERT_TRUE(static_cast<bool>(back))
            << json << ": " << llvm::toString(back.takeError());
        EXPECT_EQ(planJson(*back), json);
      }
    }
}

TEST(PlanCandidates, DirectConvsTryEveryLoopAndTile) {
  // 64->64 3x3 at 56x56 runs by whole rows; rows and blocked are measured
  // too, and register tiles one vector narrower or wider.
  const StageShape stage = convStage(conv(64, 64, 3, 56));
  std::set<ConvLoop> loops;
  std::set<int> vectors;
  for (const StagePlan &p : candidateCpuPlans(stage, kMachines[0])) {
    loops.insert(p.convs.back().loop);
    vectors.insert(p.convs.back().tile.vectors);
  }
  EXPECT_TRUE(loops.count(ConvLoop::Rows));
  EXPECT_TRUE(loops.count(ConvLoop::Blocked));
  EXPECT_TRUE(vectors.count(2));
  // Winograd convs try strips against whole-layer phases.
  const StageShape winograd = convStage(conv(256, 256, 3, 14, 2));
  const ConvLoop chosen = chooseCpuPlan(winograd, kMachines[0]).convs[0].loop;
  bool other = false;
  for (const StagePlan &p : candidateCpuPlans(winograd, kMachines[0]))
    other |= p.convs[0].loop != chosen;
  EXPECT_TRUE(other);
}

TEST(PlanCandidates, RecordsThatDoNotFitSayWhy) {
  const CpuModel &cpu = kMachines[0];
  const StageShape stage = convStage(conv(128, 256, 1, 4));
  StagePlan p = chooseCpuPlan(stage, cpu);
  p.convs[0].tile.vectors = 3;
  EXPECT_EQ(planMisfit(p, stage, cpu),
            "conv 128->256 1x1 to 4x4: a tile of 3 vectors must divide its "
            "256 padded channels");
  p = chooseCpuPlan(stage, cpu);
  p.convs[0].tile = RegisterTile{4, 7};
  EXPECT_EQ(planMisfit(p, stage, cpu),
            "conv 128->256 1x1 to 4x4: a tile of 4 x 7 needs more than the 24 "
            "accumulators this CPU has");
  p = chooseCpuPlan(stage, cpu);
  p.convs[0].loop = ConvLoop::WinogradPhases;
  EXPECT_EQ(planMisfit(p, stage, cpu),
            "conv 128->256 1x1 to 4x4: it cannot run loop 'winograd-phases'");
  p = chooseCpuPlan(stage, cpu, ConvLoop::Blocked);
  p.convs[0].taskRows = 5;
  EXPECT_NE(planMisfit(p, stage, cpu), "");

  // The JSON must name the stage's conv, loops and tiles.
  auto error = [&](const char *text) {
    llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
    EXPECT_TRUE(static_cast<bool>(json));
    llvm::Expected<StagePlan> plan = planFromJson(*json, stage, cpu);
    return plan ? std::string("accepted") : llvm::toString(plan.takeError());
  };
  EXPECT_EQ(error(R"({"method": "conv", "convs": [{"conv": "64->64 1x1 to )"
                  R"(4x4", "loop": "rows", "tile": [4, 4]}]})"),
            "plan: conv 0 is not the stage's conv 128->256 1x1 to 4x4");
  EXPECT_EQ(error(R"({"method": "conv", "convs": [{"conv": "128->256 1x1 to )"
                  R"(4x4", "loop": "rows", "tile": [4, 99]}]})"),
            "plan: conv 128->256 1x1 to 4x4 needs a 'loop' name and a 'tile' "
            "[vectors, pixels] of 1..64");
  EXPECT_EQ(error(R"({"method": "sideways"})"), "plan: no known 'method'");
  EXPECT_EQ(error(R"([1])"), "plan: not an object");
  EXPECT_EQ(error(R"({"method": "conv", "convs": [{"conv": "128->256 1x1 to )"
                  R"(4x4", "loop": "rows", "tile": [4, 4]}]})"),
            "accepted");
}

} // namespace
