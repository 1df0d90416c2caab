"""`gqrec export`: every record in the tables of EXPORT.md, for analysts' SQL (SQLite) or spreadsheets
(CSV): `schema` declares the tables, `rows` computes them from the Registry, `sqlite` and `csv_` write
them atomically, `produce` is the library entry the command calls."""
