"""Audit the locked dependencies for known vulnerabilities (`make audit`, part of
`make check`).

pip-audit on its own reports "No known vulnerabilities found" and exits 0 when it
could audit nothing because the vulnerability service did not answer. So this reads
its JSON report instead:

- a known vulnerability not listed in IGNORED below fails the run;
- a release that could not be audited fails the run, with one exception: when *no*
  release could be audited (the service is unreachable, or does not answer
  per-release queries) and AUDIT_UNREACHABLE=warn is set, the run passes under a
  banner saying that nothing was audited.

Usage: python requirements/audit.py LOCK_FILE...
"""

import json
import os
import subprocess
import sys
from pathlib import Path

# Known vulnerabilities that do not apply to this project, by ID (PYSEC-/GHSA-/CVE-),
# each with the reason. Remove an entry as soon as the lock moves past it.
IGNORED: dict[str, str] = {}

BANNER = "!" * 78
# What pip-audit dies of when it cannot reach its service (it prints no report then).
UNREACHABLE_ERRORS = ("ConnectionError", "Timeout", "ServiceError")


def run_pip_audit(lock_files: list[str]) -> tuple[dict | None, str]:
    """pip-audit's JSON report (None when it printed none) and its error output."""
    command = [
        str(Path(sys.executable).with_name("pip-audit")),
        "--format=json",
        "--progress-spinner=off",
        # The lock pins every release with hashes: nothing to resolve, no pip run.
        "--disable-pip",
        "--require-hashes",
    ]
    command += [f"--ignore-vuln={vuln_id}" for vuln_id in IGNORED]
    command += [f"--requirement={lock_file}" for lock_file in lock_files]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        return json.loads(result.stdout), result.stderr
    except ValueError:
        return None, result.stderr


def verdict(report: dict | None, stderr: str, *, unreachable_ok: bool) -> tuple[int, str]:
    """The exit status and what to print, from pip-audit's report."""
    if report is None and not any(error in stderr for error in UNREACHABLE_ERRORS):
        return 1, "pip-audit failed:\n" + stderr
    dependencies = report["dependencies"] if report else []
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    skipped = [dep for dep in dependencies if "skip_reason" in dep]
    if vulnerable:
        lines = [
            f"{dep['name']} {dep['version']}: {vuln['id']}"
            f" (fixed in: {', '.join(vuln.get('fix_versions') or ['-'])})"
            for dep in vulnerable
            for vuln in dep["vulns"]
        ]
        return 1, (
            "pip-audit: known vulnerabilities in the locked releases. Upgrade "
            "(make lock LOCK_ARGS='--upgrade-package NAME'), or list the ID with its "
            "reason in IGNORED in requirements/audit.py:\n" + "\n".join(lines)
        )
    if not dependencies or len(skipped) == len(dependencies):
        reason = skipped[0]["skip_reason"] if skipped else stderr.strip().splitlines()[-1]
        message = (
            f"{BANNER}\npip-audit: DEPENDENCIES NOT AUDITED: the vulnerability service "
            f"answered for none of the {len(dependencies) or 'pinned'} releases.\n"
            f"First reason: {reason}\n{BANNER}"
        )
        if unreachable_ok:
            return 0, message + "\nPassing anyway because AUDIT_UNREACHABLE=warn."
        return 1, message + "\nSet AUDIT_UNREACHABLE=warn to let the check pass regardless."
    if skipped:
        return 1, "pip-audit: could not audit:\n" + "\n".join(dep["skip_reason"] for dep in skipped)
    ignored = f"; ignored as not applying: {', '.join(IGNORED)}" if IGNORED else ""
    return 0, (
        f"pip-audit: {len(dependencies)} locked releases audited, "
        f"no known vulnerabilities{ignored}."
    )


def main(lock_files: list[str]) -> int:
    report, stderr = run_pip_audit(lock_files)
    unreachable_ok = os.environ.get("AUDIT_UNREACHABLE") == "warn"
    status, message = verdict(report, stderr, unreachable_ok=unreachable_ok)
    print(message, file=sys.stderr if status else sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
