/* CNNC's side of bench/compare.sh, like bench/ort_time.js for ONNX
 * Runtime: a model compiled by cnnc, linked in, warmed up once at start
 * (three runs, as ort_time.js does), then for every line `N` read from
 * stdin run N times, printing the median latency in milliseconds. The
 * engines are then timed alike: each in one long-lived process, warm,
 * with the driver interleaving their rounds. A process per round paid a
 * cold start in every round (1.18-1.21 ms against 1.01-1.05 steady for
 * MobileNetV3-Small on a Zen 4: docs/decisions.md).
 *
 *   cc -O2 -I DIR -DMODEL_HEADER='"model.h"' -Iexamples bench/cnnc_serve.c \
 *      DIR/model.o -o serve -lpthread -ldl -lm
 *   ./serve INPUT.npy
 */
#define _POSIX_C_SOURCE 199309L
#include MODEL_HEADER
#include "cnnc_io.h"

static int fail(const char *message) {
  fprintf(stderr, "cnnc_serve: %s\n", message);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2)
    return fail("usage: cnnc_serve INPUT.npy");
  float *input = NULL;
  long long shape[CNNC_IO_MAX_RANK];
  int rank;
  if (cnnc_read_npy(argv[1], &input, shape, &rank))
    return 1;
  long long size = 1;
  for (int d = 0; d < rank; ++d)
    size *= shape[d];
  if (size != CNNC_INPUT_SIZE)
    return fail("the input's size is not the model's");
  float *output = malloc(sizeof(float) * CNNC_OUTPUT_SIZE);
  if (!output)
    return fail("out of memory");
  for (int i = 0; i < 3; ++i)
    if (CNNC_MODEL_RUN(input, output) != 0)
      return fail("the model returned an error");
  printf("ready\n");
  fflush(stdout);
  int runs;
  while (scanf("%d", &runs) == 1 && runs > 0) {
    double *times = malloc(sizeof(double) * runs);
    if (!times)
      return fail("out of memory");
    for (int r = 0; r < runs; ++r) {
      double start = cnnc_now_ms();
      if (CNNC_MODEL_RUN(input, output) != 0)
        return fail("the model returned an error");
      times[r] = cnnc_now_ms() - start;
    }
    qsort(times, (size_t)runs, sizeof(double), cnnc_by_value);
    printf("%.3f\n", times[runs / 2]);
    fflush(stdout);
    free(times);
  }
  free(input);
  free(output);
  return 0;
}
