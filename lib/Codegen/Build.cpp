//===- Build.cpp - A model as scheduled Halide pipelines, one per stage ---===//
//
// Every stage is its own pipeline with constant bounds on every buffer (a
// wrong buffer is a Halide error code, never an out-of-bounds access),
// scheduled by the schedule library. Stages whose kernels would be
// identical share one.
//
//===----------------------------------------------------------------------===//

#include "Build.h"
#include "Lowerer.h"
#include "MemoryPlan.h"
#include "Tuning.h"
#include "cnnc/Support/Memory.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <map>

using namespace cnnc;

namespace cnnc::codegen {

std::vector<Halide::Argument> Built::arguments(int s) const {
  const Stage &stage = model.stages[s];
  std::vector<Halide::Argument> args;
  if (stage.layoutEntry)
    args.push_back(model.input);
  for (int a : stage.inputs)
    args.push_back(model.activations[a].param);
  for (int w : stage.weights)
    args.push_back(model.weights[w].first);
  return args;
}

/// The caller's output, back in NCHW: vectorized (or spread over GPU
/// threads) along its innermost dimension.
static void scheduleExit(Stage &exit, const Halide::Target &target) {
  Halide::Func out = exit.output;
  std::vector<Halide::Var> args = out.args();
  if (target.has_gpu_feature()) {
    Halide::Var bx("bx"), tx("tx"), by("by"), ty("ty");
    if (args.size() >= 2)
      out.gpu_tile(args[0], args[1], bx, by, tx, ty, 16, 16,
                   Halide::TailStrategy::GuardWithIf);
    else
      out.gpu_tile(args[0], bx, tx, 64, Halide::TailStrategy::GuardWithIf);
    exit.plan.push_back("layout conversion, a thread per output");
    return;
  }
  const int vec = target.natural_vector_size<float>();
  if (args.size() == 4) {
    // Blocks of a vector of columns by a vector of channels, rows in
    // parallel: a block reads a few whole cache lines of channels and
    // writes whole vectors of each channel's row. Vectors along rows
    // alone, one thread, made a 32x112x112 output take 0.25 ms.
    Halide::Var xo("xo"), xi("xi"), co("co"), ci("ci"), rows("rows");
    out.split(args[0], xo, xi, vec, Halide::TailStrategy::GuardWithIf)
        .split(args[2], co, ci, vec, Halide::TailStrategy::GuardWithIf)
        .reorder(xi, ci, xo, co, args[1], args[3])
        .vectorize(xi)
        .unroll(ci)
        .fuse(args[1], args[3], rows)
        .parallel(rows);
    exit.plan.push_back("layout conversion, blocks of " + std::to_string(vec) +
                        " columns x " + std::to_string(vec) +
                        " channels, rows in parallel");
    return;
  }
  out.vectorize(args[0], vec, Halide::TailStrategy::GuardWithIf);
  exit.plan.push_back("layout conversion, vectorized along rows");
}

/// Which instructions an int8 conv's dot products become on `target`.
static std::string int8Instructions(const Halide::Target &target) {
  using T = Halide::Target;
  if (target.arch == T::X86 && target.has_feature(T::AVX512_SapphireRapids))
    return "int8 dot products: AVX512-VNNI vpdpbusd, 4 u8 x s8 products per "
           "32-bit lane";
  if (target.arch == T::X86)
    return "int8 dot products: vpmaddwd on values widened to 16 bits, 2 "
           "products per 32-bit lane (no VNNI; cannot saturate)";
  if (target.arch == T::ARM && target.has_feature(T::ARMDotProd))
    return "int8 dot products: sdot/udot";
  return "int8 dot products: widening multiply-adds";
}

Halide::Target Built::stageTarget(int s) const {
  // Halide's Sapphire Rapids target lets LLVM use AVX512-FP16, which Zen 4
  // and 5 lack: a padded copy of 24 input channels (a whole vector and a
  // guarded part) moved 16-bit pieces with `vmovw` and died of SIGILL on
  // Zen 4. The copy now moves whole 16-byte vectors only
  // (scheduleQuantizedConv); convs of fewer input channels, and stems with
  // folded columns whose input rows are not whole 16-byte vectors (their
  // planar copy loads the last part of a row), use vpmaddwd.
  const std::optional<QuantizedConvInfo> &q = model.stages[s].quantizedConv;
  if (vnni && q && !q->depthwise &&
      (q->foldedColumns ? q->inW % 16 == 0 : q->inChannels >= 16))
    return target.with_feature(Halide::Target::AVX512_SapphireRapids);
  if (model.stages[s].strictFloat)
    return target.with_feature(Halide::Target::StrictFloat);
  return target;
}

/// The text a stage's kernel depends on.
static std::string kernelKey(const Built &b, const Stage &stage) {
  std::string key = stage.structure;
  // How each conv is computed, which the ops alone do not say.
  for (const ConvInfo &conv : stage.convs)
    key += "winograd " + std::to_string(conv.winograd.m) +
           (conv.integerValues ? " integers in f32" : "") + "\n";
  if (stage.quantizedConv && stage.quantizedConv->amx)
    key += "amx\n";
  if (!b.target.has_gpu_feature() && !stage.layoutExit) {
    StagePlan plan = stage.cpuPlan;
    plan.tuned = false; // the same code, whoever chose it
    key += "plan " + planJson(plan) + "\n";
  }
  auto bounds = [&](const Activation &a) {
    for (int e : a.extents)
      key += std::to_string(e) + ",";
    key += ";";
    // Slices of a concatenation's buffer and planar buffers: their
    // strides; a slice has no alignment.
    for (int stride : a.strides)
      key += std::to_string(stride) + ",";
    if (a.parent >= 0)
      key += "slice;";
  };
  for (int a : stage.inputs)
    bounds(b.model.activations[a]);
  if (stage.outputActivation >= 0)
    bounds(b.model.activations[stage.outputActivation]);
  key +=
      "\n" +
      b.stageTarget(static_cast<int>(&stage - &b.model.stages[0])).to_string();
  if (!b.target.has_gpu_feature())
    key += "\n" + b.cpu.describe();
  return key;
}

std::string describeBuilt(const Built &b) {
  static const char *kinds[] = {"conv", "depthwise_pointwise", "linear",
                                "reduction", "elementwise"};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "target " << b.target.to_string() << " ("
     << b.target.natural_vector_size<float>() << " floats per vector); "
     << b.model.stages.size() << " stages, " << b.kernels.size()
     << " distinct kernels, arena " << b.arenaBytes << " bytes\n";
  if (!b.target.has_gpu_feature())
    os << "CPU " << b.cpu.name << ": " << b.cpu.describe() << "\n";
  // A slice of a concatenation's buffer says where it sits.
  auto name = [&](int a) {
    if (a < 0)
      return std::string("output");
    const Activation &activation = b.model.activations[a];
    std::string text = "a" + std::to_string(a);
    if (activation.parent >= 0)
      text += " (channels " + std::to_string(activation.channelOffset) + "-" +
              std::to_string(activation.channelOffset + activation.shape[1]) +
              " of a" + std::to_string(activation.parent) + ", in place)";
    return text;
  };
  // Where the memory plan widened a map past its shape (to the tiles of
  // its producer and readers), what its stage computes.
  auto computed = [&](int a) {
    if (a < 0)
      return std::string();
    const Activation &activation = b.model.activations[a];
    const size_t rank = activation.shape.size();
    std::string text;
    bool wider = false;
    for (size_t d = 0; d < rank; ++d) {
      const int extent = activation.extents[argPosition(rank, d)];
      wider |= extent != activation.shape[d];
      text += (d ? "x" : "") + std::to_string(extent);
    }
    return wider ? " (computes " + text + ")" : std::string();
  };
  for (size_t s = 0; s < b.model.stages.size(); ++s) {
    const Stage &stage = b.model.stages[s];
    const Kernel &k = b.kernels[b.stageKernel[s]];
    os << stage.name << " [";
    for (size_t i = 0; i < stage.shape.size(); ++i)
      os << (i ? "x" : "") << stage.shape[i];
    os << "] " << kinds[static_cast<int>(stage.kind)] << " " << stage.layer
       << computed(stage.outputActivation) << "\n  reads ";
    if (stage.layoutEntry)
      os << "input ";
    for (int a : stage.inputs)
      os << name(a) << " ";
    os << "writes " << name(stage.outputActivation) << "; kernel " << k.symbol
       << " (compiled from " << b.model.stages[k.stage].name << ")\n";
    for (const std::string &line : stage.plan)
      os << "  " << line << "\n";
    if (!stage.layoutExit)
      os << "  plan "
         << (b.target.has_gpu_feature() ? gpuPlanJson(stage.gpuPlan)
                                        : planJson(stage.cpuPlan))
         << "\n";
  }
  return os.str();
}

/// Applies the tuning records for `cpu` and `target` to the stages of
/// `lowered`: their plans, and Winograd tiles that need `func` lowered
/// again.
static llvm::Error
applyTuningRecords(mlir::func::FuncOp func, LoweringOptions lowering,
                   const CompileOptions &options, const CpuModel &cpu,
                   const Halide::Target &target, LoweredModel &lowered) {
  std::string path = tuningRecordsPath(options);
  if (path.empty())
    return llvm::Error::success();
  llvm::Expected<TuningRecords> records = TuningRecords::load(path);
  if (!records)
    return records.takeError();
  if (!records->size())
    return llvm::Error::success();
  std::vector<const TuningRecord *> found(lowered.stages.size());
  for (size_t s = 0; s < lowered.stages.size(); ++s) {
    const Stage &stage = lowered.stages[s];
    if (stage.convs.empty())
      continue;
    const TuningRecord *r =
        records->find(cpu.name, target.to_string(), kernelSignature(stage));
    if (!r)
      continue;
    found[s] = r;
    const ConvInfo &conv = stage.convs.back();
    if (conv.winogradEligible && r->winograd >= 0 &&
        r->winograd != conv.winograd.m)
      lowering.winogradByStage[static_cast<int>(s)] = r->winograd;
  }
  if (!lowering.winogradByStage.empty()) {
    llvm::Expected<LoweredModel> again = lowerToHalide(func, lowering);
    if (!again)
      return again.takeError();
    lowered = std::move(*again);
  }
  for (size_t s = 0; s < lowered.stages.size(); ++s) {
    if (!found[s])
      continue;
    Stage &stage = lowered.stages[s];
    llvm::Expected<StagePlan> plan =
        planFromJson(found[s]->plan, stageShapeOf(stage), cpu);
    if (!plan)
      return failure("tuning records " + path + ", record for " +
                     found[s]->stage + ": " + llvm::toString(plan.takeError()));
    stage.choice.plan = std::move(*plan);
    stage.choice.tuned = true;
  }
  return llvm::Error::success();
}

/// Halide indexes buffers with 32-bit offsets: every tensor must stay
/// well below 2^31 elements (2^30 leaves room for the channel padding).
static llvm::Error checkTensorSizes(mlir::func::FuncOp func) {
  constexpr uint64_t kMaxElements = uint64_t(1) << 30;
  llvm::Error error = llvm::Error::success();
  auto check = [&](mlir::Value value, mlir::Operation *where) {
    auto type = llvm::dyn_cast<mlir::RankedTensorType>(value.getType());
    if (!type || error)
      return;
    uint64_t elements = f32Bytes(type.getShape()) / sizeof(float);
    if (elements <= kMaxElements)
      return;
    std::string text;
    llvm::raw_string_ostream os(text);
    if (auto at = llvm::dyn_cast<mlir::FileLineColLoc>(where->getLoc()))
      os << at.getFilename().getValue() << ":" << at.getLine() << ":"
         << at.getColumn() << ": ";
    os << where->getName() << " has a tensor of " << type << " (" << elements
       << " elements); generated code indexes tensors with 32-bit offsets, "
          "so each must have at most 2^30 elements";
    error = failure(os.str());
  };
  for (mlir::Value arg : func.getArguments())
    check(arg, func);
  func.walk([&](mlir::Operation *op) {
    for (mlir::Value result : op->getResults())
      check(result, op);
  });
  return error;
}

/// Why `name` cannot name the model's C entry points (`name`, `name_run`,
/// ...), or an empty string if it can.
static std::string badEntryName(llvm::StringRef name) {
  static const char *keywords[] = {
      "auto",      "break",    "case",     "char",   "const",   "continue",
      "default",   "do",       "double",   "else",   "enum",    "extern",
      "float",     "for",      "goto",     "if",     "inline",  "int",
      "long",      "register", "restrict", "return", "short",   "signed",
      "sizeof",    "static",   "struct",   "switch", "typedef", "union",
      "unsigned",  "void",     "volatile", "while",  "_Bool",   "_Complex",
      "_Imaginary"};
  if (name.empty() || llvm::isDigit(name.front()) ||
      !llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; }))
    return "it is not a C identifier";
  if (llvm::is_contained(keywords, name))
    return "it is a C keyword";
  return "";
}

