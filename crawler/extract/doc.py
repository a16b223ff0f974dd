"""DOC and WPS (the binary Word formats of older reports) through LibreOffice.

No Python library reads .doc tables; LibreOffice (Debian ``libreoffice-writer-nogui``,
installed by ``make install`` where apt is available) converts them to DOCX, which
``read_docx`` then reads. Without it the item says so instead of guessing.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from .document import Document
from .docx import read_docx

__all__ = ["converter", "read_doc"]

TIMEOUT = 180


def converter() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(body: bytes, source_type: str = "doc") -> Document:
    office = converter()
    if office is None:
        doc = Document(source_type)
        doc.warnings.append(f"{source_type.upper()} not read: no converter installed "
                            f"(install LibreOffice: apt-get install libreoffice-writer-nogui)")
        return doc
    with tempfile.TemporaryDirectory(prefix="extract-doc-") as tmp:
        source = Path(tmp) / f"report.{source_type}"
        source.write_bytes(body)
        # A profile of its own: concurrent conversions must not share one.
        profile = Path(tmp) / f"profile-{uuid.uuid4().hex}"
        command = [office, f"-env:UserInstallation=file://{profile}", "--headless",
                   "--norestore", "--convert-to", "docx", "--outdir", tmp, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            doc = Document(source_type)
            doc.warnings.append(f"{source_type.upper()} conversion timed out after {TIMEOUT} s")
            return doc
        converted = Path(tmp) / "report.docx"
        if not converted.exists():
            doc = Document(source_type)
            doc.warnings.append(f"{source_type.upper()} could not be converted (damaged file?)")
            return doc
        doc = read_docx(converted.read_bytes(), source_type)
    doc.warnings.insert(0, "read through LibreOffice's conversion to DOCX")
    return doc
