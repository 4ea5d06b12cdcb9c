/*
 * heap.c: the allocator (heap.h).  HEAP_MIMALLOC is defined by the Makefile
 * in the builds that link libmimalloc.
 */
#include <stdio.h>

#include "daemon/base/heap.h"

#ifdef HEAP_MIMALLOC

#include <mimalloc.h>

void
heap_init(void)
{
	/*
	 * Keep freed pages, as glibc keeps the top of its heap (64 MiB, below):
	 * a turn frees and allocates the same megabytes, and mimalloc's own
	 * purge of them (madvise, on the thread that frees, in the middle of a
	 * turn) made the longest pings of the city's mixed run, 22 to 63 ms
	 * against 7 and 13 without it (docs/performance.md, "The allocator").
	 * Whole segments freed still go back to the system.
	 */
	mi_option_disable(mi_option_allow_decommit);
}

/* Segments left wholly free go back (their pages kept committed till then). */
void
heap_give_back(void)
{
	mi_collect(1);
}

const char *
heap_allocator(void)
{
	static char	name[32];
	int		v = mi_version();

	if (name[0] == '\0')
		snprintf(name, sizeof(name), "mimalloc %d.%d.%d", v / 100,
		    v / 10 % 10, v % 10);
	return name;
}

#else

#include <malloc.h>

void
heap_init(void)
{
	/*
	 * A turn of the loop allocates and frees the same megabytes (request
	 * trees, answers, SQLite's pages): keep them, rather than hand the top
	 * of the heap back with brk and map 64 KiB reads afresh each turn.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
}

void
heap_give_back(void)
{
	(void)malloc_trim(0);
}

const char *
heap_allocator(void)
{
	return "glibc";
}

#endif
