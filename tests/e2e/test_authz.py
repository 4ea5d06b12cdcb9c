"""Authorization matrix: every operation of daemon/ops/ops.c x every role x objects owned
by others.  Only the allowed cells succeed; the others answer forbidden / not_found /
unauthenticated, change nothing (read back through need.list, offer.list, fair.list,
fair.matches and fair.meetings) and leave exactly one audit entry with the caller's
role and code, the op and the refusal code.  Then mass assignment: no field that
decides ownership, status or money can be set by a caller that may not set it.

The runner gives every test its own process, so each test below builds its own small
district (District) and walks one group of operations through the matrix.
"""

import json
import re
from pathlib import Path

from harness import Daemon, ConnectionClosed, ok, err, STREET_A, STREET_B, ROOT, YEAR

ORG1 = "91440300MA5FAUTH01"      # the organisation owning the objects (street A)
ORG2 = "91440300MA5FAUTH02"      # another organisation (whole district)
DATE = "%d-06-01" % YEAR

ROLES = ("admin", "organizer_here", "organizer_there", "organizer_district",
         "community_owner", "community_other", "org_owner", "org_other",
         "anonymous", "rotated_community", "rotated_org")
SIGNED_IN = ROLES[:8]
NO_TOKEN = ("anonymous", "rotated_community", "rotated_org")
ORGANIZERS = ("organizer_here", "organizer_there", "organizer_district")


def expect(allowed=(), default="forbidden", **codes):
    """role -> "ok" or the error code expected.  Roles without a valid token always
    get unauthenticated (ping aside, which names its own table)."""
    out = {}
    for r in ROLES:
        if r in NO_TOKEN:
            out[r] = "unauthenticated"
        elif r in allowed:
            out[r] = "ok"
        else:
            out[r] = default
    for r, c in codes.items():
        out[r] = c
    return out


ANY = expect(SIGNED_IN)
ADMIN_ONLY = expect(("admin",))
RUNNERS = expect(("admin", "organizer_here", "organizer_district"))
# fair.matches / fair.meetings / fair.export: the fair's organizers and the admin see
# everything, communities and organisations their own rows; another street's
# organizer is refused.
FAIR_READERS = expect(("admin", "organizer_here", "organizer_district", "community_owner",
                       "community_other", "org_owner", "org_other"))


class District:
    """Two streets, three organizers, two communities and two organisations in street
    A (plus old tokens of the owning community and organisation, rotated away), one
    need, one offer and one matched, scheduled fair owned by them."""

    def __init__(self, d):
        self.d = d
        self.c = d.native()
        adm = d.admin
        self.tok = {"admin": adm}
        self.tok["community_owner"] = d.community("C1", STREET_A)
        self.tok["community_other"] = d.community("C2", STREET_A)
        d.community("C3", STREET_B)
        self.tok["org_owner"] = d.org(ORG1, street=STREET_A)
        self.tok["org_other"] = d.org(ORG2)
        self.tok["organizer_here"] = d.organizer("莲花街道办", STREET_A)[1]
        self.tok["organizer_there"] = d.organizer("园岭街道办", STREET_B)[1]
        self.tok["organizer_district"] = d.organizer("区民政局")[1]
        self.tok["anonymous"] = None
        # The owners' first tokens are replaced: the old ones must be dead everywhere.
        for role, old in (("community_owner", "rotated_community"), ("org_owner", "rotated_org")):
            self.tok[old] = self.tok[role]
            self.tok[role] = ok(self.call("token.rotate", {}, self.tok[role]))["token"]
        self.who = {}
        for r in ROLES:
            if r in NO_TOKEN:
                self.who[r] = (None, None)
            else:
                w = ok(self.call("whoami", None, self.tok[r]))
                self.who[r] = (w["role"], w["code"])
        self.need = self.fresh_need()
        self.offer = self.fresh_offer()
        self.fair = self.matched_fair(self.need, self.offer)
        ok(self.call("fair.schedule", {"fair": self.fair}, adm))
        self.match = self.match_of(self.fair)
        self.audit_cursor = 0
        self.drain_audit()

    def restart(self):
        """Start matchd again on the same database after it died (a bug the matrix
        reports); the rest of the matrix still runs."""
        self.d.start()
        self.c = self.d.native()
        self.audit_cursor = 0
        self.drain_audit()

    def call(self, op, args=None, token=None):
        return self.c.call(op, args, token=token)

    def admin(self, op, args=None):
        return ok(self.call(op, args, self.tok["admin"]))

    # -- fresh objects, created by the admin for their owners -----------------------

    def fresh_need(self, community="C1", **kw):
        a = {"community": community, "title": "长者助餐服务", "category": "service.elderly",
             "budget": 50000}
        a.update(kw)
        return self.admin("need.post", a)["need"]["id"]

    def fresh_offer(self, org=ORG1, **kw):
        a = {"org": org, "title": "长者助餐配送", "category": "service.elderly", "price": 30000}
        a.update(kw)
        return self.admin("offer.post", a)["offer"]["id"]

    def fresh_fair(self, street=STREET_A):
        return self.admin("fair.create", {"name": "对接会", "date": DATE,
                                          "street": street})["fair"]["id"]

    def matched_fair(self, need=None, offer=None):
        need = need or self.fresh_need()
        offer = offer or self.fresh_offer()
        f = self.fresh_fair()
        self.admin("fair.enroll", {"fair": f, "needs": [need], "offers": [offer]})
        r = self.admin("fair.match", {"fair": f})
        assert r["pairs"] == 1, "setup: the fair's need and offer did not match: %r" % r
        return f

    def match_of(self, fair):
        items = self.admin("fair.matches", {"fair": fair})["items"]
        assert len(items) == 1, items
        return items[0]["id"]

    # -- reading the state back --------------------------------------------------------

    def snapshot(self, fair=None):
        s = {}
        for op in ("need.list", "offer.list", "fair.list", "project.list"):
            if op not in _op_names():
                continue
            items, _ = self.d.list_all(op, self.tok["admin"], {}, limit=1000)
            s[op] = items
        if fair is not None:
            s["matches"] = self.admin("fair.matches", {"fair": fair})
            s["meetings"] = self.admin("fair.meetings", {"fair": fair})
        return s

    def drain_audit(self):
        out = []
        while True:
            r = self.admin("audit.list", {"after": self.audit_cursor, "limit": 1000})
            out += r["items"]
            if r["items"]:
                self.audit_cursor = r["items"][-1]["id"]
            if r["next"] is None:
                return out

    def account_exists(self, role, code):
        r = self.call("token.rotate", {"role": role, "code": code}, self.tok["admin"])
        if r.get("ok"):
            return True
        err(r, "not_found")
        return False


