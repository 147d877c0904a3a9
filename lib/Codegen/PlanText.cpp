//===- PlanText.cpp - A stage plan in words and as JSON -------------------===//

#include "SchedulePlan.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace cnnc::codegen;

namespace {

/// The names the JSON, the tuning records and the words use: one table.
constexpr std::pair<ConvLoop, const char *> kLoopNames[] = {
    {ConvLoop::Auto, "auto"},
    {ConvLoop::Rows, "rows"},
    {ConvLoop::Blocked, "blocked"},
    {ConvLoop::WholeRows, "whole-rows"},
    {ConvLoop::WinogradStrips, "winograd-strips"},
    {ConvLoop::WinogradPhases, "winograd-phases"},
    {ConvLoop::PerStrip, "per-strip"}};

constexpr std::pair<StageMethod, const char *> kMethodNames[] = {
    {StageMethod::Conv, "conv"},
    {StageMethod::BlockStrips, "block-strips"},
    {StageMethod::BlockLayers, "block-layers"},
    {StageMethod::Linear, "linear"},
    {StageMethod::LayoutEntry, "layout-entry"},
    {StageMethod::ChannelsAndRows, "channels-and-rows"},
    {StageMethod::Features, "features"},
    {StageMethod::Unscheduled, "unscheduled"}};

const char *methodName(StageMethod method) {
  for (auto [value, name] : kMethodNames)
    if (value == method)
      return name;
  return "unscheduled";
}

/// A register tile in words; `unit` is what its second side counts.
std::string tileText(const RegisterTile &t, int vec,
                     const char *unit = "pixels") {
  return std::to_string(t.vectors) + " vectors (" +
         std::to_string(t.vectors * vec) + " channels) x " +
         std::to_string(t.pixels) + " " + unit;
}

/// One conv's plan in words, as a stage computing it into a root Func.
std::string convText(const ConvPlan &p, int vec) {
  const std::string head = "conv " + p.shape.describe() + ": ";
  const ConvShape &c = p.shape;
  switch (p.loop) {
  case ConvLoop::WinogradStrips:
  case ConvLoop::WinogradPhases:
    return head + "Winograd F(" + std::to_string(c.winogradM) + "x" +
           std::to_string(c.winogradM) + ", 3x3), " +
           std::to_string(c.winogradTilesX * c.winogradTilesY) + " tiles; " +
           (p.loop == ConvLoop::WinogradStrips
                ? "strips of " + std::to_string(p.stripRows) +
                      " tile rows in parallel, all phases per strip"
                : std::string("products per point in parallel")) +
           ", register tile " + tileText(p.tile, vec, "tiles");
  case ConvLoop::Blocked:
    return head + "blocked, register tile " + tileText(p.tile, vec) + ", " +
           std::to_string(p.taskRows) +
           " rows x one channel tile per task, input channels in blocks of " +
           std::to_string(p.reductionBlock);
  case ConvLoop::WholeRows:
    return head + "register tile " + tileText(p.tile, vec) +
           ", one row x all channel tiles per task";
  default:
    return head + "register tile " + tileText(p.tile, vec) +
           ", one row x one channel tile per task";
  }
}

} // namespace

const char *cnnc::codegen::convLoopName(ConvLoop loop) {
  for (auto [value, name] : kLoopNames)
    if (value == loop)
      return name;
  return "auto";
}

std::optional<ConvLoop> cnnc::codegen::convLoopNamed(llvm::StringRef name) {
  for (auto [value, text] : kLoopNames)
    if (name == text)
      return value;
  return std::nullopt;
}

std::string ConvShape::describe() const {
  return (depthwise ? "depthwise " + std::to_string(outChannels)
                    : std::to_string(inChannels) + "->" +
                          std::to_string(outChannels)) +
         " " + std::to_string(kernelH) + "x" + std::to_string(kernelW) +
         " to " + std::to_string(outH) + "x" + std::to_string(outW);
}

std::vector<std::string> cnnc::codegen::describePlan(const StagePlan &plan,
                                                     int vec) {
  std::vector<std::string> lines;
  switch (plan.method) {
  case StageMethod::Conv:
    lines.push_back(convText(plan.convs.back(), vec));
    break;
  case StageMethod::BlockLayers:
    lines.push_back("layer by layer: each inner conv's output at the root");
    for (const ConvPlan &p : plan.convs)
      lines.push_back(convText(p, vec));
    break;
  case StageMethod::BlockStrips: {
    const ConvPlan &last = plan.convs.back();
    const int64_t height = last.shape.outH;
    lines.push_back(
        "strips of " + std::to_string(plan.stripRows) + " rows (" +
        std::to_string((height + plan.stripRows - 1) / plan.stripRows) +
        " strips) in parallel, inner convs per strip");
    lines.push_back("conv " + last.shape.describe() + ": register tile " +
                    tileText(last.tile, vec) + " into the output");
    for (size_t i = 0; i + 1 < plan.convs.size(); ++i)
      lines.push_back("conv " + plan.convs[i].shape.describe() +
                      ": per strip, register tile " +
                      tileText(plan.convs[i].tile, vec));
    break;
  }
  case StageMethod::Linear:
    lines.push_back("outputs in tiles of " + std::to_string(plan.linearTile) +
                    " in parallel, weights streamed once");
    break;
  case StageMethod::LayoutEntry:
    lines.push_back("layout conversion, rows in parallel");
    break;
  case StageMethod::ChannelsAndRows:
    lines.push_back("vectorized over channels, rows in parallel");
    break;
  case StageMethod::Features:
    lines.push_back("vectorized over features");
    break;
  case StageMethod::Unscheduled:
    break;
  }
  if (plan.tuned && plan.method != StageMethod::BlockStrips)
    lines.push_back("(chosen by a tuning record)");
  return lines;
}

