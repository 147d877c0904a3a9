/* cnnc_lookup_table.c: the kernel of an int8 model's table lookups (the
 * activations between quantized values, cnn.lookup_table), which every
 * model compiled by cnnc for a CPU carries after cnnc_model_runtime.c.
 *
 * Halide 14 turns a load through a vector of indices into one scalar load
 * per lane, 2-3 cycles a value; the instructions made for tables do 16 or 64
 * values at once: AVX512-VBMI's vpermi2b (two per 64 values, a 128-entry
 * table each, and a blend on the index's top bit) and AArch64's tbl/tbx
 * (four per 16 values). So a stage that is one u8 -> u8 lookup is a Halide
 * extern stage calling this function. MODEL_LOOKUP_VBMI is 1 where the
 * model's target has AVX512-VBMI (cnnc knows it from the target, so no CPU
 * check runs here).
 *
 * The function follows Halide's extern stage convention: buffers of the
 * input (u8, 4-D: channels, columns, rows, images), the table (256 u8 or
 * 256 f32) and the output (of the table's type: a dequantized activation
 * reads f32 values, gathered 16 at a time with AVX-512); called with an input
 * whose host is NULL (bounds inference) it says that it reads the input where
 * it writes the output. The symbol starts with cnnc_k_ so that joining a
 * model's objects makes it local. */

#include <string.h>

#ifndef MODEL_LOOKUP_VBMI
#define MODEL_LOOKUP_VBMI 0
#endif

#if MODEL_LOOKUP_VBMI && defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw,avx512vbmi"))) static void
lookup_span(const uint8_t *in, uint8_t *out, int count, const uint8_t *table) {
  const __m512i t0 = _mm512_loadu_si512(table);
  const __m512i t1 = _mm512_loadu_si512(table + 64);
  const __m512i t2 = _mm512_loadu_si512(table + 128);
  const __m512i t3 = _mm512_loadu_si512(table + 192);
  for (int i = 0; i < count; i += 64) {
    const int left = count - i;
    const __mmask64 lanes = left >= 64 ? ~0ULL : (1ULL << left) - 1;
    const __m512i x = _mm512_maskz_loadu_epi8(lanes, in + i);
    const __m512i low = _mm512_permutex2var_epi8(t0, x, t1);
    const __m512i high = _mm512_permutex2var_epi8(t2, x, t3);
    _mm512_mask_storeu_epi8(
        out + i, lanes,
        _mm512_mask_blend_epi8(_mm512_movepi8_mask(x), low, high));
  }
}

/* One 64-value span of byte k of each f32 table entry: planes[k] holds
 * byte k of the 256 entries. */
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) static __m512i
lookup_plane(const uint8_t *plane, __m512i x) {
  const __m512i low = _mm512_permutex2var_epi8(
      _mm512_loadu_si512(plane), x, _mm512_loadu_si512(plane + 64));
  const __m512i high = _mm512_permutex2var_epi8(
      _mm512_loadu_si512(plane + 128), x, _mm512_loadu_si512(plane + 192));
  return _mm512_mask_blend_epi8(_mm512_movepi8_mask(x), low, high);
}

