"""match.suggest: hand-computed scores, ordering and ties, limit, hard filters,
withdrawn items, permissions, suggestions for an offer."""

from harness import Daemon, ok, err, STREET_A, STREET_B, STREET_C

ORG1 = "91440300MA5F000001"
ORG2 = "91440300MA5F000002"
ORG3 = "91440300MA5F000003"
PARTS = ("category", "budget", "text", "library", "locality")

# Titles made of characters no other title here shares: text similarity 0.
T_NEED = ["甲乙", "丙丁", "戊己", "庚辛", "壬癸"]
T_OFFER = ["子丑", "寅卯", "辰巳", "午未", "申酉", "戌亥", "金木", "水火", "土石", "山川",
           "江河", "湖海", "日月", "星辰"]


def _suggest(d, token, limit=None, **which):
    args = dict(which)
    if limit is not None:
        args["limit"] = limit
    items = ok(d.call("match.suggest", args, token=token))["items"]
    assert isinstance(items, list), items
    return items


def _check_item(it):
    want = {"need", "offer", "community", "org", "price", "score", "breakdown"}
    assert want <= set(it), "suggestion lacks %r: %r" % (want - set(it), it)
    assert set(it["breakdown"]) == set(PARTS), it["breakdown"]
    total = sum(it["breakdown"][p] for p in PARTS)
    assert abs(total - it["score"]) < 0.011, "breakdown %r sums to %.4f, score %r" % (
        it["breakdown"], total, it["score"])
    assert 0 <= it["score"] <= 100, it


def _close(a, b):
    return abs(a - b) < 0.006


def test_suggest_hand_computed_score():
    with Daemon() as d:
        c = d.community("C1", street=STREET_A)
        o = d.org(ORG1, street=STREET_A)
        n = d.post_need(c, title=T_NEED[0], category="service.elderly", budget=1000)
        off = d.post_offer(o, title=T_OFFER[0], category="service.elderly", price=500)
        items = _suggest(d, c, need=n["id"])
        assert len(items) == 1, items
        it = items[0]
        _check_item(it)
        assert it["need"] == n["id"] and it["offer"] == off["id"], it
        assert it["community"] == "C1" and it["org"] == ORG1 and it["price"] == 500, it
        # same sub-category 40, budget 25*500/1000 = 12.5, no shared text, not in the
        # library, the org is based in the need's street: 5
        want = {"category": 40, "budget": 12.5, "text": 0, "library": 0, "locality": 5}
        for p in PARTS:
            assert _close(it["breakdown"][p], want[p]), "%s: got %r, want %r" % (
                p, it["breakdown"][p], want[p])
        assert _close(it["score"], 57.5), "score %r, want 57.5" % it["score"]


def test_suggest_family_library_and_locality_parts():
    with Daemon() as d:
        c = d.community("C1", street=STREET_A)
        local = d.org(ORG1, street=STREET_A)
        away = d.org(ORG2, street=STREET_B, streets=[STREET_A, STREET_B])
        nobase = d.org(ORG3)                      # no street: serves "*", based nowhere
        n = d.post_need(c, title=T_NEED[0], category="service.elderly", budget=3000)
        o_fam = d.post_offer(local, title=T_OFFER[0], category="service.children", price=1000)
        o_lib = d.post_offer(away, title=T_OFFER[1], category="service.elderly", price=3000)
        o_wide = d.post_offer(nobase, title=T_OFFER[2], category="service.elderly", price=2400)
        ok(d.call("library.set", {"offer": o_lib["id"], "in_library": True}, token=d.admin))
        items = _suggest(d, c, need=n["id"])
        for it in items:
            _check_item(it)
        by = {it["offer"]: it for it in items}
        assert set(by) == {o_fam["id"], o_lib["id"], o_wide["id"]}, items
        want = {
            # family only 15, 25*1000/3000 = 8.33, local 5
            o_fam["id"]: {"category": 15, "budget": 8.33, "text": 0, "library": 0, "locality": 5},
            # same sub 40, 25*3000/3000 = 25, library 10, based in another street
            o_lib["id"]: {"category": 40, "budget": 25, "text": 0, "library": 10, "locality": 0},
            # same sub 40, 25*2400/3000 = 20, no base street: no locality
            o_wide["id"]: {"category": 40, "budget": 20, "text": 0, "library": 0, "locality": 0},
        }
        for oid, w in want.items():
            for p in PARTS:
                assert _close(by[oid]["breakdown"][p], w[p]), "offer %d %s: got %r, want %r" % (
                    oid, p, by[oid]["breakdown"][p], w[p])
            assert _close(by[oid]["score"], sum(w.values())), by[oid]
        assert [it["offer"] for it in items] == [o_lib["id"], o_wide["id"], o_fam["id"]], items


