"""Money and agreement rules (issue 13; docs/protocol.md "Caps", "Frozen terms",
"Statuses"): the yearly cap counted for the need's year whatever the fair's date, no
budget above the cap, frozen terms on every match, a need live in several fairs,
closed fairs' matches expired.  Every refusal is checked against the database itself:
it must change nothing."""

from harness import Daemon, ok, STREET_A, YEAR

ORG1 = "91440300MA5F000001"
ORG2 = "91440300MA5F000002"
TODAY = "%d-12-10" % YEAR
CONF = {"time.today": TODAY}


def _fair(d, g, date, **kw):
    args = {"name": "对接会", "date": date}
    args.update(kw)
    return ok(d.call("fair.create", args, token=g))["fair"]["id"]


def _enroll(d, g, fid, needs=(), offers=()):
    return ok(d.call("fair.enroll", {"fair": fid, "needs": list(needs),
                                     "offers": list(offers)}, token=g))


def _run(d, g, fid, **kw):
    args = {"fair": fid}
    args.update(kw)
    return ok(d.call("fair.match", args, token=g))


def _items(d, tok, fid, **kw):
    args = {"fair": fid}
    args.update(kw)
    return ok(d.call("fair.matches", args, token=tok))["items"]


def _respond(d, tok, mid, decision="accept"):
    return d.call("match.respond", {"match": mid, "decision": decision}, token=tok)


def _one_match(d, g, fid):
    items = _items(d, g, fid)
    assert len(items) == 1, items
    return items[0]


def test_cap_counts_the_needs_year_whatever_the_fairs_date():
    """A community capped at 100,000 confirms 80,000 at a fair dated this December,
    then another 80,000 on a need of this year at a fair dated next spring: the second
    confirmation passes the cap of the need's year and is refused (over_cap).
    community.get reports used and left per year; a fair dated in the past is refused
    (date_past)."""
    with Daemon(conf_overrides=CONF) as d:
        c = d.community("GY-01", cap=100000)
        o = d.org(ORG1, street=STREET_A)
        _, g = d.organizer("莲花街道办", STREET_A)
        n1 = d.post_need(c, title="应急物资采购", budget=80000)
        n2 = d.post_need(c, title="长者饭堂", budget=80000)
        assert n1["year"] == n2["year"] == YEAR, (n1, n2)
        p1 = d.post_offer(o, title="物资配送", price=80000)["id"]
        p2 = d.post_offer(o, title="助餐配送", price=80000)["id"]
        # a fair dated in the past is refused, in time.zone's calendar
        e = d.refuse("fair.create", {"name": "旧会", "date": "2020-06-01"}, g,
                     "invalid_argument", "date", "date_past")
        assert TODAY in e["message"], e
        d.refuse("fair.create", {"name": "昨天", "date": "%d-12-09" % YEAR}, g,
                 "invalid_argument", "date", "date_past")
        ok(d.call("fair.create", {"name": "今天", "date": TODAY}, token=g))
        f1 = _fair(d, g, "%d-12-21" % YEAR)
        f2 = _fair(d, g, "%d-03-01" % (YEAR + 1))
        _enroll(d, g, f1, [n1["id"]], [p1])
        _enroll(d, g, f2, [n2["id"]], [p2])
        _run(d, g, f1)
        _run(d, g, f2)
        m1 = _one_match(d, g, f1)["id"]
        m2 = _one_match(d, g, f2)["id"]
        ok(_respond(d, c, m1))
        assert ok(_respond(d, o, m1))["match"]["status"] == "confirmed"
        got = ok(d.call("community.get", {"code": "GY-01"}, token=g))["community"]
        assert (got["year"], got["used"], got["left"]) == (YEAR, 80000, 20000), got
        # the second 80,000 is a need of this year too: its fair's date is no way round
        ok(_respond(d, c, m2))
        d.refuse("match.respond", {"match": m2, "decision": "accept"}, o, "conflict",
                 reason="over_cap")
        got = ok(d.call("community.get", {"code": "GY-01"}, token=g))["community"]
        assert (got["used"], got["left"]) == (80000, 20000), got
        nxt = ok(d.call("community.get", {"code": "GY-01", "year": YEAR + 1},
                        token=c))["community"]
        assert (nxt["year"], nxt["used"], nxt["left"]) == (YEAR + 1, 0, 100000), nxt
        lst = ok(d.call("community.list", {"year": YEAR}, token=c))["items"]
        assert [(x["code"], x["used"]) for x in lst] == [("GY-01", 80000)], lst
        # a new run of next spring's fair does not propose what the cap cannot hold
        s = _run(d, g, f2)
        assert s["pairs"] == 0 and s["capped"] == ["GY-01"], s


