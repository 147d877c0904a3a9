#!/usr/bin/env python3
"""Writes or prints f32 .npy files for the lit tests (standard library only).

usage: npy.py write OUT SHAPE VALUES...   e.g. npy.py write x.npy 1,3,1,1 1 2 3
       npy.py print FILE                  prints the values, one per line
       npy.py compare EXPECTED ACTUAL TOL
           fails unless the shapes match, both are finite (no NaN/Inf),
           max |expected - actual| <= TOL * max |expected| and each row's
           arg-max (top-1) is the same (for [N, classes] outputs)
"""
import math
import struct
import sys


def write(path, shape, values):
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % dims
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode() + struct.pack("<%df" % len(values), *values))


def read(path):
    data = open(path, "rb").read()
    length = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + length].decode()
    dims = header.split("'shape': (")[1].split(")")[0]
    shape = [int(d) for d in dims.split(",") if d.strip()]
    values = [v for (v,) in struct.iter_unpack("<f", data[10 + length:])]
    return shape, values


def show(path):
    for v in read(path)[1]:
        print("%.6g" % v)


def compare_values(shape, expected, actual_shape, actual, tolerance):
    """The one numeric compare of the test suite. Returns (ok, message).

    Fails on a shape mismatch, on any NaN or Inf in either array, when
    max |expected - actual| > tolerance x max |expected|, or, for
    [N, classes] outputs, when a row's arg-max (top-1) differs."""
    if shape != actual_shape:
        return False, "shapes differ: expected %s, got %s" % (shape, actual_shape)
    for name, values in (("expected", expected), ("actual", actual)):
        bad = [i for i, v in enumerate(values) if not math.isfinite(v)]
        if bad:
            return False, "%s output has %d NaN/Inf values (first at flat index %d: %r)" % (
                name, len(bad), bad[0], values[bad[0]])
    if not expected:
        return False, "the outputs are empty"
    scale = max(abs(v) for v in expected)
    diff, where = max((abs(a - b), i) for i, (a, b) in enumerate(zip(expected, actual)))
    ratio = diff / scale if scale else diff
    message = "max |diff| = %.3g (flat index %d), max |expected| = %.3g, ratio = %.3g" % (
        diff, where, scale, ratio)
    if diff > tolerance * scale:
        return False, message + ": exceeds the tolerance %g" % tolerance
    # Top-1 is a classifier's answer: checked for [N, classes] outputs.
    row = shape[-1] if len(shape) == 2 else len(expected)
    for start in range(0, len(expected) if len(shape) == 2 else 0, row):
        e = expected[start:start + row]
        a = actual[start:start + row]
        if e.index(max(e)) != a.index(max(a)):
            return False, message + ": top-1 differs in row %d (%d vs %d)" % (
                start // row, e.index(max(e)), a.index(max(a)))
    return True, message


def compare(expected_path, actual_path, tolerance):
    shape, expected = read(expected_path)
    actual_shape, actual = read(actual_path)
    ok, message = compare_values(shape, expected, actual_shape, actual, tolerance)
    print(message)
    if not ok:
        sys.exit("compare %s %s: %s" % (expected_path, actual_path, message))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        shape = [int(d) for d in sys.argv[3].split(",")]
        write(sys.argv[2], shape, [float(v) for v in sys.argv[4:]])
    elif sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    else:
        show(sys.argv[2])
