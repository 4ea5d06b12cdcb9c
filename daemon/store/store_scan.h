/*
 * store_scan.h: the statements that touch a whole table at city scale
 * (a million needs): each does its filtering inside SQLite, so that only
 * the rows that matter cross into C, and none builds a JSON object per
 * row.  Most are prepared when called (a long statement pays that once).
 */
#ifndef DAEMON_STORE_SCAN_H
#define DAEMON_STORE_SCAN_H

#include <stdint.h>

#include "daemon/store/store.h"

/*
 * fair.enroll all, its read (on a reader thread): the ids of every open
 * need of street (NULL: the district) into *needs and of every open offer
 * serving it ("*" included) into *offers, each a JSON array in id order
 * (malloc'd, the caller's).  The scan of a million needs takes 0.15 s.
 * 0, or -1 with err set (nothing to free).
 */
int	store_fair_open_ids(struct store *, const char *street, char **needs,
	    char **offers, struct error *err);

/*
 * fair.enroll all, its write (on the loop): enrol the needs of needs_json
 * and the offers of offers_json (JSON arrays of ids, as
 * store_fair_open_ids made them) in fair, in two statements, no scan.
 * *needs and *offers get how many were newly enrolled.  0, or -1 with
 * err set.
 */
int	store_fair_enroll_ids(struct store *, int64_t fair,
	    const char *needs_json, const char *offers_json, int *needs,
	    int *offers, struct error *err);

/*
 * The open needs an offer could serve (match.suggest {offer}): of
 * category family `family`, budget >= price (fen), and, unless all_streets,
 * in one of the streets of streets_json (a JSON array of names).  Rows as
 * store_needs_each gives them, in id order.
 */
int	store_needs_for_offer(struct store *, const char *family,
	    int64_t price, int all_streets, const char *streets_json,
	    store_need_fn fn, void *arg, struct error *err);

/*
 * The needs for the oversight ops, lean: columns as STORE_OV_NEEDS
 * (store.h), but only those of year (0: every year; -1: none), then those
 * of other years in a confirmed match (each part in id order, so the whole
 * is not), and with the title only when titles is set ("" otherwise).
 */
int	store_ov_needs(struct store *, int year, int titles, store_row_fn fn,
	    void *arg, struct error *err);

/*
 * The same columns (titles included) of the needs with an id above after,
 * in id order, or (only > 0) of need `only` alone: what a cache of needs
 * reads to follow the table (domain/need_cache.c).
 */
int	store_ov_needs_after(struct store *, int64_t after, int64_t only,
	    store_row_fn fn, void *arg, struct error *err);

/*
 * Remember that the needs (is_offer 0) or offers of ids_json, a JSON array
 * of ids (0 skipped), were left unmatched by run: one statement for them
 * all, as store_run_unmatched_insert does one by one.  0, or -1.
 */
int	store_run_unmatched_all(struct store *, int64_t fair, int run,
	    int is_offer, const char *ids_json, struct error *err);

/*
 * Insert the pairs of run of fair, each a row of rows_json: [need, offer,
 * community, org, score, category, budget, text, library, locality,
 * interest (hundredths), amount (fen), status], given ids in that order.
 * 0, or -1.
 */
int	store_matches_insert_all(struct store *, int64_t fair, int run,
	    const char *rows_json, struct error *err);

#endif
