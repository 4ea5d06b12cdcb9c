"""Command lines: matchd check / token / start-up errors, and matchctl."""

import json
import os
import socket
import time

from harness import Daemon, ok, free_ports, run_matchd, run_matchctl, TIMEOUT


def _text(b):
    return b.decode("utf-8", "replace")


def _lines(b):
    return [l for l in _text(b).splitlines() if l.strip()]


def test_check_default_configuration_ok():
    p = run_matchd(["check", "-c", "/dev/null"])
    assert p.returncode == 0, (p.returncode, _text(p.stderr))
    out = _lines(p.stdout) or _lines(p.stderr)
    assert out and out[-1].strip() == "configuration OK", (_text(p.stdout), _text(p.stderr))


def test_check_with_valid_overrides():
    p = run_matchd(["check", "-c", "/dev/null", "-o", "limits.max_clients=5",
                    "-o", "limits.idle_timeout=30", "-o", "store.synchronous=normal",
                    "-o", "limits.rate_per_token=0"])
    assert p.returncode == 0, (p.returncode, _text(p.stdout), _text(p.stderr))
    assert _lines(p.stdout)[-1].strip() == "configuration OK", _text(p.stdout)


def test_check_bad_value():
    for bad in ("limits.max_clients=abc", "limits.max_clients=-3", "store.synchronous=sometimes",
                "limits.idle_timeout=", "matcher.community_cap=lots"):
        p = run_matchd(["check", "-c", "/dev/null", "-o", bad])
        assert p.returncode == 1, (bad, p.returncode, _text(p.stdout))
        msg = _lines(p.stderr) + _lines(p.stdout)
        assert len(msg) == 1, "want a one-line reason for %s, got %r" % (bad, msg)
        assert "configuration OK" not in msg[0]


def test_check_unknown_key():
    for bad in ("nosuch.key=1", "limits.nosuch=1", "nodot=1"):
        p = run_matchd(["check", "-c", "/dev/null", "-o", bad])
        assert p.returncode == 1, (bad, p.returncode, _text(p.stdout), _text(p.stderr))
        assert "configuration OK" not in _text(p.stdout), bad


def test_check_reads_config_file():
    d = Daemon(start=False)
    try:
        path = os.path.join(d.tmp, "bad.conf")
        with open(path, "w") as f:
            f.write("[limits]\nmax_clients = lots\n")
        p = run_matchd(["check", "-c", path])
        assert p.returncode == 1, (p.returncode, _text(p.stdout))
        with open(path, "w") as f:
            f.write("[limits]\nmax_clients = 7\n")
        p = run_matchd(["check", "-c", path])
        assert p.returncode == 0 and "configuration OK" in _text(p.stdout), _text(p.stderr)
        # -o is applied after the file: a bad -o value is refused over a good file
        p = run_matchd(["check", "-c", path, "-o", "limits.max_clients=abc"])
        assert p.returncode == 1, (p.returncode, _text(p.stdout))
    finally:
        d.cleanup()


def test_option_overrides_config_file():
    d = Daemon(start=False)
    try:
        path = os.path.join(d.tmp, "matchd.conf")
        with open(path, "w") as f:
            f.write("[limits]\nmax_clients = 1\nrate_per_token = 0\n")
        d.conf_file = path
        d.conf["limits.max_clients"] = "3"          # -o after the file: 3 wins over 1
        d.start()
        conns = [d.native() for _ in range(3)]
        for i, c in enumerate(conns):
            deadline = time.monotonic() + 5
            while True:
                r = c.call("ping", id=i)
                if r.get("ok") or time.monotonic() > deadline:
                    break
                c.close()                               # probe slot still counted: retry
                time.sleep(0.1)
                c = conns[i] = d.native()
            assert ok(r)["pong"], "connection %d refused: the file's max_clients=1 won" % i
    finally:
        d.cleanup()


def test_bad_configuration_at_startup_exits_1():
    d = Daemon(start=False)
    try:
        p = run_matchd(["-c", "/dev/null", "-D", d.db, "-l", "127.0.0.1:%d" % d.port,
                        "-H", "127.0.0.1:%d" % d.http_port, "-o", "limits.max_clients=abc"])
        assert p.returncode == 1, (p.returncode, _text(p.stderr))
        assert len(_lines(p.stderr)) == 1, _text(p.stderr)
    finally:
        d.cleanup()


def _start_expect_fail(args):
    t0 = time.monotonic()
    p = run_matchd(args, timeout=TIMEOUT)
    took = time.monotonic() - t0
    return p, took


def test_native_port_taken_exits_1():
    d = Daemon(start=False)
    blocker = socket.socket()
    try:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", d.port))
        blocker.listen(1)
        p, took = _start_expect_fail(["-c", "/dev/null", "-D", d.db,
                                      "-l", "127.0.0.1:%d" % d.port,
                                      "-H", "127.0.0.1:%d" % d.http_port])
        assert p.returncode == 1, (p.returncode, _text(p.stderr))
        assert took < 5, took
        lines = _lines(p.stderr)
        assert len(lines) == 1, "want one line on stderr, got %r" % lines
    finally:
        blocker.close()
        d.cleanup()


def test_http_port_taken_exits_1():
    d = Daemon(start=False)
    blocker = socket.socket()
    try:
        blocker.bind(("127.0.0.1", d.http_port))
        blocker.listen(1)
        p, took = _start_expect_fail(["-c", "/dev/null", "-D", d.db,
                                      "-l", "127.0.0.1:%d" % d.port,
                                      "-H", "127.0.0.1:%d" % d.http_port])
        assert p.returncode == 1, (p.returncode, _text(p.stderr))
        assert len(_lines(p.stderr)) == 1, _text(p.stderr)
    finally:
        blocker.close()
        d.cleanup()


