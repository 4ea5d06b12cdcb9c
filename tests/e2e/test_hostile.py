"""Hostile clients, beyond test_robustness and test_limits: exact refusals of deep
nesting on both transports, escaped duplicate keys, case variants, NUL and invalid
UTF-8 in every position, 1e400 and integer wrap-around in ids, huge arrays, slow-loris
HTTP heads and trickling native clients (cut after header_timeout while others are
served), a client that never reads (cut at max_output_bytes, memory bounded), a crowd
past max_clients that pipelines writes, and file descriptors exhausted."""

import json
import os
import select
import socket
import threading
import time

from harness import (Daemon, Http, Native, ConnectionClosed, ok, err, wait_until,
                     STREET_A, TIMEOUT, YEAR)

# How much slower than a plain build the daemon under test may be: SAN
# builds (MATCHD_SAN=1, set by tests/run.sh) and valgrind.
SLOW = 4.0 if (os.environ.get("MATCHD_SAN") == "1" or
               os.environ.get("MATCHD_VALGRIND") == "1") else 1.0

ORG1 = "91440300MA5FHOST01"


def _rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _needs(d, t):
    items, _ = d.list_all("need.list", t, {}, limit=1000)
    return items


def _raw_http(port, data, timeout=5):
    """Send raw bytes to the HTTP port, read until the peer closes or timeout;
    return what came back."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except OSError:         # refused before it read everything: read the answer
            pass
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


def _post_line(t, **args):
    a = {"title": "恶意请求", "category": "service.elderly", "budget": 1}
    a.update(args)
    return json.dumps({"op": "need.post", "token": t, "args": a}, ensure_ascii=False)


# ---------------------------------------------------------------------------
# parser

def test_nesting_100000_deep_exact_code_both_transports():
    with Daemon() as d:
        t = d.community("C1")
        c = d.native()
        depth = 100000
        tj = json.dumps(t)
        lines = [
            "[" * depth,                                          # never closed
            "{" + '"a":{' * depth,                                # never closed objects
            '{"op":"whoami","token":%s,"args":{"x":%s1%s}}' % (tj, "[" * depth, "]" * depth),
            '{"op":"whoami","token":%s,"args":%s}' % (tj, '{"a":' * depth + "1" + "}" * depth),
            "]" * depth,                                          # closing only
        ]
        for line in lines:
            t0 = time.monotonic()
            err(c.call_raw(line), "parse_error")
            assert time.monotonic() - t0 < 2, "100,000-deep nesting took %.1fs" % (
                time.monotonic() - t0)
            assert ok(c.call("ping"))["pong"], "connection unusable after deep nesting"
        with d.http_client() as h:
            body = ('{"title":"x","category":"service.elderly","budget":1,"description":%s"x"%s}'
                    % ("[" * depth, "]" * depth))
            status, b = h.op("need.post", token=t, raw_body=body)
            assert status == 400, (status, b)
            err(b, "parse_error")
            status, b = h.op("whoami", token=t)           # same keep-alive connection
            assert status == 200, "HTTP connection unusable after deep nesting: %r" % b
        assert _needs(d, t) == []
        assert d.running()


def test_nesting_limit_boundary():
    """32 levels are JSON like any other; 33 are a parse_error (docs/protocol.md)."""
    with Daemon() as d:
        t = d.community("C1")
        c = d.native()

        def line(total):
            inner = total - 2                 # the envelope and args are two levels
            return '{"op":"whoami","token":%s,"args":{"x":%s1%s}}' % (
                json.dumps(t), "[" * inner, "]" * inner)
        err(c.call_raw(line(32)), "invalid_argument", "x")
        err(c.call_raw(line(33)), "parse_error")


def test_escaped_and_case_variant_duplicates():
    with Daemon() as d:
        t = d.community("C1")
        adm = d.admin
        c = d.native()
        tj, aj = json.dumps(t), json.dumps(adm)
        refused = ("bad_request", "invalid_argument")
        lines = [
            # the same key spelt with an escape is the same key
            '{"op":"need.post","token":%s,"args":{"title":"a","category":"service.elderly",'
            '"budget":1,"budg\\u0065t":10000000000}}' % tj,
            # two tokens: whichever the daemon took, the request must be refused
            '{"op":"need.post","token":%s,"tok\\u0065n":%s,"args":{"community":"C1",'
            '"title":"a","category":"service.elderly","budget":1}}' % (tj, aj),
            '{"op":"need.post","token":%s,"args":{"title":"a","category":"service.elderly",'
            '"budget":1},"\\u0061rgs":{"title":"b","category":"service.elderly","budget":2}}' % tj,
            '{"\\u006fp":"need.post","op":"ping","token":%s,"args":{"title":"a",'
            '"category":"service.elderly","budget":1}}' % tj,
        ]
        for l in lines:
            err(c.call_raw(l), refused)
        for key in ("Op", "OP", "Token", "TOKEN", "Args", "ID", "op "):
            env = {"op": "ping"} if key.lower().strip() != "op" else {}
            env[key] = "need.post" if key.lower().strip() == "op" else "x"
            e = err(c.call_raw(json.dumps(env)), "bad_request")
        for key in ("Budget", "TITLE", "Category", "budget ", "\u200bbudget"):
            a = {"title": "a", "category": "service.elderly", "budget": 1, key: 5}
            err(c.call("need.post", a, token=t), "invalid_argument", key)
        err(c.call("Need.Post", {"title": "a"}, token=t), "unknown_op")
        err(c.call("need.post ", {"title": "a"}, token=t), "unknown_op")
        with d.http_client() as h:
            status, b = h.op("need.post", token=t, raw_body=b'{"title":"a","category":'
                             b'"service.elderly","budget":1,"budg\\u0065t":2}')
            assert status == 400, (status, b)
            err(b, "invalid_argument", "budget")
            status, b = h.op("Need.Post", {"title": "a"}, token=t)
            assert status == 404, (status, b)
            err(b, "unknown_op")
        assert _needs(d, t) == [], "a request with duplicate or case-variant keys was stored"


def test_nul_and_invalid_utf8_everywhere():
    with Daemon() as d:
        t = d.community("C1")
        c = d.native()
        tb = t.encode()
        good = b'{"op":"need.post","token":"%s","args":{"title":"T","category":"service.elderly","budget":1}}' % tb
        bad = [
            good.replace(b'"T"', b'"a\x00b"'),                    # raw NUL in a string
            good.replace(b'"T"', b'"a\\u0000b"'),                 # escaped NUL
            good.replace(b'"title"', b'"ti\\u0000tle"'),          # NUL in a key
            good + b"\x00",                                       # NUL after the value
            b"\x00" + good,                                       # NUL before it
            good.replace(b'"T"', b'"\xc0\xae"'),                  # overlong
            good.replace(b'"T"', b'"\xe0\x80\xaf"'),              # overlong, 3 bytes
            good.replace(b'"T"', b'"\xf8\x88\x80\x80\x80"'),      # 5-byte form
            good.replace(b'"T"', b'"\xf4\x90\x80\x80"'),          # past U+10FFFF
            good.replace(b'"T"', b'"\x80"'),                      # lone continuation
            good.replace(b'"T"', b'"\xed\xbf\xbf"'),              # encoded low surrogate
            good.replace(b'"title"', b'"tit\xfele"'),             # in a key
            good.replace(tb, tb[:10] + b"\xff" + tb[11:]),        # in the token
            good[:-3] + b"\xe4\xb8",                              # truncated at the end
            b"\xef\xbb\xbf" + good,                               # a BOM is not JSON
            good.replace(b'"T"', b'"\\ud800x"'),                  # lone surrogate escape
        ]
        for line in bad:
            r = c.call_raw(line)
            err(r, "parse_error")
            assert ok(c.call("ping"))["pong"], "connection unusable after %r" % line[:60]
        assert _needs(d, t) == [], "a request with NUL or invalid UTF-8 was stored"
        with d.http_client() as h:
            for body in (b'{"title":"\xc0\xae","category":"service.elderly","budget":1}',
                         b'{"title":"a\x00","category":"service.elderly","budget":1}',
                         b'{"title":"a\\u0000","category":"service.elderly","budget":1}'):
                status, b = h.op("need.post", token=t, raw_body=body)
                assert status == 400, (status, body, b)
                err(b, "parse_error")
        # NUL in an HTTP head: refused, never taken as the end of a header
        resp = _raw_http(d.http_port, b"POST /v1/op/need.post HTTP/1.1\r\nHost: x\r\n"
                         b"Authorization: Bearer " + tb + b"\x00junk\r\nContent-Length: 2\r\n\r\n{}")
        assert resp.startswith(b"HTTP/1.1 400"), resp[:200]
        resp = _raw_http(d.http_port, b"POST /v1/op/need.post\x00 HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Length: 2\r\n\r\n{}")
        assert resp.startswith(b"HTTP/1.1 4"), resp[:200]
        assert _needs(d, t) == [] and d.running()


def test_huge_and_tiny_numbers():
    with Daemon() as d:
        t = d.community("C1")
        o = d.org(ORG1)
        c = d.native()
        n1 = d.post_need(t)
        bad_args = [
            ("need.post", t, '{"title":"a","category":"service.elderly","budget":-1e400}', "budget"),
            ("need.post", t, '{"title":"a","category":"service.elderly","budget":1e-400}', "budget"),
            ("need.post", t, '{"title":"a","category":"service.elderly","budget":1E400}', "budget"),
            ("need.post", t, '{"title":"a","category":"service.elderly","budget":1,'
                             '"beneficiaries":1e400}', "beneficiaries"),
            ("offer.post", o, '{"title":"a","category":"service.elderly","price":1e400}', "price"),
            ("offer.post", o, '{"title":"a","category":"service.elderly","price":1,'
                              '"capacity":1e400}', "capacity"),
            ("community.create", d.admin, '{"code":"X1","name":"x","street":"s","cap":1e400}', "cap"),
            ("need.get", t, '{"id":1e400}', "id"),
            ("need.get", t, '{"id":-1e400}', "id"),
            ("need.list", t, '{"limit":1e400}', "limit"),
            ("need.list", t, '{"after":1e400}', "after"),
            ("fair.get", t, '{"id":1e400}', "id"),
        ]
        for op, tok, args, field in bad_args:
            line = '{"op":%s,"token":%s,"args":%s}' % (json.dumps(op), json.dumps(tok), args)
            err(c.call_raw(line), "invalid_argument", field)
        # ids that wrap around 2^32 or 2^64 to need 1 must never reach it
        for big in (2 ** 32 + n1["id"], 2 ** 64 + n1["id"], 2 ** 63, -(2 ** 64) + n1["id"],
                    2 ** 53 + 1):
            r = c.call_raw('{"op":"need.get","token":%s,"args":{"id":%d}}' % (json.dumps(t), big))
            assert not r.get("ok"), "need.get id %d answered need %r" % (big, r.get("result"))
            err(r, ("invalid_argument", "not_found"))
            r = c.call_raw('{"op":"need.withdraw","token":%s,"args":{"id":%d}}' % (json.dumps(t), big))
            err(r, ("invalid_argument", "not_found"))
        assert ok(d.call("need.get", {"id": n1["id"]}, token=t))["need"]["status"] == "open"
        # the envelope id is echoed as written, and the answer is still one JSON line
        for lit in (b"1e400", b"-1e400", b"1e-400"):
            c.send_raw(b'{"op":"ping","id":' + lit + b'}\n')
            line = c.read_line()
            assert line.startswith(b'{"id":' + lit + b','), line[:100]
        assert len(_needs(d, t)) == 1


def test_long_http_head_and_long_number_literals():
    with Daemon() as d:
        t = d.community("C1")
        # a head over 16 KiB: 413, never read as a request
        pad = b"X-Pad: " + b"a" * 17000 + b"\r\n"
        resp = _raw_http(d.http_port, b"POST /v1/op/need.post HTTP/1.1\r\nHost: x\r\n" + pad +
                         b"Authorization: Bearer " + t.encode() +
                         b"\r\nContent-Length: 55\r\n\r\n"
                         b'{"title":"a","category":"service.elderly","budget":1} ')
        assert resp.startswith(b"HTTP/1.1 413"), resp[:200]
        # many small headers adding up past 16 KiB
        many = b"".join(b"X-H%d: %s\r\n" % (i, b"b" * 100) for i in range(200))
        resp = _raw_http(d.http_port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
        assert resp.startswith(b"HTTP/1.1 413"), resp[:200]
        # number literals: 63 characters pass the parser, 64 do not
        c = d.native()
        for lit, code in ((b"1" * 63, "invalid_argument"), (b"1" * 64, "parse_error"),
                          (b"0." + b"0" * 60 + b"1", "invalid_argument"),
                          (b"1" + b"0" * 5000, "parse_error"),
                          (b"1e" + b"9" * 1000, "parse_error")):
            line = (b'{"op":"need.post","token":"%s","args":{"title":"a","category":'
                    b'"service.elderly","budget":%s}}' % (t.encode(), lit))
            err(c.call_raw(line), code)
        assert _needs(d, t) == []


def test_huge_arrays_refused_quickly():
    with Daemon() as d:
        t = d.community("C1")
        d.community("C2")
        o = d.org(ORG1)
        organizer = d.organizer("街道办", STREET_A)[1]
        fair = ok(d.call("fair.create", {"name": "f", "date": "%d-06-01" % YEAR}, token=organizer))["fair"]
        c = d.native()
        probe = d.native()
        cases = [
            ("need.post", t, {"title": "a", "category": "service.elderly", "budget": 1,
                              "partners": ["C2"] * 100000}, "invalid_argument", "partners"),
            ("need.post", t, {"title": "a", "category": "service.elderly", "budget": 1,
                              "partners": ["P%d" % i for i in range(100000)]},
             "invalid_argument", "partners"),
            ("offer.post", o, {"title": "a", "category": "service.elderly", "price": 1,
                               "streets": ["s%d" % i for i in range(100000)]},
             "invalid_argument", "streets"),
            ("fair.enroll", organizer, {"fair": fair["id"], "needs": list(range(1, 100002))},
             "invalid_argument", "needs"),
            ("need.post", t, {"title": "a", "category": "service.elderly", "budget": 1,
                              "x": [0] * 100000}, "invalid_argument", "x"),
            ("need.list", t, {"status": ["open"] * 100000}, "invalid_argument", "status"),
        ]
        for op, tok, args, code, field in cases:
            line = json.dumps({"op": op, "token": tok, "args": args})
            assert len(line) < 1048576, "case larger than max_request_bytes: %d" % len(line)
            t0 = time.monotonic()
            c.send_raw(line.encode() + b"\n")
            lat = time.monotonic()
            assert ok(probe.call("ping"))["pong"]
            lat = time.monotonic() - lat
            r = c.read_json()
            took = time.monotonic() - t0
            err(r, code, field)
            assert took < 2, "%s with a 100,000-item %s took %.1fs" % (op, field, took)
            assert lat < 2, "a ping waited %.1fs behind a huge array" % lat
        # 100,000 ids that do not exist: the most the spec allows, answered quickly
        t0 = time.monotonic()
        r = c.call("fair.enroll", {"fair": fair["id"], "needs": list(range(10 ** 6, 10 ** 6 + 100000))},
                   token=organizer)
        err(r, "not_found", "needs")
        assert time.monotonic() - t0 < 3, "took %.1fs" % (time.monotonic() - t0)
        # args itself a huge array
        err(c.call_raw(json.dumps({"op": "whoami", "token": t, "args": [1] * 100000})),
            "bad_request")
        assert _needs(d, t) == []
        assert ok(d.call("fair.get", {"id": fair["id"]}, token=t))["fair"]["needs"] == 0


# ---------------------------------------------------------------------------
# slow clients

def _probe_latencies(d, stop, out):
    """Ping over native and HTTP every 0.1 s until stop is set; record latencies."""
    c = Native(d.port)
    try:
        while not stop.is_set():
            t0 = time.monotonic()
            assert ok(c.call("ping"))["pong"]
            with Http(d.http_port) as h:
                status, _ = h.op("ping")
            out.append((time.monotonic() - t0, status))
            time.sleep(0.1)
    except Exception as e:  # reported by the test
        out.append((99.0, repr(e)))
    finally:
        c.close()


def _trickle(port, data, interval, limit):
    """Send data one byte every interval seconds; return the seconds until the peer
    closed (or None if still open after limit seconds) and what it sent back."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    got = b""
    t0 = time.monotonic()
    try:
        i = 0
        while time.monotonic() - t0 < limit:
            if i < len(data):
                try:
                    s.send(data[i:i + 1])
                except (BrokenPipeError, ConnectionResetError):
                    return time.monotonic() - t0, got
                i += 1
            r, _, _ = select.select([s], [], [], interval)
            if r:
                try:
                    chunk = s.recv(65536)
                except ConnectionResetError:
                    chunk = b""
                if not chunk:
                    return time.monotonic() - t0, got
                got += chunk
        return None, got
    finally:
        s.close()


