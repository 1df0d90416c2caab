"""The spreadsheets an association already keeps, read for `gqrec import`: a `.csv` as a French or an
English spreadsheet saves it (`;` or `,`, sniffed; UTF-8 with or without BOM, else Windows-1252) or an
`.xlsx` workbook (openpyxl), as rows of text cells under the columns gqrec knows, each with the line
number the spreadsheet shows.

Headers are matched whatever their case, accents and punctuation (« N° RPPS », « Prénom », « PRENOM »,
« Territoire d'exercice »); other columns are ignored and named. A cell typed as a number by the
spreadsheet (an RPPS shown as 10020030019, or written back as `1.002003001E+10`) is read as the digits
it stands for (`digits`)."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import AuthoringError

# canonical column -> the headers, normalised (`_key`), that name it
HEADERS: dict[str, tuple[str, ...]] = {
    "rpps": ("rpps", "n rpps", "no rpps", "num rpps", "numero rpps", "numero de rpps", "identifiant rpps", "id rpps"),
    "last_name": ("nom", "nom de famille", "nom d usage"),
    "first_name": ("prenom",),
    "name": ("nom affiche", "nom complet", "medecin", "praticien"),
    "territory": ("territoire", "territoire d exercice"),
    "specialty": ("specialite",),
    "animator_trained": ("formation animateur", "formation d animateur", "formation animation"),
    "group": ("groupe", "groupe qualite"),
    "since": ("depuis", "entree", "date d entree", "arrivee", "date d arrivee", "membre depuis"),
}
_BY_KEY = {header: column for column, headers in HEADERS.items() for header in headers}
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]*)?(?:[eE][+]?[0-9]+)?")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


@dataclass(frozen=True)
class Table:
    """A spreadsheet's rows: (line number, {column: text}) for each non-empty row under the header row."""

    name: str
    columns: dict[str, str]  # canonical column -> header as written
    ignored: tuple[str, ...]  # headers gqrec does not read
    rows: tuple[tuple[int, dict[str, str]], ...]


def read_table(path: Path) -> Table:
    """The rows of a .csv or .xlsx file; a French refusal for any other file or an unreadable one."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        lines = _csv_lines(path)
    elif suffix in (".xlsx", ".xlsm"):
        lines = _xlsx_lines(path)
    elif suffix in (".xls", ".ods"):
        raise AuthoringError(f"{path.name} : format {suffix} non lu ; enregistrez le classeur au format .xlsx "
                             "(Excel 2007 et suivants) ou .csv, puis relancez.")
    else:
        raise AuthoringError(f"{path.name} : fichier .csv ou .xlsx attendu.")
    return _table(path.name, lines)


def _table(name: str, lines: list[tuple[int, list[str]]]) -> Table:
    lines = [(number, cells) for number, cells in lines if any(c.strip() for c in cells)]
    if not lines:
        raise AuthoringError(f"{name} est vide : la première ligne donne les colonnes (RPPS, Nom, Prénom…).")
    (_, header), body = lines[0], lines[1:]
    columns: dict[str, tuple[int, str]] = {}
    ignored = []
    for index, title in enumerate(header):
        column = _BY_KEY.get(_key(title))
        if column is None or column in columns:
            if title.strip():
                ignored.append(title.strip())
            continue
        columns[column] = (index, title.strip())
    rows = tuple((number, {column: cells[index].strip() if index < len(cells) else ""
                           for column, (index, _) in columns.items()}) for number, cells in body)
    return Table(name, {column: title for column, (_, title) in columns.items()}, tuple(ignored), rows)


def _key(title: str) -> str:
    """A header as compared: no accents, lower case, punctuation as spaces (« N° RPPS » -> "n rpps")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.lower()).split())


def _csv_lines(path: Path) -> list[tuple[int, list[str]]]:
    raw = _read(path)
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise AuthoringError(f"{path.name} n'est ni en UTF-8 ni en Windows-1252 : réenregistrez-le en "
                                 "« CSV UTF-8 ».") from None
    sample = "\n".join(text.splitlines()[:20])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    try:
        for cells in reader:
            lines.append((reader.line_num, cells))
    except csv.Error as error:
        raise AuthoringError(f"{path.name}, ligne {reader.line_num} : CSV illisible ({error}).") from None
    return lines


def _xlsx_lines(path: Path) -> list[tuple[int, list[str]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise AuthoringError(f"{path.name} : classeur .xlsx illisible ({type(error).__name__}).") from None
    try:
        sheets = workbook.worksheets
        lines_of = [[(number, [_cell(v) for v in values])
                     for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)] for sheet in sheets]
    finally:
        workbook.close()
    for lines in lines_of:  # the first sheet with an RPPS column, else the first
        header = next((cells for _, cells in lines if any(c.strip() for c in cells)), [])
        if any(_BY_KEY.get(_key(c)) == "rpps" for c in header):
            return lines
    return lines_of[0] if lines_of else []


def _cell(value) -> str:
    """A workbook cell as the text it shows: a whole number without « .0 », a date as AAAA-MM-JJ."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise AuthoringError(f"{path} illisible ({error.strerror or error}).") from None


def digits(cell: str) -> str:
    """The digits an identifier cell stands for: spaces and a leading apostrophe dropped, and a number a
    spreadsheet wrote in its own way (10020030019.0, 1.002003001E+10, 1,002003001E+10) read back as the
    whole number it is; anything else is returned as written, for the caller to refuse."""
    text = _SPACES.sub("", cell).lstrip("'")
    if text.isdigit() or not _NUMBER.fullmatch(text):
        return text
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return text
    return str(int(number)) if number == number.to_integral_value() else text
