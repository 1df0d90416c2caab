"""Fictional, fully compliant Groupes Qualité records archives, at any scale.

``generate`` writes a records root: it copies the national library (``federation.yaml``, ``themes/``,
``indicators/``) and writes ``regions/**`` itself — regions, territories, physicians, groups, their
meetings, the yearly programmes, the contracts and the feedback CSVs, sealed as a real repository
keeps them (``sealing``; with DEMO_KEY unless a key is given) — following RECORDS.md so that
``gqrec check`` finds nothing. ``faults`` then plants known faults in the written files: the rules' own
examples (``@rule(..., example=...)``, gqrec/rules/examples.py) of FAULT_RULES, listed in the returned
summary.

Everything comes from one ``random.Random(seed)``; files are written from text templates with sorted
content (and sealing is deterministic), so the same arguments always give byte-identical files. All
people are invented.

The timeline, per region:

- the founding wave of groups is constituted in December of ``first_year - 1`` (late enough that no
  feedback period of that year is judged against them, and that the pro rata of that year's meetings
  is 0), later waves in March or September of generated years;
- each group meets ten times in each full year (every month but July and August), fewer in the year
  it starts; two of these are feedback meetings (January or February for the previous S2, September
  or October for S1), the others thematic, on the themes of the region's programme;
- members occasionally leave and are replaced a few weeks later, animators hand over after some years;
  group sizes never leave the charter's bounds, and each territory's GP count keeps coverage >= 0.5.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ruamel.yaml import YAML

from gqrec.charter import DEFAULTS as CHARTER_DEFAULTS
from gqrec.errors import UsageError
from gqrec.fsio import WriteError, why
from gqrec.ids import luhn_digit
from gqrec.layout import REGIONS, folder_of, path_of
from gqrec.rules import catalogue
from gqrec.rules.examples import Create, plant
from gqrec.sample import DEMO_FIELD, DEMO_KEY  # DEMO_KEY: the public key of invented archives, also imported from here
from gqrec.sealing import Place, seal

DEFAULT_LIBRARY = Path(__file__).resolve().parent.parent.parent / "records"
# The kinds of the kind table (`kinds.KINDS`) that the generator does not invent, and why: every other
# kind is written for each region (tests/test_kinds.py holds the generated archive to this).
NOT_GENERATED: dict[str, str] = {
    "federation": "copied from the library (--library, by default gqrec's records): one national file",
    "theme": "copied from the library: the national themes, which the programmes and meetings name",
    "indicator": "copied from the library: the national indicators, which the feedback rows name",
    "lock": "an invented archive is a national tree: its library is its own, pulled from no national repository",
}

# ---------------------------------------------------------------------------------------------------
# Catalogues: regions, towns, people
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionSpec:
    """A region of the programme: its slug, French name, « de … » form and towns by department."""

    slug: str
    name: str
    of_name: str
    towns_by_department: tuple[tuple[str, tuple[str, ...]], ...]
    breton: bool = False


def _region_spec(slug: str, name: str, of_name: str, towns: dict[str, str], breton: bool = False) -> RegionSpec:
    """A RegionSpec from a {department: "Town, Town, …"} mapping."""
    by_department = tuple((dep, tuple(t.strip() for t in names.split(","))) for dep, names in towns.items())
    return RegionSpec(slug, name, of_name, by_department, breton)


REGION_SPECS: tuple[RegionSpec, ...] = (
    _region_spec("bretagne", "Bretagne", "de Bretagne", {
        "22": "Lamballe, Dinan, Loudéac, Guingamp, Paimpol, Lannion, Rostrenen",
        "29": "Quimperlé, Morlaix, Landerneau, Carhaix-Plouguer, Châteaulin, Douarnenez, Concarneau",
        "35": "Vitré, Fougères, Redon, Montfort-sur-Meu, Janzé, Saint-Méen-le-Grand",
        "56": "Ploërmel, Pontivy, Auray, Questembert, Josselin, Hennebont",
    }, breton=True),
    _region_spec("pays-de-la-loire", "Pays de la Loire", "des Pays de la Loire", {
        "49": "Segré, Saumur, Cholet, Baugé, Doué-la-Fontaine",
        "44": "Châteaubriant, Ancenis, Clisson, Pornic, Guérande, Blain",
        "72": "Sablé-sur-Sarthe, La Flèche, Mamers, Saint-Calais, La Ferté-Bernard",
        "85": "Les Herbiers, Fontenay-le-Comte, Challans, Luçon",
        "53": "Mayenne, Château-Gontier, Évron, Craon",
    }),
    _region_spec("normandie", "Normandie", "de Normandie", {
        "14": "Bayeux, Lisieux, Vire, Falaise, Honfleur",
        "27": "Bernay, Les Andelys, Vernon, Pont-Audemer",
        "50": "Coutances, Avranches, Saint-Lô, Valognes, Granville",
        "61": "Argentan, Flers, L'Aigle, Mortagne-au-Perche",
        "76": "Dieppe, Fécamp, Yvetot, Neufchâtel-en-Bray, Bolbec, Eu",
    }),
    _region_spec("centre-val-de-loire", "Centre-Val de Loire", "du Centre-Val de Loire", {
        "18": "Vierzon, Saint-Amand-Montrond, Aubigny-sur-Nère, Sancerre",
        "28": "Dreux, Châteaudun, Nogent-le-Rotrou, Bonneval",
        "36": "Issoudun, Le Blanc, La Châtre, Argenton-sur-Creuse",
        "37": "Chinon, Loches, Amboise, Bourgueil",
        "41": "Romorantin-Lanthenay, Vendôme, Saint-Aignan, Montoire-sur-le-Loir",
        "45": "Montargis, Pithiviers, Gien, Sully-sur-Loire",
    }),
    _region_spec("hauts-de-france", "Hauts-de-France", "des Hauts-de-France", {
        "59": "Armentières, Hazebrouck, Cambrai, Le Cateau-Cambrésis, Avesnes-sur-Helpe, Maubeuge, "
              "Fourmies, Douai, Bailleul, Seclin, Caudry, Wormhout",
        "62": "Béthune, Saint-Omer, Montreuil, Berck, Saint-Pol-sur-Ternoise, Hesdin, Bapaume, Lillers, "
              "Aire-sur-la-Lys, Marquise, Auxi-le-Château, Bruay-la-Buissière",
    }),
    _region_spec("provence-alpes-cote-d-azur", "Provence-Alpes-Côte d'Azur", "de Provence-Alpes-Côte d'Azur", {
        "04": "Manosque, Digne-les-Bains, Sisteron, Forcalquier",
        "05": "Gap, Briançon, Embrun",
        "06": "Grasse, Menton, Vence",
        "13": "Aubagne, La Ciotat, Salon-de-Provence, Istres, Arles",
        "83": "Brignoles, Draguignan, Hyères, Saint-Maximin-la-Sainte-Baume",
        "84": "Carpentras, Cavaillon, Orange, Apt, Pertuis",
    }),
    _region_spec("picardie", "Picardie", "de Picardie", {
        "80": "Abbeville, Doullens, Péronne, Montdidier, Albert, Ham, Roye, Friville-Escarbotin",
        "02": "Saint-Quentin, Laon, Soissons, Château-Thierry, Hirson, Chauny, Guise, Vervins",
        "60": "Compiègne, Noyon, Clermont, Senlis, Crépy-en-Valois, Breteuil, Grandvilliers, Méru",
    }),
    _region_spec("guadeloupe", "Guadeloupe", "de Guadeloupe", {
        "971": "Basse-Terre, Les Abymes, Baie-Mahault, Le Gosier, Sainte-Anne, Saint-François, Le Moule, "
               "Petit-Bourg, Capesterre-Belle-Eau, Sainte-Rose, Lamentin, Morne-à-l'Eau, Port-Louis, "
               "Trois-Rivières, Bouillante, Vieux-Habitants, Grand-Bourg, Goyave, Deshaies, Saint-Claude",
    }),
    _region_spec("grand-est", "Grand Est", "du Grand Est", {
        "08": "Sedan, Rethel, Givet",
        "10": "Bar-sur-Aube, Nogent-sur-Seine, Romilly-sur-Seine",
        "51": "Épernay, Vitry-le-François, Sainte-Menehould",
        "52": "Chaumont, Langres, Saint-Dizier",
        "54": "Lunéville, Toul, Briey",
        "55": "Verdun, Bar-le-Duc, Commercy",
        "57": "Sarreguemines, Forbach, Sarrebourg, Bitche",
        "67": "Haguenau, Saverne, Sélestat, Wissembourg",
        "68": "Guebwiller, Thann, Altkirch",
        "88": "Saint-Dié-des-Vosges, Remiremont, Neufchâteau",
    }),
    _region_spec("occitanie", "Occitanie", "d'Occitanie", {
        "09": "Foix, Pamiers, Saint-Girons",
        "11": "Limoux, Castelnaudary, Lézignan-Corbières",
        "12": "Millau, Villefranche-de-Rouergue, Espalion",
        "30": "Alès, Le Vigan, Uzès",
        "31": "Saint-Gaudens, Muret, Revel",
        "32": "Auch, Condom, Mirande",
        "46": "Figeac, Gourdon, Souillac",
        "48": "Mende, Marvejols, Langogne",
        "65": "Lourdes, Bagnères-de-Bigorre, Lannemezan",
        "81": "Castres, Gaillac, Mazamet",
    }),
)

FEMALE_FIRST_NAMES = (
    "Anne", "Marie", "Claire", "Isabelle", "Sophie", "Catherine", "Nathalie", "Valérie", "Sandrine",
    "Céline", "Julie", "Camille", "Émilie", "Hélène", "Laure", "Caroline", "Aurélie", "Florence",
    "Christine", "Élodie", "Pauline", "Lucie", "Charlotte", "Mathilde", "Agnès", "Véronique", "Sylvie",
    "Delphine", "Virginie", "Marion", "Clémence", "Juliette", "Estelle", "Béatrice", "Odile", "Léa",
)
MALE_FIRST_NAMES = (
    "Jean", "Pierre", "Philippe", "Michel", "Alain", "Patrick", "François", "Nicolas", "Olivier",
    "Laurent", "Christophe", "Frédéric", "Stéphane", "Éric", "Thierry", "Julien", "Sébastien", "Vincent",
    "David", "Thomas", "Antoine", "Guillaume", "Benoît", "Jérôme", "Matthieu", "Bruno", "Denis", "Yves",
    "Luc", "Hervé", "Didier", "Arnaud", "Romain", "Maxime", "Hugo", "Paul",
)
BRETON_FEMALE_FIRST_NAMES = ("Gwenaëlle", "Nolwenn", "Soizic", "Maïwenn", "Enora", "Katell", "Armelle", "Morgane")
BRETON_MALE_FIRST_NAMES = ("Yann", "Erwan", "Loïc", "Ronan", "Gaël", "Maël", "Goulven", "Yannick", "Tanguy")
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
    "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
    "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier",
    "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly",
    "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Perez", "Marchand", "Dufour",
    "Blanchard", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Renard",
    "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine",
    "Picard", "Gaillard", "Leclercq", "Lacroix", "Fabre", "Dupuis", "Rodriguez", "Da Silva", "Hubert",
    "Charpentier", "Benoît", "Bailly", "Hervé", "Collet", "Poirier", "Marty", "Carré", "Besson",
)
BRETON_LAST_NAMES = (
    "Le Gall", "Le Goff", "Le Roux", "Le Bihan", "Tanguy", "Kerhervé", "Le Floch", "Morvan", "Riou",
    "Le Corre", "Quéré", "Le Bris", "Jaouen", "Le Meur", "Cariou", "Prigent", "Hamon", "Le Gac", "Madec",
    "Kervella", "Le Du", "Le Guen", "Pennec", "Le Berre", "Guillou", "Le Moal", "Caradec", "Le Coz",
    "Guivarc'h", "Le Borgne", "Le Saux", "Le Hir", "Kerdraon", "Le Pape", "Le Bras", "Coatanéa",
)

H_ASPIRE_TOWNS = ("Haguenau", "Ham", "Hazebrouck")
SETTINGS = ("rural", "urban", "mixed")
MEETING_MONTHS = (1, 2, 3, 4, 5, 6, 9, 10, 11, 12)
MEETING_MINUTES = (90, 105, 120, 120, 120, 135, 150)
TUESDAY, THURSDAY = 1, 3
THEMATIC_NOTES = (
    "Cas cliniques tirés au sort parmi les consultations du mois.",
    "Discussion des déterminants de la décision ; les écarts à la recommandation s'expliquent souvent "
    "par le contexte du patient.",
    "Dossier documentaire envoyé dix jours avant la réunion.",
    "Recherche documentaire proposée sur une question restée ouverte.",
    "Échanges sur la coordination avec les pharmaciens et les infirmiers du territoire.",
    "Le groupe souhaite revenir sur ce thème l'an prochain.",
)
ACTIONS = (  # improvement actions a group agrees on, naming the indicator it will watch
    "Appliquer la recommandation du dossier dès la prochaine consultation concernée",
    "Relire nos prescriptions du trimestre à la lumière du dossier documentaire",
    "Mettre à jour le modèle d'ordonnance du cabinet",
    "Remettre la fiche d'information du dossier aux patients concernés",
)
HIGHLIGHTS = (  # idées forces for the COPIL: anonymous, never a patient
    "Les recommandations du dossier sont mieux connues qu'appliquées : l'écart tient au contexte du patient.",
    "La discussion des cas tirés au sort a montré des pratiques plus homogènes qu'attendu.",
    "Le groupe demande un outil d'aide à la décision simple, utilisable en consultation.",
    "La coordination avec les pharmaciens du territoire est un levier identifié.",
    "Le groupe souhaite revoir cet indicateur au prochain retour d'information.",
)
EFFECT = 0.15  # how far a theme that works moves its indicators (share of the way to the best rate)
FEEDBACK_NOTES = (
    "Profils de prescription remis à chacun ; comparaison avec le groupe, la région et le groupe témoin.",
    "Discussion des écarts entre le groupe et le groupe témoin sur les indicateurs de l'année.",
    "Restitution anonyme des résultats du groupe, suivie d'un temps d'échange.",
)


# ---------------------------------------------------------------------------------------------------
# The in-memory archive
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GenerationSummary:
    """What ``generate`` wrote: counts of records and files, and the faults planted on purpose.

    ``files`` counts every file under ``out`` that this call wrote or copied; ``faults`` lists
    ``(rule id, path relative to out)`` pairs, the path being where ``gqrec check`` reports it.
    """

    files: int
    regions: int
    groups: int
    physicians: int
    meetings: int
    contracts: int
    feedback_rows: int
    faults: tuple[tuple[str, str], ...] = ()

    def lines(self) -> list[str]:
        """The summary as `gqrec demo` prints it, in French: each count, then each fault planted."""
        counts = [f"{label} : {getattr(self, key)}" for key, label in SUMMARY_FR.items()]
        return counts + [f"faute {rule} : {path}" for rule, path in self.faults]


SUMMARY_FR = {  # the counts of a GenerationSummary, as `lines` names them
    "files": "fichiers", "regions": "régions", "groups": "groupes", "physicians": "médecins",
    "meetings": "réunions", "contracts": "contrats", "feedback_rows": "lignes de retour",
}


@dataclass
class Tenure:
    """A physician's period as member or animator of a group (both ends included)."""

    physician: str
    since: date
    until: date | None = None

    def active_on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)

    def overlaps(self, first: date, last: date) -> bool:
        return self.since <= last and (self.until is None or first <= self.until)