llvm::Expected<Built> build(mlir::func::FuncOp func,
                            const CompileOptions &options,
                            const TuneCandidate *candidate) {
  const std::string name = options.functionName.empty()
                               ? func.getSymName().str()
                               : options.functionName;
  const bool writesC = options.emit == EmitKind::Object ||
                       options.emit == EmitKind::StaticLibrary ||
                       options.emit == EmitKind::SharedLibrary;
  if (std::string why = writesC ? badEntryName(name) : ""; !why.empty())
    return failure("'" + name + "' cannot name the model's C entry points: " +
                   why + "; choose another with --entry-name");
  if (llvm::Error e = checkTensorSizes(func))
    return std::move(e);
  llvm::Expected<std::string> targetString = resolveTarget(options.target);
  if (!targetString)
    return targetString.takeError();
  Halide::Target target(*targetString);
  const bool gpu = target.has_gpu_feature();
  LoweringOptions lowering;
  lowering.winograd = gpu ? WinogradMode::Off : options.winograd;
  lowering.runtimeTableLookups = !gpu;
  lowering.doubleLayerNorms = !gpu;
  lowering.amxConvs = options.amx && targetHasAmx(options.target, target);
  lowering.foldSmallStems = targetHasVnni(options.target, target);
  if (candidate && !gpu)
    lowering.winogradForAll = candidate->winograd;
  llvm::Expected<LoweredModel> lowered = lowerToHalide(func, lowering);
  if (!lowered)
    return lowered.takeError();
  Built built;
  built.cpu = cpuModelFor(target, options.l1CacheBytes, options.l2CacheBytes,
                          options.cores);
  if (candidate && !gpu) {
    for (Stage &stage : lowered->stages) {
      if (candidate->plan < 0 || stage.layoutExit)
        continue;
      std::vector<StagePlan> plans =
          candidateCpuPlans(stageShapeOf(stage), built.cpu);
      if (static_cast<size_t>(candidate->plan) < plans.size())
        stage.choice.plan = plans[candidate->plan];
    }
  } else if (!gpu) {
    if (llvm::Error e = applyTuningRecords(func, lowering, options, built.cpu,
                                           target, *lowered))
      return std::move(e);
  }
  built.model = std::move(*lowered);
  built.target = target;
  built.vnni = targetHasVnni(options.target, target);
  built.amx = lowering.amxConvs;
  built.name = name;
  LoweredModel &m = built.model;
  if (gpu)
    scheduleForGpu(m.stages);
  else
    scheduleForCpu(m.stages, built.cpu);
  scheduleExit(m.stages.back(), built.target);
  for (size_t s = 0; s < m.stages.size(); ++s)
    if (m.stages[s].quantizedConv && !m.stages[s].quantizedConv->depthwise &&
        !m.stages[s].quantizedConv->amx)
      m.stages[s].plan.push_back(
          int8Instructions(built.stageTarget(static_cast<int>(s))));
  built.arenaBytes = planMemory(m, /*concatInPlace=*/!gpu,
                                /*planarStemInputs=*/!gpu);

  std::map<std::string, int> kernelOf;
  for (size_t s = 0; s < m.stages.size(); ++s) {
    std::string key = kernelKey(built, m.stages[s]);
    auto [it, added] =
        kernelOf.insert({key, static_cast<int>(built.kernels.size())});
    if (added) {
      Kernel k;
      k.key = key;
      k.symbol = "cnnc_k_" + llvm::utohexstr(llvm::xxh3_64bits(key),
                                             /*LowerCase=*/true, 16);
      k.stage = static_cast<int>(s);
      built.kernels.push_back(std::move(k));
    }
    built.stageKernel.push_back(it->second);
  }
  return built;
}

} // namespace cnnc::codegen

