"""The national library as pulled: a region's federation.yaml, themes and indicators are the national
repository's, file for file, as library.lock records them (`gqrec library pull`)."""

from __future__ import annotations

from typing import Iterator

from ..findings import WARNING
from ..kinds import LIBRARY_KINDS
from . import Hit, rule
from .examples import Edit, Example, Lock

RESTORE = ("lancez « gqrec library pull --force » pour reprendre la version nationale, ou rétablissez le "
           "fichier (git checkout) ; un changement de la bibliothèque se propose à la fédération")


@rule(
    "GQ125",
    WARNING,
    "Fichier de la bibliothèque nationale qui diffère de library.lock",
    "La bibliothèque nationale (federation.yaml et sa charte, themes/, indicators/) est la même dans toutes les "
    "régions : chaque région la tire du dépôt national avec « gqrec library pull », qui écrit dans library.lock "
    "le commit tiré et l'empreinte de chaque fichier. Un fichier modifié, supprimé ou ajouté sur place ferait "
    "diverger la région (dossiers documentaires, indicateurs, charte nationale) sans que la fédération le sache, "
    "et le prochain tirage ne le remplacerait pas sans --force.",
    "Lancez « gqrec library pull --force » (la version nationale remplace la modification locale), ou annulez "
    "la modification ; un changement voulu se propose à la fédération, qui le publie pour toutes les régions.",
    summary="Fichier de la bibliothèque nationale (federation.yaml, themes/, indicators/) qui diffère de ce "
            "que library.lock enregistre",
    example=Example("Un thème modifié sur place après « gqrec library pull ».", (
        Lock(),
        Edit("theme", "title: ", "title: (modifié) "),
    ), at=1, fixed=(Lock(),)),
)
def library_as_pulled(registry, conf) -> Iterator[Hit]:
    lock = registry.library_lock
    if lock is None:  # no federation pulled (or a lock GQ001/GQ002 already reports)
        return
    digests = registry.library_digests
    for path, expected in sorted(lock.files.items()):
        got = digests.get(path)
        if got is None:
            line, column = lock.src.keys.get(("files", path)) or lock.src.at("files", path)
            yield Hit(lock.src.path, line, column,
                      f"{path}, que library.lock enregistre, manque dans les registres : {RESTORE}.")
        elif got != expected:
            yield Hit(path, 1, 1, f"Fichier de la bibliothèque nationale modifié depuis le tirage (son empreinte "
                                  f"n'est plus celle de library.lock) : {RESTORE}.")
    for place in registry.places:
        if place.kind in LIBRARY_KINDS and place.path not in lock.files:
            yield Hit(place.path, 1, 1, "Fichier absent de la bibliothèque nationale tirée (library.lock ne le "
                                        "connaît pas) : retirez-le, ou proposez-le à la fédération qui le publiera "
                                        "pour toutes les régions ; « gqrec library pull » ne le remplace ni ne le retire.")
