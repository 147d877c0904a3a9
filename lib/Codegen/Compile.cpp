//===- Compile.cpp - Ahead-of-time and JIT compilation of models ----------===//
//
// A model becomes one Halide pipeline with fixed input and output shapes
// (a wrong buffer is a Halide error code, never an out-of-bounds access).
// Ahead of time, Halide writes an object with its runtime inside; a small
// C wrapper adds the plain `<name>_run(const float *, float *)` entry, and
// the system's linker tools merge or link the pieces.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "cnnc/Codegen/Codegen.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace cnnc;
using namespace cnnc::codegen;

namespace {

llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Whether this CPU runs AVX-512 (Halide 14 reads Zen 4 as Sapphire Rapids
/// and would enable AMX, which it lacks; docs/measurements.md).
bool hostHasAvx512() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512dq");
#else
  return false;
#endif
}

/// The pipeline of a model, lowered, constrained and scheduled.
struct Built {
  LoweredModel model;
  Halide::Pipeline pipeline;
  Halide::Target target;
  std::string name;
};

llvm::Expected<Built> build(mlir::func::FuncOp func,
                            const CompileOptions &options) {
  llvm::Expected<std::string> targetString = resolveTarget(options.target);
  if (!targetString)
    return targetString.takeError();
  llvm::Expected<LoweredModel> lowered =
      lowerToHalide(func, options.schedule == "adams2019");
  if (!lowered)
    return lowered.takeError();
  Built built;
  built.model = std::move(*lowered);
  built.target = Halide::Target(*targetString);
  built.name = options.functionName.empty() ? func.getSymName().str()
                                            : options.functionName;
  LoweredModel &m = built.model;

  // Fixed shapes: the entry rejects any other buffer.
  const std::vector<int64_t> &in = m.inputShape;
  for (int d = 0; d < 4; ++d)
    m.input.dim(d).set_min(0).set_extent(static_cast<int>(in[3 - d]));
  Halide::OutputImageParam out = m.output.output_buffer();
  const std::vector<int64_t> &os = m.outputShape;
  for (size_t d = 0; d < os.size(); ++d)
    out.dim(d).set_min(0).set_extent(static_cast<int>(os[os.size() - 1 - d]));

  const bool gpu = built.target.has_gpu_feature();
  if (gpu && options.schedule != "cnnc")
    return failure("--schedule=" + options.schedule +
                   " supports CPU targets only; GPU targets (" +
                   built.target.to_string() + ") use the cnnc schedules");
  if (options.schedule == "adams2019") {
    // Greedy search (beam size 1) unless the user asks for more: the full
    // beam search takes minutes per pass on a whole network.
    setenv("HL_BEAM_SIZE", "1", /*overwrite=*/0);
    static bool loaded = [] {
      Halide::load_plugin(CNNC_ADAMS2019_PLUGIN);
      return true;
    }();
    (void)loaded;
    for (int d = 0; d < 4; ++d)
      m.input.dim(d).set_estimate(0, static_cast<int>(in[3 - d]));
    std::vector<std::pair<int, int>> estimates;
    for (size_t d = 0; d < os.size(); ++d)
      estimates.push_back({0, static_cast<int>(os[os.size() - 1 - d])});
    Halide::Region region;
    for (auto [min, extent] : estimates)
      region.push_back(Halide::Range(min, extent));
    m.output.set_estimates(region);
    built.pipeline = Halide::Pipeline(m.output);
    built.pipeline.auto_schedule("Adams2019", built.target,
                                 Halide::MachineParams(2, 32 << 20, 40));
    return built;
  }
  if (options.schedule != "cnnc")
    return failure("unknown schedule '" + options.schedule +
                   "' (use cnnc or adams2019)");
  // The NCHW output: vectorized (or spread over threads) along its
  // innermost dimension.
  std::vector<Halide::Var> outArgs = m.output.args();
  m.output.compute_root();
  if (gpu) {
    scheduleForGpu(m.stages);
    Halide::Var bx("bx"), tx("tx"), by("by"), ty("ty");
    if (outArgs.size() >= 2)
      m.output.gpu_tile(outArgs[0], outArgs[1], bx, by, tx, ty, 16, 16,
                        Halide::TailStrategy::GuardWithIf);
    else
      m.output.gpu_tile(outArgs[0], bx, tx, 64,
                        Halide::TailStrategy::GuardWithIf);
  } else {
    scheduleForCpu(m.stages, built.target);
    m.output.vectorize(outArgs[0], built.target.natural_vector_size<float>(),
                       Halide::TailStrategy::GuardWithIf);
  }
  built.pipeline = Halide::Pipeline(m.output);
  return built;
}

/// Runs Halide work, turning its exceptions into errors.
template <typename Fn> llvm::Error guarded(Fn fn) {
  try {
    return fn();
  } catch (const Halide::Error &e) {
    return failure(llvm::Twine("Halide: ") + e.what());
  }
}

int64_t product(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string shapeList(const std::vector<int64_t> &shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s;
}

std::string headerText(const Built &b, const CompileOptions &options) {
  const std::string &f = b.name;
  std::string guard = "CNNC_" + llvm::StringRef(f).upper() + "_H";
  const auto &in = b.model.inputShape, &out = b.model.outputShape;
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "/* Generated by cnnc" << (options.sourceName.empty() ? "" : " from ")
     << options.sourceName << " for target " << b.target.to_string() << ". */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "struct halide_buffer_t;\n\n"
     << "/* Halide-style entry. input: f32 NCHW [" << shapeList(in)
     << "] (Halide dims w, h, c, n); output: f32 [" << shapeList(out)
     << "] (dims reversed). Returns 0, or a Halide error code (a buffer of\n"
     << "   another shape, for example) after printing a message. */\n"
     << "int " << f
     << "(struct halide_buffer_t *input, struct halide_buffer_t *output);\n\n"
     << "/* Plain entry: dense row-major input of " << product(in)
     << " floats, output of " << product(out) << " floats. */\n"
     << "int " << f << "_run(const float *input_nchw, float *output);\n\n"
     << "#define " << llvm::StringRef(f).upper() << "_INPUT_RANK " << in.size()
     << "\n"
     << "#define " << llvm::StringRef(f).upper() << "_OUTPUT_RANK "
     << out.size() << "\n"
     << "static const long long " << f << "_input_shape[" << in.size()
     << "] = {" << shapeList(in) << "};\n"
     << "static const long long " << f << "_output_shape[" << out.size()
     << "] = {" << shapeList(out) << "};\n\n"
     << "/* Model-independent names, for programs that include one model. */\n"
     << "#ifndef CNNC_NO_GENERIC_NAMES\n"
     << "#define CNNC_MODEL_NAME \"" << f << "\"\n"
     << "#define CNNC_ENTRY " << f << "\n"
     << "#define CNNC_MODEL_RUN " << f << "_run\n"
     << "#define CNNC_INPUT_RANK " << in.size() << "\n"
     << "#define CNNC_OUTPUT_RANK " << out.size() << "\n"
     << "#define CNNC_INPUT_SHAPE " << f << "_input_shape\n"
     << "#define CNNC_OUTPUT_SHAPE " << f << "_output_shape\n"
     << "#define CNNC_INPUT_SIZE " << product(in) << "\n"
     << "#define CNNC_OUTPUT_SIZE " << product(out) << "\n"
     << "#endif\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
  return os.str();
}

/// Where each weight sits in the embedded data, 64-byte aligned.
std::vector<size_t> weightOffsets(const LoweredModel &m, size_t &total) {
  std::vector<size_t> offsets;
  total = 0;
  for (const auto &w : m.weights) {
    offsets.push_back(total);
    size_t bytes = w.second.size_in_bytes();
    total +=
        (bytes + kWeightAlignment - 1) / kWeightAlignment * kWeightAlignment;
  }
  return offsets;
}

/// `{min, extent, stride, flags}, ...` of a dense array of `extents`
/// (innermost first).
std::string denseDims(const std::vector<int64_t> &extents) {
  std::string s;
  int64_t stride = 1;
  for (int64_t extent : extents) {
    s += "{0, " + std::to_string(extent) + ", " + std::to_string(stride) +
         ", 0}, ";
    stride *= extent;
  }
  return s;
}

std::vector<int64_t> reversed(const std::vector<int64_t> &shape) {
  return std::vector<int64_t>(shape.rbegin(), shape.rend());
}

/// C source of the entries: `<name>` passes the embedded weights to the
/// Halide pipeline `<name>_impl`; `<name>_run` wraps dense arrays. A shared
/// library also exports `cnnc_model_metadata`, so that a runner needs no
/// header. On GPU targets the weights' device copies live in the static
/// buffers (made once, on the first call), and the entry copies the output
/// back to host memory.
std::string wrapperText(const Built &b, bool exportMetadata) {
  const bool gpu = b.target.has_gpu_feature();
  const std::string &f = b.name;
  const LoweredModel &m = b.model;
  size_t total = 0;
  std::vector<size_t> offsets = weightOffsets(m, total);
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "#include <HalideRuntime.h>\n#include <string.h>\n"
     << "extern const unsigned char cnnc_" << f << "_weights[];\n"
     << "int " << f << "_impl(struct halide_buffer_t *";
  for (size_t i = 0; i < m.weights.size(); ++i)
    os << ", struct halide_buffer_t *";
  os << ", struct halide_buffer_t *);\n";
  for (size_t i = 0; i < m.weights.size(); ++i) {
    const Halide::Buffer<float> &w = m.weights[i].second;
    std::vector<int64_t> extents;
    for (int d = 0; d < w.dimensions(); ++d)
      extents.push_back(w.dim(d).extent());
    os << "static struct halide_dimension_t w" << i << "_dims[] = {"
       << denseDims(extents) << "};\n"
       << "static struct halide_buffer_t w" << i
       << " = {.host = (uint8_t *)(cnnc_" << f << "_weights + " << offsets[i]
       << "), .flags = halide_buffer_flag_host_dirty"
       << ", .type = {halide_type_float, 32, 1}, .dimensions = "
       << w.dimensions() << ", .dim = w" << i << "_dims};\n";
  }
  // Halide's default error handler aborts; ours prints and lets the entry
  // return the error code.
  os << "static void report(void *user_context, const char *message) {\n"
     << "  (void)user_context;\n"
     << "  halide_print(NULL, \"" << f << ": \");\n"
     << "  halide_print(NULL, message);\n"
     << "  halide_print(NULL, \"\\n\");\n}\n"
     << "int " << f
     << "(struct halide_buffer_t *input, struct halide_buffer_t *output) {\n"
     << "  halide_set_error_handler(report);\n";
  if (gpu)
    os << "  halide_reuse_device_allocations(NULL, 1);\n"
       << "  if (input->host && !input->device)\n"
       << "    input->flags |= halide_buffer_flag_host_dirty;\n";
  os << "  int rc = " << f << "_impl(input";
  for (size_t i = 0; i < m.weights.size(); ++i)
    os << ", &w" << i;
  os << ", output);\n";
  if (gpu)
    os << "  if (rc == 0 && output->host)\n"
       << "    rc = halide_copy_to_host(NULL, output);\n";
  os << "  return rc;\n}\n"
     << "static void wrap(struct halide_buffer_t *b, void *data,\n"
     << "                 struct halide_dimension_t *dims, int rank) {\n"
     << "  memset(b, 0, sizeof *b);\n"
     << "  b->host = (uint8_t *)data;\n"
     << "  b->type.code = halide_type_float;\n"
     << "  b->type.bits = 32;\n  b->type.lanes = 1;\n"
     << "  b->dimensions = rank;\n  b->dim = dims;\n"
     << "  b->flags = halide_buffer_flag_host_dirty;\n}\n"
     << "int " << f << "_run(const float *input, float *output) {\n"
     << "  struct halide_dimension_t in_dims[] = {"
     << denseDims(reversed(m.inputShape)) << "};\n"
     << "  struct halide_dimension_t out_dims[] = {"
     << denseDims(reversed(m.outputShape)) << "};\n"
     << "  struct halide_buffer_t in, out;\n"
     << "  wrap(&in, (void *)input, in_dims, " << m.inputShape.size() << ");\n"
     << "  wrap(&out, output, out_dims, " << m.outputShape.size() << ");\n"
     << "  int rc = " << f << "(&in, &out);\n";
  if (gpu)
    os << "  halide_device_free(NULL, &in);\n"
       << "  halide_device_free(NULL, &out);\n";
  os << "  return rc;\n}\n";
  if (exportMetadata)
    os << "const char *cnnc_model_metadata(void) {\n"
       << "  return \"name=" << f << ";run=" << f << "_run;input="
       << llvm::join(
              llvm::map_range(m.inputShape,
                              [](int64_t d) { return std::to_string(d); }),
              ",")
       << ";output="
       << llvm::join(
              llvm::map_range(m.outputShape,
                              [](int64_t d) { return std::to_string(d); }),
              ",")
       << ";target=" << b.target.to_string() << "\";\n}\n";
  return os.str();
}

/// Writes the weights, in order and aligned, as one binary file.
llvm::Error writeWeights(const LoweredModel &m, llvm::StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return failure("cannot write " + path + ": " + ec.message());
  size_t total = 0;
  std::vector<size_t> offsets = weightOffsets(m, total);
  size_t at = 0;
  for (size_t i = 0; i < m.weights.size(); ++i) {
    os.write_zeros(offsets[i] - at);
    const Halide::Buffer<float> &w = m.weights[i].second;
    os.write(reinterpret_cast<const char *>(w.data()), w.size_in_bytes());
    at = offsets[i] + w.size_in_bytes();
  }
  os.write_zeros(total - at);
  return llvm::Error::success();
}

/// Assembly that embeds the weights file as read-only data.
std::string weightsAssembly(const std::string &name, llvm::StringRef binary) {
  return "  .section .rodata\n  .balign " + std::to_string(kWeightAlignment) +
         "\n  .globl cnnc_" + name + "_weights\ncnnc_" + name +
         "_weights:\n  .incbin \"" + binary.str() +
         "\"\n  .section .note.GNU-stack,\"\",@progbits\n";
}

/// Temporary files removed when this goes out of scope.
struct Scratch {
  std::vector<std::string> paths;
  ~Scratch() {
    for (const std::string &p : paths)
      llvm::sys::fs::remove(p);
  }
  llvm::Expected<std::string> make(llvm::StringRef suffix) {
    llvm::SmallString<128> path;
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("cnnc", suffix, path))
      return failure("cannot create a temporary file: " + ec.message());
    paths.push_back(std::string(path));
    return std::string(path);
  }
};

llvm::Error writeFile(llvm::StringRef path, llvm::StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return failure("cannot write " + path + ": " + ec.message());
  os << text;
  return llvm::Error::success();
}

llvm::Error runTool(llvm::StringRef name, std::vector<std::string> args) {
  llvm::ErrorOr<std::string> program = llvm::sys::findProgramByName(name);
  if (!program)
    return failure("cannot find '" + name + "' on PATH (needed to " +
                   "finish the output)");
  std::vector<llvm::StringRef> argv = {*program};
  for (const std::string &a : args)
    argv.push_back(a);
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*program, argv, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0)
    return failure("'" + name + "' failed (exit " + llvm::Twine(rc) + ")" +
                   (message.empty() ? "" : ": " + message));
  return llvm::Error::success();
}

