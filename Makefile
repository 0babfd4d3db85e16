# Frasario: two commands set everything up on a fresh Debian machine with Swift.
#   make run    installs missing system packages, builds in release, runs on Samples/
#   make test   installs missing system packages, runs the whole test suite
# make run DATE=2026-11-21 SAMPLES=dir records that night in out/frasario.sqlite and writes
# out/2026-11-21/; make week replays the seven nights of Examples/semana.
SWIFT      ?= swift
SAMPLES    ?= Samples
DATE       ?=
OUT        ?= out/$(if $(DATE),$(DATE),samples)
LEXICONS   ?= Lexicons/es
BIN         = .build/release/frasario
WEEK        = $(sort $(wildcard Examples/semana/20*))

.PHONY: all deps build run week test test-html html-check spark-binary test-spark bench quality replay torture golden format format-check install clean

all: build

# System libraries: PCRE2 (lexicon patterns), SQLite (run history) and zlib (partial files).
# Installed with apt-get only when pkg-config cannot see them.
deps:
	@if ! pkg-config --exists libpcre2-8 2>/dev/null || ! pkg-config --exists sqlite3 2>/dev/null || ! pkg-config --exists zlib 2>/dev/null; then \
		echo "Installing libpcre2-dev, libsqlite3-dev and zlib1g-dev (headers and pkg-config files)..."; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpcre2-dev libsqlite3-dev zlib1g-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build -c release --product frasario

run: build
	$(BIN) run $(SAMPLES) --out $(OUT) --lexicons $(LEXICONS) $(if $(DATE),--date $(DATE))
	@echo ""
	@echo "Reports written to $(abspath $(OUT))/ :"
	@ls -1 $(OUT) | sed 's/^/  /'
	@echo "Open $(OUT)/report.html in a browser, or read $(OUT)/report.md and $(OUT)/digest.md."
	@echo "Run history: $(abspath $(dir $(OUT:/=)))/frasario.sqlite ($(BIN) history --out $(OUT))"

# Seven nights of a bank's calls, one run each, sharing one history: trends and emerging
# phrases appear from the second night on; the last night's report.html shows them.
week: build
	@rm -rf out/semana
	@for night in $(WEEK); do \
		date=$$(basename $$night); \
		$(BIN) run $$night --out out/semana/$$date --date $$date --lexicons $(LEXICONS) --quiet || exit 1; \
		echo "  $$date recorded in out/semana/frasario.sqlite"; \
	done
	$(BIN) history --history out/semana/frasario.sqlite
	@echo "Open out/semana/$$(basename $(lastword $(WEEK)))/report.html; the digest is digest.md beside it."

test: deps
	@$(MAKE) --no-print-directory format-check
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel
	$(SWIFT) run frasario lexicon test $(LEXICONS)
	@$(MAKE) --no-print-directory html-check

# The code's layout is swift-format's (configuration in .swift-format; the generated
# reference list is exempt). make format rewrites it; make test fails on a file it would change.
FORMATTED = Sources Tests Package.swift
format:
	$(SWIFT) format format -i -r --configuration .swift-format $(FORMATTED)
	@if python3 -m ruff --version >/dev/null 2>&1; then python3 -m ruff format --line-length 120 Benchmarks Scripts Spark Examples; \
	else echo "format: Python left as is (pip install ruff to format it)."; fi

format-check:
	@if $(SWIFT) format --version >/dev/null 2>&1; then \
		$(SWIFT) format lint -r --strict --configuration .swift-format $(FORMATTED) || { echo "format-check: run make format"; exit 1; }; \
		echo "format-check: every Swift file is formatted (.swift-format)."; \
	else echo "format-check: skipped, this toolchain has no swift format."; fi

# Rewrites Tests/Golden/ (the byte-for-byte reports of Samples/ and of a week of Examples/semana
# that make test checks) after a change meant to move them: review the diff before committing.
golden: deps
	$(SWIFT) build --build-tests
	FRASARIO_UPDATE_GOLDEN=1 $(SWIFT) test --skip-build --filter GoldenReportTests
	@git status --short Tests/Golden || true

# report.html in headless Chromium: no script or console error, nothing from the network,
# a 1366x768 screenshot and a PDF in out/html-check/. Skipped when Chromium is absent;
# make test-html installs it.
html-check:
	@rm -rf out/html-check && mkdir -p out/html-check
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; then \
		for night in $(WEEK); do \
			$(SWIFT) run -c debug frasario run $$night --out out/html-check/$$(basename $$night) --history out/html-check/frasario.sqlite \
				--date $$(basename $$night) --lexicons $(LEXICONS) --quiet || exit 1; \
		done; \
		Tests/html/check-report.sh out/html-check/$$(basename $(lastword $(WEEK)))/report.html out/html-check; \
	else \
		echo "html-check: skipped, Chromium is not installed (make test-html installs it)."; \
	fi

