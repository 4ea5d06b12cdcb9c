"""Webhooks: creation and its rules, delivery in order with a valid HMAC signature,
the group bots' formats, retries and skips, a target down for a minute, and kill -9
mid-delivery without loss (at least once: duplicates allowed and counted)."""

import random
import time
import urllib.request

from harness import Daemon, ok, err, STREET_A
from events_lib import EventDistrict, Watcher
from hook_sink import Sink

PRIVATE = {"events.allow_private_hooks": "true"}


def _post_needs(dist, n, role="community_owner"):
    return [dist.need(role, title="需求%d" % i) for i in range(n)]


def _event_ids(d, token, kinds=None):
    args = {"after": 0}
    if kinds:
        args["kinds"] = kinds
    w = Watcher(d, token, **args)
    return [e["id"] for e in w.read(0.3, until=w.last)]


def test_create_rules():
    """Only http(s); loopback and private targets refused unless allowed; a secret is
    made when none is given and shown only once; an organizer lists and deletes its
    own; kinds and format are checked."""
    with Daemon() as d:
        dist = EventDistrict(d)
        for url in ("ftp://example.org/x", "http://", "http://127.0.0.1:8080/x",
                    "http://localhost/x", "https://10.1.2.3/x", "http://[::1]:80/",
                    "http://192.168.1.5/", "http://169.254.169.254/latest",
                    "http://user:pw@example.org/", "http://example.org:99999/"):
            err(dist.d.call("webhook.create", {"url": url}, token=dist.tok["admin"]),
                "invalid_argument", "url")
        h = dist.call("webhook.create", {"url": "https://qyapi.weixin.qq.com/cgi-bin/"
                                         "webhook/send?key=abc", "format": "wecom",
                                         "kinds": ["fair.scheduled"]},
                      "organizer_here")["webhook"]
        assert len(h["secret"]) == 64 and h["format"] == "wecom", h
        assert h["kinds"] == ["fair.scheduled"] and h["street"] == STREET_A, h
        err(dist.d.call("webhook.create", {"url": "https://example.org/", "format": "x"},
                        token=dist.tok["admin"]), "invalid_argument", "format")
        err(dist.d.call("webhook.create", {"url": "https://example.org/", "secret": "short"},
                        token=dist.tok["admin"]), "invalid_argument", "secret")
        mine = dist.call("webhook.list", {}, "organizer_here")["items"]
        assert [x["id"] for x in mine] == [h["id"]] and "secret" not in mine[0], mine
        assert dist.call("webhook.list", {}, "organizer_there")["items"] == []
        err(dist.d.call("webhook.delete", {"id": h["id"]}, token=dist.tok["organizer_there"]),
            "forbidden")
        err(dist.d.call("webhook.delete", {"id": 999}, token=dist.tok["admin"]), "not_found")
        dist.call("webhook.delete", {"id": h["id"]}, "organizer_here")
        assert dist.call("webhook.list", {}, "admin")["items"] == []
    with Daemon(conf_overrides=PRIVATE) as d:
        ok(d.call("webhook.create", {"url": "http://127.0.0.1:9/x"}, token=d.admin))


def test_delivery_in_order_signed():
    """Every event after creation reaches the sink in id order with a valid signature;
    an organizer's webhook gets only its street's events; kinds filter."""
    sink = Sink(secret="s3cret-for-the-test-only")
    street = Sink()
    with Daemon(conf_overrides=PRIVATE) as d:
        dist = EventDistrict(d)
        dist.need(title="创建之前")
        ok(d.call("webhook.create", {"url": sink.url, "secret": sink.secret},
                  token=d.admin))
        street_hook = dist.call("webhook.create", {"url": street.url,
                                                   "kinds": ["need.posted"]},
                                "organizer_there")["webhook"]
        street.secret = street_hook["secret"]
        _post_needs(dist, 30)
        theirs = [dist.need("community_partner", title="园岭%d" % i) for i in range(3)]
        dist.offer()
        want = _event_ids(d, d.admin)[1:]
        got = sink.wait_for(want, 15)
        assert got == want, "not in id order, or extra: %r" % got
        assert not sink.bad_signatures, sink.bad_signatures[:3]
        body = sink.received[0][1]
        assert set(body) == {"event"} and body["event"]["kind"] == "need.posted", body
        sgot = street.wait_for(_event_ids(d, dist.tok["organizer_there"],
                                          ["need.posted"]), 10)
        assert [b["event"]["object"]["id"] for _, b in street.received] == theirs
        assert not street.bad_signatures
        time.sleep(0.6)
        metrics = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % d.http_port,
                                         timeout=5).read().decode()
        assert 'matchd_webhook_pending{webhook="1"} 0' in metrics, \
            [l for l in metrics.splitlines() if "webhook" in l]
    sink.stop()
    street.stop()


