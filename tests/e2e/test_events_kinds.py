"""Events of the second wave, one write at a time: match.superseded (by a confirmation,
an update, a withdrawal, a "no" interest and a new run published), fair.published,
project.stage at every transition, objection.lodged; and a refused write emits
nothing.  The group bots' text of fair.published."""

import time

from harness import Daemon, ok, err, STREET_A
from events_lib import Watcher, EventDistrict, DATE
from hook_sink import Sink

VOTE = {"date": "2026-01-10", "members": 15, "present": 12, "yes": 10, "no": 1,
        "abstain": 1}
NAY = dict(VOTE, yes=2, no=9)


class Log:
    """The admin's events, read a write at a time."""

    def __init__(self, d, dist):
        self.d, self.dist = d, dist
        self.w = Watcher(d, dist.tok["admin"])
        self.seen = 0

    def new(self):
        # Events are committed before the answer: they come at once.
        evs = self.w.read(0.3)
        out, self.seen = evs[self.seen:], len(evs)
        return out

    def kinds(self):
        return [(e["kind"], e["object"]["id"]) for e in self.new()]


def _fair(dist, needs, offers, name="莲花街道对接会", street=STREET_A, publish=True):
    f = dist.call("fair.create", {"name": name, "date": DATE, "street": street})["fair"]["id"]
    dist.call("fair.enroll", {"fair": f, "needs": needs, "offers": offers})
    r = dist.call("fair.match", {"fair": f, "publish": publish})
    return f, r


def _match(dist, f, need):
    return [m for m in dist.call("fair.matches", {"fair": f})["items"]
            if m["need"] == need][0]["id"]


def test_match_superseded_at_every_write_that_supersedes():
    with Daemon() as d:
        dist = EventDistrict(d)
        log = Log(d, dist)
        n1, n2 = dist.need(), dist.need(title="长者助餐二")
        o1, oa = dist.offer(capacity=1), dist.offer(title="助餐配送甲", capacity=1)
        f, _ = _fair(dist, [n1], [o1])
        f1, _ = _fair(dist, [n2], [o1], name="另一场对接会")
        f2, _ = _fair(dist, [n1], [oa], name="第二场对接会")
        m1, m2 = _match(dist, f, n1), _match(dist, f1, n2)
        m3 = _match(dist, f2, n1)
        log.new()
        # A confirmation supersedes the need's other matches and, the offer's
        # last place taken, the offer's.
        dist.call("match.respond", {"match": m1, "decision": "accept"}, "community_owner")
        dist.call("match.respond", {"match": m1, "decision": "accept"}, "org_owner")
        got = log.new()
        sup = {e["object"]["id"]: e for e in got if e["kind"] == "match.superseded"}
        assert set(sup) == {m2, m3}, got
        assert sup[m3]["object"] == {"type": "match", "id": m3, "fair": f2, "run": 1}
        assert "已作废" in sup[m3]["summary"] and "需求已与其他服务确认" in \
            sup[m3]["summary"], sup[m3]
        assert "服务项目名额已满" in sup[m2]["summary"], sup[m2]
        # A refused answer (m2 is final now) emits nothing.
        err(d.call("match.respond", {"match": m2, "decision": "accept"},
                   token=dist.tok["community_owner"]), "conflict")
        assert log.new() == []

        # need.update and need.withdraw, offer.update: each live match once.
        n3, n4 = dist.need(title="助餐三"), dist.need(title="助餐四")
        o2 = dist.offer(title="助餐配送二", capacity=3)
        f3, _ = _fair(dist, [n3, n4], [o2], name="第三场对接会")
        m4, m5 = _match(dist, f3, n3), _match(dist, f3, n4)
        log.new()
        dist.call("need.update", {"id": n3, "budget": 60000}, "community_owner")
        got = log.kinds()
        assert got == [("match.superseded", m4)], got
        # An update that changes nothing supersedes nothing, and says nothing.
        dist.call("need.update", {"id": n3, "budget": 60000}, "community_owner")
        assert log.new() == []
        dist.call("need.withdraw", {"id": n4}, "community_owner")
        got = log.new()
        assert [(e["kind"], e["object"]["id"]) for e in got] == \
            [("match.superseded", m5)] and "需求已撤回" in got[0]["summary"], got
        err(d.call("need.withdraw", {"id": n4}, token=dist.tok["community_owner"]),
            "conflict")
        assert log.new() == []

        # A "no" interest on a live match.
        n5 = dist.need(title="助餐五")
        f4, _ = _fair(dist, [n5], [o2], name="第四场对接会")
        m6 = _match(dist, f4, n5)
        log.new()
        dist.call("fair.interest", {"fair": f4, "offer": o2, "need": n5, "level": "no"},
                  "community_owner")
        got = log.new()
        assert [(e["kind"], e["object"]["id"]) for e in got] == \
            [("match.superseded", m6)] and "社区" in got[0]["summary"], got

        # A new run published supersedes the live matches of the run it replaces.
        n6 = dist.need(title="助餐六")
        f5, _ = _fair(dist, [n6], [o2], name="第五场对接会")
        m7 = _match(dist, f5, n6)
        log.new()
        dist.call("fair.match", {"fair": f5})
        got = log.new()
        sup = [e for e in got if e["kind"] == "match.superseded"]
        assert [e["object"] for e in sup] == \
            [{"type": "match", "id": m7, "fair": f5, "run": 1}], got
        assert "第 2 轮" in sup[0]["summary"], sup


