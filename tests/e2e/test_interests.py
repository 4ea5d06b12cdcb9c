"""Interests and booths (issue 18; docs/protocol.md "fair.interest", "fair.interests",
"fair.match", "fair.schedule"): `no` keeps a pair out of runs and schedules and
supersedes its live match, `want` adds the interest part and can change the
assignment, `must` meetings are scheduled (also for pairs that are no candidates) and
kept before other non-matched ones under limits, booths keep each organisation at one
table, too few tables are refused, and optimal runs answer bound and gap."""

from harness import Daemon, ok, STREET_A, YEAR

ORG1 = "91440300MA5F000001"
ORG2 = "91440300MA5F000002"
CONF = {"time.today": "%d-12-10" % YEAR}
DATE = "%d-12-20" % YEAR
PARTS = {"category", "budget", "text", "library", "locality", "interest"}


def _world(d, tables=10):
    """C1's need n1 (budget 10000) and C2's n2 (10000); O1's offer o1 (9000), O2's
    o2 (8000), each of capacity 1, all service.elderly with titles sharing no
    character; O2's o3 is goods.books, no candidate of either need."""
    w = {"c1": d.community("C1"), "c2": d.community("C2"),
         "o1": d.org(ORG1, street=STREET_A), "o2": d.org(ORG2, street=STREET_A)}
    _, w["g"] = d.organizer("莲花街道办", STREET_A)
    w["n1"] = d.post_need(w["c1"], title="甲乙", budget=10000)["id"]
    w["n2"] = d.post_need(w["c2"], title="丙丁", budget=10000)["id"]
    w["p1"] = d.post_offer(w["o1"], title="子丑", price=9000, capacity=1)["id"]
    w["p2"] = d.post_offer(w["o2"], title="寅卯", price=8000, capacity=1)["id"]
    w["p3"] = d.post_offer(w["o2"], title="辰巳", price=100, capacity=1,
                           category="goods.books")["id"]
    w["fair"] = ok(d.call("fair.create", {"name": "对接会", "date": DATE, "tables": tables},
                          token=w["g"]))["fair"]["id"]
    ok(d.call("fair.enroll", {"fair": w["fair"], "all": True}, token=w["g"]))
    return w


def _say(d, w, who, level, **kw):
    args = {"fair": w["fair"], "level": level}
    args.update(kw)
    return ok(d.call("fair.interest", args, token=w[who]))


def _run(d, w, **kw):
    args = {"fair": w["fair"]}
    args.update(kw)
    return ok(d.call("fair.match", args, token=w["g"]))


def _pairs(d, w):
    r = ok(d.call("fair.matches", {"fair": w["fair"]}, token=w["g"]))
    for it in r["items"]:
        assert set(it["breakdown"]) == PARTS, it["breakdown"]
    return {(it["need"], it["offer"]): it for it in r["items"]}


def _meetings(d, w, **kw):
    args = {"fair": w["fair"]}
    args.update(kw)
    return ok(d.call("fair.schedule", args, token=w["g"]))


def test_no_keeps_a_pair_out_and_supersedes_its_live_match():
    with Daemon(conf_overrides=CONF) as d:
        w = _world(d)
        _run(d, w)
        m = _pairs(d, w)
        live = m[(w["n1"], w["p1"])]
        assert live["breakdown"]["interest"] == 0, live
        # the organisation says no about n1: the live match is superseded
        r = _say(d, w, "o1", "no", need=w["n1"])
        assert r["superseded"] == [live["id"]], r
        assert r["interest"]["side"] == "org" and r["interest"]["offer"] is None, r
        got = ok(d.call("fair.matches", {"fair": w["fair"]}, token=w["g"]))["items"]
        assert {x["id"]: x["status"] for x in got}[live["id"]] == "superseded", got
        _run(d, w)
        assert (w["n1"], w["p1"]) not in _pairs(d, w)
        sch = _meetings(d, w)
        assert all((x["need"], x["offer"]) != (w["n1"], w["p1"])
                   for x in sch["meetings"] + sch["unscheduled"]), sch
        # none clears it: the pair is back
        _say(d, w, "o1", "none", need=w["n1"])
        _run(d, w)
        assert (w["n1"], w["p1"]) in _pairs(d, w)
        # a community's party-level no, overridden by its pair-level want
        _say(d, w, "c1", "no", offer=w["p1"])
        _run(d, w)
        assert (w["n1"], w["p1"]) not in _pairs(d, w)
        _say(d, w, "c1", "want", offer=w["p1"], need=w["n1"])
        _run(d, w)
        p = _pairs(d, w)[(w["n1"], w["p1"])]
        assert p["breakdown"]["interest"] == 5, p
        # no beats want: the other side's no wins
        _say(d, w, "o1", "no", need=w["n1"], offer=w["p1"])
        _run(d, w)
        assert (w["n1"], w["p1"]) not in _pairs(d, w)
        # the lists: the organizer sees all, a party its own and those about it
        alls = ok(d.call("fair.interests", {"fair": w["fair"]}, token=w["g"]))["items"]
        assert len(alls) == 3, alls
        c1 = ok(d.call("fair.interests", {"fair": w["fair"]}, token=w["c1"]))["items"]
        assert len(c1) == 3, c1
        c2 = ok(d.call("fair.interests", {"fair": w["fair"]}, token=w["c2"]))["items"]
        assert c2 == [], c2
        o2 = ok(d.call("fair.interests", {"fair": w["fair"]}, token=w["o2"]))["items"]
        assert o2 == [], o2


