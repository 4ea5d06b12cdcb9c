"""Reader threads (docs/performance.md, "Threads"): long reads and the matcher's
computations run off the event loop, and nothing a client can see changes but the
time: answers come back in request order on every connection, a read that follows
a write sees it, reads see committed data only, a long read holds neither other
clients nor the commit, one connection holds one reader at most, the matcher's
result is written only if nothing it read changed, and no answer is ever cut
(limits.max_answer_bytes).  The stress case mixes writes with every long read;
under `make test TSAN=1` ThreadSanitizer watches it."""

import base64
import io
import os
import random
import signal
import socket
import threading
import time
import zipfile

from harness import Daemon, Native, ok, err, wait_until, STREET_A, STREET_B

SAN = os.environ.get("MATCHD_SAN") == "1" or os.environ.get("MATCHD_VALGRIND") == "1"
SLOW = 5.0 if SAN else 1.0
YEAR = time.gmtime().tm_year
WORDS = ["长者", "助餐", "儿童", "课后", "托管", "心理", "康复", "义诊", "书法",
         "篮球", "法律", "咨询", "志愿", "邻里", "图书", "培训", "关爱", "garden",
         "repair", "music", "reading", "sports", "health", "legal", "youth"]


def _title(rng, k=5):
    return " ".join(rng.choice(WORDS) for _ in range(k))


class City:
    """A small district: communities in two streets, organisations, needs, offers."""

    def __init__(self, d, communities=4, orgs=3):
        self.d = d
        self.comm = {}
        self.org = {}
        for i in range(communities):
            code = "RC%02d" % i
            self.comm[code] = d.community(code, street=STREET_A if i % 2 == 0 else STREET_B,
                                          cap=100000000)
        for i in range(orgs):
            code = "9144030000000R%04d" % i
            self.org[code] = d.org(code, streets=["*"])

    def post_needs(self, n, seed=1, desc=""):
        """n needs through one pipeline per community; their ids."""
        rng = random.Random(seed)
        ids = []
        codes = list(self.comm)
        with self.d.native() as c:
            reqs = []
            for i in range(n):
                args = {"title": _title(rng), "category": "service.elderly",
                        "budget": 1000 + rng.randrange(50000)}
                if desc:
                    args["description"] = desc
                reqs.append(c.request("need.post", args, token=self.comm[codes[i % len(codes)]],
                                      id=i))
            for r in c.pipeline(reqs):
                ids.append(ok(r)["need"]["id"])
        return ids

    def post_offers(self, n, seed=2):
        rng = random.Random(seed)
        ids = []
        codes = list(self.org)
        with self.d.native() as c:
            reqs = [c.request("offer.post", {"title": _title(rng), "category": "service.elderly",
                                             "price": 500 + rng.randrange(20000),
                                             "capacity": 1 + rng.randrange(3)},
                              token=self.org[codes[i % len(codes)]], id=i)
                    for i in range(n)]
            for r in c.pipeline(reqs):
                ids.append(ok(r)["offer"]["id"])
        return ids

    def fair(self, needs=None, offers=None):
        args = {"name": "读者测试对接会", "date": "%d-11-20" % YEAR}
        fid = ok(self.d.call("fair.create", args, token=self.d.admin))["fair"]["id"]
        enroll = {"fair": fid}
        if needs is None:
            enroll["all"] = True
        else:
            enroll["needs"] = needs
            enroll["offers"] = offers
        ok(self.d.call("fair.enroll", enroll, token=self.d.admin))
        return fid


def _long_reads(d, fid, offer):
    """One request of every op that runs on a reader thread (admin token)."""
    t = d.admin
    return [
        ("stats.streets", {}), ("stats.categories", {}), ("stats.orgs", {}),
        ("risk.flags", {}), ("audit.list", {"limit": 50}), ("need.list", {"limit": 200}),
        ("offer.list", {"limit": 200}), ("fair.matches", {"fair": fid}),
        ("fair.meetings", {"fair": fid}), ("fair.export", {"fair": fid, "format": "csv"}),
        ("fair.export", {"fair": fid, "format": "xlsx"}),
        ("fair.matches", {"fair": fid, "unmatched": "needs"}),
        ("match.suggest", {"offer": offer}), ("project.list", {}),
        ("report.monthly", {"year": YEAR, "month": 1}),
        ("report.monthly", {"year": YEAR, "month": 1, "format": "xlsx"}),
    ], t


