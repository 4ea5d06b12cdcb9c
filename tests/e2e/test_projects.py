"""Projects (docs/protocol.md, "Projects"): a confirmed pair becomes a project that the
councils deliberate, that is publicly noticed, implemented, accepted and paid.  The
whole life through both transports; each rule of the issue with its test: votes
(quorum, counts, who votes), no stage skipped nor entered by the wrong role (the
refusal names the step owed and who owes it), objections holding the notice, the
notice's end kept across a restart and a clock past it moving nothing by itself.
The caps are in test_projects_money.py, the figures and flags in
test_projects_oversight.py, the public board in test_projects_board.py."""

import os

from harness import Daemon, ok, err, STREET_A, STREET_B
from test_fairlife import Via

ORG1 = "91440300MA5PROJ01"
ORG2 = "91440300MA5PROJ02"
DAY = 86400
VOTE = {"date": "2026-01-10", "members": 15, "present": 12, "yes": 10, "no": 1,
        "abstain": 1}


def at(d, days):
    """Restart d with its clock `days` ahead of the system's (MATCHD_CLOCK_OFFSET)."""
    os.environ["MATCHD_CLOCK_OFFSET"] = str(int(days * DAY))
    try:
        d.restart()
    finally:
        os.environ.pop("MATCHD_CLOCK_OFFSET", None)


class World:
    """C1 and C2 in street A, C3 in street B, ORG1 and ORG2 serving the district, an
    organizer of A and one of B.  pair() makes a need and an offer and a project of
    them, outside a fair (project.create) or through a fair (confirmation)."""

    def __init__(self, d, cap=None, caps=None):
        self.d = d
        self.a = d.admin
        self.tok = {}
        for code, street, name in (("C1", STREET_A, "景华社区"),
                                   ("C2", STREET_A, "莲花北社区"),
                                   ("C3", STREET_B, "园岭东社区")):
            self.tok[code] = d.community(code, street, name=name,
                                         cap=(caps or {}).get(code, cap))
        self.tok[ORG1] = d.org(ORG1, name="阳光社工服务中心")
        self.tok[ORG2] = d.org(ORG2, name="康乐社会服务社")
        self.tok["orgA"] = d.organizer("莲花街道办", STREET_A)[1]
        self.tok["orgB"] = d.organizer("园岭街道办", STREET_B)[1]
        self.n = 0

    def need(self, community="C1", budget=50000, **kw):
        self.n += 1
        args = {"title": "长者助餐服务%d" % self.n, "category": "service.elderly",
                "budget": budget}
        args.update(kw)
        nid = self.d.post_need(self.tok[community], **args)["id"]
        # a shared need opens once its partners agree (docs/protocol.md,
        # "Partners consent")
        for partner in kw.get("partners", []):
            ok(self.d.call("need.consent", {"need": nid, "decision": "agree"},
                           token=self.tok[partner]))
        return nid

    def offer(self, org=ORG1, price=30000, **kw):
        self.n += 1
        args = {"title": "助餐配送%d" % self.n, "category": "service.elderly",
                "price": price}
        args.update(kw)
        return self.d.post_offer(self.tok[org], **args)["id"]

    def pair(self, community="C1", org=ORG1, price=30000, **kw):
        return self.create(self.need(community, **kw), self.offer(org, price))

    def create(self, need, offer, token=None, **kw):
        a = {"need": need, "offer": offer}
        a.update(kw)
        return ok(self.d.call("project.create", a, token=token or self.a))["project"]

    def call(self, op, args, who):
        return self.d.call(op, args, token=self.tok.get(who, who))

    def step(self, op, pid, who, **args):
        a = {"project": pid}
        a.update(args)
        return ok(self.call(op, a, who))["project"]

    def get(self, pid):
        return ok(self.d.call("project.get", {"id": pid}, token=self.a))["project"]

    def to(self, pid, stage, community="C1", org=ORG1):
        """Take project pid to stage through each step, by who owes it."""
        order = ["deliberation", "notice", "implementing", "completed", "accepted",
                 "settled"]
        p = self.get(pid)
        while order.index(p["stage"]) < order.index(stage):
            s = p["stage"]
            if s == "deliberation":
                for c in p["next"]["by"]:
                    p = self.step("project.deliberate", pid, c, **VOTE)
            elif s == "notice":
                p = self.step("project.start", pid, org)
            elif s == "implementing":
                p = self.step("project.complete", pid, org, beneficiaries_served=100,
                              note="完工")
            elif s == "completed":
                for c in p["next"]["by"]:
                    p = self.step("project.accept", pid, c, passed=True, satisfaction=90,
                                  note="满意")
            else:
                p = ok(self.d.call("project.settle", {"project": pid, "paid": p["amount"]},
                                   token=self.a))["project"]
        return p


