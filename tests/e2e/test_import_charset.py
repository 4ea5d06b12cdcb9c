"""matchctl import of files as Excel and WPS save them on a Chinese system: GBK /
GB18030 converted (and said so), UTF-8 kept, bytes that are neither refused before
anything is sent; the report in Chinese (--lang zh, or a Chinese locale) and English."""

import os
import re

from harness import Daemon, run_matchctl
from test_import import (NEEDS_CSV, CONVERTED, _import, _needs, _need, _report, _three,
                         _write)

ZH_OK = re.compile(r"^第 (\d+) 行：已导入，编号 (\d+)$")
ZH_REFUSED = re.compile(r"^第 (\d+) 行：未导入：(.+)$")
ZH_SUMMARY = re.compile(r"^导入(需求|项目)：(\d+) 行已导入，(\d+) 行未导入$")
ZH_CONVERTED = "文件编码：GB18030（已转换为 UTF-8）"


def _write_bytes(d, name, data):
    path = os.path.join(d.tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def _import_env(d, token, args, env):
    return run_matchctl(["-H", "127.0.0.1:%d" % d.port, "-t", token, "import"] + args,
                        timeout=30, env=env)


def _report_zh(p):
    """({row: ("ok", id) | ("refused", why)}, (accepted, refused), converted)."""
    lines = [l for l in p.stdout.decode("utf-8").splitlines() if l.strip()]
    assert lines, "nothing printed; stderr %r" % p.stderr
    converted = lines[0] == ZH_CONVERTED
    if converted:
        lines = lines[1:]
    m = ZH_SUMMARY.match(lines[-1])
    assert m, "last line is not the Chinese summary: %r" % lines[-1]
    rows = {}
    for l in lines[:-1]:
        a, b = ZH_OK.match(l), ZH_REFUSED.match(l)
        assert a or b, "not a Chinese report line: %r" % l
        rows[int((a or b).group(1))] = ("ok", int(a.group(2))) if a else ("refused",
                                                                          b.group(2))
    return rows, (int(m.group(2)), int(m.group(3))), converted


# ---------------------------------------------------------------------------
# encodings

def test_import_gbk_file_as_excel_saves_it():
    """A GBK file with CRLF rows and no BOM (Excel's "CSV" on a Chinese Windows): every
    row goes in with its Chinese intact, the report says the file was converted, and
    the same content saved as UTF-8 is the same rows (same refs, nothing new)."""
    with Daemon() as d:
        _three(d)
        path = _write_bytes(d, "gbk.csv", NEEDS_CSV.replace("\n", "\r\n").encode("gbk"))
        p = _import(d, d.admin, "needs", path)
        assert p.returncode == 0, (p.returncode, p.stdout.decode(), p.stderr.decode())
        assert p.stdout.decode().splitlines()[0] == CONVERTED, p.stdout.decode()
        rows, counts = _report(p, "needs")
        assert counts == (3, 0), rows
        n = {r: _need(d, rows[r][1]) for r in rows}
        assert (n[2]["title"], n[2]["description"]) == ("长者助餐", "每日午餐"), n[2]
        assert n[4]["title"] == "无障碍坡道" and n[4]["partners"] == ["C2"], n[4]
        utf8 = _write(d, "utf8.csv", NEEDS_CSV, bom=True)
        p = _import(d, d.admin, "needs", utf8)
        again, _ = _report(p, "needs")
        assert CONVERTED not in p.stdout.decode(), "a UTF-8 file is not converted"
        assert again == rows, "the UTF-8 copy made other rows: %r vs %r" % (again, rows)
        assert len(_needs(d)) == 3


def test_import_gb18030_four_byte_characters_and_its_bom():
    """Characters outside GBK (four bytes in GB18030) and GB18030's own byte order
    mark: read, converted, the mark dropped."""
    with Daemon() as d:
        _three(d)
        text = "title,category,budget,community\n𠀀𡃁社区活动,service.culture,800,C1\n"
        path = _write_bytes(d, "gb18030.csv", "\ufeff".encode("gb18030") +
                            text.encode("gb18030"))
        p = _import(d, d.admin, "needs", path)
        assert p.returncode == 0, (p.stdout.decode(), p.stderr.decode())
        rows, counts = _report(p, "needs")
        assert counts == (1, 0)
        assert _need(d, rows[2][1])["title"] == "𠀀𡃁社区活动"


def test_import_bytes_neither_utf8_nor_gb18030_change_nothing():
    """A byte no encoding reads: a clear error naming where (offset and row), exit 1,
    no row sent, nothing stored; in Chinese too."""
    with Daemon() as d:
        _three(d)
        head = "title,category,budget,community\n长者助餐,service.elderly,1000,C1\n"
        data = head.encode("utf-8") + b"\xff\xfe,service.elderly,900,C2\n"
        path = _write_bytes(d, "bad.csv", data)
        p = _import(d, d.admin, "needs", path)
        err = p.stderr.decode()
        assert p.returncode == 1, (p.returncode, p.stdout, err)
        assert p.stdout == b"", "rows were reported for a file that was refused: %r" % (
            p.stdout.decode(),)
        assert "neither UTF-8 nor GB18030" in err and "nothing was imported" in err, err
        off = data.index(b"\xff")
        assert "byte 0xFF at offset %d (row 3)" % off in err, err
        assert _needs(d) == []
        p = _import_env(d, d.admin, ["--lang", "zh", "needs", path], None)
        err = p.stderr.decode()
        assert p.returncode == 1 and p.stdout == b"", (p.returncode, err)
        assert "既不是 UTF-8 也不是 GB18030" in err and "没有导入任何内容" in err, err
        assert "0xFF（偏移 %d，第 3 行）" % off in err, err
        # a GBK file cut inside its last character
        gbk = (head + "儿童托管,service.children,800,C2\n").encode("gbk") + "托".encode("gbk")[:1]
        p = _import(d, d.admin, "needs", _write_bytes(d, "cut.csv", gbk))
        err = p.stderr.decode()
        assert p.returncode == 1 and p.stdout == b"", (p.returncode, err)
        assert "offset %d (row 4) is not GB18030" % (len(gbk) - 1) in err, err
        assert _needs(d) == []


# ---------------------------------------------------------------------------
# the report's language

BAD_ROWS = ("title,category,budget,community\n"
            "好的一行,service.elderly,1000,C1\n"
            "预算不对,service.elderly,abc,C1\n"
            "多一列,service.elderly,1000,C1,extra\n")


def test_import_report_in_chinese_by_locale_or_flag():
    with Daemon() as d:
        _three(d)
        path = _write(d, "bad.csv", BAD_ROWS)
        for args, env in ((["needs", path], {"LANG": "zh_CN.UTF-8"}),
                          (["--lang", "zh", "needs", path], None),
                          (["needs", path, "--lang", "zh"], {"LANG": "en_GB.UTF-8"}),
                          (["needs", path], {"LC_ALL": "zh_CN.UTF-8", "LANG": "C"})):
            p = _import_env(d, d.admin, args, env)
            assert p.returncode == 1, (args, env, p.returncode, p.stderr)
            rows, counts, conv = _report_zh(p)
            assert counts == (1, 2) and not conv, (args, env, rows)
            assert rows[2][0] == "ok", rows
            assert rows[3][1].startswith("内容不符合要求（字段 budget）：") and \
                rows[3][1].endswith("[invalid_argument]"), rows[3]
            assert rows[4][1] == "这一行有 5 个字段，表头有 4 个", rows[4]
        # --lang en wins over a Chinese locale; C.UTF-8 is English
        for args, env in ((["--lang", "en", "needs", path], {"LC_ALL": "zh_CN.UTF-8"}),
                          (["needs", path], None)):
            p = _import_env(d, d.admin, args, env)
            rows, counts = _report(p, "needs")
            assert counts == (1, 2) and rows[4][1] == "the row has 5 fields, the header 4", rows
        # a GBK file, reported in Chinese
        p = _import_env(d, d.admin, ["--lang", "zh", "needs", _write_bytes(
            d, "gbk.csv", BAD_ROWS.encode("gbk"))], None)
        rows, counts, conv = _report_zh(p)
        assert conv and counts == (1, 2), p.stdout.decode()
        assert {x["title"] for x in _needs(d)} == {"好的一行"}
        # usage in Chinese, and a language it does not know
        p = _import_env(d, d.admin, ["--lang", "zh", "things", path], None)
        assert p.returncode == 1 and p.stderr.decode().startswith("用法："), p.stderr
        p = _import_env(d, d.admin, ["--lang", "fr", "needs", path], None)
        assert p.returncode == 1 and "usage" in p.stderr.decode(), p.stderr
