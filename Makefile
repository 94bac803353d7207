# make run: everything a fresh machine needs, then the demo on http://127.0.0.1:$(PORT)
# make test: the whole suite (SQLite always; PostgreSQL and Chromium when available, see README)
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app points
PORT ?= 5000
PYTEST_ARGS ?=
# The suite runs on every core (pytest-xdist), a test file per worker at a time.
TEST_WORKERS ?= auto

.PHONY: install run test bench translations extract-messages assets

install: $(VENV)/.installed translations assets

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel --quiet compile -d points/translations

# Front-end libraries come from npm (pinned by package-lock.json); their built files are copied into
# the git-ignored static/vendor/ so pages serve them from this site (CSP 'self', no CDN).
VENDOR_FILES := node_modules/jsqr/dist/jsQR.js node_modules/echarts/dist/echarts.min.js

assets:
	@if [ -f package.json ]; then \
		[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; \
		mkdir -p static/vendor && cp $(VENDOR_FILES) static/vendor/; \
	fi

run: install
	$(FLASK) db upgrade
	@[ -f instance/.demo-loaded ] || ($(FLASK) demo && touch instance/.demo-loaded)
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

bench: install
	$(PY) -m bench.run

extract-messages: $(VENV)/.installed
	$(VENV)/bin/pybabel --quiet extract -F babel.cfg -k _l -k lazy_pgettext:1c,2 -k pgettext:1c,2 -o points/translations/messages.pot .
	$(VENV)/bin/pybabel --quiet update -i points/translations/messages.pot -d points/translations --no-fuzzy-matching --ignore-obsolete