def refused(r, code, reason, field=None):
    e = err(r, code) if field is None else err(r, code, field)
    assert e.get("reason") == reason, "want reason %s, got %r" % (reason, e)
    return e


# ---------------------------------------------------------------------------

def _life(http):
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w = World(d)
        v = Via(d, http)
        need, offer = w.need(), w.offer()
        fair = v.ok("fair.create", {"name": "对接会", "date": "2026-12-20",
                                    "street": STREET_A}, w.a)["fair"]["id"]
        v.ok("fair.enroll", {"fair": fair, "needs": [need], "offers": [offer]}, w.a)
        v.ok("fair.match", {"fair": fair}, w.a)
        m = v.ok("fair.matches", {"fair": fair}, w.a)["items"][0]
        v.ok("match.respond", {"match": m["id"], "decision": "accept"}, w.tok["C1"])
        assert v.ok("project.list", {}, w.a)["items"] == [], "a project before confirmation"
        v.ok("match.respond", {"match": m["id"], "decision": "accept"}, w.tok[ORG1])
        items = v.ok("project.list", {"community": "C1"}, w.tok["C2"])["items"]
        assert len(items) == 1, items
        p = items[0]
        assert (p["need"], p["offer"], p["match"], p["stage"]) == (need, offer, m["id"],
                                                                    "deliberation"), p
        assert (p["community"], p["org"], p["street"], p["amount"], p["paid"]) == \
            ("C1", ORG1, STREET_A, 30000, 0), p
        assert p["next"] == {"op": "project.deliberate", "role": "community", "by": ["C1"],
                             "quorum": "2/3", "pass_share": 0.5}, p["next"]
        pid = p["id"]
        r = v.ok("project.deliberate", dict(VOTE, project=pid, minutes="纪要"), w.tok["C1"])
        p = r["project"]
        assert p["stage"] == "notice" and p["votes"][0]["passed"] is True, p
        assert r["vote"] == p["votes"][0] and r["vote"]["minutes"] == "纪要", r
        assert p["next"]["op"] == "project.start" and p["next"]["by"] == [ORG1], p
        p = v.ok("project.start", {"project": pid, "date": "2026-01-20"},
                 w.tok[ORG1])["project"]
        assert p["stage"] == "implementing", p
        p = v.ok("project.progress", {"project": pid, "percent": 60, "note": "过半"},
                 w.tok[ORG1])["project"]
        assert p["progress"] == 60 and p["stage"] == "implementing", p
        p = v.ok("project.complete", {"project": pid, "beneficiaries_served": 320,
                                      "note": "服务完成"}, w.tok[ORG1])["project"]
        assert (p["stage"], p["progress"], p["beneficiaries_served"]) == ("completed", 100,
                                                                          320), p
        p = v.ok("project.accept", {"project": pid, "passed": True, "satisfaction": 93,
                                    "note": "验收合格"}, w.tok["C1"])["project"]
        assert (p["stage"], p["satisfaction"]) == ("accepted", 93), p
        p = v.ok("project.settle", {"project": pid, "paid": 29800.5}, w.a)["project"]
        assert (p["stage"], p["paid"], p["next"]) == ("settled", 29800.5, None), p
        hist = [(h["stage"], h["prev"], h["op"], h["code"]) for h in p["history"]]
        assert hist == [
            ("deliberation", None, "match.respond", ORG1),
            ("notice", "deliberation", "project.deliberate", "C1"),
            ("implementing", "notice", "project.start", ORG1),
            ("implementing", "implementing", "project.progress", ORG1),
            ("completed", "implementing", "project.complete", ORG1),
            ("accepted", "completed", "project.accept", "C1"),
            ("settled", "accepted", "project.settle", "admin-1")], hist
        assert p["history"][2]["date"] == "2026-01-20", p["history"]
        # every transition is audited with its caller and the project
        audit, _ = d.list_all("audit.list", w.a, {}, limit=1000)
        steps = [(e["op"], e["code"]) for e in audit if e["op"].startswith("project.")
                 and e["object"] == str(pid) and e["outcome"] == "ok"]
        assert steps == [(h[2], h[3]) for h in hist[1:]], steps


