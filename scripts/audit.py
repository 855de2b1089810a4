"""`make audit`: every reliability figure in one table (issue 13, item 10).

Runs, each with AUDIT_FIGURES_DIR set so the tests write what they measured
(tests/audit_tally.py, the `audit_figures` fixture):

1. the role × URL × object matrix: the six access-policy test modules;
2. the bad-file corpus: the register's and the phone imports' bad files;
3. the lost-update test (tests/test_lost_updates.py, PostgreSQL only);
4. the backup drill (tests/test_backup.py);
5. the crawl of every role with the PDFs laid out (CRAWL_PDF_LAYOUT=1);
6. the load test (scripts/load_test.py: gunicorn on loopback, locust headless) on the
   seeded demo of DATABASE_URL (`make audit` seeds it first);
7. `manage.py check --deploy` with production settings (as .ci/run's last step);

then prints one table (figure, value, target, ✓/✗) and exits non-zero when a target
is missed or a figure is missing: a section no test wrote reads "chưa có số liệu /
not measured", never passes.

The tests run on PostgreSQL (the lost-update test needs it): DATABASE_URL when it
names PostgreSQL, else the CI's postgres://giamngheo:giamngheo@127.0.0.1:5432/giamngheo
(pytest-django makes its own test_… database from it).

The table's rows and targets are pure functions (`table_rows`, `format_table`), tested
in tests/test_audit_table.py; nothing here runs in `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CI_DATABASE = "postgres://giamngheo:giamngheo@127.0.0.1:5432/giamngheo"
NOT_MEASURED = "chưa có số liệu / not measured"
# The suite's own settings (Makefile's TEST_ENV).
TEST_ENV = {
    "SECRET_KEY": "test-only-not-a-secret",
    "DEBUG": "False",
    "SECURE_SSL": "False",
    "DEMO_MODE": "True",
    "DEMO_WORKING_DATE": "",
    "STATIC_MANIFEST": "False",
}
POLICY_TESTS = [
    "tests/households/test_scope.py",
    "tests/households/test_procedure_scope.py",
    "tests/tasks/test_task_scope.py",
    "tests/reports/test_report_scope.py",
    "tests/reports/test_issued_scope.py",
    "tests/jobs/test_job_scope.py",
]
BAD_FILE_TESTS = [
    "tests/households/test_register_bad_files.py",
    "tests/households/test_phone_import.py",
]


# --- The table (pure) ---------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    target: str
    # True: target met; False: missed or not measured; None: a figure without target.
    ok: bool | None


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    target: str = ""
    check: Callable[[Any, dict[str, Any]], bool] | None = None


def zero(value: Any, _: dict[str, Any]) -> bool:
    return value == 0


def positive(value: Any, _: dict[str, Any]) -> bool:
    return isinstance(value, int | float) and value > 0


def seconds(duration: str) -> int:
    """locust's run time ("2m", "120s", "1h30m", "90") in seconds."""
    total = 0
    for amount, unit in re.findall(r"(\d+)\s*([hms]?)", duration):
        total += int(amount) * {"h": 3600, "m": 60, "s": 1, "": 1}[unit]
    return total


