#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the
# main job on the bundled ResNet-50. Until code generation lands (cnnc), the
# main job is the analysis of the model: its layers, parameters, MACs and
# receptive fields, checked against torchvision's figures.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
model=models/resnet50.mlir
echo "== cnn-opt $model --cnn-stats (last layers and totals)"
build/bin/cnn-opt "$model" --cnn-stats -o /dev/null | tail -n 8
if [ -x build/bin/cnn-run ]; then
  echo "== cnn-run $model --engine=reference (random weights and input)"
  build/bin/cnn-run "$model" --random-weights=1 --random-input=2 \
    --engine=reference --top=5
fi
