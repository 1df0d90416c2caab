"""One group at a glance (`gqrec status`): for each group, the meetings held against those the charter
expects so far this year, the meetings planned ahead, the roll calls to record, the contracts missing,
the feedback periods pending and the attendance trend — figures from the Registry (`figures`), then one
renderer per format."""

from ..formats import Formats, Renderer

FORMATS = Formats()  # `gqrec status --format`, each renderer imported when used
FORMATS.add("text", Renderer("gqrec.status.text:render", "texte pour le terminal"))
FORMATS.add("json", Renderer("gqrec.status.json_:render", "objet JSON (dates ISO), pour un script"))
