#!/usr/bin/env bash
# Installs what CNNC needs from Debian 12's archive. Safe to run twice: it
# only calls apt-get when a package is missing.
#   install-deps.sh          what building and running CNNC needs
#   install-deps.sh --test   that, and what the test suite needs: PyTorch,
#                            and Node.js with ONNX Runtime's npm package
#                            (its CPU library ships inside; the oracle of
#                            quantized models), in the cache folder
#   install-deps.sh --bench  the same, for bench/compare.sh
set -euo pipefail

mode=${1:-}
# The peer bench/compare.sh times; pinned so runs compare.
ort_package=onnxruntime-node@1.30.0

packages=(
  cmake ninja-build ccache g++ python3
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
  libhalide14-0-dev
  libgtest-dev
  # ONNX import: Debian's ONNX protobuf classes and the protobuf they need.
  libonnx-dev libprotobuf-dev
  zlib1g-dev libzstd-dev libedit-dev libxml2-dev libcurl4-openssl-dev
  # OpenCL on the CPU: the tests run the GPU schedules' OpenCL objects here.
  pocl-opencl-icd ocl-icd-opencl-dev clinfo
  # Cross-compiling (--target=arm-64-linux and such): LLVM's C compiler,
  # linker and objcopy handle every target, so no cross toolchain is needed.
  clang lld
)
if [ "$mode" = "--test" ] || [ "$mode" = "--bench" ]; then
  packages+=(
    # The test suite's outside oracle: torchvision's models run by PyTorch.
    python3-torch python3-torchvision python3-numpy
    # ONNX files written by hand: external data, and QDQ models.
    python3-onnx
    # A real data set (the digits) for the int8 accuracy check.
    python3-sklearn
    # Without it Debian's PyTorch runs its linear layers (ConvNeXt's
    # pointwise convs) on the reference BLAS: bench/compare.sh measured
    # MobileNetV2 at 50 ms instead of 9 ms.
    libopenblas0-pthread
    # The arm-64-linux objects are linked and run as a user would on a
    # board: by the cross compiler, under qemu.
    qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  )
fi

if [ "$mode" = "--test" ] || [ "$mode" = "--bench" ]; then
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# ONNX Runtime for the tests and bench/compare.sh, where test/lit.cfg.py and
# bench/common.sh look for it.
# --ignore-scripts skips the package's install script, which would
# download GPU libraries; the CPU library is in the package itself.
install_ort() {
  local dir=${ORT_NODE_MODULES:-${XDG_CACHE_HOME:-$HOME/.cache}/cnnc/bench}
  if [ -d "$dir/node_modules/onnxruntime-node" ]; then
    return
  fi
  echo "install-deps: installing $ort_package into $dir"
  mkdir -p "$dir"
  npm install --prefix "$dir" --ignore-scripts --no-audit --no-fund \
    --loglevel=error "$ort_package"
}

if [ ${#missing[@]} -eq 0 ]; then
  { [ "$mode" = "--test" ] || [ "$mode" = "--bench" ]; } && install_ort
  echo "install-deps: everything is installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
{ [ "$mode" = "--test" ] || [ "$mode" = "--bench" ]; } && install_ort
exit 0
