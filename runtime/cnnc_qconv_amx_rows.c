/* cnnc_qconv_amx_rows.c: the rows of A that the AMX int8 conv kernel
 * (cnnc_qconv_amx.c, pasted after this file) multiplies: the task the
 * kernel shares with its threads, the copies (each output pixel's window,
 * or the padded input) and where each block of 32 rows starts. Compiled
 * only where MODEL_AMX is 1; see cnnc_qconv_amx.c. */

#ifndef MODEL_AMX
#define MODEL_AMX 0
#endif

#if MODEL_AMX && defined(__x86_64__) && defined(__linux__)
#include <immintrin.h>

enum {
  QG_KH,
  QG_KW,
  QG_SY,
  QG_SX,
  QG_PY,
  QG_PX,
  QG_DY,
  QG_DX,
  QG_CIN,
  QG_IN_W,
  QG_IN_H,
  QG_IN_ZERO,
  QG_OUT_ZERO,
  QG_ROW_BYTES,
  QG_CHANNELS,
  QG_COUNT
};

enum { READ_COPIED, READ_IN_PLACE, READ_PADDED };

struct qconv_task {
  const struct halide_buffer_t *in, *out;
  const int8_t *weights;
  const int32_t *start;
  const float *multiplier;
  int g[QG_COUNT];
  int cin4, ow, oh, images, pixels, read;
  /* A's rows step through the output by `width` columns per row (the
   * output's, or the padded map's); blocks of 32 rows run over all images
   * (copied, in place) or start again at each image (padded). */
  int width, blocks_per_image, pixel_blocks;
  /* The input read in place (rows `in_place_stride` bytes apart), the
   * copied rows (copied: all blocks; in place: the last partial block) or
   * the padded images (`image_bytes` apart). */
  const uint8_t *in_place;
  int64_t in_place_stride, image_bytes;
  int padded_rows;
  uint8_t *copy;
  /* Byte offset of each step's 64 bytes in an A row. */
  int64_t *step_offset;
  /* Channel blocks of 32 from first_block on. */
  int first_block, channel_blocks, blocks_per_group, channels_per_range;
  int channel_ranges, use_amx;
};

static const uint8_t *input_at(const struct halide_buffer_t *in, int x, int y,
                               int n) {
  return in->host - in->dim[0].min +
         (int64_t)(x - in->dim[1].min) * in->dim[1].stride +
         (int64_t)(y - in->dim[2].min) * in->dim[2].stride +
         (int64_t)(n - in->dim[3].min) * in->dim[3].stride;
}

/* `count` input channels from `from` (or the zero point where `from` is
 * NULL), then zeros up to `bytes`. */
__attribute__((target("avx512f,avx512bw"))) static void
copy_channels(uint8_t *to, const uint8_t *from, int count, int bytes,
              int zero_point) {
  const __m512i fill = _mm512_set1_epi8((char)zero_point);
  for (int i = 0; i < bytes; i += 64) {
    const int left = count - i;
    const __mmask64 lanes = left >= 64  ? ~0ULL
                            : left <= 0 ? 0
                                        : (1ULL << left) - 1;
    const __mmask64 all = bytes - i >= 64 ? ~0ULL : (1ULL << (bytes - i)) - 1;
    const __m512i v = from ? _mm512_maskz_loadu_epi8(lanes, from + i)
                           : _mm512_maskz_mov_epi8(lanes, fill);
    _mm512_mask_storeu_epi8(to + i, all, v);
  }
}

