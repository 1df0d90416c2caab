"""Individual feedback rows encrypted at rest: what keeps the records repository from tying a code to
a physician (threat model: docs/feedback.md).

A feedback file (`regions/<région>/feedback/<période>.csv`) holds each physician's numerators and
denominators. Kept in clear in git, anyone holding the repository could compute each member's rates
and match them with a group profile's coded rates. So the file is *sealed*: its CSV text, compressed,
is encrypted with AES-SIV (`cryptography`), under a key derived (HKDF-SHA256) from the feedback key
that already codes the members (GQREC_FEEDBACK_KEY or --key-file, never in the repository). A sealed
file keeps its name and is text: a first line saying what it is, then base64.

A sealed file is bound to its place (format v2): its region and period are written in its first line
and are the associated data of the seal, so a file copied to another period (`cp 2024-S1.csv
2025-S1.csv`) or moved from another region does not open there, and editing the first line to match
breaks the seal. Files of format v1 (before the binding: no associated data) still open; the reading
says so (GQ120) and `gqrec seal FILE` seals them again in v2 (docs/feedback.md).

AES-SIV is deterministic: the same rows under the same key at the same place give the same bytes, so
sealing again an unchanged file (or regenerating the demo archive) changes nothing in git; it reveals
only that two files are identical. Without the key, gqrec can tell a sealed file from a clear one and
nothing more.

The key is never a setting of the process: a command loads it once (`member_codes.load_key`, which
checks where it comes from) and hands it explicitly to what it runs — the `Pipeline`, hence the reading
stage, its forked workers and the cache signature (`fingerprint`). A library caller passes its key the
same way (None: no key); nothing here reads GQREC_FEEDBACK_KEY behind its back.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import zlib
from functools import lru_cache
from typing import NamedTuple

from .errors import RecordsError

KEY_ENV = "GQREC_FEEDBACK_KEY"
MIN_KEY_BYTES = 16
MARKER = b"# gqrec-sealed v"  # then the format's number: 1 (unbound), 2 (bound to its region and period)
_HELP = " : retours d'information chiffrés ; les lire : gqrec unseal FICHIER (docs/feedback.md)\n"
HEADER_V1 = MARKER + b"1" + _HELP.encode()  # what the cache still seals its own entries with (no place)
_V2 = re.compile(rb"# gqrec-sealed v2 ([a-z0-9][a-z0-9-]*)/([0-9]{4}-[ST][1-4]) :")
_INFO = b"gqrec feedback rows v1"
_AAD = b"gqrec feedback place v2"


WRONG_KEY = "fichier chiffré qui ne s'ouvre pas avec la clé donnée"  # how `check.unopened` knows the finding


class Place(NamedTuple):
    """Where a sealed feedback file belongs: its region's slug and its period (« 2024-S1 »)."""

    region: str
    period: str

    def __str__(self) -> str:
        return f"{self.region}/{self.period}"


class SealError(RecordsError):
    """A sealed file that cannot be opened (no key, another key, another place, damaged); the message is
    French. The reading turns it into a finding on the file (GQ001), `unseal` into a refusal."""


def is_sealed(raw: bytes) -> bool:
    """True for the bytes of a sealed file (a UTF-8 BOM before the marker is allowed)."""
    return raw.startswith(MARKER) or raw.startswith(b"\xef\xbb\xbf" + MARKER)


def sealed_place(raw: bytes) -> Place | None:
    """The place a sealed file of format v2 says it belongs to; None for a file of format v1 (unbound)."""
    match = _V2.match(raw.removeprefix(b"\xef\xbb\xbf"))
    return Place(match[1].decode(), match[2].decode()) if match else None


def fingerprint(key: bytes | None) -> str:
    """What the cache keys on for a run's key: a keyed digest that says nothing of the key or rows,
    so findings judged without a key (or with another) are never reused with this one."""
    if key is None:
        return ""
    return hmac.new(key, b"gqrec cache fingerprint", hashlib.sha256).hexdigest()[:16]


@lru_cache(maxsize=4)
def _cipher(key: bytes):
    """AES-SIV under a 512-bit key derived from the feedback key (imported only when a file is sealed
    or opened: a check without sealed files pays nothing for it)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return AESSIV(HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=_INFO).derive(key))


def _associated(place: Place | None) -> list[bytes] | None:
    return None if place is None else [_AAD, place.region.encode(), place.period.encode()]


def seal(text: str | bytes, key: bytes, place: Place | None, level: int = 9) -> bytes:
    """The sealed bytes of a feedback CSV (text, or its bytes as received) bound to `place` (format v2);
    None: unbound (format v1), what the cache uses for its own copies. Committed files are packed hard
    (`level` 9: small diffs in git); the cache packs lightly (1), since it reseals every feedback file on
    a cold run and zlib's slowest level cost a second on the national archive."""
    data = zlib.compress(text.encode("utf-8") if isinstance(text, str) else text, level)
    sealed = _cipher(key).encrypt(data, _associated(place))
    header = HEADER_V1 if place is None else MARKER + f"2 {place}".encode() + _HELP.encode()
    return header + base64.encodebytes(sealed)


def unseal(raw: bytes, key: bytes | None, limit: int, place: Place | None = None) -> bytes:
    """The CSV bytes of a sealed file found at `place` (None: wherever it is, as its first line says);
    SealError (French) without a key, under another key, at another place than the one it was sealed
    for, or when the file is damaged or would open to more than `limit` bytes. A file of format v1
    opens anywhere (`sealed_place` tells it apart)."""
    if key is None:
        raise SealError(f"fichier chiffré et pas de clé ({KEY_ENV} ou --key-file).")
    bound = sealed_place(raw)
    if bound is not None and place is not None and bound != place:
        raise SealError(f"fichier chiffré pour {bound}, trouvé à la place de {place} : copié ou déplacé d'une autre "
                        "période ou région, il ne vaut pas ici. Remettez le fichier de cette période (gqrec seal --to).")
    body = raw.split(b"\n", 1)[1] if b"\n" in raw else b""
    from cryptography.exceptions import InvalidTag

    try:
        data = _cipher(key).decrypt(base64.b64decode(body.replace(b"\n", b"").replace(b"\r", b""), validate=True),
                                    _associated(bound))
    except (InvalidTag, binascii.Error, ValueError):
        raise SealError(f"{WRONG_KEY} : autre clé, fichier abîmé, ou copié d'ailleurs avec sa première ligne modifiée "
                        "(rechiffrez l'export d'origine avec gqrec seal).") from None
    inflate = zlib.decompressobj()
    try:
        text = inflate.decompress(data, limit + 1)
    except zlib.error:
        raise SealError("fichier chiffré dont le contenu est abîmé : rechiffrez l'export d'origine.") from None
    if len(text) > limit or inflate.unconsumed_tail:
        raise SealError(f"fichier chiffré trop gros une fois ouvert (plus de {limit // 1024} Kio).")
    return text