def test_group_bot_formats_and_retries():
    """WeCom / DingTalk: a text message in Chinese with the event's id; a 2xx whose
    errcode is not 0 is retried; an event that keeps failing is skipped after
    events.webhook_retry_hours, counted, and delivery goes on."""
    sink = Sink()
    sink.reply = b'{"errcode":93000,"errmsg":"invalid webhook url"}'
    conf = dict(PRIVATE, **{"events.webhook_retry_hours": "0.0006"})
    with Daemon(conf_overrides=conf) as d:
        dist = EventDistrict(d)
        ok(d.call("webhook.create", {"url": sink.url, "format": "dingtalk"}, token=d.admin))
        n = dist.need(title="社区食堂")
        # The worker reads the webhooks every second; then the first try, and
        # the same event again after the first backoff.
        time.sleep(2.2)
        tries = sink.ids()
        assert len(tries) >= 2 and len(set(tries)) == 1, tries
        sink.reply = b'{"errcode":0,"errmsg":"ok"}'
        first = sink.wait_for(_event_ids(d, d.admin), 10)
        time.sleep(1.5)
        assert len(sink.ids()) <= len(tries) + 1, "delivered, yet sent again"
        msg = sink.received[0][1]
        assert msg["msgtype"] == "text", msg
        assert "社区食堂" in msg["text"]["content"] and "#%d" % first[0] in \
            msg["text"]["content"], msg
        # An event the target refuses for good is skipped after the retry window.
        bad = _event_ids(d, d.admin)[-1] + 1
        sink.fail_ids = {bad}
        nxt = dist.need(title="会失败")
        assert _event_ids(d, d.admin)[-1] == bad
        after = dist.need(title="之后的")
        good = _event_ids(d, d.admin)[-1]
        sink.wait_for([good], 15)
        assert bad not in sink.ids()
        metrics = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % d.http_port,
                                         timeout=5).read().decode()
        assert "matchd_webhook_skipped_total 1" in metrics, metrics[-600:]
        assert "skipped after" in d.log_tail(200)
        del n, nxt, after
    sink.stop()


def test_target_down_for_a_minute():
    """The sink stops for a minute while events are written, and comes back on the
    same port: it then receives every one, in order (retries back off to at most
    60 s apart)."""
    sink = Sink(secret="down-for-a-minute-secret")
    with Daemon(conf_overrides=PRIVATE) as d:
        dist = EventDistrict(d)
        ok(d.call("webhook.create", {"url": sink.url, "secret": sink.secret},
                  token=d.admin))
        _post_needs(dist, 5)
        sink.wait_for(_event_ids(d, d.admin), 10)
        sink.stop()
        t0 = time.monotonic()
        _post_needs(dist, 20)
        while time.monotonic() - t0 < 60:
            time.sleep(1)
            # The daemon answers while its webhook's target is away.
            ok(d.call("whoami", None, token=d.admin))
        sink.start()
        want = _event_ids(d, d.admin)
        got = sink.wait_for(want, 75)
        assert [e for e in got] == sorted(got) and set(got) == set(want), got
        assert not sink.bad_signatures
    sink.stop()


test_target_down_for_a_minute.timeout = 200


def test_kill9_mid_delivery_loses_nothing():
    """kill -9 fifty times while a slow target receives: after the last start every
    event has arrived at least once; duplicates are counted, not refused."""
    sink = Sink()
    sink.delay = 0.01
    with Daemon(conf_overrides=PRIVATE) as d:
        dist = EventDistrict(d)
        ok(d.call("webhook.create", {"url": sink.url}, token=d.admin))
        rnd = random.Random(7)
        for i in range(50):
            for r in d.pipeline([{"op": "need.post", "token": dist.tok["community_owner"],
                                  "args": {"title": "第%d轮%d" % (i, j),
                                           "category": "service.elderly", "budget": 100}}
                                 for j in range(4)]):
                ok(r)
            time.sleep(rnd.uniform(0.02, 0.15))
            d.kill9()
            d.start()
        want = _event_ids(d, d.admin)
        assert len(want) == 200, len(want)
        got = sink.wait_for(want, 30)
        dups = len(got) - len(set(got))
        print("kill -9 x 50: %d events, %d deliveries, %d duplicates"
              % (len(want), len(got), dups))
        assert set(got) == set(want)
    sink.stop()


test_kill9_mid_delivery_loses_nothing.timeout = 120