def _diff(a, b):
    for k in a:
        if a[k] != b.get(k):
            return "%s changed: %s -> %s" % (k, json.dumps(a[k], ensure_ascii=False)[:400],
                                             json.dumps(b.get(k), ensure_ascii=False)[:400])
    return None


def run_matrix(dist, rows):
    """rows: (label, op, setup(dist, role) -> (args, fair or None), expected, check).
    Rows for operations not (yet) in daemon/ops/ops.c are skipped; the coverage test
    fails for operations without a row."""
    failures = []
    present = _op_names()
    for label, op, setup, want, check in rows:
        if op not in present:
            continue
        for role in ROLES:
            args, fair = setup(dist, role)
            before = dist.snapshot(fair)
            dist.drain_audit()
            where = "%s as %s %s" % (label, role, json.dumps(args, ensure_ascii=False))
            try:
                r = dist.call(op, args, dist.tok[role])
            except ConnectionClosed:
                rc = dist.d.wait(5)
                failures.append("%s: expected %s, got no answer: matchd died (exit %r)"
                                % (where, want[role], rc))
                dist.restart()
                continue
            code = "ok" if r.get("ok") is True else (r.get("error") or {}).get("code")
            if op in STREAM_OPS and code == "ok":
                # The connection now streams events and takes no request.
                dist.c.close()
                dist.c = dist.d.native()
            if code != want[role]:
                failures.append("%s: expected %s, got %s" % (
                    where, want[role], json.dumps(r, ensure_ascii=False)[:300]))
                dist.drain_audit()
                continue
            after = dist.snapshot(fair)
            audit = dist.drain_audit()
            # the read-back of the snapshot is not audited (admin reads that succeed)
            mine = [e for e in audit if e["op"] == op]
            if code != "ok":
                d = _diff(before, after)
                if d:
                    failures.append("%s: refused (%s) yet %s" % (where, code, d))
                wrole, wcode = dist.who[role]
                if (len(mine) != 1 or mine[0]["outcome"] != code or mine[0]["role"] != wrole
                        or mine[0]["code"] != wcode):
                    failures.append("%s: refused with %s; want one audit entry role=%s "
                                    "code=%s outcome=%s, got %r" % (where, code, wrole, wcode,
                                                                    code, mine))
                if len(audit) != len(mine):
                    failures.append("%s: stray audit entries %r" % (where, audit))
            else:
                writes = op in WRITE_OPS
                if writes and (len(mine) != 1 or mine[0]["outcome"] != "ok"
                               or (mine[0]["role"], mine[0]["code"]) != dist.who[role]):
                    failures.append("%s: write allowed; want one audit entry ok by %r, got %r"
                                    % (where, dist.who[role], mine))
                if not writes and mine:
                    failures.append("%s: a successful read was audited: %r" % (where, mine))
                if check is not None:
                    msg = check(dist, role, args, r["result"], before, after)
                    if msg:
                        failures.append("%s: %s" % (where, msg))
            if code != "ok" and op in ACCOUNT_CREATES:
                kind = {"community.create": "community", "org.create": "org",
                        "organizer.create": "organizer"}[op]
                if dist.account_exists(kind, args["code"]):
                    failures.append("%s: refused, yet account %s exists" % (where, args["code"]))
                dist.drain_audit()
    assert not failures, "%d cells wrong:\n  %s" % (len(failures), "\n  ".join(failures))


def _op_names():
    src = (ROOT / "daemon" / "ops" / "ops.c").read_text()
    table = src[src.index("op_table[]"):]
    return set(re.findall(r'\{\s*"([a-z_.]+)",\s*(?:0|ROLE_|OWNERS_)', table))


WRITE_OPS = set()
ACCOUNT_CREATES = ("community.create", "org.create", "organizer.create")
# Operations after which the connection streams and takes no more requests.
STREAM_OPS = {"events.watch"}


def _write_ops():
    src = (ROOT / "daemon" / "ops" / "ops.c").read_text()
    table = src[src.index("op_table[]"):]
    return {m.group(1) for m in re.finditer(
        r'\{\s*"([a-z_.]+)",\s*[A-Z_ |0]+,\s*1,', table)}


WRITE_OPS = _write_ops()


