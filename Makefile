# Two commands matter: `make app` serves the course, `make test` runs every test.
# Both create .venv and install requirements.txt when it changed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8866
THEME  ?= light
CLASS_SIZE   ?= 0
CLASS_MODULE ?=
STAMP  := $(VENV)/.installed

.PHONY: app test install browser lint validate unit nbval notebooks bench load screenshot clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

install: $(STAMP)

# Browser tests use Debian's chromium. Install it when missing and we may (root + apt);
# otherwise the tests use $$CHROMIUM or a Playwright browser, or say loudly why they skip.
browser:
	@if [ -z "$$CHROMIUM" ] && ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "*** chromium not found and cannot apt-get install it: set CHROMIUM=/path/to/chrome ***"; \
	  fi; \
	fi

app: install
	@echo "Serving the course at http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	$(PY) -m allcourse.app.server --port=$(PORT) --VoilaConfiguration.theme=$(THEME) \
	  --CourseVoila.class_size=$(CLASS_SIZE) --CourseVoila.class_module=$(CLASS_MODULE)

lint: install
	$(VENV)/bin/ruff check allcourse tests instructor
	$(VENV)/bin/ruff format --check allcourse tests instructor

validate: install
	$(PY) -m allcourse validate --strict

# Everything: lint, content validation, unit tests, notebooks against stored outputs
# (nbval), and browser tests in a real Chromium against a real Voila server.
test: install browser lint validate
	$(VENV)/bin/pytest -p no:cacheprovider --nbval --nbval-current-env tests notebooks instructor

unit: install
	$(VENV)/bin/pytest -m "not browser" tests

nbval: install
	$(VENV)/bin/pytest --nbval --nbval-current-env notebooks instructor

# Re-run every notebook and store its outputs (after editing content or the package).
# Widget state is not stored: Voila never uses it, and its random ids make noisy diffs.
notebooks: install
	for nb in notebooks/*.ipynb instructor/*.ipynb; do \
	  $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
	    --NotebookClient.store_widget_state=False --NotebookClient.record_timing=False "$$nb" || exit 1; \
	done

bench: install browser
	$(PY) tests/browser/bench.py; status=$$?; $(PY) tests/bench_dashboard.py && exit $$status

# A class on one server: STUDENTS simulated students open modules at once (not in `make test`).
STUDENTS ?= 30
load: install
	$(PY) tests/browser/load.py --students $(STUDENTS)

screenshot: install browser
	$(PY) tests/browser/screenshot.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