def test_a_budget_above_the_cap_is_refused():
    """No single need above the whole yearly cap, nor a shared need whose equal share
    passes a paying community's own cap; many needs may add up past the cap."""
    with Daemon(conf_overrides=CONF) as d:
        c1 = d.community("C1", cap=2000000)
        c2 = d.community("C2", cap=100000)
        for budget in (2000000.01, 10000000000):
            d.refuse("need.post", {"title": "超额", "category": "service.elderly",
                                   "budget": budget}, c1,
                     "invalid_argument", "budget", "budget_over_cap")
        # the admin posting for a community meets the same rule
        d.refuse("need.post", {"title": "超额", "category": "service.elderly",
                               "budget": 3000000, "community": "C1"}, d.admin,
                 "invalid_argument", "budget", "budget_over_cap")
        # C1 and C2 share 300,000: C2's half (150,000) is above its own cap
        e = d.refuse("need.post", {"title": "跨社区", "category": "service.elderly",
                                   "budget": 300000, "partners": ["C2"]}, c1,
                     "invalid_argument", "budget", "budget_over_cap")
        assert "C2" in e["message"], e
        n = d.post_need(c1, title="跨社区", budget=200000, partners=["C2"])
        assert n["status"] == "pending_partners", n
        ok(d.call("need.consent", {"need": n["id"], "decision": "agree"}, token=c2))
        d.refuse("need.update", {"id": n["id"], "budget": 200000.02}, c1,
                 "invalid_argument", "budget", "budget_over_cap")
        # the whole cap is allowed, and several needs may add up past it
        a = d.post_need(c1, title="整额", budget=2000000)
        b = d.post_need(c1, title="又一个", budget=2000000)
        assert a["budget"] == b["budget"] == 2000000
        d.refuse("need.update", {"id": a["id"], "budget": 2000001}, c1,
                 "invalid_argument", "budget", "budget_over_cap")


def test_terms_are_frozen_and_an_update_supersedes():
    """Need 2 is proposed with a sports offer of 30,300; the community changes the
    need to a 100-yuan legal service: the match is superseded (listed in the answer)
    and its terms stay those it was proposed on; accepting it is a conflict.  An
    update that changes nothing supersedes nothing; a matched need and an offer
    holding a confirmed match cannot change."""
    with Daemon(conf_overrides=CONF) as d:
        c = d.community("C1")
        o = d.org(ORG1, street=STREET_A)
        _, g = d.organizer("莲花街道办", STREET_A)
        n = d.post_need(c, title="全民健身", category="service.sports", budget=40000)
        p = d.post_offer(o, title="健身指导", category="service.sports", price=30300)
        f = _fair(d, g, "%d-12-20" % YEAR)
        _enroll(d, g, f, [n["id"]], [p["id"]])
        _run(d, g, f)
        m = _one_match(d, g, f)
        want = {"need_title": "全民健身", "need_category": "service.sports", "budget": 40000,
                "offer_title": "健身指导", "offer_category": "service.sports",
                "price": 30300, "amount": 30300}
        assert m["terms"] == want and m["status"] == "proposed", m
        # the same values again: nothing changes, nothing is superseded
        r = ok(d.call("need.update", {"id": n["id"], "budget": 40000}, token=c))
        assert r["superseded"] == [], r
        ok(_respond(d, c, m["id"]))
        r = ok(d.call("need.update", {"id": n["id"], "budget": 100,
                                      "category": "service.legal"}, token=c))
        assert r["superseded"] == [m["id"]] and r["need"]["budget"] == 100, r
        after = _one_match(d, g, f)
        assert after["status"] == "superseded" and after["terms"] == want, after
        for tok in (o, c):
            d.refuse("match.respond", {"match": m["id"], "decision": "accept"}, tok,
                     "conflict", reason="match_superseded")
        assert ok(d.call("need.get", {"id": n["id"]}, token=c))["need"]["status"] == "open"
        # an offer update supersedes too
        n2 = d.post_need(c, title="篮球赛", category="service.sports", budget=50000)
        _enroll(d, g, f, [n2["id"]])
        _run(d, g, f)
        m2 = [x for x in _items(d, g, f) if x["status"] == "proposed"]
        assert [x["need"] for x in m2] == [n2["id"]], m2
        r = ok(d.call("offer.update", {"id": p["id"], "price": 31000}, token=o))
        assert r["superseded"] == [m2[0]["id"]], r
        # confirmed: the need and the offer keep their terms for good
        _run(d, g, f)
        m3 = [x for x in _items(d, g, f) if x["status"] == "proposed"][0]
        assert m3["terms"]["price"] == 31000, m3
        ok(_respond(d, c, m3["id"]))
        ok(_respond(d, o, m3["id"]))
        d.refuse("need.update", {"id": n2["id"], "title": "改"}, c, "conflict",
                 reason="status_not_changeable")
        d.refuse("offer.update", {"id": p["id"], "capacity": 5}, o, "conflict",
                 reason="offer_confirmed")


