"""Needs: post / get / list / update / withdraw, partners, ownership, ref, pagination."""

import calendar
import time

from harness import Daemon, ok, err, ISO_RE, STREET_A, STREET_B, STREET_C

ORG1 = "91440300MA5F000001"


def _iso_seconds(s):
    return calendar.timegm(time.strptime(s[:19], "%Y-%m-%dT%H:%M:%S"))


def _all_needs(d, token, **filters):
    items, _ = d.list_all("need.list", token, filters, limit=1000)
    return items


def test_need_post_fields_and_defaults():
    with Daemon() as d:
        t = d.community("C1", street=STREET_B)
        before = time.time()
        n = d.post_need(t, title="助餐", category="service.elderly", budget=50000)
        want = {"id", "community", "partners", "street", "title", "category", "budget",
                "description", "beneficiaries", "window", "year", "status", "ref",
                "created", "updated"}
        assert want <= set(n), "missing fields: %r" % (want - set(n))
        assert isinstance(n["id"], int) and n["id"] > 0, n
        assert n["community"] == "C1" and n["street"] == STREET_B, n
        assert n["partners"] == [] and n["description"] == "" and n["beneficiaries"] == 0, n
        assert n["window"] is None and n["ref"] is None and n["status"] == "open", n
        assert n["title"] == "助餐" and n["category"] == "service.elderly" and n["budget"] == 50000
        assert isinstance(n["year"], int) and 2000 < n["year"] < 2200, n
        for f in ("created", "updated"):
            assert ISO_RE.match(n[f]), "%s is not ISO 8601 UTC: %r" % (f, n[f])
            assert abs(_iso_seconds(n[f]) - before) < 600, "%s far from now: %r" % (f, n[f])


def test_need_get_equals_post():
    with Daemon() as d:
        t = d.community("C1")
        n = d.post_need(t, description="描述", beneficiaries=30, ref="r-1",
                        window={"from": "2026-05-01", "to": "2026-09-30"})
        g = ok(d.call("need.get", {"id": n["id"]}, token=t))["need"]
        assert g == n, "get differs from post:\n%r\n%r" % (g, n)


def test_need_get_unknown_id():
    with Daemon() as d:
        t = d.community("C1")
        err(d.call("need.get", {"id": 424242}, token=t), "not_found")
        n = d.post_need(t)
        err(d.call("need.get", {"id": n["id"] + 1000}, token=t), "not_found")


def test_needs_readable_by_every_role():
    with Daemon() as d:
        a = d.community("C1")
        b = d.community("C2", street=STREET_B)
        o = d.org(ORG1)
        _, g = d.organizer("街道办", STREET_C)
        n = d.post_need(a)
        for tok in (a, b, o, g, d.admin):
            assert ok(d.call("need.get", {"id": n["id"]}, token=tok))["need"]["id"] == n["id"]
            items = ok(d.call("need.list", {}, token=tok))["items"]
            assert [i["id"] for i in items] == [n["id"]], items
        err(d.call("need.get", {"id": n["id"]}), "unauthenticated")


def test_need_post_forbidden_for_org_and_organizer():
    with Daemon() as d:
        d.community("C1")
        o = d.org(ORG1)
        _, g = d.organizer("街道办")
        args = {"title": "t", "category": "service.elderly", "budget": 1}
        err(d.call("need.post", args, token=o), "forbidden")
        err(d.call("need.post", dict(args, community="C1"), token=o), "forbidden")
        err(d.call("need.post", args, token=g), "forbidden")
        err(d.call("need.post", dict(args, community="C1"), token=g), "forbidden")
        assert _all_needs(d, d.admin) == []


def test_admin_posts_for_a_community():
    with Daemon() as d:
        d.community("C1", street=STREET_C)
        n = d.post_need(d.admin, community="C1")
        assert n["community"] == "C1" and n["street"] == STREET_C, n
        err(d.call("need.post", {"title": "t", "category": "service.elderly", "budget": 1,
                                 "community": "NOPE"}, token=d.admin),
            ("invalid_argument", "not_found"))
        assert len(_all_needs(d, d.admin)) == 1


