/* The app.c of the README's CMake example: one inference on zeros. */
#include "mobilenet_v2.h"
#include <stdio.h>

static float input[1 * 3 * 224 * 224], output[1000];

int main(void) {
  int rc = mobilenet_v2_run(input, output);
  int best = 0;
  for (int i = 1; i < 1000; ++i)
    if (output[i] > output[best])
      best = i;
  printf("rc %d, top-1 class %d\n", rc, best);
  return rc;
}
