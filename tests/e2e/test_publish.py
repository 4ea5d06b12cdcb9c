"""Fairs' runs (issue 13; docs/protocol.md "fair.match", "fair.publish",
"fair.matches", "fair.meetings"): the published run, schedules that know their run and
say when they are stale, an earlier run published again, the fair's rule (the same
sub-category by default) and least score, fair.matches read a page at a time, and
agendas and exports only for their own party.  Refusals change nothing."""

from harness import Daemon, ok, err, STREET_A, YEAR

ORG1 = "91440300MA5F000001"
ORG2 = "91440300MA5F000002"
CONF = {"time.today": "%d-12-10" % YEAR}
DATE = "%d-12-20" % YEAR


def _get(d, path, token):
    with d.http_client() as c:
        return c.request("GET", path, None, {"Authorization": "Bearer " + token})


def _world(d):
    """Two communities, two organisations, two needs of each community and three
    offers, all of one sub-category, enrolled in one fair of street A."""
    w = {"c1": d.community("C1"), "c2": d.community("C2"),
         "o1": d.org(ORG1, street=STREET_A), "o2": d.org(ORG2, street=STREET_A)}
    _, w["g"] = d.organizer("莲花街道办", STREET_A)
    w["needs"] = [d.post_need(w[c], title=t, budget=b)["id"] for c, t, b in (
        ("c1", "长者助餐", 9000), ("c1", "长者助浴", 8000), ("c2", "长者陪诊", 7000),
        ("c2", "长者理发", 6000))]
    w["offers"] = [d.post_offer(w[o], title=t, price=p, capacity=2)["id"] for o, t, p in (
        ("o1", "助餐配送", 5000), ("o1", "上门助浴", 6000), ("o2", "陪诊服务", 5500))]
    w["fair"] = ok(d.call("fair.create", {"name": "对接会", "date": DATE},
                          token=w["g"]))["fair"]["id"]
    ok(d.call("fair.enroll", {"fair": w["fair"], "all": True}, token=w["g"]))
    return w


def _run(d, w, **kw):
    args = {"fair": w["fair"]}
    args.update(kw)
    return ok(d.call("fair.match", args, token=w["g"]))


def _items(d, tok, fid, **kw):
    args = {"fair": fid}
    args.update(kw)
    r = ok(d.call("fair.matches", args, token=tok))
    return r["items"]


