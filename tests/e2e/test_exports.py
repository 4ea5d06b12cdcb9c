"""Exports of a fair: fair.export, GET /v1/fairs/<id>/matches.csv | matches.xlsx |
agenda.html and matchctl export, each parsed back and compared with fair.matches and
fair.meetings field by field (and with need.get / offer.get for what the files add).
In Chinese by default; English (lang=en), the frozen terms and formulas in text cells:
test_exports_columns.py."""

import base64
import csv
import html
import io
import json
import os
import re
import zipfile
import xml.etree.ElementTree as ET

from harness import Daemon, ok, err, free_ports, run_matchctl, STREET_A, STREET_B
from test_fairs import _fair, _enroll, _run, _matches, ORG1, ORG2, ORG3, DATE

BOM = b"\xef\xbb\xbf"
CSV_HEADER = ["社区", "社区编号", "需求编号", "需求", "需求说明", "类别", "预算", "社会组织",
              "社会组织编号", "项目编号", "项目", "项目类别", "报价", "金额", "得分", "类别分",
              "预算分", "文本分", "项目库分", "属地分", "状态", "匹配编号", "轮次"]
CSV_HEADER_EN = ["Community", "Community code", "Need no.", "Need", "Need description",
                 "Category", "Budget", "Organisation", "Organisation code", "Offer no.", "Offer",
                 "Offer category", "Price", "Amount", "Score", "Category score", "Budget score",
                 "Text score", "Library score", "Locality score", "Status", "Match no.", "Run"]
PARTS = ("category", "budget", "text", "library", "locality")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = ["匹配结果", "洽谈日程", "未匹配需求", "未匹配项目"]
SHEETS_EN = ["Matches", "Schedule", "Unmatched needs", "Unmatched offers"]
# the categories and statuses these tests use, as people read them
CATEGORY = {"service.elderly": ("服务类·长者", "Services · Elderly"),
            "service.children": ("服务类·儿童", "Services · Children"),
            "service.disability": ("服务类·助残", "Services · Disability"),
            "engineering.greening": ("工程类·绿化", "Engineering · Greening"),
            "goods.books": ("物资类·图书", "Goods · Books")}
STATUS = {"proposed": ("待确认", "Proposed"), "confirmed": ("双方确认", "Confirmed"),
          "accepted_by_community": ("社区已接受", "Accepted by community"),
          "accepted_by_org": ("机构已接受", "Accepted by organisation"),
          "declined": ("已拒绝", "Declined"), "superseded": ("已被取代", "Superseded"),
          "expired": ("已过期", "Expired")}
# where a column stands (CSV and the first sheet; 意向分 may stand after 属地分)
C_COMM_NAME, C_COMM, C_NEED_TITLE, C_DESC, C_CAT, C_BUDGET = 0, 1, 3, 4, 5, 6
C_ORG, C_OFFER_TITLE, C_AMOUNT, C_STATUS, C_RUN = 8, 10, 13, -3, -1

# names and titles that CSV must quote and HTML must escape
C1_NAME = '东门社区, "老街"\n一区'
O1_NAME = "关爱<服务>中心 & 友"
N1_TITLE = '长者,"助餐"\n第二行'


