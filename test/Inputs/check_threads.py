#!/usr/bin/env python3
"""Checks what `cnn-exec --threads=N --thread-outputs=DIR` wrote: each
thread's outputs, from calls made while the other threads ran, against the
reference interpreter on that thread's input.

usage: check_threads.py MODEL.mlir WEIGHTS_FLAG DIR THREADS CALLS

For every thread t, `cnn-run --engine=reference` computes DIR/input-<t>.npy;
every DIR/output-<t>-<call>.npy must match it within 2e-5 of max|output|
(harness.compare), and every call of one thread must give the same bits.
"""
import filecmp
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import CheckFailed, compare, run  # noqa: E402

TOLERANCE = 2e-5


def main():
    model, weights, folder, threads, calls = sys.argv[1:6]
    for t in range(int(threads)):
        reference = os.path.join(folder, "reference-%d.npy" % t)
        run(["cnn-run", model, "--engine=reference", weights,
             "--input=" + os.path.join(folder, "input-%d.npy" % t),
             "--output=" + reference, "--top=0"])
        first = os.path.join(folder, "output-%d-0.npy" % t)
        for c in range(int(calls)):
            output = os.path.join(folder, "output-%d-%d.npy" % (t, c))
            compare("thread %d call %d" % (t, c), reference, output, TOLERANCE)
            if not filecmp.cmp(first, output, shallow=False):
                raise CheckFailed("thread %d: call %d differs from call 0" % (t, c))
    print("%s threads x %s calls match the reference" % (threads, calls))


if __name__ == "__main__":
    harness.main(main)