def test_unusable_database_exits_1():
    d = Daemon(start=False)
    try:
        p, _ = _start_expect_fail(["-c", "/dev/null", "-D", "/nonexistent-dir/x/db.sqlite",
                                   "-l", "127.0.0.1:%d" % d.port, "-H", "off"])
        assert p.returncode == 1, (p.returncode, _text(p.stderr))
        assert len(_lines(p.stderr)) == 1, _text(p.stderr)
        junk = os.path.join(d.tmp, "junk.sqlite")
        with open(junk, "wb") as f:
            f.write(b"this is not a database" * 100)
        p, _ = _start_expect_fail(["-c", "/dev/null", "-D", junk,
                                   "-l", "127.0.0.1:%d" % d.port, "-H", "off"])
        assert p.returncode == 1, (p.returncode, _text(p.stderr))
        assert len(_lines(p.stderr)) == 1, _text(p.stderr)
    finally:
        d.cleanup()


def test_http_off():
    with Daemon(http=False) as d:
        assert ok(d.call("ping"))["pong"]
        s = socket.socket()
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", d.http_port))
            raise AssertionError("-H off, yet something listens on the HTTP port")
        except ConnectionRefusedError:
            pass
        finally:
            s.close()


def test_token_command_prints_token_last_line():
    with Daemon() as d:
        p = run_matchd(["token", "-c", "/dev/null", "-D", d.db])
        assert p.returncode == 0, _text(p.stderr)
        tok = _lines(p.stdout)[-1].strip()
        assert " " not in tok and len(tok) >= 32, tok
        assert ok(d.call("whoami", token=tok))["role"] == "admin"


# ---------------------------------------------------------------------------
# matchctl

def _ctl(d, *args, token=None, env=None):
    a = ["-H", "127.0.0.1:%d" % d.port]
    if token is not None:
        a += ["-t", token]
    return run_matchctl(a + list(args), env=env)


def test_matchctl_whoami():
    with Daemon() as d:
        p = _ctl(d, "whoami", token=d.admin)
        assert p.returncode == 0, (p.returncode, _text(p.stderr))
        out = _text(p.stdout)
        assert json.loads(out)["role"] == "admin", out
        assert "\n " in out or "\n\t" in out, "result must be indented JSON: %r" % out


def test_matchctl_ping_without_token():
    with Daemon() as d:
        p = _ctl(d, "ping")
        assert p.returncode == 0, _text(p.stderr)
        assert json.loads(_text(p.stdout))["pong"] is True


def test_matchctl_error_exit_1():
    with Daemon() as d:
        p = _ctl(d, "need.get", "id=987654", token=d.admin)
        assert p.returncode == 1, (p.returncode, _text(p.stdout))
        assert _text(p.stderr).startswith("error not_found: "), _text(p.stderr)
        assert _text(p.stdout).strip() == "", _text(p.stdout)
        p = _ctl(d, "whoami", token="bogus")
        assert p.returncode == 1 and _text(p.stderr).startswith("error unauthenticated: ")


def test_matchctl_cannot_connect_exit_2():
    port = free_ports(1)[0]
    p = run_matchctl(["-H", "127.0.0.1:%d" % port, "-t", "x", "whoami"])
    assert p.returncode == 2, (p.returncode, _text(p.stderr))


def test_matchctl_token_from_environment():
    with Daemon() as d:
        p = _ctl(d, "whoami", env={"MATCHD_TOKEN": d.admin})
        assert p.returncode == 0, _text(p.stderr)
        assert json.loads(_text(p.stdout))["role"] == "admin"


def test_matchctl_key_value_args():
    with Daemon() as d:
        t = d.community("C1")
        p = _ctl(d, "need.post", "title=社区 助餐", "category=service.elderly", "budget=50000",
                 "beneficiaries=12", "partners=[]", token=t)
        assert p.returncode == 0, (p.returncode, _text(p.stderr))
        n = json.loads(_text(p.stdout))["need"]
        assert n["title"] == "社区 助餐" and n["budget"] == 50000 and n["beneficiaries"] == 12, n
        g = ok(d.call("need.get", {"id": n["id"]}, token=t))["need"]
        assert g["budget"] == 50000


def test_matchctl_call_with_json_args():
    with Daemon() as d:
        t = d.community("C1")
        args = {"title": "调用", "category": "goods.books", "budget": 99.5,
                "window": {"from": "2026-01-01", "to": "2026-12-31"}}
        p = _ctl(d, "call", "need.post", json.dumps(args, ensure_ascii=False), token=t)
        assert p.returncode == 0, _text(p.stderr)
        n = json.loads(_text(p.stdout))["need"]
        assert n["budget"] == 99.5 and n["window"] == args["window"], n


def test_matchctl_unix_socket():
    with Daemon(start=False) as d:
        path = os.path.join(d.tmp, "ctl.sock")
        d.extra_args += ["-S", path]
        d.start()
        assert (os.stat(path).st_mode & 0o777) == 0o660, oct(os.stat(path).st_mode)
        p = run_matchctl(["-S", path, "-t", d.admin, "whoami"])
        assert p.returncode == 0, _text(p.stderr)
        assert json.loads(_text(p.stdout))["role"] == "admin"


def test_unix_socket_restart():
    with Daemon(start=False) as d:
        path = os.path.join(d.tmp, "ctl.sock")
        d.extra_args += ["-S", path]
        d.start()
        d.stop()
        d.start()        # a stale or removed socket file must not stop a restart
        p = run_matchctl(["-S", path, "ping"])
        assert p.returncode == 0, _text(p.stderr)
