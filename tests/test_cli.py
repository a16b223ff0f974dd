"""``gov-archive``, the one command for the whole path (crawler/cli/), run as a user runs
it: the installed console script in a subprocess. Crawls through it are in
tests/test_cli_path.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.cli.main import COMMANDS
from crawler.spiders.arguments import SPIDER_ARGUMENTS
from tests.demoweb.__main__ import ROOT

GOV_ARCHIVE = Path(sys.executable).with_name("gov-archive")  # pip install -e . puts it there
SCRAPY = [sys.executable, "-m", "scrapy"]
# the option strings of a help text: -o, --output, --warc-dir...
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(GOV_ARCHIVE), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def options(help_text: str) -> set[str]:
    return set(OPTION.findall(help_text.split("\n\n", 1)[1]))  # past the usage lines


def test_the_command_is_installed_and_lists_the_whole_path():
    result = run("--help")
    assert result.returncode == 0
    listed = re.findall(r"^    (\w+) ", result.stdout, flags=re.M)
    assert listed == list(COMMANDS)
    assert set(listed) >= {"crawl", "replay", "explore", "audit", "search", "get", "wacz",
                           "verify", "status"}


@pytest.mark.parametrize(("command", "original"), [
    ("verify", ["-m", "archive", "verify"]), ("replay", ["-m", "archive", "replay"]),
    ("get", ["-m", "archive", "get"]), ("wacz", ["-m", "archive", "wacz"]),
    ("build", ["-m", "crawler.dataset", "build"]),
    ("explore", ["-m", "crawler.dataset", "explore"]),
    ("audit", ["-m", "crawler.dataset", "audit"]),
])
def test_a_subcommand_has_every_option_of_the_tool_it_stands_for(command, original):
    theirs = subprocess.run([sys.executable, *original, "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    ours = run(command, "--help")
    assert ours.returncode == theirs.returncode == 0
    assert options(theirs.stdout) and options(ours.stdout) == options(theirs.stdout)


@pytest.mark.parametrize(("command", "expected"), [
    ("crawl", {f"--{a.name}" for a in SPIDER_ARGUMENTS}
     | {"-o", "--output", "-O", "--overwrite-output", "-s", "--set", "-L", "--logfile"}),
    ("search", {"--db", "-n", "--limit", "--json"}),
    ("status", {"--json"}),
])
def test_its_own_subcommands_list_every_option(command, expected):
    result = run(command, "--help")
    assert result.returncode == 0
    assert expected <= options(result.stdout)


def test_scrapy_crawl_help_lists_the_spiders_arguments():
    result = subprocess.run([*SCRAPY, "crawl", "disclosure", "-h"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0
    for argument in SPIDER_ARGUMENTS:
        assert re.search(rf"-a {argument.name}={re.escape(argument.metavar)}\s+\S",
                         result.stdout), argument.name


@pytest.mark.parametrize(("command", "said"), [
    ([str(GOV_ARCHIVE), "crawl", "--province", "Zhejang"],
     "gov-archive crawl: error: no agency matches -a province=Zhejang: no province is "
     "called that; did you mean Zhejiang (浙江省, 330000)?"),
    ([str(GOV_ARCHIVE), "crawl", "--years", "2023年"],
     "gov-archive crawl: error: years must look like 2021 or 2019-2024, got '2023年'"),
    ([*SCRAPY, "crawl", "disclosure", "-a", "province=Zhejang"],
     "scrapy crawl: error: no agency matches -a province=Zhejang: no province is called "
     "that; did you mean Zhejiang (浙江省, 330000)?"),
    ([*SCRAPY, "crawl", "disclosure", "-a", "year=2023"],
     "scrapy crawl: error: unknown argument(s) -a year; known: registry, agency, province, "
     "years, departments, emit"),
])
def test_a_bad_argument_is_one_line_and_no_banner(command, said, tmp_path):
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [said]
    assert result.stdout == ""


def test_search_without_a_dataset_says_how_to_make_one(tmp_path):
    result = run("search", "复议", "--db", str(tmp_path / "none.sqlite"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"search: no dataset at {tmp_path / 'none.sqlite'}: "
                                          "run `gov-archive build` first"]


def test_status_without_a_crawl_says_so(tmp_path):
    result = run("status", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("status: no crawl status at var (a crawl writes one")


def closed_early(command: list[str]) -> subprocess.CompletedProcess[str]:
    """``command | head -c 0``: its reader gone before it writes a byte."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    process.stdout.close()
    _, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(command, process.returncode, "", stderr)


def test_extract_into_a_closed_pipe_ends_quietly():
    report = ROOT / "tests" / "fixtures" / "real" / "govnianbao-szfgs2024-report.pdf"
    result = closed_early([sys.executable, "-m", "crawler.extract", str(report)])
    assert (result.returncode, result.stderr) == (0, "")


def test_gov_archive_into_a_closed_pipe_ends_quietly():
    result = closed_early([str(GOV_ARCHIVE), "crawl", "--help"])
    assert (result.returncode, result.stderr) == (0, "")
