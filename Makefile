# matchd: GNU Makefile.  `make` builds bin/matchd and bin/matchctl; `make test`
# runs every test; `make run` starts the daemon on the demo district.

PKGS      = libevent libcjson sqlite3 inih libsodium xlsxwriter
TEST_PKGS = cmocka
# The Debian packages behind these and the tools the tests use are listed in
# tools/packages alone (groups build, test, browser); tools/deps.sh installs
# the missing ones as root, or names them.  `make` needs only the build
# group, `make test` the others too (not browser with BROWSER=0).
DEPS_TEST = test $(if $(filter 0,$(BROWSER)),,browser)
PREFIX   ?= /usr/local

CC       ?= cc
OPT      ?= -O2 -g
WARN      = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wpointer-arith -Wcast-qual
CPPFLAGS += -D_GNU_SOURCE -I. -MMD -MP
CFLAGS   += $(OPT) $(WARN)
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
BUILD    = build-san
BIN      = bin-san
else
BUILD    = build
BIN      = bin
endif

ifeq ($(V),1)
Q =
else
Q = @
endif

PROTOCOL_SRCS = \
	protocol/error.c \
	protocol/frame.c \
	protocol/json_scan.c \
	protocol/envelope.c \
	protocol/values.c \
	protocol/args.c \
	protocol/http_req.c \
	protocol/csv.c \
	protocol/json_print.c

include matcher/sources.mk

DAEMON_SRCS = \
	daemon/log.c \
	daemon/config.c \
	daemon/auth.c \
	daemon/store.c \
	daemon/store_schema.c \
	daemon/store_fairs.c \
	daemon/store_oversight.c \
	daemon/ops.c \
	daemon/ops_accounts.c \
	daemon/ops_directory.c \
	daemon/ops_needs.c \
	daemon/ops_offers.c \
	daemon/ops_util.c \
	daemon/ops_fairs.c \
	daemon/ops_match.c \
	daemon/ops_respond.c \
	daemon/ops_schedule.c \
	daemon/ops_export.c \
	daemon/oversight.c \
	daemon/ops_stats.c \
	daemon/ops_risk.c \
	daemon/export.c \
	daemon/export_xlsx.c \
	daemon/match_input.c \
	daemon/intern.c \
	daemon/caps.c \
	daemon/suggest_index.c \
	daemon/web.c \
	daemon/dispatch.c \
	daemon/batch.c \
	daemon/conn.c \
	daemon/conn_http.c \
	daemon/listener.c \
	daemon/ratelimit.c \
	daemon/demo.c \
	daemon/demo_text.c

DAEMON_MAIN   = daemon/main.c
CLIENT_SRCS   = \
	client/matchctl.c \
	client/ctl_conn.c \
	client/ctl_import.c \
	client/ctl_export.c

PROTOCOL_OBJS = $(PROTOCOL_SRCS:%.c=$(BUILD)/%.o)
MATCHER_OBJS  = $(MATCHER_SRCS:%.c=$(BUILD)/%.o)
DAEMON_OBJS   = $(DAEMON_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/web_assets.o
WEB_FILES     = $(shell find web -type f ! -path '*/node_modules/*' \
		  ! -name '*.md' 2>/dev/null | LC_ALL=C sort)
LIBPROTOCOL   = $(BUILD)/libprotocol.a
LIBMATCHER    = $(BUILD)/libmatcher.a
LIBDAEMON     = $(BUILD)/libdaemon.a

UNIT_SRCS     = $(wildcard tests/unit/test_*.c)
UNIT_BINS     = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

PKG_CFLAGS    = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
TEST_LIBS     = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

all: deps-build $(BIN)/matchd $(BIN)/matchctl

$(BIN)/matchd: $(BUILD)/$(DAEMON_MAIN:.c=.o) $(LIBDAEMON) $(LIBMATCHER) $(LIBPROTOCOL)
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BIN)/matchctl: $(CLIENT_SRCS:%.c=$(BUILD)/%.o) $(LIBPROTOCOL)
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(LIBPROTOCOL): $(PROTOCOL_OBJS)
$(LIBMATCHER): $(MATCHER_OBJS)
$(LIBDAEMON): $(DAEMON_OBJS)
$(BUILD)/%.a:
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# The organizers' page, embedded (tools/embed.sh).
$(BUILD)/web_assets.c: $(WEB_FILES) tools/embed.sh
	@mkdir -p $(dir $@)
	@echo "  EMBED   web/"
	$(Q)sh tools/embed.sh $(WEB_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/web_assets.o: $(BUILD)/web_assets.c
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(OPT) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIBDAEMON) $(LIBMATCHER) $(LIBPROTOCOL)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

# deps: install every missing Debian package of tools/packages (as root),
# else name them.
deps:
	@sh tools/deps.sh build $(DEPS_TEST)

deps-build:
	@sh tools/deps.sh build

deps-test:
	@sh tools/deps.sh $(DEPS_TEST)

run: all
	@mkdir -p var
	./$(BIN)/matchd -c conf/matchd.conf -D var/demo.db --demo

test: deps-test all $(UNIT_BINS)
	@sh tests/run.sh $(BUILD) $(BIN)

$(UNIT_BINS): | deps-test

bench: all
	@$(MAKE) -C bench BUILD=../$(BUILD)

# fuzz: build the libFuzzer harnesses of tests/fuzz and run each for
# FUZZ_SECONDS (default 60).
fuzz:
	@sh tools/deps.sh test
	@$(MAKE) -C tests/fuzz run

clean:
	rm -rf build build-san bin bin-san

# make install [PREFIX=/usr/local] [DESTDIR=]
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/etc
	install -m 0755 $(BIN)/matchd $(BIN)/matchctl $(DESTDIR)$(PREFIX)/bin
	install -m 0644 conf/matchd.conf $(DESTDIR)$(PREFIX)/etc/matchd.conf

.PHONY: all deps deps-build deps-test run test bench fuzz clean install
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
