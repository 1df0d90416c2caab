"""The words and number formats of the profiles, French by default, shared by the md and html renderers."""

from __future__ import annotations

from functools import lru_cache

from .. import i18n
from ..ids import PERIOD
from .profiles import Comparison, MIN_DENOMINATOR, Rate

LABELS = {
    "fr": {
        "suppressed": "effectif insuffisant",
        "lower": "objectif : à la baisse",
        "higher": "objectif : à la hausse",
        "direction_lower": "Un taux plus bas est meilleur.",
        "direction_higher": "Un taux plus haut est meilleur.",
        "attention": "À surveiller : {whose} est moins bon que celui {than}.",
        "attention_whose_group": "le taux du groupe",
        "attention_whose_physician": "votre taux",
        "attention_than": {"group": "de votre groupe", "region": "des Groupes Qualité de la région"},
        "and": " et ",
        "attention_only_group": "Seuls les indicateurs à surveiller sont montrés : ceux où le taux du groupe est "
                                "moins bon que celui des Groupes Qualité de la région.",
        "attention_only_physician": "Seuls les indicateurs à surveiller sont montrés : ceux où votre taux est "
                                    "moins bon que celui de votre groupe ou des Groupes Qualité de la région.",
        "attention_none": "Aucun indicateur à surveiller pour cette période.",
        "page_subject_group": "Profil du groupe « {group} » — {period}",
        "page_subject_physician": "Profil de {name} — {period}",
        "better": "dans le bon sens",
        "worse": "dans le mauvais sens",
        "same": "stable",
        "you": "Vous",
        "group_of_physician": "Votre groupe",
        "group": "Le groupe",
        "region": "Groupes Qualité de la région",
        "control": "Groupe témoin (non participants)",
        "population": "Population",
        "change": "Évolution",
        "code": "Code",
        "rank": "Rang centile",
        "title_group": "Profil de prescription du groupe « {group} »",
        "title_physician": "Profil de prescription de {name}",
        "subtitle": "Retour d'information du {period} — région {region}",
        "compared": "Comparaison avec le {previous}.",
        "no_previous": "Pas de période précédente à comparer.",
        "theme": "Thème : {title}",
        "key_messages": "Messages clés",
        "definition": "Numérateur : {numerator}. Dénominateur : {denominator}.",
        "deciles": "Déciles des participants de la région ({n} médecins) : {values}",
        "too_few": "Trop peu de participants avec un taux affichable ({n}) pour les déciles et les rangs.",
        "your_rank": "Votre rang centile parmi les participants de la région : {rank} (0 = taux le plus bas).",
        "no_rank": "Votre taux ne peut être situé parmi les participants de la région.",
        "members": "{n} membres pendant la période, sous code ; le rang centile situe le taux de chacun parmi "
                   "les participants de la région (0 = taux le plus bas).",
        "your_code": "Votre code dans le profil de votre groupe : {code}.",
        "group_line": "Groupe : {group}.",
        "note_group": f"Profil anonyme : chaque membre figure sous un code que seul le détenteur de la clé peut "
                      f"relier à un médecin. Un taux calculé sur moins de {MIN_DENOMINATOR} patients n'est pas "
                      f"affiché (« effectif insuffisant ») ; les effectifs ne sont pas publiés.",
        "note_physician": "Profil individuel, destiné au seul médecin nommé : à ne pas déposer dans le dépôt des "
                          "registres ni dans reports/.",
        "chart": "Position parmi les déciles des participants de la région",
        "chart_band": "D1–D9 des participants",
        "chart_median": "médiane",
        "chart_point": "vous",
        "chart_group": "groupe",
        "chart_members": "membres",
        "lang": "fr",
        "semester": ("1er semestre {year}", "2e semestre {year}"),
        "trimester": ("1er trimestre {year}", "2e trimestre {year}", "3e trimestre {year}", "4e trimestre {year}"),
    },
    "en": {
        "suppressed": "too few patients",
        "lower": "aim: lower",
        "higher": "aim: higher",
        "direction_lower": "A lower rate is better.",
        "direction_higher": "A higher rate is better.",
        "attention": "To watch: {whose} is worse than that of {than}.",
        "attention_whose_group": "the group's rate",
        "attention_whose_physician": "your rate",
        "attention_than": {"group": "your group", "region": "the region's quality groups"},
        "and": " and ",
        "attention_only_group": "Only the indicators to watch are shown: those where the group's rate is worse "
                                "than that of the region's quality groups.",
        "attention_only_physician": "Only the indicators to watch are shown: those where your rate is worse than "
                                    "that of your group or of the region's quality groups.",
        "attention_none": "No indicator to watch for this period.",
        "page_subject_group": "Profile of the group “{group}” — {period}",
        "page_subject_physician": "Profile of {name} — {period}",
        "better": "right way",
        "worse": "wrong way",
        "same": "unchanged",
        "you": "You",
        "group_of_physician": "Your group",
        "group": "The group",
        "region": "Quality groups of the region",
        "control": "Control group (non-participants)",
        "population": "Population",
        "change": "Change",
        "code": "Code",
        "rank": "Percentile rank",
        "title_group": "Prescription profile of the group “{group}”",
        "title_physician": "Prescription profile of {name}",
        "subtitle": "Feedback for {period} — region {region}",
        "compared": "Compared with {previous}.",
        "no_previous": "No previous period to compare with.",
        "theme": "Theme: {title}",
        "key_messages": "Key messages",
        "definition": "Numerator: {numerator}. Denominator: {denominator}.",
        "deciles": "Deciles of the region's participants ({n} physicians): {values}",
        "too_few": "Too few participants with a rate that can be shown ({n}) for deciles and ranks.",
        "your_rank": "Your percentile rank among the region's participants: {rank} (0 = lowest rate).",
        "no_rank": "Your rate cannot be placed among the region's participants.",
        "members": "{n} members during the period, under codes; the percentile rank places each rate among "
                   "the region's participants (0 = lowest rate).",
        "your_code": "Your code in your group's profile: {code}.",
        "group_line": "Group: {group}.",
        "note_group": f"Anonymous profile: each member appears under a code that only the key holder can tie "
                      f"to a physician. A rate on fewer than {MIN_DENOMINATOR} patients is not shown "
                      f"(“too few patients”); patient counts are not published.",
        "note_physician": "Individual profile, for the named physician only: do not store it in the records "
                          "repository nor in reports/.",
        "chart": "Position among the deciles of the region's participants",
        "chart_band": "participants' D1–D9",
        "chart_median": "median",
        "chart_point": "you",
        "chart_group": "group",
        "chart_members": "members",
        "lang": "en",
        "semester": ("first half of {year}", "second half of {year}"),
        "trimester": ("Q1 {year}", "Q2 {year}", "Q3 {year}", "Q4 {year}"),
    },
}


