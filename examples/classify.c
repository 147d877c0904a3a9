/* classify.c: runs a model compiled by cnnc on an input and prints the top
 * classes and the latency.
 *
 *   cnnc models/resnet50.mlir --random-weights=1 -o resnet50.o
 *   cc -O2 -I. -DMODEL_HEADER='"resnet50.h"' examples/classify.c resnet50.o \
 *      -o classify -lpthread -ldl -lm
 *   ./classify input.npy [output.npy] [runs]     ("-" skips a file)
 *
 * The input is a NumPy .npy file of f32 in C order with the model's input
 * shape; without one, a fixed pattern is used. Only the C library is
 * needed: the model's object carries Halide's runtime.
 */
#define _POSIX_C_SOURCE 199309L
#include MODEL_HEADER
#include "cnnc_io.h"

static int fail(const char *message) {
  fprintf(stderr, "classify: %s\n", message);
  return 1;
}

/* Reads the input and checks it has the model's input shape. */
static int read_input(const char *path, float **input) {
  long long shape[CNNC_IO_MAX_RANK];
  int rank;
  if (cnnc_read_npy(path, input, shape, &rank))
    return 1;
  int same = rank == CNNC_INPUT_RANK;
  for (int d = 0; same && d < rank; ++d)
    same = shape[d] == CNNC_INPUT_SHAPE[d];
  if (!same) {
    fprintf(stderr, "classify: %s has shape (", path);
    for (int d = 0; d < rank; ++d)
      fprintf(stderr, "%s%lld", d ? ", " : "", shape[d]);
    fprintf(stderr, "), the model takes (");
    for (int d = 0; d < CNNC_INPUT_RANK; ++d)
      fprintf(stderr, "%s%lld", d ? ", " : "", CNNC_INPUT_SHAPE[d]);
    fprintf(stderr, ")\n");
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  float *input = NULL;
  float *output = malloc(sizeof(float) * CNNC_OUTPUT_SIZE);
  if (!output)
    return fail("out of memory");
  if (argc > 1 && strcmp(argv[1], "-") != 0) {
    if (read_input(argv[1], &input))
      return 1;
  } else {
    input = malloc(sizeof(float) * CNNC_INPUT_SIZE);
    if (!input)
      return fail("out of memory");
    for (long long i = 0; i < CNNC_INPUT_SIZE; ++i)
      input[i] = (float)((i * 7919) % 1000) / 500.0f - 1.0f;
  }
  int runs = argc > 3 ? atoi(argv[3]) : 10;
  if (runs < 1)
    runs = 1;
  double *times = malloc(sizeof(double) * runs);
  if (CNNC_MODEL_RUN(input, output) != 0) /* warm-up */
    return fail("the model returned an error");
  for (int r = 0; r < runs; ++r) {
    double start = cnnc_now_ms();
    if (CNNC_MODEL_RUN(input, output) != 0)
      return fail("the model returned an error");
    times[r] = cnnc_now_ms() - start;
  }
  if (argc > 2 && argv[2][0] && strcmp(argv[2], "-") != 0 &&
      cnnc_write_npy(argv[2], output, CNNC_OUTPUT_SHAPE, CNNC_OUTPUT_RANK))
    return 1;

  long long classes = CNNC_OUTPUT_SHAPE[CNNC_OUTPUT_RANK - 1];
  cnnc_print_top(output, CNNC_OUTPUT_SIZE / classes, classes, 5);
  cnnc_print_latency(times, runs);
  free(times);
  free(input);
  free(output);
  return 0;
}