def test_pipelined_answers_keep_request_order():
    with Daemon() as d:
        city = City(d)
        needs = city.post_needs(200)
        offers = city.post_offers(20)
        fid = city.fair()
        reads, t = _long_reads(d, fid, offers[0])
        rng = random.Random(7)
        reqs = []
        with d.native() as c:
            for i in range(120):
                k = rng.randrange(4)
                if k == 0:
                    op, args = reads[rng.randrange(len(reads))]
                    reqs.append(c.request(op, args, token=t, id=i))
                elif k == 1:
                    reqs.append(c.request("need.get", {"id": rng.choice(needs)}, token=t, id=i))
                elif k == 2:
                    reqs.append(c.request("ping", id=i))
                else:
                    code = rng.choice(list(city.comm))
                    reqs.append(c.request("need.post", {"title": "顺序测试",
                                                        "category": "service.youth",
                                                        "budget": 100},
                                          token=city.comm[code], id=i))
            answers = c.pipeline(reqs)
        assert [a.get("id") for a in answers] == list(range(120)), \
            [a.get("id") for a in answers]
        for a in answers:
            ok(a)


def _wal_frames(db):
    """(frames in the WAL, frames of it copied into the database), from the
    WAL index (the -shm file): mxFrame at byte 16 of its header, nBackfill the
    first word after its two 48-byte copies.  Reading it takes no lock and
    checkpoints nothing."""
    with open(db + "-shm", "rb") as f:
        head = f.read(100)
    return int.from_bytes(head[16:20], "little"), int.from_bytes(head[96:100], "little")


def test_the_checkpointer_copies_the_wal():
    """The checkpointer thread copies the WAL into the database after commits (the
    loop's own connection never does), all of it once writes stop.  It did nothing
    until it had read from the database itself: the WAL grew for as long as the
    daemon ran, and every read of the loop was a pread of it."""
    with Daemon() as d:
        city = City(d, communities=1)
        tok = city.comm["RC00"]
        with d.native() as c:
            c.pipeline([c.request("need.post", {"title": "检查点 %d" % i,
                                                "category": "goods.books", "budget": 100},
                                  token=tok, id="p%d" % i) for i in range(300)])
        wait_until(lambda: _wal_frames(d.db)[0] > 0 and
                   _wal_frames(d.db)[1] == _wal_frames(d.db)[0], timeout=10 * SLOW,
                   what="the whole WAL copied into the database")


def test_threads_are_named():
    """Each thread says what it is (top -H, perf --comm): the loop is matchd, the
    readers matchd-reader (limits.reader_threads of them), the checkpointer
    matchd-ckpt, the WAL's sync matchd-sync, the webhooks' sender matchd-hooks."""
    with Daemon() as d:
        task = "/proc/%d/task" % d.proc.pid
        names = sorted(open(os.path.join(task, t, "comm")).read().strip()
                       for t in os.listdir(task))
        # A sanitizer's runtime may add threads of its own (named as the loop).
        assert names.count("matchd") >= 1, names
        assert names.count("matchd-reader") == 2, names
        for one in ("matchd-ckpt", "matchd-sync", "matchd-hooks"):
            assert names.count(one) == 1, names


def test_only_the_loop_maps_the_database():
    """The reader threads read the database with read calls, not through maps of
    their own: a reader's scan reads most pages once, a page fault each through a
    map, and every map's pages count in the RSS once more (the city's peak RSS,
    docs/performance.md).  After reads on both readers and on the loop, the file
    is mapped once: the loop's connection's map (store.mmap_mib)."""
    with Daemon() as d:
        city = City(d, communities=2)
        tok = city.comm["RC00"]
        ids = [d.post_need(tok, title="只映射一次 %d" % i)["id"] for i in range(40)]
        with d.native() as a, d.native() as b:
            reqs = [a.request(op, {}, token=d.admin, id="%s%d" % (op, i)) for i in range(20)
                    for op in ("stats.categories", "stats.streets", "risk.flags")]
            for c in (a, b):
                for r in reqs:
                    c.send(r)
            for c in (a, b):
                for _ in reqs:
                    ok(c.read_json())
        for i in ids:
            ok(d.call("need.get", {"id": i}, token=tok))
        maps = [l for l in open("/proc/%d/maps" % d.proc.pid)
                if l.rstrip().endswith(d.db)]
        assert len(maps) == 1, maps


