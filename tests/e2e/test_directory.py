"""The directory (community.get/list, org.get/list) and taxonomy.get."""
import time

from harness import Daemon, ok, err, STREET_A, STREET_B

ORG = "91440300MA5FDIR001"


def test_taxonomy_get_matches_configuration():
    with Daemon(conf_overrides={"taxonomy.goods": "books, toys"}) as d:
        t = d.community("C1")
        fams = ok(d.call("taxonomy.get", token=t))["families"]
        by = {f["name"]: f for f in fams}
        assert by["goods"]["subs"] == ["books", "toys"], by["goods"]
        assert by["engineering"]["positive_list"] is True
        assert by["service"]["positive_list"] is False
        assert "elderly" in by["service"]["subs"]
        # what people call them, for the configured categories only; toys has no name
        names = ok(d.call("taxonomy.get", token=t))["names"]
        assert names["goods"] == {"zh": "物资类", "en": "Goods"}, names
        assert names["goods.books"] == {"zh": "图书", "en": "Books"}, names
        assert names["service.elderly"] == {"zh": "长者", "en": "Elderly"}, names
        assert "goods.toys" not in names and "goods.equipment" not in names, names
        assert set(names) <= {f["name"] for f in fams} | {
            "%s.%s" % (f["name"], x) for f in fams for x in f["subs"]}, names
        err(d.call("taxonomy.get", {"x": 1}, token=t), "invalid_argument", "x")
        err(d.call("taxonomy.get"), "unauthenticated")


def test_community_get_counts_confirmed_amount_against_cap():
    with Daemon() as d:
        c = d.community("C1", cap=100000)
        o = d.org(ORG, street=STREET_A)
        _, g = d.organizer(street=STREET_A)
        c0 = ok(d.call("community.get", {"code": "C1"}, token=o))["community"]
        assert c0["cap"] == 100000 and c0["used"] == 0 and c0["left"] == 100000, c0
        n = d.post_need(c, title="助餐", category="service.elderly", budget=50000)
        ok(d.call("offer.post", {"title": "助餐服务", "category": "service.elderly",
                                 "price": 30000.5}, token=o))
        today = time.strftime("%Y-%m-%d", time.gmtime())
        f = ok(d.call("fair.create", {"name": "对接会", "date": today}, token=g))["fair"]
        ok(d.call("fair.enroll", {"fair": f["id"], "all": True}, token=g))
        ok(d.call("fair.match", {"fair": f["id"]}, token=g))
        m = ok(d.call("fair.matches", {"fair": f["id"]}, token=g))["items"][0]
        assert m["category"] == "service.elderly", m      # the need's category
        ok(d.call("match.respond", {"match": m["id"], "decision": "accept"}, token=c))
        ok(d.call("match.respond", {"match": m["id"], "decision": "accept"}, token=o))
        c1 = ok(d.call("community.get", {"code": "C1"}, token=c))["community"]
        assert c1["year"] == int(today[:4]), c1
        assert c1["used"] == 30000.5 and c1["left"] == 69999.5, c1
        assert n["id"] == m["need"]
        err(d.call("community.get", {"code": "NOPE"}, token=c), "not_found", "code")


def test_community_list_pages_by_code():
    with Daemon() as d:
        a = d.admin
        for i in range(12):
            d.community("K%02d" % i, street=STREET_A if i % 2 else STREET_B)
        seen, after = [], None
        while True:
            args = {"limit": 5}
            if after:
                args["after"] = after
            page = ok(d.call("community.list", args, token=a))
            seen += [c["code"] for c in page["items"]]
            after = page["next"]
            if after is None:
                break
            assert isinstance(after, str)
        assert seen == sorted(seen) and len(seen) == 12 and len(set(seen)) == 12, seen
        odd = ok(d.call("community.list", {"street": STREET_A, "limit": 100}, token=a))
        assert [c["code"] for c in odd["items"]] == ["K%02d" % i for i in range(1, 12, 2)]


def test_org_get_and_list_filters():
    with Daemon() as d:
        a = d.admin
        d.org(ORG, street=STREET_A)
        d.org("91440300MA5FDIR002", kind="registered", streets=["*"])
        d.org("59440303MC5FDIR003", kind="filed", street=STREET_B)
        o = ok(d.call("org.get", {"code": ORG}, token=a))["org"]
        assert o["code"] == ORG and o["street"] == STREET_A and o["streets"] == [STREET_A], o
        here = ok(d.call("org.list", {"street": STREET_A, "limit": 100}, token=a))["items"]
        assert {x["code"] for x in here} == {ORG, "91440300MA5FDIR002"}, here
        filed = ok(d.call("org.list", {"kind": "filed"}, token=a))["items"]
        assert [x["code"] for x in filed] == ["59440303MC5FDIR003"]
        err(d.call("org.get", {"code": "NOPE"}, token=a), "not_found", "code")
        err(d.call("org.list", {"kind": "other"}, token=a), "invalid_argument", "kind")