def _world(d):
    """Street A fair (2 tables) with 4 needs, 4 offers: three pairs, an unmatched need
    (goods) and an unmatched offer (engineering); one pair confirmed; scheduled."""
    w = {"d": d}
    w["c1"] = d.community("C1", street=STREET_A, name=C1_NAME)
    w["c2"] = d.community("C2", street=STREET_A, name="西岭社区")
    w["o1"] = d.org(ORG1, street=STREET_A, name=O1_NAME)
    w["o2"] = d.org(ORG2, street=STREET_A, name="阳光社工站")
    w["o3"] = d.org(ORG3, street=STREET_A, name="无关机构")
    _, w["g"] = d.organizer("莲花街道办", STREET_A)
    _, w["g_b"] = d.organizer("园岭街道办", STREET_B)
    w["n1"] = d.post_need(w["c1"], title=N1_TITLE, budget=2000,
                          description='说明, 含"引号"\n和换行')["id"]
    w["n2"] = d.post_need(w["c1"], title="儿童托管", category="service.children",
                          budget=1500)["id"]
    w["n3"] = d.post_need(w["c2"], title="助残康复", category="service.disability",
                          budget=1000)["id"]
    w["n4"] = d.post_need(w["c2"], title="图书角", category="goods.books", budget=500)["id"]
    w["p1"] = d.post_offer(w["o1"], title="助餐配送", price=1234.5)["id"]
    w["p2"] = d.post_offer(w["o2"], title="托管课堂", category="service.children",
                           price=999.99)["id"]
    w["p3"] = d.post_offer(w["o1"], title="康复训练", category="service.disability",
                           price=800)["id"]
    w["p4"] = d.post_offer(w["o3"], title="绿化改造", category="engineering.greening",
                           price=100)["id"]
    w["fair"] = _fair(d, w["g"], tables=2, start="14:00", slot_minutes=25)["id"]
    _enroll(d, w["g"], w["fair"], all=True)
    _run(d, w["g"], w["fair"])
    m = _matches(d, w["g"], w["fair"])
    pairs = {(it["need"], it["offer"]): it["id"] for it in m["items"]}
    assert set(pairs) == {(w["n1"], w["p1"]), (w["n2"], w["p2"]), (w["n3"], w["p3"])}, pairs
    mid = pairs[(w["n1"], w["p1"])]
    ok(d.call("match.respond", {"match": mid, "decision": "accept"}, token=w["c1"]))
    ok(d.call("match.respond", {"match": mid, "decision": "accept"}, token=w["o1"]))
    w["sched"] = ok(d.call("fair.schedule", {"fair": w["fair"]}, token=w["g"]))
    assert w["sched"]["meetings"], w["sched"]
    w["matches"] = _matches(d, w["g"], w["fair"])
    return w


def _get(d, path, token=None, method="GET", headers=None):
    h = dict(headers or {})
    if token is not None:
        h["Authorization"] = "Bearer " + token
    with d.http_client() as c:
        return c.request(method, path, None, h)


def _parse_csv(body):
    assert body.startswith(BOM), "CSV without a UTF-8 BOM: %r" % body[:20]
    text = body[len(BOM):].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert text.endswith("\r\n"), "last CSV row not ended by CRLF: %r" % text[-20:]
    assert text.count("\r\n") == len(rows), (
        "rows must end with CRLF (and titles hold bare LF only): %d CRLF, %d rows" % (
            text.count("\r\n"), len(rows)))
    return rows


def header(items, en=False):
    """The match list's header: 意向分 (interest) after 属地分 when a match has it."""
    h = list(CSV_HEADER_EN if en else CSV_HEADER)
    if any("interest" in it["breakdown"] for it in items):
        h.insert(20, "Interest score" if en else "意向分")
    return h


def want_row(d, it, en=False, items=()):
    """The values of a match's row: fair.matches, the need and offer as need.get and
    offer.get answer them (the match's frozen terms first, when it has them), numbers
    as numbers; items: the whole list (for the interest column)."""
    n = ok(d.call("need.get", {"id": it["need"]}, token=d.admin))["need"]
    o = ok(d.call("offer.get", {"id": it["offer"]}, token=d.admin))["offer"]
    t = it.get("terms") or {}
    cat = lambda c: CATEGORY[c][1 if en else 0]
    row = [it["community_name"], it["community"], it["need"],
           t.get("need_title", it["need_title"]), n["description"],
           cat(t.get("need_category", it["category"])), t.get("budget", n["budget"]),
           it["org_name"], it["org"], it["offer"], t.get("offer_title", it["offer_title"]),
           cat(t.get("offer_category", o["category"])), t.get("price", o["price"]),
           t.get("amount", it["amount"]), it["score"]] + \
        [it["breakdown"][p] for p in PARTS] + \
        [STATUS[it["status"]][1 if en else 0], it["id"], it["run"]]
    if any("interest" in x["breakdown"] for x in items):
        row.insert(20, it["breakdown"].get("interest", ""))
    return row


