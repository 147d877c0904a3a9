#!/usr/bin/env bash
# Runs models compiled for CUDA (bench/gpu-prepare.sh DIR) on this machine's
# GPU through cnn-exec, compares each output with the reference
# interpreter's, and prints the median latency of N runs; then, where
# PyTorch is installed, the same models in PyTorch eager mode for scale.
#
#   bench/gpu-check.sh DIR [runs]
set -uo pipefail
dir=$(cd "$1" && pwd)
runs=${2:-100}
status=0
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

# Halide's CUDA runtime opens libcuda.so by that name: point it at the
# driver's library (not the toolkit's link stub).
real=$(ldconfig -p | awk '/libcuda\.so\.1 / {print $NF; exit}')
if [ -n "$real" ]; then
  mkdir -p /tmp/cnnc-cuda
  ln -sf "$real" /tmp/cnnc-cuda/libcuda.so
  export LD_LIBRARY_PATH=/tmp/cnnc-cuda${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi

for lib in "$dir"/*.so; do
  m=$(basename "$lib" .so)
  echo "== $m"
  if "$dir/cnn-exec" "$lib" --input="$dir/$m-in.npy" --output="/tmp/$m-gpu.npy" \
      --bench="$runs" --top=1; then
    python3 "$dir/npy.py" compare "$dir/$m-ref.npy" "/tmp/$m-gpu.npy" 1e-3 ||
      status=1
  else
    status=1
  fi
done
if python3 -c 'import torch, torchvision' 2>/dev/null; then
  models=$(for lib in "$dir"/*.so; do basename "$lib" .so; done)
  python3 "$dir/torch_baseline.py" "$runs" $models
fi
exit $status
