//===- ModelRuntimeTest.cpp - The runtime every compiled model carries ----===//
//
// runtime/cnnc_model_runtime.c compiled on its own, with a fake model's
// tables and stage sequence around it, as cnnc writes them around a real
// model's kernels; Halide's runtime is replaced by a test double that
// counts allocations.
//
//===----------------------------------------------------------------------===//

#include <HalideRuntime.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {
std::atomic<int> mallocs{0};
halide_malloc_t customMalloc;
halide_free_t customFree;
std::mutex printedLock;
std::string printed;
} // namespace

// The Halide runtime functions the model runtime calls (the mutex and the
// clock: HalideRuntimeDouble.cpp).
extern "C" {
void *halide_default_malloc(void *, size_t size) {
  ++mallocs;
  return std::malloc(size);
}
void halide_default_free(void *, void *p) { std::free(p); }
halide_malloc_t halide_set_custom_malloc(halide_malloc_t f) {
  halide_malloc_t old = customMalloc;
  customMalloc = f;
  return old;
}
halide_free_t halide_set_custom_free(halide_free_t f) {
  halide_free_t old = customFree;
  customFree = f;
  return old;
}
halide_error_handler_t halide_set_error_handler(halide_error_handler_t f) {
  return f;
}
void halide_print(void *, const char *text) {
  std::lock_guard<std::mutex> lock(printedLock);
  printed += text;
}
}

// A model's tables, as cnnc writes them: a [2, 8] input and output.
#define MODEL_NAME fake
#define MODEL_GPU 0
#define MODEL_EXPORT_INFO 1
#define MODEL_ARENA_BYTES 4096
#define MODEL_INPUT_RANK 2
#define MODEL_OUTPUT_RANK 2
#define MODEL_INPUT_SHAPE                                                      \
  { 2, 8 }
#define MODEL_OUTPUT_SHAPE                                                     \
  { 2, 8 }
#define MODEL_TARGET "x86-64-linux"
static const struct halide_dimension_t model_input_dims[] = {{0, 8, 1, 0},
                                                             {0, 2, 8, 0}};
static const struct halide_dimension_t model_output_dims[] = {{0, 8, 1, 0},
                                                              {0, 2, 8, 0}};
static const char model_stage_table[] = "fc\tlinear\t2x8\t128\n";

#include "cnnc_model_runtime.c"

namespace {
thread_local unsigned char *lastArena;
} // namespace

// The stage sequence: one stage that doubles the input through the arena,
// with a scratch block from Halide's allocator as a kernel's tiles get;
// a NaN in the input is an error, as a kernel's would be.
static int run_stage_sequence(struct halide_buffer_t *input,
                              struct halide_buffer_t *output,
                              unsigned char *arena, double *seconds) {
  lastArena = arena;
  halide_set_error_handler(report);
  use_block_cache();
  const float *in = reinterpret_cast<const float *>(input->host);
  float *out = reinterpret_cast<float *>(output->host);
  if (input->dimensions != 2 || input->dim[0].extent != 8 ||
      input->dim[1].extent != 2 || input->dim[1].stride != 8)
    return -1;
  if (std::isnan(in[0])) {
    report(nullptr, "bad input");
    return -3;
  }
  float *doubled = reinterpret_cast<float *>(arena);
  void *scratch = customMalloc(nullptr, 256);
  if (!scratch)
    return -2;
  for (int i = 0; i < 16; ++i)
    doubled[i] = 2 * in[i];
  customFree(nullptr, scratch);
  for (int i = 0; i < 16; ++i)
    out[i] = doubled[i];
  if (seconds)
    seconds[0] = 1.0;
  return 0;
}

