"""The variant hostile web: eighteen more small agency sites on 127.0.0.1, two for each
fault of the hostile web (``tests/hostile/``), written from other real sites' faults with
other markup, URL shapes, encodings and server behaviour: bodies cut inside chunks and
PDFs cut with and without a length, deflate and always-on gzip streams cut short, a
three-URL redirect cycle, a query-string loop, a meta-refresh loop and 15 redirects,
big5 / ISO-8859-1 / utf8mb4 / missing / lying charsets, plain and JSON lists stating
millions of records, 30,000 and 40,000 report-titled dead links, a PDF XObject and a DOCX
that inflate to gigabytes, endless searches and calendars, and columns only a script
fills. See ``README.md`` here.

    with VariantWeb() as web:      # like HostileWeb: web.proxy_url, web.log, web.sites
        ...

Each site is data (``sites/<host>/site.yaml`` + ``htdocs/``), served by the demo's server
with the demo's handlers, the hostile web's and ``handlers.py`` here. A site's ``reports``
are exactly the genuine reports a correct crawler turns into items; its faults are in
``site.meta["faults"]`` (from ``faults:`` in its site.yaml).
"""

from __future__ import annotations

from pathlib import Path

from tests.demoweb.server import DemoWeb, Site, load_sites
from tests.hostile.handlers import HANDLERS as HOSTILE_HANDLERS

from .handlers import HANDLERS as VARIANT_HANDLERS

__all__ = ["HANDLERS", "REGISTRY", "VARIANT_SITES", "VariantWeb", "variant_sites"]

VARIANT_SITES = Path(__file__).with_name("sites")
REGISTRY = Path(__file__).with_name("registry.yaml")

assert not set(HOSTILE_HANDLERS) & set(VARIANT_HANDLERS), "a variant handler hides another"
HANDLERS = {**HOSTILE_HANDLERS, **VARIANT_HANDLERS}


def variant_sites() -> dict[str, Site]:
    """Every variant site, by host."""
    return load_sites(VARIANT_SITES)


class VariantWeb(DemoWeb):
    """``with VariantWeb() as web: ... web.proxy_url ...``: the variant sites only."""

    def __init__(self, sites: dict[str, Site] | None = None, port: int = 0) -> None:
        super().__init__(sites=variant_sites() if sites is None else sites, port=port,
                         handlers=HANDLERS)
