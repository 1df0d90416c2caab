"""Individual feedback rows encrypted at rest: what keeps the records repository from tying a code to
a physician (threat model: docs/feedback.md).

A feedback file (`regions/<région>/feedback/<période>.csv`) holds each physician's numerators and
denominators. Kept in clear in git, anyone holding the repository could compute each member's rates
and match them with a group profile's coded rates. So the file is *sealed*: its CSV text, compressed,
is encrypted with AES-SIV (`cryptography`), under a key derived (HKDF-SHA256) from the feedback key
that already codes the members (GQREC_FEEDBACK_KEY or --key-file, never in the repository). A sealed
file keeps its name and is text: a first line saying what it is, then base64.

AES-SIV is deterministic: the same rows under the same key give the same bytes, so sealing again an
unchanged file (or regenerating the demo archive) changes nothing in git; it reveals only that two
files are identical. Without the key, gqrec can tell a sealed file from a clear one and nothing more.

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
import zlib
from functools import lru_cache

from .errors import RecordsError

KEY_ENV = "GQREC_FEEDBACK_KEY"
MIN_KEY_BYTES = 16
MARKER = b"# gqrec-sealed v1"
HEADER = MARKER + " : retours d'information chiffrés ; les lire : gqrec unseal FICHIER (docs/feedback.md)\n".encode()
_INFO = b"gqrec feedback rows v1"


WRONG_KEY = "fichier chiffré qui ne s'ouvre pas avec la clé donnée"  # how `check.unopened` knows the finding


class SealError(RecordsError):
    """A sealed file that cannot be opened (no key, another key, damaged); the message is French. The
    reading turns it into a finding on the file (GQ001), `unseal` into a refusal."""


def is_sealed(raw: bytes) -> bool:
    """True for the bytes of a sealed file (a UTF-8 BOM before the marker is allowed)."""
    return raw.startswith(MARKER) or raw.startswith(b"\xef\xbb\xbf" + MARKER)


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


def seal(text: str | bytes, key: bytes, level: int = 9) -> bytes:
    """The sealed bytes of a feedback CSV (text, or its bytes as received). Committed files are packed
    hard (`level` 9: small diffs in git); the cache packs lightly (1), since it reseals every feedback
    file on a cold run and zlib's slowest level cost a second on the national archive."""
    data = _cipher(key).encrypt(zlib.compress(text.encode("utf-8") if isinstance(text, str) else text, level), None)
    return HEADER + base64.encodebytes(data)


def unseal(raw: bytes, key: bytes | None, limit: int) -> bytes:
    """The CSV bytes of a sealed file; SealError (French) without a key, under another key, or when the
    file is damaged or would open to more than `limit` bytes."""
    if key is None:
        raise SealError(f"fichier chiffré et pas de clé ({KEY_ENV} ou --key-file).")
    body = raw.split(b"\n", 1)[1] if b"\n" in raw else b""
    from cryptography.exceptions import InvalidTag

    try:
        data = _cipher(key).decrypt(base64.b64decode(body.replace(b"\n", b"").replace(b"\r", b""), validate=True), None)
    except (InvalidTag, binascii.Error, ValueError):
        raise SealError(f"{WRONG_KEY} : autre clé, ou fichier abîmé (rechiffrez l'export d'origine avec gqrec seal).") from None
    inflate = zlib.decompressobj()
    try:
        text = inflate.decompress(data, limit + 1)
    except zlib.error:
        raise SealError("fichier chiffré dont le contenu est abîmé : rechiffrez l'export d'origine.") from None
    if len(text) > limit or inflate.unconsumed_tail:
        raise SealError(f"fichier chiffré trop gros une fois ouvert (plus de {limit // 1024} Kio).")
    return text
