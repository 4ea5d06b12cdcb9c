"""A fair run's write on the loop thread, made of few statements (issue 15): the
events of a run's proposals are the rows the one-by-one path wrote, and a
publication supersedes the live matches of the run it replaces, each keeping its
status, ids in order."""

import sqlite3

from harness import Daemon, ok, STREET_A, STREET_B
from events_lib import EventDistrict, ORG1, ORG2, DATE

SEP = "\x1f"


def _rows(d, sql, *args):
    db = sqlite3.connect("file:%s?mode=ro" % d.db, uri=True, timeout=10)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def test_proposed_events_name_every_party_once():
    """A joint need (partner C3, street A) and an offer with a partner (ORG2): one
    match.proposed event, to C1 and C3, ORG1 and ORG2, the need's street and the
    fair's (once when they are the same, the need's alone for a district fair), with
    the summary events_emit writes; and so match.superseded when run 2 replaces it."""
    with Daemon() as d:
        dist = EventDistrict(d)
        for street, fname in ((STREET_A, "莲花街道对接会"), (None, "全区对接会")):
            n = dist.need(partners=["C3"], title="跨社区适老化改造 %s" % fname,
                          category="service.elderly")
            dist.call("need.consent", {"need": n, "decision": "agree"}, "community_partner")
            o = dist.offer(partner=ORG2, title="适老化改造联合服务 %s" % fname)
            dist.call("offer.consent", {"offer": o, "decision": "agree"}, "org_other")
            args = {"name": fname, "date": DATE}
            if street:
                args["street"] = street
            f = dist.call("fair.create", args, "admin")["fair"]["id"]
            dist.call("fair.enroll", {"fair": f, "needs": [n], "offers": [o]}, "admin")
            r = dist.call("fair.match", {"fair": f}, "admin")
            assert r["pairs"] == 1, r
            m = dist.call("fair.matches", {"fair": f}, "admin")["items"][0]["id"]
            rows = _rows(d, "SELECT kind, otype, oid, fair, run, summary, communities,"
                         " orgs, streets, staff FROM events WHERE kind = 'match.proposed'"
                         " AND fair = ?", f)
            c1 = ok(d.call("community.get", {"code": "C1"}, token=d.admin))
            org1 = ok(d.call("org.get", {"code": ORG1}, token=d.admin))
            want = ("%s第 1 轮配对：%s「%s」与%s「%s」，请双方确认" % (
                fname, c1["community"]["name"], "跨社区适老化改造 %s" % fname,
                org1["org"]["name"], "适老化改造联合服务 %s" % fname))
            assert rows == [("match.proposed", "match", m, f, 1, want,
                             SEP + "C1" + SEP + "C3" + SEP,
                             SEP + ORG1 + SEP + ORG2 + SEP,
                             SEP + STREET_A + SEP, 0)], rows
            # Run 2 supersedes it: match.superseded, to the same audience.
            dist.call("fair.match", {"fair": f}, "admin")
            rows = _rows(d, "SELECT oid, fair, run, summary, communities, orgs,"
                         " streets FROM events WHERE kind = 'match.superseded'"
                         " AND fair = ?", f)
            assert rows == [(m, f, 1, "%s的配对「%s」与「%s」已作废：已改为发布第 2 轮"
                             "匹配结果" % (fname, "跨社区适老化改造 %s" % fname,
                                          "适老化改造联合服务 %s" % fname),
                             SEP + "C1" + SEP + "C3" + SEP,
                             SEP + ORG1 + SEP + ORG2 + SEP,
                             SEP + STREET_A + SEP)], rows


def test_publication_supersedes_each_live_match_keeping_its_status():
    """Run 2 of a fair of three pairs, one accepted by its community: the three live
    matches of run 1 are superseded, ids in order, each keeping the status it had
    (fair.publish of run 1 brings them back as they were)."""
    with Daemon() as d:
        dist = EventDistrict(d)
        needs = [dist.need(title="长者助餐服务 %d" % i) for i in range(3)]
        offers = [dist.offer(title="长者助餐配送 %d" % i) for i in range(3)]
        f = dist.call("fair.create", {"name": "莲花街道对接会", "date": DATE,
                                      "street": STREET_A})["fair"]["id"]
        dist.call("fair.enroll", {"fair": f, "needs": needs, "offers": offers})
        assert dist.call("fair.match", {"fair": f})["pairs"] == 3
        run1 = sorted(x["id"] for x in dist.call("fair.matches", {"fair": f})["items"])
        dist.call("match.respond", {"match": run1[1], "decision": "accept"},
                  "community_owner")
        r = dist.call("fair.match", {"fair": f})
        assert r["superseded"] == run1, r
        got = _rows(d, "SELECT id, status, prev_status FROM matches WHERE fair = ?"
                    " AND run = 1 ORDER BY id", f)
        assert got == [(run1[0], "superseded", "proposed"),
                       (run1[1], "superseded", "accepted_by_community"),
                       (run1[2], "superseded", "proposed")], got
        dist.call("fair.publish", {"fair": f, "run": 1})
        got = _rows(d, "SELECT id, status FROM matches WHERE fair = ? AND run = 1"
                    " ORDER BY id", f)
        assert got == [(run1[0], "proposed"), (run1[1], "accepted_by_community"),
                       (run1[2], "proposed")], got
