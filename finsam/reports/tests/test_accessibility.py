"""The compiled report for screen readers: a tagged PDF (PDF/UA-1) with its language and
bookmarks, by every PDF engine, and a text alternative on every chart in the
PDF and the DOCX."""

import io

from docx import Document
from pypdf import PdfReader

from finsam.reports.compile import compile_docx, compile_pdf
from finsam.reports.tests import test_compile
from finsam.reports.tests.test_compile import CHARTS, TODAY

# The compile tests' association with four initiative reports, and every PDF engine.
compiled = test_compile.compiled
pdf_engine = test_compile.pdf_engine


def _structure(reader: PdfReader) -> tuple[list, list]:
    """The structure elements of the document (depth first) and the annotations they claim."""
    elements, claimed = [], []

    def walk(node):
        if isinstance(node, int):  # marked content on the element's page
            return
        node = node.get_object()
        if node.get("/Type") == "/MCR":  # marked content on another page than the element's
            return
        if node.get("/Type") == "/OBJR":
            claimed.append(node.raw_get("/Obj").idnum)
            return
        elements.append(node)
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid)

    walk(reader.root_object["/StructTreeRoot"])
    return elements[1:], claimed


def _has_content_on(element, page: int) -> bool:
    """Whether `element` has marked content on the page `page` (its own /Pg, or the /Pg of a
    marked-content reference among its kids)."""
    if "/Pg" in element and element.raw_get("/Pg").idnum == page:
        return True
    kids = element.get("/K", [])
    return any(
        not isinstance(kid, int)
        and kid.get_object().get("/Type") == "/MCR"
        and kid.get_object().raw_get("/Pg").idnum == page
        for kid in (kids if isinstance(kids, list) else [kids])
    )


def test_the_pdf_is_tagged_with_its_language_bookmarks_and_chart_descriptions(
    compiled, world, pdf_engine
):
    reader = PdfReader(io.BytesIO(compile_pdf(association=world.a, period=compiled, today=TODAY)))
    catalog = reader.root_object
    assert catalog["/Lang"] == "sv"
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/Outlines" in catalog and len(reader.outline) > 5
    assert b"pdfuaid:part" in catalog["/Metadata"].get_data()

    elements, claimed = _structure(reader)
    assert elements[0]["/S"] == "/Document"
    assert [e["/S"] for e in elements].count("/Document") == 1
    pages = {page.indirect_reference.idnum: page for page in reader.pages}
    assert all(e.raw_get("/Pg").idnum in pages for e in elements if "/Pg" in e)
    # Every page and link is in the parent tree once, under a key that leads to its elements.
    tree = catalog["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = {int(tree[i]): tree[i + 1] for i in range(0, len(tree), 2)}
    assert len(parents) == len(tree) // 2
    for idnum, page in pages.items():
        on_page = parents[page["/StructParents"]]
        assert on_page and all(_has_content_on(e.get_object(), idnum) for e in on_page)
        for annotation in page.get("/Annots", []):
            link = parents[annotation["/StructParent"]].get_object()
            kids = link["/K"] if isinstance(link["/K"], list) else [link["/K"]]
            kids = [k.get_object() for k in kids if not isinstance(k, int)]
            assert annotation.idnum in [k.raw_get("/Obj").idnum for k in kids if "/Obj" in k]
    links = {a.idnum for page in reader.pages for a in page.get("/Annots", [])}
    assert links and set(claimed) == links

    if pdf_engine == "typst":  # the running header and footer are artifacts, not content
        assert all(b"/Artifact" in page.get_contents().get_data() for page in reader.pages[1:])

    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) == CHARTS
    alts = [str(figure["/Alt"]) for figure in figures]
    assert all(alt.startswith("Stapeldiagram: ") for alt in alts)
    assert "Stapeldiagram: Kön – Kvinnor 11, Män 9. Totalt 20." in alts


def test_every_chart_in_the_docx_has_a_description(compiled, world):
    document = Document(io.BytesIO(compile_docx(association=world.a, period=compiled, today=TODAY)))
    pictures = document.inline_shapes
    assert len(pictures) == CHARTS
    for picture in pictures:
        properties = picture._inline.docPr
        assert properties.get("descr").startswith("Stapeldiagram: ")
        assert properties.get("title")
    descriptions = [p._inline.docPr.get("descr") for p in pictures]
    assert "Stapeldiagram: Kön – Kvinnor 11, Män 9. Totalt 20." in descriptions
