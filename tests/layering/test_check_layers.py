#!/usr/bin/env python3
"""scripts/check_layers.py fails on an upward include planted in a copy of the sources.

Each case copies the checked folders and docs/ARCHITECTURE.md into a temporary tree, plants one
change, runs the check there and asserts its exit status and the line it names.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "scripts" / "check_layers.py"
COPIED = ("libbankflow", "include", "apps", "bindings", "docs")


def copy_tree(into):
    for name in COPIED:
        shutil.copytree(ROOT / name, into / name, ignore=shutil.ignore_patterns("node_modules", "*.png"))


def run_check(root):
    done = subprocess.run([sys.executable, str(CHECK), "--root", str(root)], capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


# An include planted as the first line of a file, and what the check must say about it.
PLANTED_INCLUDES = [
    ("libbankflow/statement/statement.cpp", '#include "detect/registry.hpp"',
     "libbankflow/statement/statement.cpp:1: statement includes detect/registry.hpp"),
    ("libbankflow/banks/layout.cpp", "#include <bankflow/export.hpp>",
     "libbankflow/banks/layout.cpp:1: banks includes bankflow/export.hpp, a public header of export"),
    ("apps/cli/main.cpp", '#include "core/scan.hpp"',
     "apps/cli/main.cpp:1: apps includes core/scan.hpp, an internal header of core"),
    ("libbankflow/ofx/ofx.cpp", '#include "banks/layout.hpp"',
     "libbankflow/ofx/ofx.cpp:1: ofx includes banks/layout.hpp"),
]


def planted_include(file, line, expected):
    def plant(root):
        path = root / file
        path.write_text(line + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
        return expected
    plant.__name__ = f"include in {file}"
    return plant


def plant_unlisted_folder(root):
    (root / "libbankflow/unlisted").mkdir()
    (root / "libbankflow/unlisted/unlisted.cpp").write_text('#include "core/scan.hpp"\n')
    return "libbankflow/unlisted/unlisted.cpp: in no module of the layers table"


def plant_cycle(root):
    doc = root / "docs/ARCHITECTURE.md"
    text = doc.read_text(encoding="utf-8")
    row = "| core      | libbankflow/core      | —  "
    assert row in text, "the core row of the layers table moved: update this test"
    doc.write_text(text.replace(row, "| core      | libbankflow/core      | detect"), encoding="utf-8")
    return "the layers table has a cycle: core -> detect"


CASES = [planted_include(*row) for row in PLANTED_INCLUDES] + [plant_unlisted_folder, plant_cycle]


def main():
    failures = []
    with tempfile.TemporaryDirectory(prefix="bankflow-layers-") as tmp:
        clean = Path(tmp) / "clean"
        copy_tree(clean)
        code, out = run_check(clean)
        if code != 0:
            failures.append(f"the unchanged sources fail the check:\n{out}")
        for plant in CASES:
            root = Path(tmp) / f"case{len(list(Path(tmp).iterdir()))}"
            shutil.copytree(clean, root)
            expected = plant(root)
            code, out = run_check(root)
            if code != 1 or expected not in out:
                failures.append(f"{plant.__name__}: exit {code}, expected 1 and {expected!r} in:\n{out}")
    for f in failures:
        print("FAIL", f)
    print(f"{len(CASES) + 1 - len(failures)} of {len(CASES) + 1} cases pass")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
