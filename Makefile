# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEV_SETTINGS := cop_platform.settings.dev
HOST ?= 127.0.0.1
PORT ?= 8000
# The address people reach the development site at: links in e-mails and the login
# URL that `seed` prints use it (settings: BASE_URL).
BASE_URL ?= http://$(HOST):$(PORT)
# The project packages (pyproject.toml ships these) that bandit scans.
PACKAGES := cop_platform communities home members todo_lists teams
# Locked releases with hashes; `make lock` writes them from pyproject.toml.
LOCKS := requirements/runtime.txt requirements/dev.txt
# Hashes for every file of each release; pip and setuptools pinned too; index and
# find-links options stay out of the files (each machine has its own pip config).
PIP_COMPILE_ARGS := --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links
# bandit fails on findings of this severity and above (low, medium, high).
BANDIT_SEVERITY ?= medium
# fail | warn: what `make audit` does when the vulnerability service answers for no
# release at all (requirements/audit.py); a vulnerability always fails. `make test`
# runs it with warn, so a network without the service does not fail a newcomer's run.
AUDIT_UNREACHABLE ?= fail

.PHONY: run test install install-dev migrate seed lint format messages bench check-deploy clean screenshots \
	check bandit audit lock

# Exact releases with hashes come from the lock files; the project itself goes in
# editable without dependencies. `pip check` fails when pyproject.toml asks for
# something the lock does not hold: run `make lock` then. The stamp files record
# what was installed, so a changed pyproject.toml or lock file reinstalls.
$(VENV)/.stamp-runtime: pyproject.toml requirements/runtime.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --require-hashes -r requirements/runtime.txt
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check
	touch $@

$(VENV)/.stamp-dev: pyproject.toml $(LOCKS)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --require-hashes -r requirements/dev.txt
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check
	touch $(VENV)/.stamp-runtime $@

install: $(VENV)/.stamp-runtime
install-dev: $(VENV)/.stamp-dev

migrate: install
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py migrate --noinput

seed: migrate
	BASE_URL=$(BASE_URL) DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py seed

# SQLite, in-memory channel layer, console e-mail; the ASGI server of daphne
# serves HTTP and WebSocket.
run: seed
	@echo "Serving on http://$(HOST):$(PORT)/ (stop with Ctrl-C)"
	env -u DATABASE_URL -u REDIS_URL BASE_URL=$(BASE_URL) DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) \
		$(PY) manage.py runserver $(HOST):$(PORT)

# Pass 1: the embedded stack (SQLite, in-memory layer), browser tests included.
# Pass 2, when DATABASE_URL/REDIS_URL are set or REQUIRE_SERVICES=1: the whole
# suite again on PostgreSQL + Redis, with the integration tests.
test: install-dev
	$(MAKE) --no-print-directory check AUDIT_UNREACHABLE=warn
	env -u DATABASE_URL -u REDIS_URL COP_TEST_PASS=embedded $(PY) -m pytest $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL$$REDIS_URL" ] || [ "$$REQUIRE_SERVICES" = "1" ]; then \
		echo "== second pass: PostgreSQL + Redis =="; \
		COP_TEST_PASS=services $(PY) -m pytest -m "not browser" $(PYTEST_ARGS); \
	fi

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Static checks, run first by `make test` (and so by CI).
check: lint bandit audit

# Each low finding that remains is a false positive marked `# nosec BXXX  # reason`
# where it occurs. (bandit 1.9 warns "nosec encountered ... but no failed test" for
# the other lines of a multi-line statement that has one: PyCQA/bandit#1352.)
bandit: install-dev
	$(VENV)/bin/bandit -c pyproject.toml -r $(PACKAGES) --severity-level $(BANDIT_SEVERITY)

# Needs PyPI's JSON API (pip-audit's vulnerability service).
audit: install-dev
	AUDIT_UNREACHABLE=$(AUDIT_UNREACHABLE) $(PY) requirements/audit.py $(LOCKS)

# Rewrite the lock files from pyproject.toml, keeping every pin that still fits;
# LOCK_ARGS=--upgrade moves everything to the newest releases allowed,
# LOCK_ARGS="--upgrade-package NAME" one package. The dev lock is constrained by the
# runtime lock, so both install the same runtime releases. Needs only pip-compile,
# not an up-to-date venv: after a dependency was added to pyproject.toml, the
# install would fail its `pip check` until the lock is rewritten.
lock:
	[ -x $(VENV)/bin/pip-compile ] || { $(PYTHON) -m venv $(VENV) && \
		$(PIP) install --quiet --require-hashes -r requirements/dev.txt; }
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile $(PIP_COMPILE_ARGS) $(LOCK_ARGS) \
		--output-file requirements/runtime.txt pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile $(PIP_COMPILE_ARGS) $(LOCK_ARGS) \
		--extra dev --constraint requirements/runtime.txt --output-file requirements/dev.txt \
		pyproject.toml

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

# Needs PostgreSQL, Redis, wrk and taskset; writes bench/report.md. BENCH_DATABASE_URL
# names a database it drops and creates (default cop_bench on the local server).
# QUICK=1: smaller data, one short round, no peer forum, one fan-out size. Measured on
# the shared 2-core machine (load average 6-19): 29 minutes, QUICK=1 5 minutes.
bench: install-dev
	$(PY) bench/run.py $(if $(QUICK),--quick,)

# Full-page PNGs of the main pages for the README (docs/screenshots/): the seeded
# demo site served by daphne, photographed in Chromium; never part of `make test`.
screenshots: install-dev
	env -u DATABASE_URL -u REDIS_URL SCREENSHOTS=1 REQUIRE_SERVICES=1 \
		$(PY) -m pytest tests/browser/test_screenshots.py -q
