#!/usr/bin/env bash
# Installs what is missing, configures and builds CNNC into build/.
#   build.sh              the release build (build/)
#   build.sh --sanitize   clang with ASan + UBSan, and the libFuzzer targets
#                         (build-sanitize/)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--sanitize" ]; then
  bash scripts/install-deps.sh --test
  if [ ! -f build-sanitize/build.ninja ]; then
    # -O1 with line tables: readable reports at a bearable speed.
    CC=clang CXX=clang++ cmake -G Ninja -S . -B build-sanitize \
      -DCMAKE_BUILD_TYPE=None -DCNNC_SANITIZE=ON \
      "-DCMAKE_C_FLAGS=-O1 -gline-tables-only" \
      "-DCMAKE_CXX_FLAGS=-O1 -gline-tables-only"
  fi
  ninja -C build-sanitize -j"${CNNC_JOBS:-2}" "${@:2}"
  exit 0
fi

bash scripts/install-deps.sh
if [ ! -f build/build.ninja ]; then
  cmake -G Ninja -S . -B build -DCMAKE_BUILD_TYPE=Release
fi
ninja -C build -j"${CNNC_JOBS:-2}"
