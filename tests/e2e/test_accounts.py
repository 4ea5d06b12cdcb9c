"""Accounts: community / org / organizer creation, whoami per role, token.rotate."""

from harness import Daemon, ok, err, STREET_A, STREET_B

ORG1 = "91440300MA5F000001"
ORG2 = "91440300MA5F000002"


def test_admin_whoami():
    with Daemon() as d:
        r = ok(d.call("whoami", token=d.admin))
        assert r["role"] == "admin", r
        assert {"role", "code", "name", "street"} <= set(r), r


def test_community_create_and_whoami():
    with Daemon(conf_overrides={"matcher.community_cap": 1234567}) as d:
        r = ok(d.call("community.create", {"code": "LH01", "name": "莲花一村社区",
                                           "street": STREET_A}, token=d.admin))
        c = r["community"]
        assert c["code"] == "LH01" and c["name"] == "莲花一村社区" and c["street"] == STREET_A, c
        assert c["cap"] == 1234567, "cap must default to matcher.community_cap: %r" % c
        tok = r["token"]
        assert isinstance(tok, str) and len(tok) >= 32, tok
        w = ok(d.call("whoami", token=tok))
        assert w == {"role": "community", "code": "LH01", "name": "莲花一村社区",
                     "street": STREET_A} or (w["role"], w["code"], w["name"], w["street"]) == (
            "community", "LH01", "莲花一村社区", STREET_A), w
        r = ok(d.call("community.create", {"code": "LH02", "name": "二村", "street": STREET_A,
                                           "cap": 800000}, token=d.admin))
        assert r["community"]["cap"] == 800000


def test_community_duplicate_code_conflict():
    with Daemon() as d:
        t = d.community("C1", street=STREET_A, name="原社区")
        err(d.call("community.create", {"code": "C1", "name": "别的", "street": STREET_B},
                   token=d.admin), "conflict")
        # the first one is unchanged and its token still works
        w = ok(d.call("whoami", token=t))
        assert (w["code"], w["name"], w["street"]) == ("C1", "原社区", STREET_A), w


def test_community_create_requires_name_and_street():
    with Daemon() as d:
        err(d.call("community.create", {"code": "C1", "name": "n"}, token=d.admin),
            "invalid_argument", "street")
        err(d.call("community.create", {"code": "C1", "street": STREET_A}, token=d.admin),
            "invalid_argument", "name")
        err(d.call("community.create", {"name": "n", "street": STREET_A}, token=d.admin),
            "invalid_argument", "code")
        d.community("C1")  # nothing was stored under C1 before


def test_org_create_defaults():
    with Daemon() as d:
        r = ok(d.call("org.create", {"code": ORG1, "name": "乐龄社工", "kind": "registered",
                                     "street": STREET_A}, token=d.admin))
        o = r["org"]
        assert o["code"] == ORG1 and o["kind"] == "registered" and o["street"] == STREET_A, o
        assert o["streets"] == [STREET_A], "streets must default to [street]: %r" % o
        r = ok(d.call("org.create", {"code": ORG2, "name": "全区服务", "kind": "filed"},
                      token=d.admin))
        o = r["org"]
        assert o["kind"] == "filed" and o["street"] is None, o
        assert o["streets"] == ["*"], "streets must default to [\"*\"]: %r" % o
        w = ok(d.call("whoami", token=r["token"]))
        assert w["role"] == "org" and w["code"] == ORG2 and w["name"] == "全区服务", w


def test_org_create_explicit_streets_and_bad_kind():
    with Daemon() as d:
        r = ok(d.call("org.create", {"code": ORG1, "name": "n", "kind": "registered",
                                     "street": STREET_A, "streets": [STREET_A, STREET_B]},
                      token=d.admin))
        assert sorted(r["org"]["streets"]) == sorted([STREET_A, STREET_B]), r
        for kind in ("other", "", "Registered", 1):
            err(d.call("org.create", {"code": ORG2, "name": "n", "kind": kind}, token=d.admin),
                "invalid_argument", "kind")
        err(d.call("org.create", {"code": ORG2, "name": "n", "kind": "filed", "streets": "x"},
                   token=d.admin), "invalid_argument", "streets")
        ok(d.call("org.create", {"code": ORG2, "name": "n", "kind": "filed"}, token=d.admin))


def test_org_duplicate_code_conflict():
    with Daemon() as d:
        d.org(ORG1)
        err(d.call("org.create", {"code": ORG1, "name": "x", "kind": "filed"}, token=d.admin),
            "conflict")


