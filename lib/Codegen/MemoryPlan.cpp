//===- MemoryPlan.cpp - Activation buffers and their arena ----------------===//
//
// A stage's schedule may round its output region up to whole tiles
// (TailStrategy::RoundUp): its output buffer must then be that large. In
// each dimension where a consumer's output is as long as the activation,
// the consumer may read it at its own coordinates, so the buffer must also
// cover the consumer's buffer there. Other reads (a conv's or pool's
// window, concat, broadcasts) go through boundary conditions or clamps
// and stay inside the activation's shape. Halide checks every access
// against the bounds set here, so a miss is an error, never a stray read.
//
//===----------------------------------------------------------------------===//

#include "MemoryPlan.h"
#include "Lowerer.h"

#include <map>
#include <numeric>
#include <optional>
#include <set>

namespace cnnc::codegen {

int64_t Activation::bytes() const {
  int64_t n = type.bytes();
  for (int e : extents)
    n *= e;
  return (n + kWeightAlignment - 1) / kWeightAlignment * kWeightAlignment;
}

/// Per Halide dimension of `out`'s pure definition: the multiple its
/// region is rounded up to by the schedule's splits.
static std::vector<int> roundingOf(const Halide::Func &out) {
  using Halide::Internal::Split;
  std::vector<Halide::Var> args = out.args();
  std::vector<int> multiple(args.size(), 1);
  // Each loop variable: the dimension it walks and its stride in it.
  std::map<std::string, std::pair<int, int>> loops;
  for (size_t d = 0; d < args.size(); ++d)
    loops[args[d].name()] = {static_cast<int>(d), 1};
  for (const Split &split : out.function().definition().schedule().splits()) {
    auto it = loops.find(split.old_var);
    if (it == loops.end())
      continue;
    auto [dim, stride] = it->second;
    if (split.is_rename()) {
      loops[split.outer] = {dim, stride};
      continue;
    }
    if (!split.is_split())
      continue; // fused loops: no rounding of their own
    const int64_t *factor = Halide::Internal::as_const_int(split.factor);
    if (!factor)
      continue;
    if (split.tail == Halide::TailStrategy::RoundUp)
      multiple[dim] =
          std::lcm(multiple[dim], stride * static_cast<int>(*factor));
    loops[split.outer] = {dim, stride * static_cast<int>(*factor)};
    loops[split.inner] = {dim, stride};
  }
  return multiple;
}

/// Extents in Halide dimension order of an NCHW (or [N, K]) shape.
static std::vector<int> halideExtents(const std::vector<int64_t> &shape) {
  std::vector<int> extents(shape.size());
  for (size_t d = 0; d < shape.size(); ++d)
    extents[argPosition(shape.size(), d)] = static_cast<int>(shape[d]);
  return extents;
}

static int roundUp(int value, int multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

/// The strides of a dense buffer of `extents`, innermost first.
static std::vector<int> denseStrides(const std::vector<int> &extents) {
  std::vector<int> dense(extents.size());
  int stride = 1;
  for (size_t d = 0; d < extents.size(); ++d) {
    dense[d] = stride;
    stride *= extents[d];
  }
  return dense;
}

std::vector<int> Activation::strideList() const {
  return strides.empty() ? denseStrides(extents) : strides;
}

/// Where the concatenation of `stage` can be written in place: the
/// activation whose buffer holds it and its first channel there, or none.
/// Its operands must be activations of exactly their channels (not
/// rounded up to a tile), as wide, tall and batched as that buffer. Going
/// from the last concatenation to the first, an operand already placed in
/// a later one's buffer stays there: DenseNet's concatenations of the
/// same growing list of maps are all prefixes of the block's last one.
static std::optional<std::pair<int, int64_t>>
inPlaceHome(const LoweredModel &model, const Stage &stage) {
  if (stage.concatSources.empty())
    return std::nullopt;
  const int outIndex = stage.outputActivation;
  const Activation &out = model.activations[outIndex];
  if (out.extents[0] != out.shape[1])
    return std::nullopt;
  std::set<int> seen;
  for (int source : stage.concatSources)
    if (source < 0 || !seen.insert(source).second ||
        model.activations[source].extents[0] !=
            model.activations[source].shape[1])
      return std::nullopt;
  // The home: where the concatenation already is, else where its first
  // operand is (then every operand must be placed), else its own buffer.
  int home = outIndex;
  int64_t base = 0;
  bool allPlaced = false;
  const Activation &first = model.activations[stage.concatSources[0]];
  if (out.parent >= 0) {
    home = out.parent;
    base = out.channelOffset;
  } else if (first.parent >= 0) {
    home = first.parent;
    base = first.channelOffset;
    allPlaced = true;
  }
  const Activation &buffer = model.activations[home];
  int64_t channel = base;
  for (int source : stage.concatSources) {
    const Activation &a = model.activations[source];
    if (a.parent >= 0 ? a.parent != home || a.channelOffset != channel
                      : allPlaced)
      return std::nullopt;
    for (size_t d = 1; d < a.extents.size(); ++d)
      if (a.extents[d] != buffer.extents[d])
        return std::nullopt;
    channel += a.shape[1];
  }
  return std::pair{home, base};
}

/// Concatenations along channels that can be, written in place: their
/// operands' producers write straight into their channels of its buffer
/// (strided), and the copying stage goes (DenseNet's dense blocks, a
/// U-Net's skip connections).
static void writeConcatsInPlace(LoweredModel &model) {
  std::vector<bool> removed(model.stages.size(), false);
  for (size_t s = model.stages.size(); s-- > 0;) {
    const Stage &stage = model.stages[s];
    std::optional<std::pair<int, int64_t>> home = inPlaceHome(model, stage);
    if (!home)
      continue;
    auto [buffer, channel] = *home;
    const std::vector<int> strides = model.activations[buffer].strideList();
    Activation &out = model.activations[stage.outputActivation];
    out.writtenInSlices = true;
    if (buffer != stage.outputActivation) {
      out.parent = buffer;
      out.channelOffset = channel;
      out.strides = strides;
    }
    for (int source : stage.concatSources) {
      Activation &a = model.activations[source];
      a.parent = buffer;
      a.channelOffset = channel;
      a.strides = strides;
      channel += a.shape[1];
    }
    removed[s] = true;
  }
  // Stage indices after the removal; a removed stage's reads count as
  // the stage's before it (its operands live in its buffer anyway).
  std::vector<int> renumbered(model.stages.size());
  int kept = 0;
  for (size_t s = 0; s < model.stages.size(); ++s)
    renumbered[s] = removed[s] ? kept - 1 : kept++;
  for (Activation &a : model.activations) {
    a.producer = renumbered[a.producer];
    a.lastUse = renumbered[a.lastUse];
  }
  // A buffer written in slices lives from its first slice's producer to
  // the last read of it or of a slice.
  for (Activation &a : model.activations)
    if (a.parent >= 0) {
      Activation &whole = model.activations[a.parent];
      whole.producer = std::min(whole.producer, a.producer);
      whole.lastUse = std::max(whole.lastUse, a.lastUse);
    }
  std::vector<Stage> stages;
  for (size_t s = 0; s < model.stages.size(); ++s)
    if (!removed[s])
      stages.push_back(std::move(model.stages[s]));
  model.stages = std::move(stages);
}

/// Offsets by liveness: largest first, each at the lowest offset clear of
/// every placed activation alive at the same time. Slices of another
/// activation sit inside it.
static int64_t assignOffsets(std::vector<Activation> &activations) {
  std::vector<size_t> order;
  for (size_t i = 0; i < activations.size(); ++i)
    if (activations[i].parent < 0)
      order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return activations[a].bytes() > activations[b].bytes();
  });
  std::vector<size_t> placed;
  int64_t arena = 0;
  for (size_t i : order) {
    Activation &a = activations[i];
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (size_t j : placed) {
      const Activation &b = activations[j];
      if (a.producer <= b.lastUse && b.producer <= a.lastUse)
        busy.push_back({b.offset, b.offset + b.bytes()});
    }
    std::sort(busy.begin(), busy.end());
    int64_t at = 0;
    for (auto [begin, end] : busy) {
      if (at + a.bytes() <= begin)
        break;
      at = std::max(at, end);
    }
    a.offset = at;
    arena = std::max(arena, at + a.bytes());
    placed.push_back(i);
  }
  for (Activation &a : activations)
    if (a.parent >= 0)
      a.offset = activations[a.parent].offset +
                 a.channelOffset * static_cast<int64_t>(a.type.bytes());
  return arena;
}

