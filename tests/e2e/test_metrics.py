"""GET /metrics (issue 17): the Prometheus text format, checked by Debian's
promtool and scraped by Debian's prometheus server itself; loopback only
unless http.metrics_token is set."""
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request

from harness import Daemon, Http, ok, err, free_ports


def _metrics(d, headers=None):
    with Http(d.http_port) as h:
        return h.request("GET", "/metrics", headers=headers)


def _value(text, series):
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_count_requests_commits_and_pass_promtool():
    assert shutil.which("promtool"), "promtool is missing (apt-get install prometheus)"
    d = Daemon()
    try:
        t = d.community("C1")
        ok(d.call("whoami", token=t))
        ok(d.call("whoami", token=t))
        err(d.call("whoami", token="0" * 64), "unauthenticated")
        d.post_need(t)
        status, headers, body = _metrics(d)
        assert status == 200, (status, body[:200])
        assert headers["content-type"].startswith("text/plain; version=0.0.4"), headers
        text = body.decode("utf-8")
        assert _value(text, 'matchd_requests_total{op="whoami",outcome="ok"}') >= 2, text[:2000]
        assert _value(text, 'matchd_requests_total{op="whoami",outcome="unauthenticated"}') == 1
        assert _value(text, 'matchd_requests_total{op="need.post",outcome="ok"}') == 1
        assert _value(text, 'matchd_request_duration_seconds_count{op="need.post"}') == 1
        assert _value(text, 'matchd_commit_batch_size_count') >= 1
        assert _value(text, 'matchd_commit_duration_seconds_count') >= 1
        assert _value(text, 'matchd_connections') >= 1
        assert _value(text, 'matchd_reader_jobs{state="queued"}') >= 0
        assert _value(text, 'matchd_reader_jobs{state="running"}') >= 0
        assert _value(text, 'matchd_database_bytes') > 0
        assert t not in text and d.admin not in text
        p = subprocess.run(["promtool", "check", "metrics"], input=body,
                           capture_output=True, timeout=30)
        assert p.returncode == 0, p.stdout.decode() + p.stderr.decode()
        # POST is not a way in
        with Http(d.http_port) as h:
            status, headers, _ = h.request("POST", "/metrics", b"")
        assert status == 405 and headers.get("allow") == "GET"
    finally:
        d.cleanup()


def test_metrics_token_when_set():
    d = Daemon(conf_overrides={"http.metrics_token": "s3cret-metrics"})
    try:
        status, _, body = _metrics(d)
        assert status == 401, (status, body)
        status, _, body = _metrics(d, {"Authorization": "Bearer wrong"})
        assert status == 401, (status, body)
        status, _, body = _metrics(d, {"Authorization": "Bearer s3cret-metrics"})
        assert status == 200 and b"matchd_connections" in body
    finally:
        d.cleanup()


def test_prometheus_server_scrapes_matchd():
    prom = shutil.which("prometheus")
    assert prom, "prometheus is missing (apt-get install prometheus)"
    d = Daemon()
    tmp = d.tmp
    (pport,) = free_ports(1)
    conf = os.path.join(tmp, "prometheus.yml")
    with open(conf, "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                "scrape_configs:\n  - job_name: matchd\n    static_configs:\n"
                "      - targets: ['127.0.0.1:%d']\n" % d.http_port)
    log = open(os.path.join(tmp, "prometheus.log"), "wb")
    p = subprocess.Popen([prom, "--config.file=" + conf,
                          "--storage.tsdb.path=" + os.path.join(tmp, "tsdb"),
                          "--web.listen-address=127.0.0.1:%d" % pport],
                         stdout=log, stderr=log)
    try:
        ok(d.call("whoami", token=d.admin))
        url = ("http://127.0.0.1:%d/api/v1/query?query=" % pport +
               "matchd_requests_total%7Bop%3D%22whoami%22%7D")
        deadline = time.time() + 60
        result = None
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    data = json.loads(r.read())
                if data.get("status") == "success" and data["data"]["result"]:
                    result = data["data"]["result"]
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert result, "prometheus did not scrape matchd in 60 s: %s" % open(
            os.path.join(tmp, "prometheus.log"), errors="replace").read()[-2000:]
        assert result[0]["metric"]["job"] == "matchd"
        assert float(result[0]["value"][1]) >= 1
    finally:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
        log.close()
        d.cleanup()
