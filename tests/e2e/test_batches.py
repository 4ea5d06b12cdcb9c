"""Group commit: requests read in one turn share a transaction, yet each request's
outcome is its own: a refused write never undoes or leaks into its neighbours."""

from harness import Daemon, ok, err, STREET_A


def test_conflicts_inside_one_batch_do_not_undo_neighbours():
    with Daemon() as d:
        admin = d.admin
        d.register_streets({"street": STREET_A})
        reqs = []
        for i in range(30):
            code = "B%d" % (i // 2)                   # every code twice in a row
            reqs.append({"id": i, "op": "community.create", "token": admin,
                         "args": {"code": code, "name": "批%d" % i, "street": STREET_A}})
        answers = d.native().pipeline(reqs)
        tokens = {}
        for i, a in enumerate(answers):
            if i % 2 == 0:
                tokens["B%d" % (i // 2)] = ok(a)["token"]
            else:
                err(a, "conflict")
        d.kill9()
        d.start()
        for code, tok in tokens.items():
            w = ok(d.call("whoami", token=tok))
            assert w["code"] == code and w["name"] == "批%d" % (int(code[1:]) * 2), w


def test_mixed_valid_and_refused_writes_in_one_batch():
    with Daemon() as d:
        t = d.community("C1")
        reqs = []
        for i in range(60):
            args = {"title": "混%d" % i, "category": "service.sports", "budget": 10 + i}
            if i % 3 == 1:
                args["partners"] = ["NOPE%d" % i]          # refused in the handler
            elif i % 3 == 2:
                args["budget"] = -1                        # refused by the checks
            reqs.append({"id": i, "op": "need.post", "token": t, "args": args})
        answers = d.native().pipeline(reqs)
        good = []
        for i, a in enumerate(answers):
            if i % 3 == 0:
                good.append(ok(a)["need"]["id"])
            else:
                err(a, "invalid_argument")
        d.kill9()
        d.start()
        items, _ = d.list_all("need.list", t, {}, limit=1000)
        assert sorted(i["id"] for i in items) == sorted(good), \
            "want exactly the %d accepted needs, found %d" % (len(good), len(items))
        assert all(i["partners"] == [] for i in items)


def test_batch_sees_its_own_earlier_writes():
    with Daemon() as d:
        t = d.community("C1")
        reqs = [
            {"id": 1, "op": "need.post", "token": t,
             "args": {"title": "先发", "category": "service.elderly", "budget": 10}},
            {"id": 2, "op": "need.get", "token": t, "args": {"id": 1}},
            {"id": 3, "op": "need.update", "token": t, "args": {"id": 1, "title": "后改"}},
            {"id": 4, "op": "need.withdraw", "token": t, "args": {"id": 1}},
            {"id": 5, "op": "need.withdraw", "token": t, "args": {"id": 1}},
            {"id": 6, "op": "need.get", "token": t, "args": {"id": 1}},
        ]
        a = d.native().pipeline(reqs)
        nid = ok(a[0])["need"]["id"]
        assert nid == 1, "first need of a fresh database is not id 1: %r" % nid
        assert ok(a[1])["need"]["title"] == "先发"
        assert ok(a[2])["need"]["title"] == "后改"
        assert ok(a[3])["need"]["status"] == "withdrawn"
        err(a[4], "conflict")
        g = ok(a[5])["need"]
        assert g["status"] == "withdrawn" and g["title"] == "后改", g


def test_rotated_token_dead_within_the_same_batch():
    with Daemon() as d:
        old = d.community("C1")
        a = d.native().pipeline([
            {"id": 1, "op": "token.rotate", "token": old},
            {"id": 2, "op": "whoami", "token": old},
            {"id": 3, "op": "need.post", "token": old,
             "args": {"title": "旧令牌", "category": "service.elderly", "budget": 1}},
        ])
        new = ok(a[0])["token"]
        err(a[1], "unauthenticated")
        err(a[2], "unauthenticated")
        assert ok(d.call("need.list", {}, token=new))["items"] == []


def test_batches_from_many_connections_interleave_correctly():
    with Daemon() as d:
        toks = [d.community("K%d" % i) for i in range(5)]
        conns = [d.native() for _ in toks]
        for k, (c, t) in enumerate(zip(conns, toks)):
            c.send_raw(b"".join(
                (('{"id":%d,"op":"need.post","token":"%s","args":{"title":"连%d-%d",'
                  '"category":"goods.books","budget":%d}}\n') % (i, t, k, i, i + 1)).encode()
                for i in range(40)))
        seen = set()
        for k, c in enumerate(conns):
            for i in range(40):
                a = c.read_json()
                n = ok(a)["need"]
                assert a["id"] == i and n["title"] == "连%d-%d" % (k, i), (k, i, a)
                assert n["community"] == "K%d" % k, n
                assert n["id"] not in seen
                seen.add(n["id"])
        items, _ = d.list_all("need.list", toks[0], {}, limit=1000)
        assert len(items) == 200
