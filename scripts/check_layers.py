#!/usr/bin/env python3
"""Fails on an #include that points up the module graph.

The rules are the table in docs/ARCHITECTURE.md (between the `layers: begin` and `layers: end`
markers), the only copy: each module's folder, the modules it may use (and through them what they
may use) and the public headers it owns. Every #include in libbankflow/, include/bankflow/, apps/
and bindings/ is checked against it.

Usage: check_layers.py [--root DIR]   (DIR defaults to the repository this script is in)
Exit status: 0 when every include is allowed, 1 otherwise (each offending line is printed).
"""

import argparse
import re
import sys
from pathlib import Path

PUBLIC_ONLY = "public"
SOURCE_SUFFIXES = {".hpp", ".cpp", ".h", ".c"}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


class RulesError(Exception):
    """The table itself is wrong: missing, malformed, or with a cycle."""


def words(cell):
    return [] if cell.strip() in ("", "—", "-") else cell.split()


def read_rules(doc):
    """The table's rows as {module: {"folder", "uses", "headers"}}."""
    text = doc.read_text(encoding="utf-8")
    match = re.search(r"<!-- layers: begin.*?-->(.*?)<!-- layers: end -->", text, re.S)
    if not match:
        raise RulesError(f"{doc}: no table between the layers: begin / end markers")
    rules = {}
    for line in match.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("module", "") or set(cells[0]) <= set("-"):
            continue
        module, folder, uses, headers = cells
        rules[module] = {"folder": folder, "uses": words(uses), "headers": words(headers)}
    if not rules:
        raise RulesError(f"{doc}: the layers table has no rows")
    for module, rule in rules.items():
        for used in rule["uses"]:
            if used != PUBLIC_ONLY and used not in rules:
                raise RulesError(f"{doc}: {module} may use {used}, which is no module")
    return rules


def reachable(rules):
    """Each module's allowed modules (its own uses, transitively); raises on a cycle."""
    done, active = {}, []

    def visit(module):
        if module in done:
            return done[module]
        if module in active:
            cycle = " -> ".join(active[active.index(module):] + [module])
            raise RulesError(f"the layers table has a cycle: {cycle}")
        active.append(module)
        allowed = set()
        for used in rules[module]["uses"]:
            if used != PUBLIC_ONLY:
                allowed |= {used} | visit(used)
        active.pop()
        done[module] = allowed
        return allowed

    for module in rules:
        visit(module)
    return done


class Checker:
    def __init__(self, root, rules):
        self.root = root
        self.rules = rules
        self.allowed = reachable(rules)
        self.owner = {h: m for m, r in rules.items() for h in r["headers"]}
        self.internal = {Path(r["folder"]).name: m for m, r in rules.items()
                         if r["folder"].startswith("libbankflow/")}
        self.problems = []

    def module_of(self, path):
        rel = path.relative_to(self.root).as_posix()
        if rel.startswith("include/bankflow/"):
            return self.owner.get(Path(rel).stem)
        best = None
        for module, rule in self.rules.items():
            folder = rule["folder"].rstrip("/") + "/"
            if rel.startswith(folder) and (best is None or len(folder) > len(self.rules[best]["folder"]) + 1):
                best = module
        return best

    def target_of(self, included):
        """(module, internal) of an included path; None for system, third-party, local headers."""
        parts = included.split("/")
        if len(parts) == 2 and parts[0] == "bankflow":
            if not (self.root / "include" / included).is_file():
                return None  # bankflow.h and other non-C++ public files
            owner = self.owner.get(Path(parts[1]).stem)
            return (owner or f"?{parts[1]}", False)
        if len(parts) >= 2 and parts[0] in self.internal and (self.root / "libbankflow" / included).is_file():
            return (self.internal[parts[0]], True)
        return None

    def allows(self, module, target, internal):
        if target == module:
            return True
        if PUBLIC_ONLY in self.rules[module]["uses"]:
            return not internal
        return target in self.allowed[module]

    def check_file(self, path, module):
        rel = path.relative_to(self.root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            match = INCLUDE.match(line)
            target = match and self.target_of(match.group(1))
            if not target:
                continue
            name, internal = target
            if name.startswith("?"):
                self.problems.append(f"{rel}:{number}: includes <bankflow/{name[1:]}>, a public header "
                                     "no module owns in the layers table")
            elif not self.allows(module, name, internal):
                uses = " ".join(self.rules[module]["uses"]) or "nothing"
                what = "an internal header of" if internal else "a public header of"
                self.problems.append(f"{rel}:{number}: {module} includes {match.group(1)}, {what} {name}; "
                                     f"{module} may use: {uses}")

    def run(self):
        for top in ("libbankflow", "include/bankflow", "apps", "bindings"):
            for path in sorted((self.root / top).rglob("*")):
                if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                    continue
                module = self.module_of(path)
                if module is None:
                    rel = path.relative_to(self.root).as_posix()
                    self.problems.append(f"{rel}: in no module of the layers table (docs/ARCHITECTURE.md)")
                    continue
                self.check_file(path, module)
        return self.problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    root = parser.parse_args().root.resolve()
    try:
        problems = Checker(root, read_rules(root / "docs" / "ARCHITECTURE.md")).run()
    except RulesError as e:
        print(f"check_layers: {e}", file=sys.stderr)
        return 1
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check_layers: {len(problems)} include(s) against docs/ARCHITECTURE.md", file=sys.stderr)
        return 1
    print("check_layers: every include points down the module graph")
    return 0


if __name__ == "__main__":
    sys.exit(main())
