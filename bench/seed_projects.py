"""seed_projects.py DB N: a city's ten years of projects, written straight into a
matchd database (the fast path of bench/run.sh's case "projects": through
project.create it would take the daemon minutes of writes to make what the
figures then read in milliseconds).

The database must have been made by matchd (`matchd token -D DB` creates and
migrates it).  74 streets, 660 communities, 2,000 organisations and offers, N
needs over the ten years up to this one, each with one project: stages spread
as a programme's are (most settled in past years, this year's at every stage),
with their histories (a row per step, the stage left and since when), council
votes, acceptances (some failed) and a few objections.  Deterministic."""

import datetime
import json
import random
import sqlite3
import sys

STAGES = ["deliberation", "notice", "implementing", "completed", "accepted", "settled"]
CATS = ["service." + s for s in ("elderly", "children", "youth", "disability", "health",
                                 "culture", "sports", "education", "legal", "volunteer",
                                 "neighbourhood")] + \
    ["engineering." + s for s in ("facility", "greening", "accessibility", "safety",
                                  "renovation")] + ["goods.equipment", "goods.supplies",
                                                    "goods.books"]


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def main(db, n):
    rng = random.Random(2017)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = OFF")
    cur = con.cursor()
    now = datetime.datetime.utcnow().replace(microsecond=0)
    year = now.year
    streets = ["街道%02d" % i for i in range(74)]
    comms, orgs = [], []
    acct = cur.execute("SELECT COALESCE(MAX(id), 0) FROM accounts").fetchone()[0]
    for i in range(660):
        acct += 1
        code, street = "C%03d" % i, streets[i % 74]
        cur.execute("INSERT INTO accounts (id, role, code, name, street, token_hash, created)"
                    " VALUES (?, 'community', ?, ?, ?, ?, ?)",
                    (acct, code, "社区%03d" % i, street, ("c%063d" % i).encode(), ts(now)))
        cur.execute("INSERT INTO communities (code, account, cap) VALUES (?, ?, ?)",
                    (code, acct, 10 ** 12))
        comms.append((code, street))
    for i in range(2000):
        acct += 1
        code = "91440300MA%08d" % i
        cur.execute("INSERT INTO accounts (id, role, code, name, street, token_hash, created)"
                    " VALUES (?, 'org', ?, ?, ?, ?, ?)",
                    (acct, code, "社会组织%04d" % i, streets[i % 74], ("o%063d" % i).encode(),
                     ts(now)))
        cur.execute("INSERT INTO orgs (code, account, kind, streets) VALUES (?, ?, 'registered',"
                    " '[\"*\"]')", (code, acct))
        orgs.append(code)
        cur.execute("INSERT INTO offers (id, org, title, category, price, capacity, remaining,"
                    " streets, status, created, updated) VALUES (?, ?, ?, ?, ?, 100000, 100000,"
                    " '[\"*\"]', 'open', ?, ?)",
                    (i + 1, code, "服务项目%04d" % i, CATS[i % len(CATS)],
                     rng.randrange(1000, 400000) * 100, ts(now), ts(now)))
    need_rows, proj_rows, hist_rows, vote_rows, acc_rows, obj_rows = [], [], [], [], [], []
    for i in range(n):
        pid = i + 1
        y = year - 9 + i * 10 // n
        c, street = comms[i % 660]
        org = orgs[rng.randrange(2000)]
        amount = rng.randrange(10, 3000) * 10000
        created = datetime.datetime(y, 1, 1) + datetime.timedelta(
            seconds=rng.randrange(0, 330 * 86400))
        if created > now:
            created = now - datetime.timedelta(days=rng.randrange(1, 300))
        # past years are done; this year's projects stand anywhere on the line
        if y < year:
            final = rng.choice(["settled"] * 9 + ["rejected", "cancelled"])
        else:
            final = rng.choice(STAGES + ["rejected"])
        steps = []
        t = created
        stage, since = "deliberation", created
        steps.append((t, "deliberation", None, None, "project.create"))
        path = STAGES[:STAGES.index(final) + 1] if final in STAGES else \
            ["deliberation", "rejected"] if final == "rejected" else ["deliberation", "notice", "cancelled"]
        for nxt in path[1:]:
            t = t + datetime.timedelta(days=rng.randrange(3, 40))
            if t > now:
                break
            steps.append((t, nxt, stage, ts(since), "step"))
            stage, since = nxt, t
        status = "open" if stage in ("rejected", "cancelled") else "matched"
        cat = CATS[i % len(CATS)]
        need_rows.append((pid, c, street, "需求%06d" % i, cat, amount, y, status,
                          ts(created), ts(created)))
        proj_rows.append((pid, pid, (pid % 2000) + 1, c, org, street, "需求%06d" % i,
                          cat, amount, amount if stage == "settled" else 0, stage,
                          y, 100 if stage in ("completed", "accepted", "settled") else 0,
                          rng.randrange(20, 500) if stage in ("completed", "accepted", "settled")
                          else 0, 90 if stage in ("accepted", "settled") else None, ts(since),
                          ts(steps[1][0] + datetime.timedelta(days=5)) if len(steps) > 1 else None,
                          ts(created), ts(t)))
        for (when, st, prev, psince, op) in steps:
            hist_rows.append((pid, ts(when), st, prev, psince, op))
        if len(steps) > 1:
            vote_rows.append((pid, c, steps[1][0].strftime("%Y-%m-%d"), 15, 12,
                              10 if stage != "rejected" else 2, 1 if stage != "rejected" else 9,
                              1, 1 if stage != "rejected" else 0, ts(steps[1][0])))
        if stage in ("accepted", "settled"):
            acc_rows.append((pid, c, org, 1, 90, "合格", 1, ts(t)))
        if i % 97 == 0 and stage in ("implementing", "completed"):
            acc_rows.append((pid, c, org, 0, 40, "整改", 0, ts(t)))
        if i % 211 == 0:
            obj_rows.append((pid, "异议", "community", c, ts(created), "dismissed"))
    cur.executemany("INSERT INTO needs (id, community, partners, street, title, category, budget,"
                    " description, beneficiaries, year, status, created, updated)"
                    " VALUES (?, ?, '[]', ?, ?, ?, ?, '', 100, ?, ?, ?, ?)", need_rows)
    cur.executemany("INSERT INTO projects (id, need, offer, match, community, partners, org,"
                    " street, title, category, amount, paid, stage, year, progress,"
                    " beneficiaries_served, satisfaction, since, notice_end, created, updated,"
                    " dated) VALUES (?, ?, ?, NULL, ?, '[]', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    " ?, ?, ?, substr(?18, 1, 10))", proj_rows)
    cur.executemany("INSERT INTO project_history (project, time, stage, prev, prev_since, role,"
                    " code, op, note) VALUES (?, ?, ?, ?, ?, 'admin', 'admin-1', ?, '')",
                    hist_rows)
    cur.executemany("INSERT INTO project_votes (project, community, date, members, present, yes,"
                    " no, abstain, passed, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", vote_rows)
    cur.executemany("INSERT INTO acceptances (project, community, org, passed, satisfaction, note,"
                    " current, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", acc_rows)
    cur.executemany("INSERT INTO objections (project, text, role, code, time, status)"
                    " VALUES (?, ?, ?, ?, ?, ?)", obj_rows)
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(json.dumps({"projects": n, "history": len(hist_rows), "votes": len(vote_rows),
                      "acceptances": len(acc_rows), "streets": 74, "communities": 660}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
