"""Events: which roles see which kind (a matrix like the authorization one), replay by
id across restarts and kill -9, the watch's own rules, slow watchers, Server-Sent
Events, JSON pages and reminders."""

import json
import time

from harness import Daemon, ok, err, STREET_A, STREET_B
from events_lib import Watcher, EventDistrict, sse_read, ORG1, ORG2, DATE

VOTE = {"date": "2026-01-10", "members": 15, "present": 12, "yes": 10, "no": 1,
        "abstain": 1}
ALL = set(EventDistrict.ROLES)
STAFF = {"admin", "organizer_district"}
HERE = STAFF | {"organizer_here"}
PAIR = HERE | {"community_owner", "org_owner"}


def _watch_all(d, dist):
    return {r: Watcher(d, dist.tok[r]) for r in EventDistrict.ROLES}


def test_visibility_matrix():
    """Every kind of event that exists today reaches exactly the roles that may see it
    (docs/protocol.md, "Events": own objects, an organizer's street, the admin all)."""
    with Daemon(conf_overrides={"events.remind_after_hours": "0.0004"}) as d:
        dist = EventDistrict(d)
        w = _watch_all(d, dist)
        made = []       # (label, kind, object id, expected roles)
        n1 = dist.need()
        made.append(("need.posted by C1", "need.posted", n1, PAIR - {"org_owner"}))
        n2 = dist.need(partners=["C3"], title="跨社区适老化改造", category="engineering.accessibility")
        made.append(("need.posted by C1 with partner C3", "need.posted", n2,
                     PAIR - {"org_owner"} | {"community_partner"}))
        o1 = dist.offer()
        made.append(("offer.posted by ORG1 (street A)", "offer.posted", o1,
                     HERE | {"org_owner"}))
        o2 = dist.offer("org_other", title="全区法律咨询", category="service.legal")
        made.append(("offer.posted by ORG2 (every street)", "offer.posted", o2,
                     STAFF | {"organizer_here", "organizer_there", "org_other"}))
        f, m = dist.fair(n1, o1)
        made.append(("match.proposed", "match.proposed", m, PAIR))
        made.append(("fair.published (street A)", "fair.published", f, PAIR))
        # The reminder comes once the match has waited 1.44 s unanswered.
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            if any(e["kind"] == "match.reminder" for e in w["admin"].read(0.3)):
                break
        made.append(("match.reminder", "match.reminder", m, PAIR))
        dist.call("match.respond", {"match": m, "decision": "accept"}, "community_owner")
        made.append(("match.answered", "match.answered", m, PAIR))
        dist.call("match.respond", {"match": m, "decision": "accept"}, "org_owner")
        made.append(("match.confirmed", "match.confirmed", m, PAIR))
        dist.call("fair.schedule", {"fair": f})
        made.append(("fair.scheduled", "fair.scheduled", f, PAIR))
        # The confirmed pair is a project: C1's council votes, and C2 objects
        # during the notice (its objection goes to the project's audience).
        p = dist.call("project.list", {})["items"][0]["id"]
        made.append(("project.stage (deliberation)", "project.stage", p, PAIR))
        dist.call("project.deliberate", dict(VOTE, project=p), "community_owner")
        assert dist.call("project.get", {"id": p})["project"]["stage"] == "notice"
        obj = dist.call("project.object", {"project": p, "text": "选址不合理"},
                        "community_other")["objection"]["id"]
        made.append(("objection.lodged by C2", "objection.lodged", obj, PAIR))
        # C1's need shared with C3 meets ORG2's district-wide offer at a fair of
        # street A; the need changes, and their proposal is superseded.
        o3 = dist.offer("org_other", title="无障碍坡道施工",
                        category="engineering.accessibility")
        dist.call("need.consent", {"need": n2, "decision": "agree"}, "community_partner")
        f2, m2 = dist.fair(n2, o3)
        shared = PAIR - {"org_owner"} | {"community_partner", "org_other"}
        made.append(("match.proposed (shared need)", "match.proposed", m2, shared))
        made.append(("fair.published (shared need)", "fair.published", f2, shared))
        dist.call("need.update", {"id": n2, "budget": 60000}, "community_owner")
        made.append(("match.superseded by need.update", "match.superseded", m2, shared))
        last = ok(d.call("events.watch", {}, token=dist.tok["admin"]))["last"]
        got = {r: {(e["kind"], e["object"]["id"]) for e in w[r].read(0.3, until=last)}
               for r in EventDistrict.ROLES}
        wrong = []
        for label, kind, oid, roles in made:
            for r in EventDistrict.ROLES:
                if ((kind, oid) in got[r]) != (r in roles):
                    wrong.append("%s: %s %s" % (label, r, "missed it" if r in roles
                                                else "saw it"))
        assert not wrong, "\n  ".join(wrong)
        kinds = [e["kind"] for e in w["admin"].events]
        assert kinds.count("match.reminder") == 1, kinds
        # Each event line is {"event": {id, time, kind, object, summary}}.
        for e in w["admin"].events:
            assert set(e) == {"id", "time", "kind", "object", "summary"}, e
            assert e["object"]["type"] in ("need", "offer", "match", "fair", "project",
                                           "objection"), e
            assert e["summary"] and "\n" not in e["summary"], e
        ids = [e["id"] for e in w["admin"].events]
        assert ids == sorted(set(ids)), ids
        mp = [e for e in w["admin"].events if e["kind"] == "match.proposed"][0]
        assert mp["object"] == {"type": "match", "id": m, "fair": f, "run": 1}, mp
        assert "莲花街道对接会" in mp["summary"] and "长者助餐服务" in mp["summary"], mp
        fp = [e for e in w["admin"].events if e["kind"] == "fair.published"][0]
        assert fp["object"] == {"type": "fair", "id": f, "fair": f, "run": 1}, fp
        ms = [e for e in w["admin"].events if e["kind"] == "match.superseded"][0]
        assert ms["object"] == {"type": "match", "id": m2, "fair": f2, "run": 1}, ms


