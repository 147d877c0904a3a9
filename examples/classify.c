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

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int fail(const char *message, const char *what) {
  fprintf(stderr, "classify: %s%s%s\n", message, what ? ": " : "",
          what ? what : "");
  return 1;
}

/* Reads a version-1 .npy of '<f4' into `data` (`count` floats expected). */
static int read_npy(const char *path, float *data, long long count) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return fail("cannot open input", path);
  unsigned char head[10];
  if (fread(head, 1, 10, f) != 10 || memcmp(head, "\x93NUMPY", 6) != 0) {
    fclose(f);
    return fail("not a .npy file", path);
  }
  unsigned header_len = head[8] | (head[9] << 8);
  char header[65536];
  if (head[6] != 1 || header_len >= sizeof header ||
      fread(header, 1, header_len, f) != header_len) {
    fclose(f);
    return fail("unsupported .npy header", path);
  }
  header[header_len] = '\0';
  if (!strstr(header, "'<f4'") || !strstr(header, "'fortran_order': False")) {
    fclose(f);
    return fail("input must be f32 in C order", path);
  }
  long long got = (long long)fread(data, sizeof(float), (size_t)count + 1, f);
  fclose(f);
  if (got != count)
    return fail("input has the wrong number of elements for the model", path);
  return 0;
}

static int write_npy(const char *path, const float *data) {
  char header[256];
  int n = snprintf(header, sizeof header,
                   "{'descr': '<f4', 'fortran_order': False, 'shape': (");
  for (int d = 0; d < CNNC_OUTPUT_RANK; ++d)
    n += snprintf(header + n, sizeof header - n, "%lld%s",
                  CNNC_OUTPUT_SHAPE[d],
                  CNNC_OUTPUT_RANK == 1 ? "," : (d + 1 < CNNC_OUTPUT_RANK ? ", " : ""));
  n += snprintf(header + n, sizeof header - n, "), }");
  while ((10 + n + 1) % 64 != 0)
    header[n++] = ' ';
  header[n++] = '\n';
  FILE *f = fopen(path, "wb");
  if (!f)
    return fail("cannot write", path);
  unsigned char head[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                            (unsigned char)(n & 0xff), (unsigned char)(n >> 8)};
  fwrite(head, 1, 10, f);
  fwrite(header, 1, (size_t)n, f);
  fwrite(data, sizeof(float), CNNC_OUTPUT_SIZE, f);
  return fclose(f) == 0 ? 0 : fail("cannot write", path);
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
  double d = *(const double *)a - *(const double *)b;
  return (d > 0) - (d < 0);
}

int main(int argc, char **argv) {
  float *input = malloc(sizeof(float) * CNNC_INPUT_SIZE);
  float *output = malloc(sizeof(float) * CNNC_OUTPUT_SIZE);
  if (!input || !output)
    return fail("out of memory", NULL);
  if (argc > 1 && strcmp(argv[1], "-") != 0) {
    if (read_npy(argv[1], input, CNNC_INPUT_SIZE))
      return 1;
  } else {
    for (long long i = 0; i < CNNC_INPUT_SIZE; ++i)
      input[i] = (float)((i * 7919) % 1000) / 500.0f - 1.0f;
  }
  int runs = argc > 3 ? atoi(argv[3]) : 10;
  if (runs < 1)
    runs = 1;
  double *times = malloc(sizeof(double) * runs);
  if (CNNC_MODEL_RUN(input, output) != 0) /* warm-up */
    return fail("the model returned an error", NULL);
  for (int r = 0; r < runs; ++r) {
    double start = now_ms();
    if (CNNC_MODEL_RUN(input, output) != 0)
      return fail("the model returned an error", NULL);
    times[r] = now_ms() - start;
  }
  if (argc > 2 && argv[2][0] && strcmp(argv[2], "-") != 0 &&
      write_npy(argv[2], output))
    return 1;

  long long classes = CNNC_OUTPUT_SHAPE[CNNC_OUTPUT_RANK - 1];
  long long rows = CNNC_OUTPUT_SIZE / classes;
  for (long long row = 0; row < rows; ++row) {
    const float *logits = output + row * classes;
    printf("top-5 (batch %lld):\n", row);
    int taken[5] = {-1, -1, -1, -1, -1};
    for (int k = 0; k < 5 && k < classes; ++k) {
      int best = -1;
      for (int c = 0; c < classes; ++c) {
        int used = 0;
        for (int j = 0; j < k; ++j)
          used |= taken[j] == c;
        if (!used && (best < 0 || logits[c] > logits[best]))
          best = c;
      }
      taken[k] = best;
      printf("  %d. class %4d  score %.6g\n", k + 1, best, logits[best]);
    }
  }
  qsort(times, (size_t)runs, sizeof(double), by_value);
  printf("latency: median=%.3f ms min=%.3f ms runs=%d\n", times[runs / 2],
         times[0], runs);
  free(times);
  free(input);
  free(output);
  return 0;
}