def test_life_native():
    _life(False)


def test_life_http():
    _life(True)


def test_votes_need_quorum_and_counts_that_add_up():
    with Daemon() as d:
        w = World(d)
        pid = w.pair()["id"]
        before = w.get(pid)
        bad = [(dict(VOTE, present=9), "present", "quorum_not_met"),   # 9 < ceil(2/3 x 15)
               (dict(VOTE, present=16, yes=15), "present", "present_over_members"),
               (dict(VOTE, yes=9), "yes", "counts_mismatch"),
               (dict(VOTE, abstain=2), "yes", "counts_mismatch")]
        for args, field, reason in bad:
            refused(w.call("project.deliberate", dict(args, project=pid), "C1"),
                    "invalid_argument", reason, field)
            assert w.get(pid) == before, "a refused vote changed the project"
        # the exact ceiling: 10 of 15 is a quorum (2/3 x 15 = 10)
        p = w.step("project.deliberate", pid, "C1", **dict(VOTE, present=10, yes=6, no=4,
                                                          abstain=0))
        assert p["stage"] == "notice", p
        refused(w.call("project.deliberate", dict(VOTE, project=pid), "C1"), "conflict",
                "stage_notice")
        # another pair: a tie does not pass (yes > present / 2), and rejects
        q = w.pair()
        p = w.step("project.deliberate", q["id"], "C1", **dict(VOTE, yes=6, no=6, abstain=0))
        assert p["stage"] == "rejected" and p["votes"][0]["passed"] is False, p
        need = ok(d.call("need.get", {"id": q["need"]}, token=w.a))["need"]
        assert need["status"] == "open", need
        # a council cannot meet in the future
        r = w.pair()
        refused(w.call("project.deliberate", dict(VOTE, project=r["id"], date="2099-01-01"),
                       "C1"), "invalid_argument", "date_future", "date")


def test_quorum_and_pass_share_from_the_configuration():
    with Daemon(conf_overrides={"programme.quorum": "0.5", "programme.pass_share": "0.6"}) as d:
        w = World(d)
        pid = w.pair()["id"]
        # ceil(0.5 x 15) = 8
        refused(w.call("project.deliberate", dict(VOTE, project=pid, present=7, yes=7, no=0,
                                                  abstain=0), "C1"),
                "invalid_argument", "quorum_not_met", "present")
        # 6 of 10 is not more than 0.6 x 10
        p = w.step("project.deliberate", pid, "C1", **dict(VOTE, present=10, yes=6, no=4,
                                                           abstain=0))
        assert p["stage"] == "rejected", p
        q = w.pair()["id"]
        p = w.step("project.deliberate", q, "C1", **dict(VOTE, present=8, yes=5, no=3,
                                                         abstain=0))
        assert p["stage"] == "notice", p


