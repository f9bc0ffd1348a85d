# The editor and notebook tests: dks's TextMate grammar, Vim syntax, language server and Jupyter
# kernel, each driven by a real client. Run by scripts/test-editors (DKS names the binary).
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DKS = os.environ.get("DKS") or str(ROOT / ".build" / "debug" / "dks")


@pytest.fixture(scope="session")
def dks():
    assert os.access(DKS, os.X_OK), f"no dks binary at {DKS}"
    return DKS


def pytest_terminal_summary(terminalreporter):
    """The closing line scripts/test counts: 'N passed, N failed, N skipped'."""
    stats = terminalreporter.stats
    passed = len(stats.get("passed", []))
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    skipped = stats.get("skipped", [])
    for report in skipped:
        terminalreporter.write_line(f"skip {report.nodeid}: {report.longrepr[-1] if report.longrepr else ''}")
    terminalreporter.write_line(f"{passed} passed, {failed} failed, {len(skipped)} skipped")
