"""Audit log: every write and every refusal recorded, never ping, never a token."""

import json
import time

from harness import Daemon, ok, err, ISO_RE, STREET_A

ORG1 = "91440300MA5F000001"


def _audit(d, token=None, limit=1000):
    items, _ = d.list_all("audit.list", token or d.admin, {}, limit=limit)
    return items


def _find(entries, **want):
    return [e for e in entries if all(e.get(k) == v for k, v in want.items())]


def test_audit_entry_fields_for_a_write():
    with Daemon() as d:
        d.community("C1")
        es = _find(_audit(d), op="community.create")
        assert len(es) == 1, es
        e = es[0]
        assert {"id", "time", "role", "code", "op", "object", "outcome"} <= set(e), e
        assert e["role"] == "admin" and e["outcome"] == "ok" and e["object"] == "C1", e
        assert isinstance(e["id"], int) and ISO_RE.match(e["time"]), e


def test_audit_records_need_writes_with_object_id():
    with Daemon() as d:
        t = d.community("C1")
        n = d.post_need(t)
        ok(d.call("need.update", {"id": n["id"], "title": "改"}, token=t))
        ok(d.call("need.withdraw", {"id": n["id"]}, token=t))
        es = _audit(d)
        for op in ("need.post", "need.update", "need.withdraw"):
            m = _find(es, op=op, outcome="ok")
            assert len(m) == 1, (op, es)
            assert m[0]["role"] == "community" and m[0]["code"] == "C1", m[0]
            assert str(m[0]["object"]) == str(n["id"]), m[0]


def test_audit_records_refusals():
    with Daemon() as d:
        a = d.community("C1")
        b = d.community("C2")
        n = d.post_need(a)
        err(d.call("need.update", {"id": n["id"], "title": "x"}, token=b), "forbidden")
        err(d.call("need.post", {"title": "x", "category": "service.elderly", "budget": -1},
                   token=a), "invalid_argument")
        err(d.call("whoami", token="bogus-token"), "unauthenticated")
        err(d.call("need.get", {"id": 987654}, token=a), "not_found")
        err(d.call("community.create", {"code": "C1", "name": "n", "street": STREET_A},
                   token=d.admin), "conflict")
        es = _audit(d)
        f = _find(es, op="need.update", outcome="forbidden")
        assert len(f) == 1 and f[0]["code"] == "C2" and f[0]["role"] == "community", es
        f = _find(es, op="need.post", outcome="invalid_argument")
        assert len(f) == 1 and f[0]["code"] == "C1", es
        f = _find(es, op="whoami", outcome="unauthenticated")
        assert len(f) == 1 and f[0]["role"] is None, es
        f = _find(es, op="need.get", outcome="not_found")
        assert len(f) == 1 and f[0]["code"] == "C1", es
        f = _find(es, op="community.create", outcome="conflict")
        assert len(f) == 1, es


def test_audit_never_records_ping():
    with Daemon() as d:
        for i in range(5):
            ok(d.call("ping", id=i))
        d.native().pipeline([{"op": "ping", "id": i} for i in range(50)])
        d.community("C1")
        es = _audit(d)
        assert es, "audit log is empty"
        assert not [e for e in es if e.get("op") == "ping"], "ping was audited"


def test_audit_never_contains_a_token():
    with Daemon() as d:
        admin = d.admin
        ct = d.community("C1")
        ot = d.org(ORG1)
        _, gt = d.organizer("街道办")
        new_ct = ok(d.call("token.rotate", token=ct))["token"]
        new_ot = ok(d.call("token.rotate", {"role": "org", "code": ORG1}, token=admin))["token"]
        err(d.call("whoami", token=ct), "unauthenticated")           # the old, dead token
        err(d.call("whoami", token="x" + admin), "unauthenticated")
        d.post_need(new_ct)
        dump = json.dumps(_audit(d), ensure_ascii=False)
        assert "token.rotate" in dump, "token.rotate was not audited"
        for tok in (admin, ct, ot, gt, new_ct, new_ot):
            assert tok not in dump, "a token appears in the audit log"
            assert tok[:16] not in dump, "part of a token appears in the audit log"