@dataclass
class Physician:
    """A physician record, plus the habits that drive their attendance and indicator values."""

    rpps: str
    name: str
    territory: str
    attendance: float
    practice_offset: float
    animator_trained: date | None = None
    writes_specialty: bool = True


@dataclass
class Territory:
    slug: str
    name: str
    department: str
    setting: str
    general_practitioners: int = 0
    communes: list[str] = field(default_factory=list)


@dataclass
class Meeting:
    day: date
    kind: str
    minutes: int
    animator: str
    present: list[str]
    absent: list[str]
    theme: str | None = None
    period: str | None = None
    clinical_cases: int | None = None
    notes: str | None = None
    actions: list[tuple[str, str, str]] = field(default_factory=list)  # (text, indicator, review period)
    highlights: list[str] = field(default_factory=list)


@dataclass
class Group:
    slug: str
    name: str
    territory: str
    constituted: date
    wave: int
    animators: list[Tenure] = field(default_factory=list)
    members: list[Tenure] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)


@dataclass
class Contract:
    signed: date
    group: str
    role: str


@dataclass
class Programme:
    validated: date
    themes: list[str]


@dataclass
class Region:
    """One region's records, as they will be written."""

    spec: RegionSpec
    group_size: tuple[int, int]
    charter_override: bool
    coordinator: str = ""
    copil: list[tuple[str, str]] = field(default_factory=list)
    territories: list[Territory] = field(default_factory=list)
    physicians: dict[str, Physician] = field(default_factory=dict)
    animator_pool: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    programmes: dict[int, Programme] = field(default_factory=dict)
    contracts: dict[tuple[int, str], Contract] = field(default_factory=dict)
    feedback: dict[str, list[tuple[str, str, str, int, int]]] = field(default_factory=dict)
    stray_files: dict[str, str] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)

    @property
    def slug(self) -> str:
        return self.spec.slug