/// Moves `from` to `to` (same file system or not).
llvm::Error publish(llvm::StringRef from, llvm::StringRef to) {
  if (!llvm::sys::fs::rename(from, to))
    return llvm::Error::success();
  if (std::error_code ec = llvm::sys::fs::copy_file(from, to))
    return failure("cannot write " + to + ": " + ec.message());
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::string> cnnc::resolveTarget(llvm::StringRef target) {
  std::string host =
      hostHasAvx512()
          ? "x86-64-linux-avx-avx2-avx512-avx512_skylake-avx512_cannonlake-"
            "f16c-fma-sse41"
          : Halide::get_host_target().to_string();
  std::string result = target.str();
  if (target == "host") {
    result = host;
  } else if (target.starts_with("host-")) {
    llvm::StringRef features = target.drop_front(4);
    const bool gpu = features.contains("-cuda") || features.contains("-opencl");
    // A GPU object's host part only launches kernels, and it must also run
    // on the GPU machine, whose CPU may lack AVX-512.
    if (gpu && hostHasAvx512())
      host = "x86-64-linux-avx-avx2-f16c-fma-sse41";
    result = host + features.str();
    // Volta's PTX unless asked otherwise: the driver compiles it for newer
    // GPUs, and LLVM 14's default (sm_20) lacks what Halide's CUDA code
    // can use there.
    if (features.contains("-cuda") && !features.contains("cuda_capability"))
      result += "-cuda_capability_70";
  }
  if (!Halide::Target::validate_target_string(result))
    return failure("unknown target '" + target +
                   "' (a Halide target string, or host, host-cuda, "
                   "host-opencl)");
  return result;
}

llvm::Error cnnc::compileModel(mlir::func::FuncOp func,
                               const CompileOptions &options,
                               llvm::StringRef outputPath) {
  return guarded([&]() -> llvm::Error {
    llvm::Expected<Built> built = build(func, options);
    if (!built)
      return built.takeError();
    std::vector<Halide::Argument> args = {built->model.input};
    for (const auto &w : built->model.weights)
      args.push_back(w.first);
    Scratch scratch;

    if (options.emit == EmitKind::Stmt || options.emit == EmitKind::Html) {
      llvm::Expected<std::string> tmp = scratch.make("stmt");
      if (!tmp)
        return tmp.takeError();
      built->pipeline.compile_to_lowered_stmt(
          *tmp, args,
          options.emit == EmitKind::Html ? Halide::HTML : Halide::Text,
          built->target);
      return publish(*tmp, outputPath);
    }

    llvm::Expected<std::string> halideObject = scratch.make("o");
    llvm::Expected<std::string> wrapperSource = scratch.make("c");
    llvm::Expected<std::string> wrapperObject = scratch.make("o");
    llvm::Expected<std::string> result = scratch.make("out");
    llvm::Expected<std::string> weightsBinary = scratch.make("bin");
    llvm::Expected<std::string> weightsSource = scratch.make("s");
    llvm::Expected<std::string> weightsObject = scratch.make("o");
    for (auto *e : {&halideObject, &wrapperSource, &wrapperObject, &result,
                    &weightsBinary, &weightsSource, &weightsObject})
      if (!*e)
        return e->takeError();
    built->pipeline.compile_to_object(*halideObject, args,
                                      built->name + "_impl", built->target);
    if (llvm::Error e = writeFile(
            *wrapperSource,
            wrapperText(*built, options.emit == EmitKind::SharedLibrary)))
      return e;
    if (llvm::Error e =
            runTool("cc", {"-c", "-O2", "-fPIC", "-I" CNNC_HALIDE_INCLUDE_DIR,
                           "-o", *wrapperObject, *wrapperSource}))
      return e;
    // The weights: written once, embedded by the assembler.
    if (llvm::Error e = writeWeights(built->model, *weightsBinary))
      return e;
    if (llvm::Error e = writeFile(*weightsSource,
                                  weightsAssembly(built->name, *weightsBinary)))
      return e;
    if (llvm::Error e = runTool("cc", {"-c", "-x", "assembler", "-o",
                                       *weightsObject, *weightsSource}))
      return e;

    switch (options.emit) {
    case EmitKind::Object:
      if (llvm::Error e = runTool("ld", {"-r", "-o", *result, *halideObject,
                                         *wrapperObject, *weightsObject}))
        return e;
      break;
    case EmitKind::StaticLibrary: {
      llvm::Expected<std::string> merged = scratch.make("o");
      if (!merged)
        return merged.takeError();
      llvm::sys::fs::remove(*result);
      if (llvm::Error e = runTool("ld", {"-r", "-o", *merged, *halideObject,
                                         *wrapperObject, *weightsObject}))
        return e;
      if (llvm::Error e = runTool("ar", {"rcs", *result, *merged}))
        return e;
      break;
    }
    case EmitKind::SharedLibrary:
      if (llvm::Error e = runTool(
              "cc", {"-shared", "-o", *result, *halideObject, *wrapperObject,
                     *weightsObject, "-lpthread", "-ldl", "-lm"}))
        return e;
      break;
    default:
      break;
    }
    // The header goes beside the output: OUT.o -> OUT.h.
    llvm::SmallString<128> headerPath(outputPath);
    llvm::sys::path::replace_extension(headerPath, "h");
    llvm::Expected<std::string> header = scratch.make("h");
    if (!header)
      return header.takeError();
    if (llvm::Error e = writeFile(*header, headerText(*built, options)))
      return e;
    if (llvm::Error e = publish(*result, outputPath))
      return e;
    return publish(*header, headerPath);
  });
}

//===----------------------------------------------------------------------===//
// JIT
//===----------------------------------------------------------------------===//

struct JitModel::Impl {
  Built built;
};

JitModel::JitModel(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
JitModel::~JitModel() = default;

const std::vector<int64_t> &JitModel::inputShape() const {
  return impl->built.model.inputShape;
}
const std::vector<int64_t> &JitModel::outputShape() const {
  return impl->built.model.outputShape;
}

llvm::Expected<std::unique_ptr<JitModel>>
JitModel::create(mlir::func::FuncOp func, const CompileOptions &options) {
  auto impl = std::make_unique<Impl>();
  if (llvm::Error e = guarded([&]() -> llvm::Error {
        llvm::Expected<std::string> target = resolveTarget(options.target);
        if (!target)
          return target.takeError();
        if (Halide::Target(*target).has_gpu_feature())
          return failure("target '" + options.target +
                         "' needs a GPU runtime, which this in-process JIT "
                         "does not load (PoCL crashes beside libHalide's "
                         "LLVM): compile it with cnnc --emit=shared-library "
                         "and run it with cnn-exec");
        llvm::Expected<Built> built = build(func, options);
        if (!built)
          return built.takeError();
        impl->built = std::move(*built);
        for (auto &w : impl->built.model.weights)
          w.first.set(w.second);
        impl->built.pipeline.compile_jit(impl->built.target);
        return llvm::Error::success();
      }))
    return std::move(e);
  return std::unique_ptr<JitModel>(new JitModel(std::move(impl)));
}

llvm::Error JitModel::run(const float *input, float *output) {
  return guarded([&]() -> llvm::Error {
    auto reversed = [](const std::vector<int64_t> &shape) {
      std::vector<int> dims;
      for (size_t d = shape.size(); d-- > 0;)
        dims.push_back(static_cast<int>(shape[d]));
      return dims;
    };
    LoweredModel &m = impl->built.model;
    Halide::Buffer<float> in(const_cast<float *>(input),
                             reversed(m.inputShape));
    Halide::Buffer<float> out(output, reversed(m.outputShape));
    m.input.set(in);
    impl->built.pipeline.realize(out, impl->built.target);
    return llvm::Error::success();
  });
}