namespace {

std::vector<float> input(float scale) {
  std::vector<float> x(16);
  for (int i = 0; i < 16; ++i)
    x[i] = scale * static_cast<float>(i - 5);
  return x;
}

TEST(ModelRuntime, RunsTheStagesOnDenseArrays) {
  std::vector<float> x = input(1), y(16, 0);
  ASSERT_EQ(fake_run(x.data(), y.data()), 0);
  for (int i = 0; i < 16; ++i)
    EXPECT_EQ(y[i], 2 * x[i]) << "element " << i;
  double seconds[1] = {0};
  ASSERT_EQ(fake_run_profiled(x.data(), y.data(), seconds), 0);
  EXPECT_EQ(seconds[0], 1.0);
  EXPECT_STREQ(fake_stages(), "fc\tlinear\t2x8\t128\n");
}

TEST(ModelRuntime, DescribesItself) {
  const struct cnnc_model_info *info = cnnc_model_info();
  EXPECT_EQ(info->version, CNNC_MODEL_INFO_VERSION);
  EXPECT_STREQ(info->name, "fake");
  EXPECT_STREQ(info->run, "fake_run");
  EXPECT_STREQ(info->profile, "fake_run_profiled");
  EXPECT_STREQ(info->stages, "fake_stages");
  EXPECT_STREQ(info->target, "x86-64-linux");
  ASSERT_EQ(info->input_rank, 2);
  ASSERT_EQ(info->output_rank, 2);
  EXPECT_EQ(info->input_shape[0], 2);
  EXPECT_EQ(info->input_shape[1], 8);
  EXPECT_EQ(info->output_shape[1], 8);
}

TEST(ModelRuntime, WarmCallsAllocateNothing) {
  std::vector<float> x = input(2), y(16);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(fake_run(x.data(), y.data()), 0);
  const int before = mallocs;
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(fake_run(x.data(), y.data()), 0);
  EXPECT_EQ(mallocs, before);
}

TEST(ModelRuntime, TakesTheCallersWorkspace) {
  alignas(64) static unsigned char workspace[MODEL_ARENA_BYTES];
  std::vector<float> x = input(3), y(16);
  ASSERT_EQ(fake_run_with_workspace(x.data(), y.data(), workspace), 0);
  EXPECT_EQ(lastArena, workspace);
  EXPECT_EQ(y[15], 2 * x[15]);
}

TEST(ModelRuntime, ReportsAndReturnsAKernelsError) {
  std::vector<float> x = input(1), y(16);
  ASSERT_EQ(fake_run(x.data(), y.data()), 0);
  x[0] = NAN;
  const int before = mallocs;
  EXPECT_EQ(fake_run(x.data(), y.data()), -3);
  {
    std::lock_guard<std::mutex> lock(printedLock);
    EXPECT_NE(printed.find("fake: bad input\n"), std::string::npos) << printed;
  }
  // The failed call gave its arena back: the next one takes it.
  x[0] = 1;
  EXPECT_EQ(fake_run(x.data(), y.data()), 0);
  EXPECT_EQ(mallocs, before);
}

TEST(ModelRuntime, BlockCacheReusesTheSmallestBlockThatFits) {
  use_block_cache();
  void *small = customMalloc(nullptr, 1000);
  void *large = customMalloc(nullptr, 5000);
  ASSERT_TRUE(small && large);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(small) % 128, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(large) % 128, 0u);
  customFree(nullptr, large);
  customFree(nullptr, small);
  const int before = mallocs;
  EXPECT_EQ(customMalloc(nullptr, 900), small);
  EXPECT_EQ(customMalloc(nullptr, 4000), large);
  EXPECT_EQ(mallocs, before);
  customFree(nullptr, small);
  customFree(nullptr, large);
}

TEST(ModelRuntime, ManyThreadsAtOnceEachWithItsOwnArena) {
  constexpr int kThreads = 8, kCalls = 200;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([t, &wrong] {
      std::vector<float> x = input(1.0f + t), y(16);
      for (int c = 0; c < kCalls; ++c) {
        if (fake_run(x.data(), y.data()) != 0) {
          ++wrong;
          continue;
        }
        for (int i = 0; i < 16; ++i)
          wrong += y[i] != 2 * x[i];
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(wrong, 0);
  // At most one arena per call in flight is ever made.
  EXPECT_LE(free_arena_count, kThreads + 1);
}

} // namespace
