"""The researcher's path through ``gov-archive``, run from a folder of their own: crawl the
demo web, see its status, verify and read the archive, build the dataset, search it;
and an unreachable web, whose DNS failures are one line per agency."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FAST
from tests.demoweb.__main__ import REGISTRY, proxy_env
from tests.test_cli import GOV_ARCHIVE

pytestmark = pytest.mark.slow


def gov_archive(*args: str, cwd: Path, env: dict[str, str] | None = None
                ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(GOV_ARCHIVE), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def jiangxi(demoweb, tmp_path_factory):
    """``gov-archive crawl --province Jiangxi`` through the demo web, from outside the
    project's folder."""
    home = tmp_path_factory.mktemp("journalist")
    result = gov_archive("crawl", "--registry", str(REGISTRY), "--province", "Jiangxi",
                         "-O", "zj/items.jsonl", "-s", "WARC_DIR=zj/warc", *FAST,
                         cwd=home, env=proxy_env(demoweb))
    return home, result


def test_crawl_runs_the_spider_with_its_arguments(jiangxi):
    home, result = jiangxi
    summary = json.loads((home / "zj" / "items.summary.json").read_text("utf-8"))
    assert result.returncode == summary["exit_code"] == 1, result.stderr[-3000:]
    assert {row["province"] for row in summary["agencies"]} == {"江西省"}
    assert summary["agencies"][0]["agency_id"] == "360000"
    assert (home / "zj" / "items.jsonl").read_text("utf-8").count("\n") == sum(
        row["reports"] for row in summary["agencies"]) > 0


def test_status_of_the_ended_crawl(jiangxi):
    home, result = jiangxi
    said = gov_archive("status", "zj/items.jsonl", cwd=home)
    assert said.returncode == 0
    assert "(disclosure): finished after " in said.stdout
    assert "(exit 1)" in said.stdout


def test_verify_and_get_read_the_crawls_archive(jiangxi):
    home, _ = jiangxi
    verified = gov_archive("verify", "zj/warc", cwd=home)
    assert verified.returncode == 0, verified.stdout
    item = json.loads((home / "zj" / "items.jsonl").read_text("utf-8").splitlines()[0])
    got = subprocess.run([str(GOV_ARCHIVE), "get", item["url"], "-d", "zj/warc", "--raw"],
                         cwd=home, capture_output=True, timeout=120)
    assert got.returncode == 0, got.stderr
    digest = base64.b32encode(hashlib.sha1(got.stdout).digest()).decode()
    assert f"sha1:{digest}" == item["warc"]["payload_digest"]  # the bytes the item was read from


def search(home: Path, db: Path, *words: str) -> tuple[set[str], str]:
    """The URLs found, and what was searched (said on stderr)."""
    found = gov_archive("search", *words, "--db", str(db), "--json", "-n", "0", cwd=home)
    assert found.returncode == (0 if found.stdout else 1), found.stderr
    how = found.stderr.strip().rpartition(" (")[2].removesuffix(")")
    return {json.loads(line)["url"] for line in found.stdout.splitlines()}, how


def test_build_then_search_finds_the_reports_that_say_it(jiangxi):
    home, _ = jiangxi
    built = gov_archive("build", "zj/items.jsonl", "-o", "dataset/reports.sqlite", cwd=home)
    assert built.returncode == 0, built.stderr
    items = [json.loads(line) for line in
             (home / "zj" / "items.jsonl").read_text("utf-8").splitlines()]
    saying = {item["url"] for item in items if "行政复议" in item["title"] + item["text"]}
    assert saying
    db = home / "dataset" / "reports.sqlite"
    with sqlite3.connect(db) as connection:
        tables = {row[0] for row in connection.execute("select name from sqlite_master")}
    indexed = "texts_fts" in tables  # the dataset's own full-text index, once it has one
    assert search(home, db, "行政复议") == (
        saying, "full-text index texts_fts" if indexed else "LIKE on texts.title, texts.text")
    words = (items[-1]["agency"], f"{items[-1]['year']}年")  # one agency's report of one year
    assert search(home, db, *words)[0] == {
        item["url"] for item in items if all(w in item["title"] + item["text"] for w in words)}
    assert search(home, db, "没有这样的词语")[0] == set()

    # without its full-text index, and without the texts (a dataset built before them):
    # the same reports, and stderr says what was searched
    for dropped, how in ((["texts_fts"], "LIKE on texts.title, texts.text"),
                         (["texts_fts", "texts"],
                          "LIKE on versions.title, json_extract(items.item, '$.text')")):
        bare = home / f"without-{len(dropped)}.sqlite"
        shutil.copy(db, bare)
        with sqlite3.connect(bare) as connection:
            for table in dropped:
                connection.execute(f"drop table if exists {table}")
        assert search(home, bare, "行政复议") == (saying, how)


def test_unreachable_agencies_are_one_line_each(tmp_path):
    """Hosts under .invalid never resolve (RFC 6761): every request fails its DNS lookup,
    as on a machine offline."""
    registry = tmp_path / "registry.yaml"
    registry.write_text("agencies:\n" + "".join(
        f"  - {{id: a{n}, province: 浙江省, name: 局{n}, start_url: 'http://www.a{n}.invalid/',"
        f" allowed_domains: [www.a{n}.invalid]}}\n" for n in range(3)), "utf-8")
    result = gov_archive("crawl", "--registry", str(registry), "-O", "out/items.jsonl",
                         "-s", "WARC_DIR=out/warc", *FAST, cwd=tmp_path)
    assert result.returncode == 5  # nothing reachable
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "DNS lookup failed for" in line]
    assert sorted(line.split("WARNING: ")[1] for line in lines) == [
        f"a{n}: DNS lookup failed for www.a{n}.invalid: its site cannot be reached; its "
        "further DNS failures are counted in the summary, not logged" for n in range(3)]
    assert "Gave up retrying" not in result.stderr
    summary = json.loads((tmp_path / "out" / "items.summary.json").read_text("utf-8"))
    assert [row["errors"] for row in summary["agencies"]] == [{"DNS lookup failed": 1}] * 3
    status = json.loads((tmp_path / "out" / "items.status.json").read_text("utf-8"))
    assert status["errors"]["by_kind"] == {"DNS lookup failed": 3}
