#!/usr/bin/env python3
"""Cuts every file in a directory to half its size (a crash mid-write, a
full disk): `truncate_files.py DIR`. Exits 1 if DIR holds no file."""
import os
import sys

directory = sys.argv[1]
names = sorted(os.listdir(directory))
if not names:
    sys.exit(f"error: {directory} holds no file")
for name in names:
    path = os.path.join(directory, name)
    os.truncate(path, os.path.getsize(path) // 2)
print(f"cut {len(names)} files in half")
