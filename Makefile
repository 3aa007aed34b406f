# The README's commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.PHONY: run test lint format messages install demo migrate bench clean serve proxy checkers

# A stamp file so that `make` reinstalls only when the dependencies change.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Message catalogues are compiled with polib (already a wagtail-localize dependency),
# so no system gettext is needed.
messages: install
	$(PY) manage.py compile_catalogues

migrate: messages
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo ""
	@echo "Site:   http://$(HOST):$(PORT)/en/  /tr/  /ur/"
	@echo "Admin:  http://$(HOST):$(PORT)/admin/"
	@echo "Logins (demo only): admin / changeme (superuser), editor / changeme (editor),"
	@echo "                    registrar / changeme (registration manager), door / changeme (check-in)"
	@echo "Worker: manage.py run_worker runs alongside (queued emails, scheduled publishing,"
	@echo "        reminders, certificates, visa data erasure: PERIODIC_JOBS)."
	@echo ""
	$(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production settings, locally: collectstatic, migrate, then gunicorn (gunicorn.conf.py) and
# the worker (queued emails, scheduled publishing; at idle CPU priority, `chrt --idle 0`, so
# that on a shared machine it sends in the gaps the web workers leave) against the configured database
# (DATABASE_URL, else the SQLite file). PUBLIC_BASE_URL defaults to http://HOST:PORT.
# SECRET_KEY (50+ random characters) must be set: `make serve SECRET_KEY=...`. Over plain http on localhost, add
# SECURE_SSL_REDIRECT=false (cookies stay Secure; browsers accept Secure cookies from
# localhost, and Django sends HSTS only over HTTPS).
SERVE_ENV = DJANGO_SETTINGS_MODULE=config.settings.production \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-true}" \
	PUBLIC_BASE_URL="$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-localhost,127.0.0.1,[::1]}" \
	HOST="$(HOST)" PORT="$(PORT)"

serve: messages
	@test -n "$$SECRET_KEY" || { echo "SECRET_KEY is not set: make serve SECRET_KEY=..." >&2; exit 2; }
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $$(command -v chrt >/dev/null && echo chrt --idle 0) $(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(SERVE_ENV) $(VENV)/bin/gunicorn --config gunicorn.conf.py

# Varnish (Debian's `varnish`) on PROXY_PORT in front of `make serve` on HOST:PORT, keeping
# what the app marks shareable (config/varnish/site.vcl). Start the app with
# FRONTEND_CACHE_BACKEND=http FRONTEND_CACHE_LOCATION=http://$(HOST):$(PROXY_PORT) so that
# publishing purges it (the worker `make serve` starts sends the purges).
PROXY_PORT ?= 6081
proxy:
	config/varnish/run $(HOST):$(PROXY_PORT) $(HOST):$(PORT)

# The checkers the tests run (tests/checkers/package.json: the Nu HTML checker, Lighthouse),
# from the npm registry, reinstalled only when the lockfile changes; skipped without npm
# (the tests that need them then skip, or fail under REQUIRE_SERVICES=1).
CHECKERS := tests/checkers
$(CHECKERS)/node_modules/.installed: $(CHECKERS)/package-lock.json
	npm ci --prefix $(CHECKERS) --no-audit --no-fund --loglevel=error
	touch $@

checkers:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(CHECKERS)/node_modules/.installed; \
	else echo "npm is not installed: the HTML checker and Lighthouse tests will skip"; fi

test: messages checkers
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check --fail-level WARNING
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Benchmarks (not part of `make test`): gunicorn with the production settings on a fresh
# PostgreSQL database (bench_<pid>, dropped afterwards), measured with wrk on loopback.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres); Redis on 127.0.0.1:6379 if running.
# benchmarks/README.md explains the rows and holds the last table.
bench: messages
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) db.sqlite3 media static_collected tests/artifacts
