"""The attestations as PDF, drawn with ReportLab rather than laid out from their HTML by WeasyPrint: a
national year is some 2,600 attestations, and WeasyPrint takes about 0,1 s of layout for each A4 page of
such a table (measured: 232 s and 869 MiB for a national year), where ReportLab draws one in about
0,015 s. The sheets are those of the printable HTML (`attestation_html.paginate`: the same rows on each
page, the signature kept with the last rows), each headed with the physician, RPPS and « page 1/2 »; the
letterhead, title, statement, DPC action number, table and signature are those of the HTML page. A region
whose letterhead logo is an SVG drawing gets its attestations from WeasyPrint, which draws SVG.

Long runs are shared out between forked worker processes (`workers`), each drawing and writing a batch."""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Iterator

from .. import i18n
from ..french import counted
from ..fsio import write_files
from ..workers import fork_pool, workers
from .attestation import Attestation, Attestations
from ..document import pdf
from . import attestation_html
from .attestation_html import paginate, title

ACCENT, MUTED, LINE, PALE = "#2c5282", "#4a5568", "#cbd5e0", "#e2e8f0"
MARGINS = (16, 15)  # mm, top/bottom and left/right, as the HTML's @page
FONT_PLACES = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
               "/usr/local/share/fonts", "/Library/Fonts")


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """(regular, bold) font names registered with ReportLab: DejaVu Sans as the HTML pages use, where the
    system has it, else the Bitstream Vera that ReportLab ships (the same letters, fewer scripts)."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    rl_config.useA85 = 0  # binary streams: no ASCII85 pass over every page and font

    for folder in FONT_PLACES:
        regular, bold = Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont("GqSans", str(regular)))
            pdfmetrics.registerFont(TTFont("GqSans-Bold", str(bold)))
            break
    else:
        pdfmetrics.registerFont(TTFont("GqSans", "Vera.ttf"))
        pdfmetrics.registerFont(TTFont("GqSans-Bold", "VeraBd.ttf"))
    from reportlab.lib.fonts import addMapping

    addMapping("GqSans", 0, 0, "GqSans")
    addMapping("GqSans", 1, 0, "GqSans-Bold")
    return "GqSans", "GqSans-Bold"


@lru_cache(maxsize=1)
def _styles() -> dict:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=10, leading=13)
    return {
        "association": ParagraphStyle("association", base, fontName=bold, fontSize=12, leading=15,
                                      textColor=HexColor(ACCENT)),
        "small": ParagraphStyle("small", base, fontSize=8, leading=10, textColor=HexColor(MUTED)),
        "title": ParagraphStyle("title", base, fontName=bold, fontSize=18, leading=23, alignment=TA_CENTER,
                                textColor=HexColor(ACCENT), spaceBefore=6),
        "subtitle": ParagraphStyle("subtitle", base, alignment=TA_CENTER, textColor=HexColor(MUTED), spaceAfter=8),
        "statement": ParagraphStyle("statement", base, fontSize=10.5, leading=14, spaceBefore=4, spaceAfter=6),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", base, fontName=bold, fontSize=8.5, leading=10.5),
        "signature": ParagraphStyle("signature", base, fontSize=10, leading=13),
    }


@lru_cache(maxsize=64)
def _png(uri: str) -> tuple[bytes, int, int] | None:
    """The logo's bytes and size once decoded whole (once a region), or None when Pillow cannot read it."""
    from reportlab.lib.utils import ImageReader

    raw = base64.b64decode(uri.partition(";base64,")[2])
    try:
        image = ImageReader(io.BytesIO(raw))
        image.getRGBData()
        width, height = image.getSize()
    except Exception:  # noqa: BLE001 — a PNG that cannot be drawn is left out, as a logo `logo_uri` refused is
        return None
    return raw, width, height


def _logo(uri: str | None, high: float = 40, wide: float = 110):
    """The letterhead's PNG logo (a data URI of `document.letterhead.logo_uri`) as an image of at most
    high × wide points, or None (an SVG logo goes through WeasyPrint instead: `documents`)."""
    from reportlab.platypus import Image

    png = _png(uri) if uri else None
    if png is None:
        return None
    raw, width, height = png
    scale = min(high / height, wide / width)
    return Image(io.BytesIO(raw), width * scale, height * scale)


