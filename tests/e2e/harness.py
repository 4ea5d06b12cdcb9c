"""End-to-end harness for matchd: start the real daemon, talk to it over real sockets.

Python 3 standard library only.  Every socket operation is bounded by a timeout, every
wait for a process is bounded, and every daemon started by a test is tracked so the
runner can print its log tail on failure and kill it afterwards.
"""

import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# MATCHD_BIN / MATCHCTL_BIN override the binaries under test (default: the built ones).
MATCHD = Path(os.environ.get("MATCHD_BIN") or ROOT / "bin" / "matchd")
MATCHCTL = Path(os.environ.get("MATCHCTL_BIN") or ROOT / "bin" / "matchctl")

# MATCHD_VALGRIND=1 runs every test daemon under valgrind's memcheck: an error or a
# definite leak makes it exit 99, which stop() and cleanup() report.
VALGRIND = os.environ.get("MATCHD_VALGRIND") == "1"
VALGRIND_ARGV = ["valgrind", "--error-exitcode=99", "--leak-check=full",
                 "--errors-for-leak-kinds=definite", "--track-fds=no", "-q"]
VALGRIND_EXIT = 99
# Daemons whose valgrind found something, as messages; run.py fails the test.
valgrind_failures = []
# Reports of ThreadSanitizer (make test TSAN=1) found in a daemon's log
# when its test ends: the test fails with them (ASan and UBSan abort the
# daemon at once, which fails the test by itself).
sanitizer_failures = []

TIMEOUT = 10.0          # every socket operation, every bounded wait
START_TIMEOUT = 60.0 if VALGRIND else 10.0    # until the daemon answers a ping
STOP_TIMEOUT = 60.0 if VALGRIND else TIMEOUT  # until it exits after a signal

# Every Daemon created in this process, so the runner can show logs and clean up.
_live = []

# Defaults every test daemon gets unless the test overrides them: per-token rate
# limiting off, so pipelined bursts test framing and not the limiter.
# The year the tests' calendar stands in: their "today" is its first day
# (time.today), so that fairs dated in it are never in the past.
YEAR = time.gmtime().tm_year
# No risk check (events.risk_check_minutes): its risk.flagged events would
# come at any time, where tests compare the database before and after a
# refusal; test_events_risk.py turns it on.
DEFAULT_CONF = {"limits.rate_per_token": "0", "time.today": "%d-01-01" % YEAR,
                "events.risk_check_minutes": "0"}

ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")

STREET_A = "莲花街道"
STREET_B = "园岭街道"
STREET_C = "华富街道"


class DaemonError(AssertionError):
    pass


# ---------------------------------------------------------------------------
# small assertion helpers

_MISSING = object()


def ok(resp):
    """Assert resp is a success envelope and return its result."""
    assert isinstance(resp, dict), "response is not an object: %r" % (resp,)
    assert resp.get("ok") is True, "expected ok:true, got %s" % _short(resp)
    assert "result" in resp, "ok response without result: %s" % _short(resp)
    return resp["result"]


def err(resp, code, field=_MISSING):
    """Assert resp is an error envelope with this code (or one of a tuple/set of codes)
    and, when given, this field; return the error object."""
    assert isinstance(resp, dict), "response is not an object: %r" % (resp,)
    assert resp.get("ok") is False, "expected error %s, got %s" % (code, _short(resp))
    e = resp.get("error")
    assert isinstance(e, dict), "error is not an object: %s" % _short(resp)
    codes = (code,) if isinstance(code, str) else tuple(code)
    assert e.get("code") in codes, "expected error code %s, got %s" % (
        "|".join(codes), _short(resp))
    assert isinstance(e.get("message"), str) and e["message"].strip(), \
        "error without a message: %s" % _short(resp)
    if field is not _MISSING:
        assert e.get("field") == field, "expected field %r, got %s" % (field, _short(resp))
    return e


def _short(obj, n=600):
    s = json.dumps(obj, ensure_ascii=False) if not isinstance(obj, str) else obj
    return s if len(s) <= n else s[:n] + "..."