def test_community_arg_of_another_community_forbidden():
    with Daemon() as d:
        a = d.community("C1")
        d.community("C2")
        err(d.call("need.post", {"title": "t", "category": "service.elderly", "budget": 1,
                                 "community": "C2"}, token=a), "forbidden")
        assert _all_needs(d, a) == []
        n = d.post_need(a, community="C1")
        assert n["community"] == "C1"


def test_need_update():
    with Daemon() as d:
        t = d.community("C1")
        n = d.post_need(t, title="旧标题", budget=100)
        time.sleep(1.1)
        u = ok(d.call("need.update", {"id": n["id"], "title": "新标题", "budget": 250.5,
                                      "description": "补充说明", "beneficiaries": 7},
                      token=t))["need"]
        assert u["id"] == n["id"] and u["title"] == "新标题" and u["budget"] == 250.5, u
        assert u["description"] == "补充说明" and u["beneficiaries"] == 7, u
        assert u["category"] == n["category"] and u["created"] == n["created"], u
        assert u["updated"] > n["updated"], "updated did not move: %r -> %r" % (n["updated"], u["updated"])
        g = ok(d.call("need.get", {"id": n["id"]}, token=t))["need"]
        assert g == u, (g, u)


def test_need_update_checks_values():
    with Daemon() as d:
        t = d.community("C1")
        n = d.post_need(t, budget=100)
        err(d.call("need.update", {"id": n["id"], "budget": 0}, token=t), "invalid_argument", "budget")
        err(d.call("need.update", {"id": n["id"], "category": "engineering.roofing"}, token=t),
            "invalid_argument", "category")
        err(d.call("need.update", {"id": n["id"], "colour": "red"}, token=t),
            "invalid_argument", "colour")
        err(d.call("need.update", {"id": n["id"], "title": "ok", "status": "matched"}, token=t),
            "invalid_argument", "status")
        g = ok(d.call("need.get", {"id": n["id"]}, token=t))["need"]
        assert g == n, "a refused update changed the need: %r" % g


def test_need_update_and_withdraw_ownership():
    with Daemon() as d:
        a = d.community("C1")
        b = d.community("C2")
        o = d.org(ORG1)
        n = d.post_need(a, title="甲的需求")
        for tok in (b, o):
            err(d.call("need.update", {"id": n["id"], "title": "乙改的"}, token=tok), "forbidden")
            err(d.call("need.withdraw", {"id": n["id"]}, token=tok), "forbidden")
        err(d.call("need.update", {"id": n["id"] + 99, "title": "x"}, token=a), "not_found")
        err(d.call("need.withdraw", {"id": n["id"] + 99}, token=a), "not_found")
        g = ok(d.call("need.get", {"id": n["id"]}, token=a))["need"]
        assert g["title"] == "甲的需求" and g["status"] == "open", g
        u = ok(d.call("need.update", {"id": n["id"], "title": "管理员改的"}, token=d.admin))["need"]
        assert u["title"] == "管理员改的" and u["community"] == "C1", u


def test_need_withdraw():
    with Daemon() as d:
        t = d.community("C1")
        n = d.post_need(t)
        w = ok(d.call("need.withdraw", {"id": n["id"]}, token=t))["need"]
        assert w["status"] == "withdrawn" and w["id"] == n["id"], w
        assert ok(d.call("need.get", {"id": n["id"]}, token=t))["need"]["status"] == "withdrawn"
        err(d.call("need.withdraw", {"id": n["id"]}, token=t), "conflict")
        err(d.call("need.update", {"id": n["id"], "title": "复活"}, token=t), "conflict")
        g = ok(d.call("need.get", {"id": n["id"]}, token=t))["need"]
        assert g["status"] == "withdrawn" and g["title"] == n["title"], g


