"""The life of a fair after its first run: match.respond (accept, decline, confirm and
every refusal), rematching around confirmed and declined pairs, fair.schedule and
fair.meetings (no double booking, the table bound, exactly L slots, truncation),
fair.close.  The full life runs through both transports."""

import math

from harness import Daemon, ok, err, STREET_A, STREET_B
from test_fairs import (_fair, _enroll, _run, _matches, _pairs, _by_id,
                        T_NEED, T_OFFER, ORG1, ORG2, ORG3, ORG4, DATE)

HTTP_STATUS = {"invalid_argument": 400, "bad_request": 400, "unauthenticated": 401,
               "forbidden": 403, "not_found": 404, "conflict": 409}

MEETING_FIELDS = {"id", "fair", "need", "offer", "community", "org", "score", "matched",
                  "table", "slot", "start", "need_title", "offer_title",
                  "community_name", "org_name"}


class Via:
    """The same calls over the native transport or HTTP POST /v1/op/<op>; over HTTP the
    status must agree with the envelope (200 for ok, docs/protocol.md's table for errors)."""

    def __init__(self, d, http):
        self.d, self.http = d, http

    def call(self, op, args, token):
        if not self.http:
            return self.d.call(op, args, token=token)
        st, body = self.d.http_op(op, args, token=token)
        if body.get("ok") is True:
            assert st == 200, "HTTP %s %r: status %d for an ok answer" % (op, args, st)
        else:
            code = (body.get("error") or {}).get("code")
            assert st == HTTP_STATUS.get(code, st), "HTTP %s %r: status %d for error %s" % (
                op, args, st, code)
        return body

    def ok(self, op, args, token):
        return ok(self.call(op, args, token))


def _respond(d, token, mid, decision):
    return d.call("match.respond", {"match": mid, "decision": decision}, token=token)


def _need(d, nid):
    return ok(d.call("need.get", {"id": nid}, token=d.admin))["need"]


def _offer(d, oid):
    return ok(d.call("offer.get", {"id": oid}, token=d.admin))["offer"]