def test_a_rerun_makes_the_schedule_stale_and_an_earlier_run_can_be_published():
    """Run 1 is published and scheduled; a re-run publishes run 2, supersedes run 1's
    live matches, and the schedule (of run 1) says it is stale, in fair.meetings and in
    the agenda's first line.  A run made with publish:false waits; parties cannot read
    it.  Publishing run 1 again brings back its matches as they were answered."""
    with Daemon(conf_overrides=CONF) as d:
        w = _world(d)
        f, g = w["fair"], w["g"]
        s1 = _run(d, w)
        assert s1["run"] == 1 and s1["published"] is True and s1["superseded"] == [], s1
        r1 = _items(d, g, f)
        a = next(x for x in r1 if x["community"] == "C1")
        ok(d.call("match.respond", {"match": a["id"], "decision": "accept"}, token=w["c1"]))
        sch = ok(d.call("fair.schedule", {"fair": f}, token=g))
        assert sch["run"] == 1 and sch["stale"] is False, sch
        m = ok(d.call("fair.meetings", {"fair": f}, token=w["c1"]))
        assert m["run"] == 1 and m["stale"] is False and m["meetings"], m
        st, _, body = _get(d, "/v1/fairs/%d/agenda.html" % f, g)
        assert st == 200 and "已过时" not in body.decode(), body[:300]

        s2 = _run(d, w, algorithm="greedy")
        assert s2["run"] == 2 and s2["published"] is True, s2
        live1 = sorted(x["id"] for x in r1)
        assert sorted(s2["superseded"]) == live1, (s2, live1)
        assert {x["status"] for x in _items(d, g, f, run=1)} == {"superseded"}
        fair = ok(d.call("fair.get", {"id": f}, token=g))["fair"]
        assert fair["published_run"] == 2 and fair["schedule_run"] == 1, fair
        m = ok(d.call("fair.meetings", {"fair": f}, token=w["c1"]))
        assert m["run"] == 1 and m["stale"] is True, m
        st, _, body = _get(d, "/v1/fairs/%d/agenda.html" % f, g)
        page = body.decode()
        first = page[page.index("<body>") + len("<body>"):].strip().splitlines()[0]
        assert st == 200 and "已过时" in first, first
        # answers go to the published run only
        d.refuse("match.respond", {"match": a["id"], "decision": "accept"}, w["o1"],
                 "conflict", reason="match_superseded")

        # a run that waits: parties see the published run, and may not read the other
        s3 = _run(d, w, algorithm="stable", publish=False)
        assert s3["run"] == 3 and s3["published"] is False and s3["superseded"] == [], s3
        page = ok(d.call("fair.matches", {"fair": f}, token=w["c1"]))
        assert page["run"] == 2 and page["published_run"] == 2, page
        for tok in (w["c1"], w["o1"]):
            d.refuse("fair.matches", {"fair": f, "run": 3}, tok, "forbidden", "run",
                     "run_not_published")
            d.refuse("fair.matches", {"fair": f, "run": 1}, tok, "forbidden", "run",
                     "run_not_published")
        m3 = _items(d, g, f, run=3)
        assert m3 and all(x["status"] == "proposed" for x in m3), m3
        d.refuse("match.respond", {"match": m3[0]["id"], "decision": "accept"},
                 w["c1"] if m3[0]["community"] == "C1" else w["c2"], "conflict",
                 reason="run_not_published")

        # the organizer compares and publishes run 1 again
        live2 = sorted(x["id"] for x in _items(d, g, f, run=2))
        r = ok(d.call("fair.publish", {"fair": f, "run": 1}, token=g))
        assert r["fair"]["published_run"] == 1 and sorted(r["superseded"]) == live2, r
        back = {x["id"]: x["status"] for x in _items(d, g, f)}
        assert back[a["id"]] == "accepted_by_community", back
        assert set(back.values()) == {"proposed", "accepted_by_community"}, back
        ok(d.call("match.respond", {"match": a["id"], "decision": "accept"}, token=w["o1"]))
        assert ok(d.call("need.get", {"id": a["need"]}, token=g))["need"]["status"] == \
            "matched"
        # the schedule of run 1 is current again
        m = ok(d.call("fair.meetings", {"fair": f}, token=g))
        assert m["run"] == 1 and m["stale"] is False, m
        # publishing a run the fair does not have, or as a party, is refused
        d.refuse("fair.publish", {"fair": f, "run": 9}, g, "not_found", "run")
        d.refuse("fair.publish", {"fair": f, "run": 2}, w["c1"], "forbidden")


def test_a_republished_run_brings_back_only_what_still_holds():
    """A match superseded by another publication comes back only when its need and
    offer are still open on its terms."""
    with Daemon(conf_overrides=CONF) as d:
        w = _world(d)
        f, g = w["fair"], w["g"]
        _run(d, w)
        r1 = {x["need"]: x for x in _items(d, g, f)}
        _run(d, w)
        # a need changed while run 1 was not published: its match stays superseded
        changed = w["needs"][0]
        ok(d.call("need.update", {"id": changed, "budget": 9500}, token=w["c1"]))
        ok(d.call("fair.publish", {"fair": f, "run": 1}, token=g))
        st = {x["need"]: x["status"] for x in _items(d, g, f)}
        assert st[changed] == "superseded", st
        assert all(s == "proposed" for n, s in st.items() if n != changed), st
        assert {x["id"] for x in _items(d, g, f)} == {x["id"] for x in r1.values()}


