"""Native transport: JSON lines framing, pipelining, parse errors, size limit."""

import json
import os
import stat
import threading
import time

from harness import Daemon, Native, ok, err


def test_ping_without_token():
    with Daemon() as d:
        with d.native() as c:
            r = c.call("ping", id=1)
            assert r["id"] == 1, r
            res = ok(r)
            assert res.get("pong") is True, res
            assert isinstance(res.get("version"), str) and res["version"], res


def test_id_echoed_unchanged():
    with Daemon() as d:
        c = d.native()
        assert c.call("ping", id="abc-é")["id"] == "abc-é"
        assert c.call("ping", id=42)["id"] == 42
        assert c.call("ping", id=0)["id"] == 0
        r = c.call("ping")
        assert "id" in r and r["id"] is None, r
        # an error answer echoes the id too
        r = c.call("no.such.op", id="x7")
        assert r["id"] == "x7", r
        err(r, ("unknown_op", "unauthenticated"))


def test_pipeline_2000_answered_in_order():
    with Daemon() as d:
        admin = d.admin
        reqs = []
        for i in range(2000):
            rid = i if i % 2 == 0 else "r%d" % i
            if i % 10 == 3:
                reqs.append({"id": rid, "op": "no.such.op", "token": admin})
            elif i % 7 == 0:
                reqs.append({"id": rid, "op": "whoami", "token": admin})
            else:
                reqs.append({"id": rid, "op": "ping"})
        c = d.native()
        answers = c.pipeline(reqs)
        assert len(answers) == 2000
        for req, ans in zip(reqs, answers):
            assert ans.get("id") == req["id"], "out of order: sent id %r, got %r" % (req["id"], ans)
            if req["op"] == "ping":
                assert ok(ans)["pong"] is True
            elif req["op"] == "whoami":
                assert ok(ans)["role"] == "admin"
            else:
                err(ans, "unknown_op")
        # and the connection still works afterwards
        assert ok(c.call("ping", id="after"))["pong"] is True


def test_pipelined_writes_answered_in_order():
    with Daemon() as d:
        t = d.community("C1")
        reqs = [{"id": i, "op": "need.post", "token": t,
                 "args": {"title": "需求%d" % i, "category": "service.elderly", "budget": 100 + i}}
                for i in range(100)]
        answers = d.native().pipeline(reqs)
        ids = []
        for i, a in enumerate(answers):
            assert a["id"] == i, a
            need = ok(a)["need"]
            assert need["title"] == "需求%d" % i and need["budget"] == 100 + i, need
            ids.append(need["id"])
        assert len(set(ids)) == 100, "duplicate ids handed out: %r" % ids


def test_parse_error_keeps_connection():
    with Daemon() as d:
        c = d.native()
        r = c.call_raw(b"this is not json")
        err(r, "parse_error")
        assert r.get("id") is None, r
        r = c.call_raw(b'{"id": 1, "op": "ping"')          # truncated object
        err(r, "parse_error")
        r = c.call_raw(b'{"id": 2, "op": "ping"} trailing')  # garbage after the object
        err(r, "parse_error")
        assert ok(c.call("ping", id=3))["pong"] is True


def test_invalid_utf8_is_parse_error():
    with Daemon() as d:
        c = d.native()
        r = c.call_raw(b'{"id":"\xff\xfe","op":"ping"}')
        err(r, "parse_error")
        assert r.get("id") is None, r
        r = c.call_raw(b'{"id":1,"op":"ping","x":"\xc3"}')  # truncated 2-byte sequence
        err(r, "parse_error")
        r = c.call_raw(b'{"id":1,"op":"ping","x":"\xed\xa0\x80"}')  # encoded surrogate
        err(r, "parse_error")
        assert ok(c.call("ping", id=9))["pong"] is True


def test_too_large_line_closes_connection_and_stores_nothing():
    with Daemon(conf_overrides={"limits.max_request_bytes": 1024}) as d:
        t = d.community("C1")
        c = d.native()
        line = json.dumps({"id": 5, "op": "need.post", "token": t,
                           "args": {"title": "大请求", "category": "service.elderly",
                                    "budget": 100, "description": "x" * 1500}})
        assert len(line) > 1024
        c.send_raw(line.encode() + b"\n")
        r = c.read_json()
        err(r, "too_large")
        assert r.get("id") is None, r
        c.expect_closed(5)
        page = ok(d.call("need.list", {}, token=t))
        assert page["items"] == [], "an oversized request was stored: %r" % page


