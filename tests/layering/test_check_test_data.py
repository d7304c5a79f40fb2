"""check_test_data.py finds a valid CPF planted in a copy of a file, bare or formatted, and lets
through the same numbers with a failing check digit. The planted CPFs are computed here, so this
file holds none."""

import subprocess
import sys
import tempfile
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_test_data.py"


def with_check_digits(nine):
    """The 11 digits of a CPF whose check digits hold."""
    d = [int(c) for c in nine]
    for n in (9, 10):
        d.append(sum(d[i] * (n + 1 - i) for i in range(n)) * 10 % 11 % 10)
    return "".join(map(str, d))


def broken(cpf):
    """The same number with its last check digit off by one: no person's."""
    return cpf[:-1] + str((int(cpf[-1]) + 1) % 10)


def formatted(cpf):
    return "%s.%s.%s-%s" % (cpf[:3], cpf[3:6], cpf[6:9], cpf[9:])


def run(root):
    return subprocess.run([sys.executable, str(SCRIPT), "--root", str(root)], stdout=subprocess.PIPE, text=True)


a, b = with_check_digits("123456789"), with_check_digits("987654321")
with tempfile.TemporaryDirectory() as tmp:
    root = Path(tmp)
    (root / "rows.tsv").write_text("PIX RECEBIDO %s\nCPF %s\n" % (broken(a), formatted(broken(b))))
    clean = run(root)
    assert clean.returncode == 0, clean.stdout
    (root / "corpus").mkdir()
    (root / "corpus" / "extrato.csv").write_text("a;b\nPIX %s;1,00\nDOC %s\n" % (formatted(a), b))
    dirty = run(root)
    assert dirty.returncode == 1, dirty.stdout
    assert "corpus/extrato.csv:2: %s is a valid CPF" % formatted(a) in dirty.stdout, dirty.stdout
    assert "corpus/extrato.csv:3: %s is a valid CPF" % b in dirty.stdout, dirty.stdout
    assert "rows.tsv" not in dirty.stdout, dirty.stdout
print("check_test_data: finds planted CPFs, passes invented ones")
