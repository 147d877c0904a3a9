#!/usr/bin/env bash
# Installs what is missing (PyTorch and torchvision too: the tests' oracle),
# builds, and runs every test (lit + unit tests).
# Pass --slow to include the 224x224 sweep of every zoo model against
# PyTorch (ninja check-cnnc-slow).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --test
bash scripts/build.sh
target=check-cnnc
if [ "${1:-}" = "--slow" ]; then
  target=check-cnnc-slow
fi
ninja -C build -j"${CNNC_JOBS:-2}" "$target"
