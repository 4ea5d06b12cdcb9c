/*
 * heap.h: the process's allocator.  The daemon's normal build links
 * mimalloc (Debian's libmimalloc2.0) in place of glibc's malloc, for every
 * library in the process: SQLite, cJSON and libevent allocate and free a
 * dozen small blocks of varied sizes per request, which glibc serves from
 * its sorted bins (about 13 % of a need.get's instructions on the loop,
 * docs/performance.md, "The allocator").  The sanitizer builds keep
 * glibc's, which AddressSanitizer and ThreadSanitizer replace with their own.
 */
#ifndef DAEMON_HEAP_H
#define DAEMON_HEAP_H

/* Tune the allocator, once, before the first thread starts. */
void		 heap_init(void);

/*
 * Give the calling thread's freed memory back to the system, as far as the
 * allocator can (glibc: malloc_trim; mimalloc: mi_collect).  It may walk
 * the whole heap: call it seldom, on the thread that freed the memory.
 */
void		 heap_give_back(void);

/* The allocator in use, for the log: "mimalloc 2.0.9" or "glibc". */
const char	*heap_allocator(void);

#endif
