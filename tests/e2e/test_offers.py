"""Offers: post / get / list / update / withdraw, joint applications, library, ownership."""

import time

from harness import Daemon, ok, err, ISO_RE, STREET_A, STREET_B, STREET_C

ORG1 = "91440300MA5F000001"
ORG2 = "91440300MA5F000002"
ORG3 = "91440300MA5F000003"
FILED = "52440300MJL000001X"


def _all_offers(d, token, **filters):
    items, _ = d.list_all("offer.list", token, filters, limit=1000)
    return items


def test_offer_post_fields_and_defaults():
    with Daemon() as d:
        o = d.org(ORG1, street=STREET_A)
        off = d.post_offer(o, title="长者助餐配送", category="service.elderly", price=30000)
        want = {"id", "org", "partner", "title", "category", "price", "capacity", "remaining",
                "streets", "in_library", "status", "description", "ref", "created", "updated"}
        assert want <= set(off), "missing fields: %r" % (want - set(off))
        assert isinstance(off["id"], int) and off["id"] > 0
        assert off["org"] == ORG1 and off["partner"] is None, off
        assert off["capacity"] == 1 and off["remaining"] == 1, off
        assert off["streets"] == [STREET_A], "streets must default to the org's: %r" % off
        assert off["in_library"] is False and off["status"] == "open", off
        assert off["description"] == "" and off["ref"] is None and off["price"] == 30000, off
        assert ISO_RE.match(off["created"]) and ISO_RE.match(off["updated"]), off
        g = ok(d.call("offer.get", {"id": off["id"]}, token=o))["offer"]
        assert g == off, (g, off)


def test_offer_streets_default_and_explicit():
    with Daemon() as d:
        wide = d.org(ORG1)                     # no street: serves "*"
        off = d.post_offer(wide)
        assert off["streets"] == ["*"], off
        o2 = d.org(ORG2, street=STREET_A, streets=[STREET_A, STREET_B])
        off2 = d.post_offer(o2)
        assert sorted(off2["streets"]) == sorted([STREET_A, STREET_B]), off2
        off3 = d.post_offer(o2, streets=[STREET_C])
        assert off3["streets"] == [STREET_C], off3


def test_offer_capacity():
    with Daemon() as d:
        o = d.org(ORG1)
        off = d.post_offer(o, capacity=3)
        assert off["capacity"] == 3 and off["remaining"] == 3, off
        u = ok(d.call("offer.update", {"id": off["id"], "capacity": 5}, token=o))["offer"]
        assert u["capacity"] == 5 and u["remaining"] == 5, u
        u = ok(d.call("offer.update", {"id": off["id"], "capacity": 2}, token=o))["offer"]
        assert u["capacity"] == 2 and u["remaining"] == 2, u
        for bad in (0, -1, 1.5, "3"):
            err(d.call("offer.post", {"title": "t", "category": "service.elderly", "price": 1,
                                      "capacity": bad}, token=o), "invalid_argument", "capacity")
        assert len(_all_offers(d, o)) == 1


def test_filed_org_needs_registered_partner():
    with Daemon() as d:
        d.org(ORG1, kind="registered")
        d.org(ORG2, kind="filed")
        f = d.org(FILED, kind="filed")
        args = {"title": "邻里互助", "category": "service.neighbourhood", "price": 5000}
        err(d.call("offer.post", args, token=f), "invalid_argument", "partner")
        err(d.call("offer.post", dict(args, partner="NOSUCHORG"), token=f), "invalid_argument", "partner")
        err(d.call("offer.post", dict(args, partner=ORG2), token=f), "invalid_argument", "partner")
        err(d.call("offer.post", dict(args, partner=FILED), token=f), "invalid_argument", "partner")
        assert _all_offers(d, f) == []
        off = ok(d.call("offer.post", dict(args, partner=ORG1), token=f))["offer"]
        assert off["org"] == FILED and off["partner"] == ORG1, off


def test_registered_org_may_name_a_partner():
    with Daemon() as d:
        r = d.org(ORG1)
        d.org(ORG2)
        off = d.post_offer(r, partner=ORG2)
        assert off["partner"] == ORG2
        err(d.call("offer.post", {"title": "t", "category": "service.elderly", "price": 1,
                                  "partner": "NOSUCHORG"}, token=r), "invalid_argument", "partner")


def test_offer_post_forbidden_for_community_and_organizer():
    with Daemon() as d:
        d.org(ORG1)
        c = d.community("C1")
        _, g = d.organizer("街道办")
        args = {"title": "t", "category": "service.elderly", "price": 1}
        for tok in (c, g):
            err(d.call("offer.post", args, token=tok), "forbidden")
            err(d.call("offer.post", dict(args, org=ORG1), token=tok), "forbidden")
        assert _all_offers(d, d.admin) == []


def test_admin_posts_for_an_org_and_org_arg_of_another_forbidden():
    with Daemon() as d:
        o1 = d.org(ORG1, street=STREET_B)
        d.org(ORG2)
        off = d.post_offer(d.admin, org=ORG1)
        assert off["org"] == ORG1 and off["streets"] == [STREET_B], off
        err(d.call("offer.post", {"title": "t", "category": "service.elderly", "price": 1,
                                  "org": ORG2}, token=o1), "forbidden")
        assert [i["id"] for i in _all_offers(d, o1)] == [off["id"]]


