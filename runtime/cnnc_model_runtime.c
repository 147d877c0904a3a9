/* cnnc_model_runtime.c: the C that every model compiled by cnnc carries.
 *
 * cnnc writes each model's C wrapper as three parts: the model's tables
 * (generated), this file (pasted as it is), and the model's stage sequence
 * (generated: one call per stage, kernels differ in their arguments). The
 * tables define, before this file:
 *
 *   MODEL_NAME           the Halide-style entry's name (an identifier)
 *   MODEL_GPU            1 on GPU targets, else 0
 *   MODEL_EXPORT_INFO    1 to export cnnc_model_info() (shared libraries)
 *   MODEL_ARENA_BYTES    the activation arena's size
 *   MODEL_INPUT_RANK, MODEL_OUTPUT_RANK
 *   MODEL_INPUT_SHAPE, MODEL_OUTPUT_SHAPE   initializers: {1, 3, 224, 224}
 *   MODEL_TARGET         the Halide target, a string literal
 *   model_input_dims[], model_output_dims[] dense Halide dimensions
 *   model_stage_table    the `<name>_stages()` text
 *
 * and after it the stage sequence defines run_stage_sequence(). Only
 * Halide's runtime is used (HalideRuntime.h), no C library: the wrapper
 * also compiles for targets whose C library is not installed here.
 * test/Runtime/ compiles this file on its own and tests it. */
#include <HalideRuntime.h>
#ifndef CNNC_MODEL_INFO_H
#include "cnnc_model_info.h"
#endif

int halide_start_clock(void *user_context);
int64_t halide_current_time_ns(void *user_context);

#define CNNC_CAT_(a, b) a##b
#define CNNC_CAT(a, b) CNNC_CAT_(a, b)
#define CNNC_STR_(a) #a
#define CNNC_STR(a) CNNC_STR_(a)

/* Halide's default error handler aborts; ours prints and lets the entry
 * return the error code. */
static void report(void *user_context, const char *message) {
  (void)user_context;
  halide_print(NULL, CNNC_STR(MODEL_NAME) ": ");
  halide_print(NULL, message);
  halide_print(NULL, "\n");
}

static void wrap(struct halide_buffer_t *b, void *data,
                 struct halide_dimension_t *dims, int rank,
                 enum halide_type_code_t code, int bits) {
  *b = (struct halide_buffer_t){0};
  b->host = (uint8_t *)data;
  b->type.code = code;
  b->type.bits = (uint8_t)bits;
  b->type.lanes = 1;
  b->dimensions = rank;
  b->dim = dims;
  b->flags = halide_buffer_flag_host_dirty;
}

/* The model's memory: Halide's allocator for its kernels and the
 * activation arenas. Scratch blocks (per-tile and per-strip buffers inside
 * a kernel) are kept in one cache for all threads and reused, the smallest
 * that fits first; arenas are kept in a pool, one per call in flight. Once
 * a run has warmed them a run allocates nothing, and nothing is tied to a
 * thread, so threads that come and go leak nothing. Each block has a
 * 128-byte header holding its capacity and where its allocation starts,
 * and 128 bytes of slack past its end (Halide may read a few bytes beyond
 * either end). */
#define CACHE_SLOTS 64
#define ARENA_SLOTS 64
static struct halide_mutex cache_lock, arena_lock;
static unsigned char *cache[CACHE_SLOTS], *free_arenas[ARENA_SLOTS];
static int free_arena_count;

static size_t capacity(unsigned char *p) { return ((size_t *)p)[-1]; }

static unsigned char *aligned(unsigned char *p, uintptr_t alignment) {
  return (unsigned char *)(((uintptr_t)p + alignment - 1) & ~(alignment - 1));
}

static void release(unsigned char *p) {
  halide_default_free(NULL, ((unsigned char **)p)[-2]);
}

static unsigned char *allocate(size_t size) {
  size_t rounded = (size + 127) / 128 * 128;
  unsigned char *base =
      (unsigned char *)halide_default_malloc(NULL, rounded + 384);
  if (!base)
    return NULL;
  unsigned char *p = aligned(base + 128, 128);
  ((size_t *)p)[-1] = rounded;
  ((unsigned char **)p)[-2] = base;
  return p;
}

static void *cached_malloc(void *user_context, size_t size) {
  (void)user_context;
  unsigned char *p = NULL;
  halide_mutex_lock(&cache_lock);
  int best = -1;
  for (int i = 0; i < CACHE_SLOTS; ++i)
    if (cache[i] && capacity(cache[i]) >= size &&
        (best < 0 || capacity(cache[i]) < capacity(cache[best])))
      best = i;
  if (best >= 0) {
    p = cache[best];
    cache[best] = NULL;
  }
  halide_mutex_unlock(&cache_lock);
  return p ? p : allocate(size);
}

static void cached_free(void *user_context, void *ptr) {
  (void)user_context;
  unsigned char *p = (unsigned char *)ptr, *evicted = NULL;
  if (!p)
    return;
  halide_mutex_lock(&cache_lock);
  int slot = 0;
  for (int i = 0; i < CACHE_SLOTS; ++i) {
    if (!cache[i]) {
      slot = i;
      break;
    }
    if (capacity(cache[i]) < capacity(cache[slot]))
      slot = i;
  }
  if (cache[slot] && capacity(cache[slot]) >= capacity(p)) {
    evicted = p; /* the cache holds larger blocks */
  } else {
    evicted = cache[slot];
    cache[slot] = p;
  }
  halide_mutex_unlock(&cache_lock);
  if (evicted)
    release(evicted);
}