def test_replay_after_restart_is_the_same():
    """The log is the database: replay after a clean restart and after kill -9 gives
    the same ids and bodies, and every acknowledged write has its event."""
    with Daemon() as d:
        dist = EventDistrict(d)
        for i in range(20):
            dist.need(title="需求%d" % i)
        before = d.list_all("events.watch", None) if False else None
        w = Watcher(d, dist.tok["admin"], after=0)
        first = w.read(0.3, until=w.last)
        assert len(first) == 20, first
        d.restart()
        w2 = Watcher(d, dist.tok["admin"], after=0)
        assert w2.read(0.3, until=w2.last) == first
        acked = [dist.need(title="再一个%d" % i) for i in range(5)]
        d.kill9()
        d.start()
        w3 = Watcher(d, dist.tok["admin"], after=0)
        again = w3.read(0.3, until=w3.last)
        assert again[:20] == first, "the replay changed after kill -9"
        assert [e["object"]["id"] for e in again[20:]] == acked
        # Ids never go back: a new event after the restart is above them all.
        n = dist.need(title="之后")
        w4 = Watcher(d, dist.tok["admin"], after=again[-1]["id"])
        nxt = w4.read(0.3, until=w4.last)
        assert [e["object"]["id"] for e in nxt] == [n] and nxt[0]["id"] > again[-1]["id"]


