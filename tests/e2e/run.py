#!/usr/bin/env python3
"""Run the matchd end-to-end tests.

    python3 tests/e2e/run.py [-j N] [-v] [SUBSTRING ...]

Discovers tests/e2e/test_*.py and runs every test_* function whose "module.function"
name contains one of the SUBSTRINGs (all when none).  Each test runs in its own child
process (its own daemons, nothing shared), with a timeout; N tests run at once (default
2).  Prints "ok   module.test" or "FAIL module.test: reason" (with the daemon's log tail),
and ends with exactly one line "e2e: N passed, N failed"; exits 1 if any failed.
"""

import importlib
import inspect
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Under valgrind every daemon runs some 20 times slower.
# valgrind, and the sanitizer builds (ThreadSanitizer runs 5 to 15 times
# slower), get more time per test.
TEST_TIMEOUT = 300 if os.environ.get("MATCHD_VALGRIND") == "1" else \
    180 if os.environ.get("MATCHD_SAN") == "1" else 60
IMPORT_ERRORS = {}
# A test may need longer (a webhook target down for a minute): it says so
# with an attribute, `test_x.timeout = 200`.
TIMEOUTS = {}


def discover(filters):
    sys.path.insert(0, str(HERE))
    tests = []
    for path in sorted(HERE.glob("test_*.py")):
        try:
            mod = importlib.import_module(path.stem)
        except Exception as e:  # reported as a failing test, never a crash
            full = "%s.<import>" % path.stem
            IMPORT_ERRORS[full] = "cannot import: %s: %s" % (type(e).__name__, e)
            tests.append(full)
            continue
        fns = [(f.__code__.co_firstlineno, name) for name, f in vars(mod).items()
               if name.startswith("test_") and inspect.isfunction(f)
               and f.__module__ == mod.__name__]
        for _, name in sorted(fns):
            full = "%s.%s" % (path.stem, name)
            TIMEOUTS[full] = max(TEST_TIMEOUT, getattr(getattr(mod, name), "timeout", 0))
            if not filters or any(s in full for s in filters):
                tests.append(full)
    return tests


class TestTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise TestTimeout("test timed out after %ds" % TEST_TIMEOUT)


def run_one(full, result_path):
    """Child side: run one test, write {"ok","reason","log"} to result_path."""
    sys.path.insert(0, str(HERE))
    import harness
    modname, fname = full.split(".", 1)
    res = {"ok": False, "reason": "", "log": ""}
    signal.signal(signal.SIGALRM, _alarm)
    try:
        fn = getattr(importlib.import_module(modname), fname)
        signal.alarm(max(TEST_TIMEOUT, getattr(fn, "timeout", 0)))
        fn()
        res["ok"] = True
    except BaseException as e:  # every failure is reported, never raised
        signal.alarm(0)
        where = ""
        for fr in reversed(traceback.extract_tb(e.__traceback__)):
            if Path(fr.filename).name.startswith("test_"):
                where = " [%s:%d]" % (Path(fr.filename).name, fr.lineno)
                break
        msg = str(e) or repr(e)
        if not isinstance(e, AssertionError):
            msg = "%s: %s" % (type(e).__name__, msg)
        res["reason"] = msg + where
        try:
            res["log"] = harness.log_tails()
        except Exception as e2:
            res["log"] = "(no log: %r)" % e2
    finally:
        signal.alarm(0)
        try:
            harness.cleanup_all()
        except Exception:
            pass
    if res["ok"] and harness.valgrind_failures:
        res["ok"] = False
        res["reason"] = "valgrind found errors or definite leaks in matchd"
        res["log"] = "\n".join(harness.valgrind_failures)
    if res["ok"] and harness.sanitizer_failures:
        res["ok"] = False
        res["reason"] = "a sanitizer reported an error in matchd"
        res["log"] = "\n".join(harness.sanitizer_failures)
    with open(result_path, "w") as f:
        json.dump(res, f)


def run_child(full):
    fd, path = tempfile.mkstemp(prefix="e2e-result-")
    os.close(fd)
    t0 = time.monotonic()
    p = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--one", full, path],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=TIMEOUTS.get(full, TEST_TIMEOUT) + 20)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        out, _ = p.communicate()
        res = {"ok": False, "reason": "test process hung (killed after %ds)"
               % (TIMEOUTS.get(full, TEST_TIMEOUT) + 20),
               "log": ""}
    else:
        try:
            with open(path) as f:
                res = json.load(f)
        except (OSError, ValueError):
            res = {"ok": False, "reason": "test process died (exit %s)" % p.returncode, "log": ""}
    finally:
        # Kill anything the test left behind in its process group (its daemons).
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.unlink(path)
        except OSError:
            pass
    res["out"] = out.decode("utf-8", "replace") if out else ""
    res["time"] = time.monotonic() - t0
    return full, res


def main(argv):
    if len(argv) >= 3 and argv[0] == "--one":
        run_one(argv[1], argv[2])
        return 0
    jobs, verbose, filters = 2, False, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "-j":
            i += 1
            jobs = max(1, int(argv[i]))
        elif a.startswith("-j"):
            jobs = max(1, int(a[2:]))
        elif a == "-v":
            verbose = True
        else:
            filters.append(a)
        i += 1
    tests = discover(filters)
    import harness
    if not harness.MATCHD.exists():
        print("note: %s does not exist; every test will fail" % harness.MATCHD, flush=True)
    passed = failed = 0
    lock = threading.Lock()
    t0 = time.monotonic()

    def report(item):
        nonlocal passed, failed
        full, res = item
        with lock:
            if res["ok"]:
                passed += 1
                line = "ok   %s" % full
                if verbose:
                    line += " (%.1fs)" % res["time"]
                print(line, flush=True)
            else:
                failed += 1
                print("FAIL %s: %s" % (full, res["reason"]), flush=True)
                if res.get("log"):
                    print("\n".join("     | " + l for l in res["log"].splitlines()), flush=True)
                if verbose and res.get("out"):
                    print("\n".join("     > " + l for l in res["out"].splitlines()), flush=True)

    def run_or_import_error(full):
        if full in IMPORT_ERRORS:
            return full, {"ok": False, "reason": IMPORT_ERRORS[full], "log": "", "time": 0}
        return run_child(full)

    with ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = [ex.submit(run_or_import_error, t) for t in tests]
        for f in futs:
            report(f.result())
    if verbose:
        print("(%.1fs)" % (time.monotonic() - t0), flush=True)
    print("e2e: %d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
