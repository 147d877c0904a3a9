/* cnnc_qconv_amx.c: dense int8 convolutions on AMX-INT8 tiles, which every
 * model compiled by cnnc for a CPU with AMX carries after
 * cnnc_lookup_table.c and cnnc_qconv_amx_rows.c (MODEL_AMX is 1 there, 0
 * elsewhere, where nothing of either file is compiled).
 *
 * Halide 14 emits AMX only for one matrix-multiply pattern, which a conv's
 * window does not fit; so a dense int8 conv is a Halide extern stage calling
 * cnnc_k_qconv_amx. The conv is a matrix product: A has a row per output
 * pixel (the window's input channels, tap by tap, each tap's channels
 * rounded up to 4, the row rounded up to 64 bytes, with the input's zero
 * point where the window leaves the map), B is the packed weights (per 16
 * output channels and 64 bytes of a row, one 16 x 64 tile in the layout
 * tdpbusd reads), and C accumulates in int32. How A is read depends on the
 * conv:
 *   - in place: a 1x1 stride-1 unpadded conv over whole tiles of 64 input
 *     channels reads its input (rows of 32 pixels, the last partial block
 *     copied);
 *   - padded: a stride-1 conv over whole tiles of 64 channels reads a
 *     padded copy of its input, each tap's tile at its own offset into it:
 *     A's rows are the padded map's pixels, the columns past the output's
 *     computed and dropped (a 3x3 conv copies its input once, not 9 times);
 *   - copied (im2col): the others, each output pixel's window copied.
 * Each step
 * multiplies 2 A tiles (32 pixels) by 2 B tiles (32 channels) into 4
 * accumulator tiles; the requantization then rounds as the int8 reference
 * does (quant::requantize: the f32 product, ties to even, clamped to u8),
 * so the result equals it bit for bit.
 *
 * The scalar arguments are the kernel's height and width, strides, padding
 * (top, left), dilations, input channels, input width and height, the
 * input and output zero points, the bytes of an A row, and the packed
 * output channels (a multiple of 32); the start buffer holds each channel's
 * bias in accumulator units less the input zero point times its weights'
 * sum, the multiplier buffer its requantization multiplier.
 *
 * Linux grants a process AMX's tile data once asked (arch_prctl); where it
 * refuses, or CNNC_DISABLE_AMX is set to anything but 0, the same matrices
 * are multiplied by plain loops. Like the rest of the runtime this uses
 * Halide's runtime for memory and threads, and no C library header. */

#ifndef MODEL_AMX
#define MODEL_AMX 0
#endif

#if MODEL_AMX && defined(__x86_64__) && defined(__linux__)
#include <immintrin.h>

char *getenv(const char *name);
static int amx_state; /* 0: not asked yet, 1: granted, -1: not used */

static int amx_granted(void) {
  int state = __atomic_load_n(&amx_state, __ATOMIC_RELAXED);
  if (state)
    return state > 0;
  const char *off = getenv("CNNC_DISABLE_AMX");
  long rc = -1;
  if (!off || !*off || (off[0] == '0' && !off[1])) {
    /* arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) */
    __asm__ volatile("syscall"
                     : "=a"(rc)
                     : "0"(158L), "D"(0x1023L), "S"(18L)
                     : "rcx", "r11", "memory");
  }
  state = rc == 0 ? 1 : -1;
  __atomic_store_n(&amx_state, state, __ATOMIC_RELAXED);
  return state > 0;
}

struct tile_config {
  uint8_t palette, start_row, reserved[14];
  uint16_t bytes_per_row[16];
  uint8_t rows[16];
};

__attribute__((target("amx-tile"))) static void load_tile_config(void) {
  struct tile_config config;
  __builtin_memset(&config, 0, sizeof config);
  config.palette = 1;
  for (int i = 0; i < 8; ++i) {
    config.rows[i] = 16;
    config.bytes_per_row[i] = 64;
  }
  /* GCC 12 does not see ldtilecfg read the struct, and drops stores to it
   * without this barrier. */
  __asm__ volatile("" : : "r"(&config) : "memory");
  _tile_loadconfig(&config);
}

