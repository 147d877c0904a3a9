#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 60), starting from
# its checked-in seeds (fuzz/corpus/) and what earlier runs found
# (build-sanitize/fuzz-corpus/), and prints executions, speed, corpus size
# and crashes per target. Crashing inputs land in build-sanitize/fuzz-crashes/;
# each one found should become a file in fuzz/regressions/<target>/ (replayed
# by test/Fuzz) once fixed. Exit 1 if any target crashed.
#   bench/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(safetensors_fuzzer npy_fuzzer npy_c_fuzzer onnx_fuzzer mlir_fuzzer)
fi

bash scripts/build.sh --sanitize cnnc-fuzzers >/dev/null
# What each run found is kept between runs (the corpus grows), but the
# crashes of a run are its own.
rm -rf build-sanitize/fuzz-crashes

seeds_of() {
  case "$1" in
    safetensors_fuzzer) echo safetensors ;;
    npy_fuzzer | npy_c_fuzzer) echo npy ;;
    onnx_fuzzer) echo onnx ;;
    mlir_fuzzer) echo mlir ;;
  esac
}

printf '%-20s %8s %12s %10s %8s %8s\n' target seconds executions "exec/s" corpus crashes
failed=0
for target in "${targets[@]}"; do
  corpus=build-sanitize/fuzz-corpus/$target
  crashes=build-sanitize/fuzz-crashes/$target
  mkdir -p "$corpus" "$crashes"
  log=build-sanitize/fuzz-$target.log
  # A dictionary (fuzz/dicts/TARGET.dict) where the format has words:
  # ONNX op types and attribute names.
  dict=()
  [ -f "fuzz/dicts/$target.dict" ] && dict=("-dict=fuzz/dicts/$target.dict")
  # Exit status 0 is a clean run; libFuzzer's own crash and OOM reports
  # leave an input in $crashes.
  ASAN_OPTIONS=detect_leaks=1 build-sanitize/fuzz/$target "${dict[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -close_fd_mask=3 \
    -artifact_prefix="$crashes/" "$corpus" "fuzz/corpus/$(seeds_of "$target")" \
    >"$log" 2>&1 || true
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  found=$(find "$crashes" -type f | wc -l)
  size=$(find "$corpus" -type f | wc -l)
  printf '%-20s %8s %12s %10s %8s %8s\n' "$target" "$seconds" "${runs:-?}" \
    "$(( ${runs:-0} / seconds ))" "$size" "$found"
  if [ "$found" -gt 0 ] || [ -z "$runs" ]; then
    failed=1
    echo "  see $log and $crashes/" >&2
  fi
done
exit "$failed"
