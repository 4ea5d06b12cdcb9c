"""Issue 19: lock-out by held connections (a newcomer takes the place of the oldest
connection that has not signed in; max_clients_per_address), fairness between
pipelines (requests_per_turn), memory for clients that never read (max_output_total,
heap given back), one daemon per database (lock file), and the small ones: streets
"*" of a one-street organisation, security headers on the page and the agenda, two
Authorization headers, `matchd check -c DIR`, a port taken leaves no database."""

import json
import os
import socket
import subprocess
import threading
import time

from harness import (Daemon, Http, Native, ConnectionClosed, ok, err, wait_until,
                     free_ports, run_matchd, STREET_A, STREET_B, TIMEOUT, MATCHD, ROOT)

SLOW = 4.0 if (os.environ.get("MATCHD_SAN") == "1" or
               os.environ.get("MATCHD_VALGRIND") == "1") else 1.0
SAN = os.environ.get("MATCHD_SAN") == "1" or os.environ.get("MATCHD_VALGRIND") == "1"

ORG1 = "91440300MA5FHARD01"
ORG2 = "91440300MA5FHARD02"


def _rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _demo_tokens(d):
    """{role: token} of the first account of each role in the demo district."""
    out = {}
    with open(d.db + ".tokens") as f:
        for line in f:
            role, _, token = line.split("\t")[:3]
            out.setdefault(role, token)
    return out


class NativeFrom(Native):
    """A native connection from the source address src (any of 127/8 reaches
    127.0.0.1), to test what one address may hold."""

    def __init__(self, port, src, timeout=TIMEOUT):
        self.timeout = timeout
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                             source_address=(src, 0))
        self.buf = b""
        self.closed = False


def _refused(c, why):
    """c got one `unavailable` line naming why, then was closed."""
    e = err(c.read_json(timeout=5), "unavailable")
    assert why in e["message"], e
    c.expect_closed(5)


# ---------------------------------------------------------------------------
# 2. lock-out by held connections

def test_newcomer_takes_the_place_of_the_oldest_connection_not_signed_in():
    with Daemon(conf_overrides={"limits.max_clients": 4}) as d:
        t = d.admin_token()                     # by `matchd token`: takes no place
        signed = d.native()
        assert ok(signed.call("whoami", token=t))["role"] == "admin"
        silent = d.native()                     # never sends a byte
        pinger1 = d.native()                    # pings to beat idle_timeout:
        pinger2 = d.native()                    # a ping does not sign in
        assert ok(pinger1.call("ping"))["pong"] and ok(pinger2.call("ping"))["pong"]
        # full: the newcomer is served, the silent one (the oldest not signed in) goes
        n1 = d.native()
        assert ok(n1.call("ping"))["pong"], "a newcomer was refused while 3 of 4 " \
            "places were held by connections that never signed in"
        _refused(silent, "max_clients")
        # the next one takes the oldest pinger's place, whatever it pinged
        n2 = d.native()
        assert ok(n2.call("whoami", token=t))["role"] == "admin"
        _refused(pinger1, "max_clients")
        # a request with a valid token keeps a place, even one that was refused ...
        err(n1.call("need.get", {"id": 999999}, token=t), "not_found")
        # ... a wrong token does not: pinger2 is the oldest not signed in
        err(pinger2.call("whoami", token="0" * 64), "unauthenticated")
        n3 = Http(d.http_port)                  # over HTTP too
        status, body = n3.op("whoami", token=t)
        assert status == 200, (status, body)
        _refused(pinger2, "max_clients")
        # every place signed in: now the newcomer is refused, nobody is closed
        n4 = d.native()
        _refused(n4, "max_clients")
        assert ok(signed.call("whoami", token=t)) and ok(n2.call("ping"))
        assert ok(n1.call("ping")) and n3.op("ping")[0] == 200
        # a place freed is a place for the next one
        n2.close()
        wait_until(lambda: _served(d), 5, 0.1, "a newcomer once a place was freed")
        n3.close()


def _served(d):
    try:
        with Native(d.port, timeout=2) as c:
            return c.call("ping").get("ok")
    except (OSError, AssertionError):
        return False


