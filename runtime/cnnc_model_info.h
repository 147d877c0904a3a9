/* cnnc_model_info.h: how a model compiled by cnnc describes itself.
 *
 * A shared library written by `cnnc --emit=shared-library` exports
 *
 *   const struct cnnc_model_info *cnnc_model_info(void);
 *
 * so that a runner (cnn-exec, the Python package, your own program) needs
 * no header of the model's: the entries' names, the shapes and the target.
 * The struct only grows: fields are added at the end and `version` says
 * which are there. Readers check the version they need. */
#ifndef CNNC_MODEL_INFO_H
#define CNNC_MODEL_INFO_H

#ifdef __cplusplus
extern "C" {
#endif

#define CNNC_MODEL_INFO_VERSION 1
#define CNNC_MODEL_INFO_MAX_RANK 8

struct cnnc_model_info {
  int version;         /* CNNC_MODEL_INFO_VERSION of the cnnc that wrote it */
  const char *name;    /* the model's Halide-style entry, `<name>` */
  const char *run;     /* `<name>_run(const float *, float *)` */
  const char *profile; /* `<name>_run_profiled(in, out, double *seconds)` */
  const char *stages;  /* `<name>_stages(void)`: the stage table */
  const char *target;  /* the Halide target it was compiled for */
  int input_rank, output_rank;
  long long input_shape[CNNC_MODEL_INFO_MAX_RANK];
  long long output_shape[CNNC_MODEL_INFO_MAX_RANK];
};

typedef const struct cnnc_model_info *(*cnnc_model_info_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* CNNC_MODEL_INFO_H */
