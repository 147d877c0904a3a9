#!/usr/bin/env python3
"""Makes DIR a PATH of its own: every program on PATH except cross
toolchains (aarch64-linux-gnu-gcc, arm-linux-gnueabihf-ld and such), as a
symlink. Running cnnc with PATH=DIR shows what a machine without a cross
toolchain gets.

usage: without_cross_toolchain.py DIR
"""
import os
import re
import sys

CROSS_TOOL = re.compile(r"^[a-z0-9_]+-linux-(gnu|android)\w*-")


def main():
    target = sys.argv[1]
    os.makedirs(target, exist_ok=True)
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for name in sorted(os.listdir(directory)):
            path = os.path.join(directory, name)
            link = os.path.join(target, name)
            if (CROSS_TOOL.match(name) or os.path.lexists(link)
                    or not os.access(path, os.X_OK) or os.path.isdir(path)):
                continue
            os.symlink(path, link)


if __name__ == "__main__":
    main()
