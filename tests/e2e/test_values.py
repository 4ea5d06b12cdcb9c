"""Values (docs/protocol.md, "Values"): amounts, text, codes, categories, dates.

Every refused write is followed by a read that shows nothing was stored."""

import json

from harness import Daemon, ok, err, STREET_A

NEED = {"title": "长者助餐", "category": "service.elderly", "budget": 100}


def _needs(d, token):
    items, _ = d.list_all("need.list", token, {}, limit=1000)
    return items


def _post(d, token, **over):
    a = dict(NEED)
    a.update(over)
    return d.call("need.post", a, token=token)


def test_budget_more_than_two_decimals():
    with Daemon() as d:
        t = d.community("C1")
        for v in (1.005, 0.001, 100.123, 19.999):
            err(_post(d, t, budget=v), "invalid_argument", "budget")
        assert _needs(d, t) == []


def test_budget_decimals_counted_on_the_text_not_the_double():
    """1.0000000000000001 parses to the double 1.0, but it has 16 decimal places: storing
    it as 1 would not be "stored exactly"."""
    with Daemon() as d:
        t = d.community("C1")
        c = d.native()
        for lit in ("1.0000000000000001", "0.1000000000000000055511151231257827",
                    "1234.5600000000001", "100.0000000000000000001"):
            r = c.call_raw('{"op":"need.post","token":%s,"args":{"title":"a",'
                           '"category":"service.elderly","budget":%s}}' % (json.dumps(t), lit))
            err(r, "invalid_argument", "budget")
        assert _needs(d, t) == []


def test_budget_string_refused():
    with Daemon() as d:
        t = d.community("C1")
        for v in ("100", "100.00", None, True, [100], {"yuan": 100}):
            err(_post(d, t, budget=v), "invalid_argument", "budget")
        assert _needs(d, t) == []


def test_budget_1e400_refused():
    with Daemon() as d:
        t = d.community("C1")
        c = d.native()
        for lit in ("1e400", "-1e400", "1E+400"):
            r = c.call_raw('{"op":"need.post","token":%s,"args":{"title":"a",'
                           '"category":"service.elderly","budget":%s}}' % (json.dumps(t), lit))
            err(r, "invalid_argument", "budget")
        assert _needs(d, t) == []


def test_budget_range():
    with Daemon() as d:
        # the value range; a budget is also at most its community's cap
        t = d.community("C1", cap=10000000000)
        for v in (0, 0.0, -0.01, -5, 10000000000.01, 1e11):
            err(_post(d, t, budget=v), "invalid_argument", "budget")
        assert _needs(d, t) == []
        n = ok(_post(d, t, budget=10000000000))["need"]
        assert n["budget"] == 10000000000, n
        n = ok(_post(d, t, budget=0.01))["need"]
        assert n["budget"] == 0.01, n


def test_amounts_stored_exactly():
    with Daemon() as d:
        t = d.community("C1", cap=10000000000)
        # values whose float x 100 is not an integer: a naive (int)(x*100) loses a fen
        values = [19.99, 4.35, 1.1, 0.29, 1234.56, 9999999999.99, 8.2, 0.57, 50000, 1e3]
        ids = {}
        for v in values:
            n = ok(_post(d, t, budget=v))["need"]
            assert n["budget"] == v, "posted %r, answer says %r" % (v, n["budget"])
            assert isinstance(n["budget"], (int, float)) and not isinstance(n["budget"], bool)
            ids[n["id"]] = v
        for nid, v in ids.items():
            got = ok(d.call("need.get", {"id": nid}, token=t))["need"]["budget"]
            assert got == v, "posted %r, read back %r" % (v, got)


def test_two_decimal_forms_accepted():
    with Daemon() as d:
        t = d.community("C1")
        c = d.native()
        for lit, want in (("100.50", 100.5), ("100.00", 100), ("1.5e2", 150), ("12e-2", 0.12)):
            r = c.call_raw('{"op":"need.post","token":%s,"args":{"title":"a",'
                           '"category":"service.elderly","budget":%s}}' % (json.dumps(t), lit))
            assert ok(r)["need"]["budget"] == want, (lit, r)


def test_price_zero_allowed_negative_refused():
    with Daemon() as d:
        o = d.org("91440300MA5F000001")
        off = d.post_offer(o, price=0)
        assert off["price"] == 0, off
        for v in (-1, -0.01, 1.001, "0", 10000000000.01):
            err(d.call("offer.post", {"title": "x", "category": "service.elderly", "price": v},
                       token=o), "invalid_argument", "price")
        items, _ = d.list_all("offer.list", o, {}, limit=1000)
        assert [i["id"] for i in items] == [off["id"]], items


def test_cap_values():
    with Daemon() as d:
        a = d.admin
        r = ok(d.call("community.create", {"code": "Z0", "name": "零", "street": STREET_A, "cap": 0},
                      token=a))
        assert r["community"]["cap"] == 0, r
        r = ok(d.call("community.create", {"code": "Z1", "name": "一", "street": STREET_A,
                                           "cap": 1234567.89}, token=a))
        assert r["community"]["cap"] == 1234567.89, r
        for v in (-1, 1.001, "100", 10000000000.01):
            err(d.call("community.create", {"code": "Z2", "name": "二", "street": STREET_A,
                                            "cap": v}, token=a), "invalid_argument", "cap")
        # Z2 was never created: creating it now succeeds
        ok(d.call("community.create", {"code": "Z2", "name": "二", "street": STREET_A}, token=a))


