"""Connection life: half-closed clients are answered; a client making
progress is not cut by header_timeout."""
import json
import socket
import time

from harness import Daemon, ok


def test_half_closed_client_gets_every_answer():
    with Daemon() as d:
        t = d.admin
        s = socket.create_connection(("127.0.0.1", d.port), timeout=10)
        reqs = b"".join(json.dumps({"id": i, "op": "whoami", "token": t}).encode() + b"\n"
                        for i in range(200))
        s.sendall(reqs)
        s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        lines = data.splitlines()
        assert len(lines) == 200, "answered %d of 200 after half-close" % len(lines)
        assert [json.loads(l)["id"] for l in lines] == list(range(200))


def test_progressing_pipeline_outlives_header_timeout():
    # Every write ends in the middle of a request, for longer than
    # header_timeout: each request completes in time, so nothing is cut.
    with Daemon(conf_overrides={"limits.header_timeout": 1}) as d:
        t = d.admin
        s = socket.create_connection(("127.0.0.1", d.port), timeout=10)
        line = json.dumps({"op": "whoami", "token": t}).encode() + b"\n"
        half = len(line) // 2
        sent = 0
        deadline = time.time() + 2.5
        s.sendall(line[:half])
        while time.time() < deadline:
            time.sleep(0.2)
            s.sendall(line[half:] + line[:half])
            sent += 1
        s.sendall(line[half:])
        sent += 1
        f = s.makefile("rb")
        for _ in range(sent):
            r = json.loads(f.readline())
            ok(r)
        s.close()


def test_stalled_request_is_cut_after_header_timeout():
    with Daemon(conf_overrides={"limits.header_timeout": 1}) as d:
        s = socket.create_connection(("127.0.0.1", d.port), timeout=10)
        s.sendall(b'{"op":"pi')
        start = time.time()
        assert s.recv(100) == b"", "a stalled request must be cut without a word"
        assert time.time() - start < 5
        ok(d.call("ping"))