ID_HEADS = ("需求编号", "项目编号", "匹配编号", "轮次", "Need no.", "Offer no.", "Match no.",
            "Run")   # whole numbers; other numbers have two decimals


def _csv_cell(head, v):
    if isinstance(v, str):
        return v
    return "%d" % v if head in ID_HEADS else "%.2f" % v


def _check_csv_rows(rows, items, d, en=False):
    want_head = header(items, en)
    assert rows[0] == want_head, rows[0]
    assert len(rows) == 1 + len(items), "CSV has %d data rows, fair.matches %d" % (
        len(rows) - 1, len(items))
    for row, it in zip(rows[1:], items):
        want = [_csv_cell(h, v) for h, v in zip(want_head, want_row(d, it, en, items))]
        assert row == want, "CSV row differs from fair.matches:\n got  %r\n want %r" % (
            row, want)


# ---------------------------------------------------------------------------
# XLSX reading (zipfile + xml.etree)

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _cell_ref(ref):
    m = re.match(r"^([A-Z]+)(\d+)$", ref)
    assert m, ref
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def read_xlsx(data):
    """(sheet names in order, {name: {(row, col): value}}), 1-based row and column;
    strings as str, numbers as float."""
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.testzip() is None
    names = z.namelist()
    shared = []
    if "xl/sharedStrings.xml" in names:
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(M + "si"):
            shared.append("".join(t.text or "" for t in si.iter(M + "t")))
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = {r.get("Id"): r.get("Target") for r in
            ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).iter(PR + "Relationship")}
    order, sheets = [], {}
    for s in wb.iter(M + "sheet"):
        target = rels[s.get(R + "id")]
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        cells = {}
        for c in ET.fromstring(z.read(path)).iter(M + "c"):
            t, v = c.get("t"), c.find(M + "v")
            if t == "s":
                val = shared[int(v.text)]
            elif t == "inlineStr":
                val = "".join(x.text or "" for x in c.iter(M + "t"))
            elif t == "str":
                val = v.text or ""
            elif v is None:
                continue
            else:
                val = float(v.text)
            cells[_cell_ref(c.get("r"))] = val
        order.append(s.get("name"))
        sheets[s.get("name")] = cells
    return order, sheets


def _row(cells, r, ncols):
    return [cells.get((r, c)) for c in range(1, ncols + 1)]


# ---------------------------------------------------------------------------
# CSV

def test_csv_over_http_equals_fair_matches():
    with Daemon() as d:
        w = _world(d)
        st, h, body = _get(d, "/v1/fairs/%d/matches.csv" % w["fair"], w["g"])
        assert st == 200, (st, body[:300])
        assert h.get("content-type") == "text/csv; charset=utf-8", h
        cd = h.get("content-disposition", "")
        assert cd.startswith("attachment") and \
            'filename="fair-%d-matches.csv"' % w["fair"] in cd, cd
        rows = _parse_csv(body)
        items = w["matches"]["items"]
        _check_csv_rows(rows, items, d)
        titles = {r[C_NEED_TITLE] for r in rows[1:]}
        assert N1_TITLE in titles, "the title with , \" and a newline did not survive: %r" % (
            titles,)
        assert C1_NAME in {r[C_COMM_NAME] for r in rows[1:]}, rows
        amounts = {r[C_AMOUNT] for r in rows[1:]}
        assert "1234.50" in amounts and "999.99" in amounts, amounts
        assert {r[C_STATUS] for r in rows[1:]} == {"双方确认", "待确认"}, rows
        assert '说明, 含"引号"\n和换行' in {r[C_DESC] for r in rows[1:]}, "no description"
        assert {r[C_BUDGET] for r in rows[1:]} == {"2000.00", "1500.00", "1000.00"}, rows
        # the op gives the same bytes
        x = ok(d.call("fair.export", {"fair": w["fair"], "format": "csv"}, token=w["g"]))
        assert x["filename"] == "fair-%d-matches.csv" % w["fair"], x
        assert x["content_type"] == "text/csv; charset=utf-8" and x["encoding"] == "utf-8", x
        assert x["data"].encode("utf-8") == body
        # format defaults to csv; admin and district organizer read it too
        assert ok(d.call("fair.export", {"fair": w["fair"]}, token=d.admin))["data"] == x["data"]