@lru_cache(maxsize=8192)
def percent(value: float | None, lang: str, digits: int = 1) -> str:
    """i18n.percent, remembered: a page repeats the same deciles and axis ticks many times."""
    return i18n.percent(value, lang, digits)


def labels(lang: str) -> dict:
    return LABELS.get(lang, LABELS["fr"])


def period_name(period: str | None, lang: str) -> str:
    """« 1er semestre 2024 » for 2024-S1."""
    match = PERIOD.fullmatch(period or "")
    if not match:
        return period or ""
    part = match["part"]
    names = labels(lang)["semester" if part[0] == "S" else "trimester"]
    return names[int(part[1]) - 1].format(year=match["year"])


def definition(numerator: str, denominator: str, lang: str) -> str:
    """« Numérateur : … Dénominateur : … », each part ending with one full stop even when the indicator's
    text already has its own (never « .. »)."""
    return labels(lang)["definition"].format(numerator=numerator.rstrip(" ."), denominator=denominator.rstrip(" ."))


def rate(value: Rate | None, lang: str) -> str:
    """A rate as text: a percentage, « effectif insuffisant », or a dash when there is no data."""
    if value is None:
        return percent(None, lang)
    if value.suppressed:
        return labels(lang)["suppressed"]
    return percent(value.value, lang)


def change(comparison: Comparison, lang: str) -> str:
    return labels(lang)[comparison.change] if comparison.change else percent(None, lang)


def direction(better: str, lang: str) -> str:
    """The plain sentence saying which way is better (« Un taux plus bas est meilleur. »)."""
    return labels(lang)[f"direction_{better}"]


def attention(profile_kind: str, populations: tuple[str, ...], lang: str) -> str:
    """Why an indicator needs attention, or "" when it does not."""
    if not populations:
        return ""
    t = labels(lang)
    than = t["and"].join(t["attention_than"][p] for p in populations)
    if lang == "fr" and len(populations) > 1:
        than = than.replace(" et des ", " et celui des ")
    return t["attention"].format(whose=t[f"attention_whose_{profile_kind}"], than=than)


def attention_only(profile_kind: str, lang: str) -> str:
    return labels(lang)[f"attention_only_{profile_kind}"]


def subject(profile, lang: str) -> str:
    """What a printed page says it is about, on every page."""
    t = labels(lang)
    period = period_name(profile.period, lang)
    if profile.kind == "group":
        return t["page_subject_group"].format(group=profile.group_name, period=period)
    return t["page_subject_physician"].format(name=profile.physician.name, period=period)


def rank(value: float | None, lang: str) -> str:
    return i18n.number(value, lang, 0)


def deciles(values: tuple[float, ...], lang: str) -> str:
    return " · ".join(percent(v, lang) for v in values)
