# matchd: GNU Makefile.  `make` builds bin/matchd and bin/matchctl; `make test`
# runs every test; `make run` starts the daemon on the demo district.

PKGS      = libevent libcjson sqlite3 inih libsodium xlsxwriter libcurl
TEST_PKGS = cmocka
# The Debian packages behind these and the tools the tests use are listed in
# tools/packages alone (groups build, test, browser); tools/deps.sh installs
# the missing ones as root, or names them.  `make` needs only the build
# group, `make test` the others too (not browser with BROWSER=0), `make deb`
# the package group.
DEPS_TEST = test package $(if $(filter 0,$(BROWSER)),,browser)
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
else ifeq ($(TSAN),1)
# ThreadSanitizer (make test TSAN=1): the reader threads and the loop
# share only their queues; any data race fails the test that met it.
CFLAGS  += -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS += -fsanitize=thread
BUILD    = build-tsan
BIN      = bin-tsan
else
BUILD    = build
BIN      = bin
# mimalloc serves every malloc of the daemon (daemon/base/heap.h; the unit
# tests link its library too); the sanitizers bring allocators of their own.
# Not matchctl's: it reads answers into one growing buffer, which glibc
# grows in place with mremap (test_ctl_answers bounds its memory).
CPPFLAGS += -DHEAP_MIMALLOC
HEAP_LIBS = -lmimalloc
endif

ifeq ($(V),1)
Q =
else
Q = @
endif

include protocol/sources.mk
include matcher/sources.mk

include daemon/base/sources.mk
include daemon/store/sources.mk
include daemon/domain/sources.mk
include daemon/hooks/sources.mk
include daemon/ops/sources.mk
include daemon/core/sources.mk
include daemon/net/sources.mk
include daemon/demo/sources.mk

DAEMON_SRCS = $(DAEMON_BASE_SRCS) $(DAEMON_STORE_SRCS) $(DAEMON_DOMAIN_SRCS) $(DAEMON_HOOKS_SRCS) $(DAEMON_OPS_SRCS) $(DAEMON_CORE_SRCS) $(DAEMON_NET_SRCS) $(DAEMON_DEMO_SRCS)

DAEMON_MAIN   = daemon/main.c
DAEMON_MAIN  += daemon/cmd_backup.c
CLIENT_SRCS   = \
	client/matchctl.c \
	client/ctl_conn.c \
	client/ctl_answer.c \
	client/ctl_import.c \
	client/ctl_import_words.c \
	client/ctl_export.c \
	client/ctl_watch.c

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
PKG_LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
TEST_LIBS     = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

all: deps-build $(BIN)/matchd $(BIN)/matchctl

$(BIN)/matchd: $(DAEMON_MAIN:%.c=$(BUILD)/%.o) $(LIBDAEMON) $(LIBMATCHER) $(LIBPROTOCOL)
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(HEAP_LIBS) $(PKG_LIBS)

$(BIN)/matchctl: $(CLIENT_SRCS:%.c=$(BUILD)/%.o) $(LIBPROTOCOL)
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# A library is made again when its list of sources changes, not only
# its objects (a file added to a sources.mk is older than the library).
$(LIBPROTOCOL): $(PROTOCOL_OBJS) protocol/sources.mk
$(LIBMATCHER): $(MATCHER_OBJS) matcher/sources.mk
$(LIBDAEMON): $(DAEMON_OBJS) $(wildcard daemon/*/sources.mk)
$(BUILD)/%.a:
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $(filter %.o,$^)

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
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.a,$^) $(HEAP_LIBS) $(PKG_LIBS) $(TEST_LIBS)

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

test: deps-test all $(UNIT_BINS) check-layers
	@sh tests/run.sh $(BUILD) $(BIN)

$(UNIT_BINS): | deps-test

# check-layers: no folder includes a header of a layer it must not use
# (the table in tools/check-layers.sh; docs/design.md, "Layers").
check-layers:
	@sh tools/check-layers.sh

# deb: the Debian package, build/deb/matchd_VERSION_ARCH.deb (debian/,
# tools/deb.sh), after installing what building it takes (the package
# group of tools/packages: debhelper, lintian, man-db, systemd).
deb:
	@sh tools/deps.sh build package
	@sh tools/deb.sh

bench: all
	@$(MAKE) -C bench BUILD=../$(BUILD)

# fuzz: build the libFuzzer harnesses of tests/fuzz and run each for
# FUZZ_SECONDS (default 60).
fuzz:
	@sh tools/deps.sh test
	@$(MAKE) -C tests/fuzz run

clean:
	rm -rf build build-san build-tsan bin bin-san bin-tsan

# make install [PREFIX=/usr/local] [DESTDIR=]
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/etc
	install -m 0755 $(BIN)/matchd $(BIN)/matchctl $(DESTDIR)$(PREFIX)/bin
	install -m 0644 conf/matchd.conf $(DESTDIR)$(PREFIX)/etc/matchd.conf

.PHONY: all deps deps-build deps-test run test check-layers bench fuzz clean install deb
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