std::string cnnc::codegen::planJson(const StagePlan &plan) {
  llvm::json::Array convs;
  for (const ConvPlan &p : plan.convs) {
    llvm::json::Object conv{
        {"conv", p.shape.describe()},
        {"loop", convLoopName(p.loop)},
        {"tile", llvm::json::Array{p.tile.vectors, p.tile.pixels}}};
    if (p.shape.winogradM)
      conv["winograd"] = p.shape.winogradM;
    if (p.loop == ConvLoop::Blocked) {
      conv["task_rows"] = p.taskRows;
      conv["reduction_block"] = p.reductionBlock;
    }
    if (p.loop == ConvLoop::WinogradStrips)
      conv["strip_rows"] = p.stripRows;
    convs.push_back(std::move(conv));
  }
  llvm::json::Object o{{"method", methodName(plan.method)}};
  if (!convs.empty())
    o["convs"] = std::move(convs);
  if (plan.method == StageMethod::BlockStrips)
    o["strip_rows"] = plan.stripRows;
  if (plan.method == StageMethod::Linear)
    o["linear_tile"] = plan.linearTile;
  if (plan.tuned)
    o["tuned"] = true;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(std::move(o));
  return text;
}

llvm::Expected<StagePlan> cnnc::codegen::planFromJson(
    const llvm::json::Value &json, const StageShape &stage,
    const CpuModel &cpu) {
  auto bad = [](const llvm::Twine &why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "plan: " + why);
  };
  const llvm::json::Object *o = json.getAsObject();
  if (!o)
    return bad("not an object");
  // The shapes come from the stage; the plan's "conv" words must name them.
  const StagePlan chosen = chooseCpuPlan(stage, cpu);
  StagePlan plan;
  std::optional<llvm::StringRef> method = o->getString("method");
  auto named = llvm::find_if(kMethodNames, [&](auto entry) {
    return method && *method == entry.second;
  });
  if (named == std::end(kMethodNames))
    return bad("no known 'method'");
  plan.method = named->first;
  const llvm::json::Array *convs = o->getArray("convs");
  const size_t count = convs ? convs->size() : 0;
  if (count != chosen.convs.size())
    return bad("it has " + llvm::Twine(count) + " convs, the stage " +
               llvm::Twine(chosen.convs.size()));
  for (size_t i = 0; i < count; ++i) {
    const llvm::json::Object *c = (*convs)[i].getAsObject();
    const ConvShape &shape = chosen.convs[i].shape;
    std::optional<llvm::StringRef> words = c ? c->getString("conv") : "";
    if (!words || *words != shape.describe())
      return bad("conv " + llvm::Twine(i) + " is not the stage's conv " +
                 shape.describe());
    ConvPlan p{shape};
    std::optional<ConvLoop> loop =
        convLoopNamed(c->getString("loop").value_or(""));
    const llvm::json::Array *tile = c->getArray("tile");
    auto side = [&](size_t k) {
      std::optional<int64_t> v =
          tile && tile->size() == 2 ? (*tile)[k].getAsInteger() : std::nullopt;
      return v && *v >= 1 && *v <= 64 ? static_cast<int>(*v) : 0;
    };
    if (!loop || !side(0) || !side(1))
      return bad("conv " + shape.describe() +
                 " needs a 'loop' name and a 'tile' [vectors, pixels] of 1..64");
    p.loop = *loop;
    p.tile = RegisterTile{side(0), side(1)};
    p.taskRows = c->getInteger("task_rows").value_or(0);
    p.reductionBlock = c->getInteger("reduction_block").value_or(0);
    p.stripRows = c->getInteger("strip_rows").value_or(0);
    plan.convs.push_back(p);
  }
  plan.stripRows = o->getInteger("strip_rows").value_or(0);
  plan.linearTile = static_cast<int>(o->getInteger("linear_tile").value_or(0));
  if (std::string why = planMisfit(plan, stage, cpu); !why.empty())
    return bad(why);
  return plan;
}
