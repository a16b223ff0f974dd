"""The agencies of a crawl: who they are (the registry), which joined this crawl,
and what happened to each (its account)."""

from .account import AgencyAccount
from .crawl import CrawlAgencies, stat_key
from .registry import DEFAULT_REGISTRY, Agency, RegistryError, load_registry

__all__ = ["DEFAULT_REGISTRY", "Agency", "AgencyAccount", "CrawlAgencies", "RegistryError",
           "load_registry", "stat_key"]
