"""Real small files of each kind, made by the test itself (nothing binary is committed)."""

from __future__ import annotations

import io
import zipfile

from eventapp.materials.pdf import tiny_pdf


def pdf_bytes(text: str = "Lysbilder") -> bytes:
    """A valid one-page PDF with ``text`` on it, cross-reference table and all (the app's own writer)."""
    return tiny_pdf(text)


def pptx_bytes(title: str = "Innovative anskaffelser") -> bytes:
    """A real PowerPoint file with one slide, made by python-pptx."""
    from pptx import Presentation

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[0])
    slide.shapes.title.text = title
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def odp_bytes() -> bytes:
    """An OpenDocument presentation's skeleton: the stored mimetype first, then content.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.presentation", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>', zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>', zipfile.ZIP_DEFLATED)
    return out.getvalue()


def keynote_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Index/Document.iwa", b"\x00" * 64)
        archive.writestr("Metadata/Properties.plist", b"<plist/>")
    return out.getvalue()


def zip_bomb_pptx_bytes() -> bytes:
    """Looks like a pptx (the right part names) but one part unpacks to 200 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("ppt/presentation.xml", '<?xml version="1.0"?><p:presentation/>')
        with archive.open("ppt/media/image1.png", "w", force_zip64=True) as part:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(200):
                part.write(chunk)
    return out.getvalue()


def executable_bytes() -> bytes:
    """The start of a Windows program (an 'MZ' header), padded: what a renamed .exe looks like."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 4000
