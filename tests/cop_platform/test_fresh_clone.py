"""A newcomer's `make test` on a machine that is not ours: the repository alone must
do. The committed HEAD is cloned into an empty temporary folder (nothing of ours
beside it), and there `make test`'s preconditions must hold:

- no file refers to the shared folder our machines keep beside the repository;
- `make check` (lint, bandit, audit) passes with the venv that runs this test
  (nothing installed) while no vulnerability service answers: the audit prints its
  banner and goes on, as `make test` runs it (AUDIT_UNREACHABLE=warn);
- the tests that read the repository's test data (the XSS corpus) pass there.

Needs git and make, and a git checkout to clone from. About half a minute.
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


def test_make_check_passes_without_a_vulnerability_service(clone, tmp_path):
    stamp = VENV / ".stamp-dev"
    assert stamp.exists(), "this test runs in a venv made by `make install-dev`"
    # The clone's files are newer than the venv's stamps: `-o` keeps make from
    # reinstalling into the venv that runs this test.
    result = run(
        [
            "make",
            "--no-print-directory",
            f"VENV={VENV}",
            "-o",
            str(stamp),
            "-o",
            str(VENV / ".stamp-runtime"),
            "check",
            "AUDIT_UNREACHABLE=warn",
        ],
        clone,
        newcomer_env(tmp_path),
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "pip install" not in result.stdout  # the venv was used as it is
    assert "DEPENDENCIES NOT AUDITED" in output
    assert "Passing anyway because AUDIT_UNREACHABLE=warn." in output


def test_the_corpus_reading_tests_pass_in_the_clone(clone, tmp_path):
    result = run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/cop_platform/test_sanitize.py",
        ],
        clone,
        newcomer_env(tmp_path),
    )

    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
    # The clone's own code was tested there, not this checkout's (installed editable).
    where = run([sys.executable, "-c", "import cop_platform; print(cop_platform.__file__)"], clone)
    assert where.stdout.startswith(str(clone)), where.stdout + where.stderr
