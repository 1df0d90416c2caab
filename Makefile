# gqrec — two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The sample records are a snapshot of the programme as of this date (years 2024 and 2025 judged).
SAMPLE_AS_OF := 2026-01-01

.PHONY: run test bench reports sample clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/gqrec check records/ --as-of $(SAMPLE_AS_OF)

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .gqrec-cache build *.egg-info
