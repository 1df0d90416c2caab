"""Member codes, for the group profiles and the pseudonymised export: a keyed hash of the RPPS, so that
the records repository alone cannot tie a code to a physician, and key loading with the rules that keep
the key out of that repository (the same key seals the individual rows in the repository: `sealing`).

A code is HMAC-SHA256(key, RPPS) written in Crockford's base 32 (no I, L, O, U: nothing to misread),
shortened to five characters: « M-7K3Q9 ». The same key always gives the same code to the same
physician, across groups and periods, so a physician told their code once recognises it every time;
a new key gives new codes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Iterable, Mapping

from .errors import UsageError
from .fsio import ReadError, read_small_file
from .sealing import KEY_ENV, MIN_KEY_BYTES  # a short key could be found by trying keys

MAX_KEY_FILE_BYTES = 4096  # a key is a line; a bigger file is not a key file
CODE_LENGTH = 5
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32


class KeyRefusal(UsageError):
    """The key cannot be used (missing, too short, or kept where it could be committed); French message."""


def _base32(digest: bytes) -> str:
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(len(digest) * 8 // 5):
        number, rest = divmod(number, 32)
        chars.append(ALPHABET[rest])
    return "".join(chars)


def code(key: bytes, rpps: str, length: int = CODE_LENGTH) -> str:
    """The readable code of one physician under one key."""
    digest = hmac.new(key, rpps.encode("ascii"), hashlib.sha256).digest()
    return "M-" + _base32(digest)[:length]


def codes(key: bytes, physicians: Iterable[str]) -> dict[str, str]:
    """Codes for a set of physicians shown together, lengthened only where two would collide (rare:
    about one group of 15 in three million), so each code in a profile stands for one physician."""
    wanted = sorted(set(physicians))
    out = {rpps: code(key, rpps) for rpps in wanted}
    length = CODE_LENGTH
    while len(set(out.values())) < len(out):
        length += 1
        seen: dict[str, int] = {}
        for value in out.values():
            seen[value] = seen.get(value, 0) + 1
        out = {rpps: (code(key, rpps, length) if seen[value] > 1 else value) for rpps, value in out.items()}
    return out


def work_tree(path: Path) -> Path | None:
    """The git work tree holding path (the nearest folder with a `.git` entry), or None."""
    for folder in (path, *path.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def load_key(key_file: str | os.PathLike | None, root: Path, environ: Mapping[str, str] | None = None) -> bytes | None:
    """The coding key: from `key_file` when given, else from the GQREC_FEEDBACK_KEY variable, else None.

    A key file inside the records root or inside the git work tree that holds it is refused: one
    `git add .` would publish it next to the records, and then every code could be reversed.
    """
    environ = os.environ if environ is None else environ
    if key_file is not None:
        path = Path(key_file).expanduser().resolve()
        records = Path(root).resolve()
        if _inside(path, records):
            raise KeyRefusal(
                f"Le fichier de clé {key_file} est dans le dossier des registres ({root}) : placez-le hors du "
                "dépôt (par exemple dans votre dossier personnel), jamais à côté des registres."
            )
        tree = work_tree(records)
        if tree is not None and _inside(path, tree):
            raise KeyRefusal(
                f"Le fichier de clé {key_file} est dans le dépôt git des registres ({tree}) : il pourrait être "
                "commité avec eux. Placez-le hors de ce dépôt."
            )
        try:  # a regular file, bounded: a FIFO would hang, /dev/zero would fill the memory
            raw = read_small_file(path, MAX_KEY_FILE_BYTES, "Le fichier de clé")
        except ReadError as error:
            raise KeyRefusal(f"Fichier de clé illisible : {error}") from None
        key = _key_text(raw, key_file)
        origin = f"Le fichier de clé {key_file}"
    elif environ.get(KEY_ENV):
        try:
            key = environ[KEY_ENV].strip().encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8, kept by Python as lone surrogates
            raise KeyRefusal(f"La variable {KEY_ENV} contient des octets qui ne sont pas du texte UTF-8 : "
                             "donnez la clé telle qu'elle a été engendrée (lettres, chiffres, - et _).") from None
        origin = f"La variable {KEY_ENV}"
    else:
        return None
    if len(key) < MIN_KEY_BYTES:
        raise KeyRefusal(
            f"{origin} contient une clé trop courte ({len(key)} octets, {MIN_KEY_BYTES} au moins) : "
            "engendrez-en une, par exemple avec « python3 -c 'import secrets; print(secrets.token_urlsafe(32))' »."
        )
    return key



def _key_text(raw: bytes, key_file) -> bytes:
    """A key file's key: its UTF-8 text without a BOM (a Windows editor adds one, and it would silently
    be part of another key) nor surrounding blanks; a UTF-16 file is refused, not read as other bytes."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw:
        raise KeyRefusal(f"Le fichier de clé {key_file} est en UTF-16 : enregistrez-le en UTF-8 (la clé seule, "
                         "sur une ligne).")
    return raw.removeprefix(b"\xef\xbb\xbf").strip()


def key_file_notice(key_file: str | os.PathLike | None) -> str | None:
    """The warning for a key file that others may read (as ssh says of a private key), or None."""
    if key_file is None:
        return None
    try:
        mode = os.stat(key_file).st_mode
    except OSError:
        return None
    if mode & 0o077:
        return (f"le fichier de clé {key_file} est lisible par d'autres que vous (droits {mode & 0o777:o}) : "
                f"quiconque le lit relie chaque code à son médecin. Faites « chmod 600 {key_file} ».")
    return None