/* Row p of A, copied: output pixel p's window, or zeros past the last. */
static void window_row(const struct qconv_task *t, int p, uint8_t *row) {
  const int *g = t->g;
  if (p >= t->pixels) {
    __builtin_memset(row, 0, (unsigned)g[QG_ROW_BYTES]);
    return;
  }
  const struct halide_buffer_t *out = t->out;
  const int ox = out->dim[1].min + p % t->ow;
  const int oy = out->dim[2].min + p / t->ow % t->oh;
  const int n = out->dim[3].min + p / (t->ow * t->oh);
  uint8_t *to = row;
  for (int ky = 0; ky < g[QG_KH]; ++ky) {
    const int iy = oy * g[QG_SY] - g[QG_PY] + ky * g[QG_DY];
    for (int kx = 0; kx < g[QG_KW]; ++kx, to += t->cin4) {
      const int ix = ox * g[QG_SX] - g[QG_PX] + kx * g[QG_DX];
      const int inside =
          iy >= 0 && iy < g[QG_IN_H] && ix >= 0 && ix < g[QG_IN_W];
      copy_channels(to, inside ? input_at(t->in, ix, iy, n) : 0, g[QG_CIN],
                    t->cin4, g[QG_IN_ZERO]);
    }
  }
  __builtin_memset(to, 0, (unsigned)(g[QG_ROW_BYTES] - (to - row)));
}

static int copy_block(void *user_context, int block, uint8_t *closure) {
  (void)user_context;
  const struct qconv_task *t = (const struct qconv_task *)closure;
  const int64_t bytes = t->g[QG_ROW_BYTES];
  uint8_t *rows =
      t->copy + (t->read == READ_IN_PLACE ? 0 : (int64_t)block * 32 * bytes);
  for (int i = 0; i < 32; ++i)
    window_row(t, block * 32 + i, rows + i * bytes);
  return 0;
}

/* Row r of image n's padded copy: the input row it stands for between
 * zero-point columns, or the zero point (rows above, below and past). */
static int pad_row(void *user_context, int task, uint8_t *closure) {
  (void)user_context;
  const struct qconv_task *t = (const struct qconv_task *)closure;
  const int *g = t->g;
  const int n = task / t->padded_rows, r = task % t->padded_rows;
  const int cin = g[QG_CIN], iy = r - g[QG_PY];
  uint8_t *to = t->copy + n * t->image_bytes + (int64_t)r * t->width * cin;
  const int zero = g[QG_IN_ZERO];
  if (iy < 0 || iy >= g[QG_IN_H]) {
    __builtin_memset(to, zero, (size_t)t->width * cin);
    return 0;
  }
  const int left = g[QG_PX] < t->width ? g[QG_PX] : t->width;
  int inside = g[QG_IN_W] < t->width - left ? g[QG_IN_W] : t->width - left;
  __builtin_memset(to, zero, (size_t)left * cin);
  const int image = t->out->dim[3].min + n;
  const struct halide_buffer_t *in = t->in;
  if (in->dim[1].stride == cin)
    __builtin_memcpy(to + left * cin, input_at(in, 0, iy, image),
                     (size_t)inside * cin);
  else
    for (int x = 0; x < inside; ++x)
      __builtin_memcpy(to + (left + x) * cin, input_at(in, x, iy, image),
                       (size_t)cin);
  __builtin_memset(to + (left + inside) * cin, zero,
                   (size_t)(t->width - left - inside) * cin);
  return 0;
}

/* Where block b's 32 rows of A start, and their stride. */
static const uint8_t *block_rows(const struct qconv_task *t, int b,
                                 int64_t *stride) {
  const int64_t bytes = t->g[QG_ROW_BYTES];
  switch (t->read) {
  case READ_PADDED:
    *stride = t->g[QG_CIN];
    return t->copy + (b / t->blocks_per_image) * t->image_bytes +
           (int64_t)(b % t->blocks_per_image) * 32 * t->g[QG_CIN];
  case READ_IN_PLACE:
    if ((b + 1) * 32 <= t->pixels) {
      *stride = t->in_place_stride;
      return t->in_place + (int64_t)b * 32 * t->in_place_stride;
    }
    *stride = bytes;
    return t->copy;
  default:
    *stride = bytes;
    return t->copy + (int64_t)b * 32 * bytes;
  }
}

#endif
