"""risk.flagged: the risk flags are read again every events.risk_check_minutes, and
each open flag never announced emits risk.flagged once, to the organizers of its
street and the admin only; not again after a restart or once resolved."""

import time

from harness import Daemon, ok
from events_lib import Watcher, EventDistrict

FAST = {"events.risk_check_minutes": "0.005"}      # every 0.3 s


def _risk(events):
    return [e for e in events if e["kind"] == "risk.flagged"]


def _plant_duplicates(dist):
    # Two needs of one community and year with one title: duplicate_need.
    return [dist.need(title="社区长者助餐服务"), dist.need(title="社区长者助餐服务")]


def _risk_requests(d):
    return sum(int(float(line.split()[-1])) for line in d.metrics().splitlines()
               if line.startswith('matchd_requests_total{op="risk.flags"'))


def _check(readers):
    conf = dict(FAST)
    if not readers:
        conf["limits.reader_threads"] = "0"
    with Daemon(conf_overrides=conf) as d:
        dist = EventDistrict(d)
        w = {r: Watcher(d, dist.tok[r]) for r in dist.ROLES}
        _plant_duplicates(dist)
        time.sleep(1.5)
        seen = {r: _risk(w[r].read(0.5)) for r in dist.ROLES}
        flags = ok(d.call("risk.flags", {}, token=d.admin))["items"]
        keys = [f["key"] for f in flags if f["kind"] == "duplicate_need"]
        assert len(keys) == 1, flags
        # The checks (every 0.3 s) are the daemon's own: the requests counted
        # are the one call above.
        assert _risk_requests(d) == 1
        # Staff of the street and of the district, and the admin: once each.
        for r in ("admin", "organizer_here", "organizer_district"):
            assert len(seen[r]) == 1, (r, seen[r])
            ev = seen[r][0]
            assert ev["object"]["type"] == "risk", ev
            assert "重复需求" in ev["summary"] and "C1" in ev["summary"], ev
        for r in ("organizer_there", "community_owner", "community_other",
                  "community_partner", "org_owner", "org_other"):
            assert seen[r] == [], (r, seen[r])


def test_risk_flagged_once_to_staff_with_readers():
    _check(readers=True)


def test_risk_flagged_once_to_staff_without_readers():
    _check(readers=False)


def test_risk_flagged_not_again_after_restart_or_resolution():
    with Daemon(conf_overrides=FAST) as d:
        dist = EventDistrict(d)
        _plant_duplicates(dist)
        w = Watcher(d, d.admin, after=0)
        time.sleep(1.5)
        first = _risk(w.read(0.5))
        assert len(first) == 1, first
        d.restart()
        w = Watcher(d, d.admin, after=0)
        time.sleep(1.5)
        again = _risk(w.read(0.5))
        # The same event replayed, and no new one.
        assert again == first, (first, again)
        key = [f["key"] for f in ok(d.call("risk.flags", {}, token=d.admin))["items"]
               if f["kind"] == "duplicate_need"][0]
        ok(d.call("risk.resolve", {"key": key, "note": "两位老人各一份"}, token=d.admin))
        # A third need of the same title: the cluster's key may stay or change;
        # either way a resolved key is never announced again.
        time.sleep(1.0)
        assert _risk(w.read(0.5)) == first


def test_risk_check_off():
    with Daemon(conf_overrides={"events.risk_check_minutes": "0"}) as d:
        dist = EventDistrict(d)
        w = Watcher(d, d.admin)
        _plant_duplicates(dist)
        time.sleep(1.0)
        assert _risk(w.read(0.5)) == []


def test_a_check_that_finds_nothing_new_keeps_the_index_of_offers():
    # A check with no new flag opens no transaction.  It used to "abort" one all
    # the same, which empties the caches as after a failed commit: the index of
    # open offers was read whole again after every check (0.5 s at a city's
    # 170,000 offers), the tokens' cache emptied.
    with Daemon(conf_overrides=dict(FAST, **{"log.level": "debug"})) as d:
        EventDistrict(d)
        time.sleep(2.0)
        log = open(d.log_path).read()
        assert log.count("risk_watch_done: 0 flags looked at") >= 3, d.log_tail()
        assert "index_run:" not in log, d.log_tail()
