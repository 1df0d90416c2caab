"""A bundle signed with an SSH key, the mechanism git uses to sign commits: `ssh-keygen -Y sign` writes
FILE.sig beside FILE; `ssh-keygen -Y find-principals` and `-Y verify` check it against an allowed signers
file (one line a signer: identity, key type, public key). Real `ssh-keygen` subprocesses: a signature is
only as good as the tool that checks it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ...errors import UsageError
from . import NAMESPACE


class SignatureError(UsageError):
    """A signature that cannot be made or does not hold, in French, naming the file."""


def signature_path(path: Path) -> Path:
    return path.with_name(path.name + ".sig")


def _ssh_keygen(*args: str, stdin: bytes | None = None, interactive: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["ssh-keygen", *args], input=stdin, capture_output=not interactive,
                              stderr=subprocess.PIPE if interactive else None, check=False)
    except FileNotFoundError:
        raise SignatureError("ssh-keygen est introuvable sur cette machine (paquet openssh-client) : impossible "
                             "de signer ou de vérifier un paquet.") from None


def _said(proc: subprocess.CompletedProcess) -> str:
    text = (proc.stderr or b"").decode("utf-8", "replace").strip()
    return f" (ssh-keygen : {text.splitlines()[-1]})" if text else ""


def sign(path: Path, key: Path) -> Path:
    """Sign the file at `path` with the private key `key`; the signature is written to path.sig (replaced)."""
    if not Path(key).is_file():
        raise SignatureError(f"clé de signature introuvable : {key}")
    sig = signature_path(path)
    sig.unlink(missing_ok=True)  # ssh-keygen would not replace an old signature
    proc = _ssh_keygen("-q", "-Y", "sign", "-n", NAMESPACE, "-f", str(key), str(path), interactive=True)
    if proc.returncode != 0 or not sig.is_file():
        raise SignatureError(f"{path} : la signature avec la clé {key} a échoué{_said(proc)}.")
    return sig


def signer(path: Path, data: bytes, allowed_signers: Path) -> str:
    """The identity of allowed_signers whose key signed `data` (the bytes of the file at `path`, read once),
    or SignatureError: no path.sig, or a signature no allowed signer made, or one that does not match."""
    sig = signature_path(path)
    if not sig.is_file():
        raise SignatureError(f"{path} : signature absente ({sig.name} attendu à côté du paquet), alors que "
                             f"--allowed-signers est donné.")
    found = _ssh_keygen("-Y", "find-principals", "-n", NAMESPACE, "-s", str(sig), "-f", str(allowed_signers))
    identities = (found.stdout or b"").decode("utf-8", "replace").split()
    if found.returncode != 0 or not identities:
        raise SignatureError(f"{path} : la signature {sig.name} n'est d'aucun signataire autorisé de "
                             f"{allowed_signers}{_said(found)}.")
    identity = identities[0]
    checked = _ssh_keygen("-Y", "verify", "-n", NAMESPACE, "-I", identity, "-s", str(sig),
                          "-f", str(allowed_signers), stdin=data)
    if checked.returncode != 0:
        raise SignatureError(f"{path} : signature invalide (le fichier a changé depuis sa signature par "
                             f"{identity}){_said(checked)}.")
    return identity
