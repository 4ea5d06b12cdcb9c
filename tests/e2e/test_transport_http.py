"""HTTP transport: POST /v1/op/<op>, status codes per error code, odd methods and paths."""

import json
import socket
import time

from harness import Daemon, ok, err, parse_body, STREET_A


def _env(body):
    """An HTTP op answer is the envelope (docs/protocol.md, "Envelope") with id null."""
    assert isinstance(body, dict), body
    assert "id" in body and body["id"] is None, "HTTP answer id must be null: %r" % body
    return body


def test_healthz():
    with Daemon() as d:
        with d.http_client() as h:
            status, headers, data = h.request("GET", "/healthz")
            assert status == 200, (status, data)
            assert parse_body(data) == {"ok": True}, data


def test_ping_and_whoami_over_http():
    with Daemon() as d:
        status, body = d.http_op("ping")
        assert status == 200, (status, body)
        assert ok(_env(body))["pong"] is True
        status, body = d.http_op("whoami", token=d.admin)
        assert status == 200, (status, body)
        assert ok(_env(body))["role"] == "admin"


def test_http_and_native_share_state():
    with Daemon() as d:
        status, body = d.http_op("community.create",
                                 {"code": "H1", "name": "和平社区", "street": STREET_A},
                                 token=d.admin)
        assert status == 200, (status, body)
        tok = ok(body)["token"]
        status, body = d.http_op("need.post", {"title": "HTTP需求", "category": "service.youth",
                                               "budget": 1234.5}, token=tok)
        assert status == 200, (status, body)
        nid = ok(body)["need"]["id"]
        need = ok(d.call("need.get", {"id": nid}, token=tok))["need"]
        assert need["title"] == "HTTP需求" and need["budget"] == 1234.5 and need["community"] == "H1"


def test_400_parse_error():
    with Daemon() as d:
        status, body = d.http_op("whoami", token=d.admin, raw_body=b"{not json")
        assert status == 400, (status, body)
        err(_env(body), "parse_error")
        status, body = d.http_op("whoami", token=d.admin, raw_body=b'{"a":"\xff"}')
        assert status == 400, (status, body)
        err(_env(body), "parse_error")


def test_400_bad_request_args_not_object():
    with Daemon() as d:
        status, body = d.http_op("whoami", token=d.admin, raw_body=b"[1,2]")
        assert status == 400, (status, body)
        err(_env(body), "bad_request")


def test_400_invalid_argument():
    with Daemon() as d:
        t = d.community("C1")
        status, body = d.http_op("need.post", {"title": "x", "category": "service.elderly",
                                               "budget": -1}, token=t)
        assert status == 400, (status, body)
        err(_env(body), "invalid_argument", "budget")
        status, body = d.http_op("whoami", {"bogus": 1}, token=t)
        assert status == 400, (status, body)
        err(body, "invalid_argument", "bogus")


def test_401_unauthenticated():
    with Daemon() as d:
        status, body = d.http_op("whoami")
        assert status == 401, (status, body)
        err(_env(body), "unauthenticated")
        status, body = d.http_op("whoami", token="0" * 64)
        assert status == 401, (status, body)
        err(body, "unauthenticated")
        with d.http_client() as h:
            status, _, data = h.request("POST", "/v1/op/whoami", b"",
                                        {"Authorization": "Basic dXNlcjpwYXNz"})
            assert status == 401, (status, data)


def test_403_forbidden():
    with Daemon() as d:
        t = d.community("C1")
        status, body = d.http_op("community.create",
                                 {"code": "C2", "name": "n", "street": STREET_A}, token=t)
        assert status == 403, (status, body)
        err(_env(body), "forbidden")


def test_404_not_found_and_unknown_op():
    with Daemon() as d:
        status, body = d.http_op("need.get", {"id": 999999}, token=d.admin)
        assert status == 404, (status, body)
        err(_env(body), "not_found")
        status, body = d.http_op("no.such.op", {}, token=d.admin)
        assert status == 404, (status, body)
        err(_env(body), "unknown_op")


