#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (lit + unit tests).
# Pass --slow to include the full-size sweeps (ninja check-cnnc-slow).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
target=check-cnnc
if [ "${1:-}" = "--slow" ]; then
  target=check-cnnc-slow
fi
ninja -C build -j"${CNNC_JOBS:-2}" "$target"