def test_a_read_after_a_write_sees_it():
    """need.post then need.list and stats.categories in the same pipeline: the reads
    (on reader threads) see every need posted before them on that connection."""
    with Daemon() as d:
        city = City(d, communities=1)
        tok = city.comm["RC00"]
        with d.native() as c:
            reqs = []
            for i in range(30):
                reqs.append(c.request("need.post", {"title": "读己所写 %d" % i,
                                                    "category": "goods.books", "budget": 100},
                                      token=tok, id="p%d" % i))
                reqs.append(c.request("need.list", {"community": "RC00", "limit": 1000},
                                      token=d.admin, id="l%d" % i))
                reqs.append(c.request("stats.categories", {}, token=d.admin, id="s%d" % i))
            answers = c.pipeline(reqs)
        posted = []
        for i in range(30):
            p, l, s = answers[3 * i: 3 * i + 3]
            posted.append(ok(p)["need"]["id"])
            listed = {n["id"] for n in ok(l)["items"]}
            assert set(posted) <= listed, (i, posted, sorted(listed))
            books = next(x for x in ok(s)["items"] if x["category"] == "goods.books")
            assert books["needs_posted"] == i + 1, (i, books)


def test_a_long_read_after_an_update_sees_it():
    """need.update then risk.flags in one pipeline, again and again: each read (on a
    reader, from the needs in memory, which learn of updates by a log that no
    lock of the loop's COMMIT guards any more) sees every update before it.  Each
    update gives one more need the cluster's title: its size grows by one."""
    with Daemon() as d:
        city = City(d, communities=1)
        tok = city.comm["RC00"]
        ids = [ok(d.call("need.post", {"title": "不同的题目 %d" % i, "category":
                                       "service.elderly", "budget": 100}, token=tok))
               ["need"]["id"] for i in range(40)]
        with d.native() as c:
            reqs = []
            for i, n in enumerate(ids):
                reqs.append(c.request("need.update", {"id": n, "title": "社区长者助餐服务"},
                                      token=tok, id="u%d" % i))
                reqs.append(c.request("risk.flags", {}, token=d.admin, id="r%d" % i))
            answers = c.pipeline(reqs)
        for i in range(len(ids)):
            ok(answers[2 * i])
            dups = [f for f in ok(answers[2 * i + 1])["items"]
                    if f["kind"] == "duplicate_need"]
            if i == 0:
                assert dups == [], dups
            else:
                assert len(dups) == 1 and dups[0]["detail"]["size"] == i + 1, (i, dups)


def test_reads_see_committed_data_only():
    """A request that writes, then fails, leaves nothing; a reader's snapshot never
    shows its rolled-back enrolment, whether it ran in the same turn or not."""
    with Daemon() as d:
        city = City(d, communities=2)
        good = city.post_needs(1)[0]
        fid = ok(d.call("fair.create", {"name": "回滚", "date": "%d-11-20" % YEAR},
                        token=d.admin))["fair"]["id"]
        stop = threading.Event()
        seen = []

        def reader():
            with d.native() as c:
                while not stop.is_set():
                    r = ok(c.call("fair.matches", {"fair": fid, "unmatched": "needs"},
                                  token=d.admin))
                    seen.append([n["id"] for n in r["items"]])

        th = threading.Thread(target=reader)
        th.start()
        try:
            with d.native() as c:
                reqs = []
                for i in range(200):
                    reqs.append(c.request("fair.enroll", {"fair": fid, "needs": [good, 999999]},
                                          token=d.admin, id=2 * i))
                    reqs.append(c.request("fair.matches", {"fair": fid,
                                                           "unmatched": "needs"},
                                          token=d.admin, id=2 * i + 1))
                answers = c.pipeline(reqs)
        finally:
            stop.set()
            th.join(30)
        for i in range(200):
            err(answers[2 * i], "not_found", "needs")
            assert ok(answers[2 * i + 1])["items"] == []
        assert seen and all(s == [] for s in seen), seen[:3]


def _ping_times(port, stop, out):
    with Native(port) as c:
        while not stop.is_set():
            t0 = time.monotonic()
            ok(c.call("ping"))
            out.append(time.monotonic() - t0)
            time.sleep(0.002)