def test_need_list_status_filter():
    with Daemon() as d:
        t = d.community("C1")
        n1 = d.post_need(t)
        n2 = d.post_need(t)
        ok(d.call("need.withdraw", {"id": n1["id"]}, token=t))
        assert [i["id"] for i in _all_needs(d, t)] == [n1["id"], n2["id"]], \
            "need.list without status must list every status"
        assert [i["id"] for i in _all_needs(d, t, status="withdrawn")] == [n1["id"]]
        assert [i["id"] for i in _all_needs(d, t, status="open")] == [n2["id"]]
        assert _all_needs(d, t, status="matched") == []
        err(d.call("need.list", {"status": "closed"}, token=t), "invalid_argument", "status")


def test_partners_cross_community_need():
    with Daemon() as d:
        a = d.community("C1")
        b = d.community("C2", street=STREET_B)
        d.community("C3", street=STREET_A)
        n = d.post_need(a, partners=["C2", "C3"])
        assert sorted(n["partners"]) == ["C2", "C3"], n
        assert n["community"] == "C1" and n["street"] == STREET_A
        g = ok(d.call("need.get", {"id": n["id"]}, token=b))["need"]
        assert sorted(g["partners"]) == ["C2", "C3"], g
        # a partner is not the owner
        err(d.call("need.update", {"id": n["id"], "title": "x"}, token=b), "forbidden")
        err(d.call("need.withdraw", {"id": n["id"]}, token=b), "forbidden")


def test_partners_must_be_other_existing_communities():
    with Daemon() as d:
        a = d.community("C1")
        d.community("C2")
        d.org(ORG1)
        for partners in (["NOPE"], ["C2", "NOPE"], ["C1"], [ORG1], "C2", [5]):
            err(d.call("need.post", {"title": "t", "category": "service.elderly", "budget": 1,
                                     "partners": partners}, token=a),
                "invalid_argument", "partners")
        assert _all_needs(d, a) == []


def test_ref_makes_post_idempotent():
    with Daemon() as d:
        a = d.community("C1")
        b = d.community("C2")
        n1 = d.post_need(a, ref="import-0001", title="第一次")
        n2 = d.post_need(a, ref="import-0001", title="第一次")
        assert n2["id"] == n1["id"], "same ref gave two needs: %r %r" % (n1, n2)
        assert n1["ref"] == "import-0001"
        n3 = d.post_need(a, ref="import-0002")
        assert n3["id"] != n1["id"]
        n4 = d.post_need(b, ref="import-0001")
        assert n4["id"] not in (n1["id"], n3["id"]), "ref must be per owner"
        mine = _all_needs(d, a, community="C1")
        assert sorted(i["id"] for i in mine) == sorted([n1["id"], n3["id"]]), mine
        assert len(_all_needs(d, a)) == 3


def test_ref_returns_the_stored_record_unchanged():
    with Daemon() as d:
        a = d.community("C1")
        n1 = d.post_need(a, ref="R-1", title="原来的", budget=100)
        n2 = d.post_need(a, ref="R-1", title="不同的", budget=999)
        assert n2["id"] == n1["id"] and n2["title"] == "原来的" and n2["budget"] == 100, n2
        g = ok(d.call("need.get", {"id": n1["id"]}, token=a))["need"]
        assert g["title"] == "原来的" and g["budget"] == 100, g
        # the admin posting for the same community with the same ref: the same owner
        n3 = d.post_need(d.admin, community="C1", ref="R-1")
        assert n3["id"] == n1["id"], n3


def test_ref_idempotent_when_pipelined():
    with Daemon() as d:
        a = d.community("C1")
        reqs = [{"id": i, "op": "need.post", "token": a,
                 "args": {"title": "重复", "category": "service.elderly", "budget": 9, "ref": "dup"}}
                for i in range(20)]
        ids = {ok(r)["need"]["id"] for r in d.pipeline(reqs)}
        assert len(ids) == 1, "20 posts with one ref made %d needs" % len(ids)
        assert len(_all_needs(d, a)) == 1


