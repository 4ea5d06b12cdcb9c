/*
 * frame.c: splitting the native byte stream into request lines.
 */
#include <string.h>

#include "protocol/frame.h"

enum frame_status
frame_next_from(const char *buf, size_t len, size_t from, size_t max,
    size_t *linelen, size_t *consumed)
{
	const char	*nl;
	size_t		 n;

	*linelen = 0;
	*consumed = 0;
	if (from > len)
		from = len;
	nl = memchr(buf + from, '\n', len - from);
	if (nl == NULL) {
		/*
		 * A "\r" may still come before the "\n": max + 1 bytes are
		 * too many already unless the last of them is that "\r".
		 */
		if (len > max + 1 || (len == max + 1 && buf[max] != '\r'))
			return FRAME_TOO_LARGE;
		return FRAME_MORE;
	}
	n = (size_t)(nl - buf);
	*consumed = n + 1;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (n > max)
		return FRAME_TOO_LARGE;
	*linelen = n;
	return n == 0 ? FRAME_EMPTY : FRAME_LINE;
}

enum frame_status
frame_next(const char *buf, size_t len, size_t max, size_t *linelen,
    size_t *consumed)
{
	return frame_next_from(buf, len, 0, max, linelen, consumed);
}
