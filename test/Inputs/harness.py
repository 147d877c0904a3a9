"""What every check script shares: running a tool and comparing its output
with PyTorch's. The fixtures (seeded models, their weights, input and
PyTorch's output) are torch_fixture.py's.

    import harness
    harness.run(["cnn-run", ...])                  # prints, fails on exit != 0
    harness.compare("O2", "torch.npy", "O2.npy", 2e-5)
    harness.main(body)                             # FAILED: ... and exit 1
    harness.run_linked(["cnnc", model, ...], "O2", harness.HOST, ...)

Every compare goes through npy.compare_files: it fails on another dtype
than float32, a data size other than the shape says, different shapes,
NaN/Inf, a difference past the tolerance (naming the worst element) and,
for [N, classes] outputs, a different top-1.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import npy  # noqa: E402


class CheckFailed(Exception):
    pass


def run(args, **kwargs):
    """Runs `args`, printing the command and its output; returns the
    output, or raises CheckFailed on a non-zero exit code."""
    print("$ " + " ".join(args), flush=True)
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, **kwargs)
    if result.stdout:
        print(result.stdout.rstrip(), flush=True)
    if result.returncode != 0:
        raise CheckFailed("command failed with exit code %d: %s" %
                          (result.returncode, " ".join(args)))
    return result.stdout


def compare(what, expected, actual, tolerance):
    """Compares the .npy files `expected` (the oracle's) and `actual`;
    prints the result, raises CheckFailed unless it passes."""
    ok, message = npy.compare_files(expected, actual, tolerance)
    print("%s vs %s: %s" % (what, os.path.basename(expected), message), flush=True)
    if not ok:
        raise CheckFailed("%s does not match %s: %s" % (what, expected, message))


# How a program for this machine, and one for 64-bit ARM Linux, is linked
# and run. The host compiler is the one cnnc uses ($CNNC_CC and
# $CNNC_CFLAGS: the sanitizer build's clang with ASan and UBSan).
HOST = {"cc": os.environ.get("CNNC_CC", "cc").split() +
        os.environ.get("CNNC_CFLAGS", "").split(), "run": []}
ARM64 = {"cc": ["aarch64-linux-gnu-gcc"],
         "run": ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]}


def run_linked(cnnc, stem, machine, work, src, oracle, tolerance, keep=False):
    """Compiles with `cnnc + ["-o", WORK/STEM.o]`, links the object into
    examples/classify.c for `machine` (HOST or ARM64), runs the program on
    WORK/input.npy and compares what it writes with `oracle`. The object
    and program, large for big models, go once they have passed (unless
    `keep`)."""
    w = lambda name: os.path.join(work, name)  # noqa: E731
    run(cnnc + ["-o", w(stem + ".o")])
    run(machine["cc"] + ["-O2", "-I" + work, "-DMODEL_HEADER=\"%s.h\"" % stem,
         os.path.join(src, "examples", "classify.c"), w(stem + ".o"),
         "-o", w(stem), "-lpthread", "-ldl", "-lm"])
    out = run(machine["run"] + [w(stem), w("input.npy"), w(stem + ".npy"), "1"])
    expect(out, "top-5 (batch 0):", stem)
    compare(stem, oracle, w(stem + ".npy"), tolerance)
    if not keep:
        for name in (stem + ".o", stem):
            os.remove(w(name))


def expect(text, needle, what):
    if needle not in text:
        raise CheckFailed("%s: expected '%s' in its output" % (what, needle))


def main(body):
    """Runs `body()`; a CheckFailed becomes `FAILED: ...` and exit code 1."""
    try:
        body()
    except CheckFailed as e:
        sys.exit("FAILED: %s" % e)