def _letterhead(a: Attestation, logo):
    from reportlab.platypus import Paragraph, Table, TableStyle

    s = _styles()
    head = a.letterhead
    text = [Paragraph(escape(a.association), s["association"])]
    contact = " · ".join(escape(head[key]) for key in ("address", "phone", "email") if head.get(key))
    if contact:
        text.append(Paragraph(contact, s["small"]))
    if head.get("odpc"):
        text.append(Paragraph(f"Organisme de DPC enregistré auprès de l'ANDPC sous le n° {escape(head['odpc'])}",
                              s["small"]))
    if logo is None:
        return text
    table = Table([[logo, text]], colWidths=[logo.drawWidth + 12, None], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [table]


def _head(a: Attestation, logo) -> list:
    from reportlab.platypus import Paragraph

    s = _styles()
    groups = " et ".join(a.groups)
    out = [*_letterhead(a, logo),
           Paragraph("Attestation de participation", s["title"]),
           Paragraph(f"Groupes Qualité — évaluation des pratiques professionnelles (EPP / DPC) — année {a.year}",
                     s["subtitle"]),
           Paragraph(f"L'association {escape(a.association)} atteste que <b>{escape(a.name)}</b> "
                     f"(RPPS {escape(a.physician)}) a participé en {a.year} à "
                     f"{counted(len(a.lines), 'réunion', 'réunions')} de pairs ({escape(groups)}, {escape(a.region)}), "
                     f"soit <b>{escape(i18n.duration(a.minutes))}</b> de travail en groupe.", s["statement"])]
    if a.dpc_action:
        out.append(Paragraph(f"Action de DPC n° <b>{escape(a.dpc_action)}</b>.", s["statement"]))
    return out


def _table(a: Attestation, rows, several: bool, last: bool, width: float):
    from reportlab.lib.colors import HexColor
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table, TableStyle

    s = _styles()
    regular, bold = fonts()
    heads = ["Date", *(["Groupe"] if several else []), "Thème", "Rôle", "Durée"]
    shares = [0.19, *([0.27] if several else []), None, 0.12, 0.09]
    theme_share = 1 - sum(x for x in shares if x is not None)
    widths = [width * (x if x is not None else theme_share) for x in shares]
    def cell(text: str, share_width: float):
        """Text that fits its column on one line as is (no paragraph to lay out), else a wrapping paragraph."""
        if stringWidth(text, regular, 8.5) <= share_width - 12:
            return text
        return Paragraph(escape(text), s["cell"])

    group_width, theme_width = (widths[1], widths[2]) if several else (0, widths[1])
    data = [heads]
    for line in rows:
        data.append([i18n.day(line.day), *([cell(line.group, group_width)] if several else []),
                     cell(line.theme, theme_width), line.role, i18n.duration(line.minutes)])
    style = [("FONT", (0, 0), (-1, -1), regular, 8.5), ("GRID", (0, 0), (-1, -1), 0.6, HexColor(LINE)),
             ("FONT", (0, 0), (-1, 0), bold, 8.5), ("BACKGROUND", (0, 0), (-1, 0), HexColor(PALE)),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("ALIGN", (-1, 0), (-1, -1), "RIGHT"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
    if last:
        data.append(["Total", *[""] * (len(heads) - 2), i18n.duration(a.minutes)])
        style += [("SPAN", (0, -1), (-2, -1)), ("FONT", (0, -1), (-1, -1), bold, 8.5),
                  ("BACKGROUND", (0, -1), (-1, -1), HexColor("#f7fafc"))]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _signature(a: Attestation, width: float):
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph, Table, TableStyle

    s = _styles()
    place = a.letterhead.get("place")
    made = f"Fait à {escape(place)}, le" if place else "Fait le"
    block = Table([[Paragraph(f"{made} {escape(i18n.day(a.issued))},<br/>pour l'association {escape(a.association)},"
                              f"<br/>{escape(a.signatory_title)}", s["signature"])],
                   [""], [Paragraph(escape(a.signatory or ""), s["signature"])]],
                  colWidths=[width * 0.45], rowHeights=[None, 36, None], hAlign="RIGHT")
    block.setStyle(TableStyle([("LINEBELOW", (0, 1), (0, 1), 0.6, HexColor(LINE)),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (0, 0), 10)]))
    return block


def document(a: Attestation, logo_uri: str | None = None) -> bytes:
    """One physician's attestation as a PDF."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    regular, _ = fonts()
    several = len(a.groups) > 1
    sheets = paginate(a.lines, several)
    top, side = MARGINS[0] * mm, MARGINS[1] * mm
    width = A4[0] - 2 * side

    def story() -> list:
        out = []
        for number, rows in enumerate(sheets, start=1):
            if number > 1:
                out.append(PageBreak())
            if number == 1:
                out += _head(a, _logo(logo_uri))
            out.append(_table(a, rows, several, number == len(sheets), width))
            if number == len(sheets):
                out.append(_signature(a, width))
        return out

    running = f"{a.name} — RPPS {a.physician} — attestation {a.year}"

    def build(total: int) -> tuple[bytes, int]:
        def head(canvas, doc) -> None:
            canvas.saveState()
            canvas.setFont(regular, 8)
            canvas.setFillColor(HexColor(MUTED))
            y = A4[1] - top + 8
            canvas.drawString(side, y, running)
            canvas.drawRightString(A4[0] - side, y, f"page {doc.page}/{total}")
            canvas.setStrokeColor(HexColor(PALE))
            canvas.line(side, y - 3, A4[0] - side, y - 3)
            canvas.restoreState()

        out = io.BytesIO()
        template = SimpleDocTemplate(out, pagesize=A4, leftMargin=side, rightMargin=side, topMargin=top + 8,
                                     bottomMargin=top, title=f"{title(a.year)} — {a.name}", author=a.association,
                                     subject=f"Attestation de participation {a.year} — {a.name}")
        template.build(story(), onFirstPage=head, onLaterPages=head)
        return out.getvalue(), template.page

    data, pages = build(len(sheets))
    if pages != len(sheets):  # a sheet longer than its page: numbered again with the true count
        data, _ = build(pages)
    return data


def documents(found: Attestations, chosen) -> dict[str, bytes]:
    """The PDFs of the attestations `chosen` ((file stem, attestation) pairs): drawn here, or, under an SVG
    logo, which ReportLab does not draw, laid out by WeasyPrint from the printable page."""
    out = {}
    for stem, a in chosen:
        logo = found.logos.get(a.region_id)
        if logo and logo.startswith("data:image/svg"):
            out[stem] = pdf.document(attestation_html.render(found, a))
        else:
            out[stem] = document(a, logo)
    return out


BATCH = 40  # attestations a worker draws and writes at a time
_JOB: tuple | None = None  # (attestations, batches, folder), set before the workers fork, read in them


def write(found: Attestations, stems: list[str], folder: Path, jobs: int | None = None,
          batch: int = BATCH) -> Iterator[Path]:
    """Draw and write each attestation's PDF (`<stem>.pdf`, 0600) into folder, yielding the paths as they
    are written: in forked worker processes, `batch` attestations at a time, when there are several batches."""
    global _JOB
    chosen = list(zip(stems, found.pages))
    batches = [chosen[start:start + batch] for start in range(0, len(chosen), batch)]
    count = min(workers(jobs), len(batches))
    fonts()  # registered once, before the workers fork
    if count <= 1:
        for batch in batches:
            yield from _write(found, batch, folder)
        return
    _JOB = (found, batches, folder)
    try:
        with fork_pool(count) as pool:
            for paths in pool.map(_write_batch, range(len(batches))):
                yield from paths
    finally:
        _JOB = None


def _write(found: Attestations, batch, folder: Path) -> tuple[Path, ...]:
    return write_files(folder, {f"{stem}.pdf": data for stem, data in documents(found, batch).items()},
                       private=True)  # names a physician


def _write_batch(index: int) -> tuple[Path, ...]:
    """In a worker: one batch of the job it inherited."""
    found, batches, folder = _JOB
    return _write(found, batches[index], folder)
