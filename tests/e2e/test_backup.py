"""matchd backup and matchd restore (docs/protocol.md), and the restore drill of docs/design.md
("Operations"): writes under load, a backup, kill -9, a restore into a new path; every write
acknowledged before the backup began is there and integrity_check is ok.  Also the
systemd readiness datagrams (READY=1, STOPPING=1) the package's Type=notify unit needs."""

import os
import re
import socket
import sqlite3
import subprocess
import threading
import time

from harness import Daemon, MATCHD, ROOT, TIMEOUT, Native, err, ok

BACKUP_RE = re.compile(r"^backup (\S+): (\d+) bytes, schema (\d+), last audit id (\d+), "
                       r"integrity_check ok")


def matchd(*args, timeout=30):
    """Run bin/matchd with args; return (exit code, stdout, stderr)."""
    p = subprocess.run([str(MATCHD)] + [str(a) for a in args], cwd=str(ROOT),
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def backup(db, out, *extra):
    rc, out_text, err_text = matchd("backup", "-c", "/dev/null", "-D", db, *extra, out)
    assert rc == 0, "matchd backup exited %d: %s" % (rc, err_text)
    m = BACKUP_RE.match(out_text)
    assert m, "matchd backup printed %r" % out_text
    return m


def restore(copy, db, *extra):
    return matchd("restore", "-c", "/dev/null", "-D", db, *extra, copy)


def rows(path, sql):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_backup_restore_drill():
    """Writers post needs without pause; a backup is taken in the middle; the daemon is
    killed with SIGKILL; the copy is restored into a new path and served again."""
    with Daemon() as d:
        ct = d.community("C1")
        # Some bulk first, so that the copy takes a while next to the writers.
        c = d.native()
        for r in c.pipeline([{"id": i, "op": "need.post", "token": ct,
                              "args": {"title": "底量%d" % i, "category": "service.health",
                                       "budget": 10}} for i in range(1500)]):
            ok(r)
        acked, lock, stop, errors = [], threading.Lock(), threading.Event(), []

        def writer(w):
            n = 0
            try:
                with Native(d.port) as wc:
                    while not stop.is_set():
                        batch = [{"id": n + k, "op": "need.post", "token": ct,
                                  "args": {"title": "写入%d-%d" % (w, n + k),
                                           "category": "service.elderly", "budget": 10}}
                                 for k in range(10)]
                        n += 10
                        for a in wc.pipeline(batch):
                            need = ok(a)["need"]
                            with lock:
                                acked.append(need["id"])
            except Exception as e:       # the kill -9 ends them; anything before is a fault
                if not stop.is_set():
                    errors.append(e)

        threads = [threading.Thread(target=writer, args=(w,), daemon=True) for w in range(2)]
        for t in threads:
            t.start()
        wait_for = time.monotonic() + TIMEOUT
        while len(acked) < 200 and time.monotonic() < wait_for and not errors:
            time.sleep(0.02)
        assert not errors, "a writer failed before the backup: %r" % errors
        out = os.path.join(d.tmp, "copy.db")
        with lock:
            before = set(acked)           # acknowledged before the backup began
        m = backup(d.db, out)
        time.sleep(0.2)                   # writes go on after the backup
        with lock:
            after = len(acked)
        stop.set()
        d.kill9()
        for t in threads:
            t.join(TIMEOUT)
        assert not errors, "a writer failed: %r" % errors
        assert len(before) >= 200, len(before)
        assert after > len(before), "the writers stopped during the backup"

        # The copy alone, and restored into a new path.
        assert not os.path.exists(out + ".tmp")
        assert int(m.group(2)) == os.path.getsize(out)
        newdir = os.path.join(d.tmp, "restored")
        os.mkdir(newdir)
        d2 = Daemon(start=False)
        d2.db = os.path.join(newdir, "matchd.db")
        rc, text, errt = restore(out, d2.db)
        assert rc == 0, "restore exited %d: %s" % (rc, errt)
        assert text.startswith("restored %s into %s: " % (out, d2.db)), text
        assert rows(d2.db, "PRAGMA integrity_check") == [("ok",)]
        have = {r[0] for r in rows(d2.db, "SELECT id FROM needs")}
        missing = before - have
        assert not missing, "%d acknowledged needs missing from the copy, e.g. %s" % (
            len(missing), sorted(missing)[:5])
        last_audit = rows(d2.db, "SELECT max(id) FROM audit")[0][0]
        assert last_audit == int(m.group(4)), (last_audit, m.group(4))
        assert not os.path.exists(d2.db + "-wal")

        # The restored database serves: the same token, the same records.
        d2.start()
        probe = max(before)
        got = ok(d2.call("need.get", {"id": probe}, token=ct))["need"]
        assert got["id"] == probe and got["title"].startswith("写入"), got
        fresh = d2.post_need(ct, title="恢复之后")
        assert fresh["id"] > max(have), (fresh["id"], max(have))
        d2.stop()


def test_restore_refuses_a_database_in_use():
    with Daemon() as d:
        ct = d.community("C1")
        n = d.post_need(ct, title="在用")
        out = os.path.join(d.tmp, "copy.db")
        backup(d.db, out)
        rc, _, errt = restore(out, d.db, "--force")
        assert rc == 1 and "in use" in errt, (rc, errt)
        assert ok(d.call("need.get", {"id": n["id"]}, token=ct))["need"]["title"] == "在用"
        d.stop()
        # Stopped: --force is still needed to replace it, and then it does.
        rc, _, errt = restore(out, d.db)
        assert rc == 1 and "--force" in errt, (rc, errt)
        rc, text, errt = restore(out, d.db, "--force")
        assert rc == 0, errt
        d.start()
        assert ok(d.call("need.get", {"id": n["id"]}, token=ct))["need"]["title"] == "在用"


def test_restore_replaces_a_killed_database_and_its_wal():
    """After kill -9 the old database's -wal is still there; it must not be replayed into
    the restored copy."""
    with Daemon() as d:
        ct = d.community("C1")
        d.post_need(ct, title="备份前")
        out = os.path.join(d.tmp, "copy.db")
        backup(d.db, out)
        late = d.post_need(ct, title="备份后")
        d.kill9()
        assert os.path.exists(d.db + "-wal")
        # docs/protocol.md writes it `matchd restore IN [-D DB]`: options may follow IN.
        rc, _, errt = matchd("restore", out, "-D", d.db, "--force")
        assert rc == 0, errt
        assert not os.path.exists(d.db + "-wal")
        assert rows(d.db, "PRAGMA integrity_check") == [("ok",)]
        titles = {r[0] for r in rows(d.db, "SELECT title FROM needs")}
        assert "备份前" in titles and "备份后" not in titles, titles
        d.start()
        err(d.call("need.get", {"id": late["id"]}, token=ct), "not_found")


def test_backup_refusals():
    with Daemon() as d:
        d.community("C1")
        # OUT is the database itself.
        rc, _, errt = matchd("backup", "-c", "/dev/null", "-D", d.db, d.db)
        assert rc == 1 and "database itself" in errt, (rc, errt)
        # No such database.
        rc, _, errt = matchd("backup", "-c", "/dev/null", "-D", d.db + ".none",
                             os.path.join(d.tmp, "x.db"))
        assert rc == 1 and "No such file" in errt, (rc, errt)
        assert not os.path.exists(os.path.join(d.tmp, "x.db"))
        # An SQLite file that is not matchd's.
        other = os.path.join(d.tmp, "other.db")
        con = sqlite3.connect(other)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
        rc, _, errt = matchd("backup", "-c", "/dev/null", "-D", other,
                             os.path.join(d.tmp, "y.db"))
        assert rc == 1 and "not a matchd database" in errt, (rc, errt)
        assert not os.path.exists(os.path.join(d.tmp, "y.db"))
        # --keep needs a folder; bad usage exits 1.
        rc, _, errt = matchd("backup", "-c", "/dev/null", "-D", d.db, "--keep", "2",
                             os.path.join(d.tmp, "z.db"))
        assert rc == 1 and "folder" in errt, (rc, errt)
        for bad in (["backup"], ["backup", "--keep", "0", d.tmp], ["restore", "--keep", "1", "x"],
                    ["backup", "--force", "x"], ["restore"]):
            rc, _, errt = matchd(*bad)
            assert rc == 1 and "usage" in errt, (bad, rc, errt)


def test_restore_refuses_a_damaged_copy():
    with Daemon() as d:
        ct = d.community("C1")
        for i in range(300):
            d.post_need(ct, title="页%d" % i, description="内容" * 40)
        out = os.path.join(d.tmp, "copy.db")
        backup(d.db, out)
        size = os.path.getsize(out)
        assert size > 16 * 4096, size
        with open(out, "r+b") as f:          # scribble over pages in the middle
            f.seek(size // 2 // 4096 * 4096)
            f.write(b"\xa5" * 3 * 4096)
        target = os.path.join(d.tmp, "new.db")
        rc, _, errt = restore(out, target)
        assert rc == 1 and ("integrity_check" in errt or "malformed" in errt), (rc, errt)
        assert not os.path.exists(target) and not os.path.exists(target + ".tmp")
        junk = os.path.join(d.tmp, "junk.db")
        with open(junk, "wb") as f:
            f.write(b"not a database\n" * 100)
        rc, _, errt = restore(junk, target)
        assert rc == 1 and "not a database" in errt, (rc, errt)


def test_backup_folder_keeps_the_newest():
    with Daemon() as d:
        d.community("C1")
        folder = os.path.join(d.tmp, "backups")
        os.mkdir(folder)
        old = ["matchd-2025010%dT000000Z.db" % i for i in range(1, 6)]
        for name in old + ["notes.txt", "matchd-manual.db"]:
            with open(os.path.join(folder, name), "w") as f:
                f.write("x")
        m = backup(d.db, folder, "--keep", "3")
        made = os.path.basename(m.group(1))
        assert re.match(r"^matchd-\d{8}T\d{6}Z\.db$", made), made
        left = sorted(os.listdir(folder))
        assert left == sorted(old[-2:] + [made, "notes.txt", "matchd-manual.db"]), left
        assert rows(m.group(1), "PRAGMA integrity_check") == [("ok",)]


def _notify_socket(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(TIMEOUT)
    return s


def test_notify_ready_and_stopping():
    """With NOTIFY_SOCKET set (as systemd sets it for Type=notify), matchd first asks
    for time (opening the database may migrate it: a table rebuilt takes seconds a
    million rows, and systemd kills a start past 90 s), sends READY=1 once its
    listeners are open and STOPPING=1 when it begins to stop."""
    for abstract in (False, True):
        d = Daemon(start=False)
        try:
            if abstract:
                name = "matchd-e2e-%d" % os.getpid()
                sock = _notify_socket("\0" + name)
                os.environ["NOTIFY_SOCKET"] = "@" + name
            else:
                path = os.path.join(d.tmp, "notify")
                sock = _notify_socket(path)
                os.environ["NOTIFY_SOCKET"] = path
            d.start()
            msg = sock.recv(4096)
            assert msg == b"EXTEND_TIMEOUT_USEC=900000000", msg
            msg = sock.recv(4096)
            assert msg == b"READY=1", msg
            assert ok(d.call("ping"))["pong"]
            d.stop()
            msg = sock.recv(4096)
            assert msg == b"STOPPING=1", msg
            sock.close()
        finally:
            os.environ.pop("NOTIFY_SOCKET", None)
            d.cleanup()
