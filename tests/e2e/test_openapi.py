"""GET /v1/openapi.json (issue 17): made from the op table, valid OpenAPI 3.1
(Redocly's linter from npm), and a property test that drives every operation
with arguments generated from the document: no answer is `internal`, every
answer is the envelope the document promises with its status, arguments
that break the document's rules are refused as invalid_argument, and ones
that keep them are never refused for their shape alone."""
import json
import os
import random
import re
import subprocess

from harness import Daemon, Http, ok, err, ROOT

SEED = int(os.environ.get("MATCHD_OPENAPI_SEED") or random.randrange(1 << 30))
STATUS = {"parse_error": 400, "bad_request": 400, "unknown_op": 404,
          "invalid_argument": 400, "unauthenticated": 401, "forbidden": 403,
          "not_found": 404, "conflict": 409, "too_large": 413,
          "rate_limited": 429, "internal": 500, "unavailable": 503}


def _doc(d, token):
    with Http(d.http_port) as h:
        status, headers, body = h.request(
            "GET", "/v1/openapi.json", headers={"Authorization": "Bearer " + token})
    assert status == 200, (status, body[:300])
    assert headers["content-type"] == "application/json"
    return json.loads(body)


def _table_ops():
    src = (ROOT / "daemon" / "ops" / "ops.c").read_text()
    return set(re.findall(r'^\t\{ "([a-z_.]+)", (?:ROLE|OWNERS|0)', src, re.M))


def test_document_needs_a_token_and_names_every_op():
    d = Daemon()
    try:
        with Http(d.http_port) as h:
            status, _, body = h.request("GET", "/v1/openapi.json")
        assert status == 401, (status, body)
        with Http(d.http_port) as h:
            status, _, body = h.request("GET", "/v1/openapi.json",
                                        headers={"Authorization": "Bearer " + "a" * 64})
        assert status == 401, (status, body)
        doc = _doc(d, d.community("C1"))
        assert doc["openapi"] == "3.1.0"
        ops = {p[len("/v1/op/"):] for p in doc["paths"] if p.startswith("/v1/op/")}
        table = _table_ops()
        assert table and ops == table, (sorted(table - ops), sorted(ops - table))
        for route in ("/healthz", "/metrics", "/v1/fairs/{fair}/agenda.html"):
            assert "get" in doc["paths"][route], route
        need_post = doc["paths"]["/v1/op/need.post"]["post"]
        schema = need_post["requestBody"]["content"]["application/json"]["schema"]
        assert set(schema["required"]) == {"title", "category", "budget"}, schema
        assert "service.elderly" in schema["properties"]["category"]["enum"]
        assert schema["additionalProperties"] is False
        with Http(d.http_port) as h:
            status, headers, body = h.request("GET", "/docs/api")
        assert status == 200 and b"/js/apidoc.js" in body
    finally:
        d.cleanup()


def test_redocly_lints_the_document_clean():
    d = Daemon()
    try:
        doc = _doc(d, d.admin)
    finally:
        d.cleanup()
    here = ROOT / "tests" / "openapi"
    if not (here / "node_modules" / ".bin" / "redocly").exists():
        p = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=here,
                           capture_output=True, timeout=600)
        assert p.returncode == 0, "npm ci failed:\n" + p.stderr.decode()[-2000:]
    path = os.path.join(d.tmp if os.path.isdir(d.tmp) else "/tmp", "openapi-%d.json" % os.getpid())
    with open(path, "w") as f:
        json.dump(doc, f, ensure_ascii=False)
    try:
        p = subprocess.run([str(here / "node_modules" / ".bin" / "redocly"), "lint",
                            "--format=stylish", path], cwd=here,
                           capture_output=True, timeout=300)
    finally:
        os.unlink(path)
    out = p.stdout.decode() + p.stderr.decode()
    assert p.returncode == 0, out[-4000:]
    assert "error" not in out.lower() or "0 errors" in out.lower() or "valid" in out.lower(), out[-3000:]


# --- values from a schema -------------------------------------------------

def _resolve(s, doc):
    while "$ref" in s:
        s = doc["components"]["schemas"][s["$ref"].split("/")[-1]]
    return s


