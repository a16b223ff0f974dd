"""bench/dataset_build.py still runs (a few reports; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_dataset_bench_runs_and_reports_the_ratio():
    result = subprocess.run([sys.executable, "bench/dataset_build.py", "--reports", "100",
                             "--exports", "--audit"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "100 reports, 105 versions" in result.stdout
    assert "x the baseline's time" in result.stdout
    assert "audit pages" in result.stdout and "build + CSV + Parquet" in result.stdout
