"""What an uploaded file really is, told from its bytes (never from its name or the browser's word).

Slides may be PDF, PowerPoint (pptx, ppt), OpenDocument presentations (odp) or Keynote (key); documents
may also be Word, Excel and OpenDocument text and spreadsheets. Zip-based formats are checked for zip
bombs from their directory without unpacking them, and the part that makes them what they claim is read
with a bound.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extension: str
    label: str


PDF = FileType("pdf", "application/pdf", "pdf", "PDF")
PPTX = FileType("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx",
                "PowerPoint")  # fmt: skip
PPT = FileType("ppt", "application/vnd.ms-powerpoint", "ppt", "PowerPoint 97–2003")
ODP = FileType("odp", "application/vnd.oasis.opendocument.presentation", "odp", "OpenDocument presentation")
KEY = FileType("key", "application/vnd.apple.keynote", "key", "Keynote")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel")
DOC = FileType("doc", "application/msword", "doc", "Word 97–2003")
XLS = FileType("xls", "application/vnd.ms-excel", "xls", "Excel 97–2003")
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", "odt", "OpenDocument text")
ODS = FileType("ods", "application/vnd.oasis.opendocument.spreadsheet", "ods", "OpenDocument spreadsheet")

SLIDE_TYPES = (PDF, PPTX, PPT, ODP, KEY)
DOCUMENT_TYPES = (*SLIDE_TYPES, DOCX, XLSX, DOC, XLS, ODT, ODS)
BY_KEY = {t.key: t for t in DOCUMENT_TYPES}

#: Zip limits: more entries, more unpacked bytes, or a higher packing ratio than this is taken for a bomb.
#: The total is bounded whatever each entry's ratio (900 entries of 1 MB each passed every entry's check):
#: 200 MB is four times the default upload limit, and real office files (pictures and video are stored
#: already compressed) unpack to a few times their size; the whole archive's ratio is bounded as well.
MAX_ENTRIES = 10_000
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 150
#: How much of a format's main part is unpacked to see that it is real.
MAIN_PART_LIMIT = 64 * 1024 * 1024


class Refused(Exception):
    """The file is not one we accept; ``message`` says so in words a person understands."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _not_accepted(allowed: tuple[FileType, ...]) -> Refused:
    names = ", ".join(dict.fromkeys(t.label.split(" ")[0] for t in allowed))
    return Refused(str(_l("This file is not a kind we accept here. Please upload %(kinds)s.", kinds=names)))


def identify(path: Path, allowed: tuple[FileType, ...] = DOCUMENT_TYPES) -> FileType:
    """The type of the file at ``path``, if it is one of ``allowed``; else Refused."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        found = _pdf(path)
    elif head.startswith(b"PK\x03\x04"):
        found = _zip(path)
    elif head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        found = _ole(path)
    else:
        found = None
    if found is None or found not in allowed:
        raise _not_accepted(allowed)
    return found


def _pdf(path: Path) -> FileType | None:
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 2048))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise Refused(
            str(_l("This PDF file is incomplete or damaged. Please export it again and upload the new file."))
        )
    return PDF


def _bomb() -> Refused:
    return Refused(str(_l("This file unpacks to far more than its size, so it cannot be accepted. Please save it "
                          "again from the program that made it.")))  # fmt: skip


def _zip(path: Path) -> FileType | None:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES:
                raise _bomb()
            unpacked = sum(e.file_size for e in entries)
            if unpacked > MAX_UNPACKED or (
                unpacked > 1024 * 1024 and unpacked > MAX_RATIO * max(path.stat().st_size, 1)
            ):
                raise _bomb()
            for entry in entries:
                if entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
                    raise _bomb()
            names = {e.filename for e in entries}
            found, main = _zip_kind(archive, names)
            if found is not None and main is not None:
                with archive.open(main) as part:
                    while part.read(1024 * 1024):  # the CRC is checked at the end; bounded by the ratio check
                        pass
            return found
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
        raise Refused(str(_l("This file is damaged and cannot be opened. Please save it again and upload the new "
                             "file."))) from exc  # fmt: skip


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> tuple[FileType | None, str | None]:
    if "[Content_Types].xml" in names:
        for found, main in ((PPTX, "ppt/presentation.xml"), (DOCX, "word/document.xml"), (XLSX, "xl/workbook.xml")):
            if main in names:
                return found, main
        return None, None
    if "mimetype" in names:
        with archive.open("mimetype") as handle:
            mimetype = handle.read(100).decode("ascii", "replace").strip()
        for found in (ODP, ODT, ODS):
            if mimetype == found.content_type and "content.xml" in names:
                return found, "content.xml"
        return None, None
    if "Index/Document.iwa" in names:
        return KEY, "Index/Document.iwa"
    if "index.apxl" in names:
        return KEY, "index.apxl"
    return None, None


def _ole(path: Path) -> FileType | None:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except (OSError, ValueError, IndexError) as exc:  # olefile raises these on damaged files
        raise Refused(str(_l("This file is damaged and cannot be opened. Please save it again and upload the new "
                             "file."))) from exc  # fmt: skip
    if "EncryptedPackage" in streams:
        raise Refused(str(_l("This file is protected with a password. Please upload a copy without one.")))
    if "PowerPoint Document" in streams:
        return PPT
    if "WordDocument" in streams:
        return DOC
    if "Workbook" in streams or "Book" in streams:
        return XLS
    return None
