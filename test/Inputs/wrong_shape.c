/* Calls a compiled model's Halide-style entry with a buffer of the wrong
 * shape: it must return an error code, not read out of bounds. */
#include MODEL_HEADER

#include <HalideRuntime.h>
#include <stdio.h>
#include <string.h>

static void dense(struct halide_buffer_t *b, float *data,
                  struct halide_dimension_t *dims, int rank) {
  memset(b, 0, sizeof *b);
  b->host = (uint8_t *)data;
  b->type.code = halide_type_float;
  b->type.bits = 32;
  b->type.lanes = 1;
  b->dimensions = rank;
  b->dim = dims;
}

int main(void) {
  static float input[4 * 3 * 40 * 40], output[2 * 1000];
  /* One row too few: [1, 3, 31, 32] against the model's [1, 3, 32, 32]. */
  struct halide_dimension_t in_dims[4] = {
      {0, 32, 1, 0}, {0, 31, 32, 0}, {0, 3, 32 * 31, 0}, {0, 1, 3 * 32 * 31, 0}};
  struct halide_dimension_t out_dims[2] = {{0, 1000, 1, 0}, {0, 1, 1000, 0}};
  struct halide_buffer_t in, out;
  dense(&in, input, in_dims, 4);
  dense(&out, output, out_dims, 2);
  int small = CNNC_ENTRY(&in, &out);
  /* Too large is an error too: [1, 3, 40, 40]. */
  struct halide_dimension_t big_dims[4] = {
      {0, 40, 1, 0}, {0, 40, 40, 0}, {0, 3, 1600, 0}, {0, 1, 4800, 0}};
  dense(&in, input, big_dims, 4);
  int large = CNNC_ENTRY(&in, &out);
  /* The right shape works. */
  struct halide_dimension_t ok_dims[4] = {
      {0, 32, 1, 0}, {0, 32, 32, 0}, {0, 3, 1024, 0}, {0, 1, 3072, 0}};
  dense(&in, input, ok_dims, 4);
  int ok = CNNC_ENTRY(&in, &out);
  printf("small=%d large=%d ok=%d\n", small, large, ok);
  return small != 0 && large != 0 && ok == 0 ? 0 : 1;
}
