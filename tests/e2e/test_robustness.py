"""Hostile and unusual clients: nesting, slow readers, half-closed sockets, boundaries,
connection churn, races between connections, shutdown with writes in flight."""

import json
import signal
import socket
import threading
import time

from harness import Daemon, Http, Native, ok, err, ConnectionClosed

REFUSED = ("parse_error", "bad_request", "invalid_argument")


def _rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_deep_nesting_refused_daemon_survives():
    with Daemon() as d:
        t = d.community("C1")
        c = d.native()
        depth = 100000
        line = ('{"op":"need.post","token":%s,"args":{"title":%s%s,"category":"service.elderly",'
                '"budget":1}}' % (json.dumps(t), "[" * depth, "]" * depth))
        r = c.call_raw(line)
        err(r, REFUSED)
        line = '{"op":"ping","id":' + '{"a":' * depth + '1' + '}' * depth + '}'
        err(c.call_raw(line), REFUSED)
        assert ok(c.call("ping"))["pong"], "connection unusable after a deeply nested request"
        with d.native() as c2:
            assert ok(c2.call("ping"))["pong"]
        assert ok(d.call("need.list", {}, token=t))["items"] == []


def test_id_echo_extremes():
    with Daemon() as d:
        c = d.native()
        for rid in (-7, 1.5, 0.1, 1e300, "", "长" * 300, "a\"b\\c\n"):
            r = c.call("ping", id=rid)
            assert r["id"] == rid and type(r["id"]) is type(rid), (rid, r["id"])


def test_id_echo_large_integers():
    with Daemon() as d:
        c = d.native()
        # every integer up to 2^53 is exact in a double: it must come back unchanged
        for rid in (2 ** 31, 2 ** 32 + 1, 10 ** 15 + 7, 2 ** 53 - 1, 2 ** 53):
            r = c.call_raw(('{"op":"ping","id":%d}' % rid).encode())
            assert r["id"] == rid, "id %d came back as %r" % (rid, r["id"])


def test_half_closed_client_still_answered():
    with Daemon() as d:
        s = socket.create_connection(("127.0.0.1", d.port), timeout=10)
        s.sendall(b'{"id":1,"op":"ping"}\n{"id":2,"op":"ping"}\n{"id":3,"op":"ping"}\n')
        s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        ids = [json.loads(l)["id"] for l in data.splitlines() if l.strip()]
        assert ids == [1, 2, 3], "answers after the client's half-close: %r" % data[:300]


def test_line_length_boundary():
    with Daemon(conf_overrides={"limits.max_request_bytes": 1024}) as d:
        t = d.community("C1")
        base = {"op": "need.post", "token": t,
                "args": {"title": "边界", "category": "service.elderly", "budget": 1,
                         "description": ""}}
        pad = 1024 - len(json.dumps(base, ensure_ascii=False).encode())
        base["args"]["description"] = "d" * pad
        line = json.dumps(base, ensure_ascii=False).encode()
        assert len(line) == 1024
        c = d.native()
        assert ok(c.call_raw(line))["need"]["description"] == "d" * pad, \
            "a line of exactly max_request_bytes was refused"
        # with \r\n the line content is still 1024 bytes
        c.send_raw(line + b"\r\n")
        assert ok(c.read_json())
        base["args"]["description"] = "d" * (pad + 1)
        err(c.call_raw(json.dumps(base, ensure_ascii=False).encode()), "too_large")
        c.expect_closed(5)
        items, _ = d.list_all("need.list", t, {}, limit=1000)
        assert len(items) == 2, "want the two exact-size needs, got %d" % len(items)


def test_many_small_requests_beyond_limit_in_total():
    with Daemon(conf_overrides={"limits.max_request_bytes": 4096}) as d:
        t = d.community("C1")
        reqs = [{"id": i, "op": "need.post", "token": t,
                 "args": {"title": "总量%d" % i, "category": "service.culture", "budget": 1,
                          "description": "字" * 300}} for i in range(400)]
        total = sum(len(json.dumps(r, ensure_ascii=False).encode()) for r in reqs)
        assert total > 100 * 4096
        answers = d.native().pipeline(reqs)
        bad = [a for a in answers if not a["ok"]]
        assert not bad, "small requests refused because the total passed the line limit: %r" % bad[:2]