/// Whether activation `a` is an input that only int8 stems with folded
/// kernel columns read, written by the layout entry: planar then, so that
/// a stem's dot product of 4 folded channels, 4 neighbouring columns of
/// one channel, is one load (LowerQuant.cpp).
static bool onlyFoldedStemsRead(const LoweredModel &model, int a) {
  const Activation &activation = model.activations[a];
  if (activation.shape.size() != 4 || activation.parent >= 0 ||
      !model.stages[activation.producer].layoutEntry)
    return false;
  bool read = false;
  for (const Stage &stage : model.stages)
    if (llvm::is_contained(stage.inputs, a)) {
      if (!stage.quantizedConv || !stage.quantizedConv->foldedColumns ||
          stage.quantizedConv->inputActivation != a)
        return false;
      read = true;
    }
  return read;
}

int64_t planMemory(LoweredModel &model, bool concatInPlace,
                   bool planarStemInputs) {
  std::vector<std::vector<int>> rounding(model.stages.size());
  for (size_t s = 0; s < model.stages.size(); ++s)
    rounding[s] = roundingOf(model.stages[s].output);

  auto roundToProducer = [&](Activation &a) {
    const std::vector<int> &own = rounding[a.producer];
    for (size_t d = 0; d < a.extents.size(); ++d)
      a.extents[d] = roundUp(a.extents[d], own[d]);
  };
  for (Activation &a : model.activations) {
    a.extents = halideExtents(a.shape);
    roundToProducer(a);
    a.lastUse = a.producer;
  }
  // A producer computes its whole buffer (one buffer per activation, which
  // GPU targets keep on the device between kernels), and so reads its
  // same-shaped inputs over all of it: sizes flow from the last stage
  // back.
  for (size_t s = model.stages.size(); s-- > 0;) {
    const Stage &stage = model.stages[s];
    for (int input : stage.inputs) {
      Activation &a = model.activations[input];
      a.lastUse = std::max(a.lastUse, static_cast<int>(s));
      if (stage.shape.size() != a.shape.size() || stage.layoutExit)
        continue;
      // In a dimension where the stage's output is as long as the
      // activation, the stage may read at its own coordinates (channels
      // of a pool, a broadcast add's channels, everything of an
      // activation).
      std::vector<int> mine = halideExtents(stage.shape),
                       theirs = halideExtents(a.shape);
      const std::vector<int> &region =
          model.activations[stage.outputActivation].extents;
      // A dense int8 conv reads its input's channels through its reduction
      // and its padded copy, in whole vectors, not at its own channels:
      // widening them to its rounded output (RegNetY's 208 to 256) made
      // every stage back to the grouped conv before it compute 256, and
      // that conv gather its input lane by lane.
      const bool reducesChannels =
          stage.quantizedConv && !stage.quantizedConv->depthwise &&
          !stage.quantizedConv->foldedColumns &&
          stage.quantizedConv->inputActivation == input && a.shape.size() == 4;
      for (size_t d = 0; d < a.extents.size(); ++d)
        if (mine[d] == theirs[d])
          a.extents[d] =
              std::max(a.extents[d], reducesChannels && d == 0
                                         ? roundUp(theirs[d], kInt8Lanes)
                                         : region[d]);
      roundToProducer(a);
    }
  }
  if (concatInPlace)
    writeConcatsInPlace(model);
  if (planarStemInputs)
    for (size_t i = 0; i < model.activations.size(); ++i)
      if (onlyFoldedStemsRead(model, static_cast<int>(i))) {
        Activation &a = model.activations[i];
        const std::vector<int> &e = a.extents; // (c, x, y, n)
        a.strides = {e[1] * e[2], 1, e[1], e[0] * e[1] * e[2]};
      }
  // Constant bounds and strides: each kernel is compiled for exactly its
  // buffers.
  auto constrain = [](auto &&param, const std::vector<int> &extents,
                      const std::vector<int> &strides) {
    for (size_t d = 0; d < extents.size(); ++d)
      param.dim(d).set_min(0).set_extent(extents[d]).set_stride(strides[d]);
  };
  for (Activation &a : model.activations) {
    const std::vector<int> strides = a.strideList();
    constrain(a.param, a.extents, strides);
    // A slice starts at its first channel, wherever that falls.
    if (a.parent < 0)
      a.param.set_host_alignment(kWeightAlignment);
    if (!a.writtenInSlices)
      constrain(model.stages[a.producer].output.output_buffer(), a.extents,
                strides);
  }
  // The caller's buffers: dense NCHW, Halide dims reversed.
  auto constrainDense = [&](auto &&param, const std::vector<int64_t> &shape) {
    const std::vector<int> extents(shape.rbegin(), shape.rend());
    constrain(param, extents, denseStrides(extents));
  };
  constrainDense(model.input, model.inputShape);
  constrainDense(model.output.output_buffer(), model.outputShape);
  return assignOffsets(model.activations);
}

int64_t peakLiveBytes(const LoweredModel &model) {
  int64_t peak = 0;
  for (size_t s = 0; s < model.stages.size(); ++s) {
    int64_t live = 0;
    for (const Activation &a : model.activations)
      if (a.parent < 0 && a.producer <= static_cast<int>(s) &&
          static_cast<int>(s) <= a.lastUse)
        live += a.bytes();
    peak = std::max(peak, live);
  }
  return peak;
}

} // namespace cnnc::codegen
