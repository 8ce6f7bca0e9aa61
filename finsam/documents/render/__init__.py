"""Renderers: a `Document` of blocks (finsam.documents.blocks) → the bytes of a file.

Every backend implements `Renderer`; `render(document, "pdf")` picks the one registered for the
format. Today PDF is WeasyPrint (tagged PDF/UA-1) and DOCX is python-docx; another PDF backend
(Typst) can be registered beside them without touching the producers.
"""

from __future__ import annotations

from typing import Protocol

from finsam.core.progress import Progress, silent
from finsam.documents.blocks import Document


class Renderer(Protocol):
    extension: str
    content_type: str

    def render(self, document: Document, progress: Progress = silent) -> bytes: ...


def renderers() -> dict[str, Renderer]:
    """The renderer of each format, by file extension."""
    from finsam.documents.render.docx import DocxRenderer
    from finsam.documents.render.weasyprint import WeasyPrintRenderer

    return {r.extension: r for r in (WeasyPrintRenderer(), DocxRenderer())}


def render(document: Document, extension: str, progress: Progress = silent) -> bytes:
    return renderers()[extension].render(document, progress)
