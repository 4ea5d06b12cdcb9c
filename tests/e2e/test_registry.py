"""Who takes part (issue 13; docs/protocol.md "Streets", "Partners consent",
"Precise rules"): streets are a registry (a typo no longer creates a street), partners
of a shared need or a joint offer agree before it is open, today is a date of
time.zone.  Refusals change nothing."""

import datetime
import zoneinfo

from harness import Daemon, ok, err, YEAR

ORG1 = "91440300MA5F000001"
ORG2 = "91440300MA5F000002"
ORG3 = "91440300MA5F000003"
GY, HB = "桂园街道", "黄贝街道"
MARS = "火星街道"


def test_streets_are_a_registry():
    """street=火星街道 is refused wherever a street is named (invalid_argument, field,
    unknown_street) until the admin registers it; "*" still means the district."""
    with Daemon(auto_streets=False) as d:
        a = d.admin
        r = ok(d.call("street.create", {"name": GY, "code": "GY"}, token=a))
        assert r["street"] == {"name": GY, "code": "GY", "communities": 0}, r
        ok(d.call("street.create", {"name": HB}, token=a))
        d.refuse("street.create", {"name": GY}, a, "conflict", "name", "street_exists")
        d.refuse("street.create", {"name": "新街道", "code": "GY"}, a, "conflict", "code",
                 "street_code_exists")
        d.refuse("street.create", {"name": "*"}, a, "invalid_argument", "name")
        d.refuse("street.create", {"name": "x" * 65}, a, "invalid_argument", "name")
        c = d.community("GY-01", street=GY)
        o = d.org(ORG1, street=GY, streets=[GY, HB])
        _, g = d.organizer("区民政局")
        refusals = [
            ("community.create", {"code": "X1", "name": "x", "street": MARS}, a, "street"),
            ("org.create", {"code": "X2", "name": "x", "kind": "registered",
                            "street": MARS}, a, "street"),
            ("org.create", {"code": "X3", "name": "x", "kind": "registered",
                            "streets": [GY, MARS]}, a, "streets"),
            ("organizer.create", {"name": "x", "street": MARS}, a, "street"),
            ("offer.post", {"title": "t", "category": "service.elderly", "price": 1,
                            "streets": [MARS]}, o, "streets"),
            ("fair.create", {"name": "会", "date": "%d-12-31" % YEAR, "street": MARS}, g,
             "street"),
            ("need.list", {"street": MARS}, c, "street"),
            ("offer.list", {"street": MARS}, c, "street"),
            ("fair.list", {"street": MARS}, c, "street"),
            ("community.list", {"street": MARS}, c, "street"),
            ("org.list", {"street": MARS}, c, "street"),
            ("stats.orgs", {"street": MARS}, g, "street"),
            ("risk.flags", {"street": MARS}, g, "street"),
        ]
        for op, args, tok, field in refusals:
            d.refuse(op, args, tok, "invalid_argument", field, "unknown_street")
        p = d.post_offer(o, title="t", streets=[GY])["id"]
        d.refuse("offer.update", {"id": p, "streets": [HB, MARS]}, o, "invalid_argument",
                 "streets", "unknown_street")
        # the whole district, and once registered, the street itself
        ok(d.call("org.create", {"code": "X4", "name": "x", "kind": "registered",
                                 "streets": ["*"]}, token=a))
        ok(d.call("street.create", {"name": MARS}, token=a))
        ok(d.call("community.create", {"code": "X1", "name": "x", "street": MARS}, token=a))
        items = ok(d.call("street.list", {}, token=c))["items"]
        assert [(s["name"], s["communities"]) for s in items] == sorted(
            [(GY, 1), (HB, 0), (MARS, 1)]), items


