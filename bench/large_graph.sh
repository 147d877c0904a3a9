#!/usr/bin/env bash
# Compile time and peak memory of cnnc on chains of N elementwise ONNX nodes
# (bench/chain_model.py, which needs python3-onnx), for N = 2,000, 20,000
# and 100,000 by default.
#   bash bench/large_graph.sh [N...]
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(2000 20000 100000)
printf "%8s  %10s  %10s\n" nodes seconds "peak MB"
for n in "${counts[@]}"; do
  "$python" bench/chain_model.py "$n" "$work/chain.onnx"
  "$python" - "$work" <<'PY'
import resource, subprocess, sys, time
work = sys.argv[1]
start = time.monotonic()
subprocess.run(["build/bin/cnnc", work + "/chain.onnx", "--no-cache", "--quiet",
                "-o", work + "/chain.o"], check=True)
seconds = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("%.1f %d" % (seconds, peak), file=open(work + "/time", "w"))
PY
  read -r seconds mb < "$work/time"
  printf "%8d  %10s  %10d\n" "$n" "$seconds" "$mb"
done