SECTIONS: list[tuple[str, str, list[Figure]]] = [
    (
        "scope_matrix",
        "Ma trận vai trò × URL × đối tượng",
        [
            Figure("cells", "ô đã kiểm", "> 0", positive),
            Figure("roles", "vai trò"),
            Figure("urls", "URL"),
            Figure("refused_cells", "ô phải từ chối"),
            Figure("scope_checks", "kiểm tra phạm vi ngoài ma trận"),
            Figure("leaks", "rò rỉ (leaks)", "0", zero),
            Figure("mismatches", "ô được phép nhưng sai", "0", zero),
        ],
    ),
    (
        "lost_updates",
        "Mất cập nhật (lost updates)",
        [
            Figure("writers", "người ghi đồng thời", "> 0", positive),
            Figure("winners", "người ghi thắng"),
            Figure("refused", "bị từ chối (đã báo)"),
            Figure("losses", "cập nhật bị mất", "0", zero),
        ],
    ),
    (
        "bad_files",
        "Bộ tệp xấu",
        [
            Figure("files", "tệp", "≥ 20", lambda v, _: isinstance(v, int) and v >= 20),
            Figure("rejected", "bị từ chối", "= tệp", lambda v, s: v == s.get("files")),
            Figure("written_rows", "dòng đã ghi", "0", zero),
        ],
    ),
    (
        "load_test",
        "Tải thử (locust)",
        [
            Figure("users", "người dùng", "≥ 50", lambda v, _: v >= 50),
            Figure(
                "duration",
                "thời gian",
                "≥ 2m",
                lambda v, _: seconds(str(v)) >= 120,
            ),
            Figure("requests", "yêu cầu", "> 0", positive),
            Figure("failures", "lỗi", "0", zero),
        ],
    ),
    (
        "backup_drill",
        "Diễn tập sao lưu, phục hồi",
        [
            Figure("tables", "bảng đã so", "> 0", positive),
            Figure("mismatches", "khác biệt sau phục hồi", "0", zero),
            Figure("attachment_ok", "tệp đính kèm còn nguyên", "có", lambda v, _: v),
        ],
    ),
    (
        "deploy_check",
        "check --deploy (cấu hình thật)",
        [
            Figure("warnings", "cảnh báo", "0", zero),
            Figure("errors", "lỗi", "0", zero),
        ],
    ),
    (
        "pdf_crawl",
        "Duyệt mọi trang, PDF dàn trang",
        [Figure("exit_code", "mã thoát pytest", "0", zero)],
    ),
]


def shown(value: Any) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float):
        return f"{value:.0f}"
    return str(value)


def table_rows(figures: dict[str, dict[str, Any] | None]) -> list[Row]:
    """One row per figure of each section; a section absent from `figures` (or None),
    or a figure absent from its section, is one "not measured" row that fails."""
    rows: list[Row] = []
    for key, title, wanted in SECTIONS:
        section = figures.get(key)
        if section is None:
            rows.append(Row(title, NOT_MEASURED, "có số liệu", False))
            continue
        for figure in wanted:
            label = f"{title}: {figure.label}"
            if figure.key not in section:
                rows.append(Row(label, NOT_MEASURED, figure.target or "—", False))
                continue
            value = section[figure.key]
            ok = None if figure.check is None else bool(figure.check(value, section))
            rows.append(Row(label, shown(value), figure.target or "—", ok))
        if key == "load_test":
            for page, entry in sorted(section.get("pages", {}).items()):
                rows.append(
                    Row(
                        f"{title}: {page}, p50 / p95",
                        f"{entry['p50_ms']:.0f} / {entry['p95_ms']:.0f} ms "
                        f"({entry['requests']} yêu cầu)",
                        "—",
                        None,
                    )
                )
    return rows


def format_table(rows: list[Row]) -> str:
    """Plain text, columns aligned: figure, value, target, ✓/✗ (blank: no target)."""
    header = Row("Số liệu", "Giá trị", "Mục tiêu", None)
    width = [
        max(len(r.figure) for r in [header, *rows]),
        max(len(r.value) for r in [header, *rows]),
        max(len(r.target) for r in [header, *rows]),
    ]
    lines = []
    for row in [header, *rows]:
        mark = {True: "✓", False: "✗", None: ""}[row.ok]
        if row is header:
            mark = "Đạt"
        lines.append(
            f"{row.figure:<{width[0]}}  {row.value:>{width[1]}}  "
            f"{row.target:<{width[2]}}  {mark}".rstrip()
        )
    lines.insert(1, "-" * len(max(lines, key=len)))
    return "\n".join(lines)


def all_met(rows: list[Row]) -> bool:
    return all(row.ok is not False for row in rows)


def deploy_figures(output: str) -> dict[str, int]:
    """`check --deploy`'s output: each issue is a line `<obj>: (<app>.W001) …`."""
    codes = re.findall(r"\(([\w.]+)\.([WEC])\d+\)", output)
    return {
        "warnings": sum(kind == "W" for _, kind in codes),
        "errors": sum(kind in "EC" for _, kind in codes),
    }


# --- The runs -----------------------------------------------------------------------


def python() -> str:
    return str(ROOT / ".venv" / "bin" / "python")


def tests_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else CI_DATABASE


