#!/usr/bin/env python3
"""Writes or prints f32 .npy files for the lit tests (standard library only).

usage: npy.py write OUT SHAPE VALUES...   e.g. npy.py write x.npy 1,3,1,1 1 2 3
       npy.py print FILE                  prints the values, one per line
       npy.py compare EXPECTED ACTUAL TOL
           fails unless max |expected - actual| <= TOL * max |expected| and
           each row's arg-max (top-1) is the same
"""
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


def compare(expected_path, actual_path, tolerance):
    shape, expected = read(expected_path)
    actual_shape, actual = read(actual_path)
    if shape != actual_shape:
        sys.exit("shapes differ: %s vs %s" % (shape, actual_shape))
    scale = max(abs(v) for v in expected)
    diff = max(abs(a - b) for a, b in zip(expected, actual))
    print("max |diff| = %.3g, max |expected| = %.3g, ratio = %.3g" %
          (diff, scale, diff / scale if scale else diff))
    if diff > tolerance * scale:
        sys.exit("difference %.3g exceeds %g x %.3g" % (diff, tolerance, scale))
    row = shape[-1] if shape else 1
    for start in range(0, len(expected), row):
        e = expected[start:start + row]
        a = actual[start:start + row]
        if e.index(max(e)) != a.index(max(a)):
            sys.exit("top-1 differs in row %d" % (start // row))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        shape = [int(d) for d in sys.argv[3].split(",")]
        write(sys.argv[2], shape, [float(v) for v in sys.argv[4:]])
    elif sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    else:
        show(sys.argv[2])
