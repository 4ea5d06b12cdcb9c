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
 * Give freed memory back to the system, as far as the allocator can.  It
 * may walk the whole heap: call it seldom.  glibc (malloc_trim) trims every
 * thread's arena; mimalloc (mi_collect) the calling thread's heap only, the
 * segments of it left wholly free (heap_init keeps freed pages otherwise):
 * blocks that a reader thread allocated and the loop freed (a reader's
 * answer) go back with that reader's next job, when mimalloc takes in the
 * frees other threads made of its blocks.
 */
void		 heap_give_back(void);

/* The allocator in use, for the log: "mimalloc 2.0.9" or "glibc". */
const char	*heap_allocator(void);

#endif
