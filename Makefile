# Frasario: two commands set everything up on a fresh Debian machine with Swift.
#   make run    installs missing system packages, builds in release, runs on Samples/
#   make test   installs missing system packages, runs the whole test suite
SWIFT      ?= swift
OUT        ?= out
SAMPLES    ?= Samples
LEXICONS   ?= Lexicons/es
BIN         = .build/release/frasario

.PHONY: all deps build run test bench clean

all: build

# libpcre2-dev is the only system package we need; install it when pkg-config cannot see it.
deps:
	@if ! pkg-config --exists libpcre2-8 2>/dev/null; then \
		echo "Installing libpcre2-dev (PCRE2 headers and pkg-config file)..."; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpcre2-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build -c release --product frasario

run: build
	$(BIN) run $(SAMPLES) --out $(OUT) --lexicons $(LEXICONS)
	@echo ""
	@echo "Reports written to $(abspath $(OUT))/ :"
	@ls -1 $(OUT) | sed 's/^/  /'
	@echo "Start with $(OUT)/report.md"

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel
	$(SWIFT) run frasario lexicon test $(LEXICONS)

# Throughput and memory on generated calls (10 MB to 1 GB) and real ASR text, side by side
# with Python Counter and scikit-learn, installed in a local virtual environment (never
# needed by make test). BENCH_SIZES=10,100 for a quicker run.
BENCH_VENV = .venv-bench
bench: build
	@if [ ! -x $(BENCH_VENV)/bin/python ]; then \
		python3 -m venv --system-site-packages $(BENCH_VENV) && \
		$(BENCH_VENV)/bin/pip install -q scikit-learn || echo "bench: scikit-learn unavailable, peers skipped"; \
	fi
	BENCH_PYTHON=$(abspath $(BENCH_VENV))/bin/python python3 Benchmarks/bench.py

clean:
	rm -rf .build $(OUT)
