"""Click's own texts in French (« Usage : », « Erreur : », « Option manquante »…), so that a coordinator
never meets an English sentence from gqrec.

Click looks its texts up with `gettext`, through the `_` and `ngettext` names each of its modules imports;
`install` points those names at this catalogue (a text it does not hold stays as Click wrote it) and
names Click's parameter types in French; it must run before any option is declared (`gqrec.cli` calls it
first), since a `click.Path` names itself when it is made. The
catalogue is plain data, the msgids being Click's own; `tests/test_french.py` checks that the texts gqrec
shows (every --help, the usual usage errors) hold none of Click's English.
"""

from __future__ import annotations

import importlib

CATALOGUE: dict[str, str] = {
    "Usage:": "Usage :",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Show the version and exit.": "Affiche la version et quitte.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Error: {message}": "Erreur : {message}",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant",
    "Missing command.": "Commande manquante.",
    "argument": "argument",
    "option": "option",
    "parameter": "paramètre",
    "No such command {name!r}.": "Commande inconnue : « {name} ».",
    "No such option {name!r}.": "Option inconnue : « {name} ».",
    "Option {name!r} does not take a value.": "L'option « {name} » ne prend pas de valeur.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Argument {name!r} takes {nargs} values.": "L'argument « {name} » prend {nargs} valeurs.",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un nombre valide.",  # gqrec asks no float
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "« {value} » n'est pas un booléen valide. Valeurs reconnues : {states}",
    "{value!r} is not a valid UUID.": "« {value} » n'est pas un UUID valide.",
    "{name} {filename!r} does not exist.": "{name} « {filename} » introuvable.",
    "{name} {filename!r} is a file.": "{name} « {filename} » est un fichier.",
    "{name} {filename!r} is a directory.": "{name} « {filename} » est un dossier.",
    "{name} {filename!r} is not readable.": "{name} « {filename} » illisible (droits).",
    "{name} {filename!r} is not writable.": "{name} « {filename} » non modifiable (droits).",
    "{name} {filename!r} is not executable.": "{name} « {filename} » non exécutable.",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir le fichier « {filename} » : {message}",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "default: {default}": "par défaut : {default}",
    "required": "obligatoire",
    "env var: {var}": "variable d'environnement : {var}",
    "deprecated": "obsolète",
    "(dynamic)": "(dynamique)",
    "Aborted!": "Abandon.",
    "Do you want to continue?": "Voulez-vous continuer ?",
    "Confirm the action without prompting.": "Confirme l'action sans la demander.",
    "Repeat for confirmation": "Répétez pour confirmer",
    "Error: The two entered values do not match.": "Erreur : les deux valeurs saisies diffèrent.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    "unknown error": "erreur inconnue",
}

PLURALS: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": ("Argument en trop ({args})", "Arguments en trop ({args})"),
    "Takes {nargs} values but 1 was given.": ("Prend {nargs} valeurs, 1 donnée.", "Prend {nargs} valeurs, {len} données."),
    "Did you mean {possibility}?": ("Vouliez-vous dire {possibility} ?", "(Vouliez-vous dire l'une de : {possibilities} ?)"),
    "Option {name!r} requires an argument.": ("L'option « {name} » demande une valeur.",
                                              "L'option « {name} » demande {nargs} valeurs."),
    "{value!r} is not {choice}.": ("« {value} » n'est pas {choice}.", "« {value} » n'est pas l'une des valeurs {choices}."),
    "{value!r} does not match the format {format}.": ("« {value} » n'a pas la forme {format}.",
                                                      "« {value} » n'a aucune des formes {formats}."),
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} valeurs attendues, {len_value} donnée.", "{len_type} valeurs attendues, {len_value} données."),
}

TYPE_NAMES = {"StringParamType": "texte", "FuncParamType": "texte", "IntParamType": "entier",
              "IntRange": "entier", "FloatParamType": "nombre", "FloatRange": "nombre", "BoolParamType": "booléen",
              "DateTime": "date", "File": "fichier"}
MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    forms = PLURALS.get(singular)
    if forms is None:
        return singular if n == 1 else plural
    return forms[0] if n <= 1 else forms[1]  # French: 0 and 1 take the singular


def install() -> None:
    """Point Click's gettext names at the French catalogue, and write headings the French way
    (« Options : »), once per process; harmless to repeat."""
    import click

    class FrenchHelpFormatter(click.HelpFormatter):
        def write_heading(self, heading: str) -> None:
            self.write(f"{'':>{self.current_indent}}{heading} :\n")

    click.Context.formatter_class = FrenchHelpFormatter
    for kind, word in TYPE_NAMES.items():  # the metavars of options without one: TEXTE, ENTIER…
        getattr(click.types, kind).name = word
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
