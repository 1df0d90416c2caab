# gqrec — two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The sample records are a snapshot of the programme as of this date (years 2024 and 2025 judged).
SAMPLE_AS_OF := 2026-01-01
# The key that seals the sample records' feedback files: the public demo key (invented data only; a real
# repository's key is a secret kept out of the repository, see docs/feedback.md).
SAMPLE_KEY := gqrec-demo-cle-publique-donnees-inventees

.PHONY: run test quick lint bench reports sample clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[pdf,test]'
	touch $(STAMP)

run: $(STAMP)
	GQREC_FEEDBACK_KEY=$(SAMPLE_KEY) $(BIN)/gqrec check records/ --as-of $(SAMPLE_AS_OF)

# The whole suite on every core (pytest-xdist), after the linter. The bytecode is compiled first: the tests
# start many gqrec processes, and each would otherwise compile it again where PYTHONDONTWRITEBYTECODE is set.
test: lint
	$(BIN)/python -m compileall -q gqrec >/dev/null
	$(BIN)/python -m pytest -n auto

# The quick loop while working: the tests not marked slow (subprocesses, browser, PDF, fuzzing, real git).
quick: $(STAMP)
	$(BIN)/python -m compileall -q gqrec >/dev/null
	$(BIN)/python -m pytest -n auto -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check .

# The committed bilans of the sample records, all regions with the national total, in every format.
# `make reports REPORTS_DIR=/tmp/x` writes them elsewhere (the staleness test does).
reports: REPORTS_DIR ?= reports
reports: $(STAMP)
	mkdir -p $(REPORTS_DIR)
	rm -f $(REPORTS_DIR)/bilan-*
	for year in 2024 2025; do \
	  for format in md html json csv; do \
	    GQREC_FEEDBACK_KEY=$(SAMPLE_KEY) $(BIN)/gqrec report records/ --year $$year --format $$format --out $(REPORTS_DIR) --as-of $(SAMPLE_AS_OF) >/dev/null || exit 1; \
	  done; \
	done

# Timings on synthetic national archives (generated once under bench/.archives/), written to bench/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pyyaml
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .gqrec-cache build *.egg-info
