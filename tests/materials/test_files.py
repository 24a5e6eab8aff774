"""Files are told apart by their bytes, and kept on disk by their hash, atomically, never overwritten."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from eventapp.materials import filetypes
from eventapp.materials.storage import Empty, LocalStorage, TooLarge
from tests import sample_files


def stored(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (sample_files.pdf_bytes, filetypes.PDF),
        (sample_files.pptx_bytes, filetypes.PPTX),
        (sample_files.odp_bytes, filetypes.ODP),
        (sample_files.keynote_bytes, filetypes.KEY),
    ],
)
def test_slides_are_recognised_by_their_content_whatever_their_name(tmp_path, make, kind):
    path = stored(tmp_path, "slides.txt", make())  # a misleading name changes nothing
    assert filetypes.identify(path, filetypes.SLIDE_TYPES) is kind


def test_an_executable_renamed_pdf_is_refused_with_the_kinds_we_take(tmp_path):
    path = stored(tmp_path, "slides.pdf", sample_files.executable_bytes())
    with pytest.raises(filetypes.Refused) as refused:
        filetypes.identify(path, filetypes.SLIDE_TYPES)
    assert (
        refused.value.message
        == "This file is not a kind we accept here. Please upload PDF, PowerPoint, OpenDocument, Keynote."
    )


def test_a_zip_bomb_dressed_as_pptx_is_refused_without_unpacking_it(tmp_path):
    data = sample_files.zip_bomb_pptx_bytes()
    assert len(data) < 1024 * 1024  # 200 MB packed into well under a megabyte
    with pytest.raises(filetypes.Refused) as refused:
        filetypes.identify(stored(tmp_path, "bomb.pptx", data), filetypes.SLIDE_TYPES)
    assert "unpacks to far more than its size" in refused.value.message


def _many_parts_pptx(parts: int) -> bytes:
    """The part names of a pptx, plus ``parts`` pictures of exactly 1 MB of zeros each (no single part
    is over the 1 MB a part may unpack to at any ratio)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("ppt/presentation.xml", '<?xml version="1.0"?><p:presentation/>')
        chunk = b"\x00" * (1024 * 1024)
        for n in range(parts):
            archive.writestr(f"ppt/media/image{n}.png", chunk)
    return out.getvalue()


@pytest.mark.parametrize("parts", [100, 250])  # 100 MB from about 100 kB; 250 MB: over the total of 200 MB
def test_many_parts_of_1_mb_each_are_refused_as_a_bomb(tmp_path, parts):
    data = _many_parts_pptx(parts)

    with pytest.raises(filetypes.Refused) as refused:
        filetypes.identify(stored(tmp_path, "many.pptx", data), filetypes.SLIDE_TYPES)

    assert "unpacks to far more than its size" in refused.value.message


def test_a_cut_off_pdf_is_refused_as_damaged(tmp_path):
    whole = sample_files.pdf_bytes()
    with pytest.raises(filetypes.Refused) as refused:
        filetypes.identify(stored(tmp_path, "cut.pdf", whole[: len(whole) // 2]), filetypes.SLIDE_TYPES)
    assert "incomplete or damaged" in refused.value.message


def test_a_damaged_zip_is_refused_as_damaged(tmp_path):
    data = sample_files.pptx_bytes()
    with pytest.raises(filetypes.Refused) as refused:
        filetypes.identify(stored(tmp_path, "broken.pptx", data[:200]), filetypes.SLIDE_TYPES)
    assert "damaged" in refused.value.message


def test_storage_keeps_a_file_under_its_hash_and_the_same_bytes_once(tmp_path):
    storage = LocalStorage(tmp_path / "uploads")
    data = sample_files.pdf_bytes()
    first = storage.save(io.BytesIO(data), max_bytes=10_000)
    second = storage.save(io.BytesIO(data), max_bytes=10_000)
    assert first == second
    assert first.size == len(data)
    path = storage.path(first.sha256)
    assert path.read_bytes() == data
    assert path.relative_to(tmp_path / "uploads").parts[:2] == (first.sha256[:2], first.sha256[2:4])
    assert list(storage.all_hashes()) == [first.sha256]
    assert list((tmp_path / "uploads" / "tmp").iterdir()) == []


def test_a_file_one_byte_over_the_limit_leaves_nothing_behind(tmp_path):
    storage = LocalStorage(tmp_path / "uploads")
    with pytest.raises(TooLarge):
        storage.save(io.BytesIO(b"x" * 1001), max_bytes=1000)
    assert storage.save(io.BytesIO(b"x" * 1000), max_bytes=1000).size == 1000  # exactly at the limit is fine
    assert len(list(storage.all_hashes())) == 1
    assert list((tmp_path / "uploads" / "tmp").iterdir()) == []


def test_an_empty_file_and_a_refused_check_leave_nothing_behind(tmp_path):
    storage = LocalStorage(tmp_path / "uploads")
    with pytest.raises(Empty):
        storage.save(io.BytesIO(b""), max_bytes=1000)

    def refuse(path: Path) -> None:
        raise filetypes.Refused("no")

    with pytest.raises(filetypes.Refused):
        storage.save(io.BytesIO(b"MZ" + b"\x00" * 50), max_bytes=1000, check=refuse)
    assert list(storage.all_hashes()) == []
    assert list((tmp_path / "uploads" / "tmp").iterdir()) == []


def test_a_stream_that_breaks_off_leaves_no_partial_file(tmp_path):
    class Dropped(io.RawIOBase):
        def __init__(self) -> None:
            self.sent = 0

        def read(self, size: int = -1) -> bytes:
            if self.sent >= 3:
                raise ConnectionResetError("client went away")
            self.sent += 1
            return b"%PDF-" + b"x" * 1000

    storage = LocalStorage(tmp_path / "uploads")
    with pytest.raises(ConnectionResetError):
        storage.save(Dropped(), max_bytes=1_000_000)
    assert list(storage.all_hashes()) == []
    assert list((tmp_path / "uploads" / "tmp").iterdir()) == []


def test_hashes_are_checked_before_they_touch_the_file_system(tmp_path):
    storage = LocalStorage(tmp_path / "uploads")
    for bad in ("../../etc/passwd", "a" * 63, "A" * 64, "../" + "a" * 61):
        with pytest.raises(ValueError, match="SHA-256"):
            storage.path(bad)