def test_long_reads_hold_neither_others_nor_the_commit():
    """While one client pipelines long reads, another's pings and posts are answered
    at once: the long reads run on reader threads."""
    with Daemon() as d:
        city = City(d)
        city.post_needs(3000)
        offers = city.post_offers(30)
        stop = threading.Event()
        waits = []
        th = threading.Thread(target=_ping_times, args=(d.port, stop, waits))
        th.start()
        t0 = time.monotonic()
        try:
            with d.native() as c:
                reqs = []
                for i in range(40):
                    reqs.append(c.request("match.suggest", {"offer": offers[i % 30],
                                                            "limit": 5}, token=d.admin, id=i))
                    reqs.append(c.request("risk.flags", {}, token=d.admin, id=100 + i))
                for a in c.pipeline(reqs):
                    ok(a)
            busy = time.monotonic() - t0
            # a write of another client meanwhile is answered (committed) at once
            code = list(city.comm)[0]
            ok(d.call("need.post", {"title": "并行写", "category": "goods.books",
                                    "budget": 100}, token=city.comm[code]))
        finally:
            stop.set()
            th.join(30)
        assert len(waits) > 10, waits
        assert max(waits) < max(0.25 * SLOW, busy / 4), (max(waits), busy, len(waits))


def test_one_connection_holds_one_reader():
    """A client that pipelines many long reads uses one reader thread at a time: a
    second client's long read is answered before the first client's last one."""
    with Daemon() as d:
        city = City(d)
        city.post_needs(3000)
        with Native(d.port) as a, Native(d.port) as b:
            reqs = [a.request("risk.flags", {}, token=d.admin, id=i) for i in range(30)]
            a.send_raw(b"".join((__import__("json").dumps(r) + "\n").encode() for r in reqs))
            time.sleep(0.05 * SLOW)
            ok(b.call("stats.streets", {}, token=d.admin))
            # b is answered while a still waits for most of its answers
            a.sock.settimeout(0)
            try:
                pending = a.sock.recv(1 << 20)
            except (BlockingIOError, socket.timeout):
                pending = b""
            a.sock.settimeout(None)
            assert pending.count(b"\n") < 30, "a's 30 reads all ran before b's one"
            a.buf = pending
            for i in range(30):
                assert a.read_json(timeout=60 * SLOW)["id"] == i


def test_fair_match_is_written_only_if_nothing_it_read_changed():
    """fair.match computes on a reader; writes that could change its input meanwhile
    make it compute once more, then answer conflict; once they stop, it stores.
    Each computation takes 300 ms longer, so that the updaters' writes (their round
    trips wait for the sync) surely come while it runs, on a loaded machine too."""
    with Daemon(env={"MATCHD_TEST_COMPUTE_DELAY_MS": "300"}) as d:
        city = City(d, communities=2)
        needs = city.post_needs(1500)
        offers = city.post_offers(150)
        fid = city.fair(needs, offers)
        tok = city.comm["RC00"]
        mine = [n for n in needs if ok(d.call("need.get", {"id": n}, token=tok))["need"]
                ["community"] == "RC00"][:6]
        stop = threading.Event()

        def updater(k0):
            # two of them, so that one's round trip is the other's write
            with d.native() as c:
                i = 0
                while not stop.is_set():
                    reqs = [c.request("need.update", {"id": mine[(k0 + k) % len(mine)],
                                                      "budget": 60000 + (i + k) % 1000},
                                      token=tok, id=k) for k in range(20)]
                    for r in c.pipeline(reqs):
                        ok(r)
                    i += 20

        ths = [threading.Thread(target=updater, args=(k,)) for k in (0, 3)]
        for th in ths:
            th.start()
        try:
            time.sleep(0.1)
            r = d.call("fair.match", {"fair": fid}, token=d.admin)
        finally:
            stop.set()
            for th in ths:
                th.join(30)
        e = err(r, "conflict")
        assert "changed" in e["message"], e
        runs = ok(d.call("fair.get", {"id": fid}, token=d.admin))["fair"]["runs"]
        assert runs == 0, runs
        res = ok(d.call("fair.match", {"fair": fid}, token=d.admin))
        assert res["run"] == 1 and res["pairs"] > 0, res


