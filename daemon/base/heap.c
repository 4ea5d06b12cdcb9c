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
	 * Memory freed stays with the thread's heap until heap_give_back, or
	 * until mimalloc's own purge finds whole pages unused: a turn frees
	 * and allocates the same megabytes.
	 */
}

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