test-html: deps
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	fi
	@$(MAKE) --no-print-directory html-check

# The Spark driver (Spark/frasario_spark.py) in local mode, against frasario run: Samples/ and a
# generated corpus in many shards, one task failing once to exercise Spark's retry. Installs
# PySpark in a local virtual environment and a Java runtime when missing.
SPARK_VENV    = .venv-spark
PYSPARK       = pyspark==4.3.0
# The binary to ship to Spark executors: the Swift standard library and Foundation linked in
# (--static-swift-stdlib), so executors need no Swift; only libpcre2-8, libsqlite3 and zlib,
# present on common Linux images. Stripped of debug symbols.
SPARK_BIN = .build/spark-build/frasario
spark-binary: deps
	$(SWIFT) build -c release --static-swift-stdlib --product frasario --build-path .build/spark-build
	@if command -v strip >/dev/null 2>&1; then strip -o $(SPARK_BIN) .build/spark-build/release/frasario; \
	else cp .build/spark-build/release/frasario $(SPARK_BIN); fi
	@echo "Spark executors' binary: $(abspath $(SPARK_BIN)) ($$(du -h $(SPARK_BIN) | cut -f1))"

test-spark: spark-binary
	@if ! command -v java >/dev/null 2>&1; then \
		echo "Installing a Java runtime for Spark..."; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless; \
	fi
	@if ! $(SPARK_VENV)/bin/python -c "import pyspark" 2>/dev/null; then \
		python3 -m venv $(SPARK_VENV) 2>/dev/null || { \
			if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
			$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3-venv && \
			rm -rf $(SPARK_VENV) && python3 -m venv $(SPARK_VENV); }; \
		echo "Installing $(PYSPARK) in $(SPARK_VENV)..."; \
		$(SPARK_VENV)/bin/pip install -q $(PYSPARK); \
	fi
	$(SPARK_VENV)/bin/python Spark/test_spark.py $(SPARK_BIN)

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

# Phrase quality on real speech: Fisher Spanish ASR (../shared/data) cut into ~650 calls, with
# known phrases planted at exact call counts; prints recall@20, junk@20, script leaks, the
# greeting slot, questions, keywords, then the seven nights of Examples/semana. Skipped when
# the data is absent. QUALITY_ARGS="--json out/quality.json" keeps the figures.
quality: build
	python3 Benchmarks/quality.py --binary $(BIN) $(QUALITY_ARGS)

# The large hostile cases (a 20 MB call, a 200 MB line, a million nested arrays, 20,000 files,
# noise, a FIFO, kill -9 at random moments, full disks): PASS/FAIL per case with figures.
torture: build
	python3 Benchmarks/torture.py --binary $(BIN) $(TORTURE_ARGS)

# A fortnight replayed into one history: 14 nights of 8 MB generated calls, each run timed,
# with the history's growth and its exact phrase table per night. REPLAY_ARGS="--nights 7".
replay: build
	python3 Benchmarks/replay.py --binary $(BIN) $(REPLAY_ARGS)

# Installs like a command-line tool: the binary in $(PREFIX)/bin, the Spanish lexicons in
# $(PREFIX)/share/frasario/lexicons/es (found there when --lexicons is not given), the man page
# (from swift-argument-parser's generate-manual plugin) and bash, zsh and fish completions.
PREFIX ?= /usr/local
MANUAL  = .build/plugins/GenerateManual/outputs/frasario/frasario.1
install: build
	$(SWIFT) package plugin generate-manual --date 2026-12-05 >/dev/null
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/frasario/lexicons/es $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/frasario
	install -m 644 Lexicons/es/*.yaml $(DESTDIR)$(PREFIX)/share/frasario/lexicons/es/
	install -m 644 $(MANUAL) $(DESTDIR)$(PREFIX)/share/man/man1/frasario.1
	$(BIN) --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/frasario
	$(BIN) --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_frasario
	$(BIN) --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/frasario.fish
	@echo "Installed $(DESTDIR)$(PREFIX)/bin/frasario, its lexicons in $(DESTDIR)$(PREFIX)/share/frasario/lexicons/es/,"
	@echo "its man page (man frasario) and bash, zsh and fish completions."

clean:
	rm -rf .build out