def test_csv_of_a_community_and_of_an_org_hold_only_their_rows():
    with Daemon() as d:
        w = _world(d)
        for code, tok, side in (("C1", w["c1"], "community"), ("C2", w["c2"], "community"),
                                (ORG1, w["o1"], "org"), (ORG2, w["o2"], "org"),
                                (ORG3, w["o3"], "org")):
            st, h, body = _get(d, "/v1/fairs/%d/matches.csv" % w["fair"], tok)
            assert st == 200, (code, st, body[:200])
            rows = _parse_csv(body)
            want = [it for it in w["matches"]["items"] if it[side] == code]
            assert {r[C_COMM if side == "community" else C_ORG] for r in rows[1:]} <= {code}, (
                "%s's CSV holds rows of others: %r" % (code, rows[1:]))
            _check_csv_rows(rows, want, d)
            assert want == _matches(d, tok, w["fair"])["items"], code


def test_csv_of_a_later_run_and_before_any_run():
    with Daemon() as d:
        w = _world(d)
        _run(d, w["g"], w["fair"])
        m = _matches(d, w["g"], w["fair"])
        assert m["run"] == 2
        st, _, body = _get(d, "/v1/fairs/%d/matches.csv" % w["fair"], w["g"])
        rows = _parse_csv(body)
        _check_csv_rows(rows, m["items"], d)
        assert {r[C_RUN] for r in rows[1:]} == {"2"}, rows
        confirmed = [r for r in rows[1:] if r[C_STATUS] == "双方确认"]
        assert len(confirmed) == 1 and confirmed[0][C_NEED_TITLE] == N1_TITLE, rows
        f2 = _fair(d, w["g"])["id"]
        st, _, body = _get(d, "/v1/fairs/%d/matches.csv" % f2, w["g"])
        assert st == 200 and _parse_csv(body) == [CSV_HEADER], body


# ---------------------------------------------------------------------------
# XLSX

def test_xlsx_sheets_and_matches_equal_fair_matches():
    with Daemon() as d:
        w = _world(d)
        st, h, body = _get(d, "/v1/fairs/%d/matches.xlsx" % w["fair"], w["g"])
        assert st == 200, (st, body[:300])
        assert h.get("content-type") == XLSX_TYPE, h
        cd = h.get("content-disposition", "")
        assert cd.startswith("attachment") and 'filename="fair-%d-matches.xlsx"' % w["fair"] in cd, cd
        assert body[:2] == b"PK", body[:10]
        order, sheets = read_xlsx(body)
        assert order == SHEETS, order
        cells = sheets["匹配结果"]
        items = w["matches"]["items"]
        head = header(items)
        assert _row(cells, 1, len(head) + 1) == head + [None], _row(cells, 1, len(head) + 1)
        for r, it in enumerate(items, start=2):
            want = want_row(d, it, items=items)
            got = _row(cells, r, len(head))
            assert len(got) == len(want)
            for k, (g, x) in enumerate(zip(got, want)):
                if isinstance(x, str):   # an empty text is a blank cell
                    assert (g or "") == x, "匹配结果 row %d %s: %r, want %r" % (r, head[k], g, x)
                else:
                    assert isinstance(g, float) and abs(g - x) < 1e-9, \
                        "匹配结果 row %d %s: %r, want %r" % (r, head[k], g, x)
        assert not any(rc[0] > len(items) + 1 for rc in cells), "extra rows in 匹配结果"
        # the op's base64 decodes to the same workbook (same sheets and cells)
        x = ok(d.call("fair.export", {"fair": w["fair"], "format": "xlsx"}, token=w["g"]))
        assert x["encoding"] == "base64" and x["content_type"] == XLSX_TYPE, x["encoding"]
        assert x["filename"] == "fair-%d-matches.xlsx" % w["fair"], x["filename"]
        assert read_xlsx(base64.b64decode(x["data"])) == (order, sheets)