def test_need_list_filters():
    with Daemon() as d:
        a = d.community("C1", street=STREET_A)
        b = d.community("C2", street=STREET_B)
        c = d.community("C3", street=STREET_A)
        n_a1 = d.post_need(a, category="service.elderly")
        n_a2 = d.post_need(a, category="engineering.accessibility")
        n_b1 = d.post_need(b, category="service.children")
        n_c1 = d.post_need(c, category="goods.books")
        n_c2 = d.post_need(c, category="service.elderly")
        ok(d.call("need.withdraw", {"id": n_c2["id"]}, token=c))

        def ids(**f):
            return [i["id"] for i in _all_needs(d, b, **f)]
        assert ids(street=STREET_A) == [n_a1["id"], n_a2["id"], n_c1["id"], n_c2["id"]]
        assert ids(street=STREET_B) == [n_b1["id"]]
        assert ids(street="无此街道") == []
        assert ids(community="C1") == [n_a1["id"], n_a2["id"]]
        assert ids(category="service.elderly") == [n_a1["id"], n_c2["id"]]
        assert ids(category="service") == [n_a1["id"], n_b1["id"], n_c2["id"]]
        assert ids(category="engineering") == [n_a2["id"]]
        assert ids(street=STREET_A, category="service", status="open") == [n_a1["id"]]
        assert ids(community="C3", status="withdrawn") == [n_c2["id"]]


def test_need_list_limit_bounds():
    with Daemon() as d:
        t = d.community("C1")
        for lim in (0, -1, 1001, "10", 2.5):
            err(d.call("need.list", {"limit": lim}, token=t), "invalid_argument", "limit")
        assert ok(d.call("need.list", {"limit": 1000}, token=t))["items"] == []
        assert ok(d.call("need.list", {"limit": 1}, token=t))["next"] is None


def test_need_list_default_limit_50():
    with Daemon() as d:
        t = d.community("C1")
        reqs = [{"id": i, "op": "need.post", "token": t,
                 "args": {"title": "n%d" % i, "category": "service.elderly", "budget": 1}}
                for i in range(60)]
        ids = [ok(r)["need"]["id"] for r in d.pipeline(reqs)]
        p1 = ok(d.call("need.list", {}, token=t))
        assert len(p1["items"]) == 50, len(p1["items"])
        assert p1["next"] == p1["items"][-1]["id"], p1["next"]
        p2 = ok(d.call("need.list", {"after": p1["next"]}, token=t))
        assert [i["id"] for i in p1["items"] + p2["items"]] == sorted(ids)
        assert p2["next"] is None


def test_need_pagination_237_no_duplicates_no_gaps():
    with Daemon() as d:
        ta = d.community("C1", street=STREET_A)
        tb = d.community("C2", street=STREET_B)
        cats = ["service.elderly", "engineering.safety", "goods.supplies", "service.youth"]
        reqs = []
        for i in range(237):
            reqs.append({"id": i, "op": "need.post", "token": ta if i % 3 else tb,
                         "args": {"title": "需求%03d" % i, "category": cats[i % 4],
                                  "budget": 10 + i}})
        posted = [ok(r)["need"] for r in d.native().pipeline(reqs)]
        all_ids = sorted(n["id"] for n in posted)
        assert len(set(all_ids)) == 237

        items, pages = d.list_all("need.list", ta, {}, limit=10)
        got = [i["id"] for i in items]
        assert got == all_ids, "paging lost or repeated needs: %d items" % len(got)
        assert len(pages) == 24, "237 items at 10 a page: %d pages" % len(pages)
        for p in pages[:-1]:
            assert len(p["items"]) == 10 and p["next"] == p["items"][-1]["id"], p["next"]
        assert len(pages[-1]["items"]) == 7 and pages[-1]["next"] is None

        # with filters: service needs of street A
        want = sorted(n["id"] for n in posted
                      if n["street"] == STREET_A and n["category"].startswith("service."))
        items, _ = d.list_all("need.list", tb, {"street": STREET_A, "category": "service"}, limit=10)
        assert [i["id"] for i in items] == want
        for i in items:
            assert i["street"] == STREET_A and i["category"].startswith("service."), i

        # after in the middle
        mid = all_ids[100]
        r = ok(d.call("need.list", {"after": mid, "limit": 5}, token=ta))
        assert [i["id"] for i in r["items"]] == all_ids[101:106]
