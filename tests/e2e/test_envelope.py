"""Envelope rules (docs/protocol.md, "Envelope"): shapes, types, unknown keys, duplicates,
tokens."""

import json

from harness import Daemon, ok, err

REFUSED = ("bad_request", "invalid_argument", "parse_error")


def _need_count(d, token):
    items, _ = d.list_all("need.list", token, {}, limit=1000)
    return len(items)


def test_not_an_object_is_bad_request():
    with Daemon() as d:
        c = d.native()
        for raw in (b"[]", b'[{"op":"ping"}]', b'"ping"', b"42", b"null", b"true"):
            r = c.call_raw(raw)
            err(r, "bad_request")
            assert r.get("id") is None, (raw, r)
        assert ok(c.call("ping"))["pong"] is True


def test_missing_op_is_bad_request():
    with Daemon() as d:
        r = d.call(None, id=1)
        err(r, "bad_request")
        assert r["id"] == 1, "the id of a bad_request must be echoed: %r" % r
        r = d.native().call_raw(b"{}")
        err(r, "bad_request")


def test_wrong_envelope_types_are_bad_request():
    with Daemon() as d:
        admin = d.admin
        c = d.native()
        cases = [
            {"op": 5},
            {"op": None},
            {"op": ["whoami"]},
            {"op": "whoami", "token": 5},
            {"op": "whoami", "token": ["x"]},
            {"op": "whoami", "token": admin, "args": [1]},
            {"op": "whoami", "token": admin, "args": "x"},
            {"op": "ping", "id": [1]},
            {"op": "ping", "id": {"a": 1}},
            {"op": "ping", "id": True},
        ]
        for env in cases:
            r = c.call_raw(json.dumps(env))
            err(r, "bad_request")
        assert ok(c.call("ping"))["pong"] is True


def test_unknown_envelope_key_is_bad_request():
    with Daemon() as d:
        r = d.call("ping", id=3, extra=1)
        err(r, "bad_request")
        assert r["id"] == 3, r
        r = d.call("whoami", token=d.admin, Token="x")
        err(r, "bad_request")


def test_unknown_op():
    with Daemon() as d:
        err(d.call("no.such.op", token=d.admin), "unknown_op")
        err(d.call("Ping", token=d.admin), "unknown_op")
        err(d.call("", token=d.admin), ("unknown_op", "bad_request"))


def test_missing_or_unknown_token_is_unauthenticated():
    with Daemon() as d:
        d.admin  # make sure an admin exists
        err(d.call("whoami"), "unauthenticated")
        err(d.call("whoami", token=""), "unauthenticated")
        err(d.call("whoami", token="not-a-token"), "unauthenticated")
        err(d.call("whoami", token=d.admin + "x"), "unauthenticated")
        err(d.call("need.list", {}), "unauthenticated")
        assert ok(d.call("whoami", token=d.admin))["role"] == "admin"


def test_args_may_be_omitted():
    with Daemon() as d:
        assert ok(d.call("whoami", token=d.admin))["role"] == "admin"
        assert ok(d.call("whoami", {}, token=d.admin))["role"] == "admin"
        # need.list with no args lists everything
        assert ok(d.call("need.list", token=d.admin))["items"] == []


def test_unknown_args_key_is_invalid_argument_and_not_stored():
    with Daemon() as d:
        t = d.community("C1")
        r = d.call("need.post", {"title": "t", "category": "service.elderly", "budget": 10,
                                 "budgett": 10}, token=t)
        err(r, "invalid_argument", "budgett")
        r = d.call("need.post", {"title": "t", "category": "service.elderly", "budget": 10,
                                 "Title": "x"}, token=t)
        err(r, "invalid_argument", "Title")
        assert _need_count(d, t) == 0
        err(d.call("whoami", {"verbose": True}, token=t), "invalid_argument", "verbose")
        err(d.call("need.list", {"sort": "id"}, token=t), "invalid_argument", "sort")


def test_duplicate_keys_refused_and_not_stored():
    with Daemon() as d:
        t = d.community("C1")
        c = d.native()
        tj = json.dumps(t)
        lines = [
            '{"op":"need.post","token":%s,"args":{"title":"a","title":"b",'
            '"category":"service.elderly","budget":100}}' % tj,
            '{"op":"need.post","token":%s,"args":{"title":"a","category":"service.elderly",'
            '"budget":100,"budget":200}}' % tj,
            '{"op":"need.post","op":"need.post","token":%s,"args":{"title":"a",'
            '"category":"service.elderly","budget":100}}' % tj,
            '{"op":"need.post","token":%s,"token":%s,"args":{"title":"a",'
            '"category":"service.elderly","budget":100}}' % (tj, tj),
            '{"op":"need.post","token":%s,"args":{"title":"a","category":"service.elderly",'
            '"budget":100,"window":{"from":"2026-03-01","from":"2026-04-01","to":"2026-06-30"}}}' % tj,
        ]
        for line in lines:
            r = c.call_raw(line)
            err(r, REFUSED)
        r = c.call_raw('{"op":"ping","op":"ping"}')
        err(r, REFUSED)
        assert _need_count(d, t) == 0, "a request with duplicate keys was stored"


def test_nan_and_infinity_are_parse_errors():
    with Daemon() as d:
        t = d.community("C1")
        c = d.native()
        tj = json.dumps(t)
        for lit in ("NaN", "Infinity", "-Infinity", "nan", "inf"):
            r = c.call_raw('{"op":"need.post","token":%s,"args":{"title":"a",'
                           '"category":"service.elderly","budget":%s}}' % (tj, lit))
            err(r, "parse_error")
        assert ok(c.call("ping"))["pong"] is True
        assert _need_count(d, t) == 0


def test_error_shape():
    with Daemon() as d:
        t = d.community("C1")
        r = d.call("need.post", {"title": "t", "category": "service.elderly", "budget": 0},
                   token=t, id="e1")
        assert set(r) == {"id", "ok", "error"}, r
        assert r["id"] == "e1" and r["ok"] is False
        e = err(r, "invalid_argument", "budget")
        assert set(e) == {"code", "message", "field", "reason"}, e
        # without a reason of its own, an error's reason is its code
        assert e["reason"] == "invalid_argument", e
        # an error not about one argument carries no field
        e = err(d.call("whoami", token="nope"), "unauthenticated")
        assert "field" not in e or e["field"] is None, e
        assert e["reason"] == "unauthenticated", e
        # the schema names unknown and missing arguments
        e = err(d.call("need.post", {"titel": "t"}, token=t), "invalid_argument", "titel")
        assert e["reason"] == "unknown_argument", e
        e = err(d.call("need.post", {"category": "service.elderly", "budget": 1}, token=t),
                "invalid_argument", "title")
        assert e["reason"] == "missing_argument", e
        # engineering is allowed from the positive list only
        e = err(d.call("need.post", {"title": "t", "category": "engineering.lighting",
                                     "budget": 1}, token=t), "invalid_argument", "category")
        assert e["reason"] == "engineering_not_listed", e
        r = d.call("ping", id=9)
        assert set(r) == {"id", "ok", "result"}, r
