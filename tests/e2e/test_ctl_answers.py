"""matchctl against a hostile or broken server: whatever bytes come back, it never dies
of a signal, holds a bounded amount of memory, and says plainly what was wrong.

The "daemon" here is a small fake server on 127.0.0.1 that reads matchctl's request
lines and answers with crafted bytes.  Exit statuses: 0 ok, 1 an error answer, 2 no
connection or it ended early, 3 an answer matchctl cannot use (client/ctl_answer.h).
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

from harness import MATCHCTL, ROOT, TIMEOUT

MIB = 1 << 20
DEFAULT_MAX = 64 * MIB
# A sanitizer build's RSS holds shadow memory and freed blocks in quarantine: its
# peak says nothing about matchctl's own bounds, so only the bytes read are checked.
CHECK_RSS = os.environ.get("MATCHD_SAN") != "1"


class FakeDaemon:
    """Accepts one connection; for each request line calls respond(sock, request),
    which sends what it likes and returns False to stop serving.  Then it shuts down
    its writing half and reads what is left, as the real daemon does, so no reset can
    make the client's kernel drop an answer."""

    def __init__(self, respond):
        self.respond = respond
        self.sent = 0
        self.requests = []
        self.error = None
        self.lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(1)
        self.lsock.settimeout(TIMEOUT)
        self.port = self.lsock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def send(self, s, data):
        s.sendall(data)
        self.sent += len(data)

    def _serve(self):
        try:
            s, _ = self.lsock.accept()
        except OSError as e:
            self.error = e
            return
        s.settimeout(TIMEOUT)
        buf = b""
        try:
            go = True
            while go:
                while b"\n" not in buf:
                    chunk = s.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                line, buf = buf.split(b"\n", 1)
                req = json.loads(line)
                self.requests.append(req)
                go = self.respond(self, s, req) is not False
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536):
                pass
        except OSError as e:           # matchctl hung up: expected in some tests
            self.error = e
        finally:
            s.close()

    def close(self):
        self.thread.join(TIMEOUT)
        self.lsock.close()


def answer_with(data):
    """A responder that sends these bytes to the first request and stops."""
    def respond(fake, s, req):
        fake.send(s, data)
        return False
    return respond


# matchctl runs under this small helper: a child's peak RSS (ru_maxrss) counts what its
# parent held when it forked, so measuring it straight from the test process would
# count the test's own memory.  The helper writes "exit-status peak-rss-bytes" to
# the file named first.
_SPAWN = """
import os, sys
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, ru = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write("%d %d" % (os.waitstatus_to_exitcode(status), ru.ru_maxrss * 1024))
"""


def run_ctl(port, args, timeout=TIMEOUT):
    """Run matchctl against 127.0.0.1:port; (status, stdout, stderr, peak RSS in bytes).
    status is the exit code, or -SIGNAL when a signal ended it."""
    env = dict(os.environ)
    env.pop("MATCHD_TOKEN", None)
    with tempfile.NamedTemporaryFile("r") as rep:
        p = subprocess.run([sys.executable, "-c", _SPAWN, rep.name, str(MATCHCTL),
                            "-H", "127.0.0.1:%d" % port, "-t", "tok"] + list(args),
                           cwd=str(ROOT), stdin=subprocess.DEVNULL, capture_output=True,
                           env=env, timeout=timeout)
        assert p.returncode == 0, "the spawn helper failed: %r" % p.stderr
        status, rss = (int(x) for x in rep.read().split())
    return status, p.stdout, p.stderr, rss


def serve(respond, args, timeout=TIMEOUT):
    """matchctl args against a FakeDaemon(respond): (run_ctl's tuple, the fake)."""
    fake = FakeDaemon(respond)
    try:
        return run_ctl(fake.port, args, timeout), fake
    finally:
        fake.close()


def one_answer(data, args=("ping",)):
    return serve(answer_with(data), args)[0]


def check(result, status, message):
    rc, out, err, _ = result
    text = err.decode("utf-8", "replace")
    assert rc >= 0, "matchctl was killed by signal %d; stderr: %r" % (-rc, text)
    assert rc == status, "expected exit %d, got %d; stdout %r, stderr %r" % (
        status, rc, out[:300], text[:300])
    assert message in text, "expected %r on stderr, got %r" % (message, text)
    return out, text


# ---------------------------------------------------------------------------
# the defects of issue 19, item 6

