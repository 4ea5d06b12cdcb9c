"""Durability: clean shutdown on signals, restart keeps everything, kill -9 loses nothing
that was acknowledged."""

import signal
import threading
import time

from harness import Daemon, Http, ok, err, STREET_B

ORG1 = "91440300MA5F000001"


def test_sigterm_exits_zero():
    with Daemon() as d:
        d.community("C1")
        t0 = time.monotonic()
        d.stop(signal.SIGTERM)
        assert time.monotonic() - t0 < 5


def test_sigint_exits_zero():
    with Daemon() as d:
        d.stop(signal.SIGINT)


def test_sigterm_with_open_connections():
    with Daemon() as d:
        c = d.native()
        assert ok(c.call("ping"))["pong"]
        h = Http(d.http_port)
        assert h.op("ping")[0] == 200                 # keep-alive connection left open
        c2 = d.native()
        c2.send_raw(b'{"op":"pi')                     # half a request
        d.proc.send_signal(signal.SIGTERM)
        rc = d.wait(10)
        h.close()
        assert rc == 0, "exit %r with open connections; log:\n%s" % (rc, d.log_tail())


def test_restart_keeps_data_and_tokens():
    with Daemon() as d:
        ct = d.community("C1", street=STREET_B)
        ot = d.org(ORG1)
        n = d.post_need(ct, title="重启前", budget=12345.67, partners=[])
        off = d.post_offer(ot, capacity=4)
        ok(d.call("need.withdraw", {"id": n["id"]}, token=ct))
        n2 = d.post_need(ct, ref="keep")
        d.restart()
        g = ok(d.call("need.get", {"id": n["id"]}, token=ct))["need"]
        assert g["title"] == "重启前" and g["budget"] == 12345.67 and g["status"] == "withdrawn", g
        assert g["street"] == STREET_B
        go = ok(d.call("offer.get", {"id": off["id"]}, token=ot))["offer"]
        assert go == off, (go, off)
        assert ok(d.call("whoami", token=ct))["code"] == "C1"
        assert ok(d.call("whoami", token=d.admin))["role"] == "admin"
        # ref idempotency survives the restart too
        assert d.post_need(ct, ref="keep")["id"] == n2["id"]
        # new ids never reuse old ones
        n3 = d.post_need(ct)
        assert n3["id"] > n2["id"], (n3["id"], n2["id"])


def test_rotated_token_stays_dead_after_restart():
    with Daemon() as d:
        old = d.community("C1")
        new = ok(d.call("token.rotate", token=old))["token"]
        d.restart()
        err(d.call("whoami", token=old), "unauthenticated")
        assert ok(d.call("whoami", token=new))["code"] == "C1"


def test_kill9_after_acknowledged_writes():
    with Daemon() as d:
        t = d.community("C1")
        reqs = [{"id": i, "op": "need.post", "token": t,
                 "args": {"title": "急%d" % i, "category": "service.health", "budget": 1000 + i}}
                for i in range(200)]
        c = d.native()
        answers = c.pipeline(reqs)
        d.kill9()                                  # at once, after the last acknowledgement
        ids = {}
        for i, a in enumerate(answers):
            ids[ok(a)["need"]["id"]] = i
        assert len(ids) == 200
        d.start()
        got = d.native().pipeline([{"id": nid, "op": "need.get", "token": t, "args": {"id": nid}}
                                   for nid in ids])
        for a in got:
            r = a.get("result") or {}
            assert a["ok"], "acknowledged need %s lost after kill -9: %r" % (a.get("id"), a)
            i = ids[a["id"]]
            assert r["need"]["title"] == "急%d" % i and r["need"]["budget"] == 1000 + i
        items, _ = d.list_all("need.list", t, {}, limit=1000)
        assert len(items) == 200, len(items)


def test_kill9_after_updates():
    with Daemon() as d:
        t = d.community("C1")
        n = d.post_need(t, budget=1)
        reqs = [{"id": i, "op": "need.update", "token": t, "args": {"id": n["id"], "budget": 2 + i}}
                for i in range(50)]
        answers = d.native().pipeline(reqs)
        d.kill9()
        assert all(a["ok"] for a in answers), [a for a in answers if not a["ok"]][:2]
        d.start()
        g = ok(d.call("need.get", {"id": n["id"]}, token=t))["need"]
        assert g["budget"] == 51, "last acknowledged update lost: %r" % g


def test_kill9_and_restart_with_synchronous_normal_still_starts():
    with Daemon(conf_overrides={"store.synchronous": "normal"}) as d:
        t = d.community("C1")
        d.post_need(t)
        d.kill9()
        d.start()
        assert ok(d.call("whoami", token=t))["code"] == "C1"


def test_matchd_token_while_writes_are_in_flight():
    with Daemon() as d:
        t = d.community("C1")
        c = d.native()
        results = {}

        def writer():
            results["w"] = c.pipeline([{"id": i, "op": "need.post", "token": t,
                                        "args": {"title": "忙%d" % i, "category": "service.health",
                                                 "budget": 1}} for i in range(1500)])
        th = threading.Thread(target=writer)
        th.start()
        toks = [d.admin_token() for _ in range(5)]     # each must exit 0 under load
        th.join(30)
        bad = [a for a in results["w"] if not a["ok"]]
        assert not bad, "writes failed while matchd token ran: %r" % bad[:3]
        assert ok(d.call("whoami", token=toks[-1]))["role"] == "admin"


def test_sighup_keeps_serving():
    with Daemon() as d:
        t = d.community("C1")
        d.proc.send_signal(signal.SIGHUP)
        time.sleep(0.3)
        assert d.running(), "SIGHUP killed matchd"
        assert ok(d.call("whoami", token=t))["code"] == "C1"
        d.stop()
