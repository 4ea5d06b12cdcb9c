"""Needs and offers answer byte for byte what tests/golden/records.ok holds.

One fixed script of need.* / offer.* / library.set calls (and a fair whose
matches read and write both records), every answer line as the daemon wrote
it, with the times ("created", "updated") and this year's default "year"
masked.  The file was written by the daemon before the record layer
(daemon/store/store_record.c) drove these operations; the layer must not
change a byte.  MATCHD_GOLDEN_UPDATE=1 rewrites the file instead.
"""

import json
import os
import re
import time

from harness import Daemon, ROOT, STREET_A, STREET_B, STREET_C

GOLDEN = ROOT / "tests" / "golden" / "records.ok"
TIME_RE = re.compile(rb'"(created|updated)":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"')
ORG1 = "91440300MA5F000001"
ORG2 = "91440300MA5F000002"
ORG3 = "91440300MA5F000003"
ORG4 = "91440300MA5F000004"
WINDOW = {"from": "2031-05-01", "to": "2031-09-30"}


def _mask(line):
    line = TIME_RE.sub(rb'"\1":"T"', line)
    year = b'"year":%d' % time.gmtime().tm_year
    return line.replace(year, b'"year":THIS_YEAR')


class Script:
    def __init__(self, d):
        self.d = d
        self.c = d.native()
        self.out = []

    def __call__(self, who, op, args, token):
        self.c.send({"op": op, "args": args, "token": token})
        line = self.c.read_line()
        self.out.append(b"%s %s %s\n" % (who.encode(), op.encode(), json.dumps(
            args, ensure_ascii=False, sort_keys=True).encode()))
        self.out.append(_mask(line) + b"\n")
        return json.loads(line)


def _needs(s, t, a):
    s("c1", "need.post", {"title": "助餐", "category": "service.elderly", "budget": 50000},
      t["c1"])
    s("c1", "need.post", {"title": "长者\"助餐\"\\服务", "category": "service.elderly",
                          "budget": 1234.56, "description": "第一行\n第二行\t é / \u2028 😀 <&>",
                          "beneficiaries": 30, "partners": ["C2", "C3"],
                          "window": WINDOW, "ref": "r-1"}, t["c1"])
    s("c1", "need.post", {"title": "again", "category": "goods.books", "budget": 1,
                          "ref": "r-1"}, t["c1"])
    # the partners answer: C2 agrees, C3 refuses and leaves; the poster cannot
    s("c1", "need.consent", {"need": 2, "decision": "agree"}, t["c1"])
    s("c2", "need.consent", {"need": 2, "decision": "agree"}, t["c2"])
    s("c3", "need.consent", {"need": 2, "decision": "refuse"}, t["c3"])
    s("c2", "need.consent", {"need": 2, "decision": "agree"}, t["c2"])
    s("c2", "need.post", {"title": "图书", "category": "goods.books", "budget": 0.5,
                          "ref": "r-1"}, t["c2"])
    s("admin", "need.post", {"title": "修缮", "category": "service.elderly",
                             "budget": 999999.99, "community": "C3",
                             "window": {"from": "2030-01-01", "to": "2030-01-01"}}, a)
    s("admin", "need.post", {"title": "x", "category": "service.elderly", "budget": 1}, a)
    s("admin", "need.post", {"title": "x", "category": "service.elderly", "budget": 1,
                             "community": "C9"}, a)
    s("c1", "need.post", {"title": "x", "category": "service.elderly", "budget": 1,
                          "community": "C2"}, t["c1"])
    s("c1", "need.post", {"title": "x", "category": "service.elderly", "budget": 1,
                          "partners": ["C1"]}, t["c1"])
    s("c1", "need.post", {"title": "x", "category": "service.elderly", "budget": 1,
                          "partners": ["C9"]}, t["c1"])
    for i in range(1, 6):
        s("c1", "need.get", {"id": i}, t["c1"])
    s("o1", "need.get", {"id": 2}, t["o1"])
    s("c1", "need.get", {"id": 99}, t["c1"])
    for f in ({}, {"street": STREET_B}, {"community": "C2"}, {"community": "C3"},
              {"category": "service"}, {"category": "goods.books"}, {"status": "open"},
              {"limit": 1}, {"limit": 2, "after": 1}, {"street": STREET_C, "limit": 5}):
        s("c1", "need.list", f, t["c1"])
    s("c1", "need.update", {"id": 1, "title": "助餐2", "budget": 60000.1,
                            "partners": ["C2"], "window": WINDOW, "description": "d"},
      t["c1"])
    s("c2", "need.consent", {"need": 1, "decision": "agree"}, t["c2"])
    s("c1", "need.update", {"id": 2, "beneficiaries": 0, "partners": []}, t["c1"])
    s("c2", "need.update", {"id": 1, "title": "不行"}, t["c2"])
    s("admin", "need.update", {"id": 3, "category": "service.elderly"}, a)
    s("c1", "need.update", {"id": 77, "title": "无"}, t["c1"])
    s("c1", "need.update", {"id": 1, "partners": ["C1"]}, t["c1"])
    s("c1", "need.withdraw", {"id": 2}, t["c1"])
    s("c1", "need.withdraw", {"id": 2}, t["c1"])
    s("c1", "need.update", {"id": 2, "title": "晚了"}, t["c1"])
    s("c2", "need.withdraw", {"id": 1}, t["c2"])
    s("c1", "need.list", {"status": "withdrawn"}, t["c1"])