def test_every_paying_community_votes_and_no_other():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w = World(d)
        p = w.pair(partners=["C3"])
        pid = p["id"]
        assert p["partners"] == ["C3"] and p["next"]["by"] == ["C1", "C3"], p
        refused(w.call("project.deliberate", dict(VOTE, project=pid), "C2"), "forbidden",
                "not_paying_community")
        p = w.step("project.deliberate", pid, "C3", **VOTE)
        assert p["stage"] == "deliberation" and p["next"]["by"] == ["C1"], p
        refused(w.call("project.deliberate", dict(VOTE, project=pid), "C3"), "conflict",
                "already_voted")
        p = w.step("project.deliberate", pid, "C1", **VOTE)
        assert p["stage"] == "notice", p
        # a partner's failed vote rejects the shared project; project.create on the same
        # pair brings it back (same id), and the failed council votes again
        q = w.pair(partners=["C3"])
        w.step("project.deliberate", q["id"], "C1", **VOTE)
        p = w.step("project.deliberate", q["id"], "C3", **dict(VOTE, yes=2, no=10, abstain=0))
        assert p["stage"] == "rejected", p
        refused(w.call("project.deliberate", dict(VOTE, project=q["id"]), "C3"), "conflict",
                "stage_rejected")
        again = w.create(q["need"], q["offer"])
        assert again["id"] == q["id"] and again["stage"] == "deliberation", again
        assert again["next"]["by"] == ["C3"], again
        p = w.step("project.deliberate", q["id"], "C3", **VOTE)
        assert p["stage"] == "notice" and len(p["votes"]) == 2, p
        assert all(v["passed"] for v in p["votes"]), p["votes"]
        # the other parties may accept only together: C1 alone leaves it completed
        p = w.to(q["id"], "completed")
        p = w.step("project.accept", q["id"], "C1", passed=True, satisfaction=80, note="好")
        assert p["stage"] == "completed" and p["next"]["by"] == ["C3"], p
        p = w.step("project.accept", q["id"], "C3", passed=True, satisfaction=91, note="好")
        assert (p["stage"], p["satisfaction"]) == ("accepted", 86), p


def test_no_stage_skipped_nor_entered_by_the_wrong_role():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w = World(d)
        pid = w.pair()["id"]
        steps = {
            "project.start": (ORG1, {}),
            "project.progress": (ORG1, {"percent": 10, "note": "x"}),
            "project.complete": (ORG1, {"beneficiaries_served": 1, "note": "x"}),
            "project.accept": ("C1", {"passed": True, "satisfaction": 1, "note": "x"}),
            "project.settle": (w.a, {"paid": 1}),
            "project.deliberate": ("C1", VOTE),
        }
        allowed = {"deliberation": {"project.deliberate"},
                   "notice": {"project.start"},
                   "implementing": {"project.progress", "project.complete"},
                   "completed": {"project.accept"}, "accepted": {"project.settle"},
                   "settled": set()}
        owed = {"deliberation": "project.deliberate by community C1",
                "notice": "project.start by org " + ORG1,
                "implementing": "project.complete by org " + ORG1,
                "completed": "project.accept by community C1",
                "accepted": "project.settle by admin"}
        for stage in ("deliberation", "notice", "implementing", "completed", "accepted",
                      "settled"):
            p = w.to(pid, stage)
            for op, (who, args) in steps.items():
                if op in allowed[stage]:
                    continue
                e = refused(w.call(op, dict(args, project=pid), who), "conflict",
                            "stage_" + stage)
                if stage in owed:
                    assert owed[stage] in e["message"], (op, stage, e)
                assert w.get(pid)["stage"] == stage
        # the wrong party: another organisation, another community, other roles
        q = w.pair()["id"]
        refused(w.call("project.deliberate", dict(VOTE, project=q), "C2"), "forbidden",
                "not_paying_community")
        err(w.call("project.deliberate", dict(VOTE, project=q), ORG1), "forbidden")
        err(w.call("project.deliberate", dict(VOTE, project=q), w.a), "forbidden")
        w.to(q, "notice")
        refused(w.call("project.start", {"project": q}, ORG2), "forbidden",
                "not_project_org")
        err(w.call("project.start", {"project": q}, "C1"), "forbidden")
        err(w.call("project.start", {"project": q}, "orgA"), "forbidden")
        err(w.call("project.settle", {"project": q, "paid": 1}, "orgA"), "forbidden")
        err(w.call("project.get", {"id": 999}, "C1"), "not_found", "id")
        # cancel: the admin, before acceptance only
        p = ok(w.call("project.cancel", {"project": q, "reason": "撤销"}, w.a))["project"]
        assert p["stage"] == "cancelled" and p["next"] is None, p
        refused(w.call("project.cancel", {"project": pid, "reason": "x"}, w.a), "conflict",
                "stage_settled")