def test_audit_list_admin_only():
    with Daemon() as d:
        c = d.community("C1")
        o = d.org(ORG1)
        _, g = d.organizer("街道办", STREET_A)
        for tok in (c, o, g):
            err(d.call("audit.list", {}, token=tok), "forbidden")
        err(d.call("audit.list", {}), "unauthenticated")
        es = _find(_audit(d), op="audit.list", outcome="forbidden")
        assert len(es) == 3, es


def test_audit_pagination_and_order():
    with Daemon() as d:
        for i in range(12):
            d.community("C%d" % i)
        full = _audit(d)
        ids = [e["id"] for e in full]
        assert ids == sorted(ids) and len(set(ids)) == len(ids), ids
        paged, pages = d.list_all("audit.list", d.admin, {}, limit=5)
        # entries may have been added by the listing itself; the prefix must agree
        assert [e["id"] for e in paged][:len(ids)] == ids
        assert len(pages) >= 3
        err(d.call("audit.list", {"limit": 1001}, token=d.admin), "invalid_argument", "limit")


def test_audit_newest_first_with_filters():
    """order desc pages from the newest; op, code and since keep only those entries;
    paging newest first with a filter sees each entry once; bad filters are refused."""
    with Daemon() as d:
        c1 = d.community("C1")
        d.community("C2")
        for i in range(4):
            d.post_need(c1, title="需求%d" % i)
        full = _audit(d)
        r = ok(d.call("audit.list", {"order": "desc", "limit": 3}, token=d.admin))
        ids = [e["id"] for e in r["items"]]
        assert ids == sorted(ids, reverse=True) and ids[0] > full[-1]["id"] - 3, ids
        mine, pages = d.list_all("audit.list", d.admin, {"order": "desc", "op": "need.post",
                                                         "code": "C1"}, limit=3)
        want = [e for e in full if e["op"] == "need.post" and e["code"] == "C1"]
        assert [e["id"] for e in mine] == [e["id"] for e in reversed(want)], (mine, want)
        assert len(mine) == 4 and len(pages) == 2, (len(mine), len(pages))
        created = ok(d.call("audit.list", {"op": "community.create"}, token=d.admin))["items"]
        assert [e["object"] for e in created] == ["C1", "C2"], created
        today = full[-1]["time"][:10]
        assert ok(d.call("audit.list", {"since": today, "op": "community.create"},
                         token=d.admin))["items"] == created
        assert ok(d.call("audit.list", {"since": "2999-01-01"}, token=d.admin))["items"] == []
        for bad, field in (({"order": "up"}, "order"), ({"since": "2026-13-01"}, "since"),
                           ({"code": "a b"}, "code"), ({"op": ""}, "op")):
            err(d.call("audit.list", bad, token=d.admin), "invalid_argument", field)


def test_audit_survives_restart():
    with Daemon() as d:
        d.community("C1")
        d.restart()
        es = _find(_audit(d), op="community.create", object="C1", outcome="ok")
        assert len(es) == 1, es


def test_audit_records_rate_limited_and_unknown_op():
    with Daemon(conf_overrides={"limits.rate_per_token": 3}) as d:
        t = d.community("C1")
        answers = d.native().pipeline([{"op": "whoami", "token": t} for _ in range(10)])
        limited = sum(1 for a in answers if not a["ok"])
        assert limited > 0
        time.sleep(1.2)
        err(d.call("no.such.op", token=t), "unknown_op")
        time.sleep(1.2)
        es = _audit(d)
        rl = _find(es, op="whoami", outcome="rate_limited")
        assert len(rl) == limited, "%d refusals, %d audited" % (limited, len(rl))
        assert _find(es, outcome="unknown_op"), "a refused unknown op was not audited"


def test_audit_records_bad_request_for_a_known_op():
    with Daemon() as d:
        t = d.community("C1")
        err(d.call("need.post", {"title": "t", "category": "service.elderly", "budget": 1},
                   token=t, extra=1), "bad_request")
        err(d.call("need.post", [1], token=t), "bad_request")
        es = _find(_audit(d), op="need.post", outcome="bad_request")
        assert len(es) == 2, "refused need.post requests not audited: %r" % es