# ---------------------------------------------------------------------------
# setups: (args, fair whose matches/meetings to read back or None)

def base(args_fn):
    return lambda dist, role: (args_fn(dist), None)


def fresh_need_args(extra):
    def s(dist, role):
        a = {"id": dist.fresh_need()}
        a.update(extra)
        return a, None
    return s


def fresh_offer_args(extra, key="id"):
    def s(dist, role):
        a = {key: dist.fresh_offer()}
        a.update(extra)
        return a, None
    return s


_seq = [0]


def _uniq(prefix):
    _seq[0] += 1
    return "%s%d" % (prefix, _seq[0])


# ---------------------------------------------------------------------------
# checks of allowed cells

def check_filtered_rows(dist, role, args, res, before, after):
    """Communities and organisations see only their own rows of a fair."""
    rows = list(res.get("items") or []) + list(res.get("meetings") or [])
    if role == "community_other" or role == "org_other":
        own = dist.who[role][1]
        key = "community" if role.startswith("community") else "org"
        leaked = [x for x in rows if x.get(key) != own]
        if leaked:
            return "another party's rows visible: %s" % json.dumps(leaked, ensure_ascii=False)[:300]
        un = res.get("unmatched") or {}
        if role == "community_other" and any(n.get("community") != own for n in un.get("needs", [])):
            return "another community's unmatched needs visible: %r" % un
        if role == "org_other" and any(o.get("org") != own for o in un.get("offers", [])):
            return "another organisation's unmatched offers visible: %r" % un
    elif role in ("community_owner", "org_owner", "admin", "organizer_here",
                  "organizer_district"):
        if "items" in res and len(res["items"]) != 1:
            return "the fair's one match not visible: %r" % res
    return None


def check_export(dist, role, args, res, before, after):
    data = res.get("data", "")
    if role in ("community_other", "org_other"):
        if "长者助餐配送" in data or ORG1 in data or ",C1," in data:
            return "another party's match exported: %r" % data[:300]
    elif role in ("community_owner", "org_owner"):
        if "长者助餐配送" not in data:
            return "own match missing from the export: %r" % data[:300]
    return None


def check_changed(field, value):
    def c(dist, role, args, res, before, after):
        obj = next(iter(res.values()))
        if obj.get(field) != value:
            return "%s is %r, not %r" % (field, obj.get(field), value)
        return None
    return c


# ---------------------------------------------------------------------------
# the matrix, by group (one daemon each)

ROWS_ACCOUNTS = [
    ("ping", "ping", base(lambda d: None), {r: "ok" for r in ROLES}, None),
    ("whoami", "whoami", base(lambda d: None), ANY, None),
    ("community.create", "community.create",
     lambda d, r: ({"code": _uniq("NEWC"), "name": "新社区", "street": STREET_A}, None),
     ADMIN_ONLY, None),
    ("org.create", "org.create",
     lambda d, r: ({"code": _uniq("NEWO"), "name": "新组织", "kind": "registered"}, None),
     ADMIN_ONLY, None),
    ("organizer.create", "organizer.create",
     lambda d, r: ({"code": _uniq("NEWZ"), "name": "新街道办", "street": STREET_A}, None),
     ADMIN_ONLY, None),
    ("audit.list", "audit.list", base(lambda d: {"limit": 1}), ADMIN_ONLY, None),
    ("stats.streets", "stats.streets", base(lambda d: {}),
     expect(("admin",) + ORGANIZERS), None),
    ("risk.flags", "risk.flags", base(lambda d: {}), expect(("admin",) + ORGANIZERS), None),
    ("stats.categories", "stats.categories", base(lambda d: {}),
     expect(("admin",) + ORGANIZERS), None),
    ("stats.orgs", "stats.orgs", base(lambda d: {}), expect(("admin",) + ORGANIZERS), None),
    # The directory and the taxonomy are public to every signed-in role.
    ("community.get", "community.get", base(lambda d: {"code": "C1"}), ANY, None),
    ("community.list", "community.list", base(lambda d: {"limit": 5}), ANY, None),
    ("org.get", "org.get", base(lambda d: {"code": ORG1}), ANY, None),
    ("org.list", "org.list", base(lambda d: {"limit": 5}), ANY, None),
    ("taxonomy.get", "taxonomy.get", base(lambda d: None), ANY, None),
    # The registry of streets: the admin registers, everyone reads.
    ("street.create", "street.create", lambda d, r: ({"name": _uniq("新街道")}, None),
     ADMIN_ONLY, None),
    ("street.list", "street.list", base(lambda d: None), ANY, None),
]

ROWS_NEEDS = [
    ("need.post for C1", "need.post",
     base(lambda d: {"community": "C1", "title": "代发需求", "category": "service.elderly",
                     "budget": 100}),
     expect(("admin", "community_owner")), check_changed("community", "C1")),
    ("need.get", "need.get", base(lambda d: {"id": d.need}), ANY, None),
    ("need.list", "need.list", base(lambda d: {"community": "C1"}), ANY, None),
    ("need.update", "need.update", fresh_need_args({"title": "改标题", "budget": 1}),
     expect(("admin", "community_owner")), check_changed("budget", 1)),
    ("need.withdraw", "need.withdraw", fresh_need_args({}),
     expect(("admin", "community_owner")), check_changed("status", "withdrawn")),
    ("match.suggest(need)", "match.suggest", base(lambda d: {"need": d.need}),
     expect(("admin", "organizer_here", "organizer_district", "community_owner")), None),
    # only the partner named answers for itself: C1 posted, C2 is the partner
    ("need.consent by the partner", "need.consent",
     lambda d, r: ({"need": d.fresh_need(partners=["C2"]), "decision": "agree"}, None),
     expect(("community_other",)), check_changed("status", "open")),
]

