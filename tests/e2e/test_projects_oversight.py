"""The figures of projects (docs/oversight.md, "Projects"): stats.streets' stage counts,
overdue projects, beneficiaries served and accepted and paid amounts, the ranking by
progress, then accepted projects, then beneficiaries (money shown, never ranked);
report.monthly as an object, a page and a workbook, a past month read from the
histories; the risk flags split_project, stalled and failed_acceptance with stable
keys, and risk.resolve."""

import datetime
import os

from harness import Daemon, ok, err, STREET_A, STREET_B
from test_projects import World, VOTE, ORG1, ORG2, at, refused, DAY

STAGES = ["deliberation", "notice", "implementing", "completed", "accepted", "settled",
          "rejected", "cancelled"]


def _streets(d, token, **args):
    return {it["street"]: it for it in ok(d.call("stats.streets", args,
                                                 token=token))["items"]}


def test_streets_count_stages_and_rank_by_progress_accepted_then_served():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w = World(d)
        # A: one need, answered and accepted, 50 served, small money
        a1 = w.pair("C1", price=10000)
        w.to(a1["id"], "accepted")
        # B: one need, answered, completed with 500 served, big money: ranks below A
        b1 = w.pair("C3", price=45000)
        w.to(b1["id"], "completed")
        s = _streets(d, w.a)
        assert s[STREET_A]["progress"] == s[STREET_B]["progress"] == 1, s
        assert (s[STREET_A]["rank"], s[STREET_B]["rank"]) == (1, 2), s
        assert s[STREET_A]["projects_accepted"] == 1 and s[STREET_B]["projects_accepted"] == 0
        assert set(s[STREET_A]["projects"]) == set(STAGES), s[STREET_A]
        assert s[STREET_A]["projects"]["accepted"] == 1 and \
            s[STREET_B]["projects"]["completed"] == 1, s
        assert (s[STREET_A]["beneficiaries_served"], s[STREET_A]["accepted_amount"],
                s[STREET_A]["paid_amount"]) == (100, 10000, 0), s[STREET_A]
        assert s[STREET_B]["accepted_amount"] == 0 and s[STREET_B]["confirmed_amount"] == 45000
        # settle A: paid counts, the rank does not move
        ok(w.call("project.settle", {"project": a1["id"], "paid": 9000}, w.a))
        b2 = w.pair("C3", price=45000)
        w.to(b2["id"], "accepted")
        s = _streets(d, w.a)
        assert s[STREET_A]["paid_amount"] == 9000 and \
            s[STREET_A]["projects"]["settled"] == 1, s[STREET_A]
        # accepted ties (1 and 1): B has served more (its completed project too)
        assert s[STREET_B]["beneficiaries_served"] == 200, s[STREET_B]
        assert (s[STREET_B]["rank"], s[STREET_A]["rank"]) == (1, 2), s
        # A accepts a second: more accepted ranks first, whatever B served
        a2 = w.pair("C2", price=1000)
        w.to(a2["id"], "accepted")
        s = _streets(d, w.a)
        assert (s[STREET_A]["rank"], s[STREET_B]["rank"]) == (1, 2), s
        # equal on all three: one rank, listed by name
        w.to(b1["id"], "accepted")
        s = _streets(d, w.a)
        assert s[STREET_A]["projects_accepted"] == s[STREET_B]["projects_accepted"] == 2
        assert s[STREET_A]["beneficiaries_served"] == s[STREET_B]["beneficiaries_served"]
        assert s[STREET_A]["rank"] == s[STREET_B]["rank"] == 1, s
        # rejected and cancelled count in their stage, and the need is unanswered again
        r = w.pair("C1")
        w.step("project.deliberate", r["id"], "C1", **dict(VOTE, yes=0, no=12, abstain=0))
        c = w.pair("C1")
        ok(w.call("project.cancel", {"project": c["id"], "reason": "撤销"}, w.a))
        s = _streets(d, w.a)
        assert (s[STREET_A]["projects"]["rejected"], s[STREET_A]["projects"]["cancelled"]) == \
            (1, 1), s[STREET_A]
        assert (s[STREET_A]["needs_posted"], s[STREET_A]["needs_matched"]) == (4, 2), s
        # an organizer of street B sees its row, with its rank in the district
        mine = ok(d.call("stats.streets", {}, token=w.tok["orgB"]))["items"]
        assert [it["street"] for it in mine] == [STREET_B], mine