def test_suggest_text_similarity_part():
    with Daemon() as d:
        c = d.community("C1", street=STREET_A)
        o = d.org(ORG1, street=STREET_B, streets=["*"])
        # need tokens {助餐, 餐服, 服务}; offer tokens {助餐, 餐配, 配送}: Dice 2/6
        n = d.post_need(c, title="助餐服务", category="service.elderly", budget=1000)
        o1 = d.post_offer(o, title="助餐配送", category="service.elderly", price=1000)
        # need2 tokens {meals, 长者}; offer2 tokens {meals, delivery} (lower-cased): Dice 2/4
        n2 = d.post_need(c, title="Meals", description="长者", category="goods.supplies",
                         budget=1000)
        o2 = d.post_offer(o, title="MEALS delivery", category="goods.supplies", price=1000)
        it = _suggest(d, c, need=n["id"])
        assert [x["offer"] for x in it] == [o1["id"]], it
        _check_item(it[0])
        assert _close(it[0]["breakdown"]["text"], 6.67), "text part %r, want 20*2/6 = 6.67" % (
            it[0]["breakdown"],)
        assert _close(it[0]["score"], 40 + 25 + 6.67), it[0]
        it = _suggest(d, c, need=n2["id"])
        assert [x["offer"] for x in it] == [o2["id"]], it
        assert _close(it[0]["breakdown"]["text"], 10), "text part %r, want 20*2/4 = 10" % (
            it[0]["breakdown"],)


def test_suggest_ordering_and_ties():
    with Daemon() as d:
        c = d.community("C1", street=STREET_A)
        o = d.org(ORG1, street=STREET_B, streets=["*"])      # never local
        n = d.post_need(c, title=T_NEED[0], category="service.elderly", budget=1000)
        # scores: a 40+15 = 55 (price 600); b 40+5+10 = 55 (price 200, library);
        # c, e: 40+5 = 45 (price 200, equal); f 40+25 = 65 (price 1000); g 15+20 = 35
        oa = d.post_offer(o, title=T_OFFER[0], price=600)
        ob = d.post_offer(o, title=T_OFFER[1], price=200)
        oc = d.post_offer(o, title=T_OFFER[2], price=200)
        oe = d.post_offer(o, title=T_OFFER[3], price=200)
        of = d.post_offer(o, title=T_OFFER[4], price=1000)
        og = d.post_offer(o, title=T_OFFER[5], category="service.health", price=800)
        ok(d.call("library.set", {"offer": ob["id"], "in_library": True}, token=d.admin))
        items = _suggest(d, c, need=n["id"])
        for it in items:
            _check_item(it)
        got = [(it["offer"], it["score"]) for it in items]
        want = [(of["id"], 65), (ob["id"], 55), (oa["id"], 55), (oc["id"], 45),
                (oe["id"], 45), (og["id"], 35)]
        assert len(got) == len(want), got
        for (gid, gs), (wid, ws) in zip(got, want):
            assert gid == wid and _close(gs, ws), \
                "order: got %r, want %r (score desc, then lower price, then lower id)" % (got, want)
        # the order is score desc, then price asc, then offer id asc
        keys = [(-it["score"], it["price"], it["offer"]) for it in items]
        assert keys == sorted(keys), keys


def test_suggest_limit():
    with Daemon() as d:
        c = d.community("C1", street=STREET_A)
        o = d.org(ORG1, street=STREET_A)
        n = d.post_need(c, title=T_NEED[0], budget=10000)
        ids = [d.post_offer(o, title=T_OFFER[i], price=100 * (i + 1))["id"] for i in range(14)]
        full = _suggest(d, c, need=n["id"], limit=100)
        assert sorted(it["offer"] for it in full) == sorted(ids), full
        # higher price scores higher here (budget part), so the best is the dearest
        assert [it["offer"] for it in full] == list(reversed(ids)), full
        dflt = _suggest(d, c, need=n["id"])
        assert len(dflt) == 10, "default limit must be 10, got %d" % len(dflt)
        assert dflt == full[:10], (dflt, full[:10])
        three = _suggest(d, c, need=n["id"], limit=3)
        assert three == full[:3], (three, full[:3])
        assert _suggest(d, c, need=n["id"], limit=1) == full[:1]
        for bad in (0, 101, -1, 2.5, "3"):
            err(d.call("match.suggest", {"need": n["id"], "limit": bad}, token=c),
                "invalid_argument", "limit")