ROWS_OFFERS = [
    ("offer.post for ORG1", "offer.post",
     base(lambda d: {"org": ORG1, "title": "代发服务", "category": "service.elderly",
                     "price": 100}),
     expect(("admin", "org_owner")), check_changed("org", ORG1)),
    ("offer.get", "offer.get", base(lambda d: {"id": d.offer}), ANY, None),
    ("offer.list", "offer.list", base(lambda d: {"org": ORG1}), ANY, None),
    ("offer.update", "offer.update", fresh_offer_args({"price": 1, "capacity": 3}),
     expect(("admin", "org_owner")), check_changed("capacity", 3)),
    ("offer.withdraw", "offer.withdraw", fresh_offer_args({}),
     expect(("admin", "org_owner")), check_changed("status", "withdrawn")),
    ("library.set", "library.set", fresh_offer_args({"in_library": True}, key="offer"),
     ADMIN_ONLY, check_changed("in_library", True)),
    ("match.suggest(offer)", "match.suggest", base(lambda d: {"offer": d.offer}),
     expect(("admin", "organizer_here", "organizer_district", "org_owner")), None),
    # ORG1's joint offer names ORG2: only ORG2 answers
    ("offer.consent by the partner", "offer.consent",
     lambda d, r: ({"offer": d.fresh_offer(partner=ORG2), "decision": "agree"}, None),
     expect(("org_other",)), check_changed("status", "open")),
]


def _enroll_need(d, r):
    f = d.fresh_fair()
    return {"fair": f, "needs": [d.fresh_need()]}, f


def _enroll_offer(d, r):
    f = d.fresh_fair()
    return {"fair": f, "offers": [d.fresh_offer()]}, f


def _enroll_all(d, r):
    f = d.fresh_fair()
    return {"fair": f, "all": True}, f


def _matched(args_fn):
    def s(d, r):
        f = d.matched_fair()
        return args_fn(d, f), f
    return s


def _publish(d, r):
    f = d.matched_fair()
    d.admin("fair.match", {"fair": f})
    return {"fair": f, "run": 1}, f


def _respond(d, r):
    f = d.matched_fair()
    return {"match": d.match_of(f), "decision": "accept"}, f


def _respond_decline(d, r):
    f = d.matched_fair()
    return {"match": d.match_of(f), "decision": "decline"}, f


def _interest(key):
    """A fair with a fresh need of C1 and offer of ORG1; a `want` about one of them."""
    def s(d, r):
        need, offer = d.fresh_need(), d.fresh_offer()
        f = d.fresh_fair()
        d.admin("fair.enroll", {"fair": f, "needs": [need], "offers": [offer]})
        return {"fair": f, key: need if key == "need" else offer, "level": "want"}, f
    return s


ROWS_FAIRS = [
    # a community speaks of an offer, an organisation of a need; the other side
    # lacks the subject it must name
    ("fair.interest of a community", "fair.interest", _interest("offer"),
     expect(("community_owner", "community_other"), org_owner="invalid_argument",
            org_other="invalid_argument"), None),
    ("fair.interest of an organisation", "fair.interest", _interest("need"),
     expect(("org_owner", "org_other"), community_owner="invalid_argument",
            community_other="invalid_argument"), None),
    ("fair.interests", "fair.interests", lambda d, r: ({"fair": d.fair}, d.fair),
     FAIR_READERS, None),
    ("fair.create in street A", "fair.create",
     base(lambda d: {"name": "街道对接会", "date": DATE, "street": STREET_A}), RUNNERS, None),
    ("fair.update", "fair.update", lambda d, r: ({"id": d.fresh_fair(), "name": "改名"},
                                                   None), RUNNERS,
     check_changed("name", "改名")),
    ("fair.publish", "fair.publish", _publish, RUNNERS,
     lambda d, r, a, res, b, af: None if res["fair"]["published_run"] == 1 else
     "run 1 not published: %r" % res),
    ("fair.get", "fair.get", base(lambda d: {"id": d.fair}), ANY, None),
    ("fair.list", "fair.list", base(lambda d: {}), ANY, None),
    ("fair.enroll(needs of C1)", "fair.enroll", _enroll_need,
     expect(("admin", "organizer_here", "organizer_district", "community_owner")), None),
    ("fair.enroll(offers of ORG1)", "fair.enroll", _enroll_offer,
     expect(("admin", "organizer_here", "organizer_district", "org_owner")), None),
    ("fair.enroll(all)", "fair.enroll", _enroll_all, RUNNERS, None),
    ("fair.match", "fair.match", _matched(lambda d, f: {"fair": f}), RUNNERS, None),
    ("fair.matches", "fair.matches", lambda d, r: ({"fair": d.fair}, d.fair), FAIR_READERS,
     check_filtered_rows),
    ("fair.meetings", "fair.meetings", lambda d, r: ({"fair": d.fair}, d.fair), FAIR_READERS,
     check_filtered_rows),
    ("fair.export csv", "fair.export", lambda d, r: ({"fair": d.fair}, d.fair), FAIR_READERS,
     check_export),
    ("match.respond accept", "match.respond", _respond,
     expect(("community_owner", "org_owner")), None),
    ("match.respond decline", "match.respond", _respond_decline,
     expect(("community_owner", "org_owner")), None),
    ("fair.schedule", "fair.schedule", _matched(lambda d, f: {"fair": f}), RUNNERS, None),
    ("fair.close", "fair.close", lambda d, r: ({"fair": d.fresh_fair()}, None), RUNNERS,
     check_changed("status", "closed")),
]