def test_overdue_by_the_deadlines_of_the_configuration():
    conf = {"programme.notice_days": "0", "programme.deliberation_days": "10",
            "programme.implementation_days": "20", "programme.acceptance_days": "5"}
    with Daemon(conf_overrides=conf) as d:
        w = World(d)
        dl = w.pair()["id"]
        im = w.pair()["id"]
        w.to(im, "implementing")
        co = w.pair()["id"]
        w.to(co, "completed")
        no = w.pair()["id"]
        w.to(no, "notice")
        assert _streets(d, w.a)[STREET_A]["overdue"] == 0
        at(d, 11)               # deliberation is past its 10 days
        s = _streets(d, w.a)[STREET_A]
        assert s["overdue"] == 2, s     # deliberation (10) and completed (5)
        assert [w.get(p)["overdue"] for p in (dl, im, co, no)] == [True, False, True, False]
        at(d, 21)
        assert _streets(d, w.a)[STREET_A]["overdue"] == 3
        year = ok(d.call("community.get", {"code": "C1"}, token=w.a))["community"]["year"]
        now = datetime.datetime.utcfromtimestamp(
            datetime.datetime.utcnow().timestamp() + 21 * DAY)
        rep = ok(d.call("report.monthly", {"year": year, "month": now.month}, token=w.a))
        if now.year == year:
            late = {it["project"]: it for it in rep["overdue"]}
            assert set(late) == {dl, im, co}, rep["overdue"]
            assert late[dl]["days_over"] == 11 and late[dl]["stage"] == "deliberation", late
            assert late[im]["org_name"] == "阳光社工服务中心", late[im]
        flags = ok(d.call("risk.flags", {}, token=w.a))["items"]
        stalled = {f["project"]: f for f in flags if f["kind"] == "stalled"}
        assert set(stalled) == {dl, im, co}, flags
        assert stalled[dl]["key"].startswith("stalled:%d:deliberation:" % dl), stalled[dl]


def test_a_past_month_is_read_from_the_histories():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        now = datetime.datetime.utcnow()
        past = now - datetime.timedelta(days=40)
        # the need is of the past month's year, whatever today is
        win = {"from": "%d-01-01" % past.year, "to": "%d-12-31" % past.year}
        at(d, -70)
        w = World(d)
        pid = w.pair(window=win)["id"]
        w.to(pid, "implementing")
        at(d, -10)
        w.step("project.complete", pid, ORG1, beneficiaries_served=40, note="完工")
        at(d, 0)
        w.step("project.accept", pid, "C1", passed=True, satisfaction=90, note="好")
        rep = ok(d.call("report.monthly", {"year": past.year, "month": past.month},
                        token=w.a))
        assert rep["stages"]["implementing"] == 1 and rep["stages"]["accepted"] == 0, rep
        row = [s for s in rep["streets"] if s["street"] == STREET_A][0]
        assert row["projects"]["implementing"] == 1 and row["beneficiaries_served"] == 0, row
        assert rep["as_of"] < now.strftime("%Y-%m-%dT%H:%M:%SZ"), rep["as_of"]
        if now.year == past.year:
            cur = ok(d.call("report.monthly", {"year": now.year, "month": now.month},
                            token=w.a))
            assert cur["stages"]["accepted"] == 1, cur["stages"]
        # before the project existed: nothing
        before = datetime.datetime.utcnow() - datetime.timedelta(days=100)
        if before.year == past.year:
            old = ok(d.call("report.monthly", {"year": before.year, "month": before.month},
                            token=w.a))
            assert sum(old["stages"].values()) == 0, old


