#!/usr/bin/env bash
# Installs what CNNC needs from Debian 12's archive. Safe to run twice: it
# only calls apt-get when a package is missing.
#   install-deps.sh          what building and running CNNC needs
#   install-deps.sh --test   that, and what the test suite needs
set -euo pipefail

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
if [ "${1:-}" = "--test" ]; then
  packages+=(
    # The test suite's outside oracle: torchvision's models run by PyTorch.
    python3-torch python3-torchvision python3-numpy
    # ONNX files written by hand: external data, and (later) QDQ models.
    python3-onnx
    # Without it Debian's PyTorch runs its linear layers (ConvNeXt's
    # pointwise convs) on the reference BLAS: bench/compare.sh measured
    # MobileNetV2 at 50 ms instead of 9 ms.
    libopenblas0-pthread
    # The arm-64-linux objects are linked and run as a user would on a
    # board: by the cross compiler, under qemu.
    qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  )
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
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