def test_xlsx_schedule_grid_and_unmatched_sheets():
    with Daemon() as d:
        w = _world(d)
        _, sheets = read_xlsx(_get(d, "/v1/fairs/%d/matches.xlsx" % w["fair"], w["g"])[2])
        grid = sheets["洽谈日程"]
        assert _row(grid, 1, 4) == ["时段", "开始时间", "1 号桌", "2 号桌"], _row(grid, 1, 5)
        assert grid.get((1, 5)) is None, "a third table column for a 2-table fair"
        mt = w["sched"]["meetings"]
        used = {(m["slot"], m["table"]) for m in mt}
        for m in mt:
            r, c = m["slot"] + 1, m["table"] + 2
            assert grid.get((r, 1)) == m["slot"] and grid.get((r, 2)) == m["start"], (
                m, _row(grid, r, 4))
            cell = grid.get((r, c))
            assert isinstance(cell, str), "no cell at slot %d table %d: %r" % (
                m["slot"], m["table"], _row(grid, r, 4))
            for k in ("community_name", "org_name", "need_title"):
                assert m[k] in cell, "slot %d table %d: %r lacks %s %r" % (
                    m["slot"], m["table"], cell, k, m[k])
            assert cell.endswith("（已匹配）") == bool(m["matched"]), cell
        for (r, c), v in grid.items():
            if r > 1 and c > 2:
                assert (r - 1, c - 2) in used, "cell %r at a place with no meeting" % v
        assert max(r for r, _ in grid) == w["sched"]["slots_used"] + 1, grid
        un_n = sheets["未匹配需求"]
        un_o = sheets["未匹配项目"]
        assert _row(un_n, 1, 8) == ["需求编号", "社区编号", "街道", "需求", "需求说明", "类别",
                                    "预算", None], _row(un_n, 1, 8)
        assert _row(un_o, 1, 8) == ["项目编号", "社会组织编号", "项目", "项目说明", "类别", "报价",
                                    "剩余可服务数", None], _row(un_o, 1, 8)
        assert _row(un_n, 2, 7) == [w["n4"], "C2", STREET_A, "图书角", None, "物资类·图书", 500]
        assert _row(un_o, 2, 7)[4:] == ["工程类·绿化", 100, 1], _row(un_o, 2, 7)
        assert [un_n.get((r, 1)) for r in range(2, 2 + 5) if (r, 1) in un_n] == [w["n4"]], un_n
        assert [un_o.get((r, 1)) for r in range(2, 2 + 5) if (r, 1) in un_o] == [w["p4"]], un_o
        assert "图书角" in un_n.values() and "绿化改造" in un_o.values(), (un_n, un_o)


# ---------------------------------------------------------------------------
# agenda

def _names(m):
    return [m["community_name"], m["org_name"], m["need_title"], m["offer_title"]]


