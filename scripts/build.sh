#!/usr/bin/env bash
# Installs what is missing, configures and builds CNNC into build/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
if [ ! -f build/build.ninja ]; then
  cmake -G Ninja -S . -B build -DCMAKE_BUILD_TYPE=Release
fi
ninja -C build -j"${CNNC_JOBS:-2}"
