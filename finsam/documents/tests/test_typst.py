"""The Typst engine: user text is data, never markup, and a document reaches only its own
folder."""

import io
import re

import pytest
from pypdf import PdfReader

from finsam.documents import blocks
from finsam.documents import typst as engine
from finsam.documents.charts import NO_CHARTS
from finsam.documents.render.typst import TypstRenderer

# Texts a user could type into a report, a name or a comment, each a piece of Typst markup or
# code that would read files, fetch packages, link away or change the layout if it were markup.
HOSTILE = [
    '#read("/etc/passwd")',
    '#import "@preview/cetz:0.3.0": canvas',
    '#include "data.json"',
    '#link("https://example.org/phish")[Klicka här]',
    "```python\nimport os\n```",
    '#eval("1 + 1")',
    "#set page(width: 2cm)",
    "#show: none",
    "$x^2$ *fet* _kursiv_ <etikett> @etikett = Rubrik",
    '] #panic("stop") [',
    "\\ // inte en kommentar /* inte heller */",
]


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def _hostile_document() -> blocks.Document:
    paragraphs = [blocks.Paragraph(text) for text in HOSTILE]
    table = blocks.Table(
        caption=HOSTILE[0],
        columns=["Text", "Antal"],
        rows=[[text, "1"] for text in HOSTILE],
        total=[HOSTILE[3], "11"],
        note=HOSTILE[2],
    )
    return blocks.Document(
        title=HOSTILE[1],
        author=HOSTILE[3],
        subject=HOSTILE[2],
        cover=blocks.Cover(
            title=HOSTILE[0], organisation=HOSTILE[5], kind=HOSTILE[8], lines=HOSTILE[6:8]
        ),
        contents=True,
        chapters=[
            blocks.Chapter(
                title=HOSTILE[4].replace("\n", " "),
                anchor="kapitel",
                kicker=HOSTILE[9],
                blocks=[blocks.DraftMark(HOSTILE[10]), *paragraphs, table],
            )
        ],
        header_left=HOSTILE[3],
        footer_left=HOSTILE[0],
        draft=HOSTILE[9],
    )


@pytest.mark.django_db
def test_hostile_texts_print_as_text():
    pdf = TypstRenderer().render(_hostile_document())
    text = _text(pdf)
    for hostile in HOSTILE:
        assert " ".join(hostile.split()) in text, hostile
    assert "root:" not in text  # /etc/passwd was not read
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3  # cover, contents, the chapter: no page set 2 cm wide
    assert all(page.mediabox.width > 500 for page in reader.pages)
    uris = [
        annotation.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert not [uri for uri in uris if uri]  # no link leads out of the document
    assert reader.metadata.title == HOSTILE[1]


@pytest.mark.parametrize(
    "source",
    [
        '#read("/etc/passwd")',
        '#read("../../../../../../etc/passwd")',
        '#image("/usr/share/pixmaps/debian-logo.png")',
    ],
)
def test_a_template_reaches_only_its_own_folder(tmp_path, source):
    template = tmp_path / "template.typ"
    template.write_text(f'#set document(title: "T")\n#set text(lang: "sv")\n{source}\n')
    with pytest.raises(RuntimeError, match=re.escape("Typst: ")) as error:
        engine.write_pdf(template, {}, NO_CHARTS)
    assert "root:" not in str(error.value)


def test_the_fonts_are_the_dejavu_fonts_the_charts_use():
    names = {path.name for path in engine.font_dir().glob("DejaVu*.ttf")}
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf"} <= names
