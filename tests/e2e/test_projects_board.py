"""The public notice board (docs/protocol.md, "Public notice board"): GET
/v1/public/notices and GET /public/ answer without a token, show only projects on
notice (also those held past their end by an objection), with names and never a
token, a code or an account's id; every other route still wants a token."""

import json
import re

from harness import Daemon, ok, err
from test_projects import World, VOTE, ORG1, ORG2

ITEM_KEYS = {"project", "title", "community", "partners", "street", "org", "amount",
             "notice_end", "objections_open", "how_to_object"}


def _get(d, path, token=None, method="GET"):
    h = d.http_client()
    headers = {"Authorization": "Bearer " + token} if token else {}
    return h.request(method, path, headers=headers)


def _world(d):
    w = World(d)
    shown = w.pair(title="老旧小区加装扶手", partners=["C3"])
    w.to(shown["id"], "notice")
    held = w.pair("C2", ORG2, title="社区花园改造")
    w.to(held["id"], "notice")
    ok(w.call("project.object", {"project": held["id"], "text": "占用消防通道"}, "C1"))
    hidden = [w.pair(title="未审议项目")["id"], w.pair(title="实施中项目")["id"]]
    w.to(hidden[1], "implementing")
    return w, shown, held, hidden


def test_board_without_a_token_shows_only_projects_on_notice():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w, shown, held, hidden = _world(d)
        st, hd, body = _get(d, "/v1/public/notices")
        assert st == 200 and hd["content-type"].startswith("application/json"), (st, hd)
        board = json.loads(body)
        ids = [it["project"] for it in board["items"]]
        assert sorted(ids) == sorted([shown["id"], held["id"]]), board
        for it in board["items"]:
            assert set(it) == ITEM_KEYS, it
        by = {it["project"]: it for it in board["items"]}
        s = by[shown["id"]]
        assert (s["title"], s["community"], s["partners"], s["org"], s["street"],
                s["amount"]) == ("老旧小区加装扶手", "景华社区", ["园岭东社区"], "阳光社工服务中心",
                                 "莲花街道", 30000), s
        assert s["notice_end"] == w.get(shown["id"])["notice_end"], s
        assert "异议" in s["how_to_object"] and str(shown["id"]) in s["how_to_object"], s
        assert by[held["id"]]["objections_open"] == 1, by[held["id"]]
        # the same with a token: the board does not care who asks
        st2, _, body2 = _get(d, "/v1/public/notices", token=w.a)
        assert st2 == 200 and json.loads(body2)["items"] == board["items"]


def test_board_never_shows_a_token_a_code_or_an_account():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w, shown, held, hidden = _world(d)
        codes = ["C1", "C2", "C3", ORG1, ORG2, "admin-1"]
        codes += [ok(d.call("whoami", token=w.tok[k]))["code"] for k in ("orgA", "orgB")]
        for path in ("/v1/public/notices", "/public/", "/public"):
            st, hd, body = _get(d, path)
            assert st == 200, (path, st)
            text = body.decode("utf-8")
            for tok in list(w.tok.values()) + [w.a]:
                assert tok not in text, "%s shows a token" % path
            for code in codes:
                assert not re.search(r"(?<![A-Za-z0-9_-])%s(?![A-Za-z0-9_-])" % re.escape(code),
                                     text), "%s shows the code %s" % (path, code)
            assert "account" not in text and "token" not in text.lower(), path


def test_board_page_is_chinese_and_printable():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w, shown, held, hidden = _world(d)
        st, hd, body = _get(d, "/public/")
        text = body.decode("utf-8")
        assert st == 200 and hd["content-type"] == "text/html; charset=utf-8", hd
        assert "script-src" not in hd["content-security-policy"], hd
        assert "<script" not in text and 'lang="zh-CN"' in text, text[:200]
        assert "民生微实事项目公示" in text and "老旧小区加装扶手" in text, text[:400]
        assert "社区花园改造" in text and "已收到异议" in text
        assert "未审议项目" not in text and "实施中项目" not in text
        assert "@media print" in text
        st, hd, _ = _get(d, "/public/", method="POST")
        assert st == 405 and hd.get("allow") == "GET", (st, hd)


def test_only_the_board_health_and_page_need_no_token():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        w, shown, held, hidden = _world(d)
        for path in ("/healthz", "/", "/index.html", "/v1/public/notices", "/public/"):
            assert _get(d, path)[0] == 200, path
        for path in ("/v1/openapi.json", "/v1/fairs/1/matches.csv",
                     "/v1/reports/2026-01.html", "/v1/reports/2026-01.xlsx"):
            st, _, body = _get(d, path)
            assert st == 401, (path, st, body[:200])
        for op in ("project.list", "project.get", "report.monthly"):
            st, body = d.http_op(op, {"id": shown["id"]} if op == "project.get" else {})
            assert st == 401, (op, st, body)
            err(d.call(op, {}), "unauthenticated")
        st, _, _ = _get(d, "/v1/public/projects")
        assert st == 404


def test_demo_tells_the_projects_story():
    with Daemon(extra_args=["--demo"], start_timeout=60) as d:
        with open(d.db + ".tokens", encoding="utf-8") as fh:
            rows = [l.rstrip("\n").split("\t") for l in fh if l.strip()]
        admin = next(r[2] for r in rows if r[0] == "admin")
        items, _ = d.list_all("project.list", admin, {}, limit=1000)
        stages = {}
        for p in items:
            stages.setdefault(p["stage"], []).append(p)
        assert set(stages) == {"deliberation", "notice", "implementing", "completed",
                               "accepted", "settled", "rejected", "cancelled"}, stages.keys()
        # a failed vote; an upheld objection; a failed acceptance redone; a resubmission
        rej = stages["rejected"][0]
        assert [v["passed"] for v in rej["votes"]] == [False], rej
        can = stages["cancelled"][0]
        assert [o["status"] for o in can["objections"]] == ["upheld"], can
        assert can["history"][-1]["role"] == "organizer", can["history"]
        redone = [p for p in items if any(not a["passed"] for a in p["acceptances"])]
        assert redone and redone[0]["stage"] == "accepted", redone
        back = [p for p in stages["deliberation"] if len(p["votes"]) == 1]
        assert back and back[0]["votes"][0]["passed"] is False, stages["deliberation"]
        # the laggard's one project is overdue; nothing else is
        late = [p for p in items if p["overdue"]]
        assert [(p["street"], p["stage"], p["match"]) for p in late] == [
            ("清水河街道", "deliberation", None)], late
        # settled never above the amount; the notice board shows the notice stage
        assert all(p["paid"] <= p["amount"] for p in stages["settled"])
        board = json.loads(_get(d, "/v1/public/notices")[2])
        assert sorted(it["project"] for it in board["items"]) == sorted(
            p["id"] for p in stages["notice"]), board
        # histories are in time order, and a month's report reads them
        for p in items:
            times = [h["time"] for h in p["history"]]
            assert times == sorted(times), p["history"]
