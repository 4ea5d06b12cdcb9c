"""Golden files: the effective configuration that `matchd check` prints."""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MATCHD = os.environ.get("MATCHD_BIN") or os.path.join(ROOT, "bin", "matchd")


def _check(*args):
    return subprocess.run([MATCHD, "check"] + list(args), capture_output=True,
                          timeout=20, cwd=ROOT)


def test_check_defaults_match_golden():
    p = _check("-c", "/dev/null")
    assert p.returncode == 0, p.stderr
    with open(os.path.join(ROOT, "tests", "golden", "check-defaults.ok"), "rb") as f:
        want = f.read()
    assert p.stdout == want, "matchd check -c /dev/null differs from tests/golden/check-defaults.ok"


def test_shipped_conf_equals_defaults():
    # conf/matchd.conf documents every key with its default: reading it must
    # give exactly the built-in defaults.
    p = _check("-c", os.path.join(ROOT, "conf", "matchd.conf"))
    q = _check("-c", "/dev/null")
    assert p.returncode == 0, p.stderr
    assert p.stdout == q.stdout


def test_check_override_shows_in_output():
    p = _check("-c", "/dev/null", "-o", "weights.text=30", "-o", "taxonomy.goods=books")
    assert p.returncode == 0, p.stderr
    out = p.stdout.decode()
    assert "text = 30\n" in out, out
    assert "goods = books\n" in out, out