def test_http_page_visitors_make_way_but_signed_in_http_keeps_its_place():
    with Daemon(conf_overrides={"limits.max_clients": 2}) as d:
        t = d.admin_token()
        reader = Http(d.http_port)              # loaded the page: not signed in
        status, _, _ = reader.request("GET", "/")
        assert status == 200
        worker = Http(d.http_port)
        assert worker.op("whoami", token=t)[0] == 200
        c = d.native()
        assert ok(c.call("whoami", token=t))    # took the page reader's place
        try:
            status, _, _ = reader.request("GET", "/")
        except Exception:                       # closed: http.client raises
            status = None
        assert status is None, "the page reader kept its place (%r)" % status
        assert worker.op("whoami", token=t)[0] == 200, "a signed-in HTTP client was closed"
        worker.close()
        reader.close()


def test_max_clients_per_address():
    with Daemon(conf_overrides={"limits.max_clients_per_address": 2,
                                "limits.max_clients": 4}) as d:
        t = d.admin_token()
        a1 = NativeFrom(d.port, "127.0.0.2")
        a2 = NativeFrom(d.port, "127.0.0.2")
        assert ok(a1.call("ping")) and ok(a2.call("whoami", token=t))
        a3 = NativeFrom(d.port, "127.0.0.2")
        _refused(a3, "max_clients_per_address")
        # another address is served; the full address made no way for itself
        b1 = NativeFrom(d.port, "127.0.0.3")
        assert ok(b1.call("ping"))
        assert ok(a1.call("ping")) and ok(a2.call("ping"))
        # at max_clients an address at its own limit still cannot take a place
        b2 = NativeFrom(d.port, "127.0.0.3")
        assert ok(b2.call("whoami", token=t))
        a4 = NativeFrom(d.port, "127.0.0.2")
        _refused(a4, "max_clients_per_address")
        assert ok(a1.call("ping")), "a refused newcomer closed a connection"
        # one leaves: the address may connect again (a1 is not signed in: a
        # newcomer from elsewhere would take its place, so close a signed-in one)
        a2.close()

        def again():
            try:
                c = NativeFrom(d.port, "127.0.0.2", timeout=2)
                r = c.call("ping")
                c.close()
                return r.get("ok")
            except (OSError, AssertionError):
                return False
        wait_until(again, 5, 0.1, "127.0.0.2 to be served once one of its connections left")
        for c in (a1, b1, b2):
            c.close()


# ---------------------------------------------------------------------------
# 3. one client's pipeline holds everyone

def test_a_pipeline_of_slow_requests_does_not_hold_another_client():
    # XLSX exports of the demo's largest fair (several ms each), as many as 4 KB
    # hold: one read of the socket, so today one turn runs them all, and a ping sent
    # meanwhile waits for every one of them.
    with Daemon(extra_args=["--demo"], start_timeout=60) as d:
        admin = _demo_tokens(d)["admin"]

        def line(i):
            return json.dumps({"id": i, "op": "fair.export", "token": admin,
                               "args": {"fair": 4, "format": "xlsx"}},
                              separators=(",", ":")).encode() + b"\n"
        n = 4096 // len(line(99))
        reqs = b"".join(line(i) for i in range(n))
        assert n >= 25 and len(reqs) <= 4096, (n, len(reqs))
        probe = d.native()
        assert ok(probe.call("ping"))
        heavy = socket.create_connection(("127.0.0.1", d.port), timeout=60)
        got = []

        def read_all():
            f = heavy.makefile("rb")
            for _ in range(n):
                got.append(json.loads(f.readline()))
        reader = threading.Thread(target=read_all, daemon=True)
        reader.start()
        t0 = time.monotonic()
        heavy.sendall(reqs)
        time.sleep(0.02)
        t1 = time.monotonic()
        assert ok(probe.call("ping", id="probe"))["pong"]
        waited = time.monotonic() - t1
        reader.join(60)
        total = time.monotonic() - t0
        heavy.close()
        assert len(got) == n and [a["id"] for a in got] == list(range(n)), \
            "the pipeline's answers are not all there, in order"
        assert all(a["ok"] for a in got), [a for a in got if not a["ok"]][:2]
        assert total > 0.1, "the pipeline ran in %.2fs: too fast to show anything" % total
        assert waited < min(1.0 * SLOW, total / 2.5), \
            "a ping waited %.2fs behind another client's pipeline of %d exports " \
            "(%.2fs in all)" % (waited, n, total)