def test_slow_loris_http_heads_cut_others_served():
    with Daemon(conf_overrides={"limits.header_timeout": 2}) as d:
        head = b"POST /v1/op/ping HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 200 + b"\r\n\r\n"
        res = [None] * 10
        stop, lat = threading.Event(), []
        prober = threading.Thread(target=_probe_latencies, args=(d, stop, lat))
        prober.start()

        def loris(k):
            res[k] = _trickle(d.http_port, head, 0.5, 8)
        ths = [threading.Thread(target=loris, args=(k,)) for k in range(10)]
        for th in ths:
            th.start()
        for th in ths:
            th.join(15)
        stop.set()
        prober.join(10)
        for k, (cut, got) in enumerate(res):
            assert cut is not None, "slow-loris %d still connected after 8s (header_timeout 2)" % k
            assert 1.5 <= cut <= 4.0, "slow-loris %d cut after %.1fs, want about 2s" % (k, cut)
            assert b"200 OK" not in got, "a slow-loris head was served: %r" % got[:200]
        assert lat, "the probe never ran"
        worst = max(l for l, _ in lat)
        assert worst < 1.0 and all(s == 200 for _, s in lat), \
            "others were not served during the slow-loris: worst %.2fs %r" % (worst, lat[-3:])


def test_native_one_byte_a_second_cut():
    with Daemon(conf_overrides={"limits.header_timeout": 2}) as d:
        t = d.community("C1")
        stop, lat = threading.Event(), []
        prober = threading.Thread(target=_probe_latencies, args=(d, stop, lat))
        prober.start()
        line = (_post_line(t) + "\n").encode()
        cut, got = _trickle(d.port, line, 1.0, 8)
        stop.set()
        prober.join(10)
        assert cut is not None, "a native client trickling one byte a second stayed " \
                                "connected for 8s (header_timeout 2)"
        assert 1.5 <= cut <= 4.5, "cut after %.1fs, want about 2s" % cut
        assert got == b"", "the trickling client got an answer: %r" % got[:200]
        worst = max(l for l, _ in lat)
        assert worst < 1.0, "others waited %.2fs during the trickle" % worst
        assert _needs(d, t) == [], "a line cut by header_timeout was stored"
        # a client that sends whole lines slowly (one line a second) is not cut
        with d.native() as c:
            for i in range(4):
                assert ok(c.call("ping", id=i))["pong"]
                time.sleep(0.8)