def test_settlement_is_never_above_the_amount():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w = World(d)
        pid = w.pair(price=12345.67)["id"]
        w.to(pid, "accepted")
        refused(w.call("project.settle", {"project": pid, "paid": 12345.68}, w.a),
                "invalid_argument", "paid_over_amount", "paid")
        assert w.get(pid)["stage"] == "accepted"
        p = ok(w.call("project.settle", {"project": pid, "paid": 12345.67}, w.a))["project"]
        assert (p["stage"], p["paid"]) == ("settled", 12345.67), p
        flags = ok(d.call("risk.flags", {}, token=w.a))["items"]
        assert not [f for f in flags if f["kind"] == "settled_over"], flags


def test_failed_acceptance_goes_back_to_implementing():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w = World(d)
        pid = w.pair()["id"]
        w.to(pid, "completed")
        p = w.step("project.accept", pid, "C1", passed=False, satisfaction=30, note="不合格")
        assert p["stage"] == "implementing" and p["satisfaction"] is None, p
        assert [a["current"] for a in p["acceptances"]] == [False], p["acceptances"]
        p = w.step("project.complete", pid, ORG1, beneficiaries_served=50, note="整改完成")
        p = w.step("project.accept", pid, "C1", passed=True, satisfaction=88, note="合格")
        assert (p["stage"], p["satisfaction"]) == ("accepted", 88), p
        refused(w.call("project.accept", {"project": pid, "passed": True, "satisfaction": 1,
                                          "note": "x"}, "C1"), "conflict", "stage_accepted")


def test_objections_hold_the_notice_and_an_upheld_one_cancels():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w = World(d)
        p = w.pair()
        pid = p["id"]
        refused(w.call("project.object", {"project": pid, "text": "x"}, "C2"), "conflict",
                "stage_deliberation")
        w.to(pid, "notice")
        o = ok(w.call("project.object", {"project": pid, "text": "选址不合理"}, "C2"))["objection"]
        assert (o["status"], o["code"], o["project"]) == ("open", "C2", pid), o
        p = w.get(pid)
        assert p["next"] == {"op": "objection.resolve", "role": "organizer",
                             "by": [STREET_A]}, p
        # the notice is over (0 days), yet the open objection holds it
        refused(w.call("project.start", {"project": pid}, ORG1), "conflict", "objection_open")
        refused(w.call("objection.resolve", {"objection": o["id"], "decision": "upheld",
                                             "note": "x"}, "orgB"), "forbidden",
                "not_in_scope")
        r = ok(w.call("objection.resolve", {"objection": o["id"], "decision": "dismissed",
                                            "note": "已核实"}, "orgA"))
        assert r["objection"]["status"] == "dismissed" and r["project"]["stage"] == "notice"
        refused(w.call("objection.resolve", {"objection": o["id"], "decision": "upheld",
                                             "note": "x"}, "orgA"), "conflict",
                "objection_resolved")
        assert w.step("project.start", pid, ORG1)["stage"] == "implementing"
        # upheld: cancelled, the need open again and the offer's place back
        q = w.pair()
        w.to(q["id"], "notice")
        offer = ok(d.call("offer.get", {"id": q["offer"]}, token=w.a))["offer"]
        assert (offer["remaining"], offer["status"]) == (0, "full"), offer
        o = ok(w.call("project.object", {"project": q["id"], "text": "重复建设"}, ORG2))
        r = ok(w.call("objection.resolve", {"objection": o["objection"]["id"],
                                            "decision": "upheld", "note": "属实"}, w.a))
        assert r["project"]["stage"] == "cancelled", r
        need = ok(d.call("need.get", {"id": q["need"]}, token=w.a))["need"]
        offer = ok(d.call("offer.get", {"id": q["offer"]}, token=w.a))["offer"]
        assert need["status"] == "open", need
        assert (offer["remaining"], offer["status"]) == (1, "open"), offer


def test_restart_keeps_the_notice_end_and_time_moves_nothing_by_itself():
    with Daemon(conf_overrides={"programme.notice_days": "5"}) as d:
        w = World(d)
        pid = w.pair()["id"]
        p = w.to(pid, "notice")
        end = p["notice_end"]
        assert p["next"]["after"] == end, p
        refused(w.call("project.start", {"project": pid}, ORG1), "conflict", "notice_running")
        at(d, 3)                        # 3 days later: still on notice
        w.a = d.admin
        p = w.get(pid)
        assert (p["stage"], p["notice_end"]) == ("notice", end), p
        refused(w.call("project.start", {"project": pid}, ORG1), "conflict", "notice_running")
        at(d, 400)                      # long past every deadline
        p = w.get(pid)
        # nothing moved by itself: the notice ended, the organisation has not started
        assert (p["stage"], p["notice_end"], p["overdue"]) == ("notice", end, False), p
        assert "after" not in p["next"], p
        q = w.pair()["id"]
        assert w.get(q)["overdue"] is False
        at(d, 431)                      # q is 31 days in deliberation: overdue
        assert w.get(q)["overdue"] is True and w.get(q)["stage"] == "deliberation"
        assert w.step("project.start", pid, ORG1)["stage"] == "implementing"


