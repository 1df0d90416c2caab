"""The prescription-profile feedback (retour d'information): profiles computed from the Registry
(`profiles`), members shown under the codes of `member_codes`, one renderer per format (`md`, `html`, `csv_`,
`json_`, listed in `FORMATS`, each imported when used), and `produce`, what the `gqrec feedback` command
calls. docs/feedback.md explains it in French."""

from ..formats import Formats, Renderer

FORMATS = Formats()
FORMATS.add("md", Renderer("gqrec.feedback.md:render", "Markdown"))
FORMATS.add("html", Renderer("gqrec.feedback.html:render", "page autonome imprimable"))
FORMATS.add("csv", Renderer("gqrec.feedback.csv_:render", "un tableau, une ligne par population et indicateur"))
FORMATS.add("json", Renderer("gqrec.feedback.json_:render", "l'objet des profils"))
