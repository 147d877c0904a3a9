#!/usr/bin/env python3
"""Writes, prints and compares f32 .npy files for the tests (standard
library only).

usage: npy.py write OUT SHAPE VALUES...   e.g. npy.py write x.npy 1,3,1,1 1 2 3
       npy.py print FILE                  prints the values, one per line
       npy.py compare EXPECTED ACTUAL TOL
           fails unless both files are little-endian float32 in C order
           with exactly as many values as their shapes say, the shapes
           match, both are finite (no NaN/Inf),
           max |expected - actual| <= TOL * max |expected| and each row's
           arg-max (top-1) is the same (for [N, classes] outputs)
"""
import ast
import math
import struct
import sys

MAGIC = b"\x93NUMPY"


class NpyError(Exception):
    """A file that is not the f32 array the tests exchange."""


def write(path, shape, values):
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % dims
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(MAGIC + b"\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode() + struct.pack("<%df" % len(values), *values))


def read(path):
    """(shape, values) of a little-endian f32 C-order .npy file; NpyError
    names what else it is: another dtype, Fortran order, or a data size
    that differs from what the shape says."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != MAGIC or len(data) < 10:
        raise NpyError("%s is not a .npy file" % path)
    if data[6] == 1:
        length, start = struct.unpack("<H", data[8:10])[0], 10
    else:
        length, start = struct.unpack("<I", data[8:12])[0], 12
    try:
        header = ast.literal_eval(data[start:start + length].decode("latin1"))
    except (ValueError, SyntaxError) as e:
        raise NpyError("%s: unreadable header (%s)" % (path, e))
    if header.get("descr") not in ("<f4", "=f4"):
        raise NpyError("%s holds %s values, not float32 ('<f4')" % (path, header.get("descr")))
    if header.get("fortran_order"):
        raise NpyError("%s is in Fortran order, not C order" % path)
    shape = list(header["shape"])
    payload = data[start + length:]
    count = math.prod(shape)
    if len(payload) != 4 * count:
        raise NpyError("%s holds %d bytes of data; its shape %s needs %d" % (
            path, len(payload), shape, 4 * count))
    return shape, [v for (v,) in struct.iter_unpack("<f", payload)]


def show(path):
    for v in read(path)[1]:
        print("%.6g" % v)


def index_of(shape, flat):
    """The multi-dimensional index of flat index `flat` in `shape`."""
    index = []
    for d in reversed(shape):
        index.append(flat % d if d else 0)
        flat //= d if d else 1
    return tuple(reversed(index))


def compare_values(shape, expected, actual_shape, actual, tolerance):
    """The one numeric compare of the test suite. Returns (ok, message).

    Fails on a shape mismatch, on element counts that differ from the shape,
    on any NaN or Inf in either array, when max |expected - actual| >
    tolerance x max |expected|, or, for [N, classes] outputs, when a row's
    arg-max (top-1) differs, or for [N, C, H, W] outputs with C > 1, when
    the arg-max channel differs at more than 0.1% of the pixels. The message
    names the worst element."""
    if shape != actual_shape:
        return False, "shapes differ: expected %s, got %s" % (shape, actual_shape)
    for name, values in (("expected", expected), ("actual", actual)):
        if len(values) != math.prod(shape):
            return False, "%s output has %d values; its shape %s says %d" % (
                name, len(values), shape, math.prod(shape))
        bad = [i for i, v in enumerate(values) if not math.isfinite(v)]
        if bad:
            return False, "%s output has %d NaN/Inf values (first at %s: %r)" % (
                name, len(bad), index_of(shape, bad[0]), values[bad[0]])
    if not expected:
        return False, "the outputs are empty"
    scale = max(abs(v) for v in expected)
    where = max(range(len(expected)), key=lambda i: abs(expected[i] - actual[i]))
    diff = abs(expected[where] - actual[where])
    ratio = diff / scale if scale else diff
    message = ("max |diff| = %.3g at %s (expected %.6g, got %.6g), max |expected| = %.3g, "
               "ratio = %.3g" % (diff, index_of(shape, where), expected[where], actual[where],
                                 scale, ratio))
    if diff > tolerance * scale:
        return False, message + ": exceeds the tolerance %g" % tolerance
    # Top-1 is a classifier's answer: checked for [N, classes] outputs.
    if len(shape) == 2:
        row = shape[-1]
        for start in range(0, len(expected), row):
            e = expected[start:start + row]
            a = actual[start:start + row]
            if e.index(max(e)) != a.index(max(a)):
                return False, message + ": top-1 differs in row %d (%d vs %d)" % (
                    start // row, e.index(max(e)), a.index(max(a)))
    # A per-pixel answer (segmentation's class map): checked for
    # [N, C, H, W] outputs with several channels. Near-ties may flip within
    # the tolerance, so 0.1% of the pixels may differ.
    if len(shape) == 4 and shape[1] > 1:
        n, c, h, w = shape
        plane = h * w
        differ = 0
        for b in range(n):
            for p in range(plane):
                at = range(b * c * plane + p, (b + 1) * c * plane, plane)
                e = max(at, key=lambda i: expected[i])
                a = max(at, key=lambda i: actual[i])
                differ += e != a
        if differ > 0.001 * n * plane:
            return False, message + ": the arg-max channel differs at %d of %d pixels" % (
                differ, n * plane)
        message += "; arg-max channel differs at %d of %d pixels" % (differ, n * plane)
    return True, message


def compare_files(expected_path, actual_path, tolerance):
    """compare_values on two files; a file that is not f32 of the size its
    shape says fails the compare, named."""
    try:
        shape, expected = read(expected_path)
        actual_shape, actual = read(actual_path)
    except NpyError as e:
        return False, str(e)
    return compare_values(shape, expected, actual_shape, actual, tolerance)


def compare(expected_path, actual_path, tolerance):
    ok, message = compare_files(expected_path, actual_path, tolerance)
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
