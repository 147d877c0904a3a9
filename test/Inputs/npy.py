#!/usr/bin/env python3
"""Writes or prints f32 .npy files for the lit tests (standard library only).

usage: npy.py write OUT SHAPE VALUES...   e.g. npy.py write x.npy 1,3,1,1 1 2 3
       npy.py print FILE                  prints the values, one per line
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


def show(path):
    data = open(path, "rb").read()
    length = struct.unpack("<H", data[8:10])[0]
    body = data[10 + length:]
    for (v,) in struct.iter_unpack("<f", body):
        print("%.6g" % v)


if __name__ == "__main__":
    if sys.argv[1] == "write":
        shape = [int(d) for d in sys.argv[3].split(",")]
        write(sys.argv[2], shape, [float(v) for v in sys.argv[4:]])
    else:
        show(sys.argv[2])
