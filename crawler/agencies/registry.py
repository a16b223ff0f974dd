"""The agency registry: which agencies to crawl, where to start, which hosts are theirs.

A YAML file with a list under ``agencies:``; each entry has ``id``, ``province``,
``name``, ``start_url`` and ``allowed_domains`` (a list), and may have
``province_code``, ``cms``, ``report_list_url``, ``notes`` and ``departments``
(true for a portal whose departments' sites should be found and crawled too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..run.outcome import SetupError

__all__ = ["DEFAULT_REGISTRY", "Agency", "RegistryError", "load_registry"]

DEFAULT_REGISTRY = "crawler/data/agencies.yaml"  # a package resource: read inside an egg too
REQUIRED = ("id", "province", "name", "start_url", "allowed_domains")


class RegistryError(SetupError, ValueError):
    pass


@dataclass(frozen=True)
class Agency:
    id: str
    province: str
    name: str
    start_url: str
    allowed_domains: tuple[str, ...]
    province_code: str | None = None
    cms: str | None = None
    report_list_url: str | None = None
    notes: str | None = None
    departments: bool = False  # a portal: find its departments' sites and crawl them too
    parent: str | None = None  # set on departments found on a portal

    def __post_init__(self) -> None:
        if isinstance(self.departments, str):
            portal = self.departments.lower() in ("1", "true", "yes")
            object.__setattr__(self, "departments", portal)

    def owns(self, url: str) -> bool:
        """Is ``url`` on one of this agency's hosts (or a subdomain of one)?"""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)


def _agency(entry: object, where: str) -> Agency:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping, got {type(entry).__name__}")
    missing = [key for key in REQUIRED if not entry.get(key)]
    if missing:
        raise RegistryError(f"{where} ({entry.get('id', '?')}): missing {', '.join(missing)}")
    known = {f.name for f in fields(Agency)}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise RegistryError(f"{where} ({entry['id']}): unknown key(s) {', '.join(unknown)}")
    domains = entry["allowed_domains"]
    if isinstance(domains, str) or not isinstance(domains, Iterable):
        raise RegistryError(f"{where} ({entry['id']}): allowed_domains must be a list")
    if urlsplit(entry["start_url"]).scheme not in ("http", "https"):
        raise RegistryError(f"{where} ({entry['id']}): start_url must be http(s)")
    values: dict[str, Any] = {k: (v if k in ("allowed_domains", "departments") else str(v))
                              for k, v in entry.items()}
    values["allowed_domains"] = tuple(str(d).lower() for d in domains)
    return Agency(**values)


def _registry_text(path: str | Path) -> str:
    """The bundled registry from the package (scrapyd runs the project from a zipped
    egg, where no file path reaches it), any other from its file."""
    if str(path) == DEFAULT_REGISTRY:
        return resources.files("crawler").joinpath("data", "agencies.yaml").read_text("utf-8")
    return Path(path).read_text("utf-8")


def load_registry(path: str | Path = DEFAULT_REGISTRY) -> list[Agency]:
    try:
        data = yaml.safe_load(_registry_text(path))
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"cannot read registry {path}: {exc}") from exc
    entries = data.get("agencies") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise RegistryError(f"{path}: expected a top-level 'agencies:' list")
    agencies = [_agency(e, f"{path} entry {i}") for i, e in enumerate(entries, 1)]
    seen: set[str] = set()
    for agency in agencies:
        if agency.id in seen:
            raise RegistryError(f"{path}: duplicate agency id {agency.id!r}")
        seen.add(agency.id)
    return agencies
