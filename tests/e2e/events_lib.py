"""What the event tests share: a watcher on the native transport, an SSE reader, and
a small district whose operations cause every kind of event that exists today."""

import json
import socket
import time

from harness import Native, ok, STREET_A, STREET_B

ORG1 = "91440300MA5FEVT001"     # street A, serves street A
ORG2 = "91440300MA5FEVT002"     # district-wide, serves every street
DATE = "2026-06-01"


class Watcher:
    """One native connection that watches events."""

    def __init__(self, d, token, rcvbuf=None, **args):
        if rcvbuf is None:
            self.c = Native(d.port)
        else:
            # A small window, set before connecting: a reader that lags.
            self.c = Native.__new__(Native)
            self.c.timeout, self.c.buf, self.c.closed = 10.0, b"", False
            self.c.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            self.c.sock.settimeout(10.0)
            self.c.sock.connect(("127.0.0.1", d.port))
        d._clients.append(self.c)
        self.answer = self.c.call("events.watch", args, token=token)
        self.events = []
        self.lines = []

    @property
    def last(self):
        return ok(self.answer)["last"]

    def read(self, timeout=0.5, until=None):
        """Read event lines until none comes for `timeout` seconds, or until an event
        with id >= until has come (then whatever else is already there)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if until is not None and self.events and self.events[-1]["id"] >= until:
                timeout = min(timeout, 0.2)
            try:
                line = self.c.read_json(timeout=timeout)
            except (socket.timeout, TimeoutError):
                return self.events
            self.lines.append(line)
            assert "event" in line, "not an event line: %r" % (line,)
            self.events.append(line["event"])
        raise AssertionError("events kept coming for 10 s")


def sse_read(port, path, headers=None, seconds=1.5):
    """GET path with Accept: text/event-stream; return (status line, header lines,
    frames as dicts with id/event/data, comments) read for `seconds`."""
    s = socket.create_connection(("127.0.0.1", port), timeout=seconds)
    h = {"Accept": "text/event-stream"}
    h.update(headers or {})
    req = "GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n" % (
        path, "".join("%s: %s\r\n" % kv for kv in h.items()))
    s.sendall(req.encode())
    buf = b""
    end = time.monotonic() + seconds
    s.settimeout(0.2)
    while time.monotonic() < end:
        try:
            d = s.recv(65536)
        except (socket.timeout, TimeoutError):
            continue
        if not d:
            break
        buf += d
    s.close()
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    frames, comments = [], []
    for block in body.decode("utf-8").split("\n\n"):
        f = {}
        for line in block.split("\n"):
            if line.startswith(":"):
                comments.append(line)
            elif ": " in line:
                k, v = line.split(": ", 1)
                f[k] = v
        if "data" in f:
            f["data"] = json.loads(f["data"])
            frames.append(f)
    return lines[0], lines[1:], frames, comments


class EventDistrict:
    """Two streets; organizers of each and of the district; communities C1 (street
    A), C2 (street A), C3 (street B); ORG1 (street A), ORG2 (district-wide)."""

    ROLES = ("admin", "organizer_here", "organizer_there", "organizer_district",
             "community_owner", "community_other", "community_partner", "org_owner",
             "org_other")

    def __init__(self, d):
        self.d = d
        self.tok = {"admin": d.admin}
        self.tok["community_owner"] = d.community("C1", STREET_A)
        self.tok["community_other"] = d.community("C2", STREET_A)
        self.tok["community_partner"] = d.community("C3", STREET_B)
        self.tok["org_owner"] = d.org(ORG1, street=STREET_A, streets=[STREET_A])
        self.tok["org_other"] = d.org(ORG2)
        self.tok["organizer_here"] = d.organizer("莲花街道办", STREET_A)[1]
        self.tok["organizer_there"] = d.organizer("园岭街道办", STREET_B)[1]
        self.tok["organizer_district"] = d.organizer("区民政局")[1]

    def call(self, op, args, role="admin"):
        return ok(self.d.call(op, args, token=self.tok[role]))

    def need(self, role="community_owner", **kw):
        a = {"title": "长者助餐服务", "category": "service.elderly", "budget": 50000}
        a.update(kw)
        return self.call("need.post", a, role)["need"]["id"]

    def offer(self, role="org_owner", **kw):
        a = {"title": "长者助餐配送", "category": "service.elderly", "price": 30000}
        a.update(kw)
        return self.call("offer.post", a, role)["offer"]["id"]

    def fair(self, need, offer, street=STREET_A):
        f = self.call("fair.create", {"name": "莲花街道对接会", "date": DATE,
                                      "street": street})["fair"]["id"]
        self.call("fair.enroll", {"fair": f, "needs": [need], "offers": [offer]})
        r = self.call("fair.match", {"fair": f})
        assert r["pairs"] == 1, r
        m = self.call("fair.matches", {"fair": f})["items"][0]["id"]
        return f, m
