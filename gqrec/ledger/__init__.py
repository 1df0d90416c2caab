"""Valorisation (REPORTS.md, « The attendance ledger »): the ledger of attendances and indemnities, the
EPP/DPC attestations and the attendance sheet — figures from the Registry (`figures`, `attestation`,
`sheet`), then one renderer per format (`formats`). Everything here but the regional totals names
physicians: `produce` refuses to write it under reports/ or inside the records root."""

from ..formats import Formats, Renderer

FORMATS = Formats()  # `gqrec ledger --format`, each renderer imported when used
FORMATS.add("md", Renderer("gqrec.ledger.md:render", "Markdown"))
FORMATS.add("csv", Renderer("gqrec.ledger.csv_:render", "un tableau par fichier, pour un tableur français (point-virgule, "
                            "UTF-8 avec BOM, virgule décimale ; demande --out)", many=True))
FORMATS.add("json", Renderer("gqrec.ledger.json_:render", "l'objet de REPORTS.md"))
FORMATS.add("html", Renderer("gqrec.ledger.html:render", "page imprimable"))
