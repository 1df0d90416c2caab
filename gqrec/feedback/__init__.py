"""The prescription-profile feedback (retour d'information): profiles computed from the Registry
(`profiles`), member codes and their key (`codes`), one renderer per format (`md`, `html`, `csv_`,
`json_`), and `produce`, what the `gqrec feedback` command calls. docs/feedback.md explains it in French."""
