"""A local HTTP sink for webhooks, on 127.0.0.1: it checks each delivery's signature,
records what came, and can be told to fail, answer slowly, or go away and come back
on the same port."""

import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Sink:
    def __init__(self, secret=None, port=0):
        self.secret = secret
        self.lock = threading.Lock()
        self.received = []          # (event id, parsed body) in arrival order
        self.bad_signatures = []
        self.status = 200           # what to answer
        self.reply = b'{"ok":true}'
        self.fail_ids = set()       # answer 500 for these event ids
        self.delay = 0.0
        self.server = None
        self.port = port
        self.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d/hook" % self.port

    def start(self):
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                sig = self.headers.get("X-Matchd-Signature", "")
                eid = int(self.headers.get("X-Matchd-Event", "0"))
                if sink.delay:
                    time.sleep(sink.delay)
                status, reply = sink.status, sink.reply
                if eid in sink.fail_ids:
                    status = 500
                with sink.lock:
                    if sink.secret is not None:
                        want = "sha256=" + hmac.new(sink.secret.encode(), body,
                                                    hashlib.sha256).hexdigest()
                        if not hmac.compare_digest(want, sig):
                            sink.bad_signatures.append((eid, sig))
                    if 200 <= status < 300:
                        sink.received.append((eid, json.loads(body)))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        class Server(ThreadingHTTPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.server = Server(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def ids(self):
        with self.lock:
            return [e for e, _ in self.received]

    def wait_for(self, want, timeout):
        """Wait until every id of want has come; return the ids received."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.ids()
            if set(want) <= set(got):
                return got
            time.sleep(0.05)
        got = self.ids()
        raise AssertionError("the sink has %d of %d events after %.0f s; missing %r"
                             % (len(set(want) & set(got)), len(want), timeout,
                                sorted(set(want) - set(got))[:10]))


def closed_port():
    """A port on 127.0.0.1 where nothing listens."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p