# A webhook that the street's organizer owns: the admin and it may delete it.
HOOK_URL = "http://127.0.0.1:9/hook"


def _own_hook(d, r):
    h = ok(d.call("webhook.create", {"url": HOOK_URL}, d.tok["organizer_here"]))
    d.drain_audit()
    return {"id": h["webhook"]["id"]}, None


ROWS_EVENTS = [
    ("events.watch", "events.watch", base(lambda d: {"after": 0}), ANY, None),
    ("webhook.create", "webhook.create", base(lambda d: {"url": HOOK_URL}),
     expect(("admin",) + ORGANIZERS), None),
    ("webhook.list", "webhook.list", base(lambda d: None), expect(("admin",) + ORGANIZERS),
     None),
    ("webhook.delete of the street organizer's", "webhook.delete", _own_hook,
     expect(("admin", "organizer_here")), None),
]


def _project(d, stage="deliberation"):
    """A fresh project of C1 and ORG1 (created by the admin outside a fair), taken to
    stage by the parties who owe each step."""
    p = d.admin("project.create", {"need": d.fresh_need(), "offer": d.fresh_offer()})
    pid = p["project"]["id"]
    steps = [("notice", "community_owner", "project.deliberate",
              {"date": "2026-01-10", "members": 15, "present": 12, "yes": 10, "no": 1,
               "abstain": 1}),
             ("implementing", "org_owner", "project.start", {}),
             ("completed", "org_owner", "project.complete",
              {"beneficiaries_served": 80, "note": "完工"}),
             ("accepted", "community_owner", "project.accept",
              {"passed": True, "satisfaction": 90, "note": "验收通过"})]
    order = ["deliberation"] + [s[0] for s in steps]
    for st, role, op, args in steps[:order.index(stage)]:
        a = {"project": pid}
        a.update(args)
        ok(d.call(op, a, d.tok[role]))
    return pid


def _proj(stage, extra=None):
    def s(d, r):
        a = {"project": _project(d, stage)}
        a.update(extra or {})
        return a, None
    return s


def _objection(d, r):
    pid = _project(d, "notice")
    o = ok(d.call("project.object", {"project": pid, "text": "有异议"},
                  d.tok["community_other"]))["objection"]
    return {"objection": o["id"], "decision": "dismissed", "note": "已核实"}, None


ROWS_PROJECTS = [
    ("project.create for C1", "project.create",
     lambda d, r: ({"need": d.fresh_need(), "offer": d.fresh_offer()}, None), RUNNERS,
     check_changed("stage", "deliberation")),
    ("project.get", "project.get", lambda d, r: ({"id": _project(d)}, None), ANY, None),
    ("project.list", "project.list", base(lambda d: {"stage": "deliberation"}), ANY, None),
    ("project.deliberate", "project.deliberate",
     _proj("deliberation", {"date": "2026-01-10", "members": 15, "present": 12, "yes": 10,
                            "no": 1, "abstain": 1}),
     expect(("community_owner",)), check_changed("stage", "notice")),
    ("project.object", "project.object", _proj("notice", {"text": "噪音扰民"}), ANY, None),
    ("objection.resolve", "objection.resolve", _objection, RUNNERS, None),
    ("project.start", "project.start", _proj("notice"), expect(("org_owner",)),
     check_changed("stage", "implementing")),
    ("project.progress", "project.progress",
     _proj("implementing", {"percent": 40, "note": "过半"}), expect(("org_owner",)),
     check_changed("progress", 40)),
    ("project.complete", "project.complete",
     _proj("implementing", {"beneficiaries_served": 90, "note": "完工"}),
     expect(("org_owner",)), check_changed("stage", "completed")),
    ("project.accept", "project.accept",
     _proj("completed", {"passed": True, "satisfaction": 95, "note": "满意"}),
     expect(("community_owner",)), check_changed("stage", "accepted")),
    ("project.settle", "project.settle", _proj("accepted", {"paid": 100}), ADMIN_ONLY,
     check_changed("stage", "settled")),
    ("project.cancel", "project.cancel", _proj("implementing", {"reason": "撤销"}),
     ADMIN_ONLY, check_changed("stage", "cancelled")),
    ("report.monthly", "report.monthly", base(lambda d: {"year": 2026, "month": 6}),
     expect(("admin",) + ORGANIZERS), None),
    ("risk.resolve", "risk.resolve",
     lambda d, r: ({"key": _uniq("padding:C1:"), "note": "已约谈"}, None), ADMIN_ONLY,
     None),
]

ROWS_TOKENS = [
    # the admin rotates any account's token; nobody else names another account
    ("token.rotate of another account", "token.rotate",
     lambda d, r: ({"role": "community", "code": "C2"}, None), ADMIN_ONLY, None),
]


def test_matrix_covers_every_operation():
    rows = ROWS_ACCOUNTS + ROWS_NEEDS + ROWS_OFFERS + ROWS_FAIRS + ROWS_TOKENS + \
        ROWS_EVENTS + ROWS_PROJECTS
    covered = {r[1] for r in rows}
    missing = _op_names() - covered
    assert not missing, "operations of daemon/ops/ops.c without a row in the matrix: %s" % sorted(missing)
    assert WRITE_OPS and "need.post" in WRITE_OPS and "need.get" not in WRITE_OPS, WRITE_OPS
    for label, op, setup, want, check in rows:
        assert set(want) == set(ROLES), label


