#!/usr/bin/env python3
"""Fails when a file of the repository holds a valid CPF.

Test data is invented (STYLE.md, README "Tests"): a CPF written in a corpus file, a generator, a
labelled row or a doc must have check digits that fail, so it can never be a real person's. This
reads every text file under the root (not .git, build directories or node_modules; binary files
are skipped: the PDFs are checked through tests/corpus/make_pdfs.py, which writes them) and
prints each 11-digit number, bare or as NNN.NNN.NNN-NN, whose two check digits hold.

Usage: check_test_data.py [--root DIR]   (DIR defaults to the repository this script is in)
Exit status: 0 when none is found, 1 otherwise.
"""

import argparse
import os
import re
import sys
from pathlib import Path

SKIP_DIRS = {".git", "node_modules", "browser-artifacts"}
CPF = re.compile(rb"(?<![0-9./-])(\d{3}\.?\d{3}\.?\d{3}-?\d{2})(?![0-9])")


def valid_cpf(digits):
    """Whether the 11 digits' check digits hold (a CPF a person could have)."""
    d = [int(c) for c in digits]
    if len(set(d)) == 1:
        return False
    for n in (9, 10):
        if sum(d[i] * (n + 1 - i) for i in range(n)) * 10 % 11 % 10 != d[n]:
            return False
    return True


def findings(root):
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("build"))
        for name in sorted(files):
            path = Path(folder) / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if b"\0" in data[:8192]:
                continue
            for m in CPF.finditer(data):
                digits = re.sub(rb"\D", b"", m.group(1)).decode()
                if valid_cpf(digits):
                    line = data.count(b"\n", 0, m.start()) + 1
                    yield path.relative_to(root), line, m.group(1).decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=Path(__file__).resolve().parent.parent, type=Path)
    root = parser.parse_args().root.resolve()
    found = list(findings(root))
    for path, line, text in found:
        print("%s:%d: %s is a valid CPF: invent one whose check digits fail" % (path, line, text))
    print("check_test_data: %s" % ("%d valid CPF(s)" % len(found) if found else "no valid CPF in any file"))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