def test_offer_update_and_withdraw_ownership():
    with Daemon() as d:
        o1 = d.org(ORG1)
        o2 = d.org(ORG2)
        c = d.community("C1")
        off = d.post_offer(o1, title="原名")
        for tok in (o2, c):
            err(d.call("offer.update", {"id": off["id"], "title": "改名"}, token=tok), "forbidden")
            err(d.call("offer.withdraw", {"id": off["id"]}, token=tok), "forbidden")
        err(d.call("offer.update", {"id": off["id"] + 50, "title": "x"}, token=o1), "not_found")
        err(d.call("offer.withdraw", {"id": off["id"] + 50}, token=o1), "not_found")
        err(d.call("offer.get", {"id": off["id"] + 50}, token=o1), "not_found")
        g = ok(d.call("offer.get", {"id": off["id"]}, token=c))["offer"]
        assert g["title"] == "原名" and g["status"] == "open", g
        time.sleep(1.1)
        u = ok(d.call("offer.update", {"id": off["id"], "title": "新名", "price": 88.8},
                      token=o1))["offer"]
        assert u["title"] == "新名" and u["price"] == 88.8 and u["updated"] > off["updated"], u


def test_offer_withdraw():
    with Daemon() as d:
        o = d.org(ORG1)
        off = d.post_offer(o)
        w = ok(d.call("offer.withdraw", {"id": off["id"]}, token=o))["offer"]
        assert w["status"] == "withdrawn", w
        err(d.call("offer.withdraw", {"id": off["id"]}, token=o), "conflict")
        assert [i["id"] for i in _all_offers(d, o, status="withdrawn")] == [off["id"]]
        assert _all_offers(d, o, status="open") == []


def test_offer_list_filters():
    with Daemon() as d:
        oa = d.org(ORG1, street=STREET_A)            # serves [A]
        ow = d.org(ORG2)                             # serves ["*"]
        ob = d.org(ORG3, street=STREET_B)            # serves [B]
        x1 = d.post_offer(oa, category="service.elderly")
        x2 = d.post_offer(ow, category="engineering.greening")
        x3 = d.post_offer(ob, category="service.children")
        x4 = d.post_offer(oa, category="goods.equipment", streets=[STREET_C])

        def ids(**f):
            return [i["id"] for i in _all_offers(d, ob, **f)]
        assert ids(street=STREET_A) == [x1["id"], x2["id"]], "street filter must include '*'"
        assert ids(street=STREET_B) == [x2["id"], x3["id"]]
        assert ids(street=STREET_C) == [x2["id"], x4["id"]]
        assert ids(org=ORG1) == [x1["id"], x4["id"]]
        assert ids(category="service") == [x1["id"], x3["id"]]
        assert ids(category="engineering.greening") == [x2["id"]]
        assert ids(in_library=False) == [x1["id"], x2["id"], x3["id"], x4["id"]]
        assert ids(in_library=True) == []
        ok(d.call("offer.withdraw", {"id": x1["id"]}, token=oa))
        assert ids(street=STREET_A, status="open") == [x2["id"]]
        assert ids() == [x1["id"], x2["id"], x3["id"], x4["id"]]


def test_library_set():
    with Daemon() as d:
        o = d.org(ORG1)
        c = d.community("C1")
        off = d.post_offer(o)
        other = d.post_offer(o)
        for tok in (o, c):
            err(d.call("library.set", {"offer": off["id"], "in_library": True}, token=tok),
                "forbidden")
        r = ok(d.call("library.set", {"offer": off["id"], "in_library": True}, token=d.admin))
        assert r["offer"]["in_library"] is True and r["offer"]["id"] == off["id"], r
        assert ok(d.call("offer.get", {"id": off["id"]}, token=c))["offer"]["in_library"] is True
        assert [i["id"] for i in _all_offers(d, c, in_library=True)] == [off["id"]]
        assert [i["id"] for i in _all_offers(d, c, in_library=False)] == [other["id"]]
        err(d.call("library.set", {"offer": off["id"] + 99, "in_library": True}, token=d.admin),
            "not_found")
        err(d.call("library.set", {"offer": off["id"], "in_library": "yes"}, token=d.admin),
            "invalid_argument", "in_library")
        r = ok(d.call("library.set", {"offer": off["id"], "in_library": False}, token=d.admin))
        assert r["offer"]["in_library"] is False


def test_offer_ref_idempotent():
    with Daemon() as d:
        o = d.org(ORG1)
        a = d.post_offer(o, ref="cat-7")
        b = d.post_offer(o, ref="cat-7")
        assert a["id"] == b["id"] and a["ref"] == "cat-7"
        assert len(_all_offers(d, o)) == 1


def test_offer_category_positive_list():
    with Daemon() as d:
        o = d.org(ORG1)
        for cat in ("engineering.roofing", "service.nonsense", "goods"):
            err(d.call("offer.post", {"title": "t", "category": cat, "price": 1}, token=o),
                "invalid_argument", "category")
        assert _all_offers(d, o) == []


def test_offer_pagination_with_street_filter():
    with Daemon() as d:
        oa = d.org(ORG1, street=STREET_A)
        ob = d.org(ORG2, street=STREET_B)
        ow = d.org(ORG3)
        toks = [oa, ob, ow]
        reqs = [{"id": i, "op": "offer.post", "token": toks[i % 3],
                 "args": {"title": "服务%d" % i, "category": "service.culture", "price": i}}
                for i in range(123)]
        posted = [ok(r)["offer"] for r in d.native().pipeline(reqs)]
        want = sorted(p["id"] for p in posted if p["org"] in (ORG1, ORG3))
        items, pages = d.list_all("offer.list", oa, {"street": STREET_A}, limit=7)
        assert [i["id"] for i in items] == want, "street-filtered paging lost or repeated offers"
        items, _ = d.list_all("offer.list", oa, {}, limit=7)
        assert [i["id"] for i in items] == sorted(p["id"] for p in posted)
