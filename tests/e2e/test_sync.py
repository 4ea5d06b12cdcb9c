"""The WAL's sync thread (daemon/core/syncer.h): with store.synchronous = full the
loop commits without fdatasync and a thread of its own syncs the WAL; answers and
events that may describe a commit wait for its sync, a ping does not, answers on one
connection stay in request order, a failed sync ends the daemon without answering,
and kill -9 never loses a write that was answered ok.

The test knobs, read by the daemon at start: MATCHD_TEST_SYNC_DELAY_MS (each sync
waits that long first) and MATCHD_TEST_SYNC_FAIL=PATH (a sync fails while PATH
exists).  Timing assertions say only "not before" and "before", with room to spare."""

import json
import os
import random
import socket
import sqlite3
import time
import urllib.request

from harness import Daemon, Native, ConnectionClosed, ok, err, TIMEOUT

DELAY_MS = 600
DELAY = DELAY_MS / 1000.0


def _need(title):
    return {"title": title, "category": "service.elderly", "budget": 100}


def _line(obj):
    return json.dumps(obj, ensure_ascii=False).encode() + b"\n"


def _nothing_yet(c, wait=0.0):
    """Whether c has no answer line within `wait` seconds."""
    try:
        c.read_line(timeout=max(wait, 0.001))
    except socket.timeout:
        return True
    return False


def test_write_answer_waits_for_its_sync_ping_on_another_connection_does_not():
    with Daemon(env={"MATCHD_TEST_SYNC_DELAY_MS": str(DELAY_MS)}) as d:
        t = d.community("C1")
        writer, pinger = d.native(), d.native()
        t0 = time.monotonic()
        writer.send_raw(_line({"id": "w", "op": "need.post", "token": t,
                               "args": _need("等同步")}))
        time.sleep(0.05)
        a = pinger.call("ping")
        t_ping = time.monotonic() - t0
        assert ok(a)["pong"]
        # The ping came back while the write's sync is still under way.
        assert _nothing_yet(writer), "the write was answered before its sync"
        w = writer.read_json()
        t_write = time.monotonic() - t0
        assert ok(w)["need"]["title"] == "等同步"
        assert t_write >= DELAY * 0.9, \
            "need.post answered after %.3f s, before its sync (%.3f s)" % (t_write, DELAY)
        assert t_ping < t_write, (t_ping, t_write)
        # The metrics count the syncs.
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % d.http_port,
                                    timeout=TIMEOUT) as r:
            m = r.read().decode()
        n = [l for l in m.splitlines()
             if l.startswith("matchd_wal_sync_duration_seconds_count ")]
        assert n and int(n[0].split()[1]) >= 1, m[-1500:]
        assert "matchd_commits_unsynced 0" in m


def test_read_after_an_unsynced_write_waits_too():
    """A read in a later turn may see the write before its sync: it waits for it."""
    with Daemon(env={"MATCHD_TEST_SYNC_DELAY_MS": str(DELAY_MS)}) as d:
        t = d.community("C1")
        writer, reader = d.native(), d.native()
        t0 = time.monotonic()
        writer.send_raw(_line({"id": "w", "op": "need.post", "token": t,
                               "args": _need("读后")}))
        time.sleep(0.1)
        reader.send_raw(_line({"id": "r", "op": "need.list", "token": t,
                               "args": {"limit": 10}}))
        r = reader.read_json()
        t_read = time.monotonic() - t0
        titles = [n["title"] for n in ok(r)["items"]]
        if "读后" in titles:
            assert t_read >= DELAY * 0.9, \
                "a read showed an unsynced write after %.3f s" % t_read
        ok(writer.read_json())


def test_pipelined_ping_after_a_write_keeps_request_order():
    with Daemon(env={"MATCHD_TEST_SYNC_DELAY_MS": str(DELAY_MS)}) as d:
        t = d.community("C1")
        c = d.native()
        # In one turn: the write, then pings; then more pings in later turns,
        # while the write's answer is held.
        c.send_raw(_line({"id": 1, "op": "need.post", "token": t, "args": _need("序")}) +
                   _line({"id": 2, "op": "ping"}) + _line({"id": 3, "op": "ping"}))
        time.sleep(0.15)
        c.send_raw(_line({"id": 4, "op": "ping"}))
        time.sleep(0.1)
        c.send_raw(_line({"id": 5, "op": "need.get", "token": t, "args": {"id": 1}}) +
                   _line({"id": 6, "op": "ping"}))
        got = [c.read_json() for _ in range(6)]
        assert [a.get("id") for a in got] == [1, 2, 3, 4, 5, 6], got
        assert ok(got[0])["need"]["title"] == "序"


def test_failed_sync_exits_without_answering_and_restart_is_consistent():
    d = Daemon(start=False)
    flag = os.path.join(d.tmp, "fail-sync")
    d.env["MATCHD_TEST_SYNC_FAIL"] = flag
    try:
        d.start()
        t = d.community("C1")
        kept = [d.post_need(t, title="之前%d" % i)["id"] for i in range(3)]
        c = d.native()
        open(flag, "w").close()
        c.send_raw(_line({"id": "x", "op": "need.post", "token": t,
                          "args": _need("未同步")}) + _line({"id": "p", "op": "ping"}))
        try:
            a = c.read_json(timeout=TIMEOUT)
            raise AssertionError("answered after a failed fdatasync: %r" % a)
        except ConnectionClosed:
            pass
        rc = d.wait(TIMEOUT)
        assert rc != 0, "matchd exited 0 after a failed fdatasync"
        with open(d.log_path, "rb") as f:
            log = f.read().decode("utf-8", "replace")
        assert "fdatasync" in log and "fatal" in log, log[-2000:]
        os.unlink(flag)
        con = sqlite3.connect(d.db)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            con.close()
        d.start()
        got = [ok(d.call("need.get", {"id": i}, token=t))["need"]["id"] for i in kept]
        assert got == kept
        items, _ = d.list_all("need.list", t, {}, limit=100)
        titles = sorted(x["title"] for x in items)
        # The unanswered write may or may not be there; nothing else changed.
        assert titles in (sorted(["之前0", "之前1", "之前2"]),
                          sorted(["之前0", "之前1", "之前2", "未同步"])), titles
        ok(d.call("need.post", _need("之后"), token=t))
        d.stop()
    finally:
        if d.running():
            d.kill9()
        d.cleanup()


