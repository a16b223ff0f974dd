"""``-a province=`` as people write it: 浙江, 浙江省, Zhejiang, zhejiang, 330000; a miss is
one line with the closest names (crawler/agencies/provinces.py)."""

from __future__ import annotations

import csv

import pytest

from crawler.agencies.provinces import find_province, provinces
from crawler.spiders.arguments import ArgumentError, CrawlArguments
from tests.conftest import PROVINCES
from tests.demoweb.__main__ import REGISTRY


def selected(province: str) -> list[str]:
    return [agency.id for agency in CrawlArguments.parse(REGISTRY, province=province).agencies]


@pytest.mark.parametrize("written", ["浙江", "浙江省", "Zhejiang", "zhejiang", "330000",
                                     " Zhejiang Sheng ", "ZHEJIANG province", "浙"])
def test_a_province_as_people_write_it_selects_its_agencies(written):
    assert selected(written) == ["330000"]


def test_names_that_look_alike_stay_apart():
    assert find_province("Shaanxi").code == "610000"
    assert find_province("Shanxi").code == "140000"
    assert find_province("Inner Mongolia").code == find_province("内蒙古").code == "150000"
    assert find_province("广西").code == find_province("Guangxi").code == "450000"
    assert find_province("Tibet").code == find_province("Xizang").code == "540000"
    assert find_province("Zhejiangg") is None


@pytest.mark.parametrize(("written", "suggested"), [
    ("Zhejang", "did you mean Zhejiang (浙江省, 330000)"),
    ("Guangdon", "did you mean Guangdong (广东省, 440000)"),
    ("jiangxy", "Jiangxi (江西省, 360000)"),
])
def test_a_misspelt_province_is_one_line_naming_the_closest(written, suggested):
    with pytest.raises(ArgumentError) as raised:
        selected(written)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"no agency matches -a province={written}: ")
    assert suggested in message


def test_a_province_the_registry_lacks_names_those_it_has():
    with pytest.raises(ArgumentError) as raised:
        selected("北京")
    assert str(raised.value) == (
        "no agency matches -a province=北京: none is in Beijing (北京市, 110000); the "
        "registry's provinces: 广东省, 江西省, 浙江省, 福建省")


def test_a_registry_of_other_places_is_matched_as_it_writes_them(tmp_path):
    registry = tmp_path / "registry.yaml"
    registry.write_text("agencies:\n  - {id: t1, province: 测试省, name: 测试局, "
                        "start_url: 'http://t.example/', allowed_domains: [t.example]}\n",
                        "utf-8")
    chosen = CrawlArguments.parse(registry, province="测试省").agencies
    assert [agency.id for agency in chosen] == ["t1"]


def test_the_provinces_are_the_shared_list_of_31():
    with open(PROVINCES, encoding="utf-8") as fh:
        shared = {(row["code"], row["name"], row["short"]) for row in csv.DictReader(fh)}
    assert {(p.code, p.name, p.short) for p in provinces()} == shared
    assert len(shared) == 31
