"""A fair run written in slices (issue 15): fair.match's write as steps over
loop turns, inside one transaction committed once; fair.enroll all's ids the
same way.  What it stores is what the
write at once stores; a ping is answered while it writes, every other request
waits in its connection's input until it commits; a kill -9 in the middle
leaves none of it, and a slice that fails rolls all of it back.

MATCHD_TEST_RUN_SLICE=N makes a slice N rows (0: the write at once), and
MATCHD_TEST_RUN_STEP_DELAY_MS / MATCHD_TEST_RUN_FAIL_SLICE slow the slices or
make one fail (core/jobs.c)."""

import re
import socket
import sqlite3
import time

from harness import Daemon, Native, ok, err, http_op
from test_readers import City

# Columns two daemons fill apart: times, and the hashes of random tokens.
TIMES = {"time", "created", "updated", "token_hash"}


def _tables(db):
    """Every row of every table, less the columns that hold a time."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
    try:
        out = {}
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                   " AND name NOT LIKE 'sqlite_%' ORDER BY name"):
            cols = [r[1] for r in con.execute('PRAGMA table_info("%s")' % name)
                    if r[1] not in TIMES]
            out[name] = con.execute('SELECT %s FROM "%s" ORDER BY %s' % (
                ", ".join('"%s"' % c for c in cols), name,
                ", ".join(str(i + 1) for i in range(len(cols))))).fetchall()
        return out
    finally:
        con.close()


def _rows(db, sql, *args):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def _slices(d, op="fair.match"):
    """The slices of each write of op (a run's, by default), as job_finish logged
    them."""
    with open(d.log_path, encoding="utf-8", errors="replace") as f:
        return [int(n) for n in re.findall(re.escape(op) + r" wrote its result .*?(\d+) slices",
                                           f.read())]


def _district(d, needs=120, offers=12):
    city = City(d)
    city.post_needs(needs)
    city.post_offers(offers)
    return city, city.fair()


def _story(d):
    """Runs 1 and 2 (which supersedes 1), run 1 published again, run 3."""
    _, fid = _district(d)
    out = []
    for step in ("match", "match", "publish", "match"):
        if step == "publish":
            r = ok(d.call("fair.publish", {"fair": fid, "run": 1}, token=d.admin))
        else:
            r = ok(d.call("fair.match", {"fair": fid}, token=d.admin))
        out.append(r)
    return fid, out


def test_a_sliced_run_stores_what_a_whole_run_stores():
    """The same district and runs, written at once and in slices of 3 rows: every
    table (matches, unmatched lists, events, the audit trail ...) is the same, times
    aside, and so are the answers."""
    got = []
    for rows in ("0", "3"):
        with Daemon(conf_overrides={"log.level": "debug"},
                    env={"MATCHD_TEST_RUN_SLICE": rows}) as d:
            fid, answers = _story(d)
            slices = _slices(d)
            assert len(slices) == 3, slices
            if rows == "0":
                assert slices == [1, 1, 1], slices
            else:
                assert min(slices) > 20, slices
            assert ok(d.call("fair.get", {"id": fid}, token=d.admin))["fair"][
                "published_run"] == 3
            assert answers[1]["superseded"], answers[1]
            got.append((_tables(d.db), [{k: v for k, v in a.items() if k != "fair"}
                                        for a in answers]))
    (a, ans_a), (b, ans_b) = got
    assert len(a["matches"]) > 20 and len(a["run_unmatched"]) > 100, \
        (len(a["matches"]), len(a["run_unmatched"]))
    assert sorted(a) == sorted(b)
    for name in a:
        diff = [(x, y) for x, y in zip(a[name], b[name]) if x != y]
        assert len(a[name]) == len(b[name]) and not diff, (name, diff[:2])
    assert ans_a == ans_b


def _start_run(d, fid):
    """fair.match sent on a connection of its own; its compute is short, and its
    write then takes seconds (slow slices): half a second on, it is writing."""
    c = Native(d.port)
    d._clients.append(c)
    c.send({"op": "fair.match", "args": {"fair": fid}, "token": d.admin, "id": "run"})
    time.sleep(0.5)
    return c


def _log_has(d, text):
    with open(d.log_path, encoding="utf-8", errors="replace") as f:
        return text in f.read()


def _ping_ms(d):
    t = time.monotonic()
    with Native(d.port) as p:
        ok(p.call("ping"))
    return (time.monotonic() - t) * 1000


def _answered(c, timeout):
    try:
        return c.read_json(timeout=timeout)
    except (OSError, TimeoutError):
        return None


def test_a_ping_is_answered_while_a_run_writes_and_a_post_after_it():
    """While a run's write is in slices (30 ms each, seconds in all): pings on other
    connections are answered at once; a need.post and a need.get on others wait in
    their connection's input and are answered once the run is committed, and the post
    is stored, after the run."""
    with Daemon(conf_overrides={"log.level": "debug"},
                env={"MATCHD_TEST_RUN_SLICE": "2",
                     "MATCHD_TEST_RUN_STEP_DELAY_MS": "30"}) as d:
        city, fid = _district(d, needs=200, offers=20)
        tok = city.comm["RC00"]
        run = _start_run(d, fid)
        assert _answered(run, 0.05) is None, "the run was answered before its slices"
        times = [_ping_ms(d) for _ in range(10)]
        assert max(times) < 500, times
        post = Native(d.port)
        d._clients.append(post)
        post.send({"op": "need.post", "args": {"title": "写入期间的需求",
                                               "category": "service.elderly",
                                               "budget": 100}, "token": tok, "id": 1})
        post.send({"op": "need.get", "args": {"id": 1}, "token": tok, "id": 2})
        # The same over HTTP: a ping answered, a whoami held.
        status, body = http_op(d.http_port, "ping")
        assert status == 200 and body["ok"], body
        h = socket.create_connection(("127.0.0.1", d.http_port), timeout=10)
        h.sendall(b"POST /v1/op/whoami HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                  b"Authorization: Bearer " + tok.encode() + b"\r\n\r\n")
        h.settimeout(0.3)
        try:
            early = h.recv(100)
        except (socket.timeout, TimeoutError):
            early = None
        assert early is None, early
        # Not answered while the run writes.
        assert _answered(post, 0.3) is None
        assert _answered(run, 0.01) is None, "the run ended too soon to test anything"
        r = _answered(run, 30)
        assert r is not None and r.get("id") == "run", r
        res = ok(r)
        assert res["pairs"] > 10, res
        p = post.read_json(timeout=10)
        g = post.read_json(timeout=10)
        assert p["id"] == 1 and g["id"] == 2, (p, g)
        need = ok(p)["need"]
        ok(g)
        h.settimeout(10)
        assert h.recv(100).startswith(b"HTTP/1.1 200"), "whoami over HTTP"
        h.close()
        assert _slices(d) and _slices(d)[0] > 50, _slices(d)
        # Stored, after the run: its audit row follows the run's.
        rows = _rows(d.db, "SELECT op FROM audit WHERE op IN ('fair.match', 'need.post')"
                     " ORDER BY id")
        assert rows[-2:] == [("fair.match",), ("need.post",)], rows[-3:]
        got = ok(d.call("need.get", {"id": need["id"]}, token=tok))["need"]
        assert got["title"] == "写入期间的需求", got
        assert len(_rows(d.db, "SELECT id FROM matches WHERE fair = ?", fid)) == res["pairs"]


def _batches_over(d, n):
    """How many commits so far shared one among more than n requests (n a bound of
    matchd_commit_batch_size)."""
    text = d.metrics()
    count = le = None
    for line in text.splitlines():
        if line.startswith("matchd_commit_batch_size_count "):
            count = int(float(line.split()[1]))
        if line.startswith('matchd_commit_batch_size_bucket{le="%d"} ' % n):
            le = int(float(line.split()[1]))
    assert count is not None and le is not None, text[-800:]
    return count - le


def test_the_requests_a_run_held_do_not_all_run_in_one_turn():
    """250 connections each send a need.post while a run writes: they wait for its
    commit, then run a turn's time slice of them a turn (limits.turn_slice_ms, here
    1 ms: 129 posts take more than that on the loop), and at least one, until all
    have run.  Before, all 250 ran in the turn after the run's COMMIT, however long
    (a ping waited for both); and later, those the first turn's slice put off all ran
    in the next (a commit of more than 128 whenever the first turn ran few)."""
    n = 250
    with Daemon(conf_overrides={"limits.turn_slice_ms": "1",
                                "limits.max_clients_per_address": "1024"},
                env={"MATCHD_TEST_RUN_SLICE": "2",
                     "MATCHD_TEST_RUN_STEP_DELAY_MS": "30"}) as d:
        city, fid = _district(d, needs=200, offers=20)
        tok = city.comm["RC00"]
        assert _batches_over(d, 128) == 0
        run = _start_run(d, fid)
        posts = []
        for i in range(n):
            c = Native(d.port)
            d._clients.append(c)
            c.send({"op": "need.post", "args": {"title": "等待运行 %d" % i,
                                                   "category": "service.elderly",
                                                   "budget": 1}, "token": tok, "id": i})
            posts.append(c)
        assert _answered(posts[0], 0.2) is None, "a post ran while the run wrote"
        assert _answered(run, 0.01) is None, "the run ended before all posts were held"
        r = _answered(run, 60)
        assert r is not None and r.get("id") == "run", r
        ok(r)
        for i, c in enumerate(posts):
            a = c.read_json(timeout=30)
            assert a["id"] == i, a
            ok(a)
        assert _batches_over(d, 128) == 0, \
            "more than 128 of the %d held posts shared a commit" % n
        assert len(_rows(d.db, "SELECT id FROM needs WHERE title LIKE '等待运行 %'")) == n


def _absent(d, fid):
    """Nothing of a run of fair fid is stored."""
    for sql in ("SELECT count(*) FROM runs WHERE fair = ?",
                "SELECT count(*) FROM matches WHERE fair = ?",
                "SELECT count(*) FROM run_unmatched WHERE fair = ?",
                "SELECT count(*) FROM events WHERE fair = ?"):
        assert _rows(d.db, sql, fid) == [(0,)], sql


def _run_again(d, fid):
    """The run made again is stored whole."""
    res = ok(d.call("fair.match", {"fair": fid}, token=d.admin))
    assert res["run"] == 1 and res["pairs"] > 10, res
    assert len(_rows(d.db, "SELECT id FROM matches WHERE fair = ?", fid)) == res["pairs"]


def test_kill9_in_the_middle_of_a_sliced_run_leaves_none_of_it():
    """kill -9 while a run's write is in slices: after the restart the run is wholly
    absent (no run row, no pairs, no unmatched ids, no events, no audit row), the
    database is sound, and the run made again is stored whole."""
    with Daemon(env={"MATCHD_TEST_RUN_SLICE": "2",
                     "MATCHD_TEST_RUN_STEP_DELAY_MS": "30"}) as d:
        city, fid = _district(d, needs=200, offers=20)
        events_before = _rows(d.db, "SELECT count(*) FROM events")[0][0]
        run = _start_run(d, fid)
        assert _answered(run, 0.3) is None
        d.kill9()
        d.env = {"MATCHD_TEST_RUN_SLICE": "0"}
        d.start()
        _absent(d, fid)
        assert _rows(d.db, "SELECT count(*) FROM events")[0][0] == events_before
        assert _rows(d.db, "SELECT count(*) FROM audit WHERE op = 'fair.match'") == [(0,)]
        assert _rows(d.db, "PRAGMA integrity_check") == [("ok",)]
        _run_again(d, fid)
        d.post_need(city.comm["RC00"], title="重启之后")


def test_a_failed_slice_rolls_the_whole_run_back():
    """The 60th slice of a run's write fails (MATCHD_TEST_RUN_FAIL_SLICE): the run
    is answered unavailable and nothing of it stays, though 59 slices had been
    written (and their savepoints released); a post sent meanwhile is stored after
    it, and the same run made again is stored whole."""
    with Daemon(env={"MATCHD_TEST_RUN_SLICE": "2", "MATCHD_TEST_RUN_STEP_DELAY_MS": "20",
                     "MATCHD_TEST_RUN_FAIL_SLICE": "60"}) as d:
        city, fid = _district(d, needs=200, offers=20)
        tok = city.comm["RC00"]
        run = _start_run(d, fid)
        post = Native(d.port)
        d._clients.append(post)
        post.send({"op": "need.post", "args": {"title": "失败期间的需求",
                                               "category": "service.elderly",
                                               "budget": 100}, "token": tok, "id": 1})
        assert _answered(post, 0.2) is None, "the post was not held by the run"
        r = _answered(run, 30)
        assert r is not None, "the run was not answered"
        err(r, "unavailable")
        need = ok(post.read_json(timeout=10))["need"]
        _absent(d, fid)
        assert _rows(d.db, "SELECT outcome FROM audit WHERE op = 'fair.match'") == \
            [("unavailable",)]
        assert ok(d.call("need.get", {"id": need["id"]}, token=tok))["need"][
            "title"] == "失败期间的需求"
        d.stop()
        # Again, no slice failing: the whole run.
        d.env = {"MATCHD_TEST_RUN_SLICE": "2"}
        d.start()
        _run_again(d, fid)


def _enroll_all(d, fid, named):
    """fair.enroll all (and one need named) of fair fid: the answer."""
    return ok(d.call("fair.enroll", {"fair": fid, "all": True, "needs": [named]},
                     token=d.admin))


def _enrolled(d, fid):
    return (_rows(d.db, "SELECT need FROM fair_needs WHERE fair = ? ORDER BY need", fid),
            _rows(d.db, "SELECT offer FROM fair_offers WHERE fair = ? ORDER BY offer", fid))


def test_enroll_all_in_slices_enrolls_what_at_once_does():
    """fair.enroll all of 200 needs and 20 offers, one need also named: written at
    once and in slices of 24 ids (MATCHD_TEST_RUN_SLICE=3), the same needs and
    offers are enrolled, each once, and the answers count the same."""
    got = []
    for rows in ("0", "3"):
        with Daemon(conf_overrides={"log.level": "debug"},
                    env={"MATCHD_TEST_RUN_SLICE": rows}) as d:
            city = City(d)
            needs = city.post_needs(200)
            city.post_offers(20)
            fid = ok(d.call("fair.create", {"name": "分片报名", "date": "2026-12-20"},
                            token=d.admin))["fair"]["id"]
            res = _enroll_all(d, fid, needs[7])
            slices = _slices(d, "fair.enroll")
            assert slices == ([1] if rows == "0" else [10]), slices
            assert res == {"needs": 200, "offers": 20}, res
            got.append((res, _enrolled(d, fid)))
            # Again: nothing new.
            assert _enroll_all(d, fid, needs[7]) == {"needs": 0, "offers": 0}
    assert got[0] == got[1]
    assert len(got[0][1][0]) == 200 and len(got[0][1][1]) == 20


def test_kill9_in_the_middle_of_a_sliced_enroll_leaves_none_of_it():
    """kill -9 while fair.enroll all writes its slices (30 ms each): after the
    restart no need or offer of it is enrolled, and enrolling again enrols all."""
    with Daemon(env={"MATCHD_TEST_RUN_SLICE": "3",
                     "MATCHD_TEST_RUN_STEP_DELAY_MS": "30"}) as d:
        city = City(d)
        needs = city.post_needs(200)
        city.post_offers(20)
        fid = ok(d.call("fair.create", {"name": "分片报名", "date": "2026-12-20"},
                        token=d.admin))["fair"]["id"]
        c = Native(d.port)
        d._clients.append(c)
        c.send({"op": "fair.enroll", "args": {"fair": fid, "all": True}, "token": d.admin,
                "id": "e"})
        time.sleep(0.15)
        assert _answered(c, 0.01) is None, "the enrolment ended before the kill"
        d.kill9()
        d.env = {"MATCHD_TEST_RUN_SLICE": "0"}
        d.start()
        assert _enrolled(d, fid) == ([], [])
        assert _rows(d.db, "PRAGMA integrity_check") == [("ok",)]
        assert _enroll_all(d, fid, needs[0]) == {"needs": 200, "offers": 20}