def test_no_answer_is_ever_cut():
    """Over limits.max_answer_bytes a list answers the page that fits, with next; the
    pages together hold every item once.  Any other answer that long is too_large."""
    limit = 65536
    with Daemon(conf_overrides={"limits.max_answer_bytes": str(limit)}) as d:
        city = City(d, communities=1)
        ids = city.post_needs(300, desc="长" * 400)
        with d.native() as c:
            got, after, pages = [], None, 0
            while True:
                args = {"limit": 1000}
                if after is not None:
                    args["after"] = after
                c.send(c.request("need.list", args, token=d.admin))
                line = c.read_line()
                assert len(line) <= limit, len(line)
                r = ok(__import__("json").loads(line))
                got += [n["id"] for n in r["items"]]
                pages += 1
                if r["next"] is None:
                    break
                after = r["next"]
        assert got == sorted(ids) and pages > 1, (pages, len(got))
        # duplicate titles make a risk.flags answer longer than the limit
        tok = city.comm["RC00"]
        with d.native() as c:
            reqs = []
            for i in range(260):
                for _ in range(2):
                    reqs.append(c.request("need.post", {
                        "title": "community garden repair project number%d" % i,
                        "category": "goods.books", "budget": 100}, token=tok))
            for r in c.pipeline(reqs):
                ok(r)
        e = err(d.call("risk.flags", {}, token=d.admin), "too_large")
        assert "max_answer_bytes" in e["message"], e
        # the daemon goes on
        ok(d.call("ping"))


