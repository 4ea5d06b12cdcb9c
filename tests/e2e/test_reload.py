"""SIGHUP reloads what can change live; a bad file keeps the running config."""
import os
import signal
import time

from harness import Daemon, ok, err


def _burst(d, token, n=20):
    reqs = [{"id": i, "op": "whoami", "token": token} for i in range(n)]
    return [r.get("error", {}).get("code") for r in d.pipeline(reqs)]


def test_sighup_applies_new_rate_limit():
    d = Daemon(start=False)
    try:
        path = os.path.join(d.tmp, "matchd.conf")
        with open(path, "w") as f:
            f.write("[limits]\nrate_per_token = 0\n")
        d.conf_file = path
        d.conf.pop("limits.rate_per_token", None)   # -o would win over the file
        d.start()
        t = d.admin
        assert "rate_limited" not in _burst(d, t), "no limit before the reload"
        with open(path, "w") as f:
            f.write("[limits]\nrate_per_token = 2\n")
        d.send_signal(signal.SIGHUP)
        deadline = time.time() + 5
        codes = []
        while time.time() < deadline:
            codes = _burst(d, t)
            if "rate_limited" in codes:
                break
            time.sleep(0.2)
        assert "rate_limited" in codes, "SIGHUP did not apply rate_per_token: %r" % codes
        d.stop()
    finally:
        d.cleanup()


def test_sighup_with_bad_file_keeps_running_config():
    d = Daemon(start=False)
    try:
        path = os.path.join(d.tmp, "matchd.conf")
        with open(path, "w") as f:
            f.write("[limits]\nrate_per_token = 0\n")
        d.conf_file = path
        d.start()
        t = d.admin
        with open(path, "w") as f:
            f.write("[limits]\nrate_per_token = lots\n")
        d.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert "rate_limited" not in _burst(d, t)
        ok(d.call("whoami", token=t))
        assert "keeping the running configuration" in d.log_tail(50), d.log_tail(50)
        d.stop()
    finally:
        d.cleanup()


def test_sighup_does_not_override_command_line():
    # -o is applied after the file on reload too: the file cannot undo it.
    d = Daemon(start=False)
    try:
        path = os.path.join(d.tmp, "matchd.conf")
        with open(path, "w") as f:
            f.write("[limits]\nrate_per_token = 2\n")
        d.conf_file = path
        d.start()            # the harness passes -o limits.rate_per_token=0
        d.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert "rate_limited" not in _burst(d, d.admin)
        d.stop()
    finally:
        d.cleanup()