@dataclass(frozen=True)
class Library:
    """What the generator needs from the national library: theme ids and indicators by theme."""

    themes: tuple[str, ...]
    indicators_by_theme: dict[str, tuple[str, ...]]
    better: dict[str, str]


class Context:
    """The shared state of one generation: the random source, the years, the RPPS numbers in use."""

    def __init__(self, rng: random.Random, first_year: int, years: int, library: Library):
        self.rng = rng
        self.first_year = first_year
        self.last_year = first_year + years - 1
        self.last_day = date(self.last_year, 12, 31)
        self.library = library
        self.used_rpps: set[str] = set()

    def new_rpps(self) -> str:
        """A fresh, unique RPPS: "10", eight random digits and the Luhn key."""
        while True:
            payload = f"10{self.rng.randrange(10 ** 8):08d}"
            rpps = payload + luhn_digit(payload)
            if rpps not in self.used_rpps:
                self.used_rpps.add(rpps)
                return rpps


# ---------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------


def generate(out: Path, *, regions: int = 2, groups: int = 6, years: int = 2, first_year: int = 2024,
             seed: int = 1, library: Path | None = None, faults: int = 0, key: bytes | None = None) -> GenerationSummary:
    """Write a fictional, compliant records archive into ``out`` and return what was written.

    ``groups`` is the total over the ``regions``; ``years`` consecutive years start at ``first_year``.
    ``library`` is the records root whose federation, themes and indicators are copied (default: the
    repository's ``records/``; nothing is copied when it is ``out`` itself). ``faults`` known faults
    are planted after generation and listed in the summary. The feedback files are sealed with ``key``
    (default: DEMO_KEY). Refuses an ``out`` that has ``regions/``.
    """
    out = Path(out)
    _check_arguments(out, regions, groups, years, faults)
    library_root = Path(library) if library is not None else DEFAULT_LIBRARY
    catalogue = read_library(library_root)
    ctx = Context(random.Random(seed), first_year, years, catalogue)
    archive = [_build_region(ctx, index, count) for index, count in enumerate(_spread(groups, regions))]
    try:
        out.mkdir(parents=True, exist_ok=True)
        copied = 0 if _same_path(library_root, out) else _copy_library(library_root, out)
        _mark_demo(out)
        writer = _Writer(out)
        for region in archive:
            _write_region(writer, region, key or DEMO_KEY.encode())
        planted, added = _plant_faults(out, [region.slug for region in archive], faults, key or DEMO_KEY.encode(),
                                       ctx.rng)
    except OSError as error:  # the system's refusal (full disk, permissions): exit 2, in French
        raise WriteError(getattr(error, "filename2", None) or error.filename or out,
                         f"{why(error)} ; l'archive est incomplète, effacez le dossier") from None
    return GenerationSummary(
        files=copied + writer.count + added,
        regions=len(archive),
        groups=sum(len(r.groups) for r in archive),
        physicians=sum(len(r.physicians) for r in archive),
        meetings=sum(len(g.meetings) for r in archive for g in r.groups),
        contracts=sum(len(r.contracts) for r in archive),
        feedback_rows=sum(len(rows) for r in archive for rows in r.feedback.values()),
        faults=tuple(planted),
    )