def test_suggest_hard_filters():
    with Daemon() as d:
        c = d.community("C1", street=STREET_A)
        oa = d.org(ORG1, street=STREET_A)
        ob = d.org(ORG2, street=STREET_B)                    # serves STREET_B only
        ow = d.org(ORG3)                                     # serves "*"
        n = d.post_need(c, title=T_NEED[0], category="engineering.facility", budget=1000)
        good = d.post_offer(oa, title=T_OFFER[0], category="engineering.facility", price=1000)
        fam = d.post_offer(oa, title=T_OFFER[1], category="engineering.greening", price=500)
        star = d.post_offer(ow, title=T_OFFER[2], category="engineering.safety", price=999.99)
        other_family = d.post_offer(oa, title=T_OFFER[3], category="service.elderly", price=100)
        goods = d.post_offer(oa, title=T_OFFER[4], category="goods.equipment", price=100)
        dear = d.post_offer(oa, title=T_OFFER[5], category="engineering.facility", price=1000.01)
        away = d.post_offer(ob, title=T_OFFER[6], category="engineering.facility", price=100)
        elsewhere = d.post_offer(oa, title=T_OFFER[7], category="engineering.facility",
                                 price=100, streets=[STREET_B, STREET_C])
        items = _suggest(d, c, need=n["id"], limit=100)
        got = {it["offer"] for it in items}
        assert got == {good["id"], fam["id"], star["id"]}, (
            "want exactly the same-family, affordable, serving offers %r, got %r "
            "(other family %d, goods %d, over budget %d, not serving %d, %d)" % (
                sorted([good["id"], fam["id"], star["id"]]), sorted(got), other_family["id"],
                goods["id"], dear["id"], away["id"], elsewhere["id"]))
        for it in items:
            _check_item(it)
            assert it["price"] <= 1000, it


def test_suggest_skips_withdrawn_offers_and_needs():
    with Daemon() as d:
        c = d.community("C1", street=STREET_A)
        o = d.org(ORG1, street=STREET_A)
        n = d.post_need(c, title=T_NEED[0], budget=1000)
        n2 = d.post_need(c, title=T_NEED[1], budget=1000)
        o1 = d.post_offer(o, title=T_OFFER[0], price=500)
        o2 = d.post_offer(o, title=T_OFFER[1], price=600)
        assert {it["offer"] for it in _suggest(d, c, need=n["id"])} == {o1["id"], o2["id"]}
        ok(d.call("offer.withdraw", {"id": o2["id"]}, token=o))
        items = _suggest(d, c, need=n["id"])
        assert [it["offer"] for it in items] == [o1["id"]], \
            "withdrawn offer %d still suggested: %r" % (o2["id"], items)
        ok(d.call("need.withdraw", {"id": n2["id"]}, token=c))
        items = _suggest(d, o, offer=o1["id"])
        assert [it["need"] for it in items] == [n["id"]], \
            "withdrawn need %d still suggested: %r" % (n2["id"], items)


def test_suggest_for_an_offer():
    with Daemon() as d:
        ca = d.community("CA", street=STREET_A)
        cb = d.community("CB", street=STREET_B)
        cc = d.community("CC", street=STREET_C)
        o = d.org(ORG1, street=STREET_A, streets=[STREET_A, STREET_B])
        off = d.post_offer(o, title=T_OFFER[0], category="service.elderly", price=600)
        n1 = d.post_need(ca, title=T_NEED[0], category="service.elderly", budget=600)   # 40+25+5
        n2 = d.post_need(cb, title=T_NEED[1], category="service.elderly", budget=1200)  # 40+12.5
        n3 = d.post_need(ca, title=T_NEED[2], category="service.youth", budget=800)     # 15+18.75+5
        d.post_need(cc, title=T_NEED[3], category="service.elderly", budget=600)       # street C
        d.post_need(ca, title=T_NEED[4], category="service.elderly", budget=599.99)    # too small
        d.post_need(ca, title="乾坤", category="goods.books", budget=5000)              # other family
        items = _suggest(d, o, offer=off["id"], limit=100)
        for it in items:
            _check_item(it)
            assert it["offer"] == off["id"] and it["org"] == ORG1 and it["price"] == 600, it
        got = [(it["need"], it["community"], it["score"]) for it in items]
        want = [(n1["id"], "CA", 70), (n3["id"], "CA", 38.75), (n2["id"], "CB", 52.5)]
        want.sort(key=lambda w: -w[2])
        assert [(g[0], g[1]) for g in got] == [(w[0], w[1]) for w in want], (got, want)
        for g, w in zip(got, want):
            assert _close(g[2], w[2]), (got, want)
        # the same pair scores the same from either side
        from_need = _suggest(d, ca, need=n1["id"])
        assert from_need[0]["offer"] == off["id"] and from_need[0] == items[0], (from_need, items)


