# Sourced by the bench scripts (bash): parses `--runs=N --threads=T
# --size=S [--tune] [model ...]` into $runs, $threads, $size, $tune (0 or
# 1: compile with cnnc --tune) and the array $models
# (defaults set by the caller first), makes $work (removed on exit), and
# measures the fp32 peak on $threads threads into $peak (tools/common/peak.c).
bench_setup() {
  local arg
  tune=0
  for arg in "$@"; do
    case "$arg" in
      --runs=*) runs=${arg#--runs=} ;;
      --threads=*) threads=${arg#--threads=} ;;
      --size=*) size=${arg#--size=} ;;
      --tune) tune=1 ;;
      -*) echo "$0: unknown option $arg" >&2; exit 1 ;;
      *) models+=("$arg") ;;
    esac
  done
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  export HL_NUM_THREADS=$threads
  cc -O2 -pthread -DCNNC_PEAK_MAIN tools/common/peak.c -o "$work/peak"
  peak=$("$work/peak" "$threads")
}