/// A JSON value as the MLIR attribute that prints like it: objects as
/// dictionaries, arrays as arrays, numbers as i64, strings as strings.
static mlir::Attribute toAttribute(mlir::Builder &b,
                                   const llvm::json::Value &value) {
  if (const llvm::json::Object *o = value.getAsObject()) {
    llvm::SmallVector<mlir::NamedAttribute> entries;
    for (const auto &[key, field] : *o)
      entries.push_back(b.getNamedAttr(key, toAttribute(b, field)));
    return b.getDictionaryAttr(entries);
  }
  if (const llvm::json::Array *a = value.getAsArray()) {
    llvm::SmallVector<mlir::Attribute> items;
    for (const llvm::json::Value &item : *a)
      items.push_back(toAttribute(b, item));
    return b.getArrayAttr(items);
  }
  if (std::optional<int64_t> i = value.getAsInteger())
    return b.getI64IntegerAttr(*i);
  if (std::optional<bool> flag = value.getAsBoolean())
    return b.getBoolAttr(*flag);
  return b.getStringAttr(value.getAsString().value_or(""));
}

llvm::Error cnnc::annotateSchedules(mlir::func::FuncOp func,
                                    const CompileOptions &options) {
  using namespace codegen;
  llvm::Expected<Built> built = build(func, options);
  if (!built)
    return built.takeError();
  const bool gpu = built->target.has_gpu_feature();
  mlir::Builder builder(func.getContext());
  for (const Stage &stage : built->model.stages) {
    if (!stage.op)
      continue;
    std::string json =
        gpu ? gpuPlanJson(stage.gpuPlan) : planJson(stage.cpuPlan);
    stage.op->setAttr(
        "cnn.schedule",
        toAttribute(builder, llvm::cantFail(llvm::json::parse(json))));
  }
  return llvm::Error::success();
}
