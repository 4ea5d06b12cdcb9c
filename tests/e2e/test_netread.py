"""The socket's read and write paths (net/conn.c).  Reads: conn_recv takes
what the socket holds into the input with recv, up to a turn's worth, one
recv when that empties it; it must keep every byte in order whatever the
segments, long lines and long pipelines across many reads, and EOF and
resets right behind the data.  Writes: many answers of one release,
partial writes and a close after answers keep order and every byte."""

import json
import socket
import struct
import threading
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


def _read_to_eof(s, timeout=10):
    """All s receives until the daemon closes it (a reset ends it too); s is
    closed."""
    s.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        pass
    s.close()
    return data


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
        data = _read_to_eof(s)
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


def test_many_answers_of_one_release_keep_order():
    # requests_per_turn 200: 200 answers of one connection in one release,
    # in order.
    with Daemon(conf_overrides={"limits.requests_per_turn": 200}) as d:
        t = d.admin
        s = _connect(d.port)
        reqs = b"".join(json.dumps({"id": i, "op": "whoami" if i % 2 else "ping",
                                    "token": t}).encode() + b"\n" for i in range(200))
        for _ in range(5):
            s.sendall(reqs)
            lines = _read_lines(s, 200)
            assert [json.loads(l)["id"] for l in lines] == list(range(200))
        s.close()


def test_partial_writes_keep_every_byte_in_order():
    # Answers of 20 KB each, 300 of them, while the client reads nothing:
    # the socket fills in the middle of a write, the rest waits in the
    # output; then the client reads every answer, whole and in order.
    with Daemon(conf_overrides={"limits.requests_per_turn": 64}) as d:
        s = _connect(d.port)
        ids = ["%04d-" % i + chr(0x4e00 + i) * 7000 for i in range(300)]
        data = b"".join(json.dumps({"id": x, "op": "ping"}).encode() + b"\n" for x in ids)
        # The daemon stops reading while its output is over 256 KB: send
        # from a thread, read after a pause.
        sender = threading.Thread(target=s.sendall, args=(data,))
        sender.start()
        time.sleep(1.0)
        lines = _read_lines(s, 300, timeout=30)
        sender.join(10)
        s.close()
        assert len(lines) == 300, "answered %d of 300" % len(lines)
        for i, l in enumerate(lines):
            a = json.loads(l)
            assert a["id"] == ids[i] and ok(a)["pong"], "answer %d is not its request's" % i


def test_too_large_after_answers_of_the_same_release():
    # Pings, then a line over max_request_bytes, in one write: the pings'
    # answers, then the refusal (it closes), then EOF.
    with Daemon(conf_overrides={"limits.max_request_bytes": 1024}) as d:
        s = _connect(d.port)
        s.sendall(b"".join(b'{"id":%d,"op":"ping"}\n' % i for i in range(10)) +
                  b'{"id":99,"op":"ping","pad":"' + b"x" * 4000 + b'"}\n')
        data = _read_to_eof(s)
        lines = [json.loads(l) for l in data.split(b"\n") if l]
        assert [a["id"] for a in lines[:10]] == list(range(10)), lines[:10]
        assert len(lines) == 11 and lines[10]["error"]["code"] == "too_large", lines[10:]