def test_agenda_lists_every_meeting_escaped():
    with Daemon() as d:
        w = _world(d)
        st, h, body = _get(d, "/v1/fairs/%d/agenda.html" % w["fair"], w["g"])
        assert st == 200, (st, body[:300])
        assert h.get("content-type") == "text/html; charset=utf-8", h
        cd = h.get("content-disposition", "")
        assert cd.startswith("inline") and \
            'filename="fair-%d-agenda.html"' % w["fair"] in cd, cd
        page = body.decode("utf-8")
        assert page.lstrip().lower().startswith("<!doctype html"), page[:80]
        for m in w["sched"]["meetings"]:
            for name in _names(m):
                assert html.escape(name, quote=True) in page, \
                    "agenda lacks %r (escaped) of meeting %d" % (name, m["id"])
            assert m["start"] in page, m
        slots = sorted({m["slot"] for m in w["sched"]["meetings"]})
        heads = re.findall(r"<h2>第 (\d+) 轮", page)
        assert heads == [str(x) for x in slots], (
            "one heading per slot in order: %r, slots %r" % (heads, slots))
        assert O1_NAME not in page and "<服务>" not in page, "org name not HTML-escaped"
        assert '"老街"' not in page, "community name quotes not escaped"
        x = ok(d.call("fair.export", {"fair": w["fair"], "format": "html"}, token=w["g"]))
        assert x["encoding"] == "utf-8" and x["data"].encode("utf-8") == body, x["encoding"]


def test_agenda_filtered_by_community_and_org():
    with Daemon() as d:
        w = _world(d)
        mt = w["sched"]["meetings"]
        cases = [("?community=C1", w["g"], "community", "C1"),
                 ("?community=C2", w["g"], "community", "C2"),
                 ("?org=" + ORG1, w["g"], "org", ORG1),
                 ("", w["c2"], "community", "C2"),
                 ("", w["o2"], "org", ORG2)]
        for q, tok, side, code in cases:
            st, _, body = _get(d, "/v1/fairs/%d/agenda.html%s" % (w["fair"], q), tok)
            assert st == 200, (q, st, body[:200])
            page = body.decode("utf-8")
            mine = [m for m in mt if m[side] == code]
            others = [m for m in mt if m[side] != code]
            assert mine, (q, code)
            for m in mine:
                for name in _names(m):
                    assert html.escape(name, quote=True) in page, (q, code, name)
            # each other meeting's need title (all distinct here) is absent
            for m in others:
                t = html.escape(m["need_title"], quote=True)
                if all(t not in _names(x) for x in mine):
                    assert t not in page, "%s agenda %r shows meeting %r" % (code, q, m)
        # a community asking for another's agenda is refused (403), and sees
        # nothing of it
        st, _, body = _get(d, "/v1/fairs/%d/agenda.html?community=C2" % w["fair"], w["c1"])
        page = body.decode("utf-8")
        assert st == 403 and '"reason":"not_yours"' in page, (st, page[:200])
        for m in mt:
            if m["community"] == "C2":
                assert html.escape(m["need_title"]) not in page, "C1 sees C2's meeting %r" % m
        st, _, body = _get(d, "/v1/fairs/%d/agenda.html?community=NOPE" % w["fair"], w["g"])
        assert st in (200, 404), st
        if st == 200:
            assert not any(html.escape(m["need_title"]) in body.decode() for m in mt)


# ---------------------------------------------------------------------------
# HTTP errors and rights

