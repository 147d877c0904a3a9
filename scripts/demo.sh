#!/usr/bin/env bash
# The README's first command: installs what is missing, builds CNNC, then
# compiles the bundled ResNet-50 (224x224) to an object file, links it into
# examples/classify.c, runs it on an input and prints the top-5 classes and
# the latency.
#
#   bash scripts/demo.sh [resnet50.safetensors] [input.npy]
#
# Without a weights file the weights are seeded random ones; without an
# input, a seeded random input is used (written to build/demo/input.npy).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
weights=${1:-}
input=${2:-}
out=build/demo
mkdir -p "$out"
model=models/resnet50.mlir
if [ -n "$weights" ]; then
  bind=(--weights="$weights")
else
  bind=(--random-weights=1)
fi

echo "== cnnc $model ${bind[*]} -o $out/resnet50.o"
time build/bin/cnnc "$model" "${bind[@]}" -o "$out/resnet50.o"
echo "== cc examples/classify.c $out/resnet50.o -o $out/classify"
cc -O2 -I"$out" -DMODEL_HEADER='"resnet50.h"' examples/classify.c \
  "$out/resnet50.o" -o "$out/classify" -lpthread -ldl -lm
if [ -z "$input" ]; then
  input=$out/input.npy
  build/bin/cnn-run "$model" --engine=reference "${bind[@]}" \
    --random-input=2 --save-input="$input" --output="$out/reference.npy" \
    --top=0 > /dev/null
fi
echo "== $out/classify $input"
"$out/classify" "$input" "$out/output.npy" 10
if [ -f "$out/reference.npy" ] && [ "$input" = "$out/input.npy" ]; then
  echo "== compared with the reference interpreter"
  python3 test/Inputs/npy.py compare "$out/reference.npy" "$out/output.npy" 1e-3
fi