def test_suggest_permissions():
    with Daemon() as d:
        c1 = d.community("C1", street=STREET_A)
        c2 = d.community("C2", street=STREET_A)
        o1 = d.org(ORG1, street=STREET_A)
        o2 = d.org(ORG2, street=STREET_A, streets=["*"])     # may offer to "*"
        _, g_a = d.organizer("莲花街道办", STREET_A)
        _, g_b = d.organizer("园岭街道办", STREET_B)
        _, g_all = d.organizer("区对接会")
        n = d.post_need(c1, title=T_NEED[0], budget=1000)
        off = d.post_offer(o1, title=T_OFFER[0], price=500)               # serves STREET_A
        wide = d.post_offer(o2, title=T_OFFER[1], price=400, streets=["*"])
        for tok in (c1, g_a, g_all, d.admin):
            items = _suggest(d, tok, need=n["id"])
            assert {it["offer"] for it in items} == {off["id"], wide["id"]}, items
        for tok in (c2, o1, o2, g_b):
            err(d.call("match.suggest", {"need": n["id"]}, token=tok), "forbidden")
        for tok in (o1, g_a, g_all, d.admin):
            items = _suggest(d, tok, offer=off["id"])
            assert [it["need"] for it in items] == [n["id"]], items
        for tok in (o2, c1, c2, g_b):
            err(d.call("match.suggest", {"offer": off["id"]}, token=tok), "forbidden")
        # an offer serving "*" is in every street organizer's scope
        for tok in (g_a, g_b, o2):
            assert [it["need"] for it in _suggest(d, tok, offer=wide["id"])] == [n["id"]]
        err(d.call("match.suggest", {"need": n["id"]}), "unauthenticated")


def test_suggest_arguments():
    with Daemon() as d:
        c = d.community("C1", street=STREET_A)
        o = d.org(ORG1, street=STREET_A)
        n = d.post_need(c, title=T_NEED[0], budget=1000)
        off = d.post_offer(o, title=T_OFFER[0], price=500)
        err(d.call("match.suggest", {"need": n["id"], "offer": off["id"]}, token=d.admin),
            "invalid_argument")
        err(d.call("match.suggest", {}, token=d.admin), "invalid_argument")
        err(d.call("match.suggest", {"need": n["id"] + 100}, token=d.admin), "not_found", "need")
        err(d.call("match.suggest", {"offer": off["id"] + 100}, token=d.admin), "not_found",
            "offer")
        err(d.call("match.suggest", {"need": "1"}, token=d.admin), "invalid_argument", "need")
        err(d.call("match.suggest", {"need": n["id"], "colour": 1}, token=d.admin),
            "invalid_argument", "colour")


def test_suggest_weights_from_configuration():
    # weights still adding up to 100: category 40, budget 50, text 0, library 10
    with Daemon(conf_overrides={"weights.budget": 50, "weights.text": 0,
                                "weights.locality": 0}) as d:
        c = d.community("C1", street=STREET_A)
        o = d.org(ORG1, street=STREET_A)
        n = d.post_need(c, title=T_NEED[0], budget=1000)
        off = d.post_offer(o, title=T_OFFER[0], price=500)
        ok(d.call("library.set", {"offer": off["id"], "in_library": True}, token=d.admin))
        it = _suggest(d, c, need=n["id"])[0]
        _check_item(it)
        want = {"category": 40, "budget": 25, "text": 0, "library": 10, "locality": 0}
        for p in PARTS:
            assert _close(it["breakdown"][p], want[p]), (p, it["breakdown"], want)
