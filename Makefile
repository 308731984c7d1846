# letopis: `make run` to see it work on the sample corpus, `make test` to run the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared
OUT    := out
SERVE  ?= 1
PORT   ?= 8000

.PHONY: install browsers postgres run test eval bench clean

install: $(STAMP)

# Re-runs only when pyproject.toml changes (or the venv is gone).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

run: install
	@mkdir -p $(OUT)
	@$(BIN)/letopis ingest examples/corpus --db $(OUT)/sample.db || \
	    echo "(some files failed: see above, or $(BIN)/letopis docs --db $(OUT)/sample.db --failed)"
	@echo
	@echo "Events found (all access levels: this is your own sample corpus):"
	@$(BIN)/letopis events --db $(OUT)/sample.db --clearance confidential
	@echo
	@echo "The store is $(OUT)/sample.db. Try:"
	@echo "  $(BIN)/letopis docs --db $(OUT)/sample.db"
	@echo "  $(BIN)/letopis export --db $(OUT)/sample.db --format events-jsonl --clearance confidential -o $(OUT)/sample.events.jsonl"
	@if [ "$(SERVE)" != "0" ]; then \
	    echo; echo "Serving the sample read-only (public records) at http://127.0.0.1:$(PORT)/ ; Ctrl-C to stop."; \
	    echo "For review and restricted records: $(BIN)/letopis user add NAME --role admin --db $(OUT)/sample.db, then serve without --anonymous."; \
	    echo "(make run SERVE=0 stops before serving.)"; \
	    $(BIN)/letopis serve --db $(OUT)/sample.db --anonymous --port $(PORT); \
	fi

# Debian's chromium for the real-browser tests (Playwright's own download cannot work offline).
# Installed with apt when running as root (as CI does); otherwise those tests are skipped.
browsers:
	@command -v chromium >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	    else echo "chromium is not installed: the browser tests will be skipped (apt-get install chromium chromium-driver)"; fi; }

# Debian's PostgreSQL server programs for the PostgreSQL store test (it starts its own throwaway server).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	    else echo "PostgreSQL is not installed: the PostgreSQL store test will be skipped (apt-get install postgresql)"; fi; }

test: install browsers postgres
	$(BIN)/python -m pytest

# Scores on the evaluation corpora beside the project (not shipped with it).
eval: install
	@mkdir -p $(OUT)
	@set -e; for set in dev mm-dev; do \
	    echo "=== $$set"; \
	    if [ "$$set" = mm-dev ]; then echo "(Mass Mobilization notes: their gold has no news events, so the events, relevance and linking lines read 0 by design; the 'mm' lines are the scores)"; fi; \
	    rm -f $(OUT)/$$set.db $(OUT)/$$set.db-wal $(OUT)/$$set.db-shm; \
	    $(BIN)/letopis ingest $(SHARED)/corpus/$$set --db $(OUT)/$$set.db --quiet || echo "(some documents failed; see above)"; \
	    $(BIN)/letopis export --db $(OUT)/$$set.db --format events-jsonl --clearance confidential -o $(OUT)/$$set.events.jsonl; \
	    $(BIN)/python $(SHARED)/tools/score.py --gold $(SHARED)/corpus/gold/$$set.jsonl \
	        --system $(OUT)/$$set.events.jsonl --docs $(SHARED)/corpus/$$set --errors 30; \
	done
	@echo "=== dev + mm-dev ingested together (linking across corpora)"
	@rm -f $(OUT)/both.db $(OUT)/both.db-wal $(OUT)/both.db-shm
	@$(BIN)/letopis ingest $(SHARED)/corpus/dev $(SHARED)/corpus/mm-dev --db $(OUT)/both.db --quiet || echo "(some documents failed; see above)"
	@$(BIN)/letopis export --db $(OUT)/both.db --format events-jsonl --clearance confidential -o $(OUT)/both.events.jsonl
	@$(BIN)/python $(SHARED)/tools/score.py --gold $(SHARED)/corpus/gold/dev.jsonl --gold $(SHARED)/corpus/gold/mm-dev.jsonl \
	    --system $(OUT)/both.events.jsonl --docs $(SHARED)/corpus/dev --docs $(SHARED)/corpus/mm-dev

bench: install
	@set -e; for f in bench/*.py; do echo "=== $$f"; $(BIN)/python $$f; done

clean:
	rm -rf $(OUT) .pytest_cache