def wait_until(pred, timeout=TIMEOUT, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.1fs waiting for %s" % (timeout, what))
        time.sleep(interval)


def _ephemeral_range():
    """The kernel's range of ports for outgoing connections (Linux's default)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = (int(x) for x in f.read().split())
        return lo, hi
    except (OSError, ValueError):
        return 32768, 60999


def free_ports(n=2):
    """n distinct free TCP ports on 127.0.0.1 (held open together while chosen),
    outside the kernel's range for outgoing connections: a port bound to 0 and
    closed again may be the source port of another test's connection a moment
    later, and then the daemon cannot listen on it."""
    lo, hi = _ephemeral_range()
    pool = [p for p in range(10000, 65536) if not lo <= p <= hi]
    socks = []
    try:
        while len(socks) < n:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.bind(("127.0.0.1", random.choice(pool) if pool else 0))
            except OSError:
                s.close()
                continue
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


# ---------------------------------------------------------------------------
# native client

class ConnectionClosed(AssertionError):
    pass


class Native:
    """One native (JSON lines) connection.  Every socket op is bounded by `timeout`."""

    def __init__(self, port=None, host="127.0.0.1", timeout=TIMEOUT, unix=None):
        self.timeout = timeout
        if unix is not None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(unix)
        else:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""
        self.closed = False

    def close(self):
        if not self.closed:
            self.closed = True
            try:
                self.sock.close()
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.sock.sendall(data)

    def send(self, obj):
        self.send_raw(json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n")

    def read_line(self, timeout=None):
        """The next response line (bytes, without the newline).  Raises ConnectionClosed
        when the peer closes first, socket.timeout when nothing comes in time."""
        self.sock.settimeout(timeout if timeout is not None else self.timeout)
        while b"\n" not in self.buf:
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                raise ConnectionClosed("connection closed by matchd (pending %r)" % self.buf[:200])
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def read_json(self, timeout=None):
        line = self.read_line(timeout)
        try:
            return json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise AssertionError("response line is not JSON (%s): %r" % (e, line[:300]))

    def expect_closed(self, timeout=TIMEOUT):
        """Assert the peer closes the connection within timeout without sending more."""
        self.sock.settimeout(timeout)
        assert self.buf == b"", "unexpected data before close: %r" % self.buf[:200]
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            return
        except socket.timeout:
            raise AssertionError("connection still open after %.1fs" % timeout)
        assert not chunk, "unexpected data instead of close: %r" % chunk[:200]

    def request(self, op=None, args=None, token=None, id=None, **extra):
        env = {}
        if id is not None:
            env["id"] = id
        if op is not None:
            env["op"] = op
        if token is not None:
            env["token"] = token
        if args is not None:
            env["args"] = args
        env.update(extra)
        return env

    def call(self, op, args=None, token=None, id=None, **extra):
        self.send(self.request(op, args, token, id, **extra))
        return self.read_json()

    def call_raw(self, line):
        """Send one raw line (str or bytes; a newline is added) and read one response."""
        if isinstance(line, str):
            line = line.encode("utf-8")
        self.send_raw(line + b"\n")
        return self.read_json()

    def pipeline(self, reqs, raw=False):
        """Write every request (dicts, or raw lines when raw) from a writer thread while
        reading the answers here, so neither side can block the other; return the
        parsed answers in arrival order."""
        if raw:
            payload = b"".join((r if isinstance(r, bytes) else r.encode()) + b"\n" for r in reqs)
        else:
            payload = b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in reqs)
        errors = []

        def writer():
            try:
                view = memoryview(payload)
                while view:
                    n = self.sock.send(view[:65536])
                    view = view[n:]
            except OSError as e:  # reported by the reader's failure or below
                errors.append(e)

        t = threading.Thread(target=writer, daemon=True)
        t.start()
        out = []
        try:
            for _ in range(len(reqs)):
                out.append(self.read_json())
        finally:
            t.join(TIMEOUT)
        assert not errors, "pipeline write failed: %r" % errors
        return out


# ---------------------------------------------------------------------------
# HTTP client

class Http:
    """One keep-alive HTTP/1.1 connection (http.client)."""

    def __init__(self, port, host="127.0.0.1", timeout=TIMEOUT):
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def close(self):
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def request(self, method, path, body=None, headers=None):
        """Raw request; returns (status, headers dict lower-cased, body bytes)."""
        h = dict(headers or {})
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def op(self, op, args=None, token=None, raw_body=None, headers=None):
        """POST /v1/op/<op>; returns (status, parsed body)."""
        h = {"Content-Type": "application/json"}
        if token is not None:
            h["Authorization"] = "Bearer " + token
        h.update(headers or {})
        if raw_body is not None:
            body = raw_body
        elif args is not None:
            body = json.dumps(args, ensure_ascii=False).encode("utf-8")
        else:
            body = b""
        status, _, data = self.request("POST", "/v1/op/" + op, body, h)
        return status, parse_body(data)


def parse_body(data):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise AssertionError("HTTP body is not JSON: %r" % data[:300])


def http_op(port, op, args=None, token=None, raw_body=None):
    with Http(port) as h:
        return h.op(op, args, token, raw_body)


# ---------------------------------------------------------------------------
# the daemon

class Daemon:
    """One matchd process on free ports with a temporary database.

    Daemon(extra_args=[], conf_overrides={}) starts it and waits until it answers a
    ping on the native port.  env: variables added to its environment (the test
    knobs, MATCHD_TEST_*); d.env may change before a restart.  Use as a context
    manager, or call cleanup()."""

    def __init__(self, extra_args=(), conf_overrides=None, start=True,
                 start_timeout=START_TIMEOUT, http=True, conf_file="/dev/null",
                 auto_streets=True, env=None):
        self.tmp = tempfile.mkdtemp(prefix="matchd-e2e-")
        self.db = os.path.join(self.tmp, "db.sqlite")
        self.log_path = os.path.join(self.tmp, "matchd.log")
        self.port, self.http_port = free_ports(2)
        self.extra_args = list(extra_args)
        self.conf = dict(DEFAULT_CONF)
        self.conf.update({k: str(v) for k, v in (conf_overrides or {}).items()})
        self.http = http
        self.conf_file = conf_file
        self.start_timeout = start_timeout
        self.proc = None
        self._logf = None
        self._admin = None
        self._conn = None
        self._clients = []
        # Streets are a registry: unless a test says otherwise, each street
        # a request of call() or http_op() names is registered (by the
        # admin, street.create) the first time it is named.
        self.auto_streets = auto_streets
        self.env = dict(env or {})
        self._streets = set()
        _live.append(self)
        if start:
            self.start()

    # -- process control ---------------------------------------------------

    def argv(self):
        a = [str(MATCHD), "-c", self.conf_file, "-D", self.db,
             "-l", "127.0.0.1:%d" % self.port,
             "-H", ("127.0.0.1:%d" % self.http_port) if self.http else "off"]
        for k, v in self.conf.items():
            a += ["-o", "%s=%s" % (k, v)]
        if VALGRIND:
            a = VALGRIND_ARGV + a
        return a + self.extra_args

    def start(self, tries=3):
        """Start matchd and wait until it answers a ping; on a port another
        process took since it was chosen, choose again (tries times)."""
        if not MATCHD.exists():
            raise DaemonError("bin/matchd does not exist (run make in %s)" % ROOT)
        self._close_clients()            # connections to an earlier run are dead
        if self._logf:
            self._logf.close()
        self._logf = open(self.log_path, "ab")
        mark = self._logf.tell()
        self.proc = subprocess.Popen(self.argv(), cwd=str(ROOT), stdin=subprocess.DEVNULL,
                                     env=dict(os.environ, **self.env),
                                     stdout=self._logf, stderr=self._logf)
        deadline = time.monotonic() + self.start_timeout
        last = None
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None and tries > 0 and self._port_taken(mark):
                # Another process took a chosen port meanwhile: choose again.
                self.port, self.http_port = free_ports(2)
                return self.start(tries - 1)
            if rc is not None:
                raise DaemonError("matchd exited with %d during start-up; log:\n%s"
                                  % (rc, self.log_tail()))
            try:
                with Native(self.port, timeout=1.0) as c:
                    r = c.call("ping")
                    if r.get("ok") is True:
                        return
                    last = r
            except (OSError, AssertionError) as e:
                last = e
            time.sleep(0.05)
        raise DaemonError("matchd did not answer a ping within %.0fs (last: %r); log:\n%s"
                          % (self.start_timeout, last, self.log_tail()))

    def _port_taken(self, mark):
        """Whether the start whose log began at byte mark could not listen
        because the port was taken."""
        with open(self.log_path, "rb") as f:
            f.seek(mark)
            return b"Address already in use" in f.read()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def _close_clients(self):
        for c in self._clients:
            c.close()
        self._clients = []
        self._conn = None

    def send_signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout=TIMEOUT):
        if VALGRIND:
            timeout = max(timeout, STOP_TIMEOUT)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("matchd did not exit within %.0fs" % timeout)

    def stop(self, sig=signal.SIGTERM, timeout=TIMEOUT):
        """Send SIGTERM (or sig), wait (bounded), assert exit code 0."""
        assert self.running(), "matchd is not running"
        self._close_clients()
        self.proc.send_signal(sig)
        rc = self.wait(timeout)
        if VALGRIND and rc == VALGRIND_EXIT:
            self._valgrind_failed()
            raise AssertionError("valgrind found errors in matchd (exit 99):\n%s"
                                 % self.valgrind_report())
        assert rc == 0, "matchd exited with %r after %s; log:\n%s" % (
            rc, signal.Signals(sig).name, self.log_tail())
        return rc

    def valgrind_report(self, n=80):
        """The valgrind lines ("==PID== ...") of the log."""
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return "(no log)"
        vg = [l for l in lines if l.startswith("==")]
        return "\n".join(vg[:n]) or "\n".join(lines[-25:])

    def _sanitizer_check(self):
        """Keep the first sanitizer report of the log, if there is one."""
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return
        for mark in ("WARNING: ThreadSanitizer",):
            i = text.find(mark)
            if i >= 0:
                sanitizer_failures.append("%s:\n%s" % (self.log_path,
                                                        text[i:i + 6000]))
                return

    def _valgrind_failed(self):
        msg = "valgrind: %s\n%s" % (self.log_path, self.valgrind_report())
        if msg not in valgrind_failures:
            valgrind_failures.append(msg)

    def kill9(self):
        self._close_clients()
        if self.running():
            self.proc.kill()
            self.proc.wait(TIMEOUT)

    def send_then_kill9(self, payload, after):
        """On a new native connection write payload (bytes) while a thread reads, kill -9
        the daemon `after` seconds later, and return the answers that arrived whole
        (parsed, in order): what the daemon acknowledged before it died."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)
        got = []

        def reader():
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        return
                    got.append(chunk)
            except OSError:
                return
        th = threading.Thread(target=reader, daemon=True)
        th.start()
        try:
            s.sendall(payload)
            time.sleep(after)
            self.proc.kill()
            self.proc.wait(TIMEOUT)
            th.join(TIMEOUT)
        finally:
            s.close()
        # The last piece may be cut mid-line.
        return [json.loads(line) for line in b"".join(got).split(b"\n")[:-1]]

    def restart(self):
        """Stop (cleanly) if running, then start again on the same db and ports."""
        if self.running():
            self.stop()
        self._close_clients()
        self.start()

    def cleanup(self):
        self._close_clients()
        if VALGRIND and self.proc is not None:
            # Stop cleanly so that valgrind checks for leaks, and keep what it found.
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    pass
            if self.proc.poll() == VALGRIND_EXIT:
                self._valgrind_failed()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        if self._logf:
            self._logf.close()
            self._logf = None
        self._sanitizer_check()
        if not os.environ.get("MATCHD_KEEP"):
            shutil.rmtree(self.tmp, ignore_errors=True)
        if self in _live:
            _live.remove(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()

    def log_tail(self, n=25):
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-n:])

    # -- tokens and clients -----------------------------------------------

    def admin_token(self):
        """Run `matchd token` on this database (it must work while the daemon runs)
        and return the last line of its output."""
        p = subprocess.run([str(MATCHD), "token", "-c", "/dev/null", "-D", self.db],
                           cwd=str(ROOT), stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=TIMEOUT)
        assert p.returncode == 0, "matchd token exited %d: %s" % (
            p.returncode, p.stderr.decode("utf-8", "replace")[-500:])
        lines = [l.strip() for l in p.stdout.decode("utf-8", "replace").splitlines() if l.strip()]
        assert lines, "matchd token printed nothing"
        self._admin = lines[-1]
        return self._admin

    @property
    def admin(self):
        if self._admin is None:
            self.admin_token()
        return self._admin

    def native(self, timeout=TIMEOUT):
        c = Native(self.port, timeout=timeout)
        self._clients.append(c)
        return c

    def http_client(self):
        c = Http(self.http_port)
        self._clients.append(c)
        return c

    def metrics(self):
        """GET /metrics (from loopback, no token needed): its text."""
        with Http(self.http_port) as h:
            status, _, body = h.request("GET", "/metrics")
        assert status == 200, status
        return body.decode()

    def db_state(self):
        """Every row of every table but the audit trail, read from the database
        file itself (a refusal must leave it exactly as it was; the audit trail
        records the refusal)."""
        import sqlite3
        db = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True, timeout=10)
        try:
            out = {}
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                      " AND name NOT LIKE 'sqlite_%' AND name <> 'audit'"
                                      " ORDER BY name"):
                out[name] = db.execute('SELECT * FROM "%s" ORDER BY 1' % name).fetchall()
            return out
        finally:
            db.close()

    def refuse(self, op, args, token, code, field=_MISSING, reason=None, http=False):
        """Send op and assert it is refused with code (field, reason) and that
        the database is exactly as it was before; return the error object."""
        self.register_streets(args if op != "street.create" else None)
        before = self.db_state()
        if http:
            _, resp = http_op(self.http_port, op, args, token)
        else:
            if self._conn is None or self._conn.closed:
                self._conn = self.native()
            resp = self._conn.call(op, args, token)
        e = err(resp, code, field)
        assert isinstance(e.get("reason"), str) and e["reason"], "no reason: %r" % e
        if reason is not None:
            assert e["reason"] == reason, "reason %r, want %r: %r" % (e["reason"], reason, e)
        after = self.db_state()
        for t in before:
            assert after.get(t) == before[t], "%s refused (%s) yet table %s changed:\n%r\n%r" % (
                op, code, t, before[t][:5], after.get(t, [])[:5])
        assert set(after) == set(before), (sorted(before), sorted(after))
        return e

    def register_streets(self, args):
        """Register (street.create) each street args names, once."""
        if not self.auto_streets or not isinstance(args, dict):
            return
        names = []
        if isinstance(args.get("street"), str):
            names.append(args["street"])
        if isinstance(args.get("streets"), list):
            names += [s for s in args["streets"] if isinstance(s, str)]
        for n in names:
            if n == "*" or n in self._streets or not n.strip() or len(n) > 64:
                continue
            self._streets.add(n)
            if self._conn is None or self._conn.closed:
                self._conn = self.native()
            r = self._conn.call("street.create", {"name": n}, self.admin)
            assert r.get("ok") or r.get("error", {}).get("code") in (
                "conflict", "invalid_argument"), r

    def call(self, op, args=None, token=None, id=None, **extra):
        """One request on a cached native connection."""
        if op != "street.create":
            self.register_streets(args)
        if self._conn is None or self._conn.closed:
            self._conn = self.native()
        return self._conn.call(op, args, token, id, **extra)

    def pipeline(self, reqs):
        for r in reqs:
            if isinstance(r, dict) and r.get("op") != "street.create":
                self.register_streets(r.get("args"))
        if self._conn is None or self._conn.closed:
            self._conn = self.native()
        return self._conn.pipeline(reqs)

    def http_op(self, op, args=None, token=None, raw_body=None):
        if op != "street.create":
            self.register_streets(args)
        return http_op(self.http_port, op, args, token, raw_body)

    # -- accounts -------------------------------------------------------------

    def community(self, code, street=STREET_A, name=None, cap=None):
        """Create a community via admin; return its token."""
        args = {"code": code, "name": name or ("%s社区" % code), "street": street}
        if cap is not None:
            args["cap"] = cap
        r = ok(self.call("community.create", args, token=self.admin))
        assert isinstance(r.get("token"), str) and r["token"], r
        return r["token"]

    def org(self, code, kind="registered", street=None, streets=None, name=None):
        """Create an organisation via admin; return its token."""
        args = {"code": code, "name": name or ("社会组织%s" % code[-4:]), "kind": kind}
        if street is not None:
            args["street"] = street
        if streets is not None:
            args["streets"] = streets
        r = ok(self.call("org.create", args, token=self.admin))
        assert isinstance(r.get("token"), str) and r["token"], r
        return r["token"]

    def organizer(self, name="街道办", street=None):
        """Create an organizer via admin; return (code, token)."""
        args = {"name": name}
        if street is not None:
            args["street"] = street
        r = ok(self.call("organizer.create", args, token=self.admin))
        return r["organizer"]["code"], r["token"]

    # -- needs and offers -------------------------------------------------------

    def post_need(self, token, **fields):
        args = {"title": "社区长者助餐服务", "category": "service.elderly", "budget": 50000}
        args.update(fields)
        return ok(self.call("need.post", args, token=token))["need"]

    def post_offer(self, token, **fields):
        args = {"title": "长者助餐配送", "category": "service.elderly", "price": 30000}
        args.update(fields)
        return ok(self.call("offer.post", args, token=token))["offer"]

    def list_all(self, op, token, args=None, limit=None, max_pages=10000):
        """Follow `next` through every page; return (items, pages)."""
        items, pages, after = [], [], None
        for _ in range(max_pages):
            a = dict(args or {})
            if limit is not None:
                a["limit"] = limit
            if after is not None:
                a["after"] = after
            r = ok(self.call(op, a, token=token))
            assert isinstance(r.get("items"), list), "page without items: %s" % _short(r)
            assert "next" in r, "page without next: %s" % _short(r)
            items += r["items"]
            pages.append(r)
            if r["next"] is None:
                return items, pages
            after = r["next"]
        raise AssertionError("%s: more than %d pages" % (op, max_pages))


def cleanup_all():
    for d in list(_live):
        d.cleanup()


def log_tails(n=25):
    out = []
    for d in _live:
        if not os.path.exists(d.log_path):
            continue
        out.append("--- matchd log (%s) ---\n%s" % (d.tmp, d.log_tail(n)))
    return "\n".join(out)


def run_matchd(args, timeout=TIMEOUT, env=None):
    """Run bin/matchd with args (no daemon expected to stay up); CompletedProcess."""
    if not MATCHD.exists():
        raise DaemonError("bin/matchd does not exist (run make in %s)" % ROOT)
    return subprocess.run([str(MATCHD)] + list(args), cwd=str(ROOT), stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=timeout, env=env)


def run_matchctl(args, timeout=TIMEOUT, env=None):
    if not MATCHCTL.exists():
        raise DaemonError("bin/matchctl does not exist (run make in %s)" % ROOT)
    e = dict(os.environ)
    e.pop("MATCHD_TOKEN", None)
    # matchctl's own words follow the locale: English unless a test says otherwise
    for k in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        e.pop(k, None)
    e["LANG"] = "C.UTF-8"
    if env:
        e.update(env)
    return subprocess.run([str(MATCHCTL)] + list(args), cwd=str(ROOT), stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=timeout, env=e)
