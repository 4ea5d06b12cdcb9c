"""Limits: max_clients (native and HTTP together), idle_timeout, rate_per_token,
header_timeout."""

import socket
import time

from harness import Daemon, Http, ConnectionClosed, ok, err, wait_until


def _served(d, token=None):
    """A native connection that has answered a ping, or with token a whoami, which
    signs it in (retrying while the daemon still counts a connection that just went
    away)."""
    deadline = time.monotonic() + 5
    while True:
        c = d.native()
        try:
            r = c.call("whoami", token=token) if token else c.call("ping")
            if r.get("ok"):
                return c
        except (ConnectionClosed, OSError):
            pass
        c.close()
        if time.monotonic() > deadline:
            raise AssertionError("no connection was served within 5s")
        time.sleep(0.1)


def test_max_clients_native():
    # Signed-in connections keep their places: a newcomer is refused (test_harden
    # has what happens when some have not signed in).
    with Daemon(conf_overrides={"limits.max_clients": 2}) as d:
        t = d.admin_token()                    # by `matchd token`: takes no place
        c1 = _served(d, t)
        c2 = _served(d, t)
        c3 = d.native()
        r = c3.read_json(timeout=5)          # refused without being asked anything
        err(r, "unavailable")
        c3.expect_closed(5)
        # the two served connections still work
        assert ok(c1.call("ping"))["pong"] and ok(c2.call("ping"))["pong"]
        c1.close()
        c4 = _served(d)
        assert ok(c4.call("ping", id=4))["pong"] is True


def test_max_clients_http_gets_503():
    with Daemon(conf_overrides={"limits.max_clients": 2}) as d:
        t = d.admin_token()
        c1 = _served(d, t)
        c2 = _served(d, t)
        with Http(d.http_port) as h:
            try:
                status, body = h.op("ping")
            except (ConnectionError, OSError) as e:
                raise AssertionError("HTTP client over the limit got no 503 answer: %r" % e)
            assert status == 503, (status, body)
            err(body, "unavailable")
        c2.close()
        # after one leaves, HTTP is served again
        def try_http():
            try:
                with Http(d.http_port) as h:
                    return h.op("ping")[0] == 200
            except OSError:
                return False
        wait_until(try_http, 5, 0.1, "an HTTP request to be served")
        assert ok(c1.call("ping"))["pong"]


def test_max_clients_counts_native_and_http_together():
    with Daemon(conf_overrides={"limits.max_clients": 2}) as d:
        t = d.admin_token()
        c1 = _served(d, t)
        h = Http(d.http_port)
        status, _ = h.op("whoami", token=t)     # a keep-alive HTTP connection holds a slot
        assert status == 200
        c3 = d.native()
        err(c3.read_json(timeout=5), "unavailable")
        c3.expect_closed(5)
        h.close()
        c4 = _served(d)
        assert ok(c4.call("ping"))["pong"] and ok(c1.call("ping"))["pong"]


def test_idle_connection_closed_silently():
    with Daemon(conf_overrides={"limits.idle_timeout": 1}) as d:
        c = d.native()
        assert ok(c.call("ping"))["pong"]
        t0 = time.monotonic()
        c.expect_closed(5)                     # fails if a byte arrives first
        took = time.monotonic() - t0
        assert 0.5 <= took <= 3.5, "idle connection closed after %.1fs (idle_timeout 1)" % took
        # a never-used connection is closed too
        c2 = d.native()
        c2.expect_closed(5)


def test_busy_connection_not_closed_by_idle_timeout():
    with Daemon(conf_overrides={"limits.idle_timeout": 1}) as d:
        c = d.native()
        for i in range(8):                     # 8 x 0.4 s = well past the timeout
            assert ok(c.call("ping", id=i))["pong"]
            time.sleep(0.4)
        assert ok(c.call("ping"))["pong"]


def test_idle_http_connection_closed():
    with Daemon(conf_overrides={"limits.idle_timeout": 1}) as d:
        s = socket.create_connection(("127.0.0.1", d.http_port), timeout=10)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        s.settimeout(5)
        data = b""
        t0 = time.monotonic()
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            except socket.timeout:
                raise AssertionError("idle keep-alive HTTP connection still open after 5s")
            if not chunk:
                break
            data += chunk
        s.close()
        assert data.startswith(b"HTTP/1.1 200"), data[:200]
        assert time.monotonic() - t0 < 4.5


def test_rate_limit_burst():
    with Daemon(conf_overrides={"limits.rate_per_token": 5}) as d:
        t = d.admin
        answers = d.native().pipeline([{"id": i, "op": "whoami", "token": t} for i in range(20)])
        assert [a["id"] for a in answers] == list(range(20))
        limited = [a for a in answers if not a["ok"]]
        assert limited, "20 requests in a burst with rate_per_token=5: none limited"
        for a in limited:
            err(a, "rate_limited")
        assert answers[0]["ok"], answers[0]
        assert len(limited) >= 10, "only %d of 20 limited at 5/s" % len(limited)
        time.sleep(1.5)
        assert ok(d.call("whoami", token=t))["role"] == "admin", "still limited after 1.5s"


def test_rate_limit_is_per_token():
    with Daemon(conf_overrides={"limits.rate_per_token": 5}) as d:
        a = d.community("C1")
        time.sleep(1.2)                                   # admin's calls above used its budget
        b = d.community("C2")
        time.sleep(1.2)
        answers = d.native().pipeline([{"op": "whoami", "token": a} for _ in range(20)])
        assert any(not x["ok"] for x in answers), "token a never limited"
        r = d.call("whoami", token=b)
        assert ok(r)["code"] == "C2", "token b limited because of token a: %r" % r
        # ping has no token and is never limited by another token's burst
        assert ok(d.call("ping"))["pong"]


def test_rate_limit_zero_is_unlimited():
    with Daemon(conf_overrides={"limits.rate_per_token": 0}) as d:
        t = d.admin
        answers = d.native().pipeline([{"op": "whoami", "token": t} for _ in range(300)])
        bad = [a for a in answers if not a["ok"]]
        assert not bad, "rate_per_token=0 yet refused: %r" % bad[:3]


def test_header_timeout():
    with Daemon(conf_overrides={"limits.header_timeout": 1}) as d:
        s = socket.create_connection(("127.0.0.1", d.http_port), timeout=10)
        s.sendall(b"POST /v1/op/ping HTTP/1.1\r\nHost: x\r\n")   # head never finished
        s.settimeout(5)
        t0 = time.monotonic()
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
        except ConnectionResetError:
            pass
        except socket.timeout:
            raise AssertionError("a slow HTTP head kept the connection open for 5s "
                                 "(header_timeout 1)")
        finally:
            s.close()
        assert time.monotonic() - t0 < 4


def test_many_clients_under_default_limit():
    with Daemon() as d:
        conns = [d.native() for _ in range(50)]
        for i, c in enumerate(conns):
            c.send({"op": "ping", "id": i})
        for i, c in enumerate(conns):
            r = c.read_json()
            assert r["id"] == i and ok(r)["pong"], r