__attribute__((target("amx-tile"))) static void release_tiles(void) {
  _tile_release();
}

/* acc (32 pixels x 32 channels, int32) = A's 32 rows at `a` times the
 * weights of channel block pair `cb`. */
__attribute__((target("amx-tile,amx-int8"))) static void
multiply_amx(const struct qconv_task *t, const uint8_t *a, int64_t stride,
             int cb, int32_t *acc) {
  const int steps = t->g[QG_ROW_BYTES] / 64;
  const int8_t *b0 = t->weights + (int64_t)2 * cb * steps * 1024;
  const int8_t *b1 = b0 + (int64_t)steps * 1024;
  const uint8_t *a1 = a + 16 * stride;
  _tile_zero(0);
  _tile_zero(1);
  _tile_zero(2);
  _tile_zero(3);
  for (int s = 0; s < steps; ++s) {
    _tile_loadd(4, a + t->step_offset[s], stride);
    _tile_loadd(5, a1 + t->step_offset[s], stride);
    _tile_loadd(6, b0 + s * 1024, 64);
    _tile_loadd(7, b1 + s * 1024, 64);
    _tile_dpbusd(0, 4, 6);
    _tile_dpbusd(1, 4, 7);
    _tile_dpbusd(2, 5, 6);
    _tile_dpbusd(3, 5, 7);
  }
  _tile_stored(0, acc, 128);
  _tile_stored(1, acc + 16, 128);
  _tile_stored(2, acc + 16 * 32, 128);
  _tile_stored(3, acc + 16 * 32 + 16, 128);
}

/* The same product by plain loops, over the same packed weights. */
static void multiply_loops(const struct qconv_task *t, const uint8_t *a,
                           int64_t stride, int cb, int32_t *acc) {
  const int steps = t->g[QG_ROW_BYTES] / 64;
  for (int i = 0; i < 32; ++i)
    for (int j = 0; j < 32; ++j) {
      const int8_t *b =
          t->weights + ((int64_t)(2 * cb + j / 16) * steps * 1024) + j % 16 * 4;
      int32_t sum = 0;
      for (int k = 0; k < steps * 64; ++k)
        sum += (int32_t)a[i * stride + t->step_offset[k / 64] + k % 64] *
               b[k / 64 * 1024 + k % 64 / 4 * 64 + k % 4];
      acc[i * 32 + j] = sum;
    }
}

/* Where output pixel p (counted from the output region's first) starts. */
static uint8_t *output_pixel(const struct qconv_task *t, int p) {
  const struct halide_buffer_t *out = t->out;
  return out->host + (int64_t)(p % t->ow) * out->dim[1].stride +
         (int64_t)(p / t->ow % t->oh) * out->dim[2].stride +
         (int64_t)(p / (t->ow * t->oh)) * out->dim[3].stride;
}

/* Block b's output pixels, channels c0..c0+31 (those in [first, end)),
 * from acc. The rows step through the map column by column, so no division
 * runs per pixel. */