def test_fair_published_when_a_run_is_published_and_only_then():
    with Daemon() as d:
        dist = EventDistrict(d)
        log = Log(d, dist)
        n1, o1 = dist.need(), dist.offer()
        # Not published: no fair.published, no proposals heard of.
        f, r = _fair(dist, [n1], [o1], name="对接会", publish=False)
        assert r["published"] is False
        assert [k for k, _ in log.kinds() if k.startswith(("fair.", "match."))] == []
        # A run the fair does not have: refused, nothing said.
        err(d.call("fair.publish", {"fair": f, "run": 5}, token=dist.tok["admin"]),
            "not_found")
        assert log.new() == []
        dist.call("fair.publish", {"fair": f, "run": 1})
        got = log.new()
        pub = [e for e in got if e["kind"] == "fair.published"]
        assert len(pub) == 1 and pub[0]["object"] == {"type": "fair", "id": f, "fair": f,
                                                       "run": 1}, got
        # The street's name, then the fair's (a street's fair not named for it);
        # the window is events.remind_after_hours (48: 2 days).
        assert pub[0]["summary"] == \
            "莲花街道对接会已发布匹配结果：1 对，请各社区和服务组织在 2 日内确认", pub
        kinds = [e["kind"] for e in got]
        assert kinds.index("fair.published") < kinds.index("match.proposed"), got
        # The published run published again changes nothing and says nothing.
        dist.call("fair.publish", {"fair": f, "run": 1})
        assert log.new() == []
        # A run all of whose pairs are confirmed says so.
        m = _match(dist, f, n1)
        dist.call("match.respond", {"match": m, "decision": "accept"}, "community_owner")
        dist.call("match.respond", {"match": m, "decision": "accept"}, "org_owner")
        log.new()
        dist.call("fair.match", {"fair": f})
        pub = [e for e in log.new() if e["kind"] == "fair.published"]
        assert pub[0]["summary"] == "莲花街道对接会已发布匹配结果：1 对，均已确认", pub


def test_fair_published_window_in_hours_and_without_reminders():
    for hours, said in (("36", "请各社区和服务组织在 36 小时内确认"),
                        ("0", "请各社区和服务组织尽快确认")):
        with Daemon(conf_overrides={"events.remind_after_hours": hours}) as d:
            dist = EventDistrict(d)
            log = Log(d, dist)
            _fair(dist, [dist.need()], [dist.offer()], name="莲花街道春季对接会")
            pub = [e for e in log.new() if e["kind"] == "fair.published"]
            assert pub[0]["summary"] == "莲花街道春季对接会已发布匹配结果：1 对，" + said, pub