def _rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_a_client_that_never_reads_holds_one_answer():
    """A client pipelining long lists and never reading: its next request waits for
    the answer before it, and reading stops while 256 KiB of answers wait, so the
    daemon holds about one answer for it while others are served."""
    with Daemon() as d:
        city = City(d, communities=1)
        city.post_needs(500, desc="描述" * 200)
        pid = d.proc.pid
        rss0 = _rss_kib(pid)
        req = (__import__("json").dumps({"op": "need.list", "token": d.admin,
                                         "args": {"limit": 1000}}) + "\n").encode()
        s = socket.create_connection(("127.0.0.1", d.port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.setblocking(False)
        payload, sent = req * 500, 0
        deadline = time.monotonic() + 3
        while sent < len(payload) and time.monotonic() < deadline:
            try:
                sent += s.send(payload[sent:sent + 65536])
            except BlockingIOError:
                time.sleep(0.02)
        probe = d.native()
        for _ in range(20):
            t0 = time.monotonic()
            ok(probe.call("ping"))
            assert time.monotonic() - t0 < 1.0 * SLOW
            time.sleep(0.05)
        grown = _rss_kib(pid) - rss0
        assert grown < 64 * 1024, "RSS grew by %d KiB" % grown
        s.close()
        ok(probe.call("ping"))


def test_duplicates_are_one_flag_per_cluster():
    """A community posting one title a thousand times is one duplicate_need flag of
    size 1000 with its first ids, in well under a second."""
    with Daemon() as d:
        city = City(d, communities=1)
        tok = city.comm["RC00"]
        with d.native() as c:
            reqs = [c.request("need.post", {"title": "社区长者助餐服务", "category":
                                            "service.elderly", "budget": 100}, token=tok)
                    for _ in range(1000)]
            ids = [ok(r)["need"]["id"] for r in c.pipeline(reqs)]
        t0 = time.monotonic()
        items = ok(d.call("risk.flags", {}, token=d.admin))["items"]
        took = time.monotonic() - t0
        dups = [it for it in items if it["kind"] == "duplicate_need"]
        assert len(dups) == 1, dups[:3]
        f = dups[0]
        assert (f["duplicate_of"], f["need"]) == (ids[0], ids[1]), f
        assert f["detail"]["size"] == 1000 and f["needs"] == ids[:20], f
        assert f["detail"]["similarity"] == 1, f
        assert took < 2 * SLOW, took


def _timeless(v):
    """v without the times a record carries (two daemons stamp them apart).
    A workbook is compared by its parts, less docProps/core.xml, which
    holds the second it was written."""
    if isinstance(v, dict) and "data" in v and v.get("encoding") == "base64" and \
            v.get("filename", "").endswith(".xlsx"):
        z = zipfile.ZipFile(io.BytesIO(base64.b64decode(v["data"])))
        parts = {i.filename: z.read(i.filename) for i in z.infolist()
                 if i.filename != "docProps/core.xml"}
        assert len(parts) == len(z.infolist()) - 1, z.namelist()
        return dict(_timeless({k: x for k, x in v.items() if k != "data"}),
                    parts=parts)
    if isinstance(v, dict):
        return {k: _timeless(x) for k, x in v.items() if k not in ("created", "updated")}
    if isinstance(v, list):
        return [_timeless(x) for x in v]
    return v


def test_no_reader_threads_answers_the_same():
    """limits.reader_threads = 0 runs every op on the loop thread: same answers."""
    outs = []
    for n in ("0", "2"):
        with Daemon(conf_overrides={"limits.reader_threads": n}) as d:
            city = City(d)
            city.post_needs(100)
            offers = city.post_offers(10)
            fid = city.fair()
            ok(d.call("fair.match", {"fair": fid}, token=d.admin))
            reads, t = _long_reads(d, fid, offers[0])
            out = []
            for op, args in reads:
                r = ok(d.call(op, args, token=t))
                if op in ("audit.list", "fair.export"):
                    continue   # times and ids of the audit differ by run
                out.append((op, _timeless(r)))
            outs.append(out)
    for (op, a), (_, b) in zip(outs[0], outs[1]):
        assert a == b, (op, a, b)
    assert len(outs[0]) == len(outs[1])


def test_stop_while_reads_run():
    """SIGTERM while long reads run (or wait for a reader): each is answered, then
    matchd exits 0."""
    with Daemon() as d:
        city = City(d)
        city.post_needs(3000)
        conns = [Native(d.port) for _ in range(3)]
        try:
            for i, c in enumerate(conns):
                c.send(c.request("risk.flags", {}, token=d.admin, id=i))
            # each was read (the loop is never busy for long) before the signal
            time.sleep(0.02 * SLOW)
            d.send_signal(signal.SIGTERM)
            for i, c in enumerate(conns):
                assert ok(c.read_json(timeout=60 * SLOW)) is not None
        finally:
            for c in conns:
                c.close()
        assert d.wait(60 * SLOW) == 0


def test_stress_writes_with_every_long_read():
    """Writers post, update, withdraw, enrol, match and answer while readers cycle
    through every long read and fair.match / fair.schedule, on several connections
    at once: every answer comes, in order, ok or a documented refusal; afterwards the
    store is whole (under TSAN=1, ThreadSanitizer watches every access)."""
    with Daemon() as d:
        city = City(d, communities=4, orgs=3)
        needs = city.post_needs(600)
        offers = city.post_offers(60)
        fid = city.fair()
        ok(d.call("fair.match", {"fair": fid}, token=d.admin))
        stop = threading.Event()
        failures = []
        counts = {"w": 0, "r": 0}
        seconds = 4.0

        def writer(k):
            rng = random.Random(100 + k)
            codes = list(city.comm)
            try:
                with d.native() as c:
                    i = 0
                    while not stop.is_set():
                        code = codes[rng.randrange(len(codes))]
                        tok = city.comm[code]
                        reqs = []
                        for j in range(10):
                            x = rng.randrange(4)
                            if x == 0:
                                reqs.append(c.request("need.post", {
                                    "title": _title(rng), "category": "service.elderly",
                                    "budget": 1000 + rng.randrange(9000)}, token=tok, id=j))
                            elif x == 1:
                                reqs.append(c.request("need.update", {
                                    "id": rng.choice(needs), "budget": 2000 + j},
                                    token=d.admin, id=j))
                            elif x == 2:
                                reqs.append(c.request("offer.update", {
                                    "id": rng.choice(offers), "price": 600 + j},
                                    token=d.admin, id=j))
                            else:
                                reqs.append(c.request("fair.enroll", {"fair": fid, "all": True},
                                                      token=d.admin, id=j))
                        ans = c.pipeline(reqs)
                        if [a.get("id") for a in ans] != list(range(10)):
                            failures.append(("order", [a.get("id") for a in ans]))
                        for a in ans:
                            if not a.get("ok") and a["error"]["code"] not in ("conflict",):
                                failures.append(a)
                        counts["w"] += 10
                        i += 1
            except Exception as e:  # noqa: BLE001 (reported below)
                failures.append(repr(e))

        def reader(k):
            rng = random.Random(200 + k)
            reads, t = _long_reads(d, fid, offers[0])
            reads = reads + [("fair.match", {"fair": fid}), ("fair.schedule", {"fair": fid})]
            try:
                with d.native() as c:
                    while not stop.is_set():
                        batch = [reads[rng.randrange(len(reads))] for _ in range(6)]
                        reqs = [c.request(op, args, token=t, id=j)
                                for j, (op, args) in enumerate(batch)]
                        reqs.append(c.request("ping", id=len(batch)))
                        ans = c.pipeline(reqs)
                        if [a.get("id") for a in ans] != list(range(len(reqs))):
                            failures.append(("order", [a.get("id") for a in ans]))
                        for (op, _), a in zip(batch, ans):
                            if a.get("ok"):
                                continue
                            # the matcher's write may find its input changed twice
                            if op in ("fair.match", "fair.schedule") and \
                                    a["error"]["code"] == "conflict":
                                continue
                            failures.append((op, a))
                        counts["r"] += len(batch)
            except Exception as e:  # noqa: BLE001
                failures.append(repr(e))

        ths = [threading.Thread(target=writer, args=(k,)) for k in range(3)]
        ths += [threading.Thread(target=reader, args=(k,)) for k in range(3)]
        for th in ths:
            th.start()
        time.sleep(seconds)
        stop.set()
        for th in ths:
            th.join(120 * SLOW)
        assert not failures, failures[:5]
        assert counts["w"] > 0 and counts["r"] > 0, counts
        # whole afterwards: every need listed once, in order
        items, _ = d.list_all("need.list", d.admin, limit=1000)
        got = [n["id"] for n in items]
        assert got == sorted(set(got)) and set(needs) <= set(got)
        d.stop()


def _enroll_all_outcome(d):
    """A street's fair (street A) enrolled by all:true after some needs were enrolled by name,
    withdrawn or posted in another street, and an offer that serves another street
    only: what each enrol answered, what the fair holds, and its run's summary."""
    city = City(d)
    needs = city.post_needs(300)
    offers = city.post_offers(20)
    other = d.org("9144030000000X0001", streets=[STREET_B])
    offers.append(d.post_offer(other, price=800)["id"])
    for code, tok in list(city.comm.items())[:2]:
        mine = [n for n in needs if ok(d.call("need.get", {"id": n}, token=tok))["need"]
                ["community"] == code][:5]
        for n in mine[:2]:
            ok(d.call("need.withdraw", {"id": n}, token=tok))
    _, otok = d.organizer("A 街道办", street=STREET_A)
    fid = ok(d.call("fair.create", {"name": "整街对接会", "date": "%d-11-21" % YEAR},
                    token=otok))["fair"]["id"]
    named = ok(d.call("fair.enroll", {"fair": fid, "needs": needs[8:16:2]}, token=otok))
    out = [named]
    out.append(ok(d.call("fair.enroll", {"fair": fid, "all": True}, token=otok)))
    out.append(ok(d.call("fair.enroll", {"fair": fid, "all": True}, token=otok)))
    f = ok(d.call("fair.get", {"id": fid}, token=otok))["fair"]
    out.append((f["needs"], f["offers"]))
    out.append(_timeless(ok(d.call("fair.match", {"fair": fid}, token=otok))))
    return out


def test_enroll_all_scans_on_a_reader():
    """fair.enroll all reads the street's open needs and offers on a reader (the
    loop only inserts their ids, and logs that it wrote a reader's result), and
    enrols exactly what the loop alone enrols."""
    outs = []
    for n in ("0", "2"):
        with Daemon(conf_overrides={"limits.reader_threads": n,
                                    "log.level": "debug"}) as d:
            outs.append(_enroll_all_outcome(d))
            with open(d.log_path, "rb") as f:
                log = f.read().decode("utf-8", "replace")
            wrote = "job_finish: fair.enroll wrote its result" in log
            assert wrote == (n == "2"), (n, d.log_tail())
    assert outs[0] == outs[1], outs
    named, first, again, held, _ = outs[1]
    assert named["needs"] == 4 and first["needs"] == 150 - 2 - 4 and first["offers"] == 20, outs[1]
    assert again == {"needs": 0, "offers": 0}, again
    assert held == (4 + first["needs"], 20), held
