"""--demo: a demo district seeded into an empty database, with a tokens file."""

import os
import stat

from harness import Daemon, ok

DEMO_START = 45


def _tokens(d):
    path = d.db + ".tokens"
    assert os.path.exists(path), "no tokens file at %s" % path
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert mode == 0o600, "tokens file mode %o, want 600" % mode
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            parts = line.split("\t")
            assert len(parts) == 5, "line %d has %d fields, want 5: %r" % (n, len(parts), line)
            rows.append(parts)
    return rows


def test_demo_district_shape():
    with Daemon(extra_args=["--demo"], start_timeout=DEMO_START) as d:
        rows = _tokens(d)
        roles = {r[0] for r in rows}
        assert roles <= {"admin", "organizer", "community", "org"}, roles
        comms = [r for r in rows if r[0] == "community"]
        assert len(comms) == 83, "%d communities, want 83" % len(comms)
        streets = {r[4] for r in comms}
        assert len(streets) == 10, "%d streets, want 10: %r" % (len(streets), streets)
        orgs = [r for r in rows if r[0] == "org"]
        assert 150 <= len(orgs) <= 260, "%d organisations, want about 200" % len(orgs)
        toks = [r[2] for r in rows]
        assert len(set(toks)) == len(toks), "two demo accounts share a token"

        ctok = comms[0][2]
        needs, _ = d.list_all("need.list", ctok, {}, limit=1000)
        assert len(needs) > 1000, "%d needs, want about 1,400" % len(needs)
        ids = [n["id"] for n in needs]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        assert {n["street"] for n in needs} <= streets
        offers, _ = d.list_all("offer.list", ctok, {}, limit=1000)
        assert 180 <= len(offers) <= 340, "%d offers, want about 260" % len(offers)
        # --demo seeds an empty database only: a restart with --demo adds nothing
        d.restart()
        again, _ = d.list_all("need.list", ctok, {}, limit=1000)
        assert len(again) == len(needs), "restart with --demo: %d needs, was %d" % (len(again), len(needs))


def test_demo_tokens_work_for_every_role():
    with Daemon(extra_args=["--demo"], start_timeout=DEMO_START) as d:
        rows = _tokens(d)
        seen = set()
        for role, code, tok, name, street in rows:
            if role in seen:
                continue
            seen.add(role)
            w = ok(d.call("whoami", token=tok))
            assert w["role"] == role and w["code"] == code, (role, code, w)
            if role != "admin":
                assert w["name"] == name, (name, w)
            if role == "community":
                assert w["street"] == street, (street, w)
                r = ok(d.call("need.list", {"community": code, "limit": 1000}, token=tok))
                assert all(n["community"] == code for n in r["items"]), r["items"][:2]
        assert {"community", "org"} <= seen, seen
        # a demo community can post, and the tokens survive a restart
        crow = next(r for r in rows if r[0] == "community")
        n = d.post_need(crow[2], title="演示新需求")
        d.restart()
        assert ok(d.call("need.get", {"id": n["id"]}, token=crow[2]))["need"]["title"] == "演示新需求"


def test_demo_district_is_matchable():
    # What the seeder promised (once a unit test against a stub): every
    # category used, joint applications well formed, most needs with an
    # affordable offer of their family that serves their street.
    with Daemon(extra_args=["--demo"], start_timeout=DEMO_START) as d:
        a = d.admin
        needs, _ = d.list_all("need.list", a, {}, limit=1000)
        offers, _ = d.list_all("offer.list", a, {}, limit=1000)
        fams = ok(d.call("taxonomy.get", token=a))["families"]
        cats = {"%s.%s" % (f["name"], s) for f in fams for s in f["subs"]}
        assert {n["category"] for n in needs} == cats, cats - {n["category"] for n in needs}
        assert {o["category"] for o in offers} == cats, cats - {o["category"] for o in offers}
        kinds = {}
        orgs, _ = d.list_all("org.list", a, {}, limit=1000)
        for o in orgs:
            kinds[o["code"]] = o["kind"]
        filed = [o for o in offers if kinds[o["org"]] == "filed"]
        assert filed, "the demo has no filed organisations' offers"
        for o in filed:
            assert o["partner"] and kinds[o["partner"]] == "registered", o
        served = 0
        for n in needs:
            fam = n["category"].split(".")[0]
            if any(o["category"].split(".")[0] == fam and o["price"] <= n["budget"] and
                   ("*" in o["streets"] or n["street"] in o["streets"]) for o in offers):
                served += 1
        assert served >= 0.9 * len(needs), "%d of %d needs have an affordable offer" % (
            served, len(needs))