static void use_block_cache(void) {
  static int installed;
  if (!installed) {
    halide_set_custom_malloc(cached_malloc);
    halide_set_custom_free(cached_free);
    installed = 1;
  }
}

static unsigned char *take_arena(size_t size) {
  unsigned char *arena = NULL;
  halide_mutex_lock(&arena_lock);
  if (free_arena_count > 0)
    arena = free_arenas[--free_arena_count];
  halide_mutex_unlock(&arena_lock);
  return arena ? arena : allocate(size);
}

static void give_arena(unsigned char *arena) {
  if (!arena)
    return;
  halide_mutex_lock(&arena_lock);
  int kept = free_arena_count < ARENA_SLOTS;
  if (kept)
    free_arenas[free_arena_count++] = arena;
  halide_mutex_unlock(&arena_lock);
  if (!kept)
    release(arena);
}

static double now(void) {
  halide_start_clock(NULL);
  return 1e-9 * (double)halide_current_time_ns(NULL);
}

/* The stages in order (generated after this file): each kernel on views of
 * the arena and the embedded weights; `seconds`, when given, gets each
 * stage's time. */
static int run_stage_sequence(struct halide_buffer_t *input,
                              struct halide_buffer_t *output,
                              unsigned char *arena, double *seconds);

#if MODEL_GPU
/* GPU targets share static activation buffers (and their device copies)
 * among all callers: one call at a time, the first (which copies the
 * weights to the device) included, and one arena for good. */
static struct halide_mutex device_lock;

static int run_stages(struct halide_buffer_t *input,
                      struct halide_buffer_t *output, unsigned char *arena,
                      double *seconds) {
  halide_mutex_lock(&device_lock);
  int rc = run_stage_sequence(input, output, arena, seconds);
  halide_mutex_unlock(&device_lock);
  return rc;
}

static unsigned char *arena_for_call(void) {
  static unsigned char *arena;
  halide_mutex_lock(&device_lock);
  if (!arena)
    arena = allocate(MODEL_ARENA_BYTES);
  halide_mutex_unlock(&device_lock);
  return arena;
}

static void end_call(unsigned char *arena) { (void)arena; }
#else
/* CPU targets: each call takes an arena from the pool, so calls from many
 * threads run at once. */
static int run_stages(struct halide_buffer_t *input,
                      struct halide_buffer_t *output, unsigned char *arena,
                      double *seconds) {
  return run_stage_sequence(input, output, arena, seconds);
}

static unsigned char *arena_for_call(void) {
  return take_arena(MODEL_ARENA_BYTES);
}

static void end_call(unsigned char *arena) { give_arena(arena); }
#endif

int MODEL_NAME(struct halide_buffer_t *input, struct halide_buffer_t *output) {
  unsigned char *arena = arena_for_call();
  int rc = arena ? run_stages(input, output, arena, NULL) : -1;
  end_call(arena);
  return rc;
}

/* Dense row-major arrays wrapped as Halide buffers. */
static int run_dense(const float *input, float *output, unsigned char *arena,
                     double *seconds) {
  struct halide_dimension_t in_dims[MODEL_INPUT_RANK];
  struct halide_dimension_t out_dims[MODEL_OUTPUT_RANK];
  struct halide_buffer_t in, out;
  for (int d = 0; d < MODEL_INPUT_RANK; ++d)
    in_dims[d] = model_input_dims[d];
  for (int d = 0; d < MODEL_OUTPUT_RANK; ++d)
    out_dims[d] = model_output_dims[d];
  if (!arena)
    return -1;
  wrap(&in, (void *)input, in_dims, MODEL_INPUT_RANK, halide_type_float, 32);
  wrap(&out, output, out_dims, MODEL_OUTPUT_RANK, halide_type_float, 32);
  int rc = run_stages(&in, &out, arena, seconds);
#if MODEL_GPU
  halide_device_free(NULL, &in);
  halide_device_free(NULL, &out);
#endif
  return rc;
}

int CNNC_CAT(MODEL_NAME, _run)(const float *input, float *output) {
  unsigned char *arena = arena_for_call();
  int rc = run_dense(input, output, arena, NULL);
  end_call(arena);
  return rc;
}

int CNNC_CAT(MODEL_NAME, _run_with_workspace)(const float *input, float *output,
                                              void *workspace) {
  return run_dense(input, output, (unsigned char *)workspace, NULL);
}

int CNNC_CAT(MODEL_NAME, _run_profiled)(const float *input, float *output,
                                        double *seconds) {
  unsigned char *arena = arena_for_call();
  int rc = run_dense(input, output, arena, seconds);
  end_call(arena);
  return rc;
}

const char *CNNC_CAT(MODEL_NAME, _stages)(void) { return model_stage_table; }

#if MODEL_EXPORT_INFO
const struct cnnc_model_info *cnnc_model_info(void) {
  static const struct cnnc_model_info info = {
      CNNC_MODEL_INFO_VERSION,
      CNNC_STR(MODEL_NAME),
      CNNC_STR(MODEL_NAME) "_run",
      CNNC_STR(MODEL_NAME) "_run_profiled",
      CNNC_STR(MODEL_NAME) "_stages",
      MODEL_TARGET,
      MODEL_INPUT_RANK,
      MODEL_OUTPUT_RANK,
      MODEL_INPUT_SHAPE,
      MODEL_OUTPUT_SHAPE};
  return &info;
}
#endif