def test_organizer_create_and_whoami():
    with Daemon() as d:
        r = ok(d.call("organizer.create", {"name": "莲花街道办", "street": STREET_A},
                      token=d.admin))
        o = r["organizer"]
        assert o["code"].startswith("organizer-"), o
        assert o["name"] == "莲花街道办" and o["street"] == STREET_A, o
        w = ok(d.call("whoami", token=r["token"]))
        assert (w["role"], w["code"], w["street"]) == ("organizer", o["code"], STREET_A), w
        r2 = ok(d.call("organizer.create", {"name": "区民政局"}, token=d.admin))
        o2 = r2["organizer"]
        assert o2["street"] is None and o2["code"] != o["code"], o2
        w = ok(d.call("whoami", token=r2["token"]))
        assert w["role"] == "organizer" and w["street"] is None, w


def test_account_creation_requires_admin():
    with Daemon() as d:
        ct = d.community("C1")
        ot = d.org(ORG1)
        _, gt = d.organizer("街道办", STREET_A)
        for tok in (ct, ot, gt):
            err(d.call("community.create", {"code": "X9", "name": "n", "street": STREET_A},
                       token=tok), "forbidden")
            err(d.call("org.create", {"code": ORG2, "name": "n", "kind": "filed"}, token=tok),
                "forbidden")
            err(d.call("organizer.create", {"name": "n"}, token=tok), "forbidden")
        # none of them was created
        ok(d.call("community.create", {"code": "X9", "name": "n", "street": STREET_A},
                  token=d.admin))
        ok(d.call("org.create", {"code": ORG2, "name": "n", "kind": "filed"}, token=d.admin))


def test_tokens_are_distinct():
    with Daemon() as d:
        toks = [d.admin, d.community("C1"), d.community("C2"), d.org(ORG1), d.organizer()[1]]
        assert len(set(toks)) == len(toks), toks
        for t in toks:
            assert len(t) >= 32, t


def test_token_rotate_self():
    with Daemon() as d:
        old = d.community("C1")
        r = ok(d.call("token.rotate", token=old))
        new = r["token"]
        assert new != old
        err(d.call("whoami", token=old), "unauthenticated")
        w = ok(d.call("whoami", token=new))
        assert w["role"] == "community" and w["code"] == "C1"


def test_token_rotate_old_token_dies_on_open_connection():
    with Daemon() as d:
        old = d.org(ORG1)
        c1, c2 = d.native(), d.native()
        ok(c1.call("whoami", token=old))
        new = ok(c2.call("token.rotate", token=old))["token"]
        err(c1.call("whoami", token=old), "unauthenticated")
        assert ok(c1.call("whoami", token=new))["code"] == ORG1


def test_token_rotate_by_admin_for_others():
    with Daemon() as d:
        ct = d.community("C1")
        ot = d.org(ORG1)
        gcode, gt = d.organizer("街道办")
        for role, code, old in (("community", "C1", ct), ("org", ORG1, ot), ("organizer", gcode, gt)):
            new = ok(d.call("token.rotate", {"role": role, "code": code}, token=d.admin))["token"]
            err(d.call("whoami", token=old), "unauthenticated")
            w = ok(d.call("whoami", token=new))
            assert (w["role"], w["code"]) == (role, code), w
        assert ok(d.call("whoami", token=d.admin))["role"] == "admin"


def test_token_rotate_for_another_account_forbidden():
    with Daemon() as d:
        a = d.community("C1")
        b = d.community("C2")
        o = d.org(ORG1)
        err(d.call("token.rotate", {"role": "community", "code": "C2"}, token=a), "forbidden")
        err(d.call("token.rotate", {"role": "community", "code": "C1"}, token=o), "forbidden")
        assert ok(d.call("whoami", token=b))["code"] == "C2"
        assert ok(d.call("whoami", token=a))["code"] == "C1"


def test_token_rotate_admin_self_and_unknown_account():
    with Daemon() as d:
        old = d.admin
        err(d.call("token.rotate", {"role": "community", "code": "nosuch"}, token=old),
            "not_found")
        new = ok(d.call("token.rotate", token=old))["token"]
        err(d.call("whoami", token=old), "unauthenticated")
        assert ok(d.call("whoami", token=new))["role"] == "admin"


def test_matchd_token_gives_a_working_admin_token_while_running():
    with Daemon() as d:
        t1 = d.admin_token()
        assert ok(d.call("whoami", token=t1))["role"] == "admin"
        t2 = d.admin_token()
        assert t2 != t1
        assert ok(d.call("whoami", token=t2))["role"] == "admin"