def test_export_http_errors():
    with Daemon() as d:
        w = _world(d)
        f = w["fair"]
        for name in ("matches.csv", "matches.xlsx", "agenda.html"):
            path = "/v1/fairs/%d/%s" % (f, name)
            st, _, body = _get(d, path)
            assert st == 401, (path, st, body[:200])
            err(json.loads(body), "unauthenticated")
            st, _, body = _get(d, path, "0" * 64)
            assert st == 401, (path, st, body[:200])
            st, _, body = _get(d, path, w["g_b"])
            assert st == 403, (path, st, body[:200])
            err(json.loads(body), "forbidden")
            st, _, body = _get(d, "/v1/fairs/%d/%s" % (f + 100, name), w["g"])
            assert st == 404, (path, st, body[:200])
            err(json.loads(body), "not_found")
            for method in ("POST", "PUT", "DELETE"):
                st, h, body = _get(d, path, w["g"], method=method)
                assert st == 405, (method, path, st, body[:200])
                assert "GET" in h.get("allow", ""), (method, path, h)
        for bad in ("/v1/fairs/%d/matches.txt" % f, "/v1/fairs/%d/" % f, "/v1/fairs/x/matches.csv",
                    "/v1/fairs/0/matches.csv", "/v1/fairs/%d" % f):
            st, _, body = _get(d, bad, w["g"])
            assert st == 404, (bad, st, body[:200])
        # every one of those left the connection usable and the daemon alive
        assert _get(d, "/healthz")[0] == 200


def test_export_op_arguments_and_rights():
    with Daemon() as d:
        w = _world(d)
        f = w["fair"]
        err(d.call("fair.export", {"fair": f, "format": "pdf"}, token=w["g"]),
            "invalid_argument", "format")
        err(d.call("fair.export", {"fair": f}, token=w["g_b"]), "forbidden")
        err(d.call("fair.export", {"fair": f}), "unauthenticated")
        err(d.call("fair.export", {"fair": f + 100}, token=w["g"]), "not_found")
        err(d.call("fair.export", {}, token=w["g"]), "invalid_argument", "fair")
        st, body = d.http_op("fair.export", {"fair": f, "format": "csv"}, token=w["c1"])
        assert st == 200, (st, body)
        rows = _parse_csv(ok(body)["data"].encode("utf-8"))
        assert {r[C_COMM] for r in rows[1:]} == {"C1"}, rows


def test_exports_of_a_closed_fair_still_work():
    with Daemon() as d:
        w = _world(d)
        ok(d.call("fair.close", {"fair": w["fair"]}, token=w["g"]))
        st, _, body = _get(d, "/v1/fairs/%d/matches.csv" % w["fair"], w["g"])
        assert st == 200, (st, body[:200])
        # closing expired the live matches
        closed = _matches(d, w["g"], w["fair"])["items"]
        assert {it["status"] for it in closed} <= {"expired", "confirmed", "declined"}, closed
        _check_csv_rows(_parse_csv(body), closed, d)
        st, _, body = _get(d, "/v1/fairs/%d/agenda.html" % w["fair"], w["g"])
        assert st == 200 and all(html.escape(m["need_title"], quote=True) in body.decode()
                                 for m in w["sched"]["meetings"]), body[:300]


# ---------------------------------------------------------------------------
# matchctl export

def _ctl(d, token, *args):
    a = ["-H", "127.0.0.1:%d" % d.port]
    if token is not None:
        a += ["-t", token]
    return run_matchctl(a + list(args))


def test_matchctl_export_files_and_stdout():
    with Daemon() as d:
        w = _world(d)
        f = str(w["fair"])
        _, _, http_csv = _get(d, "/v1/fairs/%s/matches.csv" % f, w["g"])
        p = _ctl(d, w["g"], "export", f, "--csv", "-o", "-")
        assert p.returncode == 0, (p.returncode, p.stderr)
        assert p.stdout == http_csv, "matchctl --csv -o - differs from GET matches.csv"
        out = os.path.join(d.tmp, "out.csv")
        p = _ctl(d, w["g"], "export", f, "--csv", "-o", out)
        assert p.returncode == 0, (p.returncode, p.stderr)
        with open(out, "rb") as fh:
            assert fh.read() == http_csv
        xl = os.path.join(d.tmp, "out.xlsx")
        p = _ctl(d, w["g"], "export", f, "--xlsx", "-o", xl)
        assert p.returncode == 0, (p.returncode, p.stderr)
        with open(xl, "rb") as fh:
            got = read_xlsx(fh.read())
        want = read_xlsx(_get(d, "/v1/fairs/%s/matches.xlsx" % f, w["g"])[2])
        assert got == want
        p = _ctl(d, w["g"], "export", f, "--xlsx", "-o", "-")
        assert p.returncode == 0 and read_xlsx(p.stdout) == want, p.returncode
        p = _ctl(d, w["g"], "export", f, "--html", "-o", "-")
        assert p.returncode == 0, (p.returncode, p.stderr)
        assert p.stdout == _get(d, "/v1/fairs/%s/agenda.html" % f, w["g"])[2]
        # a community's own CSV through matchctl, token from the environment
        p = run_matchctl(["-H", "127.0.0.1:%d" % d.port, "export", f, "--csv", "-o", "-"],
                         env={"MATCHD_TOKEN": w["c2"]})
        assert p.returncode == 0, (p.returncode, p.stderr)
        rows = _parse_csv(p.stdout)
        assert rows[1:] and {r[C_COMM] for r in rows[1:]} == {"C2"}, rows