def test_matrix_accounts_and_oversight():
    with Daemon() as d:
        run_matrix(District(d), ROWS_ACCOUNTS)


def test_matrix_needs():
    with Daemon() as d:
        run_matrix(District(d), ROWS_NEEDS)


def test_matrix_offers():
    with Daemon() as d:
        run_matrix(District(d), ROWS_OFFERS)


def test_matrix_fairs():
    with Daemon() as d:
        run_matrix(District(d), ROWS_FAIRS)


def test_matrix_events_and_webhooks():
    with Daemon(conf_overrides={"events.allow_private_hooks": "true"}) as d:
        run_matrix(District(d), ROWS_EVENTS)


def test_matrix_projects():
    # The notice ends at once, so that project.start is allowed to its organisation;
    # the cap is high enough for the many projects of C1 the matrix makes.
    with Daemon(conf_overrides={"programme.notice_days": "0",
                                "matcher.community_cap": "1000000000"}) as d:
        run_matrix(District(d), ROWS_PROJECTS)


def test_matrix_token_rotate():
    """Every role's attempt to rotate C2's token; after each refusal C2's token still
    works; then the admin's rotation kills it.  Self-rotation by every role works and
    the old token dies."""
    with Daemon() as d:
        dist = District(d)
        c2 = dist.tok["community_other"]
        failures = []
        for role in ROLES:
            if role == "admin":
                continue
            dist.drain_audit()
            r = dist.call("token.rotate", {"role": "community", "code": "C2"}, dist.tok[role])
            want = "unauthenticated" if role in NO_TOKEN else \
                ("ok" if role == "community_other" else "forbidden")
            code = "ok" if r.get("ok") else r["error"]["code"]
            if code != want:
                failures.append("token.rotate C2 as %s: expected %s, got %r" % (role, want, r))
                continue
            if code == "ok":
                dist.tok["community_other"] = c2 = r["result"]["token"]
            elif not dist.call("whoami", None, c2).get("ok"):
                failures.append("token.rotate C2 as %s refused, yet C2's token died" % role)
            audit = dist.drain_audit()
            if code != "ok":
                wrole, wcode = dist.who[role]
                if [(e["op"], e["role"], e["code"], e["outcome"]) for e in audit] != \
                        [("token.rotate", wrole, wcode, code)]:
                    failures.append("token.rotate C2 as %s: audit %r" % (role, audit))
        # and another account kind: an organisation naming the organizer of its street
        r = dist.call("token.rotate", {"role": "organizer", "code": dist.who["organizer_here"][1]},
                      dist.tok["org_owner"])
        err(r, "forbidden")
        assert dist.call("whoami", None, dist.tok["organizer_here"])["ok"]
        # a role naming itself under another role's name is refused too
        r = dist.call("token.rotate", {"role": "org", "code": "C1"}, dist.tok["community_owner"])
        if r.get("ok") or r["error"]["code"] not in ("forbidden", "not_found"):
            failures.append("community C1 rotating org 'C1': %r" % r)
        old = c2
        new = ok(dist.call("token.rotate", {"role": "community", "code": "C2"},
                           dist.tok["admin"]))["token"]
        err(dist.call("whoami", None, old), "unauthenticated")
        assert ok(dist.call("whoami", None, new))["code"] == "C2"
        dist.tok["community_other"] = new
        for role in SIGNED_IN:
            t = dist.tok[role]
            nt = ok(dist.call("token.rotate", {}, t))["token"]
            err(dist.call("whoami", None, t), "unauthenticated")
            assert ok(dist.call("whoami", None, nt))["role"] == dist.who[role][0]
        assert not failures, "\n  ".join(failures)


def test_not_found_does_not_depend_on_the_role():
    """A missing object is not_found for every role that may use the op (no role learns
    less or more), and unauthenticated callers learn nothing at all."""
    with Daemon() as d:
        dist = District(d)
        cases = [("need.get", {"id": 999999}), ("need.update", {"id": 999999, "title": "x"}),
                 ("need.withdraw", {"id": 999999}), ("offer.get", {"id": 999999}),
                 ("offer.update", {"id": 999999, "price": 1}),
                 ("offer.withdraw", {"id": 999999}), ("fair.get", {"id": 999999}),
                 ("fair.matches", {"fair": 999999}), ("fair.close", {"fair": 999999}),
                 ("match.respond", {"match": 999999, "decision": "accept"})]
        allowed = {"need.update": ("admin", "community_owner", "community_other"),
                   "need.withdraw": ("admin", "community_owner", "community_other"),
                   "offer.update": ("admin", "org_owner", "org_other"),
                   "offer.withdraw": ("admin", "org_owner", "org_other"),
                   "fair.close": ("admin",) + ORGANIZERS,
                   "match.respond": ("community_owner", "community_other", "org_owner",
                                     "org_other")}
        bad = []
        for op, args in cases:
            for role in ROLES:
                r = dist.call(op, args, dist.tok[role])
                if role in NO_TOKEN:
                    want = "unauthenticated"
                elif role in allowed.get(op, SIGNED_IN):
                    want = "not_found"
                else:
                    want = "forbidden"
                got = "ok" if r.get("ok") else r["error"]["code"]
                if got != want:
                    bad.append("%s %r as %s: expected %s, got %s" % (op, args, role, want, got))
        assert not bad, "\n  ".join(bad)


