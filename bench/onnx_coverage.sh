#!/usr/bin/env bash
# Which of torchvision's CNN classifiers CNNC compiles from PyTorch's ONNX
# export, whether they match PyTorch, and how fast they run against PyTorch
# on this machine, in one run: batch 1, fp32, 2 threads each, 224x224
# (Inception v3: 299x299), seeded random weights and BatchNorm statistics
# (test/Inputs/torch_fixture.py --onnx). Prints the CPU, and per model:
# compiles (cnnc model.onnx), matches (the object's output against
# PyTorch's: max|diff| / max|output|, same top-1), CNNC's and PyTorch's
# median latency (PyTorch: best of eager and traced + frozen channels-last,
# bench/torch_cpu.py) and their ratio.
#
#   bench/onnx_coverage.sh [--runs=N] [--threads=T] [model ...]
#
# Needs a build (scripts/build.sh) and python3-torch, python3-torchvision
# (scripts/install-deps.sh --test). Not a test: compare ratios from one run.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=20 threads=2 size=224
models=()
source bench/common.sh
bench_need_torch
bench_setup "$@"
[ ${#models[@]} -eq 0 ] && models=(
  resnet18 resnet50 resnext50_32x4d wide_resnet50_2 vgg11_bn alexnet
  squeezenet1_1 densenet121 googlenet inception_v3 mobilenet_v2
  mobilenet_v3_small mobilenet_v3_large efficientnet_b0 shufflenet_v2_x1_0
  mnasnet1_0 regnet_x_400mf regnet_y_400mf convnext_tiny)
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=$threads
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "fp32 peak on $threads threads: $peak GFLOP/s (tools/common/peak.c)"
echo
printf '| %-18s | %-8s | %-24s | %8s | %10s | %7s |\n' model compiles \
  "matches PyTorch" "CNNC ms" "PyTorch ms" CNNC/PT
printf '|%s|%s|%s|%s|%s|%s|\n' -------------------- ---------- \
  -------------------------- ---------- ------------ ---------

for model in "${models[@]}"; do
  side=$size
  [ "$model" = inception_v3 ] && side=299
  dir="$work/$model"
  row() { printf '| %-18s | %-8s | %-24s | %8s | %10s | %7s |\n' "$model" "$@"; }
  if ! "$python" test/Inputs/torch_fixture.py "$model" "$dir" \
      --input-size="$side" --onnx >"$work/log" 2>&1; then
    row "export failed" - - - -
    continue
  fi
  if ! build/bin/cnnc "$dir/model.onnx" --quiet -o "$dir/model.o" \
      >"$work/log" 2>&1; then
    row no "$(head -c 60 "$work/log" | tr '\n' ' ')" - - -
    continue
  fi
  cc -O2 -I"$dir" -DMODEL_HEADER='"model.h"' examples/classify.c \
    "$dir/model.o" -o "$dir/run" -lpthread -ldl -lm
  "$dir/run" "$dir/input.npy" "$dir/cnnc.npy" 1 >/dev/null
  match=$("$python" test/Inputs/npy.py compare "$dir/torch.npy" \
            "$dir/cnnc.npy" 2e-5 2>&1 |
          sed -n 's/.*ratio = \([0-9.e+-]*\).*/\1/p' | head -1)
  if "$python" test/Inputs/npy.py compare "$dir/torch.npy" "$dir/cnnc.npy" \
      2e-5 >/dev/null 2>&1; then
    match="yes ($match)"
  else
    match="NO ($match)"
  fi
  cnnc_ms=$("$dir/run" - - "$runs" |
            sed -n 's/^latency: median=\([0-9.]*\) ms.*/\1/p')
  torch_ms=$("$python" bench/torch_cpu.py "$runs" "$threads" "$side" "$model" |
             sed -n 's/.* best=\([0-9.]*\)$/\1/p')
  row yes "$match" "$cnnc_ms" "$torch_ms" \
    "$(awk "BEGIN {printf \"%.2f\", $cnnc_ms / $torch_ms}")"
  rm -rf "$dir"
done