def test_requests_over_the_turns_quota_wait_in_order_and_half_close_still_answers():
    # requests_per_turn 1: every request but the first of each read waits for a later
    # turn with no new bytes arriving; native and HTTP pipelines stay in order.
    with Daemon(conf_overrides={"limits.requests_per_turn": 1}) as d:
        t = d.admin_token()
        s = socket.create_connection(("127.0.0.1", d.port), timeout=10)
        s.sendall(b"".join(json.dumps({"id": i, "op": "whoami", "token": t}).encode()
                           + b"\n" for i in range(100)))
        s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        ids = [json.loads(l)["id"] for l in data.splitlines()]
        assert ids == list(range(100)), "answered %d of 100, or out of order" % len(ids)
        # HTTP: 30 pipelined requests on one keep-alive connection, the last closes
        h = socket.create_connection(("127.0.0.1", d.http_port), timeout=10)
        body = b"{}"
        one = (b"POST /v1/op/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
               b"Content-Length: %d\r\n\r\n%s" % (t.encode(), len(body), body))
        last = one.replace(b"Host: x\r\n", b"Host: x\r\nConnection: close\r\n")
        h.sendall(one * 29 + last)
        data = b""
        while True:
            chunk = h.recv(65536)
            if not chunk:
                break
            data += chunk
        h.close()
        assert data.count(b"HTTP/1.1 200 OK") == 30, data[:300]


# ---------------------------------------------------------------------------
# 4. memory for clients that never read

def _never_readers(d, line, clients, requests):
    """clients sockets that each send line requests times and never read."""
    socks = []
    for _ in range(clients):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(10)
        s.connect(("127.0.0.1", d.port))
        s.sendall(line * requests)
        socks.append(s)
    return socks


def _heap_trims(d):
    """matchd_heap_trims_total: how often the daemon gave freed memory back."""
    for line in d.metrics().splitlines():
        if line.startswith("matchd_heap_trims_total "):
            return int(line.split()[1])
    raise AssertionError("no matchd_heap_trims_total in /metrics")


def _need_list_line(token):
    return (json.dumps({"op": "need.list", "token": token, "args": {"limit": 1000}})
            + "\n").encode()


