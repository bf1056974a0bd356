"""The dependency audit of `make check` (requirements/audit.py, issue 7 item 6):
a known vulnerability fails it, and it never passes silently when nothing could be
audited (pip-audit alone then says "No known vulnerabilities found").

These feed it pip-audit's JSON reports; the real run needs the network.
"""

import importlib.util
from pathlib import Path

import pytest

AUDIT_SCRIPT = Path(__file__).resolve().parents[2] / "requirements" / "audit.py"
NOT_FOUND = "Dependency not found on PyPI and could not be audited: {} (1.0)"


@pytest.fixture(scope="module")
def verdict():
    spec = importlib.util.spec_from_file_location("lock_audit", AUDIT_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.verdict


def _skipped(*names):
    return [{"name": name, "skip_reason": NOT_FOUND.format(name)} for name in names]


def test_a_known_vulnerability_fails_even_where_unreachable_is_allowed(verdict):
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}],
            },
            {"name": "bleach", "version": "6.4.0", "vulns": []},
        ]
    }

    status, message = verdict(report, "", unreachable_ok=True)

    assert status == 1
    assert "django 5.2.0: PYSEC-2025-1 (fixed in: 5.2.1)" in message


def test_a_clean_audit_passes_and_says_how_many_releases(verdict):
    report = {"dependencies": [{"name": "bleach", "version": "6.4.0", "vulns": []}] * 3}

    assert verdict(report, "", unreachable_ok=False) == (
        0,
        "pip-audit: 3 locked releases audited, no known vulnerabilities.",
    )


def test_nothing_audited_fails_unless_allowed_and_always_says_so(verdict):
    report = {"dependencies": _skipped("django", "bleach")}

    strict_status, strict_message = verdict(report, "", unreachable_ok=False)
    lenient_status, lenient_message = verdict(report, "", unreachable_ok=True)

    assert strict_status == 1
    assert lenient_status == 0
    for message in (strict_message, lenient_message):
        assert "DEPENDENCIES NOT AUDITED" in message
        assert NOT_FOUND.format("django") in message


def test_one_release_not_audited_fails_even_where_unreachable_is_allowed(verdict):
    report = {
        "dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}] + _skipped("bleach")
    }

    status, message = verdict(report, "", unreachable_ok=True)

    assert status == 1
    assert NOT_FOUND.format("bleach") in message


def test_an_unreachable_service_is_told_apart_from_a_broken_run(verdict):
    unreachable = "requests.exceptions.ConnectionError: Failed to resolve the service's host"
    broken = "pip-audit: error: unrecognized arguments: --bogus"

    assert verdict(None, unreachable, unreachable_ok=True)[0] == 0
    assert verdict(None, unreachable, unreachable_ok=False)[0] == 1
    assert verdict(None, broken, unreachable_ok=True) == (1, "pip-audit failed:\n" + broken)
