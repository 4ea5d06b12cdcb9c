"""Faults: the database on a full file system (a 2 MiB tmpfs), kill -9 at random moments
under pipelined load (200 rounds in four tests), SIGTERM under load from several
clients, and commit before answer (the fdatasync of a batch's WAL precedes its
answers, seen with strace).

Needs root (mount) and strace; CI runs as root.  MATCHD_FAULT_SEED fixes the random
kill moments (the seed in use is printed in every failure)."""

import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time

from harness import Daemon, Http, Native, ConnectionClosed, ok, err, wait_until, TIMEOUT, YEAR, \
    STREET_A

SEED = int(os.environ.get("MATCHD_FAULT_SEED") or time.time_ns() % 1000000)


def _integrity(db):
    con = sqlite3.connect(db, timeout=5)
    try:
        rows = con.execute("PRAGMA integrity_check").fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def _post(title, **kw):
    a = {"title": title, "category": "service.elderly", "budget": 100}
    a.update(kw)
    return a


# ---------------------------------------------------------------------------
# (a) full disk

class Tmpfs:
    def __init__(self, size="2m"):
        assert os.geteuid() == 0, ("test_faults needs root to mount a tmpfs "
                                   "(CI runs the suite as root)")
        self.dir = tempfile.mkdtemp(prefix="matchd-full-")
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s" % size, "tmpfs", self.dir],
                           capture_output=True, timeout=10)
        if p.returncode != 0:
            os.rmdir(self.dir)
            raise AssertionError("mount tmpfs failed: %s" % p.stderr.decode(errors="replace"))

    def close(self):
        subprocess.run(["umount", "-l", self.dir], capture_output=True, timeout=10)
        try:
            os.rmdir(self.dir)
        except OSError:
            pass


def _fill(path):
    """Write a ballast file until the file system is full."""
    chunk = b"\0" * 16384
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                f.write(chunk)
        except OSError:
            pass
        small = b"\0" * 512
        try:
            while True:
                f.write(small)
        except OSError:
            pass


def _pin_wal(db):
    """A read transaction of the test's own on db, held until closed.  The
    daemon's checkpointer copies the WAL into the database after its commits,
    and once all of it is copied the next write starts the WAL over, in file
    space it already has: on a full disk, small writes would then still be
    stored.  A reader holding an older snapshot keeps the WAL from starting
    over, so every write needs new space, as the tests of a full disk mean."""
    pin = sqlite3.connect(db, isolation_level=None)
    pin.execute("BEGIN")
    pin.execute("SELECT count(*) FROM needs").fetchone()
    return pin


