# eventapp: `make run` to try it, `make test` to check it. Each sets up .venv itself.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What running needs (requirements.txt) and what testing and linting need on top (requirements-dev.txt)
# are installed separately, so `make run` never installs Playwright, ruff or pytest.
RUN_STAMP := $(VENV)/.run-$(shell cat requirements.txt | sha1sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
# axe-core and vnu-jar (the Nu HTML Checker) for the browser tests, installed by `npm ci` again only when
# package-lock.json changes. --ignore-scripts: vnu-jar's install script would download a Java of its own;
# the tests run vnu.jar with Debian's java (.ci/run installs default-jre-headless).
NODE_STAMP := node_modules/.installed-$(shell sha1sum package-lock.json | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in mails and calendars point where `make run` serves, unless EVENTAPP_BASE_URL says otherwise.
EVENTAPP_BASE_URL ?= http://$(HOST):$(PORT)
RUN_ENV := FLASK_DEBUG=1 EVENTAPP_BASE_URL=$(EVENTAPP_BASE_URL)

LOCALES := nb nn sv da fi
CATALOGUES := $(foreach l,$(LOCALES),eventapp/translations/$(l)/LC_MESSAGES/messages.mo)

.PHONY: run-setup run test lint format bench setup browser-setup migrate clean help i18n translations FORCE

help:
	@echo "make run    set up, migrate, load demo data and start http://$(HOST):$(PORT) (SQLite; HOST= and PORT= change it)"
	@echo "make test   set up and run the whole test suite (SQLite and PostgreSQL, and Chromium for tests/browser)"
	@echo "make lint   ruff check and format check, and the import contracts (the layers)"
	@echo "make bench  throughput and latency of the public pages, against the reference app"
	@echo "make i18n   extract strings into the catalogues (eventapp/translations/*/LC_MESSAGES/messages.po)"

$(RUN_STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.run-*
	@touch $(RUN_STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* $(VENV)/.run-*
	@touch $(STAMP) $(RUN_STAMP)

setup: $(STAMP) translations
run-setup: $(RUN_STAMP) translations

# The browser tests (tests/browser) inject axe-core from node_modules/ and validate every page they visit
# with node_modules/vnu-jar (package.json, package-lock.json).
# Without npm they are skipped on a developer's machine; CI installs npm and Chromium (.ci/run).
browser-setup: $(NODE_STAMP)

$(NODE_STAMP): package-lock.json $(if $(and $(wildcard node_modules/axe-core/axe.min.js),$(wildcard node_modules/vnu-jar/build/dist/vnu.jar)),,FORCE)
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund && touch $@; \
	else \
		echo "npm not found: the browser tests (tests/browser) will be skipped"; \
	fi

# Compiled catalogues (.mo) are committed beside their .po files, so every way of running the app (the
# README's production recipe: pip install, flask db upgrade, gunicorn) serves all six languages. `make`
# rebuilds them when a .po changes; commit both (tests/core/test_translations.py fails on a stale .mo).
translations: $(CATALOGUES)

eventapp/translations/%/LC_MESSAGES/messages.mo: eventapp/translations/%/LC_MESSAGES/messages.po $(RUN_STAMP)
	$(BIN)/pybabel compile --statistics -d eventapp/translations -l $*

# Extract every user-facing string and merge it into each language's catalogue (then translate the
# new entries in the .po files; a test fails while any is missing).
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_pgettext:1c,2 --no-location --sort-output \
		--project eventapp -o eventapp/translations/messages.pot .
	$(BIN)/pybabel update -i eventapp/translations/messages.pot -d eventapp/translations --no-fuzzy-matching
	$(MAKE) translations

migrate: $(RUN_STAMP) translations
	$(RUN_ENV) $(BIN)/flask --app wsgi db upgrade

run: migrate
	$(RUN_ENV) $(BIN)/flask --app wsgi seed-demo
	@echo
	@echo "  eventapp is running at http://$(HOST):$(PORT)/"
	@echo "  A mail worker runs beside it; with no MAIL_SERVER set, mail is written to instance/mail/*.eml"
	@echo "  Back office: http://$(HOST):$(PORT)/manage/ (sign in with the demo organiser printed above)"
	@echo "  Stop both with Ctrl+C."
	@echo
	@$(RUN_ENV) $(BIN)/flask --app wsgi worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

test: $(STAMP) translations browser-setup
	$(BIN)/pytest $(PYTEST_ARGS)

# lint-imports checks the layers of docs/ARCHITECTURE.md (the contracts are in pyproject.toml): an import
# from a lower layer to a higher one, or two packages importing each other, fails it.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules tests/browser/screenshots
