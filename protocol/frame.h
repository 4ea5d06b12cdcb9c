/*
 * frame.h: the native transport's framing, one JSON object per line.
 */
#ifndef PROTOCOL_FRAME_H
#define PROTOCOL_FRAME_H

#include <stddef.h>

enum frame_status {
	FRAME_MORE,		/* no complete line yet: read more */
	FRAME_LINE,		/* a line: buf[0..*linelen), drop *consumed */
	FRAME_EMPTY,		/* an empty line: drop *consumed, ignore it */
	FRAME_TOO_LARGE		/* the line is longer than max bytes */
};

/*
 * Find the next line in buf[0..len).  A line ends with "\n"; a "\r" just
 * before it is not part of the line.  A line longer than max bytes is
 * FRAME_TOO_LARGE as soon as that is certain, even before its end arrives.
 * Pure: it only reads buf.
 */
enum frame_status frame_next(const char *buf, size_t len, size_t max,
		    size_t *linelen, size_t *consumed);

/*
 * Like frame_next when the caller already knows that buf[0..len) holds no
 * "\n" before offset `from`: only the rest is searched, so a long line that
 * arrives in pieces costs linear time in all.
 */
enum frame_status frame_next_from(const char *buf, size_t len, size_t from,
		    size_t max, size_t *linelen, size_t *consumed);

#endif