def test_partners_agree_before_a_shared_need_or_joint_offer_opens():
    """A cross-community need waits (pending_partners) for its partners; they see it
    as theirs and answer with need.consent; a refusal takes the partner out.  A joint
    offer waits for its registered partner; a refusal withdraws it.  Nobody else
    answers for them, and what waits is not enrolled."""
    with Daemon(conf_overrides={"time.today": "%d-12-10" % YEAR}) as d:
        c1, c2, c3 = d.community("C1"), d.community("C2"), d.community("C3")
        o1, o2 = d.org(ORG1), d.org(ORG2)
        o3 = d.org(ORG3, kind="filed")
        _, g = d.organizer("区民政局")
        n = d.post_need(c1, title="跨社区长者助餐", partners=["C2", "C3"])
        assert n["status"] == "pending_partners", n
        seen = ok(d.call("need.list", {"community": "C2"}, token=c2))["items"]
        assert [x["id"] for x in seen] == [n["id"]], seen
        f = ok(d.call("fair.create", {"name": "会", "date": "%d-12-20" % YEAR},
                      token=g))["fair"]["id"]
        d.refuse("fair.enroll", {"fair": f, "needs": [n["id"]]}, c1, "conflict", "needs",
                 "not_open")
        assert ok(d.call("fair.enroll", {"fair": f, "all": True}, token=g))["needs"] == 0
        # only a partner answers, once, while the need waits
        for tok, code, reason in ((c1, "forbidden", "not_partner"),
                                  (g, "forbidden", None), (o1, "forbidden", None)):
            d.refuse("need.consent", {"need": n["id"], "decision": "agree"}, tok, code,
                     reason=reason)
        r = ok(d.call("need.consent", {"need": n["id"], "decision": "agree"}, token=c2))
        assert r["need"]["status"] == "pending_partners", r
        r = ok(d.call("need.consent", {"need": n["id"], "decision": "refuse"}, token=c3))
        assert r["need"]["partners"] == ["C2"] and r["need"]["status"] == "open", r
        d.refuse("need.consent", {"need": n["id"], "decision": "agree"}, c3, "forbidden",
                 reason="not_partner")
        d.refuse("need.consent", {"need": n["id"], "decision": "refuse"}, c2, "conflict",
                 reason="not_pending")
        # a new partner must agree too
        r = ok(d.call("need.update", {"id": n["id"], "partners": ["C2", "C3"]}, token=c1))
        assert r["need"]["status"] == "pending_partners", r
        r = ok(d.call("need.consent", {"need": n["id"], "decision": "agree"}, token=c3))
        assert r["need"]["status"] == "open", r
        assert ok(d.call("fair.enroll", {"fair": f, "all": True}, token=g))["needs"] == 1

        # joint offers: the filed organisation's partner ORG1 answers for itself
        p = d.post_offer(o3, title="联合助餐", partner=ORG1)
        assert p["status"] == "pending_partners", p
        seen = ok(d.call("offer.list", {"org": ORG1}, token=o1))["items"]
        assert [x["id"] for x in seen] == [p["id"]], seen
        d.refuse("fair.enroll", {"fair": f, "offers": [p["id"]]}, o3, "conflict", "offers",
                 "not_open")
        for tok in (o3, o2):
            d.refuse("offer.consent", {"offer": p["id"], "decision": "agree"}, tok,
                     "forbidden", reason="not_partner")
        r = ok(d.call("offer.consent", {"offer": p["id"], "decision": "agree"}, token=o1))
        assert r["offer"]["status"] == "open", r
        q = d.post_offer(o3, title="联合助浴", partner=ORG1)
        r = ok(d.call("offer.consent", {"offer": q["id"], "decision": "refuse"}, token=o1))
        assert r["offer"]["status"] == "withdrawn", r
        d.refuse("offer.consent", {"offer": q["id"], "decision": "agree"}, o1, "conflict",
                 reason="not_pending")


def test_today_is_a_date_of_the_time_zone():
    """Without time.today the calendar is the clock's in time.zone (Asia/Shanghai by
    default): a fair of yesterday there is in the past, one of today is not."""
    for zone in ("Asia/Shanghai", "America/Los_Angeles"):
        today = datetime.datetime.now(zoneinfo.ZoneInfo(zone)).date()
        with Daemon(conf_overrides={"time.today": "", "time.zone": zone}) as d:
            yesterday = (today - datetime.timedelta(days=1)).isoformat()
            e = d.refuse("fair.create", {"name": "会", "date": yesterday}, d.admin,
                         "invalid_argument", "date", "date_past")
            assert today.isoformat() in e["message"], (zone, e)
            ok(d.call("fair.create", {"name": "会", "date": today.isoformat()},
                      token=d.admin))
            c = d.community("C1")
            assert d.post_need(c)["year"] == today.year