def test_ok_answer_without_result_is_refused_not_a_crash():
    """{"id":1,"ok":true} made matchctl print cJSON_Print(NULL): SIGSEGV (exit 139)."""
    out, err = check(one_answer(b'{"id":1,"ok":true}\n'), 3,
                     "the daemon's answer has no result")
    assert out == b""
    # A null result is a result: printed as null.
    out, _ = check(one_answer(b'{"id":1,"ok":true,"result":null}\n'), 0, "")
    assert out == b"null\n"


def test_export_answer_without_data_is_refused_not_a_crash():
    """fair.export answered without `data` made matchctl call strlen(NULL)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fair.csv")
        for result in ({"filename": "fair-1.csv", "encoding": "utf-8"},
                       {"data": 42, "encoding": "utf-8"},
                       "a string, not an object",
                       None):
            body = json.dumps({"id": 1, "ok": True, "result": result}).encode() + b"\n"
            check(one_answer(body, ("export", "1", "--csv", "-o", path)), 3,
                  "the daemon's export answer has no data")
            assert not os.path.exists(path), "a file was written from no data"
        for result, why in (({"data": "x", "encoding": "rot13"}, "encoding other than"),
                            ({"data": "不是base64!", "encoding": "base64"},
                             "data is not base64")):
            body = json.dumps({"id": 1, "ok": True, "result": result}).encode() + b"\n"
            check(one_answer(body, ("export", "1", "--xlsx", "-o", path)), 3, why)
            assert not os.path.exists(path)
        # A good one still writes the file, decoded.
        body = json.dumps({"id": 1, "ok": True, "result": {
            "filename": "f.xlsx", "encoding": "base64", "data": "UEsDBAo="}}).encode()
        check(one_answer(body + b"\n", ("export", "1", "--xlsx", "-o", path)), 0,
              "wrote")
        with open(path, "rb") as f:
            assert f.read() == b"PK\x03\x04\n"


def test_non_json_answer_is_named_as_such():
    """A line that is not JSON was reported as 'the daemon closed the connection'."""
    for data in (b"hello\n",
                 b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
                 b'{"id":1,"ok":true,"result":{"a":1}\n',
                 b'{"id":1,"ok":true,"result":"\xff\xfe"}\n',
                 b'{"id":1,"ok":true,"result":"a\x00b"}\n',
                 b'{"id":1,"ok":true,"result":NaN}\n'):
        check(one_answer(data), 3, "the daemon sent an answer that is not JSON")


def _stream_unterminated(limit):
    """A responder that starts an answer and never ends its line: up to `limit` bytes,
    until matchctl hangs up."""
    def respond(fake, s, req):
        fake.send(s, b'{"id":1,"ok":true,"result":"')
        chunk = b"a" * MIB
        while fake.sent < limit:
            fake.send(s, chunk)
        return False
    return respond


def test_unterminated_answer_stops_at_64_mib():
    """matchctl buffered an answer line without limit (300 MB taken in).  Now it
    stops reading once the line is longer than 64 MiB, with its memory bounded."""
    t0 = time.monotonic()
    res, fake = serve(_stream_unterminated(100 * MIB), ["ping"], timeout=30)
    took = time.monotonic() - t0
    check(res, 3, "the daemon's answer is longer than %d bytes" % DEFAULT_MAX)
    rss = res[3]
    # The socket buffers hold a few MiB more than matchctl read.
    assert fake.sent < DEFAULT_MAX + 16 * MIB, "the server sent %d bytes" % fake.sent
    assert rss < DEFAULT_MAX + 16 * MIB or not CHECK_RSS, "matchctl grew to %d bytes" % rss
    assert took < 20, took


def test_answer_limit_option():
    """-m BYTES: with 64 KiB, 300 MB offered are refused after about 64 KiB read and
    matchctl stays small; an answer just inside the limit is printed."""
    res, fake = serve(_stream_unterminated(300 * MIB), ["-m", "65536", "ping"])
    check(res, 3, "the daemon's answer is longer than 65536 bytes")
    assert fake.sent < 16 * MIB, "the server sent %d bytes" % fake.sent
    assert res[3] < 24 * MIB or not CHECK_RSS, "matchctl grew to %d bytes" % res[3]

    head = b'{"id":1,"ok":true,"result":"'
    tail = b'"}'
    for n, status in ((65536, 0), (65537, 3)):
        body = head + b"x" * (n - len(head) - len(tail)) + tail
        assert len(body) == n
        out, _ = check(one_answer(body + b"\r\n", ("-m", "65536", "ping")), status, "")
        if status == 0:
            assert json.loads(out) == "x" * (n - len(head) - len(tail))
    for bad in ("0", "-1", "12x", "", "99999999999999999999", str((4 << 30) + 1)):
        p = subprocess.run([str(MATCHCTL), "-m", bad, "ping"], capture_output=True,
                           timeout=TIMEOUT)
        assert p.returncode == 1 and b"-m takes a number of bytes" in p.stderr, (bad, p)


# ---------------------------------------------------------------------------
# the shape of an answer

def test_error_answer_without_code_or_message_is_refused():
    """An error answer without error.code and error.message was printed as
    'error (null): (null)'."""
    for data in (b'{"id":1,"ok":false}\n',
                 b'{"id":1,"ok":false,"error":"boom"}\n',
                 b'{"id":1,"ok":false,"error":{"code":"x"}}\n',
                 b'{"id":1,"ok":false,"error":{"code":7,"message":"m"}}\n'):
        check(one_answer(data), 3, "gives no error code and message")
    check(one_answer(b'{"id":1,"ok":false,"error":{"code":"x","message":"m",'
                     b'"field":3}}\n'), 3, "\"field\" that is not a string")
    # A well-formed one, with and without field, and with id null (the daemon's
    # answer when it could not read the request or refuses the connection).
    check(one_answer(b'{"id":1,"ok":false,"error":{"code":"not_found",'
                     b'"message":"no need 9","field":"id"}}\n'), 1,
          "error not_found: no need 9\n")
    check(one_answer(b'{"id":null,"ok":false,"error":{"code":"unavailable",'
                     b'"message":"too many clients"}}\n'), 1,
          "error unavailable: too many clients\n")


def test_answers_that_are_json_but_not_answers_are_refused():
    for data, why in (
            (b'[1,2,3]\n', "is not a JSON object"),
            (b'"ok"\n', "is not a JSON object"),
            (b'{"id":1,"result":{}}\n', '"ok": true or false'),
            (b'{"id":1,"ok":"true","result":{}}\n', '"ok": true or false'),
            (b'{"id":2,"ok":true,"result":{}}\n', "not for this request"),
            (b'{"ok":true,"result":{}}\n', "not for this request"),
            (b'{"id":null,"ok":true,"result":{}}\n', "not for this request"),
            (b'{"id":"1","ok":true,"result":{}}\n', "not for this request"),
            (b'{"id":1,"ok":false,"ok":true,"result":{}}\n', "names a key twice"),
            (b'{"id":1,"ok":true,"result":{"a":1e400}}\n', "number out of range"),
            (b'{"id":1,"ok":true,"result":' + b"[" * 65 + b"]" * 65 + b"}\n",
             "not JSON (nested too deep")):
        check(one_answer(data), 3, why)
    # Deep, but within the 64 levels an answer may have.
    out, _ = check(one_answer(b'{"id":1,"ok":true,"result":' + b"[" * 63 + b"]" * 63
                              + b"}\n"), 0, "")
    assert json.loads(out) is not None


def test_too_many_values_refused_before_parsing():
    """64 MiB of "[0,0,0,..." would be 32 million cJSON nodes (GBs): more than 2^20
    values in one answer are refused before a tree is built."""
    n = (1 << 20) + 1
    body = b'{"id":1,"ok":true,"result":[' + b",".join([b"0"] * n) + b"]}\n"
    res = one_answer(body)
    check(res, 3, "holds more than 1048576 JSON values")
    assert res[3] < 32 * MIB or not CHECK_RSS, "matchctl grew to %d bytes" % res[3]


def test_control_characters_from_the_server_are_escaped():
    """A hostile server must not drive the user's terminal (escape sequences, C1
    controls) nor forge lines of output through matchctl."""
    result = {"title": "a\u001b[2J\u009b31m\u007fb\u0007", "k\u001b": ["\r"]}
    body = json.dumps({"id": 1, "ok": True, "result": result}).encode() + b"\n"
    out, _ = check(one_answer(body), 0, "")
    for bad in (b"\x1b", b"\x07", b"\r", b"\x7f", b"\xc2\x9b"):
        assert bad not in out, (bad, out)
    assert json.loads(out) == result, out

    error = {"code": "x\u001b]0;owned\u0007", "message": "m\nerror ok: forged\u009b",
             "field": "f\t"}
    body = json.dumps({"id": 1, "ok": False, "error": error}).encode() + b"\n"
    _, err = check(one_answer(body), 1, "error x\\u001b]0;owned\\u0007: "
                                        "m\\nerror ok: forged\\u009b\n")
    assert err.count("\n") == 1
    assert not any(ord(ch) < 0x20 and ch != "\n" for ch in err), repr(err)


def test_framing_blank_lines_crlf_pieces_and_trailing_bytes():
    """Blank lines before the answer are skipped, \\r\\n ends a line, an answer may
    come one byte at a time, and bytes after it are not read as part of it."""
    def respond(fake, s, req):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        data = b'\n\r\n{"id":1,"ok":true,"result":{"pong":true}}\r\n{"garbage'
        for i in range(len(data)):
            fake.send(s, data[i:i + 1])
            if i % 8 == 0:
                time.sleep(0.001)
        return False
    out, _ = check(serve(respond, ["ping"])[0], 0, "")
    assert json.loads(out) == {"pong": True}


def test_connection_ending_early_is_reported_not_a_signal():
    """A server that hangs up without a word, or halfway through an answer: exit 2,
    never SIGPIPE nor SIGSEGV."""
    def hang_up(fake, s, req):
        return False
    check(serve(hang_up, ["ping"])[0], 2, "the daemon closed the connection before it answered")
    check(one_answer(b'{"id":1,"ok":true,"res'), 2, "in the middle of its answer")

    # A server that closes before reading: sending may fail (EPIPE), no signal.
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)
    port = lsock.getsockname()[1]

    def slam():
        s, _ = lsock.accept()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        s.close()                       # a reset
    t = threading.Thread(target=slam, daemon=True)
    t.start()
    try:
        rc, _, err, _ = run_ctl(port, ["call", "need.list", json.dumps({"x": "y" * 100000})])
    finally:
        t.join(TIMEOUT)
        lsock.close()
    assert rc == 2, (rc, err)


# ---------------------------------------------------------------------------
# import reads many answers with the same checks

def _import(respond, text):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "needs.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return serve(respond, ["import", "needs", path])


CSV = ("title,category,budget\n"
       "老年助餐,service.elderly,900\n"
       "图书角,goods.books,500\n"
       "法律咨询,service.legal,300\n")


def test_import_checks_every_answer():
    def good(fake, s, req):
        fake.send(s, json.dumps({"id": req["id"], "ok": True,
                                 "result": {"need": {"id": 100 + req["id"]}}}).encode()
                  + b"\n")
    res, fake = _import(good, CSV)
    out, _ = check(res, 0, "")
    assert out.decode().splitlines() == ["row 2: ok, id 102", "row 3: ok, id 103",
                                         "row 4: ok, id 104",
                                         "import needs: 3 rows accepted, 0 refused"]

    def not_json(fake, s, req):
        fake.send(s, b"Internal Server Error\n")
    res, _ = _import(not_json, CSV)
    check(res, 3, "the daemon sent an answer that is not JSON")

    def wrong_id(fake, s, req):
        fake.send(s, json.dumps({"id": 999, "ok": True, "result": {}}).encode() + b"\n")
    res, _ = _import(wrong_id, CSV)
    check(res, 3, "not for this request (its id is not 2)")

    def no_result(fake, s, req):
        fake.send(s, b'{"id":%d,"ok":true}\n' % req["id"])
    res, _ = _import(no_result, CSV)
    check(res, 3, "has no result")

    def refused_escaped(fake, s, req):
        fake.send(s, json.dumps({"id": req["id"], "ok": False, "error": {
            "code": "invalid_argument", "field": "budget",
            "message": "bad\n\u001b[1mrow 9: ok, id 1"}}).encode() + b"\n")
    res, _ = _import(refused_escaped, CSV)
    out, _ = check(res, 1, "")
    lines = out.decode().splitlines()
    assert lines[0] == ("row 2: refused: invalid_argument (budget): "
                        "bad\\n\\u001b[1mrow 9: ok, id 1"), lines
    assert len(lines) == 4 and b"\x1b" not in out

    def turned_away(fake, s, req):
        fake.send(s, b'{"id":null,"ok":false,"error":{"code":"unavailable",'
                     b'"message":"too many clients"}}\n')
        return False
    res, _ = _import(turned_away, CSV)
    check(res, 2, "matchctl import: error unavailable: too many clients")
