"""The cap through a project's life (docs/design.md, "Caps and money"): a project
reserves its amount from confirmation, against the cap of the need's year, and gives it
back when it is rejected or cancelled (the need open again, the offer's place back).
A randomized sequence of confirmations (at fairs and outside them), rejections,
cancellations, re-creations and steps forward is checked against a model after every
step: what each community has used, that it never passes its cap, and what is refused."""

import random

from harness import Daemon, ok, err
from test_projects import World, VOTE, ORG1, ORG2, refused

CAPS = {"C1": 100000, "C2": 80000, "C3": 60000}
SEEDS = (1, 7, 2017)
STEPS = 120


def _shares(fen, n):
    base, rest = divmod(fen, n)
    return [base + (1 if i < rest else 0) for i in range(n)]


class Model:
    """What the daemon must hold: live projects (not rejected or cancelled) by id, each
    with its communities, year and amount in fen."""

    def __init__(self):
        self.live = {}        # project id -> (communities, year, fen)
        self.dead = {}        # project id -> (need, offer) of rejected ones
        self.stage = {}

    def used(self, community, year):
        total = 0
        for comms, y, fen in self.live.values():
            if y == year and community in comms:
                total += _shares(fen, len(comms))[comms.index(community)]
        return total

    def fits(self, comms, year, fen):
        return all(s <= CAPS[c] * 100 - self.used(c, year)
                   for c, s in zip(comms, _shares(fen, len(comms))))


class Run:
    """One randomized sequence against the model."""

    def __init__(self, d, seed):
        self.d, self.rng = d, random.Random(seed)
        self.w = World(d, caps=CAPS)
        self.a = self.w.a
        self.m = Model()
        self.year = ok(d.call("community.get", {"code": "C1"},
                              token=self.a))["community"]["year"]
        self.needs = {}         # need id -> (communities, year)
        self.pairs = {}         # project id -> (need, offer)
        self.offers = {}        # offer id -> (org, price fen)
        for i in range(14):
            c = self.rng.choice(sorted(CAPS))
            partners = self.rng.choice([[], [], [x for x in sorted(CAPS) if x != c][:1]])
            nxt = self.rng.random() < 0.25
            kw = {"partners": partners}
            if nxt:
                kw["window"] = {"from": "%d-03-01" % (self.year + 1),
                                "to": "%d-06-30" % (self.year + 1)}
            nid = self.w.need(c, budget=60000, **kw)
            self.needs[nid] = ([c] + partners, self.year + 1 if nxt else self.year)
        for i in range(6):
            org = ORG1 if i % 2 else ORG2
            price = self.rng.choice([15000, 25000, 35000, 45000, 55000])
            self.offers[self.w.offer(org, price, capacity=40)] = (org, price * 100)

    def taken(self):
        return {self.pairs[p][0] for p in self.m.live}

    def opened(self, pid, nid, oid):
        comms, year = self.needs[nid]
        self.m.live[pid] = (comms, year, self.offers[oid][1])
        self.m.dead.pop(pid, None)
        self.m.stage[pid] = "deliberation"
        self.pairs[pid] = (nid, oid)

    def create(self, step, at_fair):
        free = [n for n in self.needs if n not in self.taken()]
        if not free:
            return
        nid, oid = self.rng.choice(free), self.rng.choice(sorted(self.offers))
        comms, year = self.needs[nid]
        fits = self.m.fits(comms, year, self.offers[oid][1])
        if not at_fair:
            r = self.d.call("project.create", {"need": nid, "offer": oid}, token=self.a)
            if fits:
                self.opened(ok(r)["project"]["id"], nid, oid)
            else:
                refused(r, "conflict", "over_cap")
            return
        d = self.d
        f = ok(d.call("fair.create", {"name": "f%d" % step, "date": "%d-12-28" % self.year},
                      token=self.a))["fair"]["id"]
        ok(d.call("fair.enroll", {"fair": f, "needs": [nid], "offers": [oid]}, token=self.a))
        ok(d.call("fair.match", {"fair": f, "algorithm": "greedy"}, token=self.a))
        items = ok(d.call("fair.matches", {"fair": f}, token=self.a))["items"]
        if not items:
            # the matcher proposes what fits this year's caps (the fair's year)
            assert not (fits and year == self.year), "a fitting pair was not proposed"
            return
        mid = items[0]["id"]
        ok(self.w.call("match.respond", {"match": mid, "decision": "accept"}, comms[0]))
        r = self.w.call("match.respond", {"match": mid, "decision": "accept"},
                        self.offers[oid][0])
        if not fits:
            refused(r, "conflict", "over_cap")
            return
        assert ok(r)["match"]["status"] == "confirmed"
        mine = ok(d.call("project.list", {"community": comms[0], "limit": 1000},
                         token=self.a))["items"]
        p = [x for x in mine if x["match"] == mid]
        assert len(p) == 1 and p[0]["stage"] == "deliberation", p
        self.opened(p[0]["id"], nid, oid)

    def reject(self):
        ids = [p for p in self.m.live if self.m.stage[p] == "deliberation"]
        if not ids:
            return
        pid = self.rng.choice(ids)
        comms = self.m.live[pid][0]
        p = self.w.step("project.deliberate", pid, comms[0],
                        **dict(VOTE, yes=1, no=10, abstain=1))
        assert p["stage"] == "rejected", p
        self.m.dead[pid] = self.pairs[pid]
        del self.m.live[pid]
        self.m.stage[pid] = "rejected"

    def cancel(self):
        ids = [p for p in self.m.live if self.m.stage[p] in (
            "deliberation", "notice", "implementing", "completed")]
        if not ids:
            return
        pid = self.rng.choice(ids)
        ok(self.d.call("project.cancel", {"project": pid, "reason": "撤销"}, token=self.a))
        del self.m.live[pid]
        self.m.stage[pid] = "cancelled"

    def forward(self):
        ids = [p for p in self.m.live if self.m.stage[p] != "settled"]
        if not ids:
            return
        pid = self.rng.choice(ids)
        target = ORDER[ORDER.index(self.m.stage[pid]) + 1]
        p = self.w.to(pid, target, org=self.offers[self.pairs[pid][1]][0])
        assert p["stage"] == target, p
        self.m.stage[pid] = target

    def revive(self):
        if not self.m.dead:
            return
        pid = self.rng.choice(sorted(self.m.dead))
        nid, oid = self.m.dead[pid]
        comms, year = self.needs[nid]
        r = self.d.call("project.create", {"need": nid, "offer": oid}, token=self.a)
        if nid in self.taken():
            refused(r, "conflict", "need_not_open")
        elif self.m.fits(comms, year, self.offers[oid][1]):
            p = ok(r)["project"]
            assert p["id"] == pid and p["stage"] == "deliberation", p
            self.opened(pid, nid, oid)
        else:
            refused(r, "conflict", "over_cap")