def test_project_stage_at_every_transition():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        dist = EventDistrict(d)
        log = Log(d, dist)
        n1, o1 = dist.need(), dist.offer()
        p = dist.call("project.create", {"need": n1, "offer": o1})["project"]["id"]

        def stage(expect, said):
            got = [e for e in log.new() if e["kind"] == "project.stage"]
            assert len(got) == 1 and got[0]["object"] == {"type": "project", "id": p}, got
            assert said in got[0]["summary"] and "长者助餐服务" in got[0]["summary"], got
            assert dist.call("project.get", {"id": p})["project"]["stage"] == expect

        stage("deliberation", "已立项")
        # A vote by a community that does not pay: refused, nothing said.
        err(d.call("project.deliberate", dict(VOTE, project=p),
                   token=dist.tok["community_other"]), "forbidden")
        assert log.new() == []
        done = {"beneficiaries_served": 10, "note": "完工"}
        for op, args, who, expect, said in (
                ("project.deliberate", VOTE, "community_owner", "notice", "进入公示"),
                ("project.start", {"date": "2026-01-20"}, "org_owner", "implementing",
                 "开始实施"),
                ("project.complete", done, "org_owner", "completed", "已完工"),
                ("project.accept", {"passed": False, "satisfaction": 30, "note": "不合格"},
                 "community_owner", "implementing", "验收未通过"),
                ("project.complete", done, "org_owner", "completed", "已完工"),
                ("project.accept", {"passed": True, "satisfaction": 90, "note": "满意"},
                 "community_owner", "accepted", "已通过验收")):
            dist.call(op, dict(args, project=p), who)
            stage(expect, said)
        err(d.call("project.settle", {"project": p, "paid": 999999},
                   token=dist.tok["admin"]), "invalid_argument")
        assert log.new() == []
        dist.call("project.settle", {"project": p, "paid": 30000})
        stage("settled", "已结算，支付 30000 元")

        # Rejected by the council, then cancelled.
        n2, o2 = dist.need(title="长者助餐服务二"), dist.offer(title="配送二")
        q = dist.call("project.create", {"need": n2, "offer": o2})["project"]["id"]
        p = q
        stage("deliberation", "已立项")
        dist.call("project.deliberate", dict(NAY, project=q), "community_owner")
        stage("rejected", "未获居民议事会表决通过")
        n3, o3 = dist.need(title="长者助餐服务三"), dist.offer(title="配送三")
        p = dist.call("project.create", {"need": n3, "offer": o3})["project"]["id"]
        stage("deliberation", "已立项")
        dist.call("project.cancel", {"project": p, "reason": "需求变更"})
        stage("cancelled", "已取消")


def test_objection_lodged():
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        dist = EventDistrict(d)
        log = Log(d, dist)
        p = dist.call("project.create", {"need": dist.need(),
                                         "offer": dist.offer()})["project"]["id"]
        log.new()
        # Not on notice yet: refused, nothing said.
        err(d.call("project.object", {"project": p, "text": "x"},
                   token=dist.tok["community_other"]), "conflict")
        assert log.new() == []
        dist.call("project.deliberate", dict(VOTE, project=p), "community_owner")
        log.new()
        o = dist.call("project.object", {"project": p, "text": "选址不合理，张三家门口"},
                      "community_other")["objection"]["id"]
        got = log.new()
        assert [(e["kind"], e["object"]) for e in got] == \
            [("objection.lodged", {"type": "objection", "id": o})], got
        # It names the project, not what the objection says (it may name people).
        assert "长者助餐服务" in got[0]["summary"] and "张三" not in got[0]["summary"], got


def test_fair_published_as_group_bots_read_it():
    """WeCom and DingTalk get the summary as the text of the message, and the id."""
    sink = Sink()
    sink.reply = b'{"errcode":0,"errmsg":"ok"}'
    with Daemon(conf_overrides={"events.allow_private_hooks": "true",
                                "events.remind_after_hours": "72"}) as d:
        dist = EventDistrict(d)
        ok(d.call("webhook.create", {"url": sink.url, "format": "wecom",
                                     "kinds": ["fair.published"]}, token=d.admin))
        log = Log(d, dist)
        _fair(dist, [dist.need()], [dist.offer()], name="对接会")
        ev = [e for e in log.new() if e["kind"] == "fair.published"][0]
        sink.wait_for([ev["id"]], 10)
        time.sleep(0.3)
        assert len(sink.received) == 1, sink.received
        msg = sink.received[0][1]
        assert msg == {"msgtype": "text", "text": {"content":
                       "莲花街道对接会已发布匹配结果：1 对，请各社区和服务组织在 3 日内确认"
                       "（事件 #%d）" % ev["id"]}}, msg
    sink.stop()


def test_posted_summaries_say_who_what_and_how_much():
    """need.posted and offer.posted: the poster's name, the title, the amount in
    yuan as people write it (no trailing zeros, no ".00")."""
    with Daemon() as d:
        dist = EventDistrict(d)
        log = Log(d, dist)
        for budget, said in ((50000, "50000"), (1234.5, "1234.5"), (0.05, "0.05"),
                             (1500.25, "1500.25"), (7.1, "7.1"), (0.5, "0.5")):
            n = dist.need(budget=budget, title="长者助餐服务")
            got = [e for e in log.new() if e["kind"] == "need.posted"]
            assert len(got) == 1 and got[0]["object"]["id"] == n, got
            assert got[0]["summary"] == "C1社区发布需求「长者助餐服务」，预算 %s 元" % said, got
        o = dist.offer(price=30000.5, title="长者助餐配送")
        got = [e for e in log.new() if e["kind"] == "offer.posted"]
        assert len(got) == 1 and got[0]["object"]["id"] == o, got
        assert got[0]["summary"].endswith("发布服务项目「长者助餐配送」，报价 30000.5 元"), got
        assert got[0]["summary"].startswith("社会组织"), got