def run_pytest(paths: list[str], folder: Path, **extra: str) -> int:
    """The tests on PostgreSQL, with the figures' folder set; one pytest-xdist worker
    per core as in `make test` (the workers' reports carry the counts)."""
    existing = [p for p in paths if (ROOT / p).exists()]
    if not existing:
        print(f"  (chưa có {', '.join(paths)})")
        return 4
    env = {
        **os.environ,
        **TEST_ENV,
        "DATABASE_URL": tests_database_url(),
        "AUDIT_FIGURES_DIR": str(folder),
        **extra,
    }
    workers = os.environ.get("TEST_WORKERS", "auto")
    command = [python(), "-m", "pytest", "-q", "-n", workers, "--dist", "loadscope"]
    command += existing
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode  # noqa: S603


def deploy_check() -> dict[str, int]:
    """.ci/run's last step, on a throwaway SQLite database."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DEBUG": "False",
            "DEMO_MODE": "False",
            "SECURE_SSL": "True",
            "ALLOWED_HOSTS": "giamngheo.example",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEMO_WORKING_DATE": "",
            "DATABASE_URL": f"sqlite:///{folder}/deploy.sqlite3",
        }
        run = subprocess.run(  # noqa: S603
            [python(), "manage.py", "check", "--deploy"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    print(run.stdout + run.stderr)
    figures = deploy_figures(run.stdout + run.stderr)
    if run.returncode and not figures["errors"]:
        figures["errors"] = 1  # it failed without naming an issue
    return figures


def read(folder: Path, section: str) -> dict[str, Any] | None:
    path = folder / f"{section}.json"
    return json.loads(path.read_text()) if path.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-u", "--users", type=int, default=50)
    parser.add_argument("-t", "--duration", default="2m")
    parser.add_argument(
        "--figures", type=Path, help="keep the figures here (default: a temporary one)"
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=[key for key, _, _ in SECTIONS],
        help="leave a section out (its figures in --figures stay, else: not measured)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        choices=[key for key, _, _ in SECTIONS],
        help="measure this section again, keeping the others' figures in --figures",
    )
    args = parser.parse_args()

    folder = args.figures or Path(tempfile.mkdtemp(prefix="audit-figures-"))
    folder.mkdir(parents=True, exist_ok=True)
    measured = set(args.only or [key for key, _, _ in SECTIONS]) - set(args.skip)
    for section in measured:
        (folder / f"{section}.json").unlink(missing_ok=True)
    print(f"Kiểm thử trên {tests_database_url().split('@')[-1]} (PostgreSQL).")
    runs: list[tuple[str, Callable[[], object]]] = [
        # The load test first, before the test runs leave the machine warm and busy.
        (
            "load_test",
            lambda: subprocess.run(  # noqa: S603
                [
                    python(),
                    "scripts/load_test.py",
                    *("-u", str(args.users), "-t", args.duration),
                    *("--json", str(folder / "load_test.json")),
                ],
                cwd=ROOT,
                check=False,
            ),
        ),
        ("scope_matrix", lambda: run_pytest(POLICY_TESTS, folder)),
        ("bad_files", lambda: run_pytest(BAD_FILE_TESTS, folder)),
        ("lost_updates", lambda: run_pytest(["tests/test_lost_updates.py"], folder)),
        ("backup_drill", lambda: run_pytest(["tests/test_backup.py"], folder)),
        (
            "pdf_crawl",
            lambda: (folder / "pdf_crawl.json").write_text(
                json.dumps(
                    {
                        "exit_code": run_pytest(
                            ["tests/test_crawl.py"], folder, CRAWL_PDF_LAYOUT="1"
                        )
                    }
                )
            ),
        ),
        (
            "deploy_check",
            lambda: (folder / "deploy_check.json").write_text(
                json.dumps(deploy_check())
            ),
        ),
    ]
    for section, run in runs:
        if section not in measured:
            continue
        print(f"\n== {section}", flush=True)
        run()

    rows = table_rows({key: read(folder, key) for key, _, _ in SECTIONS})
    print("\n" + format_table(rows))
    met = all_met(rows)
    print(
        f"\n{'Đạt mọi mục tiêu.' if met else 'CHƯA ĐẠT: xem các dòng ✗.'} "
        f"(số liệu: {folder})"
    )
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
