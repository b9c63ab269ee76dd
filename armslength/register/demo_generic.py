"""A single-body NPM of a fictional country, Valmorie, working in French.

It shows armslength set up for an NPM beyond the UK: one body that is the whole
NPM, the generic policy pack (cited to the APT guidance alone) and French as
the accounts' language. Every name here is invented.
"""

from __future__ import annotations

from armslength.register.demo import DemoNpm

BODY = {
    "abbreviation": "MNP",
    "name": "Mécanisme national de prévention de Valmorie",
    "jurisdiction": "Valmorie",
    "place_types": ";".join(
        [
            "prison",
            "young_offender_institution",
            "immigration_removal_centre",
            "short_term_holding_facility",
            "police_custody",
            "court_custody",
            "mental_health_detention",
            "secure_childrens_home",
        ]
    ),
    "coordinator": "yes",
}

# (key, name, parent key, sector)
ORGANISATIONS = [
    ("justice", "Ministère de la Justice", None, "executive"),
    ("penitentiaire", "Administration pénitentiaire", "justice", "executive"),
    ("pjj", "Protection judiciaire de la jeunesse", "justice", "criminal_justice"),
    ("interieur", "Ministère de l'Intérieur", None, "executive"),
    ("police", "Police nationale", "interieur", "law_enforcement"),
    ("gendarmerie", "Gendarmerie nationale", "interieur", "law_enforcement"),
    ("immigration", "Direction de l'immigration", "interieur", "law_enforcement"),
    ("sante", "Ministère de la Santé", None, "executive"),
    ("chu-valbourg", "Centre hospitalier universitaire de Valbourg", "sante", "health"),
    ("garde-sud", "Garde et Services du Sud SA", None, "private_operator"),
    ("haute-vallee", "Conseil départemental de Haute-Vallée", None, "other"),
    ("aide-detenus", "Association d'aide aux personnes détenues", None, "ngo"),
    ("cabinet-lemaire", "Cabinet d'avocats Lemaire", None, "legal"),
]

# (name, type, operator key, region, jurisdiction)
ESTABLISHMENTS = [
    ("Maison d'arrêt de Valbourg", "prison", "penitentiaire", "centre", "Valmorie"),
    ("Centre pénitentiaire de Saint-Aubin", "prison", "penitentiaire", "nord", "Valmorie"),
    ("Centre de détention de Rochefort-sur-Lys", "prison", "garde-sud", "sud", "Valmorie"),
    ("Maison centrale de Montclair", "prison", "penitentiaire", "est", "Valmorie"),
    (
        "Établissement pour mineurs de Belrive",
        "young_offender_institution",
        "pjj",
        "ouest",
        "Valmorie",
    ),
    (
        "Centre de rétention administrative de Port-Varenne",
        "immigration_removal_centre",
        "immigration",
        "sud",
        "Valmorie",
    ),
    (
        "Zone d'attente de l'aéroport de Valbourg",
        "short_term_holding_facility",
        "immigration",
        "centre",
        "Valmorie",
    ),
    ("Commissariat central de Valbourg", "police_custody", "police", "centre", "Valmorie"),
    ("Commissariat de Saint-Aubin", "police_custody", "police", "nord", "Valmorie"),
    ("Brigade de gendarmerie de Montclair", "police_custody", "gendarmerie", "est", "Valmorie"),
    ("Dépôt du tribunal de Valbourg", "court_custody", "penitentiaire", "centre", "Valmorie"),
    (
        "Unité psychiatrique sécurisée du CHU de Valbourg",
        "mental_health_detention",
        "chu-valbourg",
        "centre",
        "Valmorie",
    ),
    (
        "Foyer éducatif fermé de Haute-Vallée",
        "secure_childrens_home",
        "haute-vallee",
        "ouest",
        "Valmorie",
    ),
]

GENERIC = DemoNpm(
    key="generic",
    policy_pack="generic",
    language="fr",
    bodies=[BODY],
    mandate_beyond_npm=frozenset(),
    organisations=ORGANISATIONS,
    establishments=ESTABLISHMENTS,
    staffing=[("mnp", 60)],
    first_names=[
        "Amina",
        "Bastien",
        "Camille",
        "Dorian",
        "Élodie",
        "Farid",
        "Gaëlle",
        "Hugo",
        "Inès",
        "Julien",
        "Karima",
        "Léa",
        "Mathis",
        "Nadia",
        "Olivier",
        "Pauline",
        "Quentin",
        "Rachida",
        "Samuel",
        "Thérèse",
    ],
    last_names=[
        "Arnaud",
        "Benali",
        "Chevalier",
        "Diallo",
        "Euzet",
        "Fournier",
        "Garnier",
        "Haddad",
        "Jacquet",
        "Lefèvre",
        "Marchand",
        "N'Diaye",
        "Perrin",
        "Roussel",
        "Tessier",
        "Vidal",
    ],
    units=[
        "Équipe de contrôle 1",
        "Équipe de contrôle 2",
        "Santé et protection de l'enfance",
        "Études et recommandations",
        "Secrétariat général",
    ],
    regions=["nord", "sud", "est", "ouest", "centre"],
    languages=["french", "arabic", "english", "spanish", "wolof"],
    justifications=[
        "Expertise du fonctionnement pénitentiaire introuvable sur le marché du travail",
        "Expérience médico-légale nécessaire aux contrôles des lieux de soins",
        "Connaissance des procédures de garde à vue pour le programme de contrôle",
        "",
    ],
    relatives=[
        "Jeanne Morel (directrice)",
        "Luc Bernard (surveillant)",
        "Sophie Leroy (infirmière)",
        "Karim Mansour (personne détenue)",
        "Paul Girard (aide-soignant)",
    ],
    managed=("mnp",),
    home="mnp",
    words={
        "term_process": "Nomination par décret après appel public à candidatures",
        "annual_leave": "Congés annuels",
        "training": "Formation",
        "areas": "Organisation d'origine, ses établissements, anciens collègues",
        "restrictions": "Aucun contrôle des établissements gérés par l'organisation d'origine",
        "supervisor": "Responsable des contrôles",
        "round": "Déclarations annuelles {year}",
        "roles": "surveillant;infirmier;enseignant;directeur",
        "caseworker": "chargé de dossiers",
        "client": "un ancien client",
        "adviser": "conseiller vacataire",
        "board": "membre du conseil d'administration",
    },
)
