#!/usr/bin/env bash
# CNNC against ONNX Runtime and PyTorch on this machine, in one run: every
# torchvision classifier of the README's coverage table exported to ONNX
# (seeded random weights), compiled by cnnc from that file and checked
# against PyTorch; ONNX Runtime (onnxruntime-node: CPU execution provider,
# all graph optimizations) runs the same file, PyTorch the model itself
# (best of eager and traced + frozen channels-last). fp32, T threads each
# (OPENBLAS_NUM_THREADS=1 for PyTorch's BLAS), batch B. The engines' runs
# are interleaved: R short rounds of N runs of each, one engine after
# another, and engines are compared round by round (the machine's speed
# may change between rounds, rarely within one).
# Prints the CPU, its measured fp32 peak, per model the median latencies,
# CNNC/ORT (the median of the per-round ratios, and their middle half),
# CNNC/PyTorch, CNNC's GFLOP/s in its fastest round and share of the peak,
# then the geometric means.
#
#   bench/compare.sh [--runs=N] [--rounds=R] [--threads=T] [--size=S]
#                    [--batch=B] [--tune] [--int8] [model ...]
#
# Defaults: 5 runs, 15 rounds, 2 threads, 224x224 (Inception v3: 299),
# batch 1. A model may also be one of torchvision's segmentation models
# (fcn_resnet50, lraspp_mobilenet_v3_large, ...) or of
# test/Inputs/fixture_models.py (unet, espcn, groupnorm_resnet, ...). With --tune each model is compiled with `cnnc --tune` (records
# in a temporary file) and the compile time is printed. With --int8 each
# model is also written as a QDQ model (ONNX Runtime's static quantization
# format, from 4 seeded random calibration images per batch) and CNNC
# (fp32, --quantize=int8 on those images, the QDQ model) and ONNX Runtime
# (fp32, the QDQ model) are timed, interleaved (bench/int8_engines.py).
# Needs a build (scripts/build.sh) and scripts/install-deps.sh --bench.
# Not a test: compare ratios from one run.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5 rounds=15 threads=2 size=224 batch=1
models=()
source bench/common.sh
bench_need_torch
bench_need_ort
bench_setup "$@"
[ ${#models[@]} -eq 0 ] && models=(
  resnet18 resnet50 resnext50_32x4d wide_resnet50_2 vgg11_bn alexnet
  squeezenet1_1 densenet121 googlenet inception_v3 mobilenet_v2
  mobilenet_v3_small mobilenet_v3_large efficientnet_b0 shufflenet_v2_x1_0
  mnasnet1_0 regnet_x_400mf regnet_y_400mf convnext_tiny)
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=$threads
ort_version=$(node -p "require('$ORT_NODE_MODULES/node_modules/onnxruntime-node/package.json').version")
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "fp32 peak on $threads threads: $peak GFLOP/s (tools/common/peak.c)"
echo "ONNX Runtime $ort_version (onnxruntime-node), PyTorch" \
  "$("$python" -c 'import torch; print(torch.__version__)'); $threads threads," \
  "batch $batch, ${size}x$size, $rounds rounds of $runs runs per engine"
echo
if [ "$int8" = 1 ]; then
  "$python" bench/int8_engines.py --work="$work" --runs="$runs" \
    --rounds="$rounds" --threads="$threads" --size="$size" --batch="$batch" \
    "${models[@]}"
  exit 0
fi
tune_flag=()
[ "$tune" = 1 ] && tune_flag=(--tune)
"$python" bench/compare_engines.py --work="$work" --peak="$peak" \
  --runs="$runs" --rounds="$rounds" --threads="$threads" --size="$size" \
  --batch="$batch" "${tune_flag[@]}" "${models[@]}"