__attribute__((target("avx512f,avx512bw,avx512vl"))) static void
requantize_block(const struct qconv_task *t, const int32_t *acc, int b, int c0,
                 int first, int end) {
  const struct halide_buffer_t *out = t->out;
  const __m512 low = _mm512_set1_ps(-1024.0f), high = _mm512_set1_ps(1024.0f);
  const __m512i zero = _mm512_set1_epi32(t->g[QG_OUT_ZERO]);
  __m512i start[2];
  __m512 multiplier[2];
  __mmask16 lanes[2];
  for (int h = 0; h < 2; ++h) {
    const int c = c0 + 16 * h, left = end - c;
    lanes[h] = left <= 0    ? 0
               : left >= 16 ? 0xffff
                            : (__mmask16)((1u << left) - 1);
    if (first > c)
      lanes[h] &= (__mmask16)(0xffffu << (first - c < 16 ? first - c : 16));
    start[h] = _mm512_loadu_si512(t->start + c);
    multiplier[h] = _mm512_loadu_ps(t->multiplier + c);
  }
  /* Row 0's place: (n, y, x) in the output, x counting `width` columns. */
  int n, y, x;
  if (t->read == READ_PADDED) {
    const int q = b % t->blocks_per_image * 32;
    n = b / t->blocks_per_image;
    y = q / t->width;
    x = q % t->width;
  } else {
    const int p = b * 32;
    n = p / (t->ow * t->oh);
    y = p / t->ow % t->oh;
    x = p % t->ow;
  }
  const int64_t column = out->dim[1].stride;
  uint8_t *row = out->host + (c0 - out->dim[0].min) +
                 (int64_t)y * out->dim[2].stride +
                 (int64_t)n * out->dim[3].stride;
  for (int i = 0; i < 32; ++i) {
    if (x == t->width) {
      x = 0;
      row += out->dim[2].stride;
      if (++y == t->oh) {
        if (t->read == READ_PADDED || ++n == t->images)
          break;
        y = 0;
        row = out->host + (c0 - out->dim[0].min) +
              (int64_t)n * out->dim[3].stride;
      }
    }
    if (x >= t->ow) {
      ++x;
      continue;
    }
    uint8_t *to = row + x++ * column;
    for (int h = 0; h < 2; ++h) {
      if (!lanes[h])
        continue;
      __m512i v =
          _mm512_add_epi32(_mm512_loadu_si512(acc + i * 32 + 16 * h), start[h]);
      __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(v), multiplier[h]);
      f = _mm512_min_ps(_mm512_max_ps(f, low), high);
      v = _mm512_add_epi32(_mm512_cvtps_epi32(f), zero);
      v = _mm512_max_epi32(v, _mm512_setzero_si512());
      _mm512_mask_cvtusepi32_storeu_epi8(to + 16 * h, lanes[h], v);
    }
  }
}

static int multiply_group(void *user_context, int task, uint8_t *closure) {
  (void)user_context;
  const struct qconv_task *t = (const struct qconv_task *)closure;
  const int range = task % t->channel_ranges, group = task / t->channel_ranges;
  const int b0 = group * t->blocks_per_group;
  const int b1 = b0 + t->blocks_per_group < t->pixel_blocks
                     ? b0 + t->blocks_per_group
                     : t->pixel_blocks;
  const int cb0 = t->first_block + range * t->channels_per_range;
  const int cb1 =
      range * t->channels_per_range + t->channels_per_range < t->channel_blocks
          ? cb0 + t->channels_per_range
          : t->first_block + t->channel_blocks;
  const int first = t->out->dim[0].min;
  int end = first + t->out->dim[0].extent;
  if (end > t->g[QG_CHANNELS])
    end = t->g[QG_CHANNELS];
  /* Two accumulators: a block's tiles are stored while the previous
   * block is requantized, so its loads do not wait on the tile stores. */
  int32_t acc[2][32 * 32] __attribute__((aligned(64)));
  int have = 0, last_b = 0, last_cb = 0, slot = 0;
  if (t->use_amx)
    load_tile_config();
  for (int b = b0; b < b1; ++b) {
    int64_t stride;
    const uint8_t *a = block_rows(t, b, &stride);
    for (int cb = cb0; cb < cb1; ++cb) {
      if (t->use_amx)
        multiply_amx(t, a, stride, cb, acc[slot]);
      else
        multiply_loops(t, a, stride, cb, acc[slot]);
      if (have)
        requantize_block(t, acc[slot ^ 1], last_b, last_cb * 32, first, end);
      have = 1;
      last_b = b;
      last_cb = cb;
      slot ^= 1;
    }
  }
  if (have)
    requantize_block(t, acc[slot ^ 1], last_b, last_cb * 32, first, end);
  if (t->use_amx)
    release_tiles();
  return 0;
}

/* Output channels past the packed ones (a consumer's rounded-up vectors)
 * hold the output zero point. */
static void fill_extra_channels(const struct qconv_task *t) {
  const struct halide_buffer_t *out = t->out;
  const int from = t->g[QG_CHANNELS] - out->dim[0].min;
  if (from >= out->dim[0].extent)
    return;
  for (int p = 0; p < t->pixels; ++p)
    __builtin_memset(output_pixel(t, p) + from, t->g[QG_OUT_ZERO],
                     (unsigned)(out->dim[0].extent - from));
}

