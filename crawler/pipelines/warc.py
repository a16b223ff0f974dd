"""Point each item at the WARC record it was extracted from."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from itemadapter import ItemAdapter

from archive import PendingRecord

__all__ = ["WarcLocationPipeline"]

logger = logging.getLogger(__name__)


class WarcLocationPipeline:
    """Replace the ``archive.PendingRecord`` a spider put in ``item["warc"]`` with
    ``{filename, offset, length, record_id, payload_digest, date}`` once the
    record is on disk. Items without one pass through untouched, so the same
    extractor serves live crawls and re-extraction from the archive."""

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        pending = adapter.get("warc")
        if not isinstance(pending, PendingRecord):
            return item
        if pending.future is None:  # resumed from a disk queue: only the id survived
            adapter["warc"] = {"record_id": pending.record_id}
            return item
        try:
            location = await asyncio.wrap_future(pending.future)
        except Exception as exc:  # the writer already logged and is stopping the crawl
            adapter["warc"] = {"record_id": pending.record_id}
            _warn(adapter, f"WARC record not written: {exc}")
        else:
            adapter["warc"] = location.payload_location()  # a revisit's: its original's
        return item


def _warn(adapter: ItemAdapter, message: str) -> None:
    if "warnings" in adapter.field_names():
        adapter["warnings"] = [*(adapter.get("warnings") or []), message]