def test_line_under_limit_is_served():
    with Daemon(conf_overrides={"limits.max_request_bytes": 1024}) as d:
        t = d.community("C1")
        c = d.native()
        line = json.dumps({"id": 5, "op": "need.post", "token": t,
                           "args": {"title": "小请求", "category": "service.elderly",
                                    "budget": 100, "description": "y" * 700}})
        assert len(line) < 1000
        r = c.call_raw(line.encode())
        assert ok(r)["need"]["description"] == "y" * 700


def _send_quietly(c, data):
    try:
        c.sock.sendall(data)
    except OSError:
        pass


def test_too_large_default_limit_one_mib():
    with Daemon() as d:
        c = d.native()
        big = b'{"id":1,"op":"ping","pad":"' + b"a" * (1024 * 1024 + 50) + b'"}\n'
        # Write from a thread: the daemon may stop reading once it sees the line is
        # too long, and the answer must still arrive.
        t = threading.Thread(target=_send_quietly, args=(c, big), daemon=True)
        t.start()
        r = c.read_json()
        t.join(10)
        err(r, "too_large")
        c.expect_closed(5)
        # the daemon is fine
        with d.native() as c2:
            assert ok(c2.call("ping"))["pong"] is True


def test_empty_lines_ignored():
    with Daemon() as d:
        c = d.native()
        c.send_raw(b'\n\n{"id":1,"op":"ping"}\n\n\r\n\n{"id":2,"op":"ping"}\n\n')
        assert c.read_json()["id"] == 1
        assert c.read_json()["id"] == 2
        # no answer was produced for the empty lines: the next answer is for id 3
        r = c.call("ping", id=3)
        assert r["id"] == 3, "an empty line produced an answer: %r" % r


def test_crlf_accepted():
    with Daemon() as d:
        c = d.native()
        c.send_raw(b'{"id":1,"op":"ping"}\r\n{"id":2,"op":"whoami","token":"' +
                   d.admin.encode() + b'"}\r\n')
        assert ok(c.read_json())["pong"] is True
        r = c.read_json()
        assert r["id"] == 2 and ok(r)["role"] == "admin", r


def test_request_split_across_writes():
    with Daemon() as d:
        c = d.native()
        for part in (b'{"id":', b'77,"op"', b':"pi', b'ng"}', b'\n'):
            c.send_raw(part)
            time.sleep(0.05)
        r = c.read_json()
        assert r["id"] == 77 and ok(r)["pong"] is True, r


def test_each_answer_is_one_line():
    with Daemon() as d:
        t = d.community("C1")
        c = d.native()
        c.send({"id": 1, "op": "need.post", "token": t,
                "args": {"title": "多行描述", "category": "service.elderly", "budget": 10,
                         "description": "第一行\n第二行\n\t缩进"}})
        c.send({"id": 2, "op": "ping"})
        a = c.read_json()
        assert ok(a)["need"]["description"] == "第一行\n第二行\n\t缩进"
        b = c.read_json()
        assert b["id"] == 2, "the answer spanned more than one line: %r" % b


def test_many_connections_at_once():
    with Daemon() as d:
        conns = [d.native() for _ in range(20)]
        for i, c in enumerate(conns):
            c.send({"id": i, "op": "ping"})
        for i, c in enumerate(conns):
            assert c.read_json()["id"] == i


def test_unix_socket():
    with Daemon(start=False) as d:
        path = os.path.join(d.tmp, "matchd.sock")
        d.extra_args += ["-S", path]
        d.start()
        st = os.stat(path)
        assert stat.S_ISSOCK(st.st_mode), "not a socket: %o" % st.st_mode
        assert stat.S_IMODE(st.st_mode) == 0o660, "socket mode %o, want 660" % stat.S_IMODE(st.st_mode)
        with Native(unix=path) as c:
            assert ok(c.call("ping", id=1))["pong"] is True
            assert ok(c.call("whoami", token=d.admin))["role"] == "admin"


def test_too_large_without_newline_is_not_buffered_forever():
    with Daemon(conf_overrides={"limits.max_request_bytes": 1024}) as d:
        c = d.native()
        c.send_raw(b'{"op":"ping","pad":"' + b"a" * 3000)       # no newline, ever
        err(c.read_json(timeout=5), "too_large")
        c.expect_closed(5)
        assert ok(d.call("ping"))["pong"]
