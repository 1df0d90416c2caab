"""Invented records and the public key that seals them: gqrec's sample (`records/`) and the archives
`gqrec demo` writes. Their feedback files are sealed with DEMO_KEY, which is public so that anyone can
run `make run` and the tests; that key protects nothing, so it must never seal, code or open real rows.

Records say they are invented with `demo: true` in their federation.yaml (the sample's does, `gqrec
demo` writes it, `gqrec init` never does). Decided so rather than from the data (no RPPS range tells an
invented number from a real one: the generator draws « 10 », eight digits and the Luhn key, as real ones
are): one explicit line, which a real repository has no reason to carry, and which a reviewer sees.
The commands that seal, code or publish under the key (`seal`, `rekey --to`, `feedback`, `export
--pseudonymise`, `report`) refuse DEMO_KEY on records without it (exit 2); `check` and `unseal` still
read with it, to let a repository that used it find its files and move them to a secret key (`gqrec
rekey --from`).
"""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError
from .fsio import ReadError, read_small_file
from .layout import path_of

# The key of invented archives (the sample records, the benchmark, the tests): public, so it protects
# nothing and must never seal real rows.
DEMO_KEY = "gqrec-demo-cle-publique-donnees-inventees"
DEMO_FIELD = "demo"  # federation.yaml: `demo: true` on invented records only
MAX_FEDERATION_BYTES = 1 << 20


class DemoKeyRefusal(UsageError):
    """The public demo key given for records that are not invented (French message, exit 2)."""


def is_demo(root: Path) -> bool:
    """Whether the records at root say they are invented (`demo: true` in their federation.yaml)."""
    from .parse import ParseError, decode, parse_yaml

    try:
        raw = read_small_file(Path(root) / path_of("federation"), MAX_FEDERATION_BYTES, "La fiche nationale")
        data = parse_yaml(decode(raw)).data
    except (ReadError, ParseError):
        return False
    return data.get(DEMO_FIELD) is True


def refuse_demo_key(key: bytes | None, root: Path, what: str) -> None:
    """DemoKeyRefusal when `key` is the public demo key and the records at root are not invented; `what`
    says what the command would do with it (« chiffrer », « coder les membres »…)."""
    if key != DEMO_KEY.encode() or is_demo(root):
        return
    raise DemoKeyRefusal(
        f"La clé donnée est la clé publique de démonstration de gqrec (« {DEMO_KEY} ») : elle ne protège rien, "
        f"quiconque la connaît ouvre les retours chiffrés et relie chaque code à son médecin. Refus de {what} avec "
        f"elle : les registres de {root} ne sont pas des données inventées (pas de « {DEMO_FIELD}: true » dans "
        "federation.yaml). Engendrez une clé secrète, par exemple « python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(32))' », gardée hors du dépôt ; des fichiers déjà chiffrés avec la clé de "
        "démonstration se rechiffrent avec « gqrec rekey --from ANCIENNE --to NOUVELLE » (docs/feedback.md)."
    )
