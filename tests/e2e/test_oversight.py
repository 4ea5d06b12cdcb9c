"""Programme oversight: stats.streets / stats.categories / stats.orgs and risk.flags
(docs/oversight.md), on a constructed district whose ranking and flags are known in
advance (boundaries: exactly at a threshold, just over it), with permissions, and on
the demo district (every planted risk found, nothing else flagged; the figures equal
sums recomputed from need.list and fair.matches)."""

import time

from harness import Daemon, ok, err, STREET_A, STREET_B, STREET_C

STREET_D = "东门街道"
STREET_E = "笋岗街道"
STREET_F = "南湖街道"
STREET_G = "黄贝街道"

Y = time.gmtime().tm_year        # the year of the district's fairs and needs
Z = Y + 1                        # the padding year: posted now, so never "late" by date


def _fen(x):
    return int(round(x * 100))


def _shares(amount_fen, k):
    """Equal shares in fen, the remainder a fen each to the first (docs/design.md,
    "Caps and money")."""
    return [amount_fen // k + (1 if j < amount_fen % k else 0) for j in range(k)]


class District:
    """A constructed district: accounts, needs, offers and confirmed pairs."""

    def __init__(self, d):
        self.d = d
        self.tok = {}        # code -> token
        self.street_of = {}  # community code -> street
        self.fairs = {}      # street -> fairs with a run (year Y)

    def community(self, code, street, cap=None):
        self.tok[code] = self.d.community(code, street=street, cap=cap)
        self.street_of[code] = street

    def org(self, code):
        self.tok[code] = self.d.org(code)

    def need(self, comm, title, budget, category="service.elderly", window=None,
             partners=None):
        args = {"title": title, "category": category, "budget": budget}
        if window:
            args["window"] = {"from": window, "to": window[:4] + "-12-31"}
        if partners:
            args["partners"] = partners
        nid = ok(self.d.call("need.post", args, token=self.tok[comm]))["need"]["id"]
        for p in partners or ():
            ok(self.d.call("need.consent", {"need": nid, "decision": "agree"},
                           token=self.tok[p]))
        return nid

    def offer(self, org, title, price, category="service.elderly"):
        return ok(self.d.call("offer.post", {"title": title, "category": category,
                                             "price": price},
                              token=self.tok[org]))["offer"]["id"]

    def fair(self, street, date, needs=(), offers=()):
        f = ok(self.d.call("fair.create", {"name": "对接会", "date": date, "street": street},
                           token=self.d.admin))["fair"]["id"]
        if needs or offers:
            ok(self.d.call("fair.enroll", {"fair": f, "needs": list(needs),
                                           "offers": list(offers)}, token=self.d.admin))
        ok(self.d.call("fair.match", {"fair": f}, token=self.d.admin))
        if date.startswith(str(Y)):
            self.fairs[street] = self.fairs.get(street, 0) + 1
        return f

    def confirm(self, street, need, offer, comm, org, date=None):
        """One fair of street with one need and one offer; both parties accept."""
        f = self.fair(street, date or "%d-05-20" % Y, [need], [offer])
        items = ok(self.d.call("fair.matches", {"fair": f}, token=self.d.admin))["items"]
        assert len(items) == 1 and items[0]["need"] == need, items
        m = items[0]["id"]
        ok(self.d.call("match.respond", {"match": m, "decision": "accept"},
                       token=self.tok[comm]))
        r = ok(self.d.call("match.respond", {"match": m, "decision": "accept"},
                           token=self.tok[org]))
        assert r["match"]["status"] == "confirmed", r
        return m


def _build(d):
    """The constructed district.  Returns (District, expectations)."""
    x = District(d)
    for code, street in (("A1", STREET_A), ("A2", STREET_A), ("B1", STREET_B),
                         ("C1", STREET_C), ("D1", STREET_D), ("E1", STREET_E),
                         ("F1", STREET_F), ("G1", STREET_G), ("G2", STREET_G)):
        x.community(code, street)
    for code in ("P1", "P2", "P3", "P4", "P5", "P6", "P7"):
        x.community(code, STREET_C, cap=100000)
    for code in ("OG1", "OH1", "OH2", "OE1", "OE2", "OE3", "OE4", "OF1", "OF2", "OF3",
                 "OF4", "OP", "OL", "OC"):
        x.org("91440300MA5" + code.ljust(7, "0"))
        x.tok[code] = x.tok["91440300MA5" + code.ljust(7, "0")]
    org = lambda c: "91440300MA5" + c.ljust(7, "0")

    def conf(street, comm, o, price, category, title, budget=None, partners=None):
        n = x.need(comm, "qn" + title, budget or price, category, partners=partners)
        f = x.offer(o, "qo" + title, price, category)
        x.confirm(street, n, f, comm, o)
        return n, f

    # Ranking (year Y).  A: 4 posted, 2 answered (one shared with B1), 2 fairs.
    conf(STREET_A, "A1", "OG1", 8000, "goods.equipment", "a1", partners=["B1"])
    conf(STREET_A, "A1", "OG1", 9000, "goods.equipment", "a2")
    x.need("A1", "qna3", 5000)
    x.need("A1", "qna4", 5000)
    # B: 2 posted, 1 answered, 2 fairs (one ran and matched nothing).
    conf(STREET_B, "B1", "OH1", 1000, "service.health", "b1")
    b2 = x.need("B1", "qnb2", 500, "goods.books")
    x.fair(STREET_B, "%d-06-01" % Y, [b2], [])
    # D: exactly as B.
    conf(STREET_D, "D1", "OH2", 1000, "service.health", "d1")
    d2 = x.need("D1", "qnd2", 500, "goods.books")
    x.fair(STREET_D, "%d-06-01" % Y, [d2], [])
    # C: 3 posted, none answered; a withdrawn need does not count.
    for t in ("c1", "c2", "c3", "c4"):
        last = x.need("C1", "qn" + t, 3000, "service.children")
    ok(d.call("need.withdraw", {"id": last}, token=x.tok["C1"]))
    x.need("C1", "qnc5", 3000, "service.children")
    # E: 4 of 4 answered; the organisations hold 30%, 30%, 30%, 10%: at the threshold.
    for i, p in enumerate((3000, 3000, 3000, 1000)):
        conf(STREET_E, "E1", "OE%d" % (i + 1), p, "service.sports", "e%d" % i)
    # F: the same, but one holds 30.0001%: just over.
    for i, p in enumerate((3000.01, 3000, 3000, 999.99)):
        conf(STREET_F, "F1", "OF%d" % (i + 1), p, "service.youth", "f%d" % i)

    # Padding (year Z: windows decide the year; cap 100,000; late from Z-12-02).
    late, early, before = "%d-12-02" % Z, "%d-06-01" % Z, "%d-12-01" % Z
    for i, (b, w) in enumerate(((30000, late), (30000, "%d-12-31" % Z), (35000, early))):
        x.need("P1", "qp1x%d" % i, b, window=w)             # 95% exactly, 2/3 late
    for i, (b, w) in enumerate(((30000, late), (30000, "%d-12-31" % Z),
                                (34999.99, early))):
        x.need("P2", "qp2x%d" % i, b, window=w)             # just under 95%
    for i, (b, w) in enumerate(((25000, late), (25000, late), (22500, early),
                                (22500, early))):
        x.need("P3", "qp3x%d" % i, b, window=w)             # 95%, late exactly half
    for i, b in enumerate((30000, 30000, 35000)):
        x.need("P4", "qp4x%d" % i, b, window=before)        # 95%, a day too early
    p5 = x.need("P5", "qp5m", 50000, "service.volunteer", window=early)
    p5o = x.offer("OP", "qp5o", 50000, "service.volunteer")
    x.confirm(STREET_C, p5, p5o, "P5", "OP", date="%d-03-01" % Z)
    x.need("P5", "qp5a", 47500, window="%d-12-20" % Z)     # 95% of the 50,000 left
    x.need("P6", "qp6", 190000, window="%d-12-15" % Z, partners=["P7"])  # 95,000 each

    # Inflated prices.  legal: 100 200 300 500 (median 250; 500 is exactly twice)
    # plus a withdrawn 10 that would move the median; culture: 500.01 is just over.
    for p in (100, 200, 300, 500, 10):
        last = x.offer("OL", "ql%d" % p, p, "service.legal")
    ok(d.call("offer.withdraw", {"id": last}, token=x.tok["OL"]))
    infl = None
    for p in (100, 200, 300, 500.01):
        infl = x.offer("OC", "qc%d" % int(p), p, "service.culture")

    # Duplicates (community G1).  Dice exactly 0.9 (9 of 10 tokens each) is flagged;
    # 17 of 19 (0.8947) is not; a withdrawn copy, another year, another community: not.
    ten = " ".join("d%d" % i for i in range(1, 10))
    dup_a = x.need("G1", ten + " d10", 1000, "goods.supplies")
    dup_b = x.need("G1", ten + " x10", 1000, "goods.supplies")
    e17 = " ".join("e%d" % i for i in range(1, 18))
    x.need("G1", e17 + " e18 e19", 1000, "goods.supplies")
    x.need("G1", e17 + " y18 y19", 1000, "goods.supplies")
    x.need("G1", "g1 g2 g3 g4 g5", 1000, "goods.supplies")
    gone = x.need("G1", "g1 g2 g3 g4 g5", 1000, "goods.supplies")
    ok(d.call("need.withdraw", {"id": gone}, token=x.tok["G1"]))
    x.need("G1", "h1 h2 h3 h4 h5", 1000, "goods.supplies")
    x.need("G1", "h1 h2 h3 h4 h5", 1000, "goods.supplies", window="%d-03-01" % Z)
    x.need("G2", "h1 h2 h3 h4 h5", 1000, "goods.supplies")

    want = {
        "padding": {("P1", Z), ("P5", Z), ("P6", Z), ("P7", Z)},
        "inflated_price": {infl},
        "concentration": {(STREET_A, org("OG1"), Y), (STREET_B, org("OG1"), Y),
                          (STREET_D, org("OH2"), Y), (STREET_F, org("OF1"), Y),
                          (STREET_C, org("OP"), Z)},
        "duplicate_need": {(dup_a, dup_b)},
    }
    return x, want


def _flag_keys(items):
    """The flags of the four kinds this file plants, by what they name (the flags of
    projects are test_projects_oversight.py's)."""
    got = {"padding": set(), "inflated_price": set(), "concentration": set(),
           "duplicate_need": set()}
    for it in items:
        k = it["kind"]
        if k in ("split_project", "stalled", "failed_acceptance", "settled_over"):
            continue
        assert k in got, it
        assert isinstance(it.get("detail"), dict), it
        if k == "padding":
            got[k].add((it["community"], it["detail"]["year"]))
        elif k == "inflated_price":
            got[k].add(it["offer"])
        elif k == "concentration":
            got[k].add((it["street"], it["org"], it["detail"]["year"]))
        else:
            got[k].add((it["duplicate_of"], it["need"]))
    return got


def _recompute(d, token, year, comms):
    """Per street and per org, from need.list, fair.matches and project.list alone
    (comms: the street of each community).  A project that is not rejected or
    cancelled answers its need; it is dated by its fair, or made outside a fair, by
    its creation (docs/oversight.md)."""
    needs, _ = d.list_all("need.list", token, {}, limit=1000)
    byid = {n["id"]: n for n in needs}
    fairs, _ = d.list_all("fair.list", token, {}, limit=1000)
    amount, answered, held, org_street, fair_of = {}, set(), {}, {}, {}
    for f in fairs:
        if f["runs"] and f["date"].startswith(str(year)) and f["street"]:
            held[f["street"]] = held.get(f["street"], 0) + 1
        for m in ok(d.call("fair.matches", {"fair": f["id"]}, token=token))["items"]:
            if m["status"] == "confirmed":
                fair_of[m["id"]] = f["date"]
    projects, _ = d.list_all("project.list", token, {}, limit=1000)
    for p in projects:
        date = fair_of.get(p["match"]) or p["created"][:10]
        if p["stage"] in ("rejected", "cancelled") or not date.startswith(str(year)):
            continue
        n = byid[p["need"]]
        answered.add(n["id"])
        members = [n["community"]] + n["partners"]
        for c, s in zip(members, _shares(_fen(p["amount"]), len(members))):
            st = comms[c]
            amount[st] = amount.get(st, 0) + s
            key = (st, p["org"])
            org_street[key] = org_street.get(key, 0) + s
    posted = {}
    matched = {}
    for n in needs:
        if n["year"] != year or n["status"] == "withdrawn":
            continue
        posted[n["street"]] = posted.get(n["street"], 0) + 1
        if n["id"] in answered:
            matched[n["street"]] = matched.get(n["street"], 0) + 1
    return posted, matched, amount, held, org_street, needs


def _check_streets(d, token, year, res, comms):
    posted, matched, amount, held, _, _ = _recompute(d, token, year, comms)
    for it in res["items"]:
        s = it["street"]
        assert it["needs_posted"] == posted.get(s, 0), (s, it, posted.get(s))
        assert it["needs_matched"] == matched.get(s, 0), (s, it, matched.get(s))
        assert _fen(it["confirmed_amount"]) == amount.get(s, 0), (s, it, amount.get(s))
        assert it["fairs_held"] == held.get(s, 0), (s, it, held.get(s))
        p = matched.get(s, 0) / posted[s] if posted.get(s) else 0
        assert abs(it["progress"] - round(p, 4)) < 1e-9, (s, it, p)
        if it["cap_total"]:
            assert abs(it["cap_used_pct"] - round(100 * it["confirmed_amount"] /
                                                  it["cap_total"], 4)) < 1e-6, it


# ---------------------------------------------------------------------------

def test_constructed_district_ranking_and_figures():
    with Daemon() as d:
        x, _ = _build(d)
        res = ok(d.call("stats.streets", {"year": Y}, token=d.admin))
        assert res["year"] == Y and res["month"] is None, res
        rank = {it["street"]: it["rank"] for it in res["items"]}
        # E and F answered every need (tie: same rank); A, B and D half (A with 2
        # needs answered, B and D with 1), and with no project accepted nor anyone
        # served yet they tie: the rank goes by progress, then accepted projects,
        # then beneficiaries served (docs/oversight.md), not by fairs or counts.
        # C and G answered none (tie).
        assert rank == {STREET_E: 1, STREET_F: 1, STREET_A: 3, STREET_B: 3, STREET_D: 3,
                        STREET_C: 6, STREET_G: 6}, rank
        assert [it["rank"] for it in res["items"]] == sorted(rank.values()), res["items"]
        by = {it["street"]: it for it in res["items"]}
        a, b, c = by[STREET_A], by[STREET_B], by[STREET_C]
        assert (a["needs_posted"], a["needs_matched"], a["fairs_held"]) == (4, 2, 2), a
        assert a["progress"] == 0.5, a
        # A1's shared need: 8,000 in equal shares with B1 (B's street)
        assert _fen(a["confirmed_amount"]) == 400000 + 900000, a
        assert _fen(b["confirmed_amount"]) == 400000 + 100000, b
        assert (c["needs_posted"], c["needs_matched"], c["fairs_held"]) == (4, 0, 0), c
        assert c["communities"] == 8 and c["cap_total"] == 2000000 + 7 * 100000, c
        assert by[STREET_E]["progress"] == 1 and by[STREET_E]["confirmed_amount"] == 10000
        # the money does not rank: A spent most, yet E and F rank first
        assert a["confirmed_amount"] > by[STREET_E]["confirmed_amount"]
        for it in res["items"]:
            for k in ("street", "rank", "communities", "needs_posted", "needs_matched",
                      "offers_active", "confirmed_amount", "cap_total", "cap_used_pct",
                      "fairs_held", "progress"):
                assert k in it, (k, it)
        _check_streets(d, d.admin, Y, res, x.street_of)
        # offers active: open offers serving the street ("*" for all of these)
        offers, _ = d.list_all("offer.list", d.admin, {"status": "open"}, limit=1000)
        assert all(it["offers_active"] == len(offers) for it in res["items"]), \
            [(it["street"], it["offers_active"]) for it in res["items"]]
        # the default year is this one; month = 12 is the whole year
        assert ok(d.call("stats.streets", {}, token=d.admin))["items"] == res["items"]
        assert ok(d.call("stats.streets", {"year": Y, "month": 12},
                         token=d.admin))["items"] == res["items"]
        # another year: nothing posted, nothing matched
        other = ok(d.call("stats.streets", {"year": Y - 1}, token=d.admin))["items"]
        assert all(it["needs_posted"] == 0 and it["confirmed_amount"] == 0 for it in other)
        err(d.call("stats.streets", {"month": 13}, token=d.admin), "invalid_argument", "month")

        # stats.orgs: each organisation's confirmed matches and amount
        orgs = ok(d.call("stats.orgs", {"year": Y}, token=d.admin))
        og1 = next(it for it in orgs["items"] if it["org"].endswith("OG10000"))
        assert (og1["matches"], og1["amount"]) == (2, 17000), og1
        _, _, _, _, org_street, _ = _recompute(d, d.admin, Y, x.street_of)
        total = sum(v for v in org_street.values())
        assert _fen(orgs["total_amount"]) == total, orgs
        f_orgs = ok(d.call("stats.orgs", {"year": Y, "street": STREET_F}, token=d.admin))
        assert [(it["amount"], it["matches"]) for it in f_orgs["items"]] == [
            (3000.01, 1), (3000, 1), (3000, 1), (999.99, 1)], f_orgs
        assert f_orgs["total_amount"] == 10000 and f_orgs["items"][0]["share"] == 0.3, f_orgs

        # stats.categories: posted vs matched per category
        cats = {it["category"]: it for it in
                ok(d.call("stats.categories", {"year": Y}, token=d.admin))["items"]}
        _, _, _, _, _, needs = _recompute(d, d.admin, Y, x.street_of)
        for name, it in cats.items():
            mine = [n for n in needs if n["category"] == name and n["year"] == Y and
                    n["status"] != "withdrawn"]
            assert it["needs_posted"] == len(mine), (name, it)
            assert it["needs_matched"] == sum(1 for n in mine if n["status"] == "matched"), it
        assert cats["service.sports"]["needs_matched"] == 4, cats["service.sports"]
        assert cats["engineering.facility"]["needs_posted"] == 0


def test_constructed_district_flags_and_boundaries():
    with Daemon() as d:
        x, want = _build(d)
        items = ok(d.call("risk.flags", {}, token=d.admin))["items"]
        got = _flag_keys(items)
        assert got == want, "flags differ:\n got  %r\n want %r" % (got, want)
        kinds = [it["kind"] for it in items]
        order = ["padding", "inflated_price", "concentration", "duplicate_need"]
        assert kinds == sorted(kinds, key=order.index), kinds
        by = {(it["kind"], it.get("community") or it.get("org") or it.get("offer")): it
              for it in items}
        p1 = by[("padding", "P1")]["detail"]
        assert (p1["open_amount"], p1["cap_left"], p1["share"], p1["late_needs"],
                p1["open_needs"], p1["late_from"]) == (95000, 100000, 0.95, 2, 3,
                                                       "%d-12-02" % Z), p1
        assert len(by[("padding", "P1")]["needs"]) == 3
        p5 = by[("padding", "P5")]["detail"]
        assert (p5["confirmed"], p5["cap_left"], p5["open_amount"]) == (50000, 50000, 47500)
        assert by[("padding", "P6")]["detail"]["open_amount"] == 95000
        infl = next(it for it in items if it["kind"] == "inflated_price")["detail"]
        assert (infl["median"], infl["price"], infl["offers"]) == (250, 500.01, 4), infl
        conc = [it for it in items if it["kind"] == "concentration" and
                it["street"] == STREET_F][0]["detail"]
        assert (conc["org_amount"], conc["street_amount"], conc["share"]) == \
            (3000.01, 10000, 0.3), conc
        dup = next(it for it in items if it["kind"] == "duplicate_need")
        assert dup["community"] == "G1" and dup["detail"]["similarity"] == 0.9, dup

        # filters: a street, a year
        only_c = ok(d.call("risk.flags", {"street": STREET_C}, token=d.admin))["items"]
        assert _flag_keys(only_c) == {
            "padding": want["padding"], "inflated_price": want["inflated_price"],
            "concentration": {(STREET_C, "91440300MA5OP00000", Z)},
            "duplicate_need": set()}, only_c
        this_year = _flag_keys(ok(d.call("risk.flags", {"year": Y},
                                         token=d.admin))["items"])
        assert this_year["padding"] == set() and (STREET_C, "91440300MA5OP00000", Z) \
            not in this_year["concentration"], this_year
        assert this_year["duplicate_need"] == want["duplicate_need"]


def test_thresholds_come_from_the_configuration():
    conf = {"risk.padding_days": "31", "risk.duplicate_similarity": "0.89",
            "risk.inflated_factor": "1.5", "risk.concentration_share": "0.9",
            "risk.padding_share": "0.5", "risk.padding_late_share": "0.99"}
    with Daemon(conf_overrides=conf) as d:
        x = District(d)
        x.community("Q1", STREET_A, cap=100000)
        x.org("91440300MA5Q000001")
        for i in range(3):   # 51% of the cap, windows from 1 December: late at 31 days
            x.need("Q1", "qq%d" % i, 17000, window="%d-12-01" % Z)
        e17 = " ".join("e%d" % i for i in range(1, 18))
        x.need("Q1", e17 + " e18 e19", 100)
        x.need("Q1", e17 + " y18 y19", 100)   # 0.8947 >= 0.89
        for p in (100, 200, 300.01):           # median 200: 300.01 > 1.5 x 200
            x.offer("91440300MA5Q000001", "qo%d" % int(p), p)
        got = _flag_keys(ok(d.call("risk.flags", {}, token=d.admin))["items"])
        assert got["padding"] == {("Q1", Z)}, got
        assert len(got["duplicate_need"]) == 1 and len(got["inflated_price"]) == 1, got
    # bad values are refused at start-up
    with Daemon(start=False) as d:
        d.conf["risk.padding_share"] = "1.5"
        try:
            d.start()
        except AssertionError as e:
            assert "padding_share" in str(e), e
        else:
            raise AssertionError("risk.padding_share = 1.5 was accepted")


def test_permissions_and_street_scope():
    with Daemon() as d:
        x, want = _build(d)
        code_c, org_c = d.organizer("莲花", street=STREET_C)
        _, org_all = d.organizer("区级")
        for op in ("stats.streets", "stats.categories", "stats.orgs", "risk.flags"):
            err(d.call(op, {}, token=x.tok["A1"]), "forbidden")
            err(d.call(op, {}, token=x.tok["OG1"]), "forbidden")
            st, body = d.http_op(op, {}, token=x.tok["A1"])
            assert st == 403, (op, st, body)
        # a street organizer sees its street only, with its district rank
        full = ok(d.call("stats.streets", {"year": Y}, token=org_all))
        assert full == ok(d.call("stats.streets", {"year": Y}, token=d.admin))
        mine = ok(d.call("stats.streets", {"year": Y}, token=org_c))["items"]
        assert [it["street"] for it in mine] == [STREET_C], mine
        assert mine[0] == next(it for it in full["items"] if it["street"] == STREET_C)
        flags = ok(d.call("risk.flags", {}, token=org_c))["items"]
        assert flags == ok(d.call("risk.flags", {"street": STREET_C},
                                  token=d.admin))["items"]
        err(d.call("risk.flags", {"street": STREET_A}, token=org_c), "forbidden", "street")
        err(d.call("stats.orgs", {"street": STREET_A}, token=org_c), "forbidden", "street")
        assert ok(d.call("risk.flags", {"street": STREET_C}, token=org_c))["items"] == flags
        orgs = ok(d.call("stats.orgs", {"year": Z}, token=org_c))
        assert orgs["street"] == STREET_C and [it["org"] for it in orgs["items"]] == \
            ["91440300MA5OP00000"], orgs
        cats = ok(d.call("stats.categories", {"year": Y}, token=org_c))["items"]
        assert sum(it["needs_posted"] for it in cats) == 4, cats
        err(d.call("risk.flags", {"bogus": 1}, token=d.admin), "invalid_argument", "bogus")


# ---------------------------------------------------------------------------
# the demo district

def _demo_rows(d):
    with open(d.db + ".tokens", encoding="utf-8") as fh:
        return [l.rstrip("\n").split("\t") for l in fh if l.strip()]


def test_demo_district_story():
    t0 = time.monotonic()
    with Daemon(extra_args=["--demo"], start_timeout=45) as d:
        started = time.monotonic() - t0
        rows = _demo_rows(d)
        admin = next(r[2] for r in rows if r[0] == "admin")
        items = ok(d.call("risk.flags", {}, token=admin))["items"]
        got = _flag_keys(items)
        # every planted risk, and nothing else: 东门's concentration is planted,
        # 清水河's follows from its one project (one organisation holds all of it)
        assert {c for c, _ in got["padding"]} == {"DX-04", "LT-03"}, got["padding"]
        assert len(got["inflated_price"]) == 1, got
        assert sorted(s for s, _, _ in got["concentration"]) == sorted(
            [STREET_D, "清水河街道"]), got
        assert len(got["duplicate_need"]) == 1, got
        # every kind but split_project exactly as planted; split_project: the
        # planted one in 桂园街道 (three projects), and besides it only pairs
        # the spring fairs made naturally (one organisation twice for one
        # community, each under risk.split_threshold, together over it)
        kinds = sorted(it["kind"] for it in items if it["kind"] != "split_project")
        assert kinds == sorted(["padding", "padding", "inflated_price", "concentration",
                                "concentration", "duplicate_need", "stalled"]), items
        splits = [it for it in items if it["kind"] == "split_project"]
        planted = [it for it in splits if it["street"] == "桂园街道"]
        assert len(planted) == 1 and len(planted[0]["projects"]) == 3, splits
        for it in splits:
            assert it["detail"]["total"] > it["detail"]["split_threshold"], it
        stalled = next(it for it in items if it["kind"] == "stalled")
        assert stalled["street"] == "清水河街道", stalled
        dup = next(it for it in items if it["kind"] == "duplicate_need")
        assert dup["community"] == "GY-01" and dup["detail"]["similarity"] >= 0.9, dup
        infl = next(it for it in items if it["kind"] == "inflated_price")["detail"]
        assert infl["price"] > 2 * infl["median"], infl

        # streets at clearly different progress; one laggard with no fair held
        res = ok(d.call("stats.streets", {}, token=admin))
        assert len(res["items"]) == 10, res
        ranks = [it["rank"] for it in res["items"]]
        assert ranks == list(range(1, 11)), ranks
        progress = [it["progress"] for it in res["items"]]
        assert all(a - b >= 0.01 for a, b in zip(progress, progress[1:])), progress
        # the laggard held no fair; its one project (outside a fair) is overdue
        last = res["items"][-1]
        assert last["street"] == "清水河街道" and last["fairs_held"] == 0, last
        assert (last["needs_matched"], last["overdue"]) == (1, 1), last
        assert all(it["fairs_held"] == 1 for it in res["items"][:-1]), res["items"]
        stages = {}
        for it in res["items"]:
            for k, v in it["projects"].items():
                stages[k] = stages.get(k, 0) + v
        assert all(stages[k] > 0 for k in stages), stages
        _check_streets(d, admin, Y, res, {r[1]: r[4] for r in rows
                                          if r[0] == "community"})

        # a past fair held (closed, confirmed matches) and an open one ready to match
        fairs, _ = d.list_all("fair.list", admin, {}, limit=1000)
        closed = [f for f in fairs if f["status"] == "closed"]
        open_ = [f for f in fairs if f["status"] == "open"]
        assert len(closed) == 9 and len(open_) == 1, fairs
        assert open_[0]["runs"] == 0 and open_[0]["needs"] > 0 and open_[0]["offers"] > 0
        assert all(f["date"] < open_[0]["date"] for f in closed)
        m = ok(d.call("fair.matches", {"fair": closed[0]["id"]}, token=admin))["items"]
        assert any(it["status"] == "confirmed" for it in m), m[:3]
        # the same every time
        assert started < 45

        # the street organizer of the concentrated street sees that flag only
        orgz = next(r for r in rows if r[0] == "organizer" and r[4] == STREET_D)
        mine = ok(d.call("risk.flags", {}, token=orgz[2]))["items"]
        assert {it["kind"] for it in mine} <= {"concentration", "inflated_price"}, mine


def test_demo_district_is_the_same_every_time():
    out = []
    for _ in range(2):
        with Daemon(extra_args=["--demo"], start_timeout=45) as d:
            admin = next(r[2] for r in _demo_rows(d) if r[0] == "admin")
            flags = ok(d.call("risk.flags", {}, token=admin))["items"]
            # the story is told on the clock of the day it is seeded: times differ
            for f in flags:
                for k in ("first", "last", "since", "due"):
                    f["detail"].pop(k, None)
                if f["kind"] == "stalled":
                    f["key"] = f["key"].rsplit(":", 1)[0]
            out.append((ok(d.call("stats.streets", {}, token=admin)), flags))
    assert out[0] == out[1]


def test_padding_lists_its_first_20_needs():
    """A flagged community with 25 open needs: the flag lists the first 20 (by id),
    detail.open_needs counts all 25 (a city's community would otherwise make the
    answer too large)."""
    with Daemon() as d:
        x = District(d)
        x.community("PX", STREET_C, cap=100000)
        late = "%d-12-02" % Z
        ids = [x.need("PX", "补%d号" % i, 3800, window=late) for i in range(25)]
        items = ok(d.call("risk.flags", {"year": Z}, token=d.admin))["items"]
        flag = [it for it in items if it["kind"] == "padding"][0]
        assert flag["community"] == "PX" and flag["detail"]["open_needs"] == 25, flag
        assert flag["needs"] == sorted(ids)[:20], flag["needs"]