def test_full_disk_writes_unavailable_reads_work_recovers_without_restart():
    fs = Tmpfs("2m")
    d = None
    pin = None
    try:
        d = Daemon(start=False)
        d.db = os.path.join(fs.dir, "db.sqlite")
        d.start()
        t = d.community("C1")
        org = d.org("91440300MA5FFULL01")
        kept = [d.post_need(t, title="满盘前%d" % i) for i in range(5)]
        offer = d.post_offer(org)
        fair = ok(d.call("fair.create", {"name": "f", "date": "%d-06-01" % YEAR}, token=d.admin))["fair"]
        pin = _pin_wal(d.db)
        ballast = os.path.join(fs.dir, "ballast")
        _fill(ballast)
        c = d.native()
        # SQLite may still find room in pages it holds; keep writing (big rows) until
        # the disk refuses.  Whatever was acknowledged must stay.
        acked, first_refusal = [], None
        for i in range(200):
            r = c.call("need.post", _post("满盘%d" % i, description="字" * 4000), token=t)
            if r.get("ok"):
                acked.append(r["result"]["need"])
                continue
            err(r, "unavailable")
            first_refusal = i
            break
        assert first_refusal is not None, "200 writes of 12 KB accepted on a full 2 MiB disk"
        # now every kind of write is refused, in a batch or alone, and nothing of it stays
        before = d.list_all("need.list", t, {}, limit=1000)[0]
        batch = [{"id": i, "op": "need.post", "token": t, "args": _post("批%d" % i)}
                 for i in range(10)]
        batch += [{"id": "u", "op": "need.update", "token": t,
                   "args": {"id": kept[0]["id"], "budget": 7}},
                  {"id": "w", "op": "need.withdraw", "token": t, "args": {"id": kept[1]["id"]}},
                  {"id": "o", "op": "offer.update", "token": org,
                   "args": {"id": offer["id"], "price": 1}},
                  # named items: enrolment stays in this turn (all:true would
                  # read on a reader and write alone, after it)
                  {"id": "e", "op": "fair.enroll", "token": d.admin,
                   "args": {"fair": fair["id"], "needs": [kept[2]["id"]]}},
                  {"id": "c", "op": "community.create", "token": d.admin,
                   "args": {"code": "C9", "name": "n", "street": STREET_A}},
                  {"id": "r", "op": "need.get", "token": t, "args": {"id": kept[2]["id"]}}]
        answers = d.native().pipeline(batch)
        # The turn that holds the batch's first writes is refused.  A slow
        # build (TSAN) may split the batch over turns, and a later turn's
        # small write that fits in the room the refused commit left in the
        # WAL file needs no new space: it is stored, and its answer says so.
        # Every answer is one or the other, and says the truth (below).
        err(answers[0], "unavailable")
        for a in answers[:-1]:
            if not a.get("ok"):
                err(a, "unavailable")
        stored = {a["id"] for a in answers[:-1] if a.get("ok")}
        # The batch may run in more than one turn (a turn's time slice is
        # 3 ms, and a slow build takes longer over it).  The read in a turn
        # after the writes' failed commit may have seen them: void too
        # (docs/protocol.md, Durability); in a turn of its own it reads
        # what is stored.
        if not answers[-1].get("ok"):
            err(answers[-1], "unavailable")
        else:
            assert answers[-1]["result"]["need"] == kept[2], answers[-1]
        # reads keep working, on both transports; nothing refused stays, and
        # what was acknowledged is there
        after = d.list_all("need.list", t, {}, limit=1000)[0]
        posted = [a["result"]["need"] for a in answers[:10] if a["id"] in stored]
        by_id = {x["id"]: x for x in after}
        assert [x for x in after if x["id"] not in {p["id"] for p in posted}] == [
            by_id[x["id"]] for x in before], "a refused write on a full disk left something"
        for x in before:
            got, want = by_id[x["id"]], dict(x)
            if x["id"] == kept[0]["id"] and "u" in stored:
                want["budget"], want["updated"] = 7, got["updated"]
            if x["id"] == kept[1]["id"] and "w" in stored:
                want["status"], want["updated"] = "withdrawn", got["updated"]
            assert got == want, (got, want, sorted(stored, key=str))
        assert ok(c.call("need.get", {"id": kept[0]["id"]}, token=t))["need"] == \
            by_id[kept[0]["id"]]
        assert ok(c.call("offer.get", {"id": offer["id"]}, token=t))["offer"]["price"] == \
            (1 if "o" in stored else 30000)
        assert ok(c.call("fair.get", {"id": fair["id"]}, token=t))["fair"]["needs"] == \
            (1 if "e" in stored else 0)
        assert ok(c.call("whoami", token=t))["code"] == "C1"
        assert ok(c.call("audit.list", {"limit": 5}, token=d.admin))["items"]
        status, body = d.http_op("need.list", {"limit": 1}, token=t)
        assert status == 200, (status, body)
        # The writes are as large as the refused one: a write that fits in the
        # room the WAL file already has needs no new space, and is stored.
        big = "字" * 4000
        status, body = d.http_op("need.post", _post("HTTP满盘", description=big), token=t)
        assert status == 503, (status, body)
        err(body, "unavailable")
        # the rotated token would be a write: refused (in the turn of a large
        # write), the old token keeps working
        rot = c.pipeline([{"id": 1, "op": "need.update", "token": t,
                           "args": {"id": kept[0]["id"], "description": big}},
                          {"id": 2, "op": "token.rotate", "token": t, "args": {}}])
        err(rot[0], "unavailable")
        if rot[1].get("ok"):
            # in a turn of its own (a slow build), it fitted in the WAL's
            # room: stored, so the new token is the one that works
            old, t = t, ok(rot[1])["token"]
            err(c.call("whoami", token=old), "unauthenticated")
            batch = [dict(b, token=t) if b["token"] == old else b for b in batch]
        else:
            err(rot[1], "unavailable")
        assert ok(c.call("whoami", token=t))["code"] == "C1"
        # free the space: writes succeed again, without a restart
        pin.close()
        pin = None
        os.unlink(ballast)
        pid = d.proc.pid
        n = ok(c.call("need.post", _post("空间回来了"), token=t))["need"]
        answers = d.native().pipeline(batch[:10])
        assert all(a.get("ok") for a in answers), answers[:2]
        assert d.proc.pid == pid and d.running()
        have = {x["id"]: x for x in d.list_all("need.list", t, {}, limit=1000)[0]}
        for x in kept + acked + [n]:
            assert x["id"] in have and have[x["id"]]["title"] == x["title"], \
                "need %d acknowledged before or during the full disk is gone" % x["id"]
        for x in posted:
            assert x["id"] in have, "need %d acknowledged on the full disk is gone" % x["id"]
        assert len(have) == len(kept) + len(acked) + len(posted) + 1 + 10, \
            (len(have), len(acked), len(posted))
        d.stop()
        assert _integrity(d.db) == ["ok"]
    finally:
        if pin is not None:
            pin.close()
        if d is not None:
            d.cleanup()
        fs.close()



