"""Logs (issue 17): log.format = json writes one JSON object a line; with
log.requests = on every request is a line with op, role, code, outcome and
duration; no line ever holds a token; journald priorities under systemd."""
import json
import os

from harness import Daemon, ok, err


def _lines(d):
    with open(d.log_path, "rb") as f:
        return [l.decode("utf-8") for l in f.read().splitlines() if l.strip()]


def test_json_lines_carry_request_fields_and_never_a_token():
    d = Daemon(conf_overrides={"log.format": "json", "log.requests": "on"})
    try:
        t = d.community("C1")
        ok(d.call("whoami", token=t))
        err(d.call("need.post", {"title": "x", "category": "nope.none",
                                 "budget": 1}, token=t), "invalid_argument")
        err(d.call("whoami", token="f" * 64), "unauthenticated")
        err(d.call("no\nsuch.op\"", token=t), "unknown_op")
        d.stop()
        lines = _lines(d)
        objs = []
        for l in lines:
            o = json.loads(l)    # every line is one JSON object
            assert {"time", "level"} <= set(o), o
            assert o["level"] in ("warn", "info", "debug", "fatal"), o
            objs.append(o)
        reqs = [o for o in objs if "op" in o]
        who = [o for o in reqs if o["op"] == "whoami" and o["outcome"] == "ok"]
        assert who and who[-1]["role"] == "community" and who[-1]["code"] == "C1", reqs
        assert isinstance(who[-1]["ms"], (int, float)) and who[-1]["ms"] >= 0
        bad = [o for o in reqs if o["op"] == "need.post"]
        assert bad and bad[-1]["outcome"] == "invalid_argument", reqs
        assert any(o["outcome"] == "unauthenticated" and o["role"] == "" for o in reqs), reqs
        assert any(o["op"] == "no\nsuch.op\"" for o in reqs), reqs
        text = "\n".join(lines)
        for tok in (t, d.admin, "f" * 64):
            assert tok not in text, "a token in the log"
    finally:
        d.cleanup()


def test_text_lines_stay_one_line_and_journald_priorities():
    d = Daemon(start=False, conf_overrides={"log.requests": "on"})
    os.environ["JOURNAL_STREAM"] = "8:1234"
    try:
        d.start()
    finally:
        del os.environ["JOURNAL_STREAM"]
    try:
        t = d.admin
        err(d.call("bad\nop", token=t), "unknown_op")
        d.stop()
        lines = _lines(d)
        assert lines and all(l[:3] in ("<4>", "<6>", "<7>", "<2>") for l in lines), lines[:5]
        assert any(l.startswith("<6>") and "request bad?op by admin" in l for l in lines), lines
        assert not any(l.startswith("op") for l in lines), "a newline in an op split a line"
        assert t not in "\n".join(lines)
    finally:
        d.cleanup()


def test_requests_not_logged_by_default():
    d = Daemon()
    try:
        ok(d.call("whoami", token=d.admin))
        d.stop()
        assert not any("request whoami" in l for l in _lines(d))
    finally:
        d.cleanup()
