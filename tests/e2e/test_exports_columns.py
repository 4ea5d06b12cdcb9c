"""Exports in the language people read: Chinese by default, English with lang=en (the
op's argument, the routes' ?lang=en, matchctl export --lang en); columns that say what
they hold (the need's category, budget and description, not the score's parts); the
frozen terms of a match when it has them; a language the daemon does not know refused;
text a spreadsheet would run as a formula kept as text."""

import base64
import html
import json

from harness import Daemon, ok, err, run_matchctl, STREET_A
from test_exports import (CATEGORY, CSV_HEADER, CSV_HEADER_EN, SHEETS, SHEETS_EN, STATUS,
                          C_NEED_TITLE, C_OFFER_TITLE, _world, _get, _parse_csv,
                          _check_csv_rows, _row, header, read_xlsx)
from test_fairs import _fair, _enroll, _run, _matches, ORG1


def test_csv_in_english_with_lang_en_and_chinese_by_default():
    with Daemon() as d:
        w = _world(d)
        f, items = w["fair"], w["matches"]["items"]
        zh = _get(d, "/v1/fairs/%d/matches.csv" % f, w["g"])[2]
        _check_csv_rows(_parse_csv(zh), items, d)
        st, h, en = _get(d, "/v1/fairs/%d/matches.csv?lang=en" % f, w["g"])
        assert st == 200 and h.get("content-type") == "text/csv; charset=utf-8", (st, h)
        rows = _parse_csv(en)
        _check_csv_rows(rows, items, d, en=True)
        assert {r[-3] for r in rows[1:]} == {"Confirmed", "Proposed"}, rows
        # the op and matchctl give the same bytes, in each language
        for lang, body in (("zh", zh), ("en", en)):
            x = ok(d.call("fair.export", {"fair": f, "lang": lang}, token=w["g"]))
            assert x["data"].encode("utf-8") == body, lang
            p = run_matchctl(["-H", "127.0.0.1:%d" % d.port, "-t", w["g"], "export", str(f),
                              "--csv", "--lang", lang, "-o", "-"])
            assert p.returncode == 0 and p.stdout == body, (lang, p.returncode, p.stderr)
        # a language it does not know: refused, nothing else changes
        err(d.call("fair.export", {"fair": f, "lang": "fr"}, token=w["g"]),
            "invalid_argument", "lang")
        st, _, body = _get(d, "/v1/fairs/%d/matches.csv?lang=fr" % f, w["g"])
        assert st == 400, (st, body[:200])
        err(json.loads(body), "invalid_argument", "lang")


def test_csv_columns_hold_the_needs_category_budget_and_description():
    """Today's columns 类别 and 预算 are the need's category (by its name) and budget,
    not the score's parts, which have their own names; the description is there."""
    with Daemon() as d:
        w = _world(d)
        rows = _parse_csv(_get(d, "/v1/fairs/%d/matches.csv" % w["fair"], w["g"])[2])
        by_need = {int(r[2]): dict(zip(rows[0], r)) for r in rows[1:]}
        n1 = by_need[w["n1"]]
        assert (n1["类别"], n1["预算"], n1["需求说明"]) == (
            "服务类·长者", "2000.00", '说明, 含"引号"\n和换行'), n1
        assert (n1["项目"], n1["项目类别"], n1["报价"], n1["金额"]) == (
            "助餐配送", "服务类·长者", "1234.50", "1234.50"), n1
        it = [x for x in w["matches"]["items"] if x["need"] == w["n1"]][0]
        for part, head in (("category", "类别分"), ("budget", "预算分"), ("text", "文本分"),
                           ("library", "项目库分"), ("locality", "属地分")):
            assert n1[head] == "%.2f" % it["breakdown"][part], (head, n1)
        assert by_need[w["n2"]]["类别"] == "服务类·儿童" and by_need[w["n2"]]["预算"] == "1500.00"