def test_matchctl_project_commands():
    from harness import run_matchctl
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w = World(d)
        pid = w.pair()["id"]
        host = ["-H", "127.0.0.1:%d" % d.port]
        r = run_matchctl(host + ["-t", w.tok["C1"], "project.deliberate", "project=%d" % pid,
                                 "date=2026-01-10", "members=15", "present=12", "yes=10",
                                 "no=1", "abstain=1"])
        assert r.returncode == 0, r.stderr
        r = run_matchctl(host + ["-t", w.a, "project.list", "stage=notice"])
        assert r.returncode == 0 and ('"id": %d' % pid) in r.stdout.decode(), r
        r = run_matchctl(host + ["-t", w.tok["C1"], "project.deliberate",
                                 "project=%d" % pid, "date=2026-01-10", "members=15",
                                 "present=3", "yes=3", "no=0", "abstain=0"])
        assert r.returncode == 1 and b"error conflict" in r.stderr, r


def test_programme_keys_are_checked():
    from harness import run_matchd
    r = run_matchd(["check", "-c", "/dev/null", "-o", "programme.quorum=0.6667"])
    assert r.returncode == 0 and b"quorum = 0.6667" in r.stdout, r
    for bad in ("programme.quorum=3/2", "programme.quorum=2/0", "programme.quorum=x",
                "programme.quorum=0.1234567", "programme.notice_days=-1",
                "programme.deliberation_days=0", "programme.pass_share=1.5"):
        r = run_matchd(["check", "-c", "/dev/null", "-o", bad])
        assert r.returncode == 1 and bad.split("=")[0].encode() in r.stderr, (bad, r)


def test_an_older_database_gets_projects_of_its_confirmed_matches():
    """Migration 7 makes a project in deliberation of every confirmed match of a
    fair's latest run, dated by the fair, so the caps count what they counted."""
    import sqlite3
    with Daemon() as d:
        w = World(d)
        need, offer = w.need(), w.offer()
        f = ok(d.call("fair.create", {"name": "f", "date": "2026-12-20", "street": STREET_A},
                      token=w.a))["fair"]["id"]
        ok(d.call("fair.enroll", {"fair": f, "needs": [need], "offers": [offer]}, token=w.a))
        ok(d.call("fair.match", {"fair": f}, token=w.a))
        m = ok(d.call("fair.matches", {"fair": f}, token=w.a))["items"][0]["id"]
        for who in ("C1", ORG1):
            ok(w.call("match.respond", {"match": m, "decision": "accept"}, who))
        d.stop()
        con = sqlite3.connect(d.db)
        for t in ("risk_resolutions", "project_history", "acceptances", "objections",
                  "project_votes", "projects"):
            con.execute("DROP TABLE %s" % t)
        # and what migration 8 (interests) added after it
        con.execute("DROP TABLE interests")
        con.execute("ALTER TABLE matches DROP COLUMN s_interest")
        con.execute("ALTER TABLE meetings DROP COLUMN must")
        # and migration 9 (risk_seen)
        con.execute("DROP TABLE risk_seen")
        con.execute("PRAGMA user_version = 6")
        con.commit()
        con.close()
        d.start()
        items = ok(d.call("project.list", {}, token=w.a))["items"]
        assert [(p["need"], p["offer"], p["match"], p["stage"], p["dated"]) for p in items] == \
            [(need, offer, m, "deliberation", "2026-12-20")], items
        assert items[0]["history"][0]["op"] == "match.respond", items[0]["history"]
        comm = ok(d.call("community.get", {"code": "C1"}, token=w.a))["community"]
        assert comm["used"] == 30000, comm
