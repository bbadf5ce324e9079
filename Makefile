# enicfg: build, test and check. `make test` is what CI runs (.ci/run).
GO        ?= go
BIN       ?= bin/enicfg
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
STATICCHECK_VERSION := v0.8.2
FUZZTIME  ?= 5m
# Where `make compat` builds the old tools of ../shared/compat; the
# real-tool tests read ENICFG_COMPAT.
COMPAT_DIR ?= /var/cache/enicfg-compat

.PHONY: build test race unit update golden-check lint fmt fuzz bench ci clean compat

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/enicfg

# Everything: lint, then every test with the race detector, the real-tool
# integration tests included (they need root; ENICFG_REQUIRE_TOOLS=1 turns
# a missing tool into a failure).
test: lint race

race:
	$(GO) test -race -count=1 -parallel 16 -timeout 30m ./...

# Fast tests only (no root needed; real-tool tests skip).
unit:
	$(GO) test -count=1 -short ./...

# Rewrite golden archives and testscript expectations.
update:
	ENICFG_UPDATE=1 $(GO) test -count=1 -run '^(TestCases|TestGolden|TestScripts|TestPageIsCurrent)$$' ./spec ./render ./cmd/enicfg ./internal/compatdoc

# CI: the golden files must be what the code renders.
golden-check: update
	git diff --exit-code -- testdata docs/compatibility.md

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

# Fuzz every target for FUZZTIME each (CI runs them briefly). A new
# interesting input is minimized for at most 100 runs: minimizing one that
# takes long per run would outlast -fuzztime and fail with "context
# deadline exceeded".
# CI gives counts (N x) rather than a time: with a duration, Go's fuzz
# coordinator can report the end of -fuzztime as "context deadline
# exceeded" (golang/go#75804, fixed in Go 1.27; seen here in a CI
# rehearsal with go1.26.8, no input written).
FUZZTIME_LOAD   ?= $(FUZZTIME)
FUZZTIME_RENDER ?= $(FUZZTIME)
FUZZMIN = -fuzzminimizetime 100x
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME_LOAD) $(FUZZMIN) ./spec
	$(GO) test -run '^$$' -fuzz '^FuzzRender$$' -fuzztime $(FUZZTIME_RENDER) $(FUZZMIN) ./render
	$(GO) test -run '^$$' -fuzz '^FuzzRenderFields$$' -fuzztime $(FUZZTIME_RENDER) $(FUZZMIN) ./render

# Whole-run timings against cloud-init's net-convert, and Go benchmarks
# (figures in docs/performance.md).
bench: build
	$(GO) run ./tools/bench -enicfg $(BIN)
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./spec ./render

# Build the tool versions the targets ship (netplan, ifupdown, initscripts,
# wicked at their release tags) from ../shared/compat; then
# ENICFG_COMPAT=$(COMPAT_DIR) make test runs them.
compat:
	.ci/compat-build ../shared/compat $(COMPAT_DIR)

ci: test golden-check

clean:
	rm -rf bin