def _check_arguments(out: Path, regions: int, groups: int, years: int, faults: int) -> None:
    """Refuse arguments that cannot give a sensible archive, and an ``out`` that already has regions."""
    if regions < 1 or years < 1 or faults < 0:
        raise UsageError("regions et years doivent valoir au moins 1, faults au moins 0")
    if groups < regions:
        raise UsageError(f"il faut au moins un groupe par région ({groups} groupes pour {regions} régions)")
    if (out / REGIONS).exists():
        raise UsageError(f"{out} contient déjà un dossier {REGIONS}/ : choisissez un dossier vide")


def _spread(total: int, buckets: int) -> list[int]:
    """``total`` split over ``buckets`` as evenly as possible, the first buckets taking the remainder."""
    base, extra = divmod(total, buckets)
    return [base + (1 if index < extra else 0) for index in range(buckets)]


def _same_path(first: Path, second: Path) -> bool:
    return first.resolve() == second.resolve()


# ---------------------------------------------------------------------------------------------------
# The national library
# ---------------------------------------------------------------------------------------------------


def read_library(root: Path) -> Library:
    """Theme ids (from file names) and indicators with their theme and direction, from ``root``."""
    themes = tuple(sorted(path.stem for path in (root / folder_of("theme")).glob("*.yaml")))
    if not themes:
        raise UsageError(f"aucun thème dans {root / folder_of('theme')} : la bibliothèque nationale est requise")
    yaml = YAML(typ="safe")
    by_theme: dict[str, list[str]] = {}
    better: dict[str, str] = {}
    for path in sorted((root / folder_of("indicator")).glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8")) or {}
        theme = data.get("theme") if isinstance(data, dict) else None
        if isinstance(theme, str):
            by_theme.setdefault(theme, []).append(path.stem)
            better[path.stem] = data.get("better") if data.get("better") in ("lower", "higher") else "lower"
    return Library(themes, {theme: tuple(ids) for theme, ids in sorted(by_theme.items())}, better)


def _mark_demo(out: Path) -> None:
    """Say in the archive's federation.yaml that its data are invented (`demo: true`, `gqrec.sample`),
    unless it says already whether they are: its feedback files may then be sealed with the public key."""
    federation = out / path_of("federation")
    if not federation.is_file():
        return
    text = federation.read_text(encoding="utf-8")
    if re.search(rf"^{DEMO_FIELD}\s*:", text, re.MULTILINE) is None:
        federation.write_text(text.rstrip("\n") + f"\n# Données inventées (gqrec demo).\n{DEMO_FIELD}: true\n",
                              encoding="utf-8")


def _copy_library(root: Path, out: Path) -> int:
    """Copy ``federation.yaml``, ``themes/`` and ``indicators/`` verbatim into ``out``; the file count."""
    sources = [root / path_of("federation")] if (root / path_of("federation")).is_file() else []
    for folder in (folder_of("theme"), folder_of("indicator")):
        sources += sorted(p for p in (root / folder).rglob("*")
                          if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts))
    for source in sources:
        target = out / source.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return len(sources)


# ---------------------------------------------------------------------------------------------------
# Building one region
# ---------------------------------------------------------------------------------------------------


def _build_region(ctx: Context, index: int, group_count: int) -> Region:
    """Everything of one region, in the order the programme would have produced it."""
    spec = REGION_SPECS[index] if index < len(REGION_SPECS) else _invented_region_spec(index)
    bretagne = spec.slug == "bretagne"
    region = Region(spec, group_size=(10, 12) if bretagne else (10, 15), charter_override=bretagne)
    region.territories = _make_territories(ctx, spec, group_count)
    trained = date(ctx.first_year - ctx.rng.randint(3, 8), ctx.rng.choice((5, 6, 10)), ctx.rng.randint(1, 28))
    region.coordinator = _new_physician(ctx, region, ctx.rng.choice(region.territories).slug, trained).rpps
    region.copil = _make_copil(ctx, region)
    for territory, (wave, constituted) in zip(region.territories, _plan_waves(ctx, group_count)):
        region.groups.append(_make_group(ctx, region, territory, wave, constituted))
    for year in range(ctx.first_year, ctx.last_year + 1):
        region.programmes[year] = _make_programme(ctx, year)
    for group in region.groups:
        group.meetings = _make_meetings(ctx, region, group)
    region.contracts = _make_contracts(ctx, region)
    region.feedback = _make_feedback(ctx, region)
    return region


def _invented_region_spec(index: int) -> RegionSpec:
    """A placeholder region beyond the ten real ones: « Région 11 », one invented department."""
    number = index + 1
    department = f"{(number * 7) % 89 + 1:02d}"
    return RegionSpec(f"region-{number}", f"Région {number}", f"de la Région {number}", ((department, ()),))


def slugify(text: str) -> str:
    """A slug from a French name: « Sablé-sur-Sarthe » -> ``sable-sur-sarthe``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _interleaved_towns(spec: RegionSpec) -> list[tuple[str, str]]:
    """The region's (town, department) pairs, taking one department after the other."""
    columns = [[(town, dep) for town in towns] for dep, towns in spec.towns_by_department]
    depth = max((len(column) for column in columns), default=0)
    return [column[row] for row in range(depth) for column in columns if row < len(column)]


def _make_territories(ctx: Context, spec: RegionSpec, count: int) -> list[Territory]:
    """One territory per group: real towns first, then « Secteur N » once the towns run out."""
    towns = _interleaved_towns(spec)
    departments = [dep for dep, _ in spec.towns_by_department]
    settings = [SETTINGS[i % len(SETTINGS)] for i in range(count)]
    ctx.rng.shuffle(settings)
    free_codes: dict[str, list[str]] = {}
    territories = []
    for index in range(count):
        if index < len(towns):
            name, department = towns[index]
        else:
            name, department = f"Secteur {index + 1}", departments[index % len(departments)]
        territory = Territory(slugify(name), name, department, settings[index])
        territory.communes = _take_communes(ctx, department, free_codes)
        territories.append(territory)
    return territories