def test_xlsx_and_agenda_in_english_with_lang_en():
    with Daemon() as d:
        w = _world(d)
        f, items = w["fair"], w["matches"]["items"]
        order, sheets = read_xlsx(_get(d, "/v1/fairs/%d/matches.xlsx" % f, w["g"])[2])
        assert order == SHEETS, order
        st, _, body = _get(d, "/v1/fairs/%d/matches.xlsx?lang=en" % f, w["g"])
        assert st == 200, st
        order, sheets = read_xlsx(body)
        assert order == SHEETS_EN, order
        head = header(items, en=True)
        assert _row(sheets["Matches"], 1, len(head)) == head
        assert _row(sheets["Schedule"], 1, 4) == ["Slot", "Start", "Table 1", "Table 2"]
        assert any(isinstance(v, str) and v.endswith(" (matched)")
                   for v in sheets["Schedule"].values()), sheets["Schedule"]
        assert _row(sheets["Unmatched needs"], 2, 7)[5:] == ["Goods · Books", 500]
        x = ok(d.call("fair.export", {"fair": f, "format": "xlsx", "lang": "en"}, token=w["g"]))
        assert read_xlsx(base64.b64decode(x["data"])) == (order, sheets)
        # the agenda: only Chinese by default, only English with lang=en
        zh = _get(d, "/v1/fairs/%d/agenda.html" % f, w["g"])[2].decode()
        assert '<html lang="zh-CN">' in zh and "<th>桌号</th>" in zh, zh[:300]
        for word in ("No meetings", "Bold rows", "Table", "Slot"):
            assert word not in zh, "English %r in the Chinese agenda" % word
        en = _get(d, "/v1/fairs/%d/agenda.html?lang=en" % f, w["g"])[2].decode()
        assert '<html lang="en">' in en and "<th>Table</th>" in en and "<h2>Slot 1 " in en
        assert "桌号" not in en and "加粗" not in en, en[:400]
        for m in w["sched"]["meetings"]:
            assert html.escape(m["need_title"], quote=True) in en
        # the agenda of one party names it, not its code
        one = _get(d, "/v1/fairs/%d/agenda.html?community=C2" % f, w["g"])[2].decode()
        assert "· 西岭社区</p>" in one, one[:400]


def test_exports_show_a_matchs_frozen_terms_when_it_has_them():
    """A need changed after the run: a match that carries `terms` is exported with the
    terms it was proposed on; without terms, with the need as it is now."""
    with Daemon() as d:
        w = _world(d)
        f = w["fair"]
        r = d.call("need.update", {"id": w["n2"], "title": "儿童托管（改）", "budget": 1800},
                   token=w["c1"])
        items = ok(d.call("fair.matches", {"fair": f}, token=w["g"]))["items"]
        # files list the run best first (fair.matches pages go by id)
        items.sort(key=lambda it: (-it["score"], it["amount"], it["offer"], it["need"]))
        rows = _parse_csv(_get(d, "/v1/fairs/%d/matches.csv" % f, w["g"])[2])
        _check_csv_rows(rows, items, d)
        row = [x for x in rows[1:] if x[2] == str(w["n2"])][0]
        it = [x for x in items if x["need"] == w["n2"]][0]
        if "terms" in it:
            assert (row[3], row[6]) == ("儿童托管", "1500.00"), (r, row)
            assert row[-3] == STATUS[it["status"]][0], row
        else:
            assert r.get("ok") is False or (row[3], row[6]) == ("儿童托管（改）", "1800.00"), row
        _, sheets = read_xlsx(_get(d, "/v1/fairs/%d/matches.xlsx" % f, w["g"])[2])
        assert row[3] in sheets["匹配结果"].values()
        assert CATEGORY["service.children"][0] in sheets["匹配结果"].values()
        assert CSV_HEADER[0] == "社区" and CSV_HEADER_EN[0] == "Community"


def test_csv_neutralises_spreadsheet_formulas():
    # A title a spreadsheet would run as a formula is written with a leading
    # apostrophe in the CSV (shown as text); the API and XLSX keep it as is.
    with Daemon() as d:
        c = d.community("CF", street=STREET_A)
        o = d.org(ORG1, street=STREET_A)
        _, g = d.organizer(street=STREET_A)
        evil = '=HYPERLINK("http://example.invalid","点我")'
        d.post_need(c, title=evil, category="service.elderly", budget=50000,
                    description="-2+3 说明")
        ok(d.call("offer.post", {"title": "@SUM(1,2)", "category": "service.elderly",
                                 "price": 30000}, token=o))
        f = _fair(d, g)
        _enroll(d, g, f["id"], all=True)
        _run(d, g, f["id"])
        m = _matches(d, g, f["id"])["items"][0]
        assert m["need_title"] == evil and m["offer_title"] == "@SUM(1,2)", m
        st, _, body = _get(d, "/v1/fairs/%d/matches.csv" % f["id"], g)
        assert st == 200
        rows = _parse_csv(body)
        assert rows[1][C_NEED_TITLE] == "'" + evil, rows[1]
        assert rows[1][C_OFFER_TITLE] == "'@SUM(1,2)", rows[1]
        assert rows[1][C_NEED_TITLE + 1] == "'-2+3 说明", rows[1]
        _, sheets = read_xlsx(_get(d, "/v1/fairs/%d/matches.xlsx" % f["id"], g)[2])
        assert evil in sheets["匹配结果"].values(), sheets["匹配结果"]
