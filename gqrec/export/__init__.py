"""`gqrec export`: every record in the tables of EXPORT.md, for analysts' SQL (SQLite) or spreadsheets
(CSV): `schema` declares the tables, `rows` computes them from the Registry (physicians as they are or
under `pseudonyms`), `sqlite` and `csv_` write them through `atomic` (the `FORMATS` of `--format`,
each imported when used), `produce` is the library entry the command calls."""

from ..formats import Formats, Renderer

FORMATS = Formats()
FORMATS.add("sqlite", Renderer("gqrec.export.sqlite:write", "une base SQLite (--out FICHIER.db)"))
FORMATS.add("csv", Renderer("gqrec.export.csv_:write", "un fichier par table (--out DOSSIER)"))
