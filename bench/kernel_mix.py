#!/usr/bin/env python3
"""The instruction mix of a compiled model's conv kernels, from disassembly.

usage: kernel_mix.py OBJECT SCHEDULE [--objdump=PROGRAM]
           [--expect-vector-fma=N] [--forbid=REGEX]

OBJECT is what `cnnc ... -o OBJECT` wrote (any target LLVM's objdump
reads); SCHEDULE is `cnnc ... --emit=schedule` of the same compile, which
says which kernel symbol runs which conv. For every kernel that runs a conv
it prints the innermost loop with the most vector FMAs: FMAs, loads and
instructions per iteration. That is what speed on a CPU that cannot be
measured here comes down to (docs/targets.md).

--expect-vector-fma=N  fail unless every conv kernel's busiest loop has at
                       least N vector FMAs per iteration and no scalar FMA
--forbid=REGEX         fail if any kernel instruction matches (for example
                       'zmm' in an object for an AVX2-only CPU)
"""
import argparse
import re
import shutil
import subprocess
import sys

# Vector and scalar FMAs: AArch64 NEON (fmla v.4s; fmadd s is scalar) and
# x86 (vfmadd...ps on xmm/ymm/zmm; ...ss is scalar).
VECTOR_FMA = re.compile(r"\bfmla\s+v\d+\.4s|\bvfn?m(add|sub)\d*ps\b")
SCALAR_FMA = re.compile(r"\bfn?madd\s+s\d+|\bvfn?m(add|sub)\d*ss\b")
LOAD = re.compile(r"\b(ldr|ldp|ld1\w*|ldur)\b|\bvmov\w*\s+[^,]*\(|\bvbroadcastss\b|"
                  r"\bvfn?m(add|sub)\d*ps\s+[^,]*\(")
FUNCTION = re.compile(r"^[0-9a-f]+ <(\S+)>:$")
INSTRUCTION = re.compile(r"^\s*([0-9a-f]+):\s+(.*)$")
BRANCH_TARGET = re.compile(r"\b(b\.\w+|b|cbn?z|tbn?z|j\w+)\s+.*?(?:0x)?([0-9a-f]+)\s+<")


def disassemble(objdump, path):
    text = subprocess.run([objdump, "-d", "--no-show-raw-insn", path],
                          check=True, stdout=subprocess.PIPE, text=True).stdout
    functions, current = {}, None
    for line in text.splitlines():
        m = FUNCTION.match(line)
        if m:
            current = functions.setdefault(m.group(1), [])
            continue
        m = INSTRUCTION.match(line)
        if m and current is not None:
            current.append((int(m.group(1), 16), m.group(2)))
    return functions


def innermost_loops(instructions):
    """(start, end) address ranges of loops that contain no other loop."""
    loops = []
    for address, text in instructions:
        m = BRANCH_TARGET.search(text)
        if m:
            target = int(m.group(2), 16)
            if target < address:
                loops.append((target, address))
    return [(s, e) for s, e in loops
            if not any((s2, e2) != (s, e) and s <= s2 and e2 <= e
                       for s2, e2 in loops)]


def busiest_loop(instructions):
    best = None
    for start, end in innermost_loops(instructions):
        body = [t for a, t in instructions if start <= a <= end]
        counts = (sum(bool(VECTOR_FMA.search(t)) for t in body),
                  sum(bool(SCALAR_FMA.search(t)) for t in body),
                  sum(bool(LOAD.search(t)) for t in body), len(body))
        if best is None or counts > best:
            best = counts
    return best or (0, 0, 0, 0)


def conv_kernels(schedule):
    """kernel symbol -> the conv lines of the stage that compiled it."""
    kernels, symbol = {}, None
    for line in open(schedule, encoding="utf-8"):
        m = re.search(r"kernel (cnnc_k_[0-9a-f]+) \(compiled from", line)
        if m:
            symbol = m.group(1)
        elif symbol and re.match(r"\s+conv ", line):
            kernels.setdefault(symbol, []).append(line.strip())
        elif not line.startswith(" "):
            symbol = None
    return kernels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("object")
    parser.add_argument("schedule")
    parser.add_argument("--objdump", help="default: llvm-objdump on PATH, "
                        "or a versioned one (llvm-objdump-22)")
    parser.add_argument("--expect-vector-fma", type=int, default=0)
    parser.add_argument("--forbid")
    args = parser.parse_args()
    objdump = args.objdump or next(
        (n for n in ["llvm-objdump"] + ["llvm-objdump-%d" % v
                                        for v in range(22, 13, -1)]
         if shutil.which(n)), None)
    if not objdump:
        sys.exit("kernel_mix.py: no llvm-objdump on PATH (Debian: llvm)")
    functions = disassemble(objdump, args.object)
    kernels = conv_kernels(args.schedule)
    if not kernels:
        sys.exit("kernel_mix.py: no conv kernel in %s" % args.schedule)
    failures = []
    print("%-24s %6s %6s %6s %6s  %s" % ("kernel", "vFMA", "sFMA", "loads",
                                         "insns", "the kernel's first conv"))
    for symbol, convs in kernels.items():
        own = [f for f in functions if f == symbol or f.startswith(symbol + "_")]
        if not own:
            failures.append("%s: not in the disassembly" % symbol)
            continue
        vfma, sfma, loads, insns = max(busiest_loop(functions[f]) for f in own)
        print("%-24s %6d %6d %6d %6d  %s" % (symbol, vfma, sfma, loads, insns,
                                             convs[0]))
        if args.expect_vector_fma and (vfma < args.expect_vector_fma or sfma):
            failures.append("%s: %d vector and %d scalar FMAs in its busiest "
                            "loop, expected at least %d vector and no scalar "
                            "ones" % (symbol, vfma, sfma,
                                      args.expect_vector_fma))
        if args.forbid:
            for f in own:
                for _, text in functions[f]:
                    if re.search(args.forbid, text):
                        failures.append("%s: '%s' matches %s" %
                                        (f, text, args.forbid))
                        break
    for failure in failures:
        print("FAILED: " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