def test_failed_commit_voids_every_answer_made_after_the_turns_first_write():
    """Issue 19.1: reads of a turn whose commit fails must not describe the
    unstored writes: pipelined after the write on one connection, on another
    connection in the same turn, and after a failed token.rotate.  A read on
    a reader thread waits for the commit and reads what is stored (issue 15)."""
    fs = Tmpfs("2m")
    d = None
    pin = None
    try:
        d = Daemon(start=False)
        d.db = os.path.join(fs.dir, "db.sqlite")
        d.start()
        t = d.community("C1")
        need = d.post_need(t, title="原标题")
        pin = _pin_wal(d.db)
        _fill(os.path.join(fs.dir, "ballast"))
        c = d.native()
        # fill SQLite's last free pages until a write is refused
        for i in range(200):
            r = c.call("need.post", _post("满%d" % i, description="字" * 4000), token=t)
            if not r.get("ok"):
                err(r, "unavailable")
                break
        else:
            raise AssertionError("the disk never filled")
        stored = ok(c.call("need.get", {"id": need["id"]}, token=t))["need"]
        # (1) pipelined: the write, then reads of what it wrote
        # Each write below is as large as the refused one: a refused commit
        # leaves the WAL file longer than its last frame, and a write that
        # fits in what it left needs no new space and is stored.
        big = "字" * 4000
        answers = c.pipeline([
            {"id": 1, "op": "need.update", "token": t,
             "args": {"id": need["id"], "title": "PHANTOM", "description": big}},
            {"id": 2, "op": "need.get", "token": t, "args": {"id": need["id"]}},
            {"id": 3, "op": "need.list", "token": t, "args": {"limit": 100}}])
        err(answers[0], "unavailable")
        # The get, in the write's turn, is voided with it; in a later turn (a
        # slow build splits a pipeline over turns) it reads what is stored.
        for a in answers[:2]:
            assert "PHANTOM" not in json.dumps(a, ensure_ascii=False), a
        if answers[1].get("ok"):
            assert answers[1]["result"]["need"] == stored, answers[1]
        else:
            err(answers[1], "unavailable")
        # need.list runs on a reader thread once the turn's commit is over:
        # it reads what is stored, so its answer stands, without the write
        assert "PHANTOM" not in json.dumps(answers[2], ensure_ascii=False), answers[2]
        assert [n["title"] for n in ok(answers[2])["items"]][0] == stored["title"]
        # (2) another client in the same turn: whatever turn it lands in, it
        # never sees the unstored title
        other = d.native()
        for _ in range(5):
            payload = (json.dumps({"id": 1, "op": "need.update", "token": t,
                                   "args": {"id": need["id"], "title": "PHANTOM",
                                            "description": big}},
                                  ensure_ascii=False) + "\n").encode()
            read = (json.dumps({"id": 9, "op": "need.get", "token": t,
                                "args": {"id": need["id"]}}) + "\n").encode()
            c.send_raw(payload)
            other.send_raw(read)
            err(c.read_json(), "unavailable")
            a = other.read_json()
            assert "PHANTOM" not in json.dumps(a, ensure_ascii=False), a
            if a.get("ok"):
                assert a["result"]["need"]["title"] == stored["title"], a
            else:
                err(a, "unavailable")
        # (3) a failed token.rotate: the reads after it are void, and the old
        # token still works
        answers = c.pipeline([
            {"id": 0, "op": "need.update", "token": t,
             "args": {"id": need["id"], "description": big}},
            {"id": 1, "op": "token.rotate", "token": t, "args": {}},
            {"id": 2, "op": "whoami", "token": t}])
        err(answers[0], "unavailable")
        if answers[1].get("ok"):
            # In a turn of its own (a slow build), the rotation fitted in the
            # WAL's room and is stored: the old token is gone.
            old, t = t, ok(answers[1])["token"]
            err(answers[2], ("unavailable", "unauthenticated"))
            err(c.call("whoami", token=old), "unauthenticated")
        else:
            err(answers[1], "unavailable")
            # voided in the rotation's turn; in a later turn it reads what
            # is stored: the old token, still valid
            if answers[2].get("ok"):
                assert answers[2]["result"]["code"] == "C1", answers[2]
            else:
                err(answers[2], "unavailable")
        assert ok(c.call("whoami", token=t))["code"] == "C1"
        assert ok(c.call("need.get", {"id": need["id"]}, token=t))["need"] == stored
    finally:
        if pin is not None:
            pin.close()
        if d is not None:
            d.stop()
        fs.close()