def test_control_character_in_title_refused():
    with Daemon() as d:
        t = d.community("C1")
        for bad in ("a\u0001b", "x\u001f", "x\u007f", "x\rx", "\u001bx"):
            err(_post(d, t, title=bad), "invalid_argument", "title")
        # NUL: refused either way (a C string cannot hold it)
        err(_post(d, t, title="\u0000x"), ("invalid_argument", "parse_error"))
        err(_post(d, t, description="ok\u0002no"), "invalid_argument", "description")
        assert _needs(d, t) == []


def test_newline_and_tab_allowed_in_description():
    with Daemon() as d:
        t = d.community("C1")
        desc = "第一行\n第二行\t制表, \"引号\" and \\ backslash"
        n = ok(_post(d, t, description=desc))["need"]
        assert n["description"] == desc, n
        got = ok(d.call("need.get", {"id": n["id"]}, token=t))["need"]
        assert got["description"] == desc


def test_title_length_in_characters():
    with Daemon() as d:
        t = d.community("C1")
        ok(_post(d, t, title="长" * 200))           # 200 characters, 600 bytes
        ok(_post(d, t, title="a"))
        err(_post(d, t, title="长" * 201), "invalid_argument", "title")
        err(_post(d, t, title="a" * 201), "invalid_argument", "title")
        err(_post(d, t, title=""), "invalid_argument", "title")
        titles = sorted(n["title"] for n in _needs(d, t))
        assert titles == sorted(["长" * 200, "a"]), titles


def test_description_length():
    with Daemon() as d:
        t = d.community("C1")
        n = ok(_post(d, t, description="描" * 4000))["need"]
        assert n["description"] == "描" * 4000
        err(_post(d, t, description="描" * 4001), "invalid_argument", "description")
        assert len(_needs(d, t)) == 1


def test_chinese_text_round_trip():
    with Daemon() as d:
        t = d.community("C1")
        title = "为老服务：长者饭堂🍚（试点）"
        c = d.native()
        # sent with \u escapes (including a surrogate pair), read back as characters
        r = c.call_raw(json.dumps({"op": "need.post", "token": t,
                                   "args": {"title": title, "category": "service.elderly",
                                            "budget": 1}}, ensure_ascii=True))
        n = ok(r)["need"]
        assert n["title"] == title, n["title"]
        assert ok(d.call("need.get", {"id": n["id"]}, token=t))["need"]["title"] == title


def test_unpaired_surrogate_escape_refused():
    with Daemon() as d:
        t = d.community("C1")
        r = d.native().call_raw('{"op":"need.post","token":%s,"args":{"title":"a\\ud800b",'
                                '"category":"service.elderly","budget":1}}' % json.dumps(t))
        err(r, ("invalid_argument", "parse_error"))
        assert _needs(d, t) == []


def test_categories():
    with Daemon() as d:
        t = d.community("C1")
        for cat in ("service.nonsense", "engineering.roofing", "service", "", "Service.elderly",
                    "goods.books.old", "unknown.elderly", 5):
            err(_post(d, t, category=cat), "invalid_argument", "category")
        assert _needs(d, t) == []
        for cat in ("engineering.facility", "engineering.greening", "engineering.accessibility",
                    "engineering.safety", "engineering.renovation", "service.elderly",
                    "service.children", "service.neighbourhood", "goods.equipment",
                    "goods.supplies", "goods.books"):
            assert ok(_post(d, t, category=cat))["need"]["category"] == cat


def test_code_rules():
    with Daemon() as d:
        a = d.admin
        for code in ("", "a b", "a" * 65, "社区", "a/b", "a.b", 12):
            err(d.call("community.create", {"code": code, "name": "n", "street": STREET_A},
                       token=a), "invalid_argument", "code")
        for code in ("a" * 64, "Ab_9-z", "9144030079000000XA"):
            r = ok(d.call("community.create", {"code": code, "name": "n", "street": STREET_A},
                          token=a))
            assert r["community"]["code"] == code


def test_missing_required_arguments():
    with Daemon() as d:
        t = d.community("C1")
        for f in ("title", "category", "budget"):
            a = dict(NEED)
            del a[f]
            err(d.call("need.post", a, token=t), "invalid_argument", f)
        err(d.call("need.get", {}, token=t), "invalid_argument", "id")
        assert _needs(d, t) == []


def test_id_must_be_integer():
    with Daemon() as d:
        t = d.community("C1")
        n = d.post_need(t)
        for bad in (str(n["id"]), 1.5, None, [n["id"]]):
            err(d.call("need.get", {"id": bad}, token=t), "invalid_argument", "id")


def test_beneficiaries_and_window():
    with Daemon() as d:
        t = d.community("C1")
        n = ok(_post(d, t, beneficiaries=120,
                     window={"from": "2026-03-01", "to": "2026-06-30"}))["need"]
        assert n["beneficiaries"] == 120, n
        assert n["window"] == {"from": "2026-03-01", "to": "2026-06-30"}, n
        err(_post(d, t, beneficiaries="120"), "invalid_argument", "beneficiaries")
        for w in ({"from": "2026-13-01", "to": "2026-12-31"},
                  {"from": "2026-02-30", "to": "2026-12-31"},
                  {"from": "2026/03/01", "to": "2026-06-30"},
                  {"from": "2026-03-01"},
                  "2026-03-01"):
            e = err(_post(d, t, window=w), "invalid_argument")
            assert str(e.get("field", "")).startswith("window"), e
        assert len(_needs(d, t)) == 1