/* An f32 table as four byte tables: each byte of 64 values looked up as
 * the u8 tables are, then interleaved into 64 floats. AVX-512's gathers
 * (16 loads per vector) ran this at a third of the speed of a u8 lookup
 * that writes a quarter of the bytes. */
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) static void
lookup_span_f32(const uint8_t *in, float *out, int count,
                const uint8_t (*planes)[256]) {
  for (int i = 0; i < count; i += 64) {
    const int left = count - i;
    const __mmask64 lanes = left >= 64 ? ~0ULL : (1ULL << left) - 1;
    const __m512i x = _mm512_maskz_loadu_epi8(lanes, in + i);
    const __m512i b0 = lookup_plane(planes[0], x),
                  b1 = lookup_plane(planes[1], x),
                  b2 = lookup_plane(planes[2], x),
                  b3 = lookup_plane(planes[3], x);
    /* Within each 128-bit lane: values 0-3, 4-7, 8-11 and 12-15 of it. */
    const __m512i lo01 = _mm512_unpacklo_epi8(b0, b1),
                  hi01 = _mm512_unpackhi_epi8(b0, b1),
                  lo23 = _mm512_unpacklo_epi8(b2, b3),
                  hi23 = _mm512_unpackhi_epi8(b2, b3);
    const __m512i d0 = _mm512_unpacklo_epi16(lo01, lo23),
                  d1 = _mm512_unpackhi_epi16(lo01, lo23),
                  d2 = _mm512_unpacklo_epi16(hi01, hi23),
                  d3 = _mm512_unpackhi_epi16(hi01, hi23);
    /* Lane m of d0-d3 in order are values 16m to 16m + 15. */
    const __m512i t0 = _mm512_shuffle_i32x4(d0, d1, 0x44),
                  t1 = _mm512_shuffle_i32x4(d2, d3, 0x44),
                  t2 = _mm512_shuffle_i32x4(d0, d1, 0xee),
                  t3 = _mm512_shuffle_i32x4(d2, d3, 0xee);
    const __m512i v[4] = {_mm512_shuffle_i32x4(t0, t1, 0x88),
                          _mm512_shuffle_i32x4(t0, t1, 0xdd),
                          _mm512_shuffle_i32x4(t2, t3, 0x88),
                          _mm512_shuffle_i32x4(t2, t3, 0xdd)};
    for (int m = 0; m < 4; ++m) {
      const int rest = left - 16 * m;
      if (rest <= 0)
        break;
      const __mmask16 mask = rest >= 16 ? 0xffff : (1u << rest) - 1;
      _mm512_mask_storeu_epi32(out + i + 16 * m, mask, v[m]);
    }
  }
}
#define HAVE_LOOKUP_SPAN_F32 1
#elif defined(__aarch64__)
#include <arm_neon.h>

static void lookup_span(const uint8_t *in, uint8_t *out, int count,
                        const uint8_t *table) {
  const uint8x16x4_t t0 = vld1q_u8_x4(table), t1 = vld1q_u8_x4(table + 64),
                     t2 = vld1q_u8_x4(table + 128),
                     t3 = vld1q_u8_x4(table + 192);
  const uint8x16_t step = vdupq_n_u8(64);
  int i = 0;
  for (; i + 16 <= count; i += 16) {
    /* tbx leaves a lane whose index is past its 64 entries as it was;
     * subtracting 64 wraps the smaller indices past them. */
    uint8x16_t x = vld1q_u8(in + i);
    uint8x16_t y = vqtbl4q_u8(t0, x);
    x = vsubq_u8(x, step);
    y = vqtbx4q_u8(y, t1, x);
    x = vsubq_u8(x, step);
    y = vqtbx4q_u8(y, t2, x);
    x = vsubq_u8(x, step);
    vst1q_u8(out + i, vqtbx4q_u8(y, t3, x));
  }
  for (; i < count; ++i)
    out[i] = table[in[i]];
}
#else
static void lookup_span(const uint8_t *in, uint8_t *out, int count,
                        const uint8_t *table) {
  for (int i = 0; i < count; ++i)
    out[i] = table[in[i]];
}
#endif

#ifndef HAVE_LOOKUP_SPAN_F32
static void lookup_span_f32(const uint8_t *in, float *out, int count,
                            const uint8_t (*planes)[256]) {
  for (int i = 0; i < count; ++i) {
    const uint32_t bits = (uint32_t)planes[0][in[i]] |
                          (uint32_t)planes[1][in[i]] << 8 |
                          (uint32_t)planes[2][in[i]] << 16 |
                          (uint32_t)planes[3][in[i]] << 24;
    memcpy(out + i, &bits, sizeof bits);
  }
}
#endif