def test_failed_commits_deliver_no_event_to_a_live_watcher():
    """Issue 16: a watcher connected while commits fail on a full disk is handed
    only events that were committed: none of a refused write, ids strictly
    increasing, each one an event that replay from the store gives the same."""
    from events_lib import Watcher
    fs = Tmpfs("2m")
    d = None
    try:
        d = Daemon(start=False)
        d.db = os.path.join(fs.dir, "db.sqlite")
        d.start()
        t = d.community("C1")
        live = Watcher(d, d.admin)
        c = d.native()
        posted, refused = [], []
        for i in range(3):
            posted.append(ok(c.call("need.post", _post("之前%d" % i), token=t))["need"]["title"])
        _fill(os.path.join(fs.dir, "ballast"))
        # Pipelined, so that the refused writes share turns with others.
        for i in range(60):
            answers = c.pipeline([
                {"id": k, "op": "need.post", "token": t,
                 "args": _post("满%d-%d" % (i, k), description="字" * 3000)}
                for k in range(4)])
            for k, a in enumerate(answers):
                if a.get("ok"):
                    posted.append(a["result"]["need"]["title"])
                else:
                    err(a, "unavailable")
                    refused.append("满%d-%d" % (i, k))
            if len(refused) >= 8:
                break
        assert len(refused) >= 8, "the disk never filled"
        os.unlink(os.path.join(fs.dir, "ballast"))
        for i in range(3):
            posted.append(ok(c.call("need.post", _post("之后%d" % i), token=t))["need"]["title"])
        got = live.read(timeout=1.0)
        titles = [e["summary"] for e in got]
        for r in refused:
            assert not any("「%s」" % r in x for x in titles), (r, titles)
        for p in posted:
            assert any("「%s」" % p in x for x in titles), (p, titles)
        ids = [e["id"] for e in got]
        assert ids == list(range(ids[0], ids[0] + len(ids))), ids
        assert len(ids) == len(posted), (len(ids), len(posted))
        # What the watcher was handed is what the store replays.
        again = Watcher(d, d.admin, after=ids[0] - 1).read(timeout=1.0,
                                                           until=ids[-1])
        assert [e for e in again if e["id"] <= ids[-1]] == got
    finally:
        if d is not None:
            d.stop()
        fs.close()


