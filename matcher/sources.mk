MATCHER_SRCS = \
	matcher/text.c \
	matcher/score.c \
	matcher/cand.c \
	matcher/assign.c \
	matcher/matcher.c \
	matcher/schedule.c
