MATCHER_SRCS = \
	matcher/matcher_version.c