# ---------------------------------------------------------------------------
# (b) kill -9 at random moments

def _kill_rounds(rounds, seed):
    rnd = random.Random(seed)
    with Daemon() as d:
        t = d.community("C1")
        pending_updates = []       # needs acknowledged in the last round, to update now
        acked_posts = {}           # id -> title
        acked_updates = {}         # id -> budget
        for rd in range(rounds):
            where = "round %d (seed %d)" % (rd, seed)
            if rd:
                d.start()
                # everything acknowledged so far is there
                ids = list(acked_posts)[-60:] + list(acked_updates)
                c = d.native()
                got = c.pipeline([{"id": i, "op": "need.get", "token": t, "args": {"id": i}}
                                  for i in ids])
                for i, r in zip(ids, got):
                    assert r.get("ok"), "%s: acknowledged need %d lost after kill -9: %r" % (
                        where, i, r)
                    nd = r["result"]["need"]
                    if i in acked_posts:
                        assert nd["title"] == acked_posts[i], (where, nd)
                    if i in acked_updates:
                        assert nd["budget"] == acked_updates[i], \
                            "%s: acknowledged update of need %d lost: %r" % (where, i, nd)
            n = rnd.randint(20, 50)
            reqs = []
            for k in range(n):
                if pending_updates and rnd.random() < 0.3:
                    nid = pending_updates.pop()
                    reqs.append({"id": "u%d" % nid, "op": "need.update", "token": t,
                                 "args": {"id": nid, "budget": rd + 1}})
                else:
                    reqs.append({"id": "p%d-%d" % (rd, k), "op": "need.post", "token": t,
                                 "args": _post("第%d轮%d" % (rd, k), budget=rd + 1)})
            payload = b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in reqs)
            by_id = {r["id"]: r for r in reqs}
            for a in d.send_then_kill9(payload, rnd.uniform(0, 0.03)):
                assert a.get("ok"), "%s: %r" % (where, a)
                rq = by_id[a["id"]]
                if rq["op"] == "need.post":
                    nd = a["result"]["need"]
                    acked_posts[nd["id"]] = rq["args"]["title"]
                    pending_updates.append(nd["id"])
                else:
                    acked_updates[rq["args"]["id"]] = rq["args"]["budget"]
            res = _integrity(d.db)
            assert res == ["ok"], "%s: integrity_check after kill -9: %r" % (where, res[:5])
        d.start()
        items, _ = d.list_all("need.list", t, {}, limit=1000)
        have = {x["id"]: x for x in items}
        lost = [i for i in acked_posts if i not in have]
        assert not lost, "acknowledged needs lost (seed %d): %r" % (seed, lost[:10])
        for i, b in acked_updates.items():
            assert have[i]["budget"] == b, "acknowledged update of %d lost (seed %d)" % (i, seed)
        assert acked_posts, "no write was ever acknowledged in %d rounds" % rounds
        return len(acked_posts), len(acked_updates)


def test_kill9_random_rounds_1():
    _kill_rounds(50, SEED + 1)


def test_kill9_random_rounds_2():
    _kill_rounds(50, SEED + 2)


def test_kill9_random_rounds_3():
    _kill_rounds(50, SEED + 3)


def test_kill9_random_rounds_4():
    _kill_rounds(50, SEED + 4)


# ---------------------------------------------------------------------------
# (c) SIGTERM under load

