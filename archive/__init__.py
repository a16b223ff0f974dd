"""The WARC collection: writing, verifying, indexing. Usable without Scrapy."""

from .background import BackgroundWriter, PendingRecord, RecordNotWritten
from .index import write_index
from .naming import warc_filename
from .records import HttpExchange, Record
from .verify import VerifyReport, verify_paths
from .writer import RecordLocation, WarcWriter, WrittenRecord

__all__ = [
    "BackgroundWriter",
    "HttpExchange",
    "PendingRecord",
    "Record",
    "RecordLocation",
    "RecordNotWritten",
    "VerifyReport",
    "WarcWriter",
    "WrittenRecord",
    "verify_paths",
    "warc_filename",
    "write_index",
]