static int clamp_int(int v, int lo, int hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* Bounds inference: the input's channels and the part of the map the
 * output's windows reach. */
static void query_bounds(const int *g, struct halide_buffer_t *in,
                         const struct halide_buffer_t *out) {
  in->dim[0].min = 0;
  in->dim[0].extent = g[QG_CIN];
  for (int d = 1; d <= 2; ++d) {
    const int s = g[d == 1 ? QG_SX : QG_SY], pad = g[d == 1 ? QG_PX : QG_PY];
    const int reach =
        (g[d == 1 ? QG_KW : QG_KH] - 1) * g[d == 1 ? QG_DX : QG_DY];
    const int size = g[d == 1 ? QG_IN_W : QG_IN_H];
    const int lo = clamp_int(out->dim[d].min * s - pad, 0, size - 1);
    const int hi =
        clamp_int((out->dim[d].min + out->dim[d].extent - 1) * s - pad + reach,
                  lo, size - 1);
    in->dim[d].min = lo;
    in->dim[d].extent = hi - lo + 1;
  }
  in->dim[3].min = out->dim[3].min;
  in->dim[3].extent = out->dim[3].extent;
}

static void query_weight(struct halide_buffer_t *b, int64_t extent) {
  if (b->host)
    return;
  b->dim[0].min = 0;
  b->dim[0].extent = (int32_t)extent;
}

/* Hidden, as cnnc_k_lookup_table is. The scalars are g[]'s entries. */
__attribute__((visibility("hidden"))) int
cnnc_k_qconv_amx(struct halide_buffer_t *in, struct halide_buffer_t *weights,
                 struct halide_buffer_t *start,
                 struct halide_buffer_t *multiplier, int kh, int kw, int sy,
                 int sx, int py, int px, int dy, int dx, int cin, int in_w,
                 int in_h, int in_zero, int out_zero, int row_bytes,
                 int channels, struct halide_buffer_t *out) {
  const int g[QG_COUNT] = {kh,   kw,      sy,       sx,        py,
                           px,   dy,      dx,       cin,       in_w,
                           in_h, in_zero, out_zero, row_bytes, channels};
  if (!in->host || !weights->host || !start->host || !multiplier->host ||
      !out->host) { /* bounds inference */
    if (!in->host)
      query_bounds(g, in, out);
    query_weight(weights, (int64_t)channels * row_bytes);
    query_weight(start, channels);
    query_weight(multiplier, channels);
    return 0;
  }
  if (in->dimensions != 4 || out->dimensions != 4 || in->dim[0].stride != 1 ||
      out->dim[0].stride != 1 || in->type.bits != 8 || out->type.bits != 8)
    return -1;
  struct qconv_task t;
  __builtin_memset(&t, 0, sizeof t);
  t.in = in;
  t.out = out;
  t.weights = (const int8_t *)weights->host;
  t.start = (const int32_t *)start->host;
  t.multiplier = (const float *)multiplier->host;
  __builtin_memcpy(t.g, g, sizeof t.g);
  t.cin4 = (cin + 3) / 4 * 4;
  t.ow = out->dim[1].extent;
  t.oh = out->dim[2].extent;
  t.images = out->dim[3].extent;
  t.pixels = t.ow * t.oh * t.images;
  int end = out->dim[0].min + out->dim[0].extent;
  if (end > channels)
    end = channels;
  t.first_block = out->dim[0].min / 32;
  t.channel_blocks =
      end > out->dim[0].min ? (end + 31) / 32 - t.first_block : 0;
  const int steps = row_bytes / 64;
  t.step_offset = (int64_t *)halide_malloc(NULL, sizeof(int64_t) * steps);
  if (!t.step_offset)
    return -1;
  for (int s = 0; s < steps; ++s)
    t.step_offset[s] = 64 * s;
  const int whole_tiles = cin % 64 == 0 && row_bytes == kh * kw * cin;
  const int64_t column = in->dim[1].stride;
  if (whole_tiles && kh == 1 && kw == 1 && sx == 1 && sy == 1 && px == 0 &&
      py == 0 && in->dim[1].min == out->dim[1].min &&
      in->dim[2].min == out->dim[2].min && in->dim[2].stride == column * t.ow &&
      in->dim[3].stride == in->dim[2].stride * t.oh) {
    t.read = READ_IN_PLACE;
    t.in_place =
        input_at(in, out->dim[1].min, out->dim[2].min, out->dim[3].min);
    t.in_place_stride = column;
  } else if (whole_tiles && sx == 1 && sy == 1 && out->dim[1].min == 0 &&
             out->dim[2].min == 0) {
    /* The padded copy's first row and column are those output pixel
     * (0, 0)'s window starts at (pad_row). */
    t.read = READ_PADDED;
    /* Each tap reads the padded map `offset` pixels on from the output
     * pixel's place. */
    t.width = t.ow + (kw - 1) * dx;
    const int rows = t.oh + (kh - 1) * dy;
    t.blocks_per_image = (t.oh * t.width + 31) / 32;
    const int64_t reach = (int64_t)t.blocks_per_image * 32 +
                          (int64_t)(kh - 1) * dy * t.width + (kw - 1) * dx;
    t.padded_rows = (int)((reach + t.width - 1) / t.width);
    if (t.padded_rows < rows)
      t.padded_rows = rows;
    t.image_bytes = (int64_t)t.padded_rows * t.width * cin;
    for (int s = 0; s < steps; ++s) {
      const int tap = s * 64 / cin, ky = tap / kw, kx = tap % kw;
      t.step_offset[s] =
          ((int64_t)ky * dy * t.width + kx * dx) * cin + s * 64 % cin;
    }
  }
  if (t.read != READ_PADDED) {
    t.width = t.ow;
    t.blocks_per_image = (t.pixels + 31) / 32;
  }
  t.pixel_blocks = t.read == READ_PADDED ? t.blocks_per_image * t.images
                                         : t.blocks_per_image;
  /* Tasks: groups of pixel blocks by ranges of channel blocks, about 32 of
   * them, so that two or more threads share the work evenly. */
  t.channel_ranges = clamp_int((32 + t.pixel_blocks - 1) / t.pixel_blocks, 1,
                               t.channel_blocks > 0 ? t.channel_blocks : 1);
  t.channels_per_range =
      (t.channel_blocks + t.channel_ranges - 1) / t.channel_ranges;
  int groups = clamp_int((32 + t.channel_ranges - 1) / t.channel_ranges, 1,
                         t.pixel_blocks);
  t.blocks_per_group = (t.pixel_blocks + groups - 1) / groups;
  groups = (t.pixel_blocks + t.blocks_per_group - 1) / t.blocks_per_group;

  int64_t copy_bytes = (int64_t)t.pixel_blocks * 32 * row_bytes;
  if (t.read == READ_IN_PLACE)
    copy_bytes = t.pixels % 32 ? 32 * row_bytes : 0;
  else if (t.read == READ_PADDED)
    copy_bytes = t.image_bytes * t.images;
  int rc = 0;
  if (copy_bytes) {
    t.copy = (uint8_t *)halide_malloc(NULL, (size_t)copy_bytes);
    if (!t.copy)
      rc = -1;
    else if (t.read == READ_IN_PLACE)
      copy_block(NULL, t.pixel_blocks - 1, (uint8_t *)&t);
    else if (t.read == READ_PADDED)
      rc = halide_do_par_for(NULL, pad_row, 0, t.padded_rows * t.images,
                             (uint8_t *)&t);
    else
      rc =
          halide_do_par_for(NULL, copy_block, 0, t.pixel_blocks, (uint8_t *)&t);
  }
  t.use_amx = amx_granted();
  if (!rc && t.channel_blocks > 0)
    rc = halide_do_par_for(NULL, multiply_group, 0, groups * t.channel_ranges,
                           (uint8_t *)&t);
  if (!rc)
    fill_extra_channels(&t);
  if (t.copy)
    halide_free(NULL, t.copy);
  halide_free(NULL, t.step_offset);
  return rc;
}
#endif
