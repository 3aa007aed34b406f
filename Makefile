# The README's commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.PHONY: run test lint format messages install demo migrate bench clean

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
	@echo "                    registrar / changeme (registration manager)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

test: messages
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check --fail-level WARNING
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media static_collected tests/artifacts
