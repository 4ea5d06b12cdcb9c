"""matchctl import needs|offers FILE.csv: every row checked and reported with its row
number, bad rows stored nowhere, re-imports idempotent through content-derived refs,
RFC 4180 quoting, BOM and CRLF, window and list columns, exit codes.  Encodings and the
Chinese report: test_import_charset.py."""

import json
import os
import re

from harness import Daemon, ok, free_ports, run_matchctl, STREET_A, STREET_B
from test_fairs import ORG1, ORG2

ROW_OK = re.compile(r"^row (\d+): ok, id (\d+)$")
ROW_REFUSED = re.compile(r"^row (\d+): refused: (.+)$")
SUMMARY = re.compile(r"^import (needs|offers): (\d+) rows accepted, (\d+) refused$")
CONVERTED = "file encoding GB18030, converted to UTF-8"


def _write(d, name, text, bom=False, crlf=False):
    if crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    path = os.path.join(d.tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def _import(d, token, kind, path, port=None):
    a = ["-H", "127.0.0.1:%d" % (port or d.port)]
    if token is not None:
        a += ["-t", token]
    return run_matchctl(a + ["import", kind, path], timeout=30)


def _report(p, kind):
    """{row: ("ok", id) | ("refused", reason)}, (accepted, refused); asserts the shape:
    one line per row, then the summary last."""
    out = p.stdout.decode("utf-8", "replace")
    lines = [l for l in out.splitlines() if l.strip()]
    assert lines, "matchctl import printed nothing; stderr %r" % p.stderr
    if lines[0] == CONVERTED:
        lines = lines[1:]       # a GB18030 file says so first (test_import_charset)
    m = SUMMARY.match(lines[-1])
    assert m and m.group(1) == kind, "last line is not the summary: %r" % lines[-1]
    rows = {}
    for l in lines[:-1]:
        a, b = ROW_OK.match(l), ROW_REFUSED.match(l)
        assert a or b, "unexpected output line %r in:\n%s" % (l, out)
        n = int((a or b).group(1))
        assert n not in rows, "row %d reported twice:\n%s" % (n, out)
        rows[n] = ("ok", int(a.group(2))) if a else ("refused", b.group(2))
    acc = sum(1 for v in rows.values() if v[0] == "ok")
    ref = len(rows) - acc
    assert (int(m.group(2)), int(m.group(3))) == (acc, ref), (
        "summary %r disagrees with the rows (%d ok, %d refused)" % (lines[-1], acc, ref))
    return rows, (acc, ref)


def _needs(d, **filters):
    items, _ = d.list_all("need.list", d.admin, filters, limit=1000)
    return items


def _offers(d, **filters):
    items, _ = d.list_all("offer.list", d.admin, filters, limit=1000)
    return items


def _need(d, nid):
    return ok(d.call("need.get", {"id": nid}, token=d.admin))["need"]


def _offer(d, oid):
    return ok(d.call("offer.get", {"id": oid}, token=d.admin))["offer"]


NEEDS_CSV = (
    "title,category,budget,community,description,beneficiaries,window_from,window_to,partners\n"
    "长者助餐,service.elderly,50000,C1,每日午餐,120,2026-05-01,2026-09-30,\n"
    "儿童托管,service.children,30000.5,C2,,,,,C1;C3\n"
    "无障碍坡道,engineering.accessibility,80000,C1,坡道改造,,2026-06-01,2026-06-30,"
    "\"[\"\"C2\"\"]\"\n"
)


def _three(d):
    return (d.community("C1", street=STREET_A), d.community("C2", street=STREET_A),
            d.community("C3", street=STREET_B))


# ---------------------------------------------------------------------------
# good files

def test_import_needs_as_admin_with_community_column():
    with Daemon() as d:
        _three(d)
        path = _write(d, "needs.csv", NEEDS_CSV)
        p = _import(d, d.admin, "needs", path)
        rows, counts = _report(p, "needs")
        assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
        assert counts == (3, 0) and sorted(rows) == [2, 3, 4], rows
        n = {r: _need(d, rows[r][1]) for r in rows}
        assert (n[2]["community"], n[2]["title"], n[2]["category"], n[2]["budget"],
                n[2]["description"], n[2]["beneficiaries"]) == (
            "C1", "长者助餐", "service.elderly", 50000, "每日午餐", 120), n[2]
        assert n[2]["window"] == {"from": "2026-05-01", "to": "2026-09-30"}, n[2]
        assert n[2]["partners"] == [], n[2]
        # empty cells leave fields out: defaults
        assert (n[3]["community"], n[3]["budget"], n[3]["description"],
                n[3]["beneficiaries"], n[3]["window"]) == ("C2", 30000.5, "", 0, None), n[3]
        assert n[3]["partners"] == ["C1", "C3"], "a;b list: %r" % n[3]
        assert n[4]["partners"] == ["C2"], "JSON array list: %r" % n[4]
        assert n[4]["window"] == {"from": "2026-06-01", "to": "2026-06-30"}, n[4]
        for x in n.values():
            assert isinstance(x["ref"], str) and x["ref"], "no derived ref: %r" % x
        assert len({x["ref"] for x in n.values()}) == 3
        assert len(_needs(d)) == 3


def test_reimport_creates_nothing_new():
    with Daemon() as d:
        _three(d)
        path = _write(d, "needs.csv", NEEDS_CSV)
        first, _ = _report(_import(d, d.admin, "needs", path), "needs")
        before = sorted(_needs(d), key=lambda x: x["id"])
        for _ in range(2):
            p = _import(d, d.admin, "needs", path)
            assert p.returncode == 0, (p.returncode, p.stdout)
            again, counts = _report(p, "needs")
            assert again == first, "re-import gave other ids: %r vs %r" % (again, first)
            assert counts == (3, 0)
        after = sorted(_needs(d), key=lambda x: x["id"])
        assert after == before, "re-import changed the stored needs"
        # the same file with one more row adds exactly that row
        path2 = _write(d, "needs2.csv", NEEDS_CSV + "图书角,goods.books,500,C2,,,,,\n")
        rows, counts = _report(_import(d, d.admin, "needs", path2), "needs")
        assert {r: rows[r] for r in (2, 3, 4)} == first and counts == (4, 0), rows
        assert rows[5][1] not in [x["id"] for x in before]
        assert len(_needs(d)) == 4


def test_import_offers_as_an_org():
    with Daemon() as d:
        o1 = d.org(ORG1, street=STREET_A, streets=[STREET_A, STREET_B])
        d.org(ORG2, street=STREET_A)
        text = ("title,category,price,capacity,streets,description,partner\n"
                "助餐配送,service.elderly,30000,3,莲花街道;园岭街道,,\n"
                "坡道施工,engineering.accessibility,70000,,\"[\"\"莲花街道\"\"]\",含税,"
                + ORG2 + "\n"
                "上门理发,service.elderly,800.5,2,,每月一次,\n")
        path = _write(d, "offers.csv", text)
        p = _import(d, o1, "offers", path)
        rows, counts = _report(p, "offers")
        assert p.returncode == 0 and counts == (3, 0), (p.returncode, p.stdout, p.stderr)
        o = {r: _offer(d, rows[r][1]) for r in rows}
        assert all(x["org"] == ORG1 for x in o.values()), o
        assert (o[2]["price"], o[2]["capacity"], o[2]["remaining"], o[2]["streets"]) == (
            30000, 3, 3, [STREET_A, STREET_B]), o[2]
        assert (o[3]["capacity"], o[3]["streets"], o[3]["description"], o[3]["partner"]) == (
            1, [STREET_A], "含税", ORG2), o[3]
        assert o[4]["price"] == 800.5 and o[4]["streets"] == [STREET_A, STREET_B], (
            "streets default to the org's: %r" % o[4])
        again, _ = _report(_import(d, o1, "offers", path), "offers")
        assert again == rows and len(_offers(d)) == 3, again
        # the admin imports with an org column
        path = _write(d, "offers2.csv", "org,title,category,price\n%s,法律咨询,service.legal,"
                      "100\n" % ORG2)
        rows, counts = _report(_import(d, d.admin, "offers", path), "offers")
        assert counts == (1, 0) and _offer(d, rows[2][1])["org"] == ORG2, rows


def test_import_needs_as_a_community():
    with Daemon() as d:
        c1, _, _ = _three(d)
        path = _write(d, "mine.csv", "title,category,budget\n老年活动,service.elderly,900\n"
                      "青少年足球,service.sports,1200\n")
        rows, counts = _report(_import(d, c1, "needs", path), "needs")
        assert counts == (2, 0) and all(_need(d, v[1])["community"] == "C1"
                                        for v in rows.values()), rows
        # a community naming another community is refused, and stores nothing for it
        path = _write(d, "other.csv", "title,category,budget,community\n冒名,service.elderly,"
                      "100,C2\n")
        p = _import(d, c1, "needs", path)
        rows, counts = _report(p, "needs")
        assert p.returncode == 1 and counts == (0, 1), (p.returncode, p.stdout)
        assert rows[2][1].startswith(("forbidden", "invalid_argument")), rows
        assert _needs(d, community="C2") == []


# ---------------------------------------------------------------------------
# bad rows

def test_import_bad_rows_each_reported_none_stored():
    with Daemon() as d:
        _three(d)
        text = ("title,category,budget,community\n"
                "好的一行,service.elderly,1000,C1\n"             # 2 ok
                "预算不对,service.elderly,abc,C1\n"              # 3 bad amount
                "负预算,service.elderly,-5,C1\n"                 # 4 bad amount
                "分类不存在,food.snacks,1000,C1\n"               # 5 off the taxonomy
                "屋顶维修,engineering.roofing,1000,C1\n"         # 6 not on the positive list
                "好的二行,service.children,2000,C2\n"            # 7 ok
                "多一列,service.elderly,1000,C1,extra\n"          # 8 wrong field count
                "少一列,service.elderly\n"                        # 9 wrong field count
                "没有社区,service.elderly,1000,C9\n"             # 10 unknown community
                "\"未闭合引号,service.elderly,1000,C1\n")         # 11 unclosed quote
        path = _write(d, "bad.csv", text)
        p = _import(d, d.admin, "needs", path)
        rows, counts = _report(p, "needs")
        assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
        assert sorted(rows) == list(range(2, 12)), "rows reported: %r\n%s" % (
            sorted(rows), p.stdout.decode())
        assert counts == (2, 8), rows
        assert rows[2][0] == "ok" and rows[7][0] == "ok", rows
        for r in (3, 4):
            assert rows[r][1].startswith("invalid_argument (budget): "), (r, rows[r])
        for r in (5, 6):
            assert rows[r][1].startswith("invalid_argument (category): "), (r, rows[r])
        for r in (8, 9, 11):
            assert rows[r][0] == "refused" and len(rows[r][1]) > 5, (r, rows[r])
        assert "field" in rows[8][1] or "column" in rows[8][1], rows[8]
        assert rows[10][1].startswith(("not_found", "invalid_argument")), rows[10]
        stored = _needs(d)
        assert sorted(x["id"] for x in stored) == sorted([rows[2][1], rows[7][1]]), stored
        assert {x["title"] for x in stored} == {"好的一行", "好的二行"}, stored


def test_import_unknown_column_refuses_every_row():
    with Daemon() as d:
        _three(d)
        path = _write(d, "colour.csv", "title,category,budget,community,colour\n"
                      "甲,service.elderly,1000,C1,red\n乙,service.elderly,1000,C1,blue\n")
        p = _import(d, d.admin, "needs", path)
        rows, counts = _report(p, "needs")
        assert p.returncode == 1 and counts == (0, 2), (p.returncode, p.stdout)
        for r in (2, 3):
            assert rows[r][1].startswith("invalid_argument (colour): "), rows[r]
        assert _needs(d) == []


def test_import_malformed_csv_keeps_reporting_later_rows():
    """A wrong field count is refused locally and the next rows still go in; an unclosed
    quote swallows the rest of the file but is reported, never hangs."""
    with Daemon() as d:
        _three(d)
        path = _write(d, "mixed.csv", "title,category,budget,community\n"
                      "a,b\n"
                      "甲,service.elderly,1000,C1\n"
                      "x\"y,service.elderly,1000,C1\n")
        rows, _ = _report(_import(d, d.admin, "needs", path), "needs")
        assert rows[2][0] == "refused" and rows[3][0] == "ok", rows
        assert rows.get(4, ("ok",))[0] in ("ok", "refused"), rows
        path = _write(d, "open.csv", "title,category,budget,community\n"
                      "乙,service.elderly,1000,C1\n"
                      "\"丙,service.elderly,1000,C1\n"
                      "丁,service.elderly,1000,C1\n")
        p = _import(d, d.admin, "needs", path)
        rows, counts = _report(p, "needs")
        assert p.returncode == 1 and rows[2][0] == "ok" and rows[3][0] == "refused", rows
        assert "丙" not in {x["title"] for x in _needs(d)}


# ---------------------------------------------------------------------------
# CSV details

def test_import_quoted_fields_with_commas_quotes_newlines():
    with Daemon() as d:
        _three(d)
        text = ("title,category,budget,community,description\n"
                "\"助餐, \"\"爱心\"\"\",service.elderly,1000,C1,\"第一行\n第二行, 逗号\"\n"
                "普通,service.elderly,900,C2,\"\"\n")
        path = _write(d, "quoted.csv", text)
        p = _import(d, d.admin, "needs", path)
        rows, counts = _report(p, "needs")
        assert p.returncode == 0 and counts == (2, 0), (p.returncode, p.stdout)
        assert sorted(rows) == [2, 3], "a quoted newline does not start a new row: %r" % rows
        n = _need(d, rows[2][1])
        assert n["title"] == '助餐, "爱心"', n
        assert n["description"] == "第一行\n第二行, 逗号", n
        assert _need(d, rows[3][1])["description"] == ""


def test_import_bom_and_crlf_line_ends():
    """As a spreadsheet saves it: a BOM, CRLF after every row, a bare LF inside a
    multi-line cell.  Same content, same refs: the plain LF file makes nothing new."""
    with Daemon() as d:
        _three(d)
        body = ("title,category,budget,community,description\r\n"
                "长者助餐,service.elderly,1000,C1,\"两行\n说明\"\r\n"
                "儿童托管,service.children,800,C2,末尾\r\n")
        path = _write(d, "bom_crlf.csv", body, bom=True)
        p = _import(d, d.admin, "needs", path)
        rows, counts = _report(p, "needs")
        assert p.returncode == 0 and counts == (2, 0), (
            "a file with a BOM and CRLF rows: %s" % p.stdout.decode())
        a, b = _need(d, rows[2][1]), _need(d, rows[3][1])
        assert a["title"] == "长者助餐" and a["description"] == "两行\n说明", a
        assert b["description"] == "末尾" and b["budget"] == 800, b
        plain = _write(d, "plain.csv", body.replace("\r\n", "\n"))
        again, _ = _report(_import(d, d.admin, "needs", plain), "needs")
        assert again == rows, "BOM / CRLF changed the derived refs: %r vs %r" % (again, rows)
        assert len(_needs(d)) == 2


def test_import_crlf_inside_a_quoted_field():
    """RFC 4180 line breaks are CRLF, inside quoted fields too (a file passed through
    unix2dos, or written by a tool that uses CRLF throughout).  The row is valid CSV;
    its multi-line description must be stored, not refused for a control character."""
    with Daemon() as d:
        _three(d)
        body = ("title,category,budget,community,description\r\n"
                "长者助餐,service.elderly,1000,C1,\"两行\r\n说明\"\r\n")
        p = _import(d, d.admin, "needs", _write(d, "crlf_in_field.csv", body))
        rows, counts = _report(p, "needs")
        assert p.returncode == 0 and counts == (1, 0), (
            "import of a quoted description holding CRLF: %s" % p.stdout.decode().strip())
        assert _need(d, rows[2][1])["description"] in ("两行\n说明", "两行\r\n说明")


def test_import_refs_explicit_and_derived():
    with Daemon() as d:
        _three(d)
        text = ("title,category,budget,community,ref\n"
                "甲,service.elderly,1000,C1,R-1\n"
                "甲,service.elderly,1000,C1,R-2\n"
                "乙,service.elderly,1000,C1,\n"
                "乙,service.elderly,1000,C1,\n"
                "乙,service.elderly,1001,C1,\n")
        rows, counts = _report(_import(d, d.admin, "needs", _write(d, "r.csv", text)), "needs")
        assert counts == (5, 0), rows
        assert rows[2][1] != rows[3][1], "different refs must make different needs"
        assert _need(d, rows[2][1])["ref"] == "R-1" and _need(d, rows[3][1])["ref"] == "R-2"
        assert rows[4][1] == rows[5][1], "identical rows without ref: one need"
        assert rows[6][1] != rows[4][1], "a row differing in budget is another need"
        assert len(_needs(d)) == 4
        # posting with the explicit ref through the API returns the imported need
        n = ok(d.call("need.post", {"title": "甲", "category": "service.elderly", "budget": 1000,
                                    "community": "C1", "ref": "R-1"}, token=d.admin))["need"]
        assert n["id"] == rows[2][1], n


def test_import_many_rows_in_flight():
    """More rows than matchctl keeps in flight: every row reported once, in the right
    place, bad rows among them too."""
    with Daemon() as d:
        _three(d)
        lines = ["title,category,budget,community"]
        bad = set()
        for i in range(150):
            if i % 37 == 5:
                lines.append("坏%d,service.elderly,zero,C1" % i)
                bad.add(i + 2)
            else:
                lines.append("需求%d,service.elderly,%d,C%d" % (i, 1000 + i, 1 + i % 2))
        path = _write(d, "many.csv", "\n".join(lines) + "\n")
        p = _import(d, d.admin, "needs", path)
        rows, counts = _report(p, "needs")
        assert sorted(rows) == list(range(2, 152)), sorted(set(range(2, 152)) - set(rows))
        assert {r for r, v in rows.items() if v[0] == "refused"} == bad, rows
        assert p.returncode == 1 and counts == (150 - len(bad), len(bad))
        for r, v in rows.items():
            if v[0] == "ok":
                n = _need(d, v[1])
                assert n["title"] == "需求%d" % (r - 2) and n["budget"] == 1000 + r - 2, (r, n)
        assert len({v[1] for v in rows.values() if v[0] == "ok"}) == 150 - len(bad)


# ---------------------------------------------------------------------------
# exit codes

def test_import_cannot_connect_and_usage():
    with Daemon() as d:
        _three(d)
        path = _write(d, "needs.csv", NEEDS_CSV)
        port = free_ports(1)[0]
        p = _import(d, d.admin, "needs", path, port=port)
        assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
        assert _needs(d) == []
        for args in (["import", "things", path], ["import", "needs"],
                     ["import", "needs", os.path.join(d.tmp, "missing.csv")],
                     ["import", "needs", _write(d, "empty.csv", "")]):
            p = run_matchctl(["-H", "127.0.0.1:%d" % d.port, "-t", d.admin] + args)
            assert p.returncode == 1, (args, p.returncode, p.stdout, p.stderr)
            assert p.stderr.strip(), (args, "no reason given")
        # no token: every row refused unauthenticated, exit 1
        p = _import(d, None, "needs", path)
        rows, counts = _report(p, "needs")
        assert p.returncode == 1 and counts == (0, 3), (p.returncode, p.stdout)
        assert all(v[1].startswith("unauthenticated") for v in rows.values()), rows
        assert _needs(d) == []


def test_import_report_lists_rows_in_file_order():
    """The report is read next to the file: its row lines come in row order, whether a
    row was refused by matchctl itself (malformed) or answered by the daemon."""
    with Daemon() as d:
        _three(d)
        path = _write(d, "order.csv", "title,category,budget,community\n"
                      "甲,service.elderly,1000,C1\n"
                      "乙,service.elderly,abc,C1\n"
                      "丙,service.elderly,1000,C1,extra\n"
                      "丁,service.elderly,1000,C2\n")
        p = _import(d, d.admin, "needs", path)
        rows, _ = _report(p, "needs")
        order = [int(ROW_OK.match(l) and ROW_OK.match(l).group(1) or
                     ROW_REFUSED.match(l).group(1))
                 for l in p.stdout.decode().splitlines()[:-1] if l.strip()]
        assert order == sorted(order), "row lines out of order %r:\n%s" % (
            order, p.stdout.decode())