def test_the_fairs_rule_and_least_score():
    """By default a pair needs the same sub-category: emergency supplies do not pair
    with picture books (one family, goods).  rule:family allows it; min_score keeps
    pairs scoring less out; both change with fair.update."""
    with Daemon(conf_overrides=CONF) as d:
        c = d.community("C1")
        o = d.org(ORG1, street=STREET_A)
        _, g = d.organizer("莲花街道办", STREET_A)
        n = d.post_need(c, title="应急物资及设备", category="goods.equipment", budget=10000)
        p = d.post_offer(o, title="儿童绘本书单定制", category="goods.books", price=8000)
        f = ok(d.call("fair.create", {"name": "会", "date": DATE}, token=g))["fair"]
        assert f["rule"] == "sub" and f["min_score"] == 0, f
        ok(d.call("fair.enroll", {"fair": f["id"], "all": True}, token=g))
        assert ok(d.call("fair.match", {"fair": f["id"]}, token=g))["pairs"] == 0
        # the family rule pairs them, with the family's category part (15, not 40)
        u = ok(d.call("fair.update", {"id": f["id"], "rule": "family"}, token=g))["fair"]
        assert u["rule"] == "family" and u["date"] == DATE, u
        s = ok(d.call("fair.match", {"fair": f["id"]}, token=g))
        assert s["pairs"] == 1, s
        it = _items(d, g, f["id"])[0]
        score = it["score"]
        assert it["breakdown"]["category"] == 15, it
        ok(d.call("fair.update", {"id": f["id"], "min_score": score + 0.01}, token=g))
        assert ok(d.call("fair.match", {"fair": f["id"]}, token=g))["pairs"] == 0
        ok(d.call("fair.update", {"id": f["id"], "min_score": score}, token=g))
        assert ok(d.call("fair.match", {"fair": f["id"]}, token=g))["pairs"] == 1
        # suggestions keep the family rule: they show alternatives
        sg = ok(d.call("match.suggest", {"need": n["id"]}, token=c))["items"]
        assert [x["offer"] for x in sg] == [p["id"]], sg
        # bad values change nothing
        d.refuse("fair.update", {"id": f["id"], "rule": "any"}, g, "invalid_argument",
                 "rule")
        d.refuse("fair.update", {"id": f["id"], "min_score": 1000.5}, g,
                 "invalid_argument", "min_score")
        d.refuse("fair.update", {"id": f["id"], "date": "2020-06-01"}, g,
                 "invalid_argument", "date", "date_past")
        d.refuse("fair.update", {"id": f["id"], "street": STREET_A}, g,
                 "invalid_argument", "street", "unknown_argument")
        d.refuse("fair.create", {"name": "会", "date": DATE, "min_score": -1}, g,
                 "invalid_argument", "min_score")
    # matcher.min_score is the default of new fairs
    with Daemon(conf_overrides=dict(CONF, **{"matcher.min_score": "55.5"})) as d:
        f = ok(d.call("fair.create", {"name": "会", "date": DATE}, token=d.admin))["fair"]
        assert f["min_score"] == 55.5, f


