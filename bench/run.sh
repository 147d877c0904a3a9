#!/usr/bin/env bash
# Benchmarks every zoo model (or those named) at 224x224, batch 1: compiled
# with cnnc at -O0 and -O2, linked into examples/classify.c, each run N
# times. Prints median latency, GFLOP/s (2 x MACs / time), the share of the
# machine's fp32 peak (measured here first) and the -O2/-O0 speedup.
#
#   bench/run.sh [--runs=N] [--threads=T] [--size=S] [model ...]
#
# Needs a build (scripts/build.sh). Not a test: the machine is shared and
# noisy; compare ratios from one run.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=10 threads=2 size=224
models=()
source bench/common.sh
bench_setup "$@"
if [ "$tune" = 1 ]; then
  echo "$0: --tune is for bench/compare.sh" >&2
  exit 1
fi
if [ ${#models[@]} -eq 0 ]; then
  mapfile -t models < <(build/bin/cnn-zoo --list | awk '{print $1}')
fi
echo "fp32 peak on $threads threads: $peak GFLOP/s (tools/common/peak.c)"
echo
printf '%-14s %10s %10s %9s %8s %10s %8s\n' model "O0 ms" "O2 ms" GFLOP/s \
  "% peak" "O2/O0" "compile"

for model in "${models[@]}"; do
  build/bin/cnn-zoo "$model" --input-size="$size" -o "$work/$model.mlir"
  macs=$(build/bin/cnn-opt "$work/$model.mlir" --cnn-stats -o /dev/null |
         sed -n 's/^total: params=[0-9]* macs=\([0-9]*\)$/\1/p')
  declare -A ms
  compile=""
  for level in O0 O2; do
    start=$(date +%s.%N)
    build/bin/cnnc "$work/$model.mlir" -"$level" --random-weights=1 \
      -o "$work/$model$level.o"
    end=$(date +%s.%N)
    [ "$level" = O2 ] && compile=$(awk "BEGIN {print $end - $start}")
    cc -O2 -I"$work" -DMODEL_HEADER="\"$model$level.h\"" examples/classify.c \
      "$work/$model$level.o" -o "$work/run$level" -lpthread -ldl -lm
    ms[$level]=$("$work/run$level" - - "$runs" |
                 sed -n 's/^latency: median=\([0-9.]*\) ms.*/\1/p')
    rm -f "$work/$model$level.o"
  done
  gflops=$(awk "BEGIN {print 2 * $macs / (${ms[O2]} / 1000) / 1e9}")
  share=$(awk "BEGIN {print 100 * $gflops / $peak}")
  speedup=$(awk "BEGIN {print ${ms[O0]} / ${ms[O2]}}")
  printf '%-14s %10.2f %10.2f %9.1f %7.1f%% %9.2fx %7.1fs\n' "$model" \
    "${ms[O0]}" "${ms[O2]}" "$gflops" "$share" "$speedup" "$compile"
done