def test_404_unknown_path():
    with Daemon() as d:
        with d.http_client() as h:
            for method, path in (("GET", "/nosuch"), ("POST", "/v2/op/ping"),
                                 ("GET", "/v1/nosuch/thing"), ("POST", "/v1/opx/ping")):
                status, _, data = h.request(method, path, b"" if method == "POST" else None)
                assert status == 404, (method, path, status, data)
                err(parse_body(data), "not_found")


def test_409_conflict():
    with Daemon() as d:
        args = {"code": "C1", "name": "n", "street": STREET_A}
        status, body = d.http_op("community.create", args, token=d.admin)
        assert status == 200, (status, body)
        status, body = d.http_op("community.create", args, token=d.admin)
        assert status == 409, (status, body)
        err(_env(body), "conflict")


def test_413_too_large():
    with Daemon(conf_overrides={"limits.max_request_bytes": 1024}) as d:
        t = d.community("C1")
        status, body = d.http_op("need.post", {"title": "大", "category": "service.elderly",
                                               "budget": 5, "description": "z" * 2000}, token=t)
        assert status == 413, (status, body)
        err(body, "too_large")
        assert ok(d.call("need.list", {}, token=t))["items"] == []


def test_429_rate_limited():
    with Daemon(conf_overrides={"limits.rate_per_token": 5}) as d:
        t = d.admin
        statuses = []
        with d.http_client() as h:
            for _ in range(30):
                status, body = h.op("whoami", token=t)
                statuses.append(status)
                if status == 429:
                    err(body, "rate_limited")
        assert 429 in statuses, "30 requests at once, limit 5/s, never 429: %r" % statuses
        assert statuses[0] == 200, statuses


def test_405_other_methods():
    with Daemon() as d:
        with d.http_client() as h:
            status, _, data = h.request("GET", "/v1/op/ping")
            assert status == 405, ("GET /v1/op/ping", status, data)
        for method, path in (("PUT", "/v1/op/ping"), ("DELETE", "/v1/op/ping"),
                             ("DELETE", "/healthz"), ("PUT", "/anything"), ("PATCH", "/v1/op/whoami")):
            with d.http_client() as h:
                status, _, data = h.request(method, path, b"{}")
                assert status == 405, (method, path, status, data)


def test_keep_alive():
    with Daemon() as d:
        with d.http_client() as h:
            h.op("ping")
            sock = h.conn.sock
            assert sock is not None, "connection closed after the first request"
            for i in range(5):
                status, body = h.op("whoami", token=d.admin)
                assert status == 200 and ok(body)["role"] == "admin", (status, body)
                assert h.conn.sock is sock, "request %d needed a new connection" % i
            status, _, data = h.request("GET", "/healthz")
            assert status == 200 and h.conn.sock is sock


def test_pipelined_http_requests_on_one_socket():
    with Daemon() as d:
        s = socket.create_connection(("127.0.0.1", d.http_port), timeout=10)
        req = (b"POST /v1/op/ping HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        s.sendall(req * 3)
        data = b""
        deadline = time.monotonic() + 10
        while data.count(b"HTTP/1.1 200") < 3 and time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        assert data.count(b"HTTP/1.1 200") == 3, data[:1000]


def test_empty_body_means_no_args():
    with Daemon() as d:
        status, body = d.http_op("whoami", token=d.admin, raw_body=b"")
        assert status == 200, (status, body)
        status, body = d.http_op("whoami", token=d.admin, raw_body=b"{}")
        assert status == 200, (status, body)


def test_body_size_boundary():
    with Daemon(conf_overrides={"limits.max_request_bytes": 1024}) as d:
        t = d.community("C1")
        args = {"title": "边界", "category": "service.elderly", "budget": 1, "description": ""}
        pad = 1024 - len(json.dumps(args, ensure_ascii=False).encode())
        args["description"] = "d" * pad
        body = json.dumps(args, ensure_ascii=False).encode()
        assert len(body) == 1024
        status, r = d.http_op("need.post", token=t, raw_body=body)
        assert status == 200, "a body of exactly max_request_bytes: %d %r" % (status, r)
        args["description"] += "d"
        status, r = d.http_op("need.post", args, token=t)
        assert status == 413, (status, r)
        assert len(ok(d.call("need.list", {}, token=t))["items"]) == 1