ORDER = ["deliberation", "notice", "implementing", "completed", "accepted", "settled"]


def _run(seed):
    with Daemon(conf_overrides={"programme.notice_days": "0"}) as d:
        r = Run(d, seed)
        for step in range(STEPS):
            what = r.rng.choice(["create", "create", "fair", "reject", "cancel", "forward",
                                 "revive"])
            if what in ("create", "fair"):
                r.create(step, what == "fair")
            else:
                getattr(r, what)()
            _check(d, r, step, what)


def _check(d, r, step, what):
    where = "step %d (%s)" % (step, what)
    for c, cap in CAPS.items():
        comm = ok(d.call("community.get", {"code": c}, token=r.a))["community"]
        used = int(round(comm["used"] * 100))
        assert used == r.m.used(c, r.year), "%s: %s used %d, model %d" % (
            where, c, used, r.m.used(c, r.year))
        assert used <= cap * 100, "%s: %s over its cap" % (where, c)
        assert r.m.used(c, r.year + 1) <= cap * 100, where
    taken = r.taken()
    for nid in r.needs:
        st = ok(d.call("need.get", {"id": nid}, token=r.a))["need"]["status"]
        assert st == ("matched" if nid in taken else "open"), "%s: need %d %s" % (
            where, nid, st)


def test_cap_holds_through_random_sequences():
    for seed in SEEDS:
        _run(seed)


def test_project_create_past_the_cap_and_by_the_needs_year():
    with Daemon() as d:
        w = World(d, cap=50000)
        year = ok(d.call("community.get", {"code": "C1"}, token=w.a))["community"]["year"]
        p = w.pair(price=30000)
        refused(d.call("project.create", {"need": w.need(), "offer": w.offer(price=30000)},
                       token=w.a), "conflict", "over_cap")
        # next year's need has next year's cap
        nxt = w.need(window={"from": "%d-02-01" % (year + 1), "to": "%d-03-01" % (year + 1)})
        q = w.create(nxt, w.offer(price=30000))
        assert q["year"] == year + 1, q
        # the amount may be given, within the need's budget
        refused(d.call("project.create", {"need": w.need(budget=10000), "offer": w.offer(),
                                          "amount": 10000.01}, token=w.a),
                "invalid_argument", "amount_over_budget", "amount")
        r = w.create(w.need(budget=10000), w.offer(), amount=10000)
        assert r["amount"] == 10000, r
        comm = ok(d.call("community.get", {"code": "C1"}, token=w.a))["community"]
        assert comm["used"] == 40000 and comm["left"] == 10000, comm
        # rejection gives the amount back
        w.step("project.deliberate", p["id"], "C1", **dict(VOTE, yes=0, no=12, abstain=0))
        comm = ok(d.call("community.get", {"code": "C1"}, token=w.a))["community"]
        assert comm["used"] == 10000, comm
        # an organizer creates only in its street
        err(d.call("project.create", {"need": w.need(), "offer": w.offer()},
                   token=w.tok["orgB"]), "forbidden")
        ok(d.call("project.create", {"need": w.need(budget=5000), "offer":
                                     w.offer(price=5000)}, token=w.tok["orgA"]))
