"""Renderers: a `Document` of blocks (finsam.documents.blocks) → the bytes of a file.

Every backend implements `Renderer`; `render(document, "pdf")` picks the one registered for the
format. PDF is Typst (tagged PDF/UA-1 and PDF/A-2a) or WeasyPrint (tagged PDF/UA-1), as
settings.PDF_ENGINE says; DOCX is python-docx.
"""

from __future__ import annotations

from typing import Protocol

from finsam.core.progress import Progress, silent
from finsam.documents.blocks import Document

PDF_CONTENT_TYPE = "application/pdf"


class Renderer(Protocol):
    extension: str
    content_type: str

    def render(self, document: Document, progress: Progress = silent) -> bytes: ...


def pdf_renderers() -> dict[str, Renderer]:
    """The PDF renderer of each engine (settings.PDF_ENGINE)."""
    from finsam.documents.render.typst import TypstRenderer
    from finsam.documents.render.weasyprint import WeasyPrintRenderer

    return {"typst": TypstRenderer(), "weasyprint": WeasyPrintRenderer()}


def renderers() -> dict[str, Renderer]:
    """The renderer of each format, by file extension."""
    from django.conf import settings

    from finsam.documents.render.docx import DocxRenderer

    return {r.extension: r for r in (pdf_renderers()[settings.PDF_ENGINE], DocxRenderer())}


def render(document: Document, extension: str, progress: Progress = silent) -> bytes:
    return renderers()[extension].render(document, progress)