def _offers(s, t, a):
    s("o1", "offer.post", {"title": "配送", "category": "service.elderly", "price": 30000},
      t["o1"])
    s("o1", "offer.post", {"title": "图书\"角\"", "category": "goods.books", "price": 0.01,
                           "capacity": 3, "streets": [STREET_A, STREET_B],
                           "description": "描述\n", "ref": "x-1", "partner": ORG3}, t["o1"])
    s("o1", "offer.post", {"title": "again", "category": "goods.books", "price": 1,
                           "ref": "x-1"}, t["o1"])
    s("o2", "offer.post", {"title": "维修", "category": "service.elderly", "price": 100},
      t["o2"])
    s("o2", "offer.post", {"title": "维修", "category": "service.elderly", "price": 100,
                           "partner": ORG1}, t["o2"])
    s("o3", "offer.consent", {"offer": 2, "decision": "agree"}, t["o3"])
    s("o2", "offer.consent", {"offer": 3, "decision": "agree"}, t["o2"])
    s("o1", "offer.consent", {"offer": 3, "decision": "agree"}, t["o1"])
    s("o1", "offer.post", {"title": "x", "category": "service.elderly", "price": 1,
                           "partner": ORG1}, t["o1"])
    s("o1", "offer.post", {"title": "x", "category": "service.elderly", "price": 1,
                           "partner": ORG4}, t["o1"])
    s("o1", "offer.post", {"title": "x", "category": "service.elderly", "price": 1,
                           "partner": ORG2}, t["o1"])
    s("o1", "offer.post", {"title": "x", "category": "service.elderly", "price": 1,
                           "org": ORG3}, t["o1"])
    s("admin", "offer.post", {"title": "x", "category": "service.elderly", "price": 1}, a)
    s("admin", "offer.post", {"title": "全区", "category": "service.elderly",
                              "price": 45000.5, "org": ORG3, "capacity": 2}, a)
    s("admin", "offer.post", {"title": "x", "category": "service.elderly", "price": 1,
                              "org": ORG4}, a)
    for i in range(1, 5):
        s("o1", "offer.get", {"id": i}, t["o1"])
    s("c1", "offer.get", {"id": 2}, t["c1"])
    s("o1", "offer.get", {"id": 99}, t["o1"])
    for f in ({}, {"org": ORG1}, {"org": ORG3}, {"street": STREET_B},
              {"street": STREET_C}, {"category": "goods"}, {"status": "open"},
              {"in_library": False}, {"limit": 1}, {"limit": 2, "after": 2}):
        s("o1", "offer.list", f, t["o1"])
    s("o1", "offer.update", {"id": 1, "title": "配送2", "price": 31000.25, "capacity": 4,
                             "streets": ["莲花街道", "园岭街道"], "description": "新"}, t["o1"])
    s("o1", "offer.update", {"id": 1, "partner": ORG3}, t["o1"])
    s("o1", "offer.update", {"id": 1, "partner": ORG2}, t["o1"])
    s("o3", "offer.consent", {"offer": 1, "decision": "agree"}, t["o3"])
    s("o2", "offer.update", {"id": 1, "title": "不行"}, t["o2"])
    s("o1", "offer.update", {"id": 99, "title": "无"}, t["o1"])
    s("admin", "library.set", {"offer": 2, "in_library": True}, a)
    s("admin", "library.set", {"offer": 99, "in_library": True}, a)
    s("o1", "offer.list", {"in_library": True}, t["o1"])
    s("o2", "offer.withdraw", {"id": 3}, t["o2"])
    s("o2", "offer.withdraw", {"id": 3}, t["o2"])
    s("o2", "offer.update", {"id": 3, "title": "晚了"}, t["o2"])
    s("o1", "offer.withdraw", {"id": 3}, t["o1"])