def test_kill9_while_answers_are_held_loses_no_acknowledged_write():
    """Twenty rounds: pipelined writes, kill -9 at a random moment while answers
    wait for slow syncs; every write answered ok is there after the restart."""
    rnd = random.Random(int(os.environ.get("MATCHD_FAULT_SEED") or time.time_ns() % 1000000))
    d = Daemon(env={"MATCHD_TEST_SYNC_DELAY_MS": "40"})
    try:
        t = d.community("C1")
        acked = {}
        deadline = time.monotonic() + 90
        rounds = 0
        while rounds < 20 and time.monotonic() < deadline:
            rounds += 1
            if not d.running():
                d.start()
            reqs = [{"id": "r%d-%d" % (rounds, k), "op": "need.post", "token": t,
                     "args": _need("轮%d-%d" % (rounds, k))} for k in range(rnd.randint(10, 40))]
            answers = d.send_then_kill9(b"".join(_line(r) for r in reqs), rnd.uniform(0, 0.12))
            for a in answers:
                acked[ok(a)["need"]["id"]] = a["id"]
            d.start()
            items, _ = d.list_all("need.list", t, {}, limit=1000)
            have = {x["id"] for x in items}
            lost = [i for i in acked if i not in have]
            assert not lost, "round %d: acknowledged writes lost: %r" % (rounds, lost[:5])
        assert rounds >= 5, "only %d rounds in the time allowed" % rounds
        d.stop()
    finally:
        if d.running():
            d.kill9()
        d.cleanup()


def test_watcher_gets_no_event_before_its_sync():
    from events_lib import Watcher
    with Daemon(env={"MATCHD_TEST_SYNC_DELAY_MS": str(DELAY_MS)}) as d:
        t = d.community("C1")
        w = Watcher(d, d.admin)
        ok(w.answer)
        c = d.native()
        t0 = time.monotonic()
        c.send_raw(_line({"id": "w", "op": "need.post", "token": t,
                          "args": _need("事件等同步")}))
        line = w.c.read_json(timeout=TIMEOUT)
        t_event = time.monotonic() - t0
        assert "事件等同步" in json.dumps(line, ensure_ascii=False), line
        assert t_event >= DELAY * 0.9, \
            "the event reached its watcher after %.3f s, before its sync" % t_event
        ok(c.read_json())


def test_webhook_gets_no_event_before_its_sync():
    from hook_sink import Sink
    sink = Sink()
    try:
        with Daemon(env={"MATCHD_TEST_SYNC_DELAY_MS": str(DELAY_MS)},
                        conf_overrides={"events.allow_private_hooks": "true"}) as d:
            t = d.community("C1")
            hook = ok(d.call("webhook.create", {"url": sink.url}, token=d.admin))["webhook"]
            sink.secret = hook.get("secret")
            # The worker knows the webhook once a first event reached it.
            d.post_need(t, title="先到")
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                with sink.lock:
                    before = len(sink.received)
                if before:
                    break
                time.sleep(0.02)
            assert before, "the first event never reached the webhook"
            c = d.native()
            t0 = time.monotonic()
            c.send_raw(_line({"id": "w", "op": "need.post", "token": t,
                              "args": _need("钩子等同步")}))
            seen = None
            while time.monotonic() - t0 < TIMEOUT:
                with sink.lock:
                    mine = [b for _, b in sink.received[before:]
                            if "钩子等同步" in json.dumps(b, ensure_ascii=False)]
                if mine:
                    seen = time.monotonic() - t0
                    break
                time.sleep(0.01)
            assert seen is not None, "the event never reached the webhook"
            assert seen >= DELAY * 0.9, \
                "the webhook got the event after %.3f s, before its sync" % seen
            ok(c.read_json())
    finally:
        sink.stop()


def test_no_reader_threads_writes_wait_and_keep_order():
    """limits.reader_threads = 0: every read on the loop, answers wait the same."""
    with Daemon(env={"MATCHD_TEST_SYNC_DELAY_MS": str(DELAY_MS)},
                    conf_overrides={"limits.reader_threads": "0"}) as d:
        t = d.community("C1")
        c, pinger = d.native(), d.native()
        t0 = time.monotonic()
        c.send_raw(_line({"id": 1, "op": "need.post", "token": t, "args": _need("无读者")}) +
                   _line({"id": 2, "op": "need.list", "token": t, "args": {"limit": 5}}) +
                   _line({"id": 3, "op": "ping"}))
        time.sleep(0.05)
        ok(pinger.call("ping"))
        assert _nothing_yet(c), "answered before the sync"
        got = [c.read_json() for _ in range(3)]
        assert time.monotonic() - t0 >= DELAY * 0.9
        assert [a.get("id") for a in got] == [1, 2, 3], got
        assert [n["title"] for n in ok(got[1])["items"]] == ["无读者"]
        d.stop()