def test_fair_matches_is_read_a_page_at_a_time():
    """With answers bounded (limits.max_output_bytes), a fair whose list is larger
    than one answer is still read whole, page by page (limit, after), and filtered
    by community, org and status; unmatched needs and offers are pages of their own."""
    with Daemon(conf_overrides=dict(CONF, **{"limits.max_output_bytes": "65536"})) as d:
        c1, c2 = d.community("C1", cap=10000000), d.community("C2", cap=10000000)
        o1, o2 = d.org(ORG1, street=STREET_A), d.org(ORG2, street=STREET_A)
        _, g = d.organizer("莲花街道办", STREET_A)
        reqs = []
        for i in range(300):
            reqs.append({"op": "need.post", "token": c1 if i % 2 else c2, "args": {
                "title": "长者助餐服务第%d期" % i, "category": "service.elderly",
                "budget": 1000 + i, "description": "为辖区长者提供助餐服务。" * 8}})
        for a in d.pipeline(reqs):
            ok(a)
        ok(d.call("offer.post", {"title": "助餐配送", "category": "service.elderly",
                                 "price": 500, "capacity": 150}, token=o1))
        ok(d.call("offer.post", {"title": "助餐配送二", "category": "service.elderly",
                                 "price": 600, "capacity": 100}, token=o2))
        fid = ok(d.call("fair.create", {"name": "会", "date": DATE}, token=g))["fair"]["id"]
        ok(d.call("fair.enroll", {"fair": fid, "all": True}, token=g))
        s = ok(d.call("fair.match", {"fair": fid}, token=g))
        assert s["pairs"] == 250 and s["unmatched_needs"] == 50, s
        items, pages = d.list_all("fair.matches", g, {"fair": fid}, limit=40)
        assert len(items) == 250 and len(pages) == 7, (len(items), len(pages))
        ids = [x["id"] for x in items]
        assert ids == sorted(ids) and len(set(ids)) == 250
        assert all(p["run"] == 1 for p in pages), pages[0]
        mine, _ = d.list_all("fair.matches", c1, {"fair": fid}, limit=40)
        assert {x["community"] for x in mine} == {"C1"} and 0 < len(mine) < 250
        by_org, _ = d.list_all("fair.matches", g, {"fair": fid, "org": ORG2}, limit=40)
        assert len(by_org) == 100 and {x["org"] for x in by_org} == {ORG2}, len(by_org)
        both, _ = d.list_all("fair.matches", g, {"fair": fid, "org": ORG2,
                                                 "community": "C1"}, limit=40)
        assert both and {(x["org"], x["community"]) for x in both} == {(ORG2, "C1")}
        none, _ = d.list_all("fair.matches", g, {"fair": fid, "status": "confirmed"})
        assert none == []
        un, _ = d.list_all("fair.matches", g, {"fair": fid, "unmatched": "needs"}, limit=40)
        assert len(un) == 50 and all("budget" in n for n in un), len(un)
        assert ok(d.call("fair.matches", {"fair": fid, "unmatched": "offers"},
                         token=c1))["items"] == []
        # a community reading another's rows is refused
        d.refuse("fair.matches", {"fair": fid, "community": "C2"}, c1, "forbidden",
                 "community", "not_yours")
        d.refuse("fair.matches", {"fair": fid, "limit": 1001}, g, "invalid_argument",
                 "limit")


def test_agendas_and_exports_are_for_their_own_party():
    """Another community's agenda (agenda.html?community=C2 as C1) is 403; so are
    exports naming another party; the organizer reads any."""
    with Daemon(conf_overrides=CONF) as d:
        w = _world(d)
        f, g = w["fair"], w["g"]
        _run(d, w)
        ok(d.call("fair.schedule", {"fair": f}, token=g))
        for path, tok in (("?community=C2", w["c1"]), ("?org=" + ORG2, w["o1"]),
                          ("?org=" + ORG1, w["c1"]), ("?community=C1", w["o1"])):
            st, _, body = _get(d, "/v1/fairs/%d/agenda.html%s" % (f, path), tok)
            assert st == 403, (path, st, body[:200])
            e = err(__import__("json").loads(body), "forbidden")
            assert e["reason"] == "not_yours", e
        for path, tok in (("?community=C1", w["c1"]), ("?community=C2", g), ("", w["c2"]),
                          ("?org=" + ORG2, w["o2"])):
            st, _, body = _get(d, "/v1/fairs/%d/agenda.html%s" % (f, path), tok)
            assert st == 200, (path, st, body[:200])
        d.refuse("fair.export", {"fair": f, "format": "html", "community": "C2"}, w["c1"],
                 "forbidden", "community", "not_yours")
        d.refuse("fair.export", {"fair": f, "format": "csv", "org": ORG1}, w["o2"],
                 "forbidden", "org", "not_yours")
        r = ok(d.call("fair.export", {"fair": f, "format": "csv"}, token=w["c1"]))
        assert "C2" not in r["data"], r["data"][:300]