def test_watch_rules():
    """last; without after only live events; replayed ids <= last < live ids; kinds;
    a watching connection refuses requests; POST /v1/op/events.watch is 400; bad
    arguments are refused before watching begins."""
    with Daemon() as d:
        dist = EventDistrict(d)
        dist.need(title="早先")
        live = Watcher(d, dist.tok["admin"])
        replay = Watcher(d, dist.tok["admin"], after=0)
        only_offers = Watcher(d, dist.tok["admin"], after=0, kinds=["offer.posted"])
        assert live.last == replay.last >= 1
        dist.need(title="之后")
        o = dist.offer()
        ev = live.read(0.3, until=live.last + 2)
        assert all(e["id"] > live.last for e in ev) and len(ev) == 2, ev
        ev = replay.read(0.3, until=live.last + 2)
        assert [e["id"] <= replay.last for e in ev] == [True, False, False], ev
        assert [(e["kind"], e["object"]["id"]) for e in only_offers.read(0.3)] == \
            [("offer.posted", o)]
        # A watching connection takes no requests.
        live.c.send({"op": "whoami", "token": dist.tok["admin"], "id": 7})
        r = live.c.read_json()
        e = err(r, "bad_request")
        assert r["id"] == 7 and "watch" in e["message"], r
        status, body = d.http_op("events.watch", {}, token=dist.tok["admin"])
        assert status == 400 and "/v1/events" in body["error"]["message"], (status, body)
        err(d.call("events.watch", {"kinds": ["need.nothing"]}, token=dist.tok["admin"]),
            "invalid_argument", "kinds")
        err(d.call("events.watch", {"after": -1}, token=dist.tok["admin"]),
            "invalid_argument", "after")
        err(d.call("events.watch", {}), "unauthenticated")
        # Each kind of the contract is accepted, including those not emitted yet.
        kinds = ["need.posted", "offer.posted", "match.proposed", "match.answered",
                 "match.confirmed", "match.superseded", "match.reminder", "fair.published",
                 "fair.scheduled", "project.stage", "objection.lodged", "risk.flagged"]
        ok(Watcher(d, dist.tok["admin"], kinds=kinds).answer)


def test_slow_watcher_is_dropped_and_resumes():
    """A watcher that does not read is closed once its output passes max_output_bytes,
    with a last unavailable line naming `after`; watching again from there misses
    nothing."""
    with Daemon(conf_overrides={"limits.max_output_bytes": "65536"}) as d:
        dist = EventDistrict(d)
        slow = Watcher(d, dist.tok["admin"], rcvbuf=4096)
        title = "长" * 190
        reqs = [{"op": "need.post", "token": dist.tok["community_owner"],
                 "args": {"title": title, "category": "service.elderly", "budget": 100}}
                for _ in range(1000)]
        # Past what the kernel buffers hold (a few MiB) and the 64 KiB limit.
        for _ in range(10):
            for r in d.pipeline(reqs):
                ok(r)
        lines = []
        while True:
            try:
                lines.append(slow.c.read_json(timeout=5))
            except Exception:
                break
        last = lines[-1]
        assert last.get("ok") is False and last["error"]["code"] == "unavailable", last
        after = last["error"]["after"]
        got = [l["event"]["id"] for l in lines[:-1]]
        assert got and got[-1] == after, (got[-3:], after)
        w = Watcher(d, dist.tok["admin"], after=after)
        rest = [e["id"] for e in w.read(0.5, until=w.last)]
        everything = [e["id"] for e in Watcher(d, dist.tok["admin"], after=0).read(0.5)]
        want = everything[everything.index(got[0]):]
        assert got + rest == want, "a gap or a repeat: got %d+%d %r..%r / %r..%r, want %d %r..%r" % (len(got), len(rest), got[:2], got[-2:], rest[:2], rest[-2:], len(want), want[:2], want[-2:])


