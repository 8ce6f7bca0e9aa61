"""The document layer: any producer (the compiled report, and decision letters, agreements,
invoice bases, operational plans, meeting packs to come) makes its PDF, DOCX and XLSX files here.

- `blocks`: a document declared as blocks (cover, contents, chapters and sub-chapters, running
  header and footer, paragraphs, tables kept whole, charts with their text alternative, draft
  marks);
- `render`: blocks → file, one renderer per backend (`Renderer`): Typst for tagged PDF (the
  default, `render/typst.py`) or WeasyPrint (`render/weasyprint.py`), as settings.PDF_ENGINE
  says; python-docx for DOCX (`render/docx.py`);
- `typst`: Typst machinery: a document's template, house style (`typst/house.typ`), data and
  charts compiled in process in a folder of its own, user text always data, never markup;
- `pdf`: WeasyPrint machinery: the safe URL fetcher, the layout with charts drawn alongside;
- `docx`: python-docx helpers and the house styles;
- `charts`: charts cached by content and drawn in parallel (`PendingCharts`), a generic
  `BarChart`;
- `xlsx`: spreadsheets (every XLSX download is built with it);
- `cache`: the documents cache.

Numbers, kronor and dates are formatted by finsam.core.formats before they go into a document.
The layer imports only finsam.core (and the progress protocol of finsam.jobs): producers pass
their data in (tested in tests/test_layering.py).
"""