def _take_communes(ctx: Context, department: str, free_codes: dict[str, list[str]]) -> list[str]:
    """A few INSEE-like commune codes of the department not yet given to another territory, sorted.

    Two to five codes (one or two overseas, where a department has few, large communes); fewer, or
    none, once the department's codes run out.
    """
    if department not in free_codes:
        overseas = len(department) == 3
        numbers = [f"{n:02d}" for n in range(1, 35)] if overseas else [f"{n:03d}" for n in range(1, 381)]
        codes = [department + number for number in numbers]
        ctx.rng.shuffle(codes)
        free_codes[department] = codes
    pool = free_codes[department]
    wanted = ctx.rng.randint(1, 2) if len(department) == 3 else ctx.rng.randint(2, 5)
    taken = [pool.pop() for _ in range(min(wanted, len(pool)))]
    return sorted(taken)


def _person_name(ctx: Context, breton: bool) -> tuple[str, str, bool]:
    """An invented (first name, last name, is_female), with Breton names now and then in Bretagne."""
    rng = ctx.rng
    female = rng.random() < 0.5
    if breton and rng.random() < 0.2:
        first = rng.choice(BRETON_FEMALE_FIRST_NAMES if female else BRETON_MALE_FIRST_NAMES)
    else:
        first = rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)
    last = rng.choice(BRETON_LAST_NAMES if breton and rng.random() < 0.5 else LAST_NAMES)
    return first, last, female


def _new_physician(ctx: Context, region: Region, territory: str, animator_trained: date | None = None) -> Physician:
    """A new physician of the region, with a unique RPPS and a name not yet used in the region."""
    for _ in range(20):
        first, last, _female = _person_name(ctx, region.spec.breton)
        name = f"Dr {first} {last}"
        if name not in region.names:
            break
    region.names.add(name)
    physician = Physician(
        rpps=ctx.new_rpps(), name=name, territory=territory,
        attendance=ctx.rng.uniform(0.8, 0.99), practice_offset=ctx.rng.gauss(0.0, 0.06),
        animator_trained=animator_trained, writes_specialty=ctx.rng.random() < 0.75,
    )
    region.physicians[physician.rpps] = physician
    return physician


def _make_copil(ctx: Context, region: Region) -> list[tuple[str, str]]:
    """Three to five COPIL members: physicians for the association and the URPS, staff for the others."""
    association = _association_name(region)
    organisations = [association] + [name for name, _role in _partner_names(region)] + [association]
    members = []
    for organisation in organisations[:ctx.rng.randint(3, 5)]:
        first, last, female = _person_name(ctx, region.spec.breton)
        physician_side = organisation.startswith(("APIMED", "URPS"))
        title = "Dr" if physician_side else ("Mme" if female else "M.")
        members.append((f"{title} {first} {last}", organisation))
    return members


def _association_name(region: Region) -> str:
    return f"APIMED {region.spec.name}"


def _partner_names(region: Region) -> list[tuple[str, str]]:
    """The three founding partners of the region: (name, role)."""
    of_name = region.spec.of_name
    return [
        (f"URPS Médecins Libéraux {of_name}", "urps"),
        (f"Agence régionale de santé {of_name}", "ars"),
        (f"Assurance Maladie {of_name}", "assurance-maladie"),
    ]


def _plan_waves(ctx: Context, count: int) -> list[tuple[int, date]]:
    """(wave, constituted) for each group: two thirds found before ``first_year``, later waves after."""
    rng = ctx.rng
    founding = max(1, math.ceil(2 * count / 3))
    rng.choice((9, 10))  # the founding month it once drew (September or October): drawn still, so a seed keeps its people
    founded = date(ctx.first_year - 1, 12, rng.randint(1, 28))  # December: a pro rata of 0 meetings that year
    later = count - founding
    wave_count = math.ceil(later / 4)
    wave_dates = sorted(
        date(ctx.first_year + (k * (ctx.last_year - ctx.first_year + 1)) // wave_count,
             9 if k % 2 == 0 else 3, rng.randint(1, 28))
        for k in range(wave_count)
    )
    plan = [(1, founded)] * founding
    for j in range(later):
        k = j * wave_count // later
        plan.append((k + 2, wave_dates[k]))
    return plan


def group_name(town: str) -> str:
    """« Groupe Qualité de Lamballe », « d'Auray », « des Herbiers », « du Blanc »."""
    if town.startswith("Les "):
        return f"Groupe Qualité des {town[4:]}"
    if town.startswith("Le "):
        return f"Groupe Qualité du {town[3:]}"
    if town[0] in "AEIOUYÉÈÊÂÎÔ" or (town[0] == "H" and town not in H_ASPIRE_TOWNS):
        return f"Groupe Qualité d'{town}"
    return f"Groupe Qualité de {town}"


def _make_group(ctx: Context, region: Region, territory: Territory, wave: int, constituted: date) -> Group:
    """A group of the territory with its members' and animators' histories; sets the territory's GPs."""
    group = Group(territory.slug, group_name(territory.name), territory.slug, constituted, wave)
    group.members, smallest, largest = _plan_members(ctx, region, territory.slug, constituted)
    _plan_animators(ctx, region, group)
    territory.general_practitioners = ctx.rng.randint(largest + 2, 2 * smallest)
    return group


def _plan_members(ctx: Context, region: Region, territory: str, constituted: date) -> tuple[list[Tenure], int, int]:
    """Founding members, then departures (replaced a few weeks later), arrivals and shrinkages.

    Between events the size stays >= min + 1, so a pending vacancy keeps it >= min; it never exceeds
    max. Returns the tenures and the smallest and largest sizes ever reached.
    """
    rng = ctx.rng
    low, high = region.group_size
    size = rng.randint(low + 1, min(high, low + 4))
    tenures = [Tenure(_new_physician(ctx, region, territory).rpps, constituted) for _ in range(size)]
    smallest = largest = size
    day = constituted
    while True:
        day += timedelta(days=rng.randint(200, 1100))
        if day > ctx.last_day:
            break
        roll = rng.random()
        if roll < 0.15 and size < high:
            tenures.append(Tenure(_new_physician(ctx, region, territory).rpps, day))
            size += 1
        elif roll < 0.3 and size >= low + 2:
            _leaving(rng, tenures).until = day
            size -= 1
        else:
            _leaving(rng, tenures).until = day
            smallest = min(smallest, size - 1)
            day += timedelta(days=rng.randint(15, 100))
            if day > ctx.last_day:
                break
            tenures.append(Tenure(_new_physician(ctx, region, territory).rpps, day))
        smallest, largest = min(smallest, size), max(largest, size)
    return tenures, smallest, largest


def _leaving(rng: random.Random, tenures: list[Tenure]) -> Tenure:
    """One of the still-running tenures, at random."""
    return rng.choice([tenure for tenure in tenures if tenure.until is None])