def test_http_transport_same_decisions():
    """A sample of the matrix over HTTP: the same codes, with their statuses."""
    with Daemon() as d:
        dist = District(d)
        status_of = {"ok": 200, "forbidden": 403, "unauthenticated": 401}
        cells = [("need.update", {"id": dist.need, "title": "x"}, "community_other", "forbidden"),
                 ("offer.update", {"id": dist.offer, "price": 1}, "org_other", "forbidden"),
                 ("library.set", {"offer": dist.offer, "in_library": True}, "org_owner", "forbidden"),
                 ("fair.match", {"fair": dist.fair}, "organizer_there", "forbidden"),
                 ("fair.close", {"fair": dist.fair}, "community_owner", "forbidden"),
                 ("audit.list", {}, "organizer_district", "forbidden"),
                 ("need.withdraw", {"id": dist.need}, "rotated_community", "unauthenticated"),
                 ("offer.withdraw", {"id": dist.offer}, "rotated_org", "unauthenticated"),
                 ("whoami", None, "anonymous", "unauthenticated"),
                 ("need.get", {"id": dist.need}, "org_other", "ok")]
        before = dist.snapshot(dist.fair)
        dist.drain_audit()
        for op, args, role, want in cells:
            status, body = d.http_op(op, args, token=dist.tok[role])
            assert status == status_of[want], (op, role, status, body)
            if want != "ok":
                err(body, want)
        assert dist.snapshot(dist.fair) == before, "a refused HTTP request changed the state"
        audit = dist.drain_audit()
        refused = [(e["op"], e["role"], e["code"], e["outcome"]) for e in audit]
        want = [(op, dist.who[role][0], dist.who[role][1], code)
                for op, _, role, code in cells if code != "ok"]
        assert refused == want, "audit of refused HTTP requests:\n%r\nwant\n%r" % (refused, want)


# ---------------------------------------------------------------------------
# mass assignment

def _refused_unknown(r, key):
    e = err(r, "invalid_argument")
    assert e.get("field") == key, "unknown key %s refused with field %r" % (key, e.get("field"))


def test_mass_assignment_need_post():
    with Daemon() as d:
        dist = District(d)
        c1, c2 = dist.tok["community_owner"], dist.tok["community_other"]
        base_args = {"title": "批量赋值", "category": "service.elderly", "budget": 10}
        before = dist.snapshot()
        for key, value in (("status", "matched"), ("id", 1), ("remaining", 0),
                           ("in_library", True), ("street", STREET_B), ("year", 1999),
                           ("created", "2000-01-01T00:00:00Z"), ("updated", "x"),
                           ("org", ORG1), ("cap", 1), ("amount", 1), ("score", 100),
                           ("Status", "matched"), ("COMMUNITY", "C2"), ("Budget", 1e9),
                           ("community ", "C2"), ("token", dist.tok["admin"])):
            a = dict(base_args)
            a[key] = value
            _refused_unknown(dist.call("need.post", a, c1), key)
        # ownership: another community's code
        a = dict(base_args, community="C2")
        e = err(dist.call("need.post", a, c1), "forbidden")
        # ... the organizer of the street may not post for its communities either
        err(dist.call("need.post", a, dist.tok["organizer_here"]), "forbidden")
        assert dist.snapshot() == before, "a refused need.post changed the state"
        # the admin may post for any community, but status/street still are not postable
        for key, value in (("status", "matched"), ("street", STREET_B), ("id", dist.need)):
            a = dict(base_args, community="C2")
            a[key] = value
            _refused_unknown(dist.call("need.post", a, dist.tok["admin"]), key)
        assert dist.snapshot() == before
        # a posted need takes street and status from the server, whatever was tried
        n = ok(dist.call("need.post", base_args, c2))["need"]
        assert n["community"] == "C2" and n["street"] == STREET_A and n["status"] == "open", n


def test_mass_assignment_need_update():
    with Daemon() as d:
        dist = District(d)
        c1 = dist.tok["community_owner"]
        nid = dist.need
        before = dist.snapshot(dist.fair)
        for key, value in (("status", "withdrawn"), ("community", "C2"), ("street", STREET_B),
                           ("remaining", 0), ("in_library", True), ("year", 1999),
                           ("created", "2000-01-01T00:00:00Z"), ("ref", "other"),
                           ("Budget", 1), ("STATUS", "open"), ("matched", True)):
            _refused_unknown(dist.call("need.update", {"id": nid, key: value}, c1), key)
            _refused_unknown(dist.call("need.update", {"id": nid, key: value},
                                       dist.tok["admin"]), key)
        # a valid field next to a forbidden one: all or nothing
        _refused_unknown(dist.call("need.update", {"id": nid, "budget": 1, "status": "open"}, c1),
                         "status")
        # id of somebody else's need: forbidden, nothing changes
        mine = dist.fresh_need("C2")
        before = dist.snapshot(dist.fair)
        err(dist.call("need.update", {"id": mine, "budget": 1}, c1), "forbidden")
        err(dist.call("need.update", {"id": mine, "partners": ["C1"]}, c1), "forbidden")
        assert dist.snapshot(dist.fair) == before, "refused need.update changed the state"


