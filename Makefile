# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEV_SETTINGS := cop_platform.settings.dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate seed lint format messages bench check-deploy clean

# Reinstall when pyproject.toml changes; the stamp files record what was installed.
$(VENV)/.stamp-runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.stamp-dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $(VENV)/.stamp-runtime $@

install: $(VENV)/.stamp-runtime
install-dev: $(VENV)/.stamp-dev

migrate: install
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py migrate --noinput

seed: migrate
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py seed

# SQLite, in-memory channel layer, console e-mail; the ASGI server of daphne
# serves HTTP and WebSocket.
run: seed
	@echo "Serving on http://$(HOST):$(PORT)/ (stop with Ctrl-C)"
	env -u DATABASE_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) \
		$(PY) manage.py runserver $(HOST):$(PORT)

# Pass 1: the embedded stack (SQLite, in-memory layer), browser tests included.
# Pass 2, when DATABASE_URL/REDIS_URL are set or REQUIRE_SERVICES=1: the whole
# suite again on PostgreSQL + Redis, with the integration tests.
test: install-dev
	env -u DATABASE_URL -u REDIS_URL COP_TEST_PASS=embedded $(PY) -m pytest $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL$$REDIS_URL" ] || [ "$$REQUIRE_SERVICES" = "1" ]; then \
		echo "== second pass: PostgreSQL + Redis =="; \
		COP_TEST_PASS=services $(PY) -m pytest -m "not browser" $(PYTEST_ARGS); \
	fi

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Needs GNU gettext (developers only); the compiled .mo files are committed.
messages: install-dev
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py makemessages -l nl -l en --no-obsolete \
		--ignore=.venv --ignore=staticfiles
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py makemessages -d djangojs -l nl -l en \
		--no-obsolete --ignore=.venv --ignore=staticfiles
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DJANGO_SETTINGS_MODULE=cop_platform.settings.production \
	SECRET_KEY=check-deploy-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	ALLOWED_HOSTS=communities.example.org DATABASE_URL=sqlite:////tmp/check.sqlite3 \
	REDIS_URL=redis://127.0.0.1:6379/0 \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

bench: install-dev
	env -u DATABASE_URL -u REDIS_URL $(PY) bench/pages.py
