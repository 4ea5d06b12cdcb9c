#!/usr/bin/env python3
"""city.py: the measurements of the `city` case of bench/run.sh, on a daemon
that run.sh has seeded with a city (CITY_NEEDS needs, 100,000 offers).

usage: city.py alone PORT TOKEN OP ARGS_JSON
           one operation, while another connection pings every 2 ms: prints
           op= secs= bytes= outcome= ping_n= ping_p99_ms= ping_max_ms=
       city.py mixed PORT ADMIN ORGANIZER FAIR WINDOW LOAD TOKENS
           stats.*, risk.flags, a report (fair.export csv) and fair.match of
           FAIR back to back on one connection, pings every 2 ms on another,
           and `LOAD -o post -c 50 -k 1` in windows of WINDOW seconds for the
           whole time: prints mixed_s= ping_n= ping_p99_ms= ping_max_ms=
           post_rps= (the mean of the windows that ended before the ops did)
           and each op's secs and outcome
       city.py ping PORT
           the pinger of the two above, a process of its own: "ready", then a
           ping every 2 ms until its stdin closes, then ping_n= ping_p99_ms=
           ping_max_ms=
       city.py idle PORT WINDOW LOAD TOKENS
           need.post 50 x 1 for WINDOW seconds with nothing else: idle_post_rps=
The outcome of an op is ok, an error code, or closed (the connection was cut).
"""
import json
import os
import socket
import subprocess
import sys
import threading
import time


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def call(self, op, args=None, token=None):
        env = {"op": op}
        if token:
            env["token"] = token
        if args is not None:
            env["args"] = args
        self.s.sendall(json.dumps(env).encode() + b"\n")
        while b"\n" not in self.buf:
            d = self.s.recv(1 << 20)
            if not d:
                return None, len(self.buf)
            self.buf += d
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line), len(line)


def outcome(r):
    if r is None:
        return "closed"
    return "ok" if r.get("ok") else r["error"]["code"]


class Pinger:
    """A ping every 2 ms on its own connection, from a process of its own
    (city.py ping): the wait of each.  Not a thread of this process: the
    ops' answers run to hundreds of kilobytes of JSON, and json.loads holds
    the GIL for the whole of one (11 ms for 800 KB here), which a pinger
    thread would count as the daemon's wait."""

    def __init__(self, port):
        self.port = port
        self.proc = None
        self.line = ""

    def start(self):
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "ping",
                                      str(self.port)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        # It answers "ready" once its connection is up.
        self.proc.stdout.readline()

    def stop(self):
        """Stop it (closing its stdin) and keep its report."""
        out, _ = self.proc.communicate(timeout=60)
        self.line = out.decode().strip()

    def report(self):
        return self.line


def pinger(port):
    """city.py ping PORT: "ready", then a ping every 2 ms until stdin
    closes; then ping_n= ping_p99_ms= ping_max_ms=."""
    c = Conn(port)
    waits = []
    done = threading.Event()

    def eof():
        sys.stdin.read()
        done.set()
    threading.Thread(target=eof, daemon=True).start()
    print("ready", flush=True)
    slow = []
    while not done.is_set():
        t0 = time.monotonic()
        c.call("ping")
        waits.append(time.monotonic() - t0)
        if waits[-1] > 0.010:
            slow.append("%.3f:%.1f" % (time.time() - waits[-1], waits[-1] * 1000))
        time.sleep(0.002)
    if slow:
        print("city.py ping: waits over 10 ms (sent at, ms): %s" % " ".join(slow),
              file=sys.stderr)
    w = sorted(waits) or [0]
    p99 = w[min(len(w) - 1, int(len(w) * 0.99))]
    print("ping_n=%d ping_p99_ms=%.2f ping_max_ms=%.2f" % (len(waits), p99 * 1000,
                                                          w[-1] * 1000))


def alone(port, token, op, args):
    p = Pinger(port)
    p.start()
    time.sleep(0.2)
    c = Conn(port)
    t0 = time.monotonic()
    r, n = c.call(op, json.loads(args), token)
    secs = time.monotonic() - t0
    time.sleep(0.05)
    p.stop()
    print("op=%s secs=%.3f bytes=%d outcome=%s %s" % (op, secs, n, outcome(r), p.report()))
    if r is not None and not r.get("ok"):
        print("error: %s" % r["error"]["message"][:200], file=sys.stderr)


SEED = [1000]


def post_window(load, port, tokens, secs):
    """need.post, 50 connections x 1 in flight, for secs: its req/s.  Each
    window draws other titles (a seed of its own): the seeding's again would
    be a city of duplicates."""
    SEED[0] += 1
    r = subprocess.run([load, "-o", "post", "-c", "50", "-k", "1", "-d", str(secs),
                        "-r", str(SEED[0]), "-t", tokens, "-T", "127.0.0.1:%d" % port],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = r.stdout.decode().strip().splitlines()[-1] if r.stdout else ""
    rps = [x.split("=")[1] for x in line.split() if x.startswith("rps=")]
    return float(rps[0]) if rps else 0.0


def mixed(port, admin, organizer, fair, window, load, tokens):
    ops = [("stats.streets", {}, admin), ("stats.categories", {}, admin),
           ("stats.orgs", {}, admin), ("risk.flags", {}, admin),
           ("fair.export", {"fair": fair, "format": "csv"}, organizer),
           ("fair.match", {"fair": fair}, organizer)]
    skip = os.environ.get("CITY_SKIP", "").split()
    ops = [o for o in ops if o[0] not in skip]
    parts = []
    done = threading.Event()

    def run_ops():
        c = Conn(port)
        for op, args, tok in ops:
            t1 = time.monotonic()
            r, _ = c.call(op, args, tok)
            parts.append("%s=%.3f/%s" % (op.replace(".", "_"), time.monotonic() - t1,
                                         outcome(r)))
        done.set()

    p = Pinger(port)
    p.start()
    time.sleep(0.2)
    t0 = time.monotonic()
    th = threading.Thread(target=run_ops, daemon=True)
    th.start()
    # need.post in windows while the ops run: the windows that ended before
    # the ops did count
    rates = []
    while not done.is_set():
        r = post_window(load, port, tokens, window)
        if not done.is_set():
            rates.append(r)
    th.join()
    mixed_s = time.monotonic() - t0
    p.stop()
    rps = sum(rates) / len(rates) if rates else 0.0
    print("mixed_s=%.3f %s post_rps=%.0f post_windows=%d %s" % (
        mixed_s, p.report(), rps, len(rates), " ".join(parts)))


def idle_posts(port, window, load, tokens):
    SEED[0] = 2000
    print("idle_post_rps=%.0f" % post_window(load, port, tokens, window))


if __name__ == "__main__":
    if sys.argv[1] == "alone":
        alone(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])
    elif sys.argv[1] == "mixed":
        mixed(int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]),
              float(sys.argv[6]), sys.argv[7], sys.argv[8])
    elif sys.argv[1] == "ping":
        pinger(int(sys.argv[2]))
    elif sys.argv[1] == "idle":
        idle_posts(int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        sys.exit(__doc__)