def test_mass_assignment_offer_post_and_update():
    with Daemon() as d:
        dist = District(d)
        o1, o2 = dist.tok["org_owner"], dist.tok["org_other"]
        base_args = {"title": "批量赋值服务", "category": "service.elderly", "price": 10}
        before = dist.snapshot(dist.fair)
        for key, value in (("remaining", 99), ("in_library", True), ("status", "full"),
                           ("id", dist.offer), ("community", "C1"), ("kind", "registered"),
                           ("Org", ORG2), ("In_Library", True), ("partners", [ORG2])):
            a = dict(base_args)
            a[key] = value
            _refused_unknown(dist.call("offer.post", a, o1), key)
        err(dist.call("offer.post", dict(base_args, org=ORG2), o1), "forbidden")
        for key, value in (("org", ORG2), ("remaining", 99), ("in_library", True),
                           ("status", "open"), ("ref", "x"), ("kind", "filed"),
                           ("IN_LIBRARY", True), ("Remaining", 1)):
            _refused_unknown(dist.call("offer.update", {"id": dist.offer, key: value}, o1), key)
            _refused_unknown(dist.call("offer.update", {"id": dist.offer, key: value},
                                       dist.tok["admin"]), key)
        _refused_unknown(dist.call("offer.update", {"id": dist.offer, "price": 1,
                                                    "in_library": True}, o1), "in_library")
        err(dist.call("offer.update", {"id": dist.offer, "price": 1}, o2), "forbidden")
        # library membership is the admin's alone, even for the owner
        err(dist.call("library.set", {"offer": dist.offer, "in_library": True}, o1), "forbidden")
        assert dist.snapshot(dist.fair) == before, "a refused offer write changed the state"
        # capacity of the matched offer: remaining follows, status follows
        o = ok(dist.call("offer.update", {"id": dist.offer, "capacity": 5}, o1))["offer"]
        assert o["remaining"] == 5 and o["status"] == "open" and o["in_library"] is False, o


def test_mass_assignment_fairs_and_matches():
    with Daemon() as d:
        dist = District(d)
        here = dist.tok["organizer_here"]
        before = dist.snapshot(dist.fair)
        base_args = {"name": "对接会", "date": DATE}
        for key, value in (("organizer", "organizer-1"), ("status", "closed"), ("id", 1),
                           ("runs", 3), ("needs", 5), ("Street", STREET_B)):
            _refused_unknown(dist.call("fair.create", dict(base_args, **{key: value}), here), key)
        e = err(dist.call("fair.create", dict(base_args, street=STREET_B), here), "forbidden")
        for key, value in (("status", "confirmed"), ("amount", 1), ("score", 100),
                           ("community", "C1")):
            _refused_unknown(dist.call("match.respond", {"match": dist.match, "decision": "accept",
                                                        key: value}, dist.tok["community_owner"]),
                             key)
        for key, value in (("status", "closed"), ("street", STREET_B), ("organizer", "x")):
            _refused_unknown(dist.call("fair.close", {"fair": dist.fair, key: value}, here), key)
            _refused_unknown(dist.call("fair.match", {"fair": dist.fair, key: value}, here), key)
        # a community cannot enrol everything, nor another's need, nor an offer
        f = dist.fresh_fair()
        before = dist.snapshot(f)
        err(dist.call("fair.enroll", {"fair": f, "all": True}, dist.tok["community_owner"]),
            "forbidden")
        other = dist.fresh_need("C2")
        err(dist.call("fair.enroll", {"fair": f, "needs": [dist.fresh_need(), other]},
                      dist.tok["community_owner"]), "forbidden")
        err(dist.call("fair.enroll", {"fair": f, "offers": [dist.offer]},
                      dist.tok["community_owner"]), "forbidden")
        after = dist.snapshot(f)
        fa = [x for x in after["fair.list"] if x["id"] == f][0]
        assert fa["needs"] == 0 and fa["offers"] == 0, \
            "a refused enrolment left part of itself: %r" % fa
        # the matched fair is untouched
        assert dist.admin("fair.get", {"id": dist.fair})["fair"]["status"] == "open"


def test_mass_assignment_accounts():
    with Daemon() as d:
        dist = District(d)
        adm = dist.tok["admin"]
        for op, a in (("community.create", {"code": "MX1", "name": "x", "street": STREET_A}),
                      ("org.create", {"code": "MX2", "name": "x", "kind": "registered"}),
                      ("organizer.create", {"name": "x", "street": STREET_A, "code": "MX3"})):
            for key, value in (("role", "admin"), ("token", "0" * 64), ("id", 1),
                               ("hash", "00"), ("Role", "admin")):
                _refused_unknown(dist.call(op, dict(a, **{key: value}), adm), key)
        for code, kind in (("MX1", "community"), ("MX2", "org"), ("MX3", "organizer")):
            assert not dist.account_exists(kind, code), "%s %s created by a refused call" % (kind, code)
        # the community's cap (money) is the admin's: nobody else has a way to set it
        err(dist.call("community.create", {"code": "MX4", "name": "x", "street": STREET_A,
                                           "cap": 1e10}, dist.tok["community_owner"]), "forbidden")
        for key in ("cap", "street", "Role", "token"):
            _refused_unknown(dist.call("token.rotate", {key: "admin"}, dist.tok["community_owner"]),
                             key)
        # role alone (to become the admin?) is refused: role and code go together
        err(dist.call("token.rotate", {"role": "admin"}, dist.tok["community_owner"]),
            "invalid_argument")
        w = ok(dist.call("whoami", None, dist.tok["community_owner"]))
        assert w["role"] == "community" and w["code"] == "C1" and w["street"] == STREET_A, w
