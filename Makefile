# Two commands do everything on a fresh machine: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The test suite runs with these, whatever .env says (the OS environment wins over
# .env): production-like DEBUG=False, plain HTTP for the test client, demo logins on,
# static files read from their sources (no collectstatic manifest).
TEST_ENV := SECRET_KEY=test-only-not-a-secret DEBUG=False SECURE_SSL=False DEMO_MODE=True \
	DEMO_WORKING_DATE= STATIC_MANIFEST=False

.PHONY: run test install migrate demo lint format serve clean bench audit backup restore

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

.env:
	cp .env.example .env

migrate: install .env
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	@echo ""
	@echo "  Mở http://$(HOST):$(PORT)/ (đăng nhập bằng một tài khoản mẫu ở trên)."
	@echo "  Việc chạy nền (nạp sổ hộ…) do tiến trình db_worker chạy cùng máy chủ."
	@echo ""
	PY=$(PY) scripts/serve $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# pytest-xdist: one worker per core (CI has 2), each module kept on one worker so a
# module's demo is seeded once; each worker has its own test database.
TEST_WORKERS ?= auto

test: install lint
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) manage.py check
	$(TEST_ENV) $(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope

# Timings on the seeded demo (not tests: they depend on the machine): the pages that
# grow with the register, through gunicorn, against the trivial page (also as JSON);
# the commune's Biểu 14 as Excel against raw openpyxl writing the same cells; the dashboard,
# then the PDFs rendered and cached, and a household page while 9 PDFs are asked for
# at once through gunicorn on 127.0.0.1, with and without the cache and the limit.
bench: demo
	$(PY) scripts/bench_pages.py --json bench-pages.json
	$(PY) scripts/bench_excel.py --number 14
	$(PY) scripts/bench_dashboard.py
	$(PY) scripts/bench_pdf.py --concurrent 9 --compare

# Every reliability figure in one table (scripts/audit.py), with checks too slow for
# every `make test`: the access matrix, the bad files, the lost updates, the backup
# drill and the crawl of every role with the PDFs laid out by WeasyPrint (make test's
# crawl renders their HTML only), on PostgreSQL (DATABASE_URL if it is PostgreSQL,
# else the CI's database); a load test (locust, 50 users, 2 minutes) on the seeded
# demo; `check --deploy`. Exits non-zero when a target is missed or a figure missing.
AUDIT_USERS ?= 50
AUDIT_DURATION ?= 2m

audit: demo
	$(PY) scripts/audit.py --users $(AUDIT_USERS) --duration $(AUDIT_DURATION)

# The database and the uploaded files (MEDIA_ROOT) in one archive in BACKUP_DIR, with
# its .sha256 (README "Sao lưu và khôi phục"); `make restore FILE=…` puts one back into
# an empty install, refusing a file whose checksum does not match.
backup: install .env
	$(PY) manage.py backup

restore: install .env
	@test -n "$(FILE)" || { echo "Cách dùng: make restore FILE=var/backups/giamngheo-….tar"; exit 2; }
	$(PY) manage.py restore "$(FILE)"
	$(PY) manage.py migrate --noinput

clean:
	rm -rf $(VENV) staticfiles