def test_server_sent_events_and_pages():
    """GET /v1/events: SSE frames with id/event/data, the token in the query,
    Last-Event-ID; without the event-stream Accept a JSON page; same visibility."""
    with Daemon() as d:
        dist = EventDistrict(d)
        n1 = dist.need(title="第一")
        dist.offer()
        n2 = dist.need(title="第二")
        tok = dist.tok["community_owner"]
        status, headers, frames, _ = sse_read(
            d.http_port, "/v1/events?after=0&access_token=" + tok)
        assert status == "HTTP/1.1 200 OK", status
        assert any(h.lower().startswith("content-type: text/event-stream") for h in headers)
        # The community sees its two needs, not the organisation's offer.
        assert [(f["event"], f["data"]["object"]["id"]) for f in frames] == \
            [("need.posted", n1), ("need.posted", n2)], frames
        assert all(int(f["id"]) == f["data"]["id"] for f in frames)
        _, _, frames2, _ = sse_read(d.http_port, "/v1/events?after=0",
                                    {"Authorization": "Bearer " + tok,
                                     "Last-Event-ID": frames[0]["id"]})
        assert [f["data"]["object"]["id"] for f in frames2] == [n2], frames2
        # A page of JSON.
        with d.http_client() as h:
            st, _, body = h.request("GET", "/v1/events?after=0&limit=1",
                                    headers={"Authorization": "Bearer " + tok})
            page = json.loads(body)
            assert st == 200 and len(page["items"]) == 1 and page["next"], page
            st, _, body = h.request("GET", "/v1/events?after=%d" % page["next"],
                                    headers={"Authorization": "Bearer " + tok})
            page2 = json.loads(body)
            assert [e["object"]["id"] for e in page2["items"]] == [n2], page2
            assert page2["next"] is None
            st, _, body = h.request("GET", "/v1/events")
            assert st == 401, (st, body)
            st, _, body = h.request("GET", "/v1/events?kinds=nope",
                                    headers={"Authorization": "Bearer " + tok})
            assert st == 400 and json.loads(body)["error"]["field"] == "kinds"
        # Live: an SSE stream that began before the write gets it.
        import threading
        box = {}
        t = threading.Thread(target=lambda: box.update(r=sse_read(
            d.http_port, "/v1/events?access_token=" + tok, seconds=2.0)))
        t.start()
        time.sleep(0.7)
        n3 = dist.need(title="第三")
        t.join()
        assert [f["data"]["object"]["id"] for f in box["r"][2]] == [n3], box["r"]


def test_matchctl_watch():
    """`matchctl watch [kinds...]` prints one line per event, and across a restart of
    the daemon it watches again after the last one it printed: none missed, none
    twice."""
    import subprocess
    from harness import MATCHCTL
    with Daemon() as d:
        dist = EventDistrict(d)
        p = subprocess.Popen([str(MATCHCTL), "-H", "127.0.0.1:%d" % d.port, "-t",
                              dist.tok["admin"], "watch", "need.posted"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            time.sleep(0.4)
            n1 = dist.need(title="第一条")
            dist.offer()
            time.sleep(0.3)
            d.restart()
            n2 = dist.need(title="重启之后")
            time.sleep(1.8)
        finally:
            p.terminate()
            out, errout = p.communicate(timeout=5)
        lines = out.decode().splitlines()
        assert len(lines) == 2, (lines, errout.decode())
        assert lines[0].startswith("#1 ") and " need.posted " in lines[0] and \
            "第一条" in lines[0], lines
        assert " need.posted " in lines[1] and "重启之后" in lines[1], lines
        del n1, n2


def test_reminders_only_for_live_matches_of_the_published_run():
    """match.reminder goes only to matches the parties can still answer: not to an
    unpublished run's, nor to one superseded by a change of its need."""
    with Daemon(conf_overrides={"events.remind_after_hours": "0.0004"}) as d:
        dist = EventDistrict(d)
        admin = Watcher(d, dist.tok["admin"])
        n1, o1 = dist.need(), dist.offer()
        f = dist.call("fair.create", {"name": "莲花街道对接会", "date": DATE,
                                      "street": STREET_A})["fair"]["id"]
        dist.call("fair.enroll", {"fair": f, "needs": [n1], "offers": [o1]})
        assert dist.call("fair.match", {"fair": f, "publish": False})["pairs"] == 1
        time.sleep(3)           # twice the 1.44 s a reminder waits
        assert not [e for e in admin.read(0.5) if e["kind"] == "match.reminder"], \
            "a reminder for a run nobody can see"
        dist.call("fair.publish", {"fair": f, "run": 1})
        dist.call("need.update", {"id": n1, "budget": 60000}, "community_owner")
        m = dist.call("fair.matches", {"fair": f})["items"][0]
        assert m["status"] == "superseded", m
        time.sleep(3)
        assert not [e for e in admin.read(0.5) if e["kind"] == "match.reminder"], \
            "a reminder for a superseded match"
