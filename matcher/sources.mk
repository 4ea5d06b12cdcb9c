MATCHER_SRCS = \
	matcher/text.c \
	matcher/score.c \
	matcher/cand.c \
	matcher/assign.c \
	matcher/input.c \
	matcher/greedy.c \
	matcher/matcher.c \
	matcher/polish.c \
	matcher/bound.c \
	matcher/trim.c \
	matcher/schedule.c