def test_connection_slots_released():
    with Daemon(conf_overrides={"limits.max_clients": 3}) as d:
        time.sleep(0.2)
        for i in range(150):
            with Native(d.port) as c:
                r = c.call("ping", id=i)
                if not r.get("ok"):
                    time.sleep(0.2)          # the previous close may not be seen yet
                    with Native(d.port) as c2:
                        r = c2.call("ping", id=i)
                assert ok(r)["pong"], "connection %d refused: slots leak (%r)" % (i, r)
        for i in range(30):
            with Http(d.http_port) as h:
                status, body = h.op("ping")
                if status == 503:
                    time.sleep(0.2)
                    with Http(d.http_port) as h2:
                        status, body = h2.op("ping")
                assert status == 200, "HTTP connection %d refused: slots leak" % i
        time.sleep(0.3)
        conns = [Native(d.port) for _ in range(3)]
        try:
            for c in conns:
                assert ok(c.call("ping"))["pong"], "3 clients refused with max_clients=3"
        finally:
            for c in conns:
                c.close()


def test_slow_reader_does_not_stall_others():
    with Daemon() as d:
        t = d.community("C1")
        d.native().pipeline([{"op": "need.post", "token": t,
                              "args": {"title": "大列表%d" % i, "category": "service.elderly",
                                       "budget": 1, "description": "描述" * 100}}
                             for i in range(200)])
        hog = socket.create_connection(("127.0.0.1", d.port), timeout=10)
        hog.setblocking(False)
        req = (json.dumps({"op": "need.list", "token": t, "args": {"limit": 200}}) + "\n").encode()
        stop = time.monotonic() + 4
        worst = 0.0
        probe = d.native()
        sent = 0
        while time.monotonic() < stop:
            try:
                sent += hog.send(req * 50)
            except BlockingIOError:
                pass
            except OSError:
                break                       # the daemon dropped the hog: fine
            t0 = time.monotonic()
            assert ok(probe.call("ping", id=sent))["pong"]
            worst = max(worst, time.monotonic() - t0)
            time.sleep(0.05)
        rss = _rss_kib(d.proc.pid)
        hog.close()
        assert worst < 2.0, "a client that never reads stalled another for %.1fs" % worst
        assert rss < 1024 * 1024, "daemon RSS %d MiB with one slow reader" % (rss // 1024)
        assert ok(probe.call("ping"))["pong"]


def test_same_ref_from_two_connections_at_once():
    with Daemon() as d:
        t = d.community("C1")
        c1, c2 = d.native(), d.native()
        reqs = [{"id": i, "op": "need.post", "token": t,
                 "args": {"title": "并发", "category": "service.elderly", "budget": 5,
                          "ref": "race-%d" % (i % 10)}} for i in range(100)]
        out = {}
        th = threading.Thread(target=lambda: out.setdefault("a", c1.pipeline(reqs)))
        th.start()
        b = c2.pipeline(reqs)
        th.join(20)
        a = out["a"]
        by_ref = {}
        for r in a + b:
            n = ok(r)["need"]
            by_ref.setdefault(n["ref"], set()).add(n["id"])
        assert all(len(v) == 1 for v in by_ref.values()), "one ref, several needs: %r" % by_ref
        items, _ = d.list_all("need.list", t, {}, limit=1000)
        assert len(items) == 10, "%d needs for 10 refs" % len(items)


def test_concurrent_writers_then_kill9():
    with Daemon() as d:
        toks = [d.community("C%d" % i) for i in range(4)]
        results = {}

        def writer(k):
            c = Native(d.port)
            try:
                results[k] = c.pipeline([{"id": i, "op": "need.post", "token": toks[k],
                                          "args": {"title": "并%d-%d" % (k, i),
                                                   "category": "goods.supplies", "budget": i + 1}}
                                         for i in range(100)])
            finally:
                c.close()
        ths = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
        for th in ths:
            th.start()
        for th in ths:
            th.join(30)
        d.kill9()
        acked = [ok(r)["need"] for k in range(4) for r in results[k]]
        assert len(acked) == 400
        d.start()
        items, _ = d.list_all("need.list", toks[0], {}, limit=1000)
        have = {i["id"]: i for i in items}
        for n in acked:
            assert n["id"] in have, "acknowledged need %d lost after kill -9" % n["id"]
            assert have[n["id"]]["title"] == n["title"]


def test_sigterm_with_writes_in_flight():
    with Daemon() as d:
        t = d.community("C1")
        c = d.native()
        payload = b"".join(json.dumps({"id": i, "op": "need.post", "token": t,
                                       "args": {"title": "停机%d" % i, "category": "service.legal",
                                                "budget": 7}}).encode() + b"\n"
                           for i in range(300))
        c.send_raw(payload)
        time.sleep(0.05)
        d.proc.send_signal(signal.SIGTERM)
        acked = []
        try:
            while True:
                r = c.read_json(timeout=10)
                if r.get("ok"):
                    acked.append(r["result"]["need"]["id"])
        except (ConnectionClosed, OSError):
            pass
        rc = d.wait(10)
        assert rc == 0, "exit %r" % rc
        d.start()
        items, _ = d.list_all("need.list", t, {}, limit=1000)
        have = {i["id"] for i in items}
        missing = [i for i in acked if i not in have]
        assert not missing, "%d acknowledged needs lost after SIGTERM" % len(missing)


def test_http_chunked_body_never_misread():
    """Chunked bodies are either understood or refused cleanly: never taken as a
    body-less request followed by garbage (request smuggling)."""
    with Daemon() as d:
        s = socket.create_connection(("127.0.0.1", d.http_port), timeout=10)
        body = json.dumps({"title": "分块", "category": "service.youth", "budget": 3}).encode()
        t = d.community("C1")
        head = ("POST /v1/op/need.post HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" % t).encode()
        chunks = b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (10, body[:10], len(body) - 10, body[10:])
        s.sendall(head + chunks)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        items = ok(d.call("need.list", {}, token=t))["items"]
        assert data.count(b"HTTP/1.1 ") == 1, "one request, several answers: %r" % data[:600]
        if data.startswith(b"HTTP/1.1 200"):
            assert [i["title"] for i in items] == ["分块"], items
        else:
            status = int(data[9:12])
            assert status in (400, 411, 501), data[:300]
            assert items == [], items


def test_http_connection_close_honoured():
    with Daemon() as d:
        s = socket.create_connection(("127.0.0.1", d.http_port), timeout=10)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        t0 = time.monotonic()
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        assert data.startswith(b"HTTP/1.1 200") and time.monotonic() - t0 < 5, data[:200]


def test_http_head_is_405():
    with Daemon() as d:
        with Http(d.http_port) as h:
            status, _, _ = h.request("HEAD", "/healthz")
            assert status == 405, "HEAD /healthz: %d (methods other than GET and POST get 405)" % status


def test_garbage_on_http_port():
    with Daemon() as d:
        s = socket.create_connection(("127.0.0.1", d.http_port), timeout=10)
        s.sendall(b"\x00\x01\x02 garbage \xff\xfe\r\n\r\n")
        s.settimeout(5)
        try:
            while s.recv(65536):
                pass
        except (socket.timeout, ConnectionResetError):
            pass
        s.close()
        assert d.running()
        status, _ = d.http_op("ping")
        assert status == 200


def test_json_on_http_port_and_http_on_native_port():
    with Daemon() as d:
        with Native(d.port) as c:
            c.send_raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            r = c.read_json()
            err(r, "parse_error")
        assert d.running()
        assert ok(d.call("ping"))["pong"]