def test_sigterm_under_load_from_many_clients():
    """Several native pipeliners and HTTP keep-alive clients are writing when SIGTERM
    comes: every answer is a whole line, answers are an in-order prefix of what was
    sent, what was acknowledged is stored, nothing is stored that was not answered
    (what was read is answered), and the exit code is 0."""
    with Daemon() as d:
        toks = [d.community("C%d" % i) for i in range(4)]
        htok = d.community("H1")
        d._close_clients()
        results = {}
        started = threading.Barrier(4 + 2 + 1)

        def native(k):
            s = socket.create_connection(("127.0.0.1", d.port), timeout=TIMEOUT)
            reqs = [{"id": i, "op": "need.post", "token": toks[k],
                     "args": _post("停%d-%d" % (k, i))} for i in range(400)]
            payload = b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in reqs)
            buf = b""

            def w():
                try:
                    s.sendall(payload)
                except OSError:
                    pass
            wt = threading.Thread(target=w, daemon=True)
            wt.start()
            started.wait()
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    buf += chunk
            except OSError:
                pass
            s.close()
            results[("n", k)] = (reqs, buf)

        def http(k):
            answered = []
            h = Http(d.http_port)
            started.wait()
            try:
                for i in range(10000):
                    st, body = h.op("need.post", _post("停H%d-%d" % (k, i)), token=htok)
                    assert st == 200, (st, body)
                    answered.append(body["result"]["need"]["title"])
            except (OSError,) + http_client_errors():
                pass
            finally:
                h.close()
            results[("h", k)] = answered

        ths = [threading.Thread(target=native, args=(k,)) for k in range(4)]
        ths += [threading.Thread(target=http, args=(k,)) for k in range(2)]
        for th in ths:
            th.start()
        started.wait()
        time.sleep(0.15)
        d.proc.send_signal(signal.SIGTERM)
        for th in ths:
            th.join(20)
        rc = d.wait(10)
        assert rc == 0, "exit %r after SIGTERM under load; log:\n%s" % (rc, d.log_tail())
        acked = set()
        for k in range(4):
            reqs, buf = results[("n", k)]
            assert buf == b"" or buf.endswith(b"\n"), \
                "client %d: the last answer was cut mid-line: %r" % (k, buf[-100:])
            ans = [json.loads(l) for l in buf.split(b"\n") if l]
            assert [a["id"] for a in ans] == list(range(len(ans))), \
                "client %d: answers are not an in-order prefix" % k
            for a in ans:
                acked.add(ok(a)["need"]["title"])
        for k in range(2):
            acked.update(results[("h", k)])
        assert len(acked) > 50, "only %d writes answered before SIGTERM" % len(acked)
        d.start()
        stored = set()
        for t in toks + [htok]:
            stored |= {x["title"] for x in d.list_all("need.list", t, {"community": ok(
                d.call("whoami", token=t))["code"]}, limit=1000)[0]}
        lost = acked - stored
        assert not lost, "%d acknowledged writes lost after SIGTERM: %r" % (len(lost), sorted(lost)[:5])
        unanswered = stored - acked
        assert not unanswered, ("%d writes stored but never answered (SIGTERM must answer "
                                "what it read): %r" % (len(unanswered), sorted(unanswered)[:5]))


def http_client_errors():
    import http.client
    return (http.client.HTTPException, ConnectionError, AssertionError)


# ---------------------------------------------------------------------------
# (d) commit before answer

class StracedDaemon(Daemon):
    def __init__(self, trace_path, **kw):
        self.trace_path = trace_path
        super().__init__(**kw)

    def argv(self):
        # LeakSanitizer cannot run under ptrace: a SAN build traced here
        # checks everything but leaks (the rest of the suite checks them).
        return ["env", "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1",
                "strace", "-f", "-tt", "-s", "48", "-o", self.trace_path, "-e",
                "trace=openat,accept,accept4,pwrite64,fdatasync,fsync,write,writev,sendto,sendmsg",
                "--"] + super().argv()

    def matchd_pid(self):
        with open("/proc/%d/task/%d/children" % (self.proc.pid, self.proc.pid)) as f:
            kids = f.read().split()
        assert kids, "strace has no child"
        return int(kids[0])