def _hhmm(minutes):
    return "%02d:%02d" % (minutes // 60, minutes % 60)


def check_schedule(fair, res, tables=None):
    """Every property of a schedule that needs no knowledge of the scores:
    fields, no party twice in a slot, no slot over the table count, distinct
    (slot, table) places, start times, and slots_used == L when nothing is left out."""
    tables = tables or fair["tables"]
    assert set(res) >= {"slots_used", "meetings", "unscheduled"}, res
    mt, un = res["meetings"], res["unscheduled"]
    for m in mt + un:
        assert MEETING_FIELDS <= set(m), "meeting lacks %r: %r" % (MEETING_FIELDS - set(m), m)
        assert m["fair"] == fair["id"] and isinstance(m["matched"], bool), m
    for m in un:
        assert m["table"] is None and m["slot"] is None, "unscheduled with a place: %r" % m
    places, busy = set(), set()
    h, mi = fair["start"].split(":")
    start = int(h) * 60 + int(mi)
    for m in mt:
        assert 1 <= m["table"] <= tables, "table out of range: %r" % m
        assert 1 <= m["slot"] <= res["slots_used"] <= fair["slots"], (
            "slot %r outside 1..slots_used=%r (fair slots %r)" % (m["slot"], res["slots_used"],
                                                                   fair["slots"]))
        assert (m["slot"], m["table"]) not in places, "two meetings at slot %d table %d" % (
            m["slot"], m["table"])
        places.add((m["slot"], m["table"]))
        for who in (("c", m["community"]), ("o", m["org"])):
            key = (who, m["slot"])
            assert key not in busy, "%s is in two meetings in slot %d: %r" % (
                who[1], m["slot"], [x for x in mt if x["slot"] == m["slot"]])
            busy.add(key)
        want = _hhmm(start + (m["slot"] - 1) * fair["slot_minutes"])
        assert m["start"] == want, "slot %d starts %r, want %r" % (m["slot"], m["start"], want)
    ids = [m["id"] for m in mt + un]
    assert len(set(ids)) == len(ids), "duplicate meeting ids"
    pairs = [(m["need"], m["offer"]) for m in mt + un]
    assert len(set(pairs)) == len(pairs), "a pair meets twice: %r" % pairs
    if mt and not un:
        deg = {}
        for m in mt:
            for k in (("c", m["community"]), ("o", m["org"])):
                deg[k] = deg.get(k, 0) + 1
        L = max(max(deg.values()), math.ceil(len(mt) / tables))
        assert res["slots_used"] == L, "slots_used %r, want L = max(D=%d, ceil(%d/%d)) = %d" % (
            res["slots_used"], max(deg.values()), len(mt), tables, L)
        assert {m["slot"] for m in mt} == set(range(1, L + 1)), "a slot of 1..L is empty"


# ---------------------------------------------------------------------------
# the full life, both transports

def _life(http):
    with Daemon() as d:
        v = Via(d, http)
        c1 = d.community("C1", street=STREET_A)
        c2 = d.community("C2", street=STREET_A)
        c3 = d.community("C3", street=STREET_A)
        o1 = d.org(ORG1, street=STREET_A)
        o2 = d.org(ORG2, street=STREET_A)
        o3 = d.org(ORG3, street=STREET_B, streets=[STREET_A])
        _, g = d.organizer("莲花街道办", STREET_A)
        tok = {"C1": c1, "C2": c2, "C3": c3, ORG1: o1, ORG2: o2, ORG3: o3}
        needs = [d.post_need(c1, title=T_NEED[0], budget=1000)["id"],
                 d.post_need(c2, title=T_NEED[1], budget=1000)["id"],
                 d.post_need(c3, title=T_NEED[2], budget=1000,
                             category="service.children")["id"],
                 d.post_need(c1, title=T_NEED[3], budget=1000)["id"]]
        offers = [d.post_offer(o1, title=T_OFFER[0], price=900, capacity=2)["id"],
                  d.post_offer(o2, title=T_OFFER[1], price=600)["id"],
                  d.post_offer(o3, title=T_OFFER[2], price=500, category="service.children")["id"],
                  d.post_offer(o1, title=T_OFFER[3], price=300, category="service.health")["id"]]

        f = v.ok("fair.create", {"name": "莲花街道对接会", "date": DATE, "start": "13:30",
                                 "tables": 2, "slot_minutes": 20}, g)["fair"]
        fid = f["id"]
        assert v.ok("fair.enroll", {"fair": fid, "all": True}, g) == {"needs": 4, "offers": 4}
        s1 = v.ok("fair.match", {"fair": fid}, g)
        assert s1["run"] == 1 and s1["pairs"] == 4, s1
        r1 = v.ok("fair.matches", {"fair": fid}, g)
        items = sorted(r1["items"], key=lambda it: -it["score"])
        assert [it["status"] for it in items] == ["proposed"] * 4, items
        a = items[0]
        rest = [it for it in items[1:] if it["offer"] != a["offer"]]
        assert len(rest) >= 2, items
        b, c = rest[0], rest[1]
        d_ = next(it for it in items if it not in (a, b, c))

        # A: community accepts, then the org: confirmed
        ra = v.ok("match.respond", {"match": a["id"], "decision": "accept"}, tok[a["community"]])
        assert ra["match"]["status"] == "accepted_by_community", ra
        assert {k: x for k, x in ra["match"].items() if k != "status"} == \
            {k: x for k, x in a.items() if k != "status"}, (ra, a)
        # accepting twice by the same side changes nothing
        again = v.ok("match.respond", {"match": a["id"], "decision": "accept"},
                     tok[a["community"]])
        assert again["match"]["status"] == "accepted_by_community", again
        assert _need(d, a["need"])["status"] == "open", "confirmed by one side only"
        ra = v.ok("match.respond", {"match": a["id"], "decision": "accept"}, tok[a["org"]])
        assert ra["match"]["status"] == "confirmed", ra
        # B: community accepts, org declines: declined
        v.ok("match.respond", {"match": b["id"], "decision": "accept"}, tok[b["community"]])
        rb = v.ok("match.respond", {"match": b["id"], "decision": "decline"}, tok[b["org"]])
        assert rb["match"]["status"] == "declined", rb
        # C: the org accepts first
        rc = v.ok("match.respond", {"match": c["id"], "decision": "accept"}, tok[c["org"]])
        assert rc["match"]["status"] == "accepted_by_org", rc

        na, oa = _need(d, a["need"]), _offer(d, a["offer"])
        cap_a = 2 if a["offer"] == offers[0] else 1
        assert na["status"] == "matched", na
        assert oa["remaining"] == cap_a - 1, oa
        assert oa["status"] == ("full" if cap_a == 1 else "open"), oa
        assert _need(d, b["need"])["status"] == "open" and \
            _offer(d, b["offer"])["remaining"] == _offer(d, b["offer"])["capacity"]
        st = {it["id"]: it["status"] for it in v.ok("fair.matches", {"fair": fid}, g)["items"]}
        assert st == {a["id"]: "confirmed", b["id"]: "declined", c["id"]: "accepted_by_org",
                      d_["id"]: "proposed"}, st
        # the community sees its own rows with their statuses
        mine = v.ok("fair.matches", {"fair": fid}, tok[a["community"]])["items"]
        assert a["id"] in [it["id"] for it in mine], mine
        assert all(it["community"] == a["community"] for it in mine), mine

        # rematch: the confirmed pair stays, the declined pair is gone
        s2 = v.ok("fair.match", {"fair": fid}, g)
        assert s2["run"] == 2, s2
        r2 = v.ok("fair.matches", {"fair": fid}, g)
        assert r2["run"] == 2 and s2["pairs"] == len(r2["items"]), (s2, r2)
        by_pair = {(it["need"], it["offer"]): it for it in r2["items"]}
        kept = by_pair.get((a["need"], a["offer"]))
        assert kept is not None and kept["status"] == "confirmed" and kept["run"] == 2, (
            "confirmed pair %r not carried into run 2 as confirmed: %r" % (
                (a["need"], a["offer"]), r2["items"]))
        assert kept["amount"] == a["amount"] and kept["score"] == a["score"], (kept, a)
        assert (b["need"], b["offer"]) not in by_pair, "declined pair proposed again: %r" % (
            r2["items"],)
        others = [it for it in r2["items"] if it is not kept]
        assert all(it["status"] == "proposed" for it in others), others
        assert _offer(d, a["offer"])["remaining"] == cap_a - 1, "a rematch moved remaining"
        # run 1 reads back as it was answered, save that publishing run 2
        # superseded its live matches
        old = {it["id"]: it["status"] for it in
               v.ok("fair.matches", {"fair": fid, "run": 1}, g)["items"]}
        live = ("proposed", "accepted_by_community", "accepted_by_org")
        assert old == {k: ("superseded" if x in live else x) for k, x in st.items()}, (
            old, st)

        # schedule
        res = v.ok("fair.schedule", {"fair": fid}, g)
        f = v.ok("fair.get", {"id": fid}, g)["fair"]
        check_schedule(f, res)
        assert res["unscheduled"] == [], res["unscheduled"]
        mt = res["meetings"]
        assert res["slots_used"] == f.get("slots_used", res["slots_used"]), f
        of_a = [m for m in mt if m["need"] == a["need"]]
        assert [(m["offer"], m["matched"]) for m in of_a] == [(a["offer"], True)], (
            "the confirmed need %d must meet only its match %d: %r" % (a["need"], a["offer"],
                                                                        of_a))
        assert (b["need"], b["offer"]) not in {(m["need"], m["offer"]) for m in mt}, \
            "the declined pair meets"
        matched = {(it["need"], it["offer"]) for it in r2["items"]}
        assert {(m["need"], m["offer"]) for m in mt if m["matched"]} == matched, (mt, matched)
        for nid in needs:
            k = [m for m in mt if m["need"] == nid]
            assert 1 <= len(k) <= 3, (nid, k)
        rows = _by_id(r2["items"])
        for m in mt:
            if m["matched"]:
                it = next(x for x in rows.values() if (x["need"], x["offer"]) ==
                          (m["need"], m["offer"]))
                assert m["score"] == it["score"], (m, it)
                assert (m["community"], m["org"], m["need_title"], m["offer_title"]) == (
                    it["community"], it["org"], it["need_title"], it["offer_title"]), (m, it)
        # fair.meetings reads the stored schedule; parties see their own
        assert v.ok("fair.meetings", {"fair": fid}, g) == res
        for code, t in tok.items():
            own = v.ok("fair.meetings", {"fair": fid}, t)
            side = "community" if code.startswith("C") else "org"
            want = [m for m in mt if m[side] == code]
            assert sorted(x["id"] for x in own["meetings"]) == sorted(x["id"] for x in want), (
                code, own["meetings"], want)

        # scheduling again with nothing changed keeps the confirmed meeting in place
        res2 = v.ok("fair.schedule", {"fair": fid}, g)
        check_schedule(f, res2)
        place = lambda r: {(m["need"], m["offer"]): (m["slot"], m["table"])
                           for m in r["meetings"]}
        p1, p2 = place(res), place(res2)
        assert p2[(a["need"], a["offer"])] == p1[(a["need"], a["offer"])], (p1, p2)
        assert set(p1) == set(p2), (p1, p2)

        # close: then every change is a conflict, reads still work
        closed = v.ok("fair.close", {"fair": fid}, g)["fair"]
        assert closed["status"] == "closed" and closed["id"] == fid, closed
        before = v.ok("fair.matches", {"fair": fid}, g)
        # closing expired the live matches
        proposed = [it for it in before["items"] if it["status"] == "expired"]
        assert proposed and not [it for it in before["items"] if it["status"] in (
            "proposed", "accepted_by_community", "accepted_by_org")], before
        refusals = [("fair.close", {"fair": fid}, g),
                    ("fair.match", {"fair": fid}, g),
                    ("fair.schedule", {"fair": fid}, g),
                    ("fair.enroll", {"fair": fid, "all": True}, g),
                    ("match.respond", {"match": proposed[0]["id"], "decision": "accept"},
                     tok[proposed[0]["community"]])]
        for op, args, t in refusals:
            err(v.call(op, args, t), "conflict")
        assert v.ok("fair.matches", {"fair": fid}, g) == before
        assert v.ok("fair.meetings", {"fair": fid}, g) == res2
        f2 = v.ok("fair.get", {"id": fid}, g)["fair"]
        assert f2["status"] == "closed" and f2["runs"] == 2, f2


def test_fair_life_native():
    _life(http=False)


def test_fair_life_http():
    _life(http=True)


# ---------------------------------------------------------------------------
# match.respond refusals

def _one_pair(d, tag="", fair_kw=None, **need_kw):
    """Street A: community C1, org ORG1, one need and one offer that match."""
    w = {}
    w["c"] = d.community("C1" + tag, street=STREET_A)
    w["o"] = d.org(ORG1, street=STREET_A)
    _, w["g"] = d.organizer("莲花街道办", STREET_A)
    w["n"] = d.post_need(w["c"], title=T_NEED[0], budget=1000, **need_kw)["id"]
    w["p"] = d.post_offer(w["o"], title=T_OFFER[0], price=500)["id"]
    w["fair"] = _fair(d, w["g"], **(fair_kw or {}))["id"]
    _enroll(d, w["g"], w["fair"], all=True)
    _run(d, w["g"], w["fair"])
    m = _matches(d, w["g"], w["fair"])
    assert len(m["items"]) == 1, m
    w["m"] = m["items"][0]["id"]
    return w


def test_respond_only_the_two_parties():
    with Daemon() as d:
        w = _one_pair(d)
        other_c = d.community("C9", street=STREET_A)
        other_o = d.org(ORG4, street=STREET_A)
        code_b, g_b = d.organizer("园岭街道办", STREET_B)
        before = _matches(d, w["g"], w["fair"])
        for t in (other_c, other_o, w["g"], g_b, d.admin):
            for dec in ("accept", "decline"):
                err(_respond(d, t, w["m"], dec), "forbidden")
        err(_respond(d, None, w["m"], "accept"), "unauthenticated")
        err(_respond(d, w["c"], w["m"] + 1000, "accept"), "not_found")
        err(_respond(d, w["c"], w["m"], "maybe"), "invalid_argument", "decision")
        err(d.call("match.respond", {"match": w["m"]}, token=w["c"]), "invalid_argument",
            "decision")
        err(d.call("match.respond", {"decision": "accept"}, token=w["c"]), "invalid_argument",
            "match")
        st, body = d.http_op("match.respond", {"match": w["m"], "decision": "accept"},
                             token=other_c)
        assert st == 403, (st, body)
        err(body, "forbidden")
        assert _matches(d, w["g"], w["fair"]) == before, "a refused answer changed the match"
        assert _need(d, w["n"])["status"] == "open"


def test_respond_final_states_are_final():
    with Daemon() as d:
        w = _one_pair(d)
        n2 = d.post_need(w["c"], title=T_NEED[1], budget=1000, category="service.children")["id"]
        p2 = d.post_offer(w["o"], title=T_OFFER[1], price=400, category="service.children")["id"]
        f2 = _fair(d, w["g"])["id"]
        _enroll(d, w["g"], f2, needs=[n2], offers=[p2])
        _run(d, w["g"], f2)
        m2 = _matches(d, w["g"], f2)["items"][0]["id"]
        ok(_respond(d, w["o"], w["m"], "accept"))
        assert ok(_respond(d, w["c"], w["m"], "accept"))["match"]["status"] == "confirmed"
        assert ok(_respond(d, w["c"], m2, "decline"))["match"]["status"] == "declined"
        snap = (_matches(d, w["g"], w["fair"]), _matches(d, w["g"], f2),
                _need(d, w["n"]), _offer(d, w["p"]), _need(d, n2), _offer(d, p2))
        for mid in (w["m"], m2):
            for t in (w["c"], w["o"]):
                for dec in ("accept", "decline"):
                    err(_respond(d, t, mid, dec), "conflict")
        st, body = d.http_op("match.respond", {"match": w["m"], "decision": "decline"},
                             token=w["o"])
        assert st == 409, (st, body)
        after = (_matches(d, w["g"], w["fair"]), _matches(d, w["g"], f2),
                 _need(d, w["n"]), _offer(d, w["p"]), _need(d, n2), _offer(d, p2))
        assert after == snap, "a refused answer to a final match changed something"
        assert snap[2]["status"] == "matched" and snap[4]["status"] == "open", snap


def test_respond_only_the_published_run():
    with Daemon() as d:
        w = _one_pair(d)
        _run(d, w["g"], w["fair"])
        r1 = _matches(d, w["g"], w["fair"], 1)
        for t in (w["c"], w["o"]):
            e = err(_respond(d, t, w["m"], "accept"), "conflict")
        assert _matches(d, w["g"], w["fair"], 1) == r1
        m2 = _matches(d, w["g"], w["fair"])["items"][0]["id"]
        assert m2 != w["m"], "run 2 reused run 1's match id"
        ok(_respond(d, w["c"], m2, "accept"))
        # an accepted (not final) match of an older run cannot be completed either:
        # publishing run 3 superseded it
        _run(d, w["g"], w["fair"])
        e = err(_respond(d, w["o"], m2, "accept"), "conflict")
        assert e["reason"] == "match_superseded", e
        assert _need(d, w["n"])["status"] == "open"
        assert [it["status"] for it in _matches(d, w["g"], w["fair"], 2)["items"]] == \
            ["superseded"]
        assert [it["status"] for it in _matches(d, w["g"], w["fair"])["items"]] == \
            ["proposed"], "an acceptance of run 2 leaked into run 3"


def test_respond_on_a_closed_fair():
    with Daemon() as d:
        w = _one_pair(d)
        ok(_respond(d, w["c"], w["m"], "accept"))
        ok(d.call("fair.close", {"fair": w["fair"]}, token=w["g"]))
        before = _matches(d, w["g"], w["fair"])
        err(_respond(d, w["o"], w["m"], "accept"), "conflict")
        err(_respond(d, w["o"], w["m"], "decline"), "conflict")
        assert _matches(d, w["g"], w["fair"]) == before
        assert _need(d, w["n"])["status"] == "open" and _offer(d, w["p"])["remaining"] == 1


def _confirm(d, ctok, otok, mid):
    ok(_respond(d, ctok, mid, "accept"))
    return _respond(d, otok, mid, "accept")


def test_respond_refused_when_the_offer_has_no_capacity_left():
    """An offer of capacity 1 proposed in two fairs: the second confirmation finds it full."""
    with Daemon() as d:
        c1 = d.community("C1", street=STREET_A)
        c2 = d.community("C2", street=STREET_A)
        o = d.org(ORG1, street=STREET_A)
        _, g = d.organizer("莲花街道办", STREET_A)
        n1 = d.post_need(c1, title=T_NEED[0], budget=1000)["id"]
        n2 = d.post_need(c2, title=T_NEED[1], budget=1000)["id"]
        p = d.post_offer(o, title=T_OFFER[0], price=500, capacity=1)["id"]
        f1, f2 = _fair(d, g)["id"], _fair(d, g)["id"]
        _enroll(d, g, f1, needs=[n1], offers=[p])
        _enroll(d, g, f2, needs=[n2], offers=[p])
        _run(d, g, f1)
        _run(d, g, f2)
        m1 = _matches(d, g, f1)["items"][0]["id"]
        m2 = _matches(d, g, f2)["items"][0]["id"]
        ok(_respond(d, c2, m2, "accept"))
        assert ok(_confirm(d, c1, o, m1))["match"]["status"] == "confirmed"
        assert _offer(d, p)["remaining"] == 0 and _offer(d, p)["status"] == "full"
        # the last capacity went: the offer's other live matches are superseded
        assert [it["status"] for it in _matches(d, g, f2)["items"]] == ["superseded"]
        e = err(_respond(d, o, m2, "accept"), "conflict")
        assert e["reason"] == "match_superseded", e
        assert [it["status"] for it in _matches(d, g, f2)["items"]] == \
            ["superseded"], "the refused confirmation changed the match"
        assert _need(d, n2)["status"] == "open"
        assert _offer(d, p)["remaining"] == 0
        # a rematch of fair 2 no longer proposes the full offer
        _run(d, g, f2)
        assert _matches(d, g, f2)["items"] == []


def test_respond_refused_when_the_need_is_matched_elsewhere():
    with Daemon() as d:
        c = d.community("C1", street=STREET_A)
        o1 = d.org(ORG1, street=STREET_A)
        o2 = d.org(ORG2, street=STREET_A)
        _, g = d.organizer("莲花街道办", STREET_A)
        n = d.post_need(c, title=T_NEED[0], budget=1000)["id"]
        p1 = d.post_offer(o1, title=T_OFFER[0], price=500)["id"]
        p2 = d.post_offer(o2, title=T_OFFER[1], price=600)["id"]
        f1, f2 = _fair(d, g)["id"], _fair(d, g)["id"]
        _enroll(d, g, f1, needs=[n], offers=[p1])
        _enroll(d, g, f2, needs=[n], offers=[p2])
        _run(d, g, f1)
        _run(d, g, f2)
        m1 = _matches(d, g, f1)["items"][0]["id"]
        m2 = _matches(d, g, f2)["items"][0]["id"]
        ok(_respond(d, o2, m2, "accept"))
        assert ok(_confirm(d, c, o1, m1))["match"]["status"] == "confirmed"
        # the need's other live matches, in every fair, are superseded
        assert [it["status"] for it in _matches(d, g, f2)["items"]] == ["superseded"]
        e = err(_respond(d, c, m2, "accept"), "conflict")
        assert e["reason"] == "match_superseded", e
        assert _offer(d, p2)["remaining"] == 1 and _offer(d, p2)["status"] == "open"
        assert [it["status"] for it in _matches(d, g, f2)["items"]] == ["superseded"]


def test_respond_refused_when_the_cap_would_pass():
    """Caps count confirmed matches of the year across fairs, a cross-community need in
    equal shares: C1 (cap 1000) confirms 600 alone, then its half of an 800 need of C2
    shared with C1 (400: exactly the cap, allowed), then any more passes the cap."""
    with Daemon() as d:
        c1 = d.community("C1", street=STREET_A, cap=1000)
        c2 = d.community("C2", street=STREET_A, cap=100000)
        o = d.org(ORG1, street=STREET_A)
        _, g = d.organizer("莲花街道办", STREET_A)
        n1 = d.post_need(c1, title=T_NEED[0], budget=1000)["id"]
        n2 = d.post_need(c2, title=T_NEED[1], budget=1000, partners=["C1"])["id"]
        ok(d.call("need.consent", {"need": n2, "decision": "agree"}, token=c1))
        n3 = d.post_need(c1, title=T_NEED[2], budget=1000)["id"]
        p1 = d.post_offer(o, title=T_OFFER[0], price=600)["id"]
        p2 = d.post_offer(o, title=T_OFFER[1], price=800)["id"]
        p3 = d.post_offer(o, title=T_OFFER[2], price=10)["id"]
        fs = [_fair(d, g)["id"] for _ in range(3)]
        for fid, nid, pid in zip(fs, (n1, n2, n3), (p1, p2, p3)):
            _enroll(d, g, fid, needs=[nid], offers=[pid])
            _run(d, g, fid)
        ms = []
        for fid in fs:
            items = _matches(d, g, fid)["items"]
            assert len(items) == 1, (fid, items)
            ms.append(items[0]["id"])
        assert ok(_confirm(d, c1, o, ms[0]))["match"]["status"] == "confirmed"
        r = _confirm(d, c2, o, ms[1])
        assert r.get("ok") is True, ("C1 has 600 confirmed and cap 1000; its share of the "
                                     "800 need shared by C2 and C1 is 400: exactly the cap, "
                                     "must be allowed; got %r" % r)
        assert r["result"]["match"]["status"] == "confirmed"
        ok(_respond(d, c1, ms[2], "accept"))
        e = err(_respond(d, o, ms[2], "accept"), "conflict")
        assert "cap" in e["message"], e
        assert _need(d, n3)["status"] == "open" and _offer(d, p3)["remaining"] == 1
        assert _matches(d, g, fs[2])["items"][0]["status"] == "accepted_by_community"


def test_respond_cap_share_of_a_partner_need_refused():
    """C1 has 700 confirmed (cap 1000); its share of a 800 need posted by C2 with
    partner C1 is 400: 1100 would pass C1's cap although C2 has room."""
    with Daemon() as d:
        c1 = d.community("C1", street=STREET_A, cap=1000)
        c2 = d.community("C2", street=STREET_A, cap=100000)
        o = d.org(ORG1, street=STREET_A)
        _, g = d.organizer("莲花街道办", STREET_A)
        n1 = d.post_need(c1, title=T_NEED[0], budget=1000)["id"]
        n2 = d.post_need(c2, title=T_NEED[1], budget=1000, partners=["C1"])["id"]
        ok(d.call("need.consent", {"need": n2, "decision": "agree"}, token=c1))
        p1 = d.post_offer(o, title=T_OFFER[0], price=700)["id"]
        p2 = d.post_offer(o, title=T_OFFER[1], price=800)["id"]
        f1, f2 = _fair(d, g)["id"], _fair(d, g)["id"]
        _enroll(d, g, f1, needs=[n1], offers=[p1])
        _enroll(d, g, f2, needs=[n2], offers=[p2])
        _run(d, g, f1)
        _run(d, g, f2)
        m1 = _matches(d, g, f1)["items"][0]["id"]
        m2 = _matches(d, g, f2)["items"][0]["id"]
        ok(_confirm(d, c1, o, m1))
        ok(_respond(d, o, m2, "accept"))
        e = err(_respond(d, c2, m2, "accept"), "conflict")
        assert "C1" in e["message"], e
        assert _need(d, n2)["status"] == "open" and _offer(d, p2)["remaining"] == 1


def test_withdraw_conflicts_after_confirmation():
    with Daemon() as d:
        w = _one_pair(d)
        p_big = d.post_offer(w["o"], title=T_OFFER[1], price=500, capacity=3)["id"]
        # the big offer only: a confirmed match leaves it with capacity but not withdrawable
        ok(d.call("offer.withdraw", {"id": w["p"]}, token=w["o"]))
        _run(d, w["g"], w["fair"])
        assert _pairs(_matches(d, w["g"], w["fair"])) == [], "p_big was not enrolled"
        _enroll(d, w["o"], w["fair"], offers=[p_big])
        _run(d, w["g"], w["fair"])
        m = _matches(d, w["g"], w["fair"])["items"]
        assert _pairs({"items": m}) == [(w["n"], p_big)], m
        ok(_confirm(d, w["c"], w["o"], m[0]["id"]))
        before = (_need(d, w["n"]), _offer(d, p_big))
        assert before[1]["remaining"] == 2 and before[1]["status"] == "open", before
        err(d.call("need.withdraw", {"id": w["n"]}, token=w["c"]), "conflict")
        err(d.call("need.withdraw", {"id": w["n"]}, token=d.admin), "conflict")
        err(d.call("offer.withdraw", {"id": p_big}, token=w["o"]), "conflict")
        st, body = d.http_op("offer.withdraw", {"id": p_big}, token=w["o"])
        assert st == 409, (st, body)
        assert (_need(d, w["n"]), _offer(d, p_big)) == before, "a refused withdraw changed it"


# ---------------------------------------------------------------------------
# fair.schedule

def test_schedule_arguments_and_rights():
    with Daemon() as d:
        w = _one_pair(d)
        _, g_b = d.organizer("园岭街道办", STREET_B)
        for t in (w["c"], w["o"], g_b):
            err(d.call("fair.schedule", {"fair": w["fair"]}, token=t), "forbidden")
        for bad in (0, 51, "3", 2.5):
            err(d.call("fair.schedule", {"fair": w["fair"], "meetings_per_need": bad},
                       token=w["g"]), "invalid_argument", "meetings_per_need")
        err(d.call("fair.schedule", {"fair": w["fair"] + 100}, token=w["g"]), "not_found")
        m0 = ok(d.call("fair.meetings", {"fair": w["fair"]}, token=w["g"]))
        assert m0["meetings"] == [] and m0["unscheduled"] == [], m0
        res = ok(d.call("fair.schedule", {"fair": w["fair"], "meetings_per_need": 50},
                        token=d.admin))
        assert len(res["meetings"]) == 1 and res["slots_used"] == 1, res
        m = res["meetings"][0]
        assert (m["need"], m["offer"], m["matched"], m["table"], m["slot"], m["start"]) == (
            w["n"], w["p"], True, 1, 1, "09:00"), m


def test_meetings_refused_to_another_streets_organizer():
    with Daemon() as d:
        w = _one_pair(d)
        _, g_b = d.organizer("园岭街道办", STREET_B)
        ok(d.call("fair.schedule", {"fair": w["fair"]}, token=w["g"]))
        err(d.call("fair.meetings", {"fair": w["fair"]}, token=g_b), "forbidden")
        assert d.running(), "matchd died on fair.meetings by another street's organizer"
        assert len(ok(d.call("fair.meetings", {"fair": w["fair"]}, token=w["g"]))["meetings"]) == 1


def test_schedule_meetings_per_need_and_no_double_booking():
    """Four communities, three orgs, many candidates: whatever the count per need, the
    schedule is valid and uses exactly L slots."""
    with Daemon() as d:
        comms = [d.community("C%d" % i, street=STREET_A) for i in range(4)]
        orgs = [d.org(o, street=STREET_A) for o in (ORG1, ORG2, ORG3)]
        _, g = d.organizer("莲花街道办", STREET_A)
        k = 0
        for i, c in enumerate(comms):
            for j in range(2):
                d.post_need(c, title=T_NEED[(2 * i + j) % 8] + str(k), budget=1000 + 100 * k)
                k += 1
        for i, o in enumerate(orgs):
            for j in range(2):
                d.post_offer(o, title=T_OFFER[2 * i + j], price=200 + 100 * (2 * i + j),
                             capacity=2)
        fid = _fair(d, g, tables=3, slots=24, start="08:45", slot_minutes=10)["id"]
        _enroll(d, g, fid, all=True)
        _run(d, g, fid)
        f = ok(d.call("fair.get", {"id": fid}, token=g))["fair"]
        matched = {(it["need"], it["offer"]) for it in _matches(d, g, fid)["items"]}
        for per in (1, 2, 3, 6):
            res = ok(d.call("fair.schedule", {"fair": fid, "meetings_per_need": per},
                            token=g))
            check_schedule(f, res)
            assert res["unscheduled"] == [], (per, res["unscheduled"])
            count = {}
            for m in res["meetings"]:
                count[m["need"]] = count.get(m["need"], 0) + 1
            assert len(count) == 8 and max(count.values()) <= per, (per, count)
            assert min(count.values()) == min(per, 6), (per, count)
            assert {(m["need"], m["offer"]) for m in res["meetings"] if m["matched"]} == \
                matched, per
            assert ok(d.call("fair.meetings", {"fair": fid}, token=g)) == res, per


def _truncation_world(d, tables, slots):
    """Needs of C1 and C2, three offers of three orgs: each need has three candidates;
    the run matches both needs."""
    c1 = d.community("C1", street=STREET_A)
    c2 = d.community("C2", street=STREET_A)
    orgs = [d.org(o, street=STREET_A) for o in (ORG1, ORG2, ORG3)]
    _, g = d.organizer("莲花街道办", STREET_A)
    d.post_need(c1, title=T_NEED[0], budget=1000)
    d.post_need(c2, title=T_NEED[1], budget=1000)
    for i, o in enumerate(orgs):
        d.post_offer(o, title=T_OFFER[i], price=300 + 250 * i)
    fid = _fair(d, g, tables=tables, slots=slots)["id"]
    _enroll(d, g, fid, all=True)
    _run(d, g, fid)
    assert len(_matches(d, g, fid)["items"]) == 2
    return g, fid, ok(d.call("fair.get", {"id": fid}, token=g))["fair"]


def test_schedule_truncation_keeps_matched_meetings():
    with Daemon() as d:
        g, fid, f = _truncation_world(d, tables=1, slots=2)
        res = ok(d.call("fair.schedule", {"fair": fid}, token=g))
        check_schedule(f, res)
        mt, un = res["meetings"], res["unscheduled"]
        assert len(mt) + len(un) == 6, res
        assert res["slots_used"] == 2, res
        assert sorted(m["matched"] for m in mt) == [True, True], (
            "tables=1 slots=2: the two matched meetings fill the schedule: %r" % mt)
        assert len(un) == 4 and not any(m["matched"] for m in un), un
        assert ok(d.call("fair.meetings", {"fair": fid}, token=g)) == res


def test_schedule_truncation_drops_the_lowest_scores():
    with Daemon() as d:
        g, fid, f = _truncation_world(d, tables=1, slots=3)
        res = ok(d.call("fair.schedule", {"fair": fid}, token=g))
        check_schedule(f, res)
        mt, un = res["meetings"], res["unscheduled"]
        assert len(mt) == 3 and len(un) == 3 and res["slots_used"] == 3, res
        assert sum(m["matched"] for m in mt) == 2, mt
        kept = [m["score"] for m in mt if not m["matched"]]
        assert min(kept) >= max(m["score"] for m in un), (
            "a meeting of score %r was scheduled while one of %r was left out" % (
                kept, [m["score"] for m in un]))


def test_reschedule_keeps_confirmed_meetings_in_place_after_changes():
    """After a schedule, a pair is confirmed and new items are enrolled and matched:
    scheduling again keeps the confirmed meeting at its (slot, table) when it can."""
    with Daemon() as d:
        cs = [d.community("C%d" % i, street=STREET_A) for i in range(3)]
        os_ = [d.org(o, street=STREET_A) for o in (ORG1, ORG2, ORG3)]
        _, g = d.organizer("莲花街道办", STREET_A)
        for i, c in enumerate(cs):
            d.post_need(c, title=T_NEED[i], budget=1000)
        for i, o in enumerate(os_):
            d.post_offer(o, title=T_OFFER[i], price=400 + 200 * i)
        fid = _fair(d, g, tables=2, slots=12)["id"]
        _enroll(d, g, fid, all=True)
        _run(d, g, fid)
        f = ok(d.call("fair.get", {"id": fid}, token=g))["fair"]
        res1 = ok(d.call("fair.schedule", {"fair": fid}, token=g))
        check_schedule(f, res1)
        tok = dict(zip(["C0", "C1", "C2"], cs))
        tok.update(zip([ORG1, ORG2, ORG3], os_))
        items = _matches(d, g, fid)["items"]
        # confirm the pair whose meeting is not in slot 1 if there is one
        place1 = {(m["need"], m["offer"]): (m["slot"], m["table"]) for m in res1["meetings"]}
        it = max(items, key=lambda x: place1[(x["need"], x["offer"])])
        ok(_respond(d, tok[it["community"]], it["id"], "accept"))
        ok(_respond(d, tok[it["org"]], it["id"], "accept"))
        c4 = d.community("C4", street=STREET_A)
        d.post_need(c4, title=T_NEED[5], budget=1000)
        d.post_offer(os_[0], title=T_OFFER[5], price=700, capacity=2)
        _enroll(d, g, fid, all=True)
        _run(d, g, fid)
        res2 = ok(d.call("fair.schedule", {"fair": fid}, token=g))
        check_schedule(f, res2)
        key = (it["need"], it["offer"])
        now = [m for m in res2["meetings"] if (m["need"], m["offer"]) == key]
        assert len(now) == 1 and now[0]["matched"], now
        assert (now[0]["slot"], now[0]["table"]) == place1[key], (
            "confirmed meeting %r moved from %r to %r (slots_used %d then %d, meetings %r)" % (key, place1[key],
                (now[0]["slot"], now[0]["table"]), res1["slots_used"], res2["slots_used"], [(m["community"], m["org"], m["slot"], m["table"]) for m in res2["meetings"]]))
