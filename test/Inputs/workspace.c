/* Runs a compiled model (MODEL_HEADER) twice on an input of ones: through
 * <name>_run and through <name>_run_with_workspace with a workspace of
 * <NAME>_WORKSPACE_BYTES that this program allocates and fills with NaN
 * (the model must not read activations it did not write). Prints
 * "same" if both outputs are bitwise equal, else "differ"; exits 1 on a
 * model error. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include MODEL_HEADER

#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
#define RUN_WITH_WORKSPACE XCAT(CNNC_MODEL_RUN, _with_workspace)

int main(void) {
  static float in[CNNC_INPUT_SIZE], a[CNNC_OUTPUT_SIZE], b[CNNC_OUTPUT_SIZE];
  for (size_t i = 0; i < CNNC_INPUT_SIZE; ++i)
    in[i] = 1.0f;
  size_t bytes = WORKSPACE_BYTES;
  float *workspace = aligned_alloc(64, (bytes + 63) / 64 * 64);
  for (size_t i = 0; i < bytes / sizeof(float); ++i)
    workspace[i] = NAN;
  if (CNNC_MODEL_RUN(in, a) || RUN_WITH_WORKSPACE(in, b, workspace))
    return 1;
  printf("workspace %zu bytes: %s\n", bytes,
         memcmp(a, b, sizeof a) == 0 ? "same" : "differ");
  free(workspace);
  return 0;
}
