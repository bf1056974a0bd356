"""A newcomer's `make test` on a machine that is not ours: the repository alone must
do. The committed HEAD is cloned into an empty temporary folder (nothing of ours
beside it), and there `make test`'s preconditions must hold:

- no file refers to the shared folder our machines keep beside the repository;
- `make check` (lint, bandit, audit) passes with the venv that runs this test
  (nothing installed) while no vulnerability service answers: the audit prints its
  banner and goes on, as `make test` runs it (AUDIT_UNREACHABLE=warn);
- the tests that read the repository's test data (the XSS corpus) pass there.

Needs git and make, and a git checkout to clone from. `make check` and the tests
run side by side: well under a minute on an idle two-core machine.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix)
# A proxy on a port nobody listens on: pip-audit's vulnerability service cannot answer.
NO_SERVICE = "http://127.0.0.1:9"
# Spelled in two parts so this file does not itself refer to the folder.
SHARED_FOLDER = "../" + "shared"

pytestmark = [
    pytest.mark.fresh_clone,
    pytest.mark.skipif(
        not (ROOT / ".git").exists() or not shutil.which("git") or not shutil.which("make"),
        reason="needs a git checkout, git and make",
    ),
]


def run(command: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def start(command: list[str], cwd: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """HEAD, as committed, in a folder of its own."""
    head = run(["git", "rev-parse", "HEAD"], ROOT).stdout.strip()
    target = tmp_path_factory.mktemp("newcomer") / "cop"
    cloned = run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(target)], ROOT)
    assert cloned.returncode == 0, cloned.stderr
    checkout = run(["git", "checkout", "--quiet", head], target)
    assert checkout.returncode == 0, checkout.stderr
    assert not (target.parent / "shared").exists()
    return target


def newcomer_env(tmp: Path) -> dict:
    """This environment without our services and with an empty cache, so nothing
    comes from what our machines already have."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "NO_PROXY"}
        and not key.startswith(("PYTEST_", "MAKEFLAGS", "MFLAGS"))
    }
    env.update(
        HTTP_PROXY=NO_SERVICE,
        HTTPS_PROXY=NO_SERVICE,
        http_proxy=NO_SERVICE,
        https_proxy=NO_SERVICE,
        XDG_CACHE_HOME=str(tmp / "cache"),
        COP_TEST_PASS="embedded",
    )
    return env


def test_no_file_refers_to_the_shared_folder(clone):
    found = run(["git", "grep", "-n", "-F", SHARED_FOLDER], clone)

    assert found.returncode == 1, f"files refer to {SHARED_FOLDER}:\n{found.stdout}"


@pytest.fixture(scope="module")
def newcomer_runs(clone, tmp_path_factory) -> dict[str, tuple[int, str, str]]:
    """`make check` and the corpus-reading tests, run side by side in the clone
    (they share nothing): {name: (exit status, stdout, stderr)}."""
    stamp = VENV / ".stamp-dev"
    assert stamp.exists(), "this test runs in a venv made by `make install-dev`"
    env = newcomer_env(tmp_path_factory.mktemp("newcomer-env"))
    # The clone's files are newer than the venv's stamps: `-o` keeps make from
    # reinstalling into the venv that runs this test.
    make_check = [
        "make",
        "--no-print-directory",
        f"VENV={VENV}",
        "-o",
        str(stamp),
        "-o",
        str(VENV / ".stamp-runtime"),
        "check",
        "AUDIT_UNREACHABLE=warn",
    ]
    corpus_tests = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/cop_platform/test_sanitize.py",
    ]
    processes = {
        "make check": start(make_check, clone, env),
        "corpus tests": start(corpus_tests, clone, env),
    }
    results = {}
    for name, process in processes.items():
        stdout, stderr = process.communicate(timeout=300)
        results[name] = (process.returncode, stdout, stderr)
    return results


def test_make_check_passes_without_a_vulnerability_service(newcomer_runs):
    status, stdout, stderr = newcomer_runs["make check"]

    output = stdout + stderr
    assert status == 0, output[-4000:]
    assert "pip install" not in stdout  # the venv was used as it is
    assert "DEPENDENCIES NOT AUDITED" in output
    assert "Passing anyway because AUDIT_UNREACHABLE=warn." in output


def test_the_corpus_reading_tests_pass_in_the_clone(clone, newcomer_runs):
    status, stdout, stderr = newcomer_runs["corpus tests"]

    assert status == 0, (stdout + stderr)[-4000:]
    assert " passed" in stdout and "skipped" not in stdout
    # The clone's own code was tested there, not this checkout's (installed editable).
    where = run([sys.executable, "-c", "import cop_platform; print(cop_platform.__file__)"], clone)
    assert where.stdout.startswith(str(clone)), where.stdout + where.stderr