LINE_RE = re.compile(r"^(\d+)\s+(\d\d:\d\d:\d\d\.\d+)\s+(\w+)\((\d+)(.*)$")


class LoopTracedDaemon(StracedDaemon):
    """Traces the event loop's calls: waits, interest changes, syncs, writes."""

    def argv(self):
        a = super().argv()
        a[a.index("-e") + 1] = "trace=openat,epoll_wait,epoll_ctl,fdatasync,fsync,writev,write"
        return a


def test_answer_written_in_its_commit_turn():
    """Once its batch is committed, an answer is written at once: not a loop turn later
    after waiting for the socket to be reported writable (which cost every client
    sending one request at a time a second turn, and two epoll_ctl calls)."""
    tmp = tempfile.mkdtemp(prefix="matchd-turn-")
    trace = os.path.join(tmp, "trace")
    d = LoopTracedDaemon(trace, start_timeout=30)
    try:
        t = d.community("C1")
        d._close_clients()
        c = Native(d.port)
        for i in range(20):
            c.send_raw(json.dumps({"id": "turn-%d" % i, "op": "need.post", "token": t,
                                   "args": _post("同轮%d" % i)},
                                  ensure_ascii=False).encode() + b"\n")
            a = c.read_json()
            assert a.get("ok") and a["id"] == "turn-%d" % i, a
        c.close()
        time.sleep(0.2)
        os.kill(d.matchd_pid(), signal.SIGTERM)
        assert d.wait(10) == 0
        with open(trace, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        wal_fds = set()
        events = []
        for ln in lines:
            if "openat(" in ln and "-wal\"" in ln:
                m = re.search(r"= (\d+)$", ln)
                if m:
                    wal_fds.add(int(m.group(1)))
            m = LINE_RE.match(ln)
            if m:
                events.append((m.group(3), int(m.group(4)), ln))
        assert wal_fds, "no WAL file opened in the trace"
        answered = 0
        for i, (call, fd, ln) in enumerate(events):
            if call not in ("write", "writev") or "turn-" not in ln:
                continue
            answered += 1
            # back to the commit's sync (the sync thread's, core/syncer.h):
            # one wait for events at most in between, the one in which the
            # loop waits for that sync, not a second for the socket
            waits = 0
            for call2, fd2, ln2 in reversed(events[:i]):
                if call2 in ("fdatasync", "fsync") and fd2 in wal_fds:
                    break
                waits += call2 == "epoll_wait"
                assert waits <= 1, (
                    "an answer waited a loop turn after its sync:\n%s\n...\n%s" % (ln2, ln))
        assert answered == 20, "%d answers seen written in the trace" % answered
        armed = [ln for call, fd, ln in events if call == "epoll_ctl" and "EPOLLOUT" in ln]
        assert not armed, "the write event was armed for answers the socket took:\n%s" % \
            "\n".join(armed[:3])
    finally:
        try:
            if d.proc is not None and d.proc.poll() is None:
                try:
                    os.kill(d.matchd_pid(), signal.SIGKILL)
                except (OSError, AssertionError):
                    pass
        finally:
            d.cleanup()
            import shutil
            shutil.rmtree(tmp, ignore_errors=True)


def test_commit_before_answer_strace():
    """Every answer to a write is written after an fdatasync of the WAL that began
    after the write's commit (with store.synchronous = full the sync thread's, on
    its own descriptor of the WAL: core/syncer.h).  One request at a time, each
    answer's sync follows every WAL write before it; pipelined, the loop commits
    the next turns while a sync runs, so what the trace can tell is that each
    answer follows a sync begun after the batch's first WAL write, and the last
    answer one begun after the batch's last."""
    tmp = tempfile.mkdtemp(prefix="matchd-strace-")
    trace = os.path.join(tmp, "trace")
    d = StracedDaemon(trace, start_timeout=30)
    try:
        t = d.community("C1")
        d._close_clients()
        c = Native(d.port)
        for i in range(20):
            c.send_raw(json.dumps({"id": "alone-%d" % i, "op": "need.post", "token": t,
                                   "args": _post("单%d" % i)},
                                  ensure_ascii=False).encode() + b"\n")
            a = c.read_json()
            assert a.get("ok") and a["id"] == "alone-%d" % i, a
        reqs = [{"id": "batch-%d" % i, "op": "need.post", "token": t,
                 "args": _post("同步%d" % i)} for i in range(100)]
        c.send_raw(b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in reqs))
        answers = [c.read_json() for _ in reqs]
        assert all(a.get("ok") for a in answers), answers[:2]
        c.close()
        time.sleep(0.2)
        os.kill(d.matchd_pid(), signal.SIGTERM)
        assert d.wait(10) == 0
        with open(trace, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        # fds: the WAL (and the database) by openat; the client socket by accept
        wal_fds, db_fds = set(), set()
        events = []
        for ln in lines:
            if "openat(" in ln and "-wal\"" in ln:
                m = re.search(r"= (\d+)$", ln)
                if m:
                    wal_fds.add(int(m.group(1)))
            elif "openat(" in ln and "db.sqlite\"" in ln:
                m = re.search(r"= (\d+)$", ln)
                if m:
                    db_fds.add(int(m.group(1)))
            m = LINE_RE.match(ln)
            if m and m.group(3) in ("pwrite64", "fdatasync", "fsync", "write", "writev",
                                    "sendto", "sendmsg"):
                events.append((m.group(3), int(m.group(4)), ln))
        assert wal_fds, "no WAL file opened in the trace:\n%s" % "\n".join(lines[:30])
        is_answer = lambda call: call in ("write", "writev", "sendto", "sendmsg")
        alone = [i for i, (call, fd, ln) in enumerate(events)
                 if is_answer(call) and "alone-" in ln]
        assert len(alone) == 20, "%d answers of single writes in the trace" % len(alone)
        client_fd = events[alone[0]][1]
        # one at a time: every WAL write before an answer was synced before it
        unsynced = False
        for i, (call, fd, ln) in enumerate(events[:alone[-1] + 1]):
            if call == "pwrite64" and fd in wal_fds:
                unsynced = True
            elif call in ("fdatasync", "fsync") and fd in wal_fds:
                unsynced = False
            elif fd == client_fd and is_answer(call) and "alone-" in ln:
                assert not unsynced, ("an answer was written before the WAL was "
                                      "synced:\n%s" % ln)
        answer_writes = [i for i, (call, fd, ln) in enumerate(events)
                         if is_answer(call) and "batch-" in ln]
        assert answer_writes, "no answer of the batch written to a socket in the trace"
        wal_writes = [i for i, (call, fd, _) in enumerate(events)
                      if call == "pwrite64" and fd in wal_fds and alone[-1] < i]
        syncs = [i for i, (call, fd, _) in enumerate(events)
                 if call in ("fdatasync", "fsync") and fd in wal_fds]
        assert wal_writes and wal_writes[0] < answer_writes[0], \
            "the batch's WAL writes do not precede its answers"
        for a in answer_writes:
            assert any(wal_writes[0] < s < a for s in syncs), (
                "an answer of the batch was written before any sync of its WAL "
                "writes:\n%s" % events[a][2])
        last = answer_writes[-1]
        before = [w for w in wal_writes if w < last]
        assert any(before[-1] < s < last for s in syncs), \
            "no fdatasync/fsync of the WAL between the batch's last WAL write and its " \
            "last answer"
    finally:
        try:
            if d.proc is not None and d.proc.poll() is None:
                try:
                    os.kill(d.matchd_pid(), signal.SIGKILL)
                except (OSError, AssertionError):
                    pass
        finally:
            d.cleanup()
            import shutil
            shutil.rmtree(tmp, ignore_errors=True)
