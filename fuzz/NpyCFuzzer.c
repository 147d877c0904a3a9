/* NpyCFuzzer.c - the C .npy reader of examples/cnnc_io.h (what compiled
 * models' runners use) under libFuzzer. Any bytes: cnnc_read_npy either
 * fails or returns a buffer of as many floats as its shape has elements,
 * which is read in full here (ASan checks the bounds). */
#define _POSIX_C_SOURCE 200809L
#include "../examples/cnnc_io.h"

#include <stdint.h>
#include <unistd.h>

static char dir[32], path[64];

static void remove_input(void) {
  unlink(path);
  rmdir(dir);
}

static const char *input_path(void) {
  if (!path[0]) {
    snprintf(dir, sizeof dir, "/tmp/cnnc-fuzz-XXXXXX");
    if (!mkdtemp(dir))
      abort();
    snprintf(path, sizeof path, "%s/input.npy", dir);
    atexit(remove_input);
  }
  return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = input_path();
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
    abort();
  float *values = NULL;
  long long shape[CNNC_IO_MAX_RANK];
  int rank = 0;
  if (cnnc_read_npy(path, &values, shape, &rank))
    return 0;
  long long elements = 1;
  for (int d = 0; d < rank; ++d)
    elements *= shape[d];
  volatile float sum = 0;
  for (long long i = 0; i < elements; ++i)
    sum += values[i];
  free(values);
  return 0;
}