def test_client_that_never_reads_is_cut_memory_bounded():
    # The cut needs several of these requests in one turn: the turn's slice
    # is made 200 ms (limits.turn_slice_ms; 3 by default, which a need.list
    # of 1,000 under ASan outlasts).  Under ThreadSanitizer even 200 ms is
    # one request, so each turn runs one, reading pauses at 256 KiB, and
    # the client is held, not cut.
    if os.environ.get("MATCHD_TSAN") == "1":
        return
    cap = 1 << 20
    # On the loop thread a turn runs 16 pipelined need.list: over the cap at
    # once, so the connection is cut.  (On a reader thread each waits for the
    # one before, and reading stops at 256 KiB unread: it is paused instead,
    # holding one answer: test_readers covers that.)
    with Daemon(conf_overrides={"limits.max_output_bytes": cap,
                                "limits.reader_threads": "0",
                                "limits.turn_slice_ms": "200"}) as d:
        t = d.community("C1")
        d.native().pipeline([json.loads(_post_line(t, title="大%d" % i, description="描述" * 200))
                             for i in range(500)])
        one = len(json.dumps(ok(d.call("need.list", {"limit": 1000}, token=t))).encode())
        assert one > 400000, one
        pid = d.proc.pid
        rss0 = _rss_kib(pid)
        req = (json.dumps({"op": "need.list", "token": t, "args": {"limit": 1000}}) + "\n").encode()
        s = socket.create_connection(("127.0.0.1", d.port), timeout=5)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.setblocking(False)
        payload = req * 2000
        sent, peak = 0, rss0
        deadline = time.monotonic() + 10
        probe = d.native()
        while sent < len(payload) and time.monotonic() < deadline:
            try:
                sent += s.send(payload[sent:sent + 65536])
            except BlockingIOError:
                time.sleep(0.02)
            except (BrokenPipeError, ConnectionResetError):
                break
            peak = max(peak, _rss_kib(pid))
            if peak > rss0 + 512 * 1024:
                d.kill9()
                raise AssertionError("RSS grew by %d MiB with a client that never reads"
                                     % ((peak - rss0) // 1024))
        # keep not reading for a moment, watching memory, while others are served
        for _ in range(20):
            peak = max(peak, _rss_kib(pid))
            t0 = time.monotonic()
            assert ok(probe.call("ping"))["pong"]
            # Sanitizer and valgrind builds run several times slower.
            assert time.monotonic() - t0 < SLOW * 1.0, "others stalled by the non-reader"
            time.sleep(0.05)
        # now read what is there: the daemon has cut the connection
        s.setblocking(True)
        s.settimeout(5)
        got = 0
        closed = False
        try:
            while got < 64 * cap:
                chunk = s.recv(1 << 20)
                if not chunk:
                    closed = True
                    break
                got += len(chunk)
        except ConnectionResetError:
            closed = True
        except socket.timeout:
            pass
        s.close()
        assert closed, ("a client that never read %d answers of %d bytes was not cut "
                        "(max_output_bytes %d; read %d bytes)" % (2000, one, cap, got))
        assert got < 2000 * one // 10, "read %d bytes before the cut" % got
        # ASan keeps freed memory in quarantine and shadows what it maps.
        assert peak - rss0 < SLOW * 128 * 1024, "RSS grew by %d MiB" % ((peak - rss0) // 1024)
        assert d.running() and ok(probe.call("ping"))["pong"]


# ---------------------------------------------------------------------------
# too many clients, too few descriptors

def test_crowd_past_max_clients_refused_cleanly_and_stores_nothing():
    with Daemon(conf_overrides={"limits.max_clients": 3}) as d:
        t = d.community("C1")
        d._close_clients()              # the harness's cached connection holds a slot
        held = []

        def hold():
            # signed in: a newcomer cannot take its place
            try:
                c = Native(d.port, timeout=2)
                if c.call("whoami", token=t).get("ok"):
                    held.append(c)
                    return True
                c.close()
            except (OSError, AssertionError):
                pass
            return False
        for _ in range(3):
            wait_until(hold, 5, 0.1, "a held connection")
        crowd = []
        for i in range(30):
            c = Native(d.port)
            if i % 2 == 0:
                # pipeline a write before reading anything: it must not be executed.
                # The daemon may already have answered and closed: then the kernel
                # may reset the connection, which is fine too.
                try:
                    c.send_raw((_post_line(t, title="越界%d" % i) + "\n").encode())
                except OSError:
                    pass
            crowd.append(c)
        answered = 0
        for i, c in enumerate(crowd):
            try:
                r = c.read_json(timeout=5)
            except ConnectionClosed:
                assert i % 2 == 0, "refused connection %d closed without its unavailable line" % i
                continue
            err(r, "unavailable")
            answered += 1
            try:
                c.send_raw((_post_line(t, title="越界后%d" % i) + "\n").encode())
                c.expect_closed(5)
            except (OSError, ConnectionClosed):
                pass
            c.close()
        assert answered >= 15, "only %d of 30 refused connections got their line" % answered
        body = json.dumps({"title": "越界", "category": "service.elderly", "budget": 1}).encode()
        resp = _raw_http(d.http_port, b"POST /v1/op/need.post HTTP/1.1\r\nHost: x\r\n"
                         b"Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n%s"
                         % (t.encode(), len(body), body))
        assert resp.startswith(b"HTTP/1.1 503"), "HTTP over max_clients: %r" % resp[:200]
        err(json.loads(resp.split(b"\r\n\r\n", 1)[1]), "unavailable")
        for c in held:
            assert ok(c.call("ping"))["pong"]
        assert ok(held[0].call("need.list", {}, token=t))["items"] == [], \
            "a write sent by a refused connection was stored"
        held.pop().close()

        def served():
            try:
                with Native(d.port, timeout=2) as c:
                    return c.call("ping").get("ok")
            except (OSError, AssertionError):
                return False
        wait_until(served, 5, 0.1, "a new connection to be served once one left")
        for c in held:
            c.close()


class LowFdDaemon(Daemon):
    def __init__(self, nofile, **kw):
        self.nofile = nofile
        super().__init__(**kw)

    def argv(self):
        return ["prlimit", "--nofile=%d:%d" % (self.nofile, self.nofile), "--"] + super().argv()


def test_file_descriptors_exhausted_listener_pauses_and_recovers():
    with LowFdDaemon(64) as d:
        t = d.community("C1")
        served, stuck = [], []
        for i in range(80):
            try:
                c = Native(d.port, timeout=1.5)
            except OSError:
                break
            try:
                c.send({"op": "ping", "id": i})
                r = c.read_json(timeout=1.5)
                if r.get("ok"):
                    served.append(c)
                else:
                    err(r, "unavailable")
                    c.close()
            except (socket.timeout, ConnectionClosed):
                stuck.append(c)
                if len(stuck) >= 3:
                    break
        assert d.running(), "matchd died when descriptors ran out; log:\n%s" % d.log_tail()
        assert stuck, "never ran out of descriptors with RLIMIT_NOFILE 64 (%d served)" % len(served)
        assert len(served) > 20, "only %d connections served under RLIMIT_NOFILE 64" % len(served)
        # the connections already accepted are still served, writes included
        for c in served[:5]:
            assert ok(c.call("ping"))["pong"]
        assert ok(served[0].call("need.post", {"title": "满了", "category": "service.elderly",
                                               "budget": 1}, token=t))["need"]["id"]
        # free some descriptors: the waiting clients and new ones are served again
        for c in served[-10:]:
            c.close()
        del served[-10:]
        for c in stuck:
            r = c.read_json(timeout=5)
            assert ok(r)["pong"], r
        with Native(d.port, timeout=5) as c:
            assert ok(c.call("ping"))["pong"]
        assert "paus" in d.log_tail(200).lower(), "no log line about pausing accept"
        # exhaust them once more: it pauses again, stays alive and recovers again
        more = []
        try:
            for i in range(15):
                more.append(Native(d.port, timeout=2))
            for c in more:
                c.send({"op": "ping"})
            time.sleep(0.5)
            assert d.running()
        finally:
            for c in more:
                c.close()
        with Native(d.port, timeout=5) as c:
            wait_until(lambda: c.call("ping").get("ok"), 5, 0.2, "a ping after the rounds")
        for c in served:
            c.close()
        assert len(_needs(d, t)) == 1
        d.stop()