def test_report_monthly_as_object_page_and_workbook():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w = World(d)
        p = w.pair()
        w.to(p["id"], "accepted")
        w.pair("C3")
        year = ok(d.call("community.get", {"code": "C1"}, token=w.a))["community"]["year"]
        month = datetime.datetime.utcnow().month
        rep = ok(d.call("report.monthly", {"year": year, "month": month}, token=w.a))
        assert {"year", "month", "street", "as_of", "streets", "stages", "overdue",
                "risks"} <= set(rep), rep
        assert [s["street"] for s in rep["streets"]][:2] == [STREET_A, STREET_B], rep
        assert rep["stages"]["accepted"] == 1 and rep["stages"]["deliberation"] == 1
        assert all("key" in f for f in rep["risks"]), rep["risks"]
        mine = ok(d.call("report.monthly", {"year": year, "month": month},
                         token=w.tok["orgB"]))
        assert mine["street"] == STREET_B and [s["street"] for s in mine["streets"]] == \
            [STREET_B], mine
        assert mine["stages"]["accepted"] == 0 and mine["stages"]["deliberation"] == 1
        err(d.call("report.monthly", {"year": year, "month": 13}, token=w.a),
            "invalid_argument", "month")
        err(d.call("report.monthly", {"year": year, "month": 1}, token=w.tok["C1"]),
            "forbidden")
        h = d.http_client()
        path = "/v1/reports/%d-%02d" % (year, month)
        st, hd, body = h.request("GET", path + ".html", headers={"Authorization":
                                                               "Bearer " + w.a})
        text = body.decode("utf-8")
        assert st == 200 and hd["content-type"] == "text/html; charset=utf-8", hd
        assert "通报" in text and STREET_A in text and "逾期项目" in text, text[:300]
        assert "<script" not in text
        st, hd, body = h.request("GET", path + ".xlsx", headers={"Authorization":
                                                               "Bearer " + w.a})
        assert st == 200 and body[:2] == b"PK" and "attachment" in \
            hd["content-disposition"], hd
        st, _, _ = h.request("GET", "/v1/reports/%d-13.html" % year,
                             headers={"Authorization": "Bearer " + w.a})
        assert st == 400
        st, _, _ = h.request("GET", "/v1/reports/nonsense.pdf",
                             headers={"Authorization": "Bearer " + w.a})
        assert st == 404


def test_split_project_and_failed_acceptance_flags_with_keys_and_resolution():
    conf = {"programme.notice_days": "0", "risk.split_threshold": "100000"}
    with Daemon(conf_overrides=conf) as d:
        w = World(d)
        split = [w.pair("C1", ORG1, price=40000, budget=40000)["id"] for _ in range(3)]
        w.pair("C2", ORG1, price=150000, budget=150000)         # one big project: no flag
        w.pair("C2", ORG2, price=40000, budget=40000)           # one small: no flag
        flags = ok(d.call("risk.flags", {}, token=w.a))["items"]
        sp = [f for f in flags if f["kind"] == "split_project"]
        assert len(sp) == 1 and sp[0]["projects"] == split, sp
        assert sp[0]["key"] == "split_project:%s:C1:%d" % (ORG1, split[0]), sp
        assert (sp[0]["org"], sp[0]["community"], sp[0]["detail"]["total"]) == (
            ORG1, "C1", 120000), sp
        # two failed acceptances of ORG2 in a year
        for _ in range(2):
            p = w.pair("C3", ORG2, price=1000)["id"]
            w.to(p, "completed", org=ORG2)
            w.step("project.accept", p, "C3", passed=False, satisfaction=20, note="不合格")
        flags = ok(d.call("risk.flags", {}, token=w.a))["items"]
        fa = [f for f in flags if f["kind"] == "failed_acceptance"]
        assert len(fa) == 1 and fa[0]["org"] == ORG2 and fa[0]["detail"]["failures"] == 2, fa
        keys = [f["key"] for f in flags]
        assert len(set(keys)) == len(keys), keys
        assert [f["key"] for f in ok(d.call("risk.flags", {}, token=w.a))["items"]] == keys
        # resolved: gone from the list, listed with resolved: true
        r = ok(d.call("risk.resolve", {"key": sp[0]["key"], "note": "已约谈，属正常分期"},
                      token=w.a))["resolution"]
        assert (r["key"], r["code"]) == (sp[0]["key"], "admin-1"), r
        after = ok(d.call("risk.flags", {}, token=w.a))["items"]
        assert sp[0]["key"] not in [f["key"] for f in after], after
        res = ok(d.call("risk.flags", {"resolved": True}, token=w.a))["items"]
        assert [f["key"] for f in res] == [sp[0]["key"]], res
        assert res[0]["resolution"]["note"] == "已约谈，属正常分期", res
        refused(d.call("risk.resolve", {"key": sp[0]["key"], "note": "x"}, token=w.a),
                "conflict", "already_resolved", "key")
        refused(d.call("risk.resolve", {"key": "nonsense", "note": "x"}, token=w.a),
                "invalid_argument", "bad_key", "key")
        err(d.call("risk.resolve", {"key": fa[0]["key"], "note": "x"}, token=w.tok["orgA"]),
            "forbidden")
        # the threshold comes from the configuration
        d.conf["risk.split_threshold"] = "130000"
        d.restart()
        flags = ok(d.call("risk.flags", {"resolved": True}, token=w.a))["items"]
        assert not [f for f in flags if f["kind"] == "split_project"], flags
