#!/usr/bin/env python3
"""Prints the fenced code block that follows `<!-- test: NAME -->` in the
README, so tests run the README's examples exactly as written.

usage: readme_block.py README NAME
"""
import sys


def main():
    readme, name = sys.argv[1], sys.argv[2]
    lines = open(readme, encoding="utf-8").read().splitlines()
    marker = "<!-- test: %s -->" % name
    if marker not in lines:
        sys.exit("readme_block.py: no '%s' in %s" % (marker, readme))
    at = lines.index(marker) + 1
    if not lines[at].startswith("```"):
        sys.exit("readme_block.py: '%s' is not followed by a code block" % marker)
    end = lines.index("```", at + 1)
    print("\n".join(lines[at + 1:end]))


if __name__ == "__main__":
    main()
