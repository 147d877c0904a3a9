#!/usr/bin/env bash
# Installs what is missing (PyTorch and torchvision too: the tests' oracle),
# builds, and runs every test (lit + unit tests), then the hardening pass:
# the unit tests under ASan and UBSan and each fuzzer for a short while
# (CNNC_FUZZ_SECONDS each, default 45; 0 skips the pass).
#   test.sh             what CI runs (.ci/run)
#   test.sh --slow      also the 224x224 sweep of every zoo model against
#                       PyTorch (ninja check-cnnc-slow)
#   test.sh --sanitize  a clang build with ASan and UBSan (build-sanitize/):
#                       the unit tests, a representative subset of the lit
#                       tests and the fuzzers' replay of their seeds
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--sanitize" ]; then
  bash scripts/build.sh --sanitize
  ninja -C build-sanitize -j"${CNNC_JOBS:-2}" check-cnnc-sanitize
  exit 0
fi

bash scripts/install-deps.sh --test
bash scripts/build.sh
target=check-cnnc
if [ "${1:-}" = "--slow" ]; then
  target=check-cnnc-slow
fi
ninja -C build -j"${CNNC_JOBS:-2}" "$target"

seconds=${CNNC_FUZZ_SECONDS:-45}
if [ "$seconds" -gt 0 ]; then
  bash scripts/build.sh --sanitize CNNCUnitTests cnnc-fuzzers
  build-sanitize/unittests/CNNCUnitTests
  bash bench/fuzz.sh "$seconds"
fi
