#!/usr/bin/env bash
# CNNC against PyTorch on this machine, in one run: batch 1, fp32, 2
# threads each (OPENBLAS_NUM_THREADS=1 for PyTorch's BLAS). Prints the CPU,
# its measured fp32 peak, and per model both median latencies (PyTorch: the
# best of eager and traced + frozen channels-last), their ratio, CNNC's
# GFLOP/s and share of the peak.
#
#   bench/compare.sh [--runs=N] [--threads=T] [--size=S] [--tune] [model ...]
#
# With --tune, each model is compiled with `cnnc --tune` (records in a
# temporary file, so nothing of earlier tuning is reused) and the tuning
# time is printed per model.
# Default models: ResNet-18, ResNet-50, VGG-16, MobileNetV2, ConvNeXt-T.
# Needs a build (scripts/build.sh) and python3-torch, python3-torchvision
# (scripts/install-deps.sh --test). Not a test: compare ratios from one run.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=20 threads=2 size=224
models=()
source bench/common.sh
bench_need_torch

bench_setup "$@"
[ ${#models[@]} -eq 0 ] &&
  models=(resnet18 resnet50 vgg16 mobilenet_v2 convnext_tiny)
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=$threads
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
echo "CPU: $cpu"
echo "fp32 peak on $threads threads: $peak GFLOP/s (tools/common/peak.c)"
echo "PyTorch: $("$python" -c 'import torch; print(torch.__version__)'), $threads threads"
echo
printf '%-14s %10s %12s %9s %9s %8s' model "CNNC ms" "PyTorch ms" \
  "CNNC/PT" GFLOP/s "% peak"
[ "$tune" = 1 ] && printf ' %8s' "tune s"
printf '\n'

for model in "${models[@]}"; do
  build/bin/cnn-zoo "$model" --input-size="$size" -o "$work/$model.mlir"
  macs=$(build/bin/cnn-opt "$work/$model.mlir" --cnn-stats -o /dev/null |
         sed -n 's/^total: params=[0-9]* macs=\([0-9]*\)$/\1/p')
  tune_flags=()
  [ "$tune" = 1 ] && tune_flags=(--tune --tuning="$work/tuning.json")
  build/bin/cnnc "$work/$model.mlir" --random-weights=1 --quiet \
    "${tune_flags[@]}" -o "$work/$model.o" 2>"$work/cnnc.log" ||
    { cat "$work/cnnc.log" >&2; exit 1; }
  tune_s=$(sed -n 's/^cnnc: tuned .* in \([0-9]*\) s:.*/\1/p' "$work/cnnc.log")
  cc -O2 -I"$work" -DMODEL_HEADER="\"$model.h\"" examples/classify.c \
    "$work/$model.o" -o "$work/run" -lpthread -ldl -lm
  rm -f "$work/$model.o"
  cnnc_ms=$("$work/run" - - "$runs" |
            sed -n 's/^latency: median=\([0-9.]*\) ms.*/\1/p')
  torch_ms=$("$python" bench/torch_cpu.py "$runs" "$threads" "$size" "$model" |
             sed -n 's/.* best=\([0-9.]*\)$/\1/p')
  gflops=$(awk "BEGIN {print 2 * $macs / ($cnnc_ms / 1000) / 1e9}")
  printf '%-14s %10.2f %12.2f %9.2f %9.1f %7.1f%%' "$model" "$cnnc_ms" \
    "$torch_ms" "$(awk "BEGIN {print $cnnc_ms / $torch_ms}")" "$gflops" \
    "$(awk "BEGIN {print 100 * $gflops / $peak}")"
  [ "$tune" = 1 ] && printf ' %8s' "$tune_s"
  printf '\n'
done
