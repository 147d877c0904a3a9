# Sourced by the bench scripts (bash): parses `--runs=N --threads=T
# --size=S --batch=B --rounds=R [--tune] [model ...]` into $runs, $threads,
# $size, $batch, $rounds, $tune (0 or 1: compile with cnnc --tune) and the
# array $models (defaults set by the caller first), makes $work (removed
# on exit), and measures the fp32 peak on $threads threads into $peak
# (tools/common/peak.c).
bench_setup() {
  local arg
  tune=0 int8=0
  for arg in "$@"; do
    case "$arg" in
      --runs=*) runs=${arg#--runs=} ;;
      --threads=*) threads=${arg#--threads=} ;;
      --size=*) size=${arg#--size=} ;;
      --batch=*) batch=${arg#--batch=} ;;
      --rounds=*) rounds=${arg#--rounds=} ;;
      --tune) tune=1 ;;
      --int8) int8=1 ;;
      -*) echo "$0: unknown option $arg" >&2; exit 1 ;;
      *) models+=("$arg") ;;
    esac
  done
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  export HL_NUM_THREADS=$threads
  cc -O2 -pthread -DCNNC_PEAK_MAIN tools/common/peak.c -o "$work/peak"
  peak=$("$work/peak" "$threads")
}

# Sets $python to an interpreter that imports torch and torchvision
# (Debian's PyTorch lives in the system interpreter's packages; PYTHON
# overrides), or exits saying how to get them.
bench_need_torch() {
  python=${PYTHON:-/usr/bin/python3}
  if ! "$python" -c 'import torch, torchvision' 2>/dev/null; then
    echo "$0: $python cannot import torch and torchvision;" \
      "run scripts/install-deps.sh --test (or set PYTHON)" >&2
    exit 1
  fi
}

# Sets $ort_modules to the folder holding node_modules/onnxruntime-node
# (scripts/install-deps.sh --bench puts it in the cache; ORT_NODE_MODULES
# overrides), or exits saying how to get it.
bench_need_ort() {
  ort_modules=${ORT_NODE_MODULES:-${XDG_CACHE_HOME:-$HOME/.cache}/cnnc/bench}
  if ! command -v node >/dev/null ||
     [ ! -d "$ort_modules/node_modules/onnxruntime-node" ]; then
    echo "$0: no node, or no onnxruntime-node in $ort_modules;" \
      "run scripts/install-deps.sh --bench (or set ORT_NODE_MODULES)" >&2
    exit 1
  fi
  export ORT_NODE_MODULES=$ort_modules
}