def test_a_need_in_several_fairs_is_answered_once():
    """A need may be live in several open fairs; once one of its pairs is confirmed,
    its other live matches are superseded (and an offer's, when its last capacity
    goes): answering them is a conflict, in either order."""
    with Daemon(conf_overrides=CONF) as d:
        c = d.community("C1")
        c2 = d.community("C2")
        o1 = d.org(ORG1, street=STREET_A)
        o2 = d.org(ORG2, street=STREET_A)
        _, g = d.organizer("莲花街道办", STREET_A)
        n = d.post_need(c, title="助餐", budget=10000)["id"]
        n2 = d.post_need(c2, title="助浴", budget=10000)["id"]
        p1 = d.post_offer(o1, title="配送", price=5000)["id"]
        p2 = d.post_offer(o2, title="送餐", price=6000, capacity=1)["id"]
        fa, fb, fc = (_fair(d, g, "%d-12-2%d" % (YEAR, i)) for i in range(3))
        _enroll(d, g, fa, [n], [p1])
        _enroll(d, g, fb, [n], [p2])
        _enroll(d, g, fc, [n2], [p2])
        for f in (fa, fb, fc):
            _run(d, g, f)
        ma, mb, mc = (_one_match(d, g, f)["id"] for f in (fa, fb, fc))
        ok(_respond(d, o2, mb))
        ok(_respond(d, c, ma))
        ok(_respond(d, o1, ma))
        assert _one_match(d, g, fb)["status"] == "superseded"
        for tok, mid in ((c, mb), (o2, mb)):
            d.refuse("match.respond", {"match": mid, "decision": "accept"}, tok,
                     "conflict", reason="match_superseded")
        # the offer of capacity 1 confirmed in fair C: nothing else of it stays live
        ok(_respond(d, c2, mc))
        ok(_respond(d, o2, mc))
        assert ok(d.call("offer.get", {"id": p2}, token=g))["offer"]["status"] == "full"
        # final statuses stay final
        for mid, tok in ((ma, c), (mc, o2)):
            d.refuse("match.respond", {"match": mid, "decision": "decline"}, tok,
                     "conflict", reason="match_confirmed")


def test_a_closed_fairs_matches_expire():
    """fair.close: live matches become expired (a proposal does not stay pending
    forever); confirmed ones stay; answering is a conflict."""
    with Daemon(conf_overrides=CONF) as d:
        c = d.community("C1")
        o = d.org(ORG1, street=STREET_A)
        _, g = d.organizer("莲花街道办", STREET_A)
        n1 = d.post_need(c, title="助餐", budget=10000)["id"]
        n2 = d.post_need(c, title="助浴", budget=10000)["id"]
        p = d.post_offer(o, title="配送", price=5000, capacity=2)["id"]
        f = _fair(d, g, TODAY)
        _enroll(d, g, f, [n1, n2], [p])
        _run(d, g, f)
        a, b = sorted(_items(d, g, f), key=lambda x: x["need"])
        ok(_respond(d, c, a["id"]))
        ok(_respond(d, o, a["id"]))
        ok(_respond(d, c, b["id"]))
        r = ok(d.call("fair.close", {"fair": f}, token=g))
        assert r["fair"]["status"] == "closed" and r["expired"] == 1, r
        st = {x["id"]: x["status"] for x in _items(d, g, f)}
        assert st == {a["id"]: "confirmed", b["id"]: "expired"}, st
        d.refuse("match.respond", {"match": b["id"], "decision": "accept"}, o,
                 "conflict", reason="fair_closed")
        d.refuse("fair.update", {"id": f, "name": "改"}, g, "conflict",
                 reason="fair_closed")
        assert ok(d.call("need.get", {"id": n2}, token=c))["need"]["status"] == "open"