struct lookup_task {
  const struct halide_buffer_t *in, *table, *out;
  /* Values per span (channels, or channels times columns where both
   * buffers are dense over them), spans per row, and rows per image. */
  int span, spans, rows;
  /* An f32 table's entries as four byte tables, least significant first. */
  uint8_t planes[4][256];
};

static const uint8_t *lookup_input(const struct halide_buffer_t *in,
                                   const int *at) {
  int64_t offset = 0;
  for (int d = 0; d < 4; ++d)
    offset += (int64_t)(at[d] - in->dim[d].min) * in->dim[d].stride;
  return in->host + offset;
}

/* One row of the output (rows and images flattened). */
static int lookup_row(void *user_context, int row, uint8_t *closure) {
  (void)user_context;
  const struct lookup_task *task = (const struct lookup_task *)closure;
  const struct halide_buffer_t *out = task->out;
  int at[4] = {out->dim[0].min, out->dim[1].min,
               out->dim[2].min + row % task->rows,
               out->dim[3].min + row / task->rows};
  const int bytes = out->type.bits / 8;
  for (int s = 0; s < task->spans; ++s, ++at[1]) {
    uint8_t *to = out->host;
    for (int d = 0; d < 4; ++d)
      to += (int64_t)(at[d] - out->dim[d].min) * out->dim[d].stride * bytes;
    if (bytes == 1)
      lookup_span(lookup_input(task->in, at), to, task->span,
                  task->table->host);
    else
      lookup_span_f32(lookup_input(task->in, at), (float *)to, task->span,
                      (const uint8_t(*)[256])task->planes);
  }
  return 0;
}

static int dense_over_columns(const struct halide_buffer_t *b) {
  return b->dim[1].stride == b->dim[0].extent;
}

/* Hidden: a shared library's kernels call it, nothing outside does, and two
 * models' libraries in one process keep their own. */
__attribute__((visibility("hidden"))) int
cnnc_k_lookup_table(struct halide_buffer_t *in, struct halide_buffer_t *table,
                    struct halide_buffer_t *out) {
  if (!in->host || !table->host || !out->host) { /* bounds inference */
    if (!in->host)
      for (int d = 0; d < 4; ++d) {
        in->dim[d].min = out->dim[d].min;
        in->dim[d].extent = out->dim[d].extent;
      }
    if (!table->host) {
      table->dim[0].min = 0;
      table->dim[0].extent = 256;
    }
    return 0;
  }
  if (in->dimensions != 4 || out->dimensions != 4 || in->dim[0].stride != 1 ||
      out->dim[0].stride != 1 || table->dim[0].extent != 256 ||
      table->type.bits != out->type.bits ||
      (out->type.bits != 8 && out->type.bits != 32))
    return -1;
  struct lookup_task task = {in,
                             table,
                             out,
                             out->dim[0].extent,
                             out->dim[1].extent,
                             out->dim[2].extent};
  if (out->type.bits == 32)
    for (int i = 0; i < 256; ++i) {
      uint32_t bits;
      memcpy(&bits, task.table->host + 4 * i, sizeof bits);
      for (int k = 0; k < 4; ++k)
        task.planes[k][i] = (uint8_t)(bits >> (8 * k));
    }
  if (dense_over_columns(out) && dense_over_columns(in) &&
      in->dim[0].extent == out->dim[0].extent) {
    task.span *= task.spans;
    task.spans = 1;
  }
  const int rows = out->dim[2].extent * out->dim[3].extent;
  /* Small maps run on the calling thread: handing rows of a few thousand
   * values to the thread pool costs more than it saves. */
  if ((int64_t)rows * task.span * task.spans < 16384) {
    for (int row = 0; row < rows; ++row)
      lookup_row(NULL, row, (uint8_t *)&task);
    return 0;
  }
  return halide_do_par_for(NULL, lookup_row, 0, rows, (uint8_t *)&task);
}
