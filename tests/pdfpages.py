"""A printed PDF as its reader sees it, page by page, read with pypdf: each page's text, and where each
run of text is drawn — its left and right edges from the font's own glyph widths, through every
transformation (the page's, a table cell's, an SVG chart's form) — so that a test can say that nothing
is printed outside the page box (a table wider than its page is cut at the paper's edge)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def times(m, n):
    """The PDF matrix product m × n (m applied first)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def point(m, x: float, y: float) -> tuple[float, float]:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


@dataclass(frozen=True)
class Run:
    """One text-showing operation: its extent on the page, in points (origin at the bottom left)."""

    left: float
    right: float
    y: float
    glyphs: int


class Font:
    """A font's glyph widths (in thousandths of the size), and how many bytes a glyph code takes."""

    def __init__(self, font):
        font = font.get_object()
        self.widths: dict[int, float] = {}
        if font.get("/Subtype") == "/Type0":
            descendant = font["/DescendantFonts"][0].get_object()
            self.default, self.width = float(descendant.get("/DW", 1000)), 2
            entries, i = list(descendant.get("/W", [])), 0
            while i < len(entries):
                first = int(entries[i])
                following = entries[i + 1].get_object() if hasattr(entries[i + 1], "get_object") else entries[i + 1]
                if isinstance(following, list):
                    self.widths.update({first + k: float(w) for k, w in enumerate(following)})
                    i += 2
                else:
                    self.widths.update({code: float(entries[i + 2]) for code in range(first, int(following) + 1)})
                    i += 3
        else:
            self.default, self.width = 0.0, 1
            first = int(font.get("/FirstChar", 0))
            self.widths = {first + k: float(w) for k, w in enumerate(font.get("/Widths", []))}

    def advance(self, data: bytes) -> tuple[float, int]:
        """(the width of the glyphs of data in thousandths of the size, how many glyphs)."""
        codes = [int.from_bytes(data[i:i + self.width], "big") for i in range(0, len(data), self.width)]
        return sum(self.widths.get(code, self.default) for code in codes), len(codes)


class _Walker:
    def __init__(self, reader: PdfReader):
        self.reader = reader
        self.runs: list[Run] = []

    def walk(self, content, resources, ctm) -> None:
        fonts = {name: Font(f) for name, f in (resources.get("/Font") or {}).items()}
        stack, font, size, tm, line = [], None, 0.0, IDENTITY, IDENTITY
        scale, char_space, word_space, leading, rise = 1.0, 0.0, 0.0, 0.0, 0.0
        for operands, op in ContentStream(content, self.reader).operations:
            op = op.decode("latin-1") if isinstance(op, bytes) else op
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop()
            elif op == "cm":
                ctm = times(tuple(float(v) for v in operands), ctm)
            elif op == "BT":
                tm = line = IDENTITY
            elif op == "Tm":
                tm = line = tuple(float(v) for v in operands)
            elif op in ("Td", "TD"):
                if op == "TD":
                    leading = -float(operands[1])
                tm = line = times((1, 0, 0, 1, float(operands[0]), float(operands[1])), line)
            elif op == "T*":
                tm = line = times((1, 0, 0, 1, 0, -leading), line)
            elif op == "TL":
                leading = float(operands[0])
            elif op == "Tc":
                char_space = float(operands[0])
            elif op == "Tw":
                word_space = float(operands[0])
            elif op == "Tz":
                scale = float(operands[0]) / 100
            elif op == "Ts":
                rise = float(operands[0])
            elif op == "Tf":
                font, size = fonts.get(operands[0]), float(operands[1])
            elif op in ("Tj", "TJ", "'", '"') and font is not None:
                if op in ("'", '"'):
                    tm = line = times((1, 0, 0, 1, 0, -leading), line)
                items = operands[0] if op == "TJ" else [operands[-1]]
                start, advance, glyphs = tm, 0.0, 0
                for item in items:
                    if isinstance(item, (bytes, str)) or hasattr(item, "original_bytes"):
                        data = item.original_bytes if hasattr(item, "original_bytes") else bytes(item, "latin-1")
                        width, count = font.advance(data)
                        advance += (width / 1000 * size + char_space * count) * scale
                        glyphs += count
                    else:
                        advance -= float(item) / 1000 * size * scale
                tm = times((1, 0, 0, 1, advance, 0), tm)
                if glyphs:
                    render = times(start, ctm)
                    (x0, y0), (x1, _) = point(render, 0, rise), point(render, advance, rise)
                    self.runs.append(Run(min(x0, x1), max(x0, x1), y0, glyphs))
            elif op == "Do":
                xobject = (resources.get("/XObject") or {}).get(operands[0])
                xobject = xobject.get_object() if xobject is not None else None
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                    self.walk(xobject, xobject.get("/Resources") or resources, times(matrix, ctm))
        del word_space  # spaces are glyphs of their own in the fonts these PDFs embed


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    text: str  # pypdf's extraction, whitespace runs made single spaces
    runs: tuple[Run, ...]

    def outside(self, tolerance: float = 0.5) -> list[Run]:
        """The runs of text drawn (even in part) beyond the page's edges."""
        return [r for r in self.runs if r.left < -tolerance or r.right > self.width + tolerance
                or not -tolerance <= r.y <= self.height + tolerance]


def pages(pdf: bytes) -> list[Page]:
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for number, page in enumerate(reader.pages, start=1):
        walker = _Walker(reader)
        contents = page.get_contents()
        if contents is not None:
            walker.walk(contents, page.get("/Resources") or {}, IDENTITY)
        box = page.mediabox
        out.append(Page(number, float(box.width), float(box.height), " ".join(page.extract_text().split()),
                        tuple(walker.runs)))
    return out


def squeezed(text: str) -> str:
    """Text without spaces nor hyphens: a header hyphenated or wrapped in a narrow column still matches."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-\u00ad\u2010")


def assert_printable(pdf: bytes, subject: str) -> list[Page]:
    """Every page: nothing drawn outside the page box, the document's subject and « page n/N » at its
    foot. The pages."""
    found = pages(pdf)
    for page in found:
        assert not page.outside(), (f"page {page.number}: text beyond the page box ({page.width:.0f} pt wide): "
                                    f"{page.outside()[:3]}")
        assert squeezed(subject) in squeezed(page.text), f"page {page.number} lacks the subject « {subject} »"
        assert f"page {page.number}/{len(found)}" in page.text, f"page {page.number} lacks its number"
    return found


def assert_headers_on_each_page(found: list[Page], rows: str, headers: tuple[str, ...]) -> int:
    """On every page showing `rows` (a text only the table's rows hold), the table's headers — the last
    column's included: the header row repeated where the table breaks, and no column cut off. The
    number of such pages."""
    showing = [page for page in found if squeezed(rows) in squeezed(page.text)]
    for page in showing:
        for header in headers:
            assert squeezed(header) in squeezed(page.text), f"page {page.number} lacks the header « {header} »"
    return len(showing)