def _fair(s, t, a):
    f = s("admin", "fair.create", {"name": "对接会", "date": "2031-06-01"}, a)
    fid = f["result"]["fair"]["id"]
    s("admin", "fair.enroll", {"fair": fid, "all": True}, a)
    s("admin", "fair.match", {"fair": fid}, a)
    m = s("admin", "fair.matches", {"fair": fid}, a)
    s("c1", "fair.matches", {"fair": fid}, t["c1"])
    s("o1", "fair.matches", {"fair": fid}, t["o1"])
    items = m["result"]["items"]
    by = {"C1": "c1", "C2": "c2", "C3": "c3", ORG1: "o1", ORG2: "o2", ORG3: "o3"}
    for it in items[:2]:
        s(by[it["community"]], "match.respond", {"match": it["id"], "decision": "accept"},
          t[by[it["community"]]])
        s(by[it["org"]], "match.respond", {"match": it["id"], "decision": "accept"},
          t[by[it["org"]]])
    for i in range(1, 6):
        s("admin", "need.get", {"id": i}, a)
    for i in range(1, 5):
        s("admin", "offer.get", {"id": i}, a)
    for it in items[:2]:
        o = by[it["org"]]
        s(o, "offer.update", {"id": it["offer"], "capacity": 1}, t[o])
        s(o, "offer.withdraw", {"id": it["offer"]}, t[o])
        c = by[it["community"]]
        s(c, "need.withdraw", {"id": it["need"]}, t[c])
        s(c, "need.update", {"id": it["need"], "title": "晚了"}, t[c])
    s("admin", "fair.matches", {"fair": fid}, a)
    s("admin", "need.list", {}, a)
    s("admin", "offer.list", {}, a)


def test_record_answers_match_golden():
    with Daemon() as d:
        a = d.admin
        t = {"c1": d.community("C1", street=STREET_A),
             "c2": d.community("C2", street=STREET_B),
             "c3": d.community("C3", street=STREET_C),
             "o1": d.org(ORG1, streets=[STREET_A]),
             "o2": d.org(ORG2, kind="filed", streets=[STREET_B]),
             "o3": d.org(ORG3, streets=["*"])}
        s = Script(d)
        _needs(s, t, a)
        _offers(s, t, a)
        _fair(s, t, a)
        got = b"".join(s.out)
    if os.environ.get("MATCHD_GOLDEN_UPDATE") == "1":
        GOLDEN.write_bytes(got)
    want = GOLDEN.read_bytes()
    if got != want:
        g, w = got.split(b"\n"), want.split(b"\n")
        for i, (x, y) in enumerate(zip(g, w)):
            if x != y:
                raise AssertionError("records.ok line %d differs:\n got  %s\n want %s" % (
                    i + 1, x.decode(errors="replace")[:1500],
                    y.decode(errors="replace")[:1500]))
        raise AssertionError("records.ok: %d lines, got %d" % (len(w), len(g)))