def test_matchctl_export_errors():
    with Daemon() as d:
        w = _world(d)
        f = str(w["fair"])
        out = os.path.join(d.tmp, "never.csv")
        for tok, fair, code in ((w["g"], str(w["fair"] + 100), "not_found"),
                                (w["g_b"], f, "forbidden"),
                                (None, f, "unauthenticated")):
            p = _ctl(d, tok, "export", fair, "--csv", "-o", out)
            assert p.returncode == 1, (code, p.returncode, p.stderr)
            assert p.stderr.decode().strip().startswith("error %s: " % code), (code, p.stderr)
            assert not os.path.exists(out), "a refused export wrote the file"
        p = _ctl(d, w["g"], "export", f, "--csv")
        assert p.returncode != 0 and not p.stdout, (p.returncode, p.stdout)
        port = free_ports(1)[0]
        p = run_matchctl(["-H", "127.0.0.1:%d" % port, "-t", w["g"], "export", f, "--csv",
                          "-o", out])
        assert p.returncode == 2, (p.returncode, p.stderr)
        assert not os.path.exists(out)


def test_xlsx_and_csv_with_longest_names():
    """Names and titles at their 200-character limit (600 bytes of Chinese each) must
    come out whole in every file: the workbook must stay well-formed XML."""
    with Daemon() as d:
        c = d.community("C1", street=STREET_A, name="社" * 200)
        o = d.org(ORG1, street=STREET_A, name="组" * 200)
        _, g = d.organizer("莲花街道办", STREET_A)
        d.post_need(c, title="需" * 200, budget=1000)
        d.post_offer(o, title="供" * 200, price=500)
        f = _fair(d, g)["id"]
        _enroll(d, g, f, all=True)
        _run(d, g, f)
        sched = ok(d.call("fair.schedule", {"fair": f}, token=g))
        assert len(sched["meetings"]) == 1, sched
        items = _matches(d, g, f)["items"]
        _check_csv_rows(_parse_csv(_get(d, "/v1/fairs/%d/matches.csv" % f, g)[2]), items, d)
        st, _, body = _get(d, "/v1/fairs/%d/matches.xlsx" % f, g)
        assert st == 200, st
        try:
            _, sheets = read_xlsx(body)
        except ET.ParseError as e:
            raise AssertionError("GET /v1/fairs/%d/matches.xlsx with 200-character names: "
                                 "the workbook is not well-formed XML (%s)" % (f, e))
        cell = sheets["洽谈日程"].get((2, 3))
        assert isinstance(cell, str) and "需" * 200 in cell and "社" * 200 in cell and \
            "组" * 200 in cell, "Schedule cell cut: %r" % (cell,)
        assert sheets["匹配结果"][(2, C_NEED_TITLE + 1)] == "需" * 200
        page = _get(d, "/v1/fairs/%d/agenda.html" % f, g)[2].decode("utf-8")
        assert "需" * 200 in page and "供" * 200 in page
