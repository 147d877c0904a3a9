#!/usr/bin/env bash
# Prepares the CUDA check for a GPU machine that has CUDA but no MLIR or
# Halide: compiles each model (default: mobilenet_v2 and resnet18 at
# 224x224, random weights 1) here with --target=host-cuda
# --emit=shared-library, and writes beside it the input and the reference
# interpreter's output. bench/gpu-check.sh DIR runs them there.
#
#   bench/gpu-prepare.sh DIR [model ...]
#
# DIR then holds cnn-exec, npy.py and, per model, MODEL.so, MODEL-in.npy,
# MODEL-ref.npy (weights are inside the .so: ResNet-18 is about 47 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/gpu-prepare.sh DIR [model ...]" >&2; exit 2; }
dir=$1
shift
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(mobilenet_v2 resnet18)
mkdir -p "$dir"
cp build/bin/cnn-exec test/Inputs/npy.py bench/torch_baseline.py "$dir/"
for m in "${models[@]}"; do
  echo "== $m"
  build/bin/cnn-run "models/$m.mlir" --engine=reference --random-weights=1 \
    --random-input=2 --save-input="$dir/$m-in.npy" --output="$dir/$m-ref.npy" \
    --top=1
  /usr/bin/time -f "cnnc $m host-cuda: %e s, %M KB" build/bin/cnnc \
    "models/$m.mlir" --random-weights=1 --target=host-cuda \
    --emit=shared-library -o "$dir/$m.so"
done
ls -l "$dir"
