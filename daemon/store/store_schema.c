/*
 * store_schema.c: the schema and its forward migrations.  user_version holds
 * the number of migrations applied; each runs once, in order, in one
 * transaction with the version bump.
 */
#include <stddef.h>

#include "daemon/store/store_schema.h"

static const char *const schema_migrations[] = {
	/* 1: accounts, communities, organisations, needs, offers, audit. */
	"CREATE TABLE accounts ("
	"  id INTEGER PRIMARY KEY,"
	"  role TEXT NOT NULL CHECK (role IN"
	"    ('admin', 'organizer', 'community', 'org')),"
	"  code TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  street TEXT,"
	"  token_hash BLOB NOT NULL UNIQUE,"
	"  created TEXT NOT NULL,"
	"  UNIQUE (role, code));"
	"CREATE TABLE communities ("
	"  code TEXT PRIMARY KEY,"
	"  account INTEGER NOT NULL UNIQUE REFERENCES accounts(id),"
	"  cap INTEGER NOT NULL CHECK (cap >= 0));"
	"CREATE TABLE orgs ("
	"  code TEXT PRIMARY KEY,"
	"  account INTEGER NOT NULL UNIQUE REFERENCES accounts(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('registered', 'filed')),"
	"  streets TEXT NOT NULL);"
	"CREATE TABLE needs ("
	"  id INTEGER PRIMARY KEY,"
	"  community TEXT NOT NULL REFERENCES communities(code),"
	"  partners TEXT NOT NULL DEFAULT '[]',"
	"  street TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  category TEXT NOT NULL,"
	"  budget INTEGER NOT NULL CHECK (budget > 0),"
	"  description TEXT NOT NULL DEFAULT '',"
	"  beneficiaries INTEGER NOT NULL DEFAULT 0,"
	"  window_from TEXT,"
	"  window_to TEXT,"
	"  year INTEGER NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN"
	"    ('open', 'matched', 'withdrawn')),"
	"  ref TEXT,"
	"  created TEXT NOT NULL,"
	"  updated TEXT NOT NULL,"
	"  UNIQUE (community, ref));"
	"CREATE INDEX needs_street ON needs(street, id);"
	"CREATE INDEX needs_community ON needs(community, id);"
	"CREATE TABLE offers ("
	"  id INTEGER PRIMARY KEY,"
	"  org TEXT NOT NULL REFERENCES orgs(code),"
	"  partner TEXT REFERENCES orgs(code),"
	"  title TEXT NOT NULL,"
	"  category TEXT NOT NULL,"
	"  price INTEGER NOT NULL CHECK (price >= 0),"
	"  capacity INTEGER NOT NULL CHECK (capacity >= 1),"
	"  remaining INTEGER NOT NULL CHECK (remaining >= 0),"
	"  streets TEXT NOT NULL,"
	"  in_library INTEGER NOT NULL DEFAULT 0,"
	"  status TEXT NOT NULL CHECK (status IN"
	"    ('open', 'full', 'withdrawn')),"
	"  description TEXT NOT NULL DEFAULT '',"
	"  ref TEXT,"
	"  created TEXT NOT NULL,"
	"  updated TEXT NOT NULL,"
	"  UNIQUE (org, ref));"
	"CREATE INDEX offers_org ON offers(org, id);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  time TEXT NOT NULL,"
	"  role TEXT,"
	"  code TEXT,"
	"  op TEXT NOT NULL,"
	"  object TEXT,"
	"  outcome TEXT NOT NULL);",

	/* 2: fairs, enrolment, match runs and matches. */
	"CREATE TABLE fairs ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  date TEXT NOT NULL,"
	"  street TEXT,"
	"  start TEXT NOT NULL,"
	"  tables INTEGER NOT NULL CHECK (tables >= 1),"
	"  slots INTEGER NOT NULL CHECK (slots >= 1),"
	"  slot_minutes INTEGER NOT NULL CHECK (slot_minutes >= 1),"
	"  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),"
	"  organizer TEXT NOT NULL,"
	"  created TEXT NOT NULL,"
	"  updated TEXT NOT NULL);"
	"CREATE TABLE fair_needs ("
	"  fair INTEGER NOT NULL REFERENCES fairs(id),"
	"  need INTEGER NOT NULL REFERENCES needs(id),"
	"  PRIMARY KEY (fair, need)) WITHOUT ROWID;"
	"CREATE TABLE fair_offers ("
	"  fair INTEGER NOT NULL REFERENCES fairs(id),"
	"  offer INTEGER NOT NULL REFERENCES offers(id),"
	"  PRIMARY KEY (fair, offer)) WITHOUT ROWID;"
	"CREATE TABLE runs ("
	"  fair INTEGER NOT NULL REFERENCES fairs(id),"
	"  run INTEGER NOT NULL,"
	"  algorithm TEXT NOT NULL,"
	"  pairs INTEGER NOT NULL,"
	"  matched_needs INTEGER NOT NULL,"
	"  unmatched_needs INTEGER NOT NULL,"
	"  total_score INTEGER NOT NULL,"
	"  total_amount INTEGER NOT NULL,"
	"  capped TEXT NOT NULL,"
	"  created TEXT NOT NULL,"
	"  PRIMARY KEY (fair, run)) WITHOUT ROWID;"
	"CREATE TABLE matches ("
	"  id INTEGER PRIMARY KEY,"
	"  fair INTEGER NOT NULL,"
	"  run INTEGER NOT NULL,"
	"  need INTEGER NOT NULL REFERENCES needs(id),"
	"  offer INTEGER NOT NULL REFERENCES offers(id),"
	"  community TEXT NOT NULL,"
	"  org TEXT NOT NULL,"
	"  score INTEGER NOT NULL,"
	"  s_category INTEGER NOT NULL,"
	"  s_budget INTEGER NOT NULL,"
	"  s_text INTEGER NOT NULL,"
	"  s_library INTEGER NOT NULL,"
	"  s_locality INTEGER NOT NULL,"
	"  amount INTEGER NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('proposed',"
	"    'accepted_by_community', 'accepted_by_org', 'confirmed',"
	"    'declined')),"
	"  created TEXT NOT NULL,"
	"  updated TEXT NOT NULL,"
	"  FOREIGN KEY (fair, run) REFERENCES runs(fair, run));"
	"CREATE INDEX matches_run ON matches(fair, run, id);"
	"CREATE INDEX matches_status ON matches(status, fair);",

	/* 3: the meeting schedule of a fair. */
	"CREATE TABLE meetings ("
	"  id INTEGER PRIMARY KEY,"
	"  fair INTEGER NOT NULL REFERENCES fairs(id),"
	"  need INTEGER NOT NULL REFERENCES needs(id),"
	"  offer INTEGER NOT NULL REFERENCES offers(id),"
	"  community TEXT NOT NULL,"
	"  org TEXT NOT NULL,"
	"  score INTEGER NOT NULL,"
	"  matched INTEGER NOT NULL,"
	"  tbl INTEGER,"
	"  slot INTEGER,"
	"  start TEXT);"
	"CREATE INDEX meetings_fair ON meetings(fair, slot, tbl);"
	"CREATE TABLE run_unmatched ("
	"  fair INTEGER NOT NULL,"
	"  run INTEGER NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('need', 'offer')),"
	"  item INTEGER NOT NULL,"
	"  PRIMARY KEY (fair, run, kind, item),"
	"  FOREIGN KEY (fair, run) REFERENCES runs(fair, run)) WITHOUT ROWID;"
	"ALTER TABLE fairs ADD COLUMN slots_used INTEGER NOT NULL DEFAULT 0;",

	/*
	 * 4: a write touches fewer pages.  No statement used needs_street,
	 * needs_community or offers_org (the list filters are not indexable),
	 * yet every post wrote a leaf of each, a different leaf per street
	 * and community: most of a commit's pages.  The refs are unique only
	 * where given, so a post without one writes no ref index either.
	 * The status checks are comparisons: SQLite builds a temporary
	 * table for every check of an IN list, at each insert.
	 * Rebuilt by SQLite's recipe for changing a table; store_migrate runs
	 * it with foreign keys off.
	 */
	"CREATE TABLE needs_v4 ("
	"  id INTEGER PRIMARY KEY,"
	"  community TEXT NOT NULL REFERENCES communities(code),"
	"  partners TEXT NOT NULL DEFAULT '[]',"
	"  street TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  category TEXT NOT NULL,"
	"  budget INTEGER NOT NULL CHECK (budget > 0),"
	"  description TEXT NOT NULL DEFAULT '',"
	"  beneficiaries INTEGER NOT NULL DEFAULT 0,"
	"  window_from TEXT,"
	"  window_to TEXT,"
	"  year INTEGER NOT NULL,"
	"  status TEXT NOT NULL CHECK (status = 'open' OR"
	"    status = 'matched' OR status = 'withdrawn'),"
	"  ref TEXT,"
	"  created TEXT NOT NULL,"
	"  updated TEXT NOT NULL);"
	"INSERT INTO needs_v4 (id, community, partners, street, title,"
	"  category, budget, description, beneficiaries, window_from,"
	"  window_to, year, status, ref, created, updated)"
	"  SELECT id, community, partners, street, title, category, budget,"
	"  description, beneficiaries, window_from, window_to, year, status,"
	"  ref, created, updated FROM needs;"
	"DROP TABLE needs;"
	"ALTER TABLE needs_v4 RENAME TO needs;"
	"CREATE UNIQUE INDEX needs_ref ON needs(community, ref)"
	"  WHERE ref IS NOT NULL;"
	"CREATE TABLE offers_v4 ("
	"  id INTEGER PRIMARY KEY,"
	"  org TEXT NOT NULL REFERENCES orgs(code),"
	"  partner TEXT REFERENCES orgs(code),"
	"  title TEXT NOT NULL,"
	"  category TEXT NOT NULL,"
	"  price INTEGER NOT NULL CHECK (price >= 0),"
	"  capacity INTEGER NOT NULL CHECK (capacity >= 1),"
	"  remaining INTEGER NOT NULL CHECK (remaining >= 0),"
	"  streets TEXT NOT NULL,"
	"  in_library INTEGER NOT NULL DEFAULT 0,"
	"  status TEXT NOT NULL CHECK (status = 'open' OR"
	"    status = 'full' OR status = 'withdrawn'),"
	"  description TEXT NOT NULL DEFAULT '',"
	"  ref TEXT,"
	"  created TEXT NOT NULL,"
	"  updated TEXT NOT NULL);"
	"INSERT INTO offers_v4 (id, org, partner, title, category, price,"
	"  capacity, remaining, streets, in_library, status, description, ref,"
	"  created, updated)"
	"  SELECT id, org, partner, title, category, price, capacity,"
	"  remaining, streets, in_library, status, description, ref, created,"
	"  updated FROM offers;"
	"DROP TABLE offers;"
	"ALTER TABLE offers_v4 RENAME TO offers;"
	"CREATE UNIQUE INDEX offers_ref ON offers(org, ref)"
	"  WHERE ref IS NOT NULL;",

	/*
	 * 5: events, webhooks, reminders (docs/design.md, "Events").  An
	 * event is written in the transaction of its cause; AUTOINCREMENT
	 * keeps ids from ever being used twice.  Its audience lists
	 * (communities, orgs, streets) hold each item between two unit
	 * separators (char 31, which no text value may hold), so that
	 * instr() tests membership.  A webhook's position is the id of the
	 * last event it has had (delivered, or skipped after its retries).
	 */
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  time TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  otype TEXT NOT NULL,"
	"  oid INTEGER NOT NULL,"
	"  fair INTEGER,"
	"  run INTEGER,"
	"  summary TEXT NOT NULL,"
	"  communities TEXT NOT NULL,"
	"  orgs TEXT NOT NULL,"
	"  streets TEXT NOT NULL,"
	"  staff INTEGER NOT NULL);"
	"CREATE TABLE webhooks ("
	"  id INTEGER PRIMARY KEY,"
	"  url TEXT NOT NULL,"
	"  kinds TEXT NOT NULL,"
	"  format TEXT NOT NULL CHECK (format = 'json' OR"
	"    format = 'wecom' OR format = 'dingtalk'),"
	"  secret TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  code TEXT NOT NULL,"
	"  street TEXT,"
	"  position INTEGER NOT NULL,"
	"  created TEXT NOT NULL);"
	"CREATE TABLE match_reminders ("
	"  match INTEGER PRIMARY KEY,"
	"  time TEXT NOT NULL);",
};

const char *
schema_migration(int version)
{
	if (version < 0 || (size_t)version >=
	    sizeof(schema_migrations) / sizeof(schema_migrations[0]))
		return NULL;
	return schema_migrations[version];
}

int
schema_version(void)
{
	return (int)(sizeof(schema_migrations) / sizeof(schema_migrations[0]));
}