def _plan_animators(ctx: Context, region: Region, group: Group) -> None:
    """Fill ``group.animators``: a chain of tenures covering every day from ``constituted`` on."""
    since = group.constituted
    while True:
        handover = since + timedelta(days=ctx.rng.randint(900, 3300))
        until = handover - timedelta(days=1) if handover <= ctx.last_day else None
        group.animators.append(Tenure(_pick_animator(ctx, region, group, since, until), since, until))
        if until is None:
            return
        since = handover


def _pick_animator(ctx: Context, region: Region, group: Group, since: date, until: date | None) -> str:
    """An animator for [since, until]: now and then a trained one with a free slot, else a new one.

    A reused animator never animates more than two groups on the same day, nor takes over from
    themselves.
    """
    rng = ctx.rng
    free = [rpps for rpps in region.animator_pool
            if region.physicians[rpps].animator_trained <= since
            and _busiest(_animations([*region.groups, group], rpps), since, until) <= 1
            and not any(t.physician == rpps for t in group.animators)]
    if free and rng.random() < 0.25:
        return rng.choice(free)
    elsewhere = [t.slug for t in region.territories if t.slug != group.territory] or [group.territory]
    trained = since - timedelta(days=rng.randint(20, 300))
    animator = _new_physician(ctx, region, rng.choice(elsewhere), trained)
    region.animator_pool.append(animator.rpps)
    return animator.rpps


def _animations(groups: list[Group], rpps: str) -> list[Tenure]:
    """Every animator tenure of ``rpps`` in ``groups``."""
    return [t for g in groups for t in g.animators if t.physician == rpps]


def _busiest(tenures: list[Tenure], first: date, last: date | None) -> int:
    """The most tenures running on one day of [first, last]."""
    last = last or date.max
    days = [first] + [t.since for t in tenures if first <= t.since <= last]
    return max(sum(1 for t in tenures if t.active_on(day)) for day in days)


def _make_programme(ctx: Context, year: int) -> Programme:
    """Six to eight library themes, validated by the COPIL in December or the first days of January."""
    rng = ctx.rng
    themes = ctx.library.themes
    chosen = sorted(rng.sample(themes, min(len(themes), rng.randint(6, 8))))
    if rng.random() < 0.8:
        validated = date(year - 1, 12, rng.randint(4, 19))
    else:
        validated = date(year, 1, rng.randint(2, 6))
    return Programme(validated, chosen)


# ---------------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date:
    """The ``ordinal``-th ``weekday`` (0 = Monday) of the month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))


def _meeting_months(group: Group, year: int) -> list[int]:
    """The months the group meets in the year: the usual ten after its constitution, and July too in a
    first year where the summer break would leave it short of the charter's pro rata (a group constituted
    in March owes 8 meetings, April to December without the summer gives 7)."""
    months = [m for m in MEETING_MONTHS if date(year, m, 1) > group.constituted]
    if group.constituted.year == year and date(year, 7, 1) > group.constituted:
        in_year = (date(year, 12, 31) - date(year, 1, 1)).days + 1
        owed = CHARTER_DEFAULTS["meetings_per_year"] * ((date(year, 12, 31) - group.constituted).days + 1) // in_year
        if len(months) < owed:
            months = sorted({*months, 7})
    return months


def _make_meetings(ctx: Context, region: Region, group: Group) -> list[Meeting]:
    """The group's meetings of every generated year, on its usual evening (2nd or 3rd Tuesday or Thursday)."""
    rng = ctx.rng
    weekday, ordinal = rng.choice((TUESDAY, THURSDAY)), rng.choice((2, 3))
    s2_month, s1_month = rng.choice((1, 2)), rng.choice((9, 10))
    meetings = []
    for year in range(max(ctx.first_year, group.constituted.year), ctx.last_year + 1):
        months = _meeting_months(group, year)
        programme = region.programmes[year]
        theme_order = rng.sample(programme.themes, len(programme.themes))
        thematic_count = 0
        for month in months:
            day = _nth_weekday(year, month, weekday, ordinal + (1 if rng.random() < 0.08 else 0))
            period = _feedback_period(ctx, group, year, month, s2_month, s1_month)
            meeting = _roll_call(ctx, region, group, day)
            if period:
                meeting.kind, meeting.period = "feedback", period
                meeting.notes = rng.choice(FEEDBACK_NOTES) if rng.random() < 0.4 else None
            else:
                meeting.theme = theme_order[thematic_count % len(theme_order)]
                meeting.clinical_cases = rng.randint(3, 8)
                meeting.notes = rng.choice(THEMATIC_NOTES) if rng.random() < 0.25 else None
                _agree(ctx, group, meeting)
                thematic_count += 1
            meetings.append(meeting)
    return meetings


def _agree(ctx: Context, group: Group, meeting: Meeting) -> None:
    """Some thematic meetings record an improvement action on one of the theme's indicators (to review at
    the next semester but one) and their idées forces. A random source of their own, so that the rest of
    the archive is what it was without them."""
    rng = random.Random(f"{group.slug}-{meeting.day.isoformat()}")
    indicators = ctx.library.indicators_by_theme.get(meeting.theme, ())
    if indicators and rng.random() < 0.4:
        half = 2 if meeting.day.month > 6 else 1
        review = f"{meeting.day.year + 1}-S{half}"
        meeting.actions = [(rng.choice(ACTIONS), rng.choice(indicators), review)]
    if rng.random() < 0.5:
        meeting.highlights = rng.sample(HIGHLIGHTS, rng.randint(1, 2))


def _feedback_period(ctx: Context, group: Group, year: int, month: int, s2_month: int, s1_month: int) -> str | None:
    """The period a meeting of that month restitutes, if it is a feedback meeting.

    The previous year's S2 is handed back in January or February (when that year is generated and
    the group existed then), the current S1 in September or October (when the group existed in S1).
    """
    if month == s2_month and year - 1 >= ctx.first_year and group.constituted <= date(year - 1, 12, 31):
        return f"{year - 1}-S2"
    if month == s1_month and group.constituted <= date(year, 6, 30):
        return f"{year}-S1"
    return None


def _roll_call(ctx: Context, region: Region, group: Group, day: date) -> Meeting:
    """A meeting on ``day``: its animator, and each active member present or absent by habit."""
    animator = next(t.physician for t in group.animators if t.active_on(day))
    present, absent = [], []
    for rpps in sorted(t.physician for t in group.members if t.active_on(day)):
        (present if ctx.rng.random() < region.physicians[rpps].attendance else absent).append(rpps)
    return Meeting(day, "thematic", ctx.rng.choice(MEETING_MINUTES), animator, present, absent)


# ---------------------------------------------------------------------------------------------------
# Contracts and feedback
# ---------------------------------------------------------------------------------------------------


