"""The library side of `gqrec seal` and `gqrec unseal`: feedback exports sealed into the repository,
and a sealed file opened for its coordinator (to stdout, or to a file kept out of the repository).

The coordinator receives an export in clear, seals it where it belongs (or seals in place the files of
a repository that kept them in clear), and commits only sealed files; `gqrec check` says GQ121 of any
file left in clear. Opening a sealed file is for correcting a row: unseal it outside the repository,
edit it, seal it again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .. import sealing
from ..fsio import write_atomic
from ..budgets import MAX_CSV_BYTES
from ..layout import path_of
from ..records import FEEDBACK_COLUMNS
from ..member_codes import KEY_ENV, work_tree
from ..personal import refusal
from ..roots import RootNotFound, find_root
from .produce import Refusal

HEADER = ",".join(FEEDBACK_COLUMNS)


@dataclass(frozen=True)
class Sealed:
    path: Path
    changed: bool  # False: the file was already sealed under this key


def _key(key: bytes | None) -> bytes:
    if key is None:
        raise Refusal(f"Pas de clé : donnez la clé des retours par la variable {KEY_ENV} ou par --key-file (hors du dépôt).")
    return key


def _read(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise Refusal(f"{path} n'est pas un fichier ordinaire.")
        if path.stat().st_size > MAX_CSV_BYTES:
            raise Refusal(f"{path} est trop gros pour un export de retours (plus de {MAX_CSV_BYTES >> 20} Mio).")
        return path.read_bytes()
    except OSError as error:
        raise Refusal(f"Fichier illisible : {path} ({error.strerror or error}).") from None


def place_of(path: Path) -> sealing.Place | None:
    """The region and period a file stands for in its records (`regions/<région>/feedback/<période>.csv`
    under a records root), or None when it is at no such place (an export received, a copy elsewhere)."""
    from ..layout import Place, classify

    try:
        absolute = Path(path).resolve()
        place = classify(absolute.relative_to(find_root(absolute.parent).resolve()).as_posix())
    except (RootNotFound, ValueError, OSError):
        return None
    return sealing.Place(place.region, place.id) if isinstance(place, Place) and place.kind == "feedback" else None


def seal_file(source: Path, key: bytes | None, to: Path | None = None) -> Sealed:
    """Seal a feedback export in clear, in place or into `to`, bound to the region and period of the place
    it goes to (which must be a feedback file's place in records). A file already sealed there under this
    key is left as it is; one sealed in format v1 (bound to no place) is sealed again in v2; one sealed
    for another place is refused. Refuses what is not a feedback export (its first line is not the CSV
    header)."""
    key = _key(key)
    target = to or source
    place = place_of(target)
    if place is None:
        raise Refusal(f"{target} n'est pas à la place d'un fichier de retour des registres "
                      f"({path_of('feedback', '<région>', '<période>')} sous la racine des registres) : un fichier "
                      "chiffré est lié à sa région et à sa période. Donnez sa place avec --to.")
    raw = _read(source)
    if sealing.is_sealed(raw):
        clear = _opened(source, raw, key, place)
        if to is None and sealing.sealed_place(raw) == place:
            return Sealed(target, False)
        write_atomic(target, sealing.seal(clear, key, place).decode("utf-8"))
        return Sealed(target, True)
    first = raw.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].rstrip(b"\r")
    if first != HEADER.encode():
        raise Refusal(f"{source} n'est pas un export de retours d'information : sa première ligne devrait être « {HEADER} ».")
    write_atomic(target, sealing.seal(raw, key, place).decode("utf-8"))
    return Sealed(target, True)


def _opened(path: Path, raw: bytes, key: bytes, place: sealing.Place | None) -> bytes:
    try:
        return sealing.unseal(raw, key, MAX_CSV_BYTES, place)
    except sealing.SealError as error:
        raise Refusal(f"{path} : {error}") from None


def _clear(path: Path, key: bytes) -> bytes:
    """The clear CSV bytes of a feedback file, opened in memory when sealed (a file in clear as it is), at
    its place in the records when it is at one."""
    raw = _read(path)
    return _opened(path, raw, key, place_of(path)) if sealing.is_sealed(raw) else raw


def unseal_file(path: Path, key: bytes | None) -> str:
    """The clear CSV text of a sealed feedback file (the text itself for a file in clear); one that is
    at another feedback file's place than its own is refused, one out of the records opens as it says."""
    raw = _clear(path, _key(key))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refusal(f"{path} n'est pas un texte UTF-8.") from None


def unseal_into(path: Path, key: bytes | None, out: Path | None = None) -> str | None:
    """The clear text of a sealed feedback file; with `out`, that text written there instead (a place
    `check_clear_destination` allows, checked before anything is read), and None."""
    if out is not None:
        check_clear_destination(out, path)
    text = unseal_file(path, key)
    if out is None:
        return text
    write_atomic(out, text, private=True)  # each physician's rows: 0600
    return None


def records_of(path: Path) -> Path:
    """The records root holding a feedback file: where neither its clear rows nor the key may go (a file
    outside any records root: its git work tree, or its folder)."""
    folder = Path(path).resolve().parent
    try:
        return find_root(folder)
    except RootNotFound:
        return work_tree(folder) or folder


def check_clear_destination(out: Path, sealed: Path) -> None:
    """A clear copy never goes into the records root holding the sealed file (in git or not), nor into
    its git work tree unless git ignores the place, nor under reports/ (`personal.refusal`)."""
    reason = refusal(out, records_of(sealed), "les lignes en clair")
    if reason is not None:
        raise Refusal(reason + " Un `git add` les publierait.")


def rekey(root: Path, old: bytes | None, new: bytes | None) -> tuple[Path, ...]:
    """Every feedback file of the records sealed again under the new key (a file left in clear is sealed
    too), all or nothing: each file is opened with the old key first, in memory (a file that does not
    open refuses the whole change before anything is written), then every new file is written beside
    its target and all are renamed into place together. No clear copy touches the disk. The member
    codes change with the key (docs/feedback.md, « Changer de clé »)."""
    from contextlib import ExitStack

    from ..fsio import replaced, write_all
    from ..layout import REGIONS

    old, new = _key(old), _key(new)
    if old == new:
        raise Refusal("--from et --to donnent la même clé : rien à rechiffrer.")
    paths = sorted(Path(root).glob(f"{REGIONS}/*/feedback/*.csv"))
    try:
        clear = {path: _clear(path, old) for path in paths}
    except Refusal as refusal:
        raise Refusal(f"{refusal} Rien n'a été rechiffré.") from None
    with ExitStack() as stack:
        for path, raw in clear.items():
            temporary = stack.enter_context(replaced(path))
            fd = os.open(temporary, os.O_WRONLY | os.O_TRUNC)
            try:
                write_all(fd, sealing.seal(raw, new, place_of(path)))
            finally:
                os.close(fd)
    return tuple(clear)