def _valid(s, doc, rnd, ids):
    s = _resolve(s, doc)
    t = s.get("type")
    if isinstance(t, list):
        t = rnd.choice([x for x in t if x != "null"])
    if "enum" in s:
        return rnd.choice(s["enum"])
    if "const" in s:
        return s["const"]
    if t == "string":
        if s.get("format") == "date":
            return "%04d-%02d-%02d" % (rnd.choice([2026, 2027]), rnd.randint(1, 12), rnd.randint(1, 28))
        if "pattern" in s and "[01]" in s["pattern"]:
            return "%02d:%02d" % (rnd.randint(0, 23), rnd.randint(0, 59))
        if "pattern" in s:
            return rnd.choice(["C1", "C2", "ORG-1", "X_" + str(rnd.randint(0, 99))])
        lo, hi = s.get("minLength", 0), min(s.get("maxLength", 20), 20)
        return "".join(rnd.choice("需求服务ab c1") for _ in range(rnd.randint(max(lo, 1), max(hi, 1))))[:s.get("maxLength", 20)] or "x"
    if t == "integer":
        lo, hi = s.get("minimum", 0), s.get("maximum", 10 ** 6)
        if hi > 10 ** 6:
            return rnd.choice(ids + [lo, rnd.randint(lo, 1000)])
        return rnd.randint(lo, hi)
    if t == "number":
        return rnd.choice([1, 100, 2500.5, 80000, 30000.25])
    if t == "boolean":
        return rnd.choice([True, False])
    if t == "array":
        n = rnd.randint(s.get("minItems", 0), min(s.get("maxItems", 3), 3))
        out = []
        for _ in range(n):
            v = _valid(s["items"], doc, rnd, ids)
            if v not in out:
                out.append(v)
        return out or ([_valid(s["items"], doc, rnd, ids)] if s.get("minItems") else [])
    if t == "object":
        a = _valid(s["properties"]["from"], doc, rnd, ids)
        b = _valid(s["properties"]["to"], doc, rnd, ids)
        return {"from": min(a, b), "to": max(a, b)}
    raise AssertionError("no generator for %r" % s)


def _answer_ok(status, body, where):
    assert isinstance(body, dict) and isinstance(body.get("ok"), bool), (where, body)
    if body["ok"]:
        assert status == 200 and isinstance(body.get("result"), dict), (where, status, body)
    else:
        e = body.get("error")
        assert isinstance(e, dict) and isinstance(e.get("message"), str), (where, body)
        assert e.get("code") in STATUS, (where, body)
        assert e["code"] != "internal", (where, body)
        assert status == STATUS[e["code"]], (where, status, body)


def test_every_op_driven_from_the_document():
    rnd = random.Random(SEED)
    d = Daemon()
    try:
        comm = d.community("C1")
        org = d.org("91440300MA5OPENAP1")
        ids = [d.post_need(comm)["id"], d.post_offer(org)["id"], 1, 2]
        doc = _doc(d, d.admin)
        by_role = {"admin": d.admin, "community": comm, "org": org,
                   "organizer": d.organizer()[1]}
        with Http(d.http_port) as h:
            # token.rotate last: its calls may replace the tokens used here
            for path, item in sorted(doc["paths"].items(),
                                     key=lambda kv: (kv[0].endswith("token.rotate"), kv[0])):
                if not path.startswith("/v1/op/"):
                    continue
                op = path[len("/v1/op/"):]
                roles = item["post"]["x-roles"]
                if item["post"].get("x-native-only"):
                    # events.watch: HTTP refuses it, naming GET /v1/events.
                    status, body = h.op(op, {}, token=d.admin)
                    assert status == 400 and "/v1/events" in body["error"]["message"], body
                    continue
                tokens = [by_role[r] for r in roles] or [d.admin]
                token = tokens[0]
                schema = item["post"]["requestBody"]["content"]["application/json"]["schema"]
                props, req = schema["properties"], set(schema.get("required", []))
                valid = []
                for i in range(12):
                    valid.append({k: _valid(v, doc, rnd, ids) for k, v in props.items()
                                  if k in req or rnd.random() < 0.5})
                # an argument the document does not name is refused
                status, body = h.op(op, {"no_such_argument": 1}, token=token)
                _answer_ok(status, body, op)
                if op != "ping":
                    assert body["error"]["code"] == "invalid_argument", (op, body)
                # a value of the wrong type is refused (strings where the
                # document wants numbers, and the other way round)
                for k, v in props.items():
                    v = _resolve(v, doc)
                    bad = 12345 if v.get("type") == "string" else "x" if v.get("type") in ("integer", "number", "boolean", "array") else None
                    if bad is None:
                        continue
                    args = {kk: _valid(vv, doc, rnd, ids) for kk, vv in props.items() if kk in req}
                    args[k] = bad
                    status, body = h.op(op, args, token=token)
                    _answer_ok(status, body, op + " " + k)
                    assert not body["ok"] and body["error"]["code"] == "invalid_argument", (op, k, body)
                for args in valid:
                    status, body = h.op(op, args, token=rnd.choice(tokens))
                    where = "seed %d: %s %s" % (SEED, op, json.dumps(args, ensure_ascii=False))
                    _answer_ok(status, body, where)
    finally:
        d.cleanup()