def _make_contracts(ctx: Context, region: Region) -> dict[tuple[int, str], Contract]:
    """One contract per physician and year they sit in a meeting of, signed before their first one.

    The contract names the group (and role) of that first meeting; it is signed between 2 January
    (or the day the physician joined) and the day before that meeting.
    """
    firsts: dict[tuple[int, str], tuple[date, Group, str]] = {}
    dated = sorted(((m.day, g.slug, g, m) for g in region.groups for m in g.meetings), key=lambda item: item[:2])
    for day, _slug, group, meeting in dated:
        roles = [(meeting.animator, "animator")] + [(p, "participant") for p in meeting.present + meeting.absent]
        for rpps, role in roles:
            firsts.setdefault((day.year, rpps), (day, group, role))
    contracts = {}
    for (year, rpps), (day, group, role) in sorted(firsts.items()):
        tenures = group.animators if role == "animator" else group.members
        since = next(t.since for t in tenures if t.physician == rpps and t.active_on(day))
        earliest = max(date(year, 1, 2), since)
        latest = max(earliest, day - timedelta(days=1))
        signed = earliest + timedelta(days=ctx.rng.randint(0, min((latest - earliest).days, 21)))
        contracts[(year, rpps)] = Contract(signed, group.slug, role)
    return contracts


def _make_feedback(ctx: Context, region: Region) -> dict[str, list[tuple[str, str, str, int, int]]]:
    """For each semester: one row per (member active in it, indicator of the year's themes), plus control.

    Rows come out sorted: control rows (empty physician) first, then by physician and indicator.
    """
    rng = ctx.rng
    library = ctx.library
    indicators_of = library.indicators_by_theme
    baseline = {ind: rng.uniform(0.25, 0.65) for theme in library.themes for ind in indicators_of.get(theme, ())}
    # Every other theme of the library works: after their group's first meeting on it, its members' rates
    # move EFFECT further the right way (the control does not), which `gqrec impact` should find.
    working = set(library.themes[::2])
    theme_of = {ind: theme for theme in working for ind in indicators_of.get(theme, ())}
    treated: dict[str, dict[str, date]] = {}  # rpps -> theme -> the day their group first met on it
    for group in region.groups:
        for meeting in group.meetings:
            if meeting.kind == "thematic" and meeting.theme in working:
                for tenure in group.members:
                    if tenure.active_on(meeting.day):
                        days = treated.setdefault(tenure.physician, {})
                        days[meeting.theme] = min(days.get(meeting.theme, meeting.day), meeting.day)
    feedback = {}
    for year in range(ctx.first_year, ctx.last_year + 1):
        indicators = sorted(ind for theme in region.programmes[year].themes for ind in indicators_of.get(theme, ()))
        semesters = ((date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31)))
        for half, (first, last) in enumerate(semesters):
            elapsed = year - ctx.first_year + half / 2
            members = sorted({t.physician for g in region.groups for t in g.members if t.overlaps(first, last)})
            control, expected = [], []
            for indicator in indicators:
                direction = library.better.get(indicator, "lower")
                control.append(_control_row(rng, indicator, _rate(baseline[indicator], direction, 0.008 * elapsed)))
                expected.append((indicator, _rate(baseline[indicator], direction, 0.04 * elapsed)))
            rows = control
            for rpps in members:
                moved = treated.get(rpps, {})
                own = [(indicator, _rate(baseline[indicator], library.better.get(indicator, "lower"),
                                         0.04 * elapsed + EFFECT)) if moved.get(theme_of.get(indicator), last) < first
                       else (indicator, rate) for indicator, rate in expected]
                rows += _participant_rows(rng, rpps, region.physicians[rpps].practice_offset, own)
            feedback[f"{year}-S{half + 1}"] = rows
    return feedback


def _rate(baseline: float, direction: str, progress: float) -> float:
    """The expected rate after ``progress``: lower-is-better rates fall, higher-is-better rates rise."""
    progress = min(progress, 0.6)
    return baseline * (1 - progress) if direction == "lower" else baseline + (1 - baseline) * progress


def _participant_rows(rng: random.Random, rpps: str, offset: float,
                      expected: list[tuple[str, float]]) -> list[tuple[str, str, str, int, int]]:
    """A physician's counts for each (indicator, expected rate), in indicator order.

    Denominators are small (5 to 60, some under 10); numerators scatter around the physician's rate.
    """
    rows = []
    uniform, gauss, sqrt = rng.random, rng.gauss, math.sqrt
    for indicator, rate in expected:
        denominator = 5 + int(55 * uniform() ** 1.6)
        rate = min(max(rate + offset, 0.02), 0.98)
        numerator = round(gauss(denominator * rate, sqrt(denominator * rate * (1 - rate))))
        rows.append(("participant", rpps, indicator, min(max(numerator, 0), denominator), denominator))
    return rows


def _control_row(rng: random.Random, indicator: str, rate: float) -> tuple[str, str, str, int, int]:
    """The control group's aggregated counts: thousands of patients of non-participating GPs."""
    denominator = rng.randint(3000, 25000)
    return ("control", "", indicator, round(denominator * min(max(rate, 0.02), 0.98)), denominator)


# ---------------------------------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------------------------------

# The rules whose own example (`@rule(..., example=...)`) `faults` plants: examples whose fault gives their
# finding alone, in a file they name (`Example.at`), and that tests/test_demo.py's independent reading
# of the generated records also recognises.
FAULT_RULES = ("GQ112", "GQ111", "GQ004", "GQ005", "GQ103", "GQ110", "GQ003")


def _plant_faults(out: Path, regions: list[str], count: int, key: bytes,
                  rng: random.Random) -> tuple[list[tuple[str, str]], int]:
    """``count`` faults in the written archive, the examples of FAULT_RULES taken in turn and the regions in
    turn, each on files (drawn with ``rng``) no other fault touched, skipping the examples that no longer
    fit; (each fault's rule and the file of its finding, the number of files the faults added)."""
    examples = {entry.id: entry.example for entry in catalogue()}
    planted: list[tuple[str, str]] = []
    touched: set[str] = set()
    added = misses = turn = 0
    while len(planted) < count:
        rule = FAULT_RULES[turn % len(FAULT_RULES)]
        example = examples[rule]
        paths = plant(out, example, region=regions[turn % len(regions)], touched=touched, key=key, chooser=rng)
        turn += 1
        if paths is None:
            misses += 1
            if misses >= len(FAULT_RULES):
                raise UsageError(f"l'archive est trop petite pour {count} fautes")
            continue
        misses = 0
        added += sum(isinstance(step, Create) for step in example.steps)
        planted.append((rule, paths[example.at]))
    return planted, added


# ---------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------

