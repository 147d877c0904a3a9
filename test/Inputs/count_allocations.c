/* Runs a compiled model (MODEL_HEADER, object linked with
 * -Wl,--wrap=malloc,--wrap=aligned_alloc,--wrap=calloc,--wrap=posix_memalign)
 * RUNS times on zeros and prints the heap allocations of each run: its
 * arena, Halide's scratch and anything else the model's code asks libc
 * for.
 *
 *   count_allocations RUNS */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include MODEL_HEADER

static atomic_long calls;

void *__real_malloc(size_t);
void *__wrap_malloc(size_t n) {
  atomic_fetch_add(&calls, 1);
  return __real_malloc(n);
}
void *__real_aligned_alloc(size_t, size_t);
void *__wrap_aligned_alloc(size_t a, size_t n) {
  atomic_fetch_add(&calls, 1);
  return __real_aligned_alloc(a, n);
}
void *__real_calloc(size_t, size_t);
void *__wrap_calloc(size_t a, size_t n) {
  atomic_fetch_add(&calls, 1);
  return __real_calloc(a, n);
}
int __real_posix_memalign(void **, size_t, size_t);
int __wrap_posix_memalign(void **p, size_t a, size_t n) {
  atomic_fetch_add(&calls, 1);
  return __real_posix_memalign(p, a, n);
}

int main(int argc, char **argv) {
  static float in[CNNC_INPUT_SIZE], out[CNNC_OUTPUT_SIZE];
  int runs = argc > 1 ? atoi(argv[1]) : 3;
  for (int r = 0; r < runs; ++r) {
    long before = atomic_load(&calls);
    if (CNNC_MODEL_RUN(in, out))
      return 1;
    printf("run %d: %ld allocations\n", r, atomic_load(&calls) - before);
  }
  return 0;
}