def test_want_adds_the_interest_part_and_can_change_the_assignment():
    with Daemon(conf_overrides=CONF) as d:
        w = _world(d)
        ok(d.call("need.withdraw", {"id": w["n2"]}, token=w["c2"]))
        _run(d, w)
        m = _pairs(d, w)
        assert list(m) == [(w["n1"], w["p1"])], m
        base = m[(w["n1"], w["p1"])]["score"]
        _say(d, w, "c1", "want", offer=w["p2"])
        s = _run(d, w)
        m = _pairs(d, w)
        assert list(m) == [(w["n1"], w["p2"])], m
        it = m[(w["n1"], w["p2"])]
        assert it["breakdown"]["interest"] == 5, it
        assert it["score"] > base, (it, base)
        assert abs(sum(it["breakdown"].values()) - it["score"]) < 0.005, it
        assert s["bound"] == s["total_score"] and s["gap"] == 0, s


def test_refusals():
    with Daemon(conf_overrides=CONF) as d:
        w = _world(d)
        f = w["fair"]
        d.refuse("fair.interest", {"fair": f, "need": w["n1"], "level": "want"}, w["c1"],
                 "invalid_argument", "offer")
        d.refuse("fair.interest", {"fair": f, "offer": w["p1"], "level": "want"}, w["o1"],
                 "invalid_argument", "need")
        d.refuse("fair.interest", {"fair": f, "offer": w["p1"], "need": w["n2"],
                                   "level": "want"}, w["c1"], "forbidden", "need")
        d.refuse("fair.interest", {"fair": f, "offer": w["p1"], "level": "maybe"}, w["c1"],
                 "invalid_argument", "level")
        d.refuse("fair.interest", {"fair": f, "offer": w["p1"], "level": "want"}, w["g"],
                 "forbidden")
        ok(d.call("fair.close", {"fair": f}, token=w["g"]))
        d.refuse("fair.interest", {"fair": f, "offer": w["p1"], "level": "want"}, w["c1"],
                 "conflict", reason="fair_closed")


def test_must_meetings_limits_and_booths():
    with Daemon(conf_overrides=CONF) as d:
        w = _world(d, tables=2)
        # n1 must meet o3, which is no candidate of it
        _say(d, w, "c1", "must", offer=w["p3"], need=w["n1"])
        _run(d, w)
        sch = _meetings(d, w, meetings_per_need=1)
        must = [x for x in sch["meetings"] if x["must"]]
        assert [(x["need"], x["offer"]) for x in must] == [(w["n1"], w["p3"])], sch
        # with one meeting per org, the must meeting is kept before O2's other
        # non-matched ones, matched ones before it
        sch = _meetings(d, w, max_per_org=1)
        by_org = {}
        for x in sch["meetings"]:
            by_org.setdefault(x["org"], []).append(x)
        assert all(len(v) <= 1 for v in by_org.values()), sch
        kept = {(x["need"], x["offer"]) for x in sch["meetings"]}
        matched = {(x["need"], x["offer"]) for x in sch["meetings"] + sch["unscheduled"]
                   if x["matched"]}
        assert len(kept) == 2, sch
        # booths: each organisation at its own table, tables in code order
        sch = _meetings(d, w, booths=True)
        tables = {}
        for x in sch["meetings"]:
            tables.setdefault(x["org"], set()).add(x["table"])
        assert tables == {ORG1: {1}, ORG2: {2}}, tables
        slots = {}
        for x in sch["meetings"]:
            for party in (x["community"], x["org"]):
                assert (party, x["slot"]) not in slots, ("twice in a slot", x)
                slots[(party, x["slot"])] = x
        assert (w["n1"], w["p3"]) in {(x["need"], x["offer"]) for x in sch["meetings"]}
        with d.http_client() as c:
            st, _, body = c.request("GET", "/v1/fairs/%d/agenda.html" % w["fair"], None,
                                    {"Authorization": "Bearer " + w["g"]})
        page = body.decode()
        assert st == 200 and "展位：" in page and "1 号桌" in page and "2 号桌" in page, page
        sch = _meetings(d, w, booths=True, max_per_community=1)
        per = {}
        for x in sch["meetings"]:
            per[x["community"]] = per.get(x["community"], 0) + 1
        assert max(per.values()) == 1, sch
        assert matched <= {(x["need"], x["offer"]) for x in sch["meetings"]}, sch
    # too few tables for one booth per organisation
    with Daemon(conf_overrides=CONF) as d:
        w = _world(d, tables=1)
        _run(d, w)
        d.refuse("fair.schedule", {"fair": w["fair"], "booths": True}, w["g"],
                 "invalid_argument", "booths")


def test_bound_and_gap():
    with Daemon(conf_overrides=CONF) as d:
        w = _world(d)
        s = _run(d, w)
        assert s["capped"] == [] and s["bound"] == s["total_score"] and s["gap"] == 0, s
        g = _run(d, w, algorithm="greedy")
        assert "bound" not in g and "gap" not in g, g
    # a binding cap: the bound is at least the total
    with Daemon(conf_overrides=CONF) as d:
        w = {"c1": d.community("C1", cap=15000), "o1": d.org(ORG1, street=STREET_A)}
        _, g = d.organizer("莲花街道办", STREET_A)
        for t in ("甲乙", "丙丁", "戊己"):
            d.post_need(w["c1"], title=t, budget=9000)
        for t, p in (("子丑", 8000), ("寅卯", 7000), ("辰巳", 6000)):
            d.post_offer(w["o1"], title=t, price=p, capacity=1)
        f = ok(d.call("fair.create", {"name": "对接会", "date": DATE}, token=g))["fair"]["id"]
        ok(d.call("fair.enroll", {"fair": f, "all": True}, token=g))
        s = ok(d.call("fair.match", {"fair": f}, token=g))
        assert s["capped"] == ["C1"], s
        assert s["bound"] >= s["total_score"] and 0 <= s["gap"] < 1, s
