"""A tiny, valid one-page PDF with a few lines of text: the demo's slides are made with it at seed time,
and the tests use it as a real PDF (nothing binary is committed)."""

from __future__ import annotations

import io


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (Latin-1) encoding: æøå and the like print; others become "?"."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("latin-1", errors="replace") + b")"


def tiny_pdf(*lines: str) -> bytes:
    """A one-page PDF (A4 landscape, like a slide) with ``lines`` in Helvetica, the first one large;
    cross-reference table and all, so PDF readers and the upload checks accept it."""
    commands = [b"BT /F1 28 Tf 60 480 Td"]
    for number, line in enumerate(lines):
        if number == 1:
            commands.append(b"/F1 18 Tf 0 -24 Td")
        commands.append(_pdf_string(line) + b" Tj 0 -34 Td")
    commands.append(b"ET")
    stream = b"\n".join(commands)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
