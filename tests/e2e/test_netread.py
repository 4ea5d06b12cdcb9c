"""The socket's read path (net/conn.c, conn_recv): the daemon reads each
connection with recv into its input, as much as the socket holds up to a
turn's worth, and one recv when that empties it.  What that read must keep:
every byte in order whatever the segments, long lines and long pipelines
across many reads, EOF and resets right behind the data, and the idle
timeout (the read event's own timeout)."""

import json
import socket
import struct
import time

from harness import Daemon, ok


def _read_lines(s, n, timeout=20):
    """n answer lines from s (bytes each), or fewer if s closes first."""
    s.settimeout(timeout)
    data = b""
    while data.count(b"\n") < n:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.split(b"\n")[:n] if data.count(b"\n") >= n else data.split(b"\n")[:-1]


def _connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def test_pipeline_of_many_reads_answered_in_order():
    # 3,000 requests, about 270 KB in one write: many reads of 16 KB, and
    # more than a turn's 64 KB; every answer comes, in request order.
    with Daemon() as d:
        t = d.admin
        reqs = []
        for i in range(3000):
            if i % 3 == 0:
                reqs.append({"id": i, "op": "ping", "pad": "x" * (i % 97)})
            else:
                reqs.append({"id": i, "op": "whoami", "token": t})
        s = _connect(d.port)
        s.sendall(b"".join(json.dumps(r).encode() + b"\n" for r in reqs))
        lines = _read_lines(s, 3000)
        s.close()
        assert len(lines) == 3000, "answered %d of 3000" % len(lines)
        ids = [json.loads(l)["id"] for l in lines]
        assert ids == list(range(3000)), "answers out of order near %d" % next(
            i for i, x in enumerate(ids) if x != i)


def test_line_longer_than_many_reads():
    # One request of 300 KB (under max_request_bytes, 1 MiB) arrives over
    # many reads; the request after it in the same write is answered next.
    with Daemon() as d:
        s = _connect(d.port)
        long_id = "L" * 300000
        s.sendall(json.dumps({"id": long_id, "op": "ping"}).encode() + b"\n" +
                  b'{"id":2,"op":"ping"}\n')
        lines = _read_lines(s, 2)
        s.close()
        assert len(lines) == 2, "answered %d of 2" % len(lines)
        assert json.loads(lines[0])["id"] == long_id
        assert json.loads(lines[1])["id"] == 2


def test_bytes_split_at_every_position():
    # Two requests, the second a whoami, sent in two writes split at every
    # position: each split is read as it comes, and both are answered, in
    # order, once.
    with Daemon() as d:
        payload = (b'{"id":1,"op":"ping"}\n{"id":2,"op":"whoami","token":"' +
                   d.admin.encode() + b'"}\n')
        s = _connect(d.port)
        for cut in range(1, len(payload)):
            s.sendall(payload[:cut])
            time.sleep(0.002)
            s.sendall(payload[cut:])
            lines = _read_lines(s, 2, timeout=10)
            assert len(lines) == 2, "split at %d: %d answers" % (cut, len(lines))
            a, b = json.loads(lines[0]), json.loads(lines[1])
            assert a["id"] == 1 and ok(a)["pong"], (cut, a)
            assert b["id"] == 2 and ok(b)["role"] == "admin", (cut, b)
        s.close()


def test_data_and_eof_in_one_segment():
    # The request and the client's FIN arrive together: the read takes the
    # request, the next sees EOF; the answer is written, then the daemon
    # closes.  Native and HTTP.
    with Daemon() as d:
        for _ in range(20):
            s = _connect(d.port)
            s.sendall(b'{"id":9,"op":"ping"}\n')
            s.shutdown(socket.SHUT_WR)
            lines = _read_lines(s, 2)
            s.close()
            assert len(lines) == 1 and json.loads(lines[0])["id"] == 9, lines
        s = _connect(d.http_port)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        s.shutdown(socket.SHUT_WR)
        s.settimeout(10)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        assert data.startswith(b"HTTP/1.1 200"), data[:100]


def test_reset_behind_the_request_leaves_others_served():
    # A client sends a request and resets the connection at once (SO_LINGER
    # 0): its read fails or ends; the daemon goes on serving the others.
    with Daemon() as d:
        c = d.native()
        for i in range(50):
            s = _connect(d.port)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.sendall(b'{"id":1,"op":"whoami","token":"' + d.admin.encode() + b'"}\n')
            s.close()
        assert ok(c.call("ping", id=5))["pong"]
        assert d.proc.poll() is None, "matchd exited"


def test_http_keep_alive_pipeline_split_everywhere():
    # Two pipelined HTTP requests on one keep-alive connection, split at
    # every position across two writes: two answers each time.
    with Daemon() as d:
        one = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        payload = one + one
        s = _connect(d.http_port)
        for cut in range(1, len(payload), 3):
            s.sendall(payload[:cut])
            time.sleep(0.002)
            s.sendall(payload[cut:])
            s.settimeout(10)
            data = b""
            while data.count(b"HTTP/1.1 200") < 2 or not data.endswith(b"\n"):
                chunk = s.recv(65536)
                assert chunk, "closed after split at %d: %r" % (cut, data[:200])
                data += chunk
                if data.count(b"HTTP/1.1 200") >= 2:
                    # the second body is short: wait for its end
                    head, _, body = data.rpartition(b"\r\n\r\n")
                    length = int([h for h in head.split(b"\r\n")
                                  if h.lower().startswith(b"content-length:")][-1].split(b":")[1])
                    if len(body) >= length:
                        break
            assert data.count(b"HTTP/1.1 200") == 2, (cut, data[:300])
        s.close()