_PLAIN_TEXT = re.compile(r"[^\W\d_][^#:\n\"]*[^\s#:\"]|[^\W\d_]")
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def _text(value: str) -> str:
    """A YAML scalar for French text: plain when safe, else double-quoted."""
    if _PLAIN_TEXT.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)


def _rpps_list(key: str, numbers: list[str]) -> str:
    """A block list of quoted RPPS numbers under ``key`` (``key: []`` when empty)."""
    if not numbers:
        return f"{key}: []\n"
    return f"{key}:\n" + "".join(f'  - "{rpps}"\n' for rpps in numbers)


def _tenures(key: str, tenures: list[Tenure]) -> str:
    """A block list of tenures, oldest first."""
    lines = [f"{key}:\n"]
    for tenure in sorted(tenures, key=lambda t: (t.since, t.physician)):
        lines.append(f'  - physician: "{tenure.physician}"\n    since: {tenure.since.isoformat()}\n')
        if tenure.until is not None:
            lines.append(f"    until: {tenure.until.isoformat()}\n")
    return "".join(lines)


def region_yaml(region: Region) -> str:
    text = (
        f"name: {_text(region.spec.name)}\n"
        f"association:\n  name: {_text(_association_name(region))}\n  legal_form: association loi 1901\n"
        "partners:\n"
        + "".join(f"  - name: {_text(name)}\n    role: {role}\n" for name, role in _partner_names(region))
        + f'coordinator: "{region.coordinator}"\n'
        + "copil:\n"
        + "".join(f"  - name: {_text(name)}\n    organisation: {_text(org)}\n" for name, org in region.copil)
    )
    if region.charter_override:
        low, high = region.group_size
        text += f"charter:\n  group_size:\n    min: {low}\n    max: {high}\n"
    return text


def territory_yaml(territory: Territory) -> str:
    return (
        f"name: {_text(territory.name)}\n"
        f"setting: {territory.setting}\n"
        f"general_practitioners: {territory.general_practitioners}\n"
        + ("communes:\n" if territory.communes else "")
        + "".join(f'  - "{code}"\n' for code in territory.communes)
    )


def physician_yaml(physician: Physician) -> str:
    text = f"name: {_text(physician.name)}\nterritory: {physician.territory}\n"
    if physician.writes_specialty:
        text += "specialty: médecine générale\n"
    if physician.animator_trained is not None:
        text += f"animator_trained: {physician.animator_trained.isoformat()}\n"
    return text


def group_yaml(group: Group) -> str:
    return (
        f"name: {_text(group.name)}\n"
        f"territory: {group.territory}\n"
        f"constituted: {group.constituted.isoformat()}\n"
        f"wave: {group.wave}\n"
        + _tenures("animators", group.animators)
        + _tenures("members", group.members)
    )


def meeting_yaml(meeting: Meeting) -> str:
    text = f"type: {meeting.kind}\n"
    text += f"theme: {meeting.theme}\n" if meeting.kind == "thematic" else f"period: {meeting.period}\n"
    text += f'duration_minutes: {meeting.minutes}\nanimator: "{meeting.animator}"\n'
    text += _rpps_list("present", meeting.present)
    if meeting.absent:
        text += _rpps_list("absent", meeting.absent)
    if meeting.clinical_cases is not None:
        text += f"clinical_cases: {meeting.clinical_cases}\n"
    if meeting.actions:
        text += "actions:\n" + "".join(f"  - text: {_text(a)}\n    indicator: {i}\n    review: {r}\n"
                                       for a, i, r in meeting.actions)
    if meeting.highlights:
        text += "highlights:\n" + "".join(f"  - {_text(h)}\n" for h in meeting.highlights)
    if meeting.notes:
        text += f"notes: {_text(meeting.notes)}\n"
    return text


def programme_yaml(programme: Programme) -> str:
    return f"validated: {programme.validated.isoformat()}\nthemes:\n" + "".join(f"  - {t}\n" for t in programme.themes)


def contract_yaml(contract: Contract) -> str:
    return f"signed: {contract.signed.isoformat()}\ngroup: {contract.group}\nrole: {contract.role}\n"


def feedback_csv(rows: list[tuple[str, str, str, int, int]]) -> str:
    return "population,physician,indicator,numerator,denominator\n" + "".join(
        f"{population},{rpps},{indicator},{numerator},{denominator}\n"
        for population, rpps, indicator, numerator, denominator in rows
    )


def _group_path(region: Region, group: Group) -> str:
    return path_of("group", region.slug, group.slug)


def _meeting_path(region: Region, group: Group, meeting: Meeting) -> str:
    return path_of("meeting", region.slug, meeting.day.isoformat(), group.slug)


class _Writer:
    """Writes UTF-8 text files under a root, creating folders once, and counts them.

    Plain ``os.open``/``os.write`` calls: at tens of thousands of small files, the buffered text
    layer of ``open()`` doubles the time spent.
    """

    FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)

    def __init__(self, root: Path):
        self.root = str(root)
        self.folders: set[str] = set()
        self.count = 0

    def write(self, relative: str, text: str) -> None:
        folder = relative.rpartition("/")[0]
        if folder not in self.folders:
            os.makedirs(os.path.join(self.root, folder), exist_ok=True)
            self.folders.add(folder)
        data = memoryview(text.encode("utf-8"))
        handle = os.open(os.path.join(self.root, relative), self.FLAGS, 0o644)
        try:
            while data:
                data = data[os.write(handle, data):]
        finally:
            os.close(handle)
        self.count += 1


def _write_region(writer: _Writer, region: Region, key: bytes) -> None:
    """Every file of the region."""
    slug = region.slug
    writer.write(path_of("region", slug), region_yaml(region))
    for territory in region.territories:
        writer.write(path_of("territory", slug, territory.slug), territory_yaml(territory))
    for rpps, physician in sorted(region.physicians.items()):
        writer.write(path_of("physician", slug, rpps), physician_yaml(physician))
    for group in region.groups:
        writer.write(_group_path(region, group), group_yaml(group))
        for meeting in group.meetings:
            writer.write(_meeting_path(region, group, meeting), meeting_yaml(meeting))
    for year, programme in sorted(region.programmes.items()):
        writer.write(path_of("programme", slug, year=year), programme_yaml(programme))
    for (year, rpps), contract in sorted(region.contracts.items()):
        writer.write(path_of("contract", slug, rpps, year=year), contract_yaml(contract))
    for period, rows in sorted(region.feedback.items()):
        writer.write(path_of("feedback", slug, period), seal(feedback_csv(rows), key, Place(slug, period)).decode("utf-8"))
    for path, text in sorted(region.stray_files.items()):
        writer.write(path, text)


# ---------------------------------------------------------------------------------------------------
# Command line: python -m gqrec.demo OUT [--regions N --groups N --years N ...]
# ---------------------------------------------------------------------------------------------------