def test_clients_that_never_read_share_max_output_total():
    budget = 8 << 20
    # 24 pipelined need.list each, run on the loop thread, many a turn; on a
    # reader thread each would wait for the one before (see below).
    with Daemon(extra_args=["--demo"], start_timeout=60,
                conf_overrides={"limits.max_output_total": budget,
                                "limits.reader_threads": "0"}) as d:
        admin = _demo_tokens(d)["admin"]
        probe = d.native()
        one = len(json.dumps(ok(probe.call("need.list", {"limit": 1000}, token=admin))))
        assert one > 500000, one
        pid = d.proc.pid
        rss0 = _rss_kib(pid)
        # 30 clients each ask for 24 answers of 730 KB (500 MB in all) and read
        # nothing: each holds more than the 256 KiB at which reading from it pauses
        socks = _never_readers(d, _need_list_line(admin), 30, 24)
        bound = SLOW * 96 * 1024                # KiB; max_output_total is 8 MiB
        peak = rss0
        worst = 0.0
        shed = 0
        deadline = time.monotonic() + 15 * SLOW
        while time.monotonic() < deadline:
            peak = max(peak, _rss_kib(pid))
            if peak - rss0 > bound:
                d.kill9()
                raise AssertionError("RSS grew by %d MiB with 30 clients that never read "
                                     "(max_output_total 8 MiB)" % ((peak - rss0) // 1024))
            t0 = time.monotonic()
            assert ok(probe.call("ping"))["pong"]
            worst = max(worst, time.monotonic() - t0)
            with open(d.log_path, "rb") as f:
                shed = f.read().count(b"over max_output_total")
            if shed >= 15:
                break
            time.sleep(0.05)
        # what they hold is over 20 MB: most of them must go, each with a logged reason
        assert shed >= 15, "only %d clients closed for max_output_total" % shed
        assert worst < 2.0 * SLOW, "a client that reads waited %.2fs" % worst
        assert ok(probe.call("whoami", token=admin))["role"] == "admin"
        for s in socks:
            s.close()
        assert d.running()


def test_memory_for_clients_that_never_read_is_given_back_once_they_leave():
    if SAN:
        return                  # AddressSanitizer and valgrind keep freed memory
    # Two pipelined need.list answers per client: on the loop thread both run
    # in one turn.  (On a reader thread the second would wait for the first's
    # answer, and reading stops at 256 KiB unread: far less would be held.)
    with Daemon(extra_args=["--demo"], start_timeout=60,
                conf_overrides={"limits.reader_threads": "0"}) as d:
        admin = _demo_tokens(d)["admin"]
        probe = d.native()
        ok(probe.call("need.list", {"limit": 1000}, token=admin))
        pid = d.proc.pid
        rss0 = _rss_kib(pid)
        # 100 clients, two answers of 730 KB each, never read, within every limit
        socks = _never_readers(d, _need_list_line(admin), 100, 2)
        peak = rss0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and peak - rss0 < 60 * 1024:
            assert ok(probe.call("ping"))
            peak = max(peak, _rss_kib(pid))
            time.sleep(0.05)
        assert peak - rss0 >= 60 * 1024, "the clients took only %d MiB: nothing to give " \
            "back" % ((peak - rss0) // 1024)
        for s in socks:
            s.close()

        def given_back():
            assert ok(probe.call("ping"))
            return _rss_kib(pid) - rss0 < 24 * 1024
        try:
            wait_until(given_back, 10, 0.2, "RSS to come back")
        except AssertionError:
            raise AssertionError("RSS still %d MiB over its start (peak %d MiB over) 10 s "
                                 "after the clients left" % ((_rss_kib(pid) - rss0) // 1024,
                                                            (peak - rss0) // 1024))
        assert _heap_trims(d) >= 1


def test_answers_read_as_they_come_never_trim_the_heap():
    # A trim walks the whole heap on the loop thread (up to 100 ms at a
    # city's): answers read as they come are no reason for one, however
    # many.  Before, every 16 MiB of answers written made one (a few seconds
    # of posts), and the trim was the longest wait of the city's mixed run.
    with Daemon(extra_args=["--demo"], start_timeout=60) as d:
        admin = _demo_tokens(d)["admin"]
        c = d.native()
        sent = 0
        while sent < 40 << 20:
            sent += len(json.dumps(ok(c.call("need.list", {"limit": 1000}, token=admin))))
        time.sleep(1.5)         # the trim would come a second after
        assert ok(c.call("ping"))
        assert _heap_trims(d) == 0, "%d MiB of answers read as they came trimmed the " \
            "heap" % (sent >> 20)


# ---------------------------------------------------------------------------
# 5. two daemons on one database

def test_a_second_daemon_on_the_same_database_refuses_to_start():
    with Daemon() as d:
        port, hport = free_ports(2)
        p = run_matchd(["-c", "/dev/null", "-D", d.db, "-l", "127.0.0.1:%d" % port,
                        "-H", "127.0.0.1:%d" % hport], timeout=TIMEOUT)
        out = p.stderr.decode("utf-8", "replace").strip().splitlines()
        assert p.returncode == 1, "a second daemon on %s exited %d: %r" % (
            d.db, p.returncode, out)
        assert len(out) == 1 and "in use by another matchd" in out[0] and \
            str(d.proc.pid) in out[0], out
        # the first one is untouched, and `matchd token` still works beside it
        t = d.admin_token()
        assert ok(d.call("whoami", token=t))["role"] == "admin"
        # once it has stopped, a daemon starts on the database again
        d.stop()
        d.start()
        assert ok(d.call("whoami", token=t))["role"] == "admin"


# ---------------------------------------------------------------------------
# 7. the small ones

def test_one_street_org_cannot_offer_to_the_whole_district():
    with Daemon() as d:
        narrow = d.org(ORG1, street=STREET_A)            # serves [A]
        wide = d.org(ORG2)                               # serves ["*"]
        args = {"title": "长者助餐", "category": "service.elderly", "price": 300,
                "streets": ["*"]}
        err(d.call("offer.post", args, token=narrow), "invalid_argument", "streets")
        err(d.call("offer.post", dict(args, org=ORG1), token=d.admin),
            "invalid_argument", "streets")
        off = d.post_offer(narrow)
        assert off["streets"] == [STREET_A], off
        err(d.call("offer.update", {"id": off["id"], "streets": ["*"]}, token=narrow),
            "invalid_argument", "streets")
        assert ok(d.call("offer.get", {"id": off["id"]}, token=narrow))["offer"][
            "streets"] == [STREET_A]
        # nothing of it reached street B
        items = ok(d.call("offer.list", {"street": STREET_B}, token=d.admin))["items"]
        assert items == [], items
        # the district-wide organisation may
        assert d.post_offer(wide, streets=["*"])["streets"] == ["*"]


PAGE_CSP = ("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")


def test_page_and_agenda_carry_security_headers():
    from test_fairs import _fair
    with Daemon() as d:
        with Http(d.http_port) as h:
            for path in ("/", "/index.html"):
                status, hd, _ = h.request("GET", path)
                assert status == 200
                csp = hd.get("content-security-policy", "")
                for part in PAGE_CSP:
                    assert part in csp, (path, csp)
                assert "unsafe-inline" not in csp, csp
                assert hd.get("x-frame-options") == "DENY", hd
                assert hd.get("x-content-type-options") == "nosniff", hd
            status, hd, _ = h.request("GET", "/js/main.js")
            assert status == 200 and hd.get("x-content-type-options") == "nosniff", hd
            status, hd, _ = h.request("POST", "/v1/op/ping", b"")
            assert status == 200 and hd.get("x-content-type-options") == "nosniff", hd
        _, g = d.organizer("莲花街道办", STREET_A)
        fid = _fair(d, g)["id"]
        with Http(d.http_port) as h:
            status, hd, body = h.request("GET", "/v1/fairs/%d/agenda.html" % fid, None,
                                         {"Authorization": "Bearer " + g})
            assert status == 200, body[:300]
            csp = hd.get("content-security-policy", "")
            assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, csp
            assert "script-src" not in csp, csp
            assert hd.get("x-frame-options") == "DENY", hd
            assert hd.get("x-content-type-options") == "nosniff", hd


def test_two_authorization_headers_are_refused():
    with Daemon() as d:
        c1 = d.community("C1")
        c2 = d.community("C2")
        body = json.dumps({"title": "两个令牌", "category": "service.elderly",
                           "budget": 100}, ensure_ascii=False).encode()
        for second in (c2, c1, "0" * 64):
            s = socket.create_connection(("127.0.0.1", d.http_port), timeout=10)
            s.sendall(b"POST /v1/op/need.post HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      b"Authorization: Bearer %s\r\nAuthorization: Bearer %s\r\n"
                      b"Content-Length: %d\r\n\r\n%s"
                      % (c1.encode(), second.encode(), len(body), body))
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            s.close()
            assert data.startswith(b"HTTP/1.1 400 "), data[:200]
            e = err(json.loads(data.split(b"\r\n\r\n", 1)[1]), "bad_request")
            assert "Authorization" in e["message"], e
        for t in (c1, c2):
            assert ok(d.call("need.list", {}, token=t))["items"] == [], \
                "a request with two Authorization headers was executed"


def test_check_and_start_refuse_a_directory_as_configuration():
    import tempfile
    tmp = tempfile.mkdtemp(prefix="matchd-e2e-")
    try:
        p = run_matchd(["check", "-c", tmp])
        assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
        assert b"configuration OK" not in p.stdout, p.stdout
        assert b"is a directory" in p.stderr, p.stderr
        port, hport = free_ports(2)
        db = os.path.join(tmp, "db.sqlite")
        p = run_matchd(["-c", tmp, "-D", db, "-l", "127.0.0.1:%d" % port, "-H", "off"])
        assert p.returncode == 1 and b"is a directory" in p.stderr, (p.returncode, p.stderr)
        assert not os.path.exists(db)
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)


def test_start_on_a_taken_port_creates_no_database():
    import tempfile
    tmp = tempfile.mkdtemp(prefix="matchd-e2e-")
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        (hport,) = free_ports(1)
        db = os.path.join(tmp, "db.sqlite")
        for argv in (["-l", "127.0.0.1:%d" % port, "-H", "127.0.0.1:%d" % hport],
                     ["-l", "127.0.0.1:%d" % hport, "-H", "127.0.0.1:%d" % port]):
            p = run_matchd(["-c", "/dev/null", "-D", db] + argv)
            assert p.returncode != 0, "matchd started on a port in use"
            assert b"cannot listen" in p.stderr, p.stderr
            assert os.listdir(tmp) == [], "a failed start left %r" % os.listdir(tmp)
    finally:
        taken.close()
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
