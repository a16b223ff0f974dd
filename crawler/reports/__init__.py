"""Reports from their first page to their item: the assembler, its drafts and their store."""

from .assembler import ReportAssembler, cut_reason
from .draft import ReportDraft
from .store import DraftStore

__all__ = ["DraftStore", "ReportAssembler", "ReportDraft", "cut_reason"]
