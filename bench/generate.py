#!/usr/bin/env python3
"""Deterministic generator of forum-shaped linked data for the benchmarks.

    python bench/generate.py OUT_DIR --triples 100000 [--seed 7]
    python bench/generate.py OUT_DIR --talks 1000 [--seed 7]

Writes, like `data/`, one TriG file per named graph into OUT_DIR, with the same prefixes, the
same relative IRIs (`id/{kind}/{slug}`, `graph/{name}`), the same classes and properties and the
same provenance structure as the forum's data (`docs/model.md`, `shapes/`):

- many forums, each with agenda sections, talks, speakers (people, their posts and
  organizations), places, programmes and memberships, topics, action plans and commitments,
  figures, conclusions and milestones;
- two source documents per forum (a report and a web page), with sections and line ranges;
  every statement sits in the named graph of the section it "comes from" (the report's
  overview, background and one section per agenda section; the web page's introduction and one
  agenda block per section), so an entity is described in several graphs, as in the real data;
- `sources.trig` (`graph/sources`: documents, sections, and a description of every graph) and
  `editorial.trig` (`graph/editorial`: French labels and the topic hierarchy).

Forums are added until the union of the data graphs and `graph/mentions` holds about
`--triples` distinct triples as the files state them (the loader also states the superterms of the
`ofo:` terms they use, some 2.5% more), or, with `--talks`, until the forums hold at least that
many talks. The same seed and size give the same bytes. A
`manifest.json` beside the files lists the counts and the IRIs the benchmark queries use.
Output passes `openforum-ld validate --data OUT_DIR`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

PREFIXES = """@prefix schema: <http://schema.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ofo: <https://w3id.org/openforum/ontology#> .
@prefix forum: <id/forum/> .
@prefix session: <id/session/> .
@prefix talk: <id/talk/> .
@prefix event: <id/event/> .
@prefix person: <id/person/> .
@prefix post: <id/post/> .
@prefix membership: <id/membership/> .
@prefix organization: <id/organization/> .
@prefix place: <id/place/> .
@prefix programme: <id/programme/> .
@prefix strategy: <id/strategy/> .
@prefix plan: <id/action-plan/> .
@prefix commitment: <id/commitment/> .
@prefix law: <id/law/> .
@prefix platform: <id/platform/> .
@prefix figure: <id/figure/> .
@prefix conclusion: <id/conclusion/> .
@prefix milestone: <id/milestone/> .
@prefix topic: <id/topic/> .
@prefix scheme: <id/scheme/> .
@prefix document: <id/document/> .
@prefix section: <id/section/> .
@prefix graph: <graph/> .
"""

# ------------------------------------------------------------------------------------ words

FIRST_NAMES = [
    "Amina",
    "Youssef",
    "Fatima",
    "Karim",
    "Salma",
    "Omar",
    "Leila",
    "Hamza",
    "Nadia",
    "Rachid",
    "Samira",
    "Mehdi",
    "Zineb",
    "Anas",
    "Imane",
    "Driss",
    "Houda",
    "Yassine",
    "Sanae",
    "Khalid",
    "Meryem",
    "Adil",
    "Hajar",
    "Nabil",
    "Ghita",
    "Tarik",
    "Souad",
    "Hicham",
    "Lamia",
    "Reda",
    "Asmae",
    "Walid",
    "Kenza",
    "Jamal",
    "Najat",
    "Ayoub",
    "Rim",
    "Brahim",
    "Loubna",
    "Ilyas",
    "Maria",
    "Jonas",
    "Elena",
    "Pablo",
    "Ingrid",
    "Marco",
    "Sofia",
    "Lukas",
    "Anna",
    "Pierre",
    "Claire",
    "Tomas",
    "Eva",
    "Rudi",
    "Helena",
    "Nikola",
    "Mila",
    "Ahmed",
    "Grace",
    "John",
    "Wanjiru",
    "Kwame",
    "Ngozi",
    "Tendai",
    "Aisha",
    "Musa",
    "Zainab",
    "Kofi",
    "Abena",
    "Chidi",
    "Thandiwe",
    "Sipho",
    "Lina",
    "Diego",
    "Ana",
    "Mateo",
    "Lucia",
    "Ines",
    "Hugo",
    "Chloe",
    "Victor",
    "Alice",
    "Noah",
    "Emma",
    "Liam",
    "Olivia",
    "Farid",
    "Rania",
    "Samir",
    "Dalia",
]

LAST_NAMES = [
    "Benali",
    "Alaoui",
    "Tazi",
    "Bennani",
    "Idrissi",
    "Chraibi",
    "Fassi",
    "Berrada",
    "Lahlou",
    "Ouazzani",
    "Kettani",
    "Sqalli",
    "Tahiri",
    "Amrani",
    "Ziani",
    "Naciri",
    "Bouzid",
    "Haddad",
    "Mansouri",
    "Saidi",
    "Cherkaoui",
    "Benjelloun",
    "Filali",
    "Guessous",
    "Hajji",
    "Jabri",
    "Kabbaj",
    "Lamrani",
    "Mernissi",
    "Naji",
    "Rami",
    "Sabri",
    "Tounsi",
    "Wahbi",
    "Yacoubi",
    "Zeroual",
    "Martin",
    "Novak",
    "Petrov",
    "Horvat",
    "Kowalski",
    "Jensen",
    "Larsen",
    "Moreau",
    "Dubois",
    "Rossi",
    "Bianchi",
    "Garcia",
    "Lopez",
    "Schmidt",
    "Weber",
    "Fischer",
    "Keller",
    "Maritim",
    "Otieno",
    "Kamau",
    "Mwangi",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Boateng",
    "Diallo",
    "Traore",
    "Ndiaye",
    "Sow",
    "Kone",
    "Banda",
    "Phiri",
    "Moyo",
    "Dlamini",
    "Nkosi",
    "Gordeladze",
    "Beridze",
    "Kapanadze",
    "Milic",
    "Helmi",
    "Paulson",
    "Marzouk",
    "Costa",
    "Silva",
    "Santos",
    "Pereira",
    "Ferreira",
    "Almeida",
    "Haddou",
    "Bakkali",
    "Ouali",
    "Skalli",
    "Radi",
    "Belkadi",
    "Hamdi",
    "Jaziri",
    "Karoui",
    "Mejri",
    "Trabelsi",
    "Gharbi",
    "Khelifi",
    "Brahimi",
    "Meziane",
]

HONORIFICS = ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]

COUNTRIES = [
    "Morocco",
    "Tunisia",
    "Senegal",
    "Kenya",
    "Nigeria",
    "Ghana",
    "Georgia",
    "Jordan",
    "Lebanon",
    "Egypt",
    "Ukraine",
    "Moldova",
    "Armenia",
    "Colombia",
    "Peru",
    "Mexico",
    "Chile",
    "Philippines",
    "Indonesia",
    "Mongolia",
    "Portugal",
    "Spain",
    "France",
    "Italy",
    "Croatia",
    "Serbia",
    "Albania",
    "Romania",
    "Bulgaria",
    "Estonia",
    "Latvia",
    "Lithuania",
    "Finland",
    "Norway",
    "Ireland",
    "Scotland",
    "Wales",
    "Canada",
    "Argentina",
    "Uruguay",
]

SYLLABLES = [
    "ta",
    "ma",
    "sa",
    "ra",
    "ka",
    "na",
    "la",
    "ba",
    "da",
    "fa",
    "ga",
    "ha",
    "za",
    "te",
    "me",
    "se",
    "re",
    "ke",
    "ne",
    "le",
    "be",
    "de",
    "fe",
    "ti",
    "mi",
    "si",
    "ri",
    "ki",
    "ni",
    "li",
    "bi",
    "di",
    "fi",
    "to",
    "mo",
    "so",
    "ro",
    "ko",
    "no",
    "lo",
    "bo",
    "do",
    "fo",
    "tu",
    "mu",
    "su",
    "ru",
    "ku",
    "nu",
    "lu",
    "bu",
    "du",
    "fu",
    "ou",
    "ai",
]

MINISTRY_DOMAINS = """Digital Transition|Economy and Finance|Public Administration Reform|Interior
|Justice|Education|Health|Territorial Planning|Environment|Youth and Culture|Social Inclusion
|Foreign Affairs""".replace("\n", "").split("|")

UNIT_DOMAINS = """Open Data|Citizen Relations|Budget|Procurement|Statistics|Digital Services
|Legal Affairs|Communication|Local Governance|Innovation|Evaluation|Human Resources""".replace(
    "\n", ""
).split("|")

NGO_WORDS_A = [
    "Open",
    "Civic",
    "Active",
    "Transparent",
    "Digital",
    "Young",
    "Green",
    "Local",
    "Shared",
    "Public",
    "Free",
    "Common",
]
NGO_WORDS_B = [
    "Cities",
    "Voices",
    "Citizens",
    "Futures",
    "Budgets",
    "Data",
    "Councils",
    "Commons",
    "Streets",
    "Regions",
    "Villages",
    "Schools",
]
NGO_WORDS_C = ["Association", "Initiative", "Foundation", "Lab", "Collective", "Network"]

FIELDS = """Collective Intelligence|Humanities|Public Policy|Engineering|Data Science|Law
|Economics|Urban Planning|Social Sciences|Computer Science""".replace("\n", "").split("|")

INTERNATIONAL = [
    ("Organization for Open Governance", "OOG"),
    ("International Institute for Democracy", "IID"),
    ("Global Transparency Alliance", "GTA"),
    ("Regional Development Bank", "RDB"),
    ("Agency for Local Cooperation", "ALC"),
    ("Foundation for Civic Technology", "FCT"),
    ("United Cities Network", "UCN"),
    ("Council of Subnational Governments", "CSG"),
    ("Mediterranean Parliamentary Forum", "MPF"),
    ("International Budget Observatory", "IBO"),
]

PROGRAMMES = [
    ("Open Government Partnership", "OGP", True),
    ("OGP Local", None, True),
    ("Open Parliament e-Network", None, False),
    ("Open Smart City Programme", None, False),
    ("Open Contracting Programme", None, False),
    ("Civic Tech Fellowship", None, False),
    ("Regional Open Data Programme", None, False),
    ("Participatory Budgeting Network", None, True),
]

TOPICS = [
    ("openness", "ouverture"),
    ("transparency", "transparence"),
    ("integrity", "intégrité"),
    ("accountability", "redevabilité"),
    ("citizen participation", "participation citoyenne"),
    ("access to information", "accès à l'information"),
    ("open data", "données ouvertes"),
    ("open government", "gouvernement ouvert"),
    ("open parliament", "parlement ouvert"),
    ("open state", "État ouvert"),
    ("smart governance", "gouvernance intelligente"),
    ("smart cities", "villes intelligentes"),
    ("digital transformation", "transformation numérique"),
    ("collective intelligence", "intelligence collective"),
    ("local innovation", "innovation locale"),
    ("participatory democracy", "démocratie participative"),
    ("petitions", "pétitions"),
    ("co-creation", "co-création"),
    ("good governance", "bonne gouvernance"),
    ("regionalisation", "régionalisation"),
    ("civil society", "société civile"),
    ("youth", "jeunesse"),
    ("gender and social inclusion", "genre et inclusion sociale"),
    ("climate change", "changement climatique"),
    ("covid-19 pandemic", "pandémie de Covid-19"),
    ("development", "développement"),
    ("communication", "communication"),
    ("ethics and probity", "éthique et probité"),
    ("convergence", "convergence"),
    ("public services", "services publics"),
]

DOMAINS = [
    ("health", "santé"),
    ("education", "éducation"),
    ("water", "eau"),
    ("transport", "transports"),
    ("housing", "logement"),
    ("energy", "énergie"),
    ("agriculture", "agriculture"),
    ("justice", "justice"),
    ("culture", "culture"),
    ("tourism", "tourisme"),
    ("employment", "emploi"),
    ("security", "sécurité"),
    ("the environment", "l'environnement"),
    ("municipal finance", "finances municipales"),
    ("public procurement", "marchés publics"),
    ("rural areas", "zones rurales"),
]

AREAS = [
    ("budget transparency", "transparence budgétaire"),
    ("anti-corruption", "lutte contre la corruption"),
    ("open contracting", "commande publique ouverte"),
    ("open budget", "budget ouvert"),
    ("citizen engagement", "engagement citoyen"),
    ("right to information", "droit à l'information"),
    ("public service delivery", "prestation des services publics"),
    ("beneficial ownership", "bénéficiaires effectifs"),
    ("fiscal openness", "ouverture budgétaire"),
    ("digital inclusion", "inclusion numérique"),
    ("open legislation", "législation ouverte"),
    ("whistleblower protection", "protection des lanceurs d'alerte"),
]

FORUM_THEMES = """Open Regions|Convergence for Openness|Smart and Open Cities|Local Open Government
|Participation and Trust|Open Budgets for Citizens|Data for Democracy|Subnational Openness
|Digital Public Services|Youth and Open Government""".replace("\n", "").split("|")

VERBS = [
    "highlighted",
    "stressed",
    "emphasized",
    "presented",
    "announced",
    "recalled",
    "described",
    "explained",
    "outlined",
    "underlined",
    "noted",
    "reported",
]
NOUNS = """a regional action plan|an open data portal|a citizen petition system|a participatory
budget|a transparency charter|a consultation platform|a council of young citizens|a network of
civil society organizations|an integrity framework|a training programme for elected officials
|a public procurement dashboard|a digital services strategy""".replace("\n", "").split("|")
GOALS = """bring public institutions closer to citizens|strengthen cooperation between levels of
government|improve the performance of public services|ensure the participation of women and
youth|foster policy coherence across government|measure the impact of open government reforms
|share experiences between regions|build trust between citizens and elected officials
""".replace("\n", "").split("|")
ROLES_GOV = ["President", "Vice-President", "Secretary General", "Director", "Head"]
ROLES_UNIT = ["Head", "Director", "Coordinator", "Senior Advisor"]
ROLES_UNI = ["Dean", "Professor", "Director", "Researcher"]
ROLES_NGO = ["President", "Executive Director", "Programme Manager", "Co-founder", "Co-chair"]
ROLES_INTL = ["Regional Director", "Policy Analyst", "Senior Expert", "Programme Officer"]
ROLES_PARL = ["Speaker", "Deputy Speaker", "Member", "Committee Chair"]
UNITS = [
    ("percent", "percent"),
    ("citizens", "number"),
    ("commitments", "number"),
    ("municipalities", "number"),
    ("members", "number"),
    ("datasets", "number"),
    ("petitions", "number"),
]
STATUSES = ["adopted", "in preparation", "in implementation", "completed", "proposed"]


ENTITY_PREFIXES = {
    "forum",
    "session",
    "talk",
    "event",
    "person",
    "post",
    "membership",
    "organization",
    "place",
    "programme",
    "strategy",
    "plan",
    "commitment",
    "law",
    "platform",
    "figure",
    "conclusion",
    "milestone",
    "topic",
    "scheme",
}


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def lit(text: str, lang: str | None = "en") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


# ------------------------------------------------------------------------------------ graphs


class Graph:
    """One named graph: subjects in order, each with its predicates and objects in order."""

    def __init__(self, name: str, comment: str) -> None:
        self.name = name
        self.comment = comment
        self.subjects: dict[str, dict[str, list[str]]] = {}
        self.seen: set[tuple[str, str, str]] = set()
        self.described: set[str] = set()

    def add(self, s: str, p: str, o: str) -> None:
        if (s, p, o) in self.seen:
            return
        self.seen.add((s, p, o))
        self.subjects.setdefault(s, {}).setdefault(p, []).append(o)

    def adds(self, s: str, p: str, objects: list[str]) -> None:
        for o in objects:
            self.add(s, p, o)

    def __len__(self) -> int:
        return len(self.seen)

    def text(self) -> str:
        out = [PREFIXES, "", f"# {self.comment}", f"{self.name} {{", ""]
        for subject, predicates in self.subjects.items():
            parts = []
            for predicate, objects in predicates.items():
                if len(objects) == 1:
                    parts.append(f"{predicate} {objects[0]}")
                else:
                    parts.append(f"{predicate} " + ",\n            ".join(objects))
            out.append(f"    {subject} " + " ;\n        ".join(parts) + " .")
            out.append("")
        out.append("}")
        return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------ entities


@dataclass(eq=False)
class Place:
    iri: str
    label: str
    types: list[str]
    container: Place | None = None
    label_fr: str | None = None


@dataclass(eq=False)
class Programme:
    iri: str
    label: str
    acronym: str | None
    is_org: bool


@dataclass(eq=False)
class Org:
    iri: str
    label: str
    types: list[str]
    kind: str
    parent: Org | None = None
    relation: str | None = None  # "unit" or "sub"
    area: Place | None = None
    location: Place | None = None
    acronym: str | None = None
    member_of: list[tuple[Programme, str | None, str | None]] = field(default_factory=list)
    label_fr: str | None = None


@dataclass(eq=False)
class Post:
    iri: str
    label: str
    org: Org
    holder: Person | None = None


@dataclass(eq=False)
class Person:
    iri: str
    name: str
    honorific: str
    post: Post | None
    org: Org
    misspelling: str | None = None


@dataclass(eq=False)
class Topic:
    iri: str
    label: str
    label_fr: str
    scheme: str
    broader: Topic | None = None


# ------------------------------------------------------------------------------------ generator


class Generator:
    def __init__(self, seed: int, target: int, talks: int | None = None) -> None:
        self.rng = random.Random(seed)
        self.target = target
        self.target_talks = talks
        self.union: set[bytes] = set()  # 8-byte hashes of the distinct triples of all graphs
        self.slugs: dict[str, set[str]] = {}
        self.graphs_written: list[tuple[str, str, str]] = []  # (graph, section, document)
        self.files: dict[str, str] = {}
        self.quads = 0
        self.seed = seed
        self.used: set[str] = set()  # every IRI some graph describes
        # one forum is ~3.6k distinct triples: scale the shared pools with the number of forums
        # (or, asked for talks, ~36 talks)
        forums = max(1, round(target / 3600) if talks is None else round(talks / 36))
        self.build_pools(forums)

    # -------------------------------------------------------------- naming

    def unique(self, kind: str, slug: str) -> str:
        used = self.slugs.setdefault(kind, set())
        candidate, n = slug, 2
        while candidate in used:
            candidate = f"{slug}-{n}"
            n += 1
        used.add(candidate)
        return candidate

    def iri(self, prefix: str, kind: str, label: str) -> str:
        return f"{prefix}:{self.unique(kind, slugify(label))}"

    def place_name(self) -> str:
        rng = self.rng
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        return word.capitalize()

    # -------------------------------------------------------------- pools

    def build_pools(self, forums: int) -> None:
        rng = self.rng
        n_countries = min(len(COUNTRIES), 4 + forums // 3)
        self.countries = [
            Place(self.iri("place", "place", c), c, ["schema:Country", "schema:Place"])
            for c in COUNTRIES[:n_countries]
        ]
        self.regions: list[Place] = []
        self.towns: list[Place] = []
        for country in self.countries:
            for _ in range(rng.randint(3, 6)):
                name = f"{self.place_name()}-{self.place_name()}"
                region = Place(
                    self.iri("place", "place", name),
                    name,
                    ["schema:AdministrativeArea", "schema:Place"],
                    country,
                    label_fr=name if rng.random() < 0.5 else None,
                )
                self.regions.append(region)
                for _ in range(rng.randint(1, 3)):
                    town = self.place_name()
                    # the texts rarely say where a town is: containment only sometimes
                    self.towns.append(
                        Place(
                            self.iri("place", "place", town),
                            town,
                            ["schema:Place"],
                            region if rng.random() < 0.5 else None,
                        )
                    )
        self.programmes = [
            Programme(self.iri("programme", "programme", label), label, acronym, is_org)
            for label, acronym, is_org in PROGRAMMES
        ]

        orgs: list[Org] = []

        def org(label: str, types: list[str], kind: str, **extra: object) -> Org:
            found = Org(
                self.iri("organization", "organization", label),
                label,
                ["foaf:Organization", *types],
                kind,
                **extra,  # type: ignore[arg-type]
            )
            orgs.append(found)
            return found

        gov = "schema:GovernmentOrganization"
        for country in self.countries:
            government = org(
                f"Government of {country.label}",
                [gov, "org:FormalOrganization"],
                "gov",
                area=country,
            )
            government.member_of.append((self.programmes[0], None, None))
            parliament = org(
                f"Parliament of {country.label}",
                [gov, "org:FormalOrganization"],
                "parl",
                area=country,
            )
            org(
                f"Chamber of Representatives of {country.label}",
                [gov, "org:FormalOrganization"],
                "parl",
                parent=parliament,
                relation="sub",
                area=country,
            )
            for domain in rng.sample(MINISTRY_DOMAINS, 3):
                ministry = org(
                    f"Ministry of {domain} of {country.label}",
                    [gov, "org:FormalOrganization"],
                    "gov",
                    area=country,
                    parent=government,
                    relation="sub",
                )
                for unit in rng.sample(UNIT_DOMAINS, 2):
                    org(
                        f"{unit} Department, Ministry of {domain} of {country.label}",
                        [gov, "org:OrganizationalUnit"],
                        "unit",
                        parent=ministry,
                        relation="unit",
                    )
        for region in self.regions:
            council = org(
                f"{region.label} Regional Council",
                [gov, "org:FormalOrganization"],
                "gov",
                area=region,
                label_fr=f"Conseil régional de {region.label}",
            )
            if rng.random() < 0.4:
                role = rng.choice([None, "founding member"])
                year = rng.choice([None, "2018", "2019", "2020", "2021"])
                council.member_of.append((self.programmes[1], role, year))
        for town in self.towns:
            if rng.random() < 0.5:
                org(
                    f"Municipality of {town.label}",
                    [gov, "org:FormalOrganization"],
                    "gov",
                    area=town,
                )
        for town in rng.sample(self.towns, max(2, len(self.towns) // 3)):
            university = org(
                f"University of {town.label}",
                ["schema:CollegeOrUniversity", "org:FormalOrganization"],
                "uni",
                location=town,
            )
            for subject in rng.sample(FIELDS, 2):
                org(
                    f"School of {subject}, University of {town.label}",
                    ["schema:EducationalOrganization", "org:OrganizationalUnit"],
                    "uni",
                    parent=university,
                    relation="unit",
                )
        ngo_names = [f"{a} {b} {c}" for a in NGO_WORDS_A for b in NGO_WORDS_B for c in NGO_WORDS_C]
        rng.shuffle(ngo_names)
        for name in ngo_names[: 10 + forums * 2]:
            ngo = org(
                name,
                ["schema:NGO", "org:FormalOrganization"],
                "ngo",
                acronym="".join(w[0] for w in name.split()).upper(),
            )
            if rng.random() < 0.3:
                ngo.member_of.append((rng.choice(self.programmes[2:]), None, None))
        for name, acronym in INTERNATIONAL:
            intl = org(
                name, ["schema:Organization", "org:FormalOrganization"], "intl", acronym=acronym
            )
            if rng.random() < 0.5:
                intl.member_of.append((rng.choice(self.programmes), "founding member", None))
        for country in self.countries[: max(2, len(self.countries) // 2)]:
            org(
                f"{country.label} Digital Network",
                ["schema:Organization", "org:OrganizationalCollaboration"],
                "ngo",
            )
        self.orgs = orgs
        self.speaker_orgs = [o for o in orgs]

        # topics: the base topics, then "X in <domain>" under them, as many as the size needs
        self.topics: list[Topic] = []
        base = [
            Topic(f"topic:{self.unique('topic', slugify(en))}", en, fr, "topics")
            for en, fr in TOPICS
        ]
        for i, t in enumerate(base):
            t.broader = None if i < 6 else base[i % 6]
        self.topics.extend(base)
        wanted = min(len(TOPICS) * (1 + len(DOMAINS)), 30 + forums * 6)
        for en, fr in TOPICS:
            for d_en, d_fr in DOMAINS:
                if len(self.topics) >= wanted:
                    break
                label = f"{en} in {d_en}"
                parent = next(t for t in base if t.label == en)
                self.topics.append(
                    Topic(
                        f"topic:{self.unique('topic', slugify(label))}",
                        label,
                        f"{fr} : {d_fr}",
                        "topics",
                        parent,
                    )
                )
        self.areas = [
            Topic(f"topic:{self.unique('topic', slugify(en))}", en, fr, "commitment-areas")
            for en, fr in AREAS
        ]
        self.topic_cursor = 0

        # people: a pool a little smaller than the speaking slots, so some speak at several forums
        names = [f"{a} {b}" for a in FIRST_NAMES for b in LAST_NAMES]
        rng.shuffle(names)
        wanted_people = 30 + forums * 32
        initials = "ABCDEFGHJKLMNPRSTVW"
        while len(names) < wanted_people:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            names.append(f"{first} {rng.choice(initials)}. {last}")
        self.people: list[Person] = []
        for name in names[:wanted_people]:
            where = rng.choice(self.speaker_orgs)
            honorific = rng.choice(HONORIFICS)
            person_iri = self.iri("person", "person", name)
            post = None
            if rng.random() < 0.92:
                roles = {
                    "gov": ROLES_GOV,
                    "unit": ROLES_UNIT,
                    "uni": ROLES_UNI,
                    "ngo": ROLES_NGO,
                    "intl": ROLES_INTL,
                    "parl": ROLES_PARL,
                }[where.kind]
                title = f"{rng.choice(roles)} of {where.label}"
                post = Post(self.iri("post", "post", title), title, where)
            person = Person(person_iri, name, honorific, post, where)
            if post is not None:
                post.holder = person
            if rng.random() < 0.06:
                last = name.split()[-1]
                if len(last) > 4:
                    cut = rng.randrange(1, len(last) - 1)
                    wrong = name[: len(name) - len(last)] + last[:cut] + last[cut + 1 :]
                    if wrong != name:
                        person.misspelling = wrong
            self.people.append(person)
        self.people_cursor = 0
        self.moderators = [
            Person(
                self.iri("person", "person", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"),
                "",
                rng.choice(HONORIFICS),
                None,
                rng.choice(self.orgs),
            )
            for _ in range(max(3, forums // 4))
        ]
        for moderator in self.moderators:
            moderator.name = moderator.iri.split(":", 1)[1].replace("-", " ").title()

    # -------------------------------------------------------------- descriptions

    def labels(self, g: Graph, iri: str, label: str, name: bool = True) -> None:
        g.add(iri, "skos:prefLabel", lit(label))
        if name:
            g.add(iri, "schema:name", lit(label))

    def place(self, g: Graph, place: Place) -> None:
        if place.iri in g.described:
            return
        g.described.add(place.iri)
        g.adds(place.iri, "a", place.types)
        self.labels(g, place.iri, place.label)
        if place.container is not None:
            g.add(place.iri, "schema:containedInPlace", place.container.iri)
            self.place(g, place.container)

    def programme(self, g: Graph, programme: Programme) -> None:
        if programme.iri in g.described:
            return
        g.described.add(programme.iri)
        g.adds(
            programme.iri,
            "a",
            ["schema:Project", *(["org:Organization"] if programme.is_org else [])],
        )
        self.labels(g, programme.iri, programme.label)
        if programme.acronym:
            g.add(programme.iri, "skos:altLabel", lit(programme.acronym))
            g.add(programme.iri, "schema:alternateName", lit(programme.acronym))

    def org(self, g: Graph, org: Org, full: bool = True) -> None:
        if org.iri in g.described:
            return
        g.described.add(org.iri)
        g.adds(org.iri, "a", org.types)
        self.labels(g, org.iri, org.label)
        if not full:
            return
        if org.acronym:
            g.add(org.iri, "skos:altLabel", lit(org.acronym))
            g.add(org.iri, "schema:alternateName", lit(org.acronym))
        if org.parent is not None:
            if org.relation == "unit":
                g.add(org.iri, "org:unitOf", org.parent.iri)
                g.add(org.parent.iri, "org:hasUnit", org.iri)
            else:
                g.add(org.iri, "org:subOrganizationOf", org.parent.iri)
                g.add(org.parent.iri, "org:hasSubOrganization", org.iri)
            g.add(org.iri, "schema:parentOrganization", org.parent.iri)
            self.org(g, org.parent)
        if org.area is not None:
            g.add(org.iri, "schema:areaServed", org.area.iri)
            self.place(g, org.area)
        if org.location is not None:
            g.add(org.iri, "schema:location", org.location.iri)
            self.place(g, org.location)
        for programme, role, year in org.member_of:
            g.add(org.iri, "schema:memberOf", programme.iri)
            self.programme(g, programme)
            if role or year:
                m = f"membership:{slugify(org.iri.split(':', 1)[1] + '-' + programme.iri.split(':', 1)[1])}"
                g.add(m, "a", "org:Membership")
                label = f"{org.label} in the {programme.label}" + (f" ({year})" if year else "")
                g.add(m, "skos:prefLabel", lit(label))
                g.add(m, "org:member", org.iri)
                g.add(m, "org:organization", programme.iri)
                if role:
                    g.add(m, "schema:roleName", lit(role))
                if year:
                    g.add(m, "schema:startDate", f'"{year}"^^xsd:gYear')

    def person(self, g: Graph, person: Person, spelling: bool = False) -> None:
        if person.iri in g.described:
            return
        g.described.add(person.iri)
        g.adds(person.iri, "a", ["schema:Person", "foaf:Person"])
        self.labels(g, person.iri, person.name)
        g.add(person.iri, "foaf:name", lit(person.name))
        g.add(person.iri, "schema:honorificPrefix", lit(person.honorific))
        if spelling and person.misspelling:
            g.add(person.iri, "skos:hiddenLabel", lit(person.misspelling))
        if person.post is not None:
            post = person.post
            g.add(person.iri, "schema:jobTitle", lit(post.label))
            g.add(person.iri, "org:holds", post.iri)
            g.add(person.iri, "schema:affiliation", post.org.iri)
            g.add(post.iri, "a", "org:Post")
            g.add(post.iri, "skos:prefLabel", lit(post.label))
            g.add(post.iri, "org:postIn", post.org.iri)
            g.add(post.iri, "org:heldBy", person.iri)
            self.org(g, post.org)
        else:
            g.add(person.iri, "org:memberOf", person.org.iri)
            g.add(person.iri, "schema:affiliation", person.org.iri)
            self.org(g, person.org)

    def topic(self, g: Graph, topic: Topic) -> None:
        if topic.iri in g.described:
            return
        g.described.add(topic.iri)
        g.add(topic.iri, "a", "skos:Concept")
        g.add(topic.iri, "skos:prefLabel", lit(topic.label))
        g.add(topic.iri, "skos:inScheme", f"scheme:{topic.scheme}")

    def next_topics(self, n: int) -> list[Topic]:
        """Topics in turn first (so every topic is used), then at random."""
        found = []
        for _ in range(n):
            if self.topic_cursor < len(self.topics):
                found.append(self.topics[self.topic_cursor])
                self.topic_cursor += 1
            else:
                found.append(self.rng.choice(self.topics))
        return list(dict.fromkeys(found))

    def next_people(self, n: int) -> list[Person]:
        found = []
        for _ in range(n):
            if self.people_cursor < len(self.people):
                found.append(self.people[self.people_cursor])
                self.people_cursor += 1
            else:
                found.append(self.rng.choice(self.people))
        return list(dict.fromkeys(found))

    def sentence(self, who: str, topics: list[Topic]) -> str:
        rng = self.rng
        about = " and ".join(t.label for t in topics[:2]) or "openness"
        return (
            f"{who} {rng.choice(VERBS)} that {rng.choice(NOUNS)} was needed to "
            f"{rng.choice(GOALS)}, with a focus on {about}. "
            f"The speaker {rng.choice(VERBS)} {rng.choice(NOUNS)} in order to {rng.choice(GOALS)} "
            f"and to {rng.choice(GOALS)}."
        )

    # -------------------------------------------------------------- one forum

    def forum(self, number: int) -> list[Graph]:
        rng = self.rng
        theme = FORUM_THEMES[number % len(FORUM_THEMES)]
        country = self.countries[number % len(self.countries)]
        year = 2015 + number % 10
        label = f"{theme}: {country.label} {year}"
        fslug = self.unique("forum", slugify(label))
        if fslug != slugify(label):
            label += f" ({fslug.rsplit('-', 1)[1]})"
        forum = f"forum:{fslug}"
        date = f'"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"^^xsd:date'
        report = f"document:{fslug}-report"
        web = f"document:{fslug}-web-page"
        graphs: list[Graph] = []
        line = {"report": 1, "web": 1}
        position = {"report": 0, "web": 0}
        self.current_sections: list[tuple[str, str, str, str, int, int, int]] = []

        def new_graph(doc: str, key: str, section_label: str) -> tuple[Graph, str]:
            name = f"{fslug}-{key}"
            section = f"section:{name}"
            g = Graph(f"graph:{name}", f"{section_label}, generated for the benchmarks.")
            which = "report" if doc == report else "web"
            first = line[which]
            last = first + rng.randint(5, 60)
            line[which] = last + rng.randint(1, 3)
            position[which] += 1
            self.current_sections.append(
                (g.name, section, doc, section_label, position[which], first, last)
            )
            self.section_of[g.name] = section
            graphs.append(g)
            return g, section

        n_sessions = rng.randint(4, 7)
        session_labels = []
        for k in range(n_sessions):
            topic = self.topics[(number * 7 + k) % min(len(self.topics), len(TOPICS))]
            session_labels.append(f"{topic.label.capitalize()} in {country.label}, part {k + 1}")
        sessions = [
            f"session:{self.unique('session', slugify(fslug + '-' + str(k + 1)))}"
            for k in range(n_sessions)
        ]
        organizers = list(dict.fromkeys(rng.sample(self.orgs, 4)))
        lead = organizers[0]
        forum_topics = self.next_topics(3)
        moderator = self.moderators[number % len(self.moderators)]

        # ---- web page: introduction
        g, _ = new_graph(web, "web-intro", f"Web page of {label}: title and introduction")
        g.adds(forum, "a", ["schema:Event", "ofo:Forum", "prov:Activity"])
        self.labels(g, forum, label)
        g.add(forum, "schema:startDate", date)
        g.add(forum, "ofo:leadOrganizer", lead.iri)
        g.adds(forum, "schema:organizer", [o.iri for o in organizers])
        g.adds(forum, "schema:about", [t.iri for t in forum_topics] + [country.iri])
        g.add(
            forum,
            "schema:description",
            lit(
                f"The forum {label} gathered governments, parliaments, regional councils, universities "
                f"and civil society of {country.label} around "
                + ", ".join(t.label for t in forum_topics)
                + "."
            ),
        )
        for o in organizers:
            self.org(g, o)
        for t in forum_topics:
            self.topic(g, t)
        self.place(g, country)

        # ---- talks, speakers, plans and figures, per agenda section
        all_talks: list[tuple[int, str, str, list[Person], list[Topic]]] = []
        for k, session in enumerate(sessions):
            talks = []
            for j in range(rng.randint(4, 8)):
                speakers = self.next_people(1 if rng.random() < 0.75 else 2)
                topics = self.next_topics(rng.randint(1, 3))
                title = f"{topics[0].label.capitalize()}: the experience of {speakers[0].org.label}"
                tslug = self.unique("talk", slugify(f"{fslug}-{k + 1}-{j + 1}"))
                talks.append((j + 1, f"talk:{tslug}", title, speakers, topics))
            all_talks.extend(talks)
            session_topic = talks[0][4][0]

            # web page agenda block
            g, _ = new_graph(
                web, f"web-agenda-{k + 1}", f"Web page of {label}, agenda block {k + 1}"
            )
            g.add(forum, "schema:subEvent", session)
            g.adds(session, "a", ["schema:Event", "ofo:AgendaSection"])
            self.labels(g, session, session_labels[k])
            g.add(session, "schema:superEvent", forum)
            g.add(session, "ofo:agendaOrder", str(k + 1))
            g.adds(session, "schema:subEvent", [t[1] for t in talks])
            g.adds(session, "schema:about", [session_topic.iri])
            self.topic(g, session_topic)
            for order, talk, _title, speakers, topics in talks:
                g.adds(talk, "a", ["schema:Event", "ofo:Talk"])
                self.labels(g, talk, title)
                g.add(talk, "schema:superEvent", session)
                g.add(talk, "ofo:agendaOrder", str(order))
                g.adds(talk, "schema:performer", [p.iri for p in speakers])
                g.adds(talk, "schema:about", [t.iri for t in topics])
                for p in speakers:
                    self.person(g, p)
                for t in topics:
                    self.topic(g, t)

            # report section
            g, section = new_graph(
                report,
                f"report-{k + 1}",
                f"Report of {label}, section {k + 3}: {session_labels[k]}",
            )
            g.adds(session, "a", ["schema:Event", "ofo:AgendaSection"])
            self.labels(g, session, session_labels[k])
            g.adds(session, "schema:subEvent", [t[1] for t in talks])
            for order, talk, _title, speakers, topics in talks:
                g.adds(talk, "a", ["schema:Event", "ofo:Talk"])
                g.add(talk, "schema:superEvent", session)
                g.adds(talk, "schema:performer", [p.iri for p in speakers])
                g.adds(talk, "schema:about", [t.iri for t in topics])
                who = f"{speakers[0].honorific} {speakers[0].misspelling or speakers[0].name}"
                g.add(talk, "schema:abstract", lit(self.sentence(who, topics)))
                if rng.random() < 0.3:
                    g.add(talk, "schema:abstract", lit(self.sentence("The speaker", topics[::-1])))
                for p in speakers:
                    self.person(g, p, spelling=True)
                for t in topics:
                    self.topic(g, t)
                if rng.random() < 0.45:  # a figure the speaker reported
                    unit, _ = rng.choice(UNITS)
                    value = rng.randint(1, 100) if unit == "percent" else rng.randint(3, 5000)
                    about = speakers[0].org
                    measured = f"{rng.choice(['share', 'number', 'growth', 'completion', 'ambition'])} of {topics[0].label}"
                    fig = f"figure:{self.unique('figure', slugify(f'{fslug}-{k + 1}-{order}-{measured}'))}"
                    g.add(fig, "a", "schema:Observation")
                    self.labels(g, fig, f"{about.label}, {measured}: {value} {unit}")
                    g.add(fig, "schema:value", str(value))
                    g.add(fig, "schema:unitText", lit(unit))
                    g.add(fig, "schema:variableMeasured", lit(measured))
                    g.add(fig, "schema:observationAbout", about.iri)
                    g.add(fig, "ofo:statedBy", speakers[0].iri)
                    g.add(fig, "ofo:statedIn", talk)
                    self.org(g, about)
            if rng.random() < 0.7:  # an action plan presented in this section
                owner = talks[0][3][0].org
                start = year + rng.randint(-2, 1)
                plan_label = f"{owner.label} open government action plan {start}-{start + 2}"
                plan = f"plan:{self.unique('action-plan', slugify(plan_label))}"
                commitments = rng.randint(2, 7)
                areas = list(dict.fromkeys(rng.sample(self.areas, rng.randint(1, 3))))
                g.adds(plan, "a", ["ofo:ActionPlan", "prov:Plan", "schema:CreativeWork"])
                self.labels(g, plan, plan_label)
                g.add(plan, "prov:wasAttributedTo", owner.iri)
                g.add(plan, "schema:creator", owner.iri)
                g.add(plan, "schema:temporalCoverage", f'"{start}/{start + 2}"')
                g.add(plan, "schema:creativeWorkStatus", lit(rng.choice(STATUSES)))
                g.add(plan, "ofo:commitmentCount", str(commitments + rng.randint(0, 3)))
                g.adds(plan, "ofo:commitmentArea", [a.iri for a in areas])
                place = owner.area or country
                g.add(plan, "schema:spatialCoverage", place.iri)
                self.place(g, place)
                self.org(g, owner)
                for a in areas:
                    self.topic(g, a)
                for c in range(1, commitments + 1):
                    area = areas[(c - 1) % len(areas)]
                    c_label = f"{area.label.capitalize()} commitment {c} of the {plan_label}"
                    com = f"commitment:{self.unique('commitment', slugify(plan.split(':')[1] + '-' + str(c)))}"
                    g.add(plan, "schema:hasPart", com)
                    g.adds(com, "a", ["ofo:Commitment", "prov:Plan", "schema:CreativeWork"])
                    self.labels(g, com, c_label)
                    g.add(com, "schema:position", str(c))
                    g.add(com, "schema:isPartOf", plan)
                    g.add(com, "prov:wasAttributedTo", owner.iri)
                    g.add(com, "schema:about", area.iri)
                    g.add(
                        com,
                        "schema:description",
                        lit(f"{rng.choice(NOUNS).capitalize()} to {rng.choice(GOALS)}"),
                    )

        # ---- report: overview (the conclusions)
        g, section = new_graph(
            report, "report-overview", f"Report of {label}, section 1: Overview (the conclusions)"
        )
        g.adds(forum, "a", ["schema:Event", "ofo:Forum", "prov:Activity"])
        g.add(forum, "skos:altLabel", lit(f"{theme} forum {year}"))
        g.add(forum, "schema:alternateName", lit(f"{theme} forum {year}"))
        for n in range(1, rng.randint(6, 12) + 1):
            c = f"conclusion:{self.unique('conclusion', f'{fslug}-{n}')}"
            topics = self.next_topics(2)
            g.adds(c, "a", ["ofo:Conclusion", "schema:Statement"])
            self.labels(g, c, f"Conclusion {n} of {label}: {topics[0].label}")
            g.add(c, "schema:text", lit(self.sentence("The forum", topics)))
            g.add(c, "schema:position", str(n))
            g.add(c, "schema:isPartOf", section)
            g.add(c, "prov:wasGeneratedBy", forum)
            g.adds(c, "schema:about", [t.iri for t in topics])
            for t in topics:
                self.topic(g, t)
            if rng.random() < 0.4:
                who = rng.choice(organizers)
                g.add(c, "prov:wasAttributedTo", who.iri)
                self.org(g, who, full=False)

        # ---- report: background (the moderator and the milestones)
        g, section = new_graph(
            report, "report-background", f"Report of {label}, section 2: Background"
        )
        g.adds(forum, "a", ["schema:Event", "ofo:Forum", "prov:Activity"])
        g.add(forum, "ofo:moderator", moderator.iri)
        g.add(forum, "schema:contributor", moderator.iri)
        self.person(g, moderator)
        for n in range(1, rng.randint(4, 8) + 1):
            m = f"milestone:{self.unique('milestone', f'{fslug}-{n}')}"
            topics = self.next_topics(1)
            g.adds(m, "a", ["ofo:Milestone", "schema:Statement"])
            self.labels(g, m, f"Milestone {n} of {label}: {topics[0].label}")
            g.add(m, "schema:text", lit(self.sentence("The forum", topics)))
            g.add(m, "schema:position", str(n))
            g.add(m, "schema:isPartOf", section)
            g.add(m, "ofo:statedBy", moderator.iri)
            g.add(m, "ofo:statedIn", forum)
            g.adds(m, "schema:about", [forum] + [t.iri for t in topics])
            for t in topics:
                self.topic(g, t)

        self.sections.extend(self.current_sections)
        self.documents.append(
            (report, f"Report of the forum {label}", fslug, forum, "schema:Report")
        )
        self.documents.append(
            (web, f"Web page of the forum {label}", fslug, forum, "schema:WebPage")
        )
        self.forums.append((forum, label, sessions, all_talks))
        return graphs

    # -------------------------------------------------------------- whole dataset

    def count(self, g: Graph, section: str | None = None) -> None:
        """Add a graph's triples to the union; for a sourced graph, also the `schema:mentions`
        triples the loader will add (its section mentions every entity the graph names)."""
        self.quads += len(g)
        self.used.update(g.described)
        add = self.union.add
        for s, p, o in g.seen:
            add(hashlib.blake2b(f"{s} {p} {o}".encode(), digest_size=8).digest())
        if section is not None:
            named = {
                t for s, _, o in g.seen for t in (s, o) if t.split(":", 1)[0] in ENTITY_PREFIXES
            }
            for entity in named:
                add(
                    hashlib.blake2b(f"{section} mentions {entity}".encode(), digest_size=8).digest()
                )

    def pending(self) -> int:
        """The triples `sources.trig` and `editorial.trig` will add (an estimate)."""
        return (
            15 * len(self.sections)
            + 8 * len(self.documents)
            + 4 * (len(self.topics) + len(self.areas))
            + 12
        )

    def wants_more(self) -> bool:
        """Whether another forum is needed to reach the size asked for."""
        if self.target_talks is not None:
            return sum(len(f[3]) for f in self.forums) < self.target_talks
        return len(self.union) + self.pending() < self.target

    def write(self, out: Path, g: Graph, filename: str) -> None:
        (out / filename).write_text(g.text(), encoding="utf-8")

    def run(self, out: Path) -> dict[str, object]:
        self.sections: list[tuple[str, str, str, str, int, int, int]] = []
        self.section_of: dict[str, str] = {}
        self.documents: list[tuple[str, str, str, str, str]] = []
        self.forums: list[tuple[str, str, list[str], list]] = []
        number = 0
        # keep ~5% for the sources and editorial graphs
        while self.wants_more() or number == 0:
            for g in self.forum(number):
                self.count(g, self.section_of[g.name])
                self.write(out, g, g.name.split(":", 1)[1] + ".trig")
            number += 1
        if True:  # every topic and commitment area must be stated in some source section
            g = Graph(
                f"graph:{self.forums[-1][0].split(':')[1]}-web-topics",
                "Topics the last forum lists",
            )
            rest = self.topics[self.topic_cursor :] + self.areas
            for t in rest:
                self.topic(g, t)
            g.adds(self.forums[-1][0], "schema:about", [t.iri for t in rest])
            doc = f"document:{self.forums[-1][0].split(':')[1]}-web-page"
            last = max(s[6] for s in self.sections if s[2] == doc)
            pos = max(s[4] for s in self.sections if s[2] == doc)
            name = g.name.split(":", 1)[1]
            self.sections.append(
                (
                    g.name,
                    f"section:{name}",
                    doc,
                    "Web page: the list of topics",
                    pos + 1,
                    last + 2,
                    last + 4,
                )
            )
            self.count(g, f"section:{name}")
            self.write(out, g, f"{name}.trig")

        editorial = self.editorial()
        self.count(editorial)
        self.write(out, editorial, "editorial.trig")
        sources = self.sources()
        self.count(sources)
        self.write(out, sources, "sources.trig")

        first_forum, _first_label, first_sessions, first_talks = self.forums[0]
        speaker = first_talks[0][3][0]
        surname = speaker.name.split()[-1]
        target: dict[str, object] = (
            {"target_triples": self.target}
            if self.target_talks is None
            else {"target_talks": self.target_talks}
        )
        return {
            "seed": self.seed,
            **target,
            "triples": len(self.union),  # the union of the data graphs and graph/mentions
            "quads": self.quads,
            "forums": len(self.forums),
            "graphs": len(self.sections) + 2,
            "people": len(self.slugs.get("person", ())),
            "organizations": len(self.orgs),
            "talks": sum(len(f[3]) for f in self.forums),
            "topics": len(self.topics) + len(self.areas),
            "anchors": {
                "person": speaker.iri.replace("person:", "id/person/"),
                "forum": first_forum.replace("forum:", "id/forum/"),
                "session": first_sessions[0].replace("session:", "id/session/"),
                "search": surname.lower(),
            },
        }

    def editorial(self) -> Graph:
        g = Graph("graph:editorial", "What the editors add: French labels and the topic hierarchy.")
        for scheme, en, fr, members in (
            ("topics", "Topics of the generated forums", "Thèmes des forums générés", self.topics),
            (
                "commitment-areas",
                "Open-government commitment areas",
                "Domaines des engagements de gouvernement ouvert",
                self.areas,
            ),
        ):
            s = f"scheme:{scheme}"
            g.add(s, "a", "skos:ConceptScheme")
            g.add(s, "skos:prefLabel", lit(en))
            g.add(s, "skos:prefLabel", lit(fr, "fr"))
            g.add(s, "schema:name", lit(en))
            g.add(s, "skos:definition", lit(f"{en}, arranged in a hierarchy by the editors."))
            g.adds(s, "skos:hasTopConcept", [t.iri for t in members if t.broader is None])
        for t in [*self.topics, *self.areas]:
            g.add(t.iri, "skos:prefLabel", lit(t.label_fr, "fr"))
            if t.broader is None:
                g.add(t.iri, "skos:topConceptOf", f"scheme:{t.scheme}")
            else:
                g.add(t.iri, "skos:broader", t.broader.iri)
                g.add(t.broader.iri, "skos:narrower", t.iri)
        for place in [*self.countries, *self.regions]:
            if place.label_fr and place.iri in self.used:
                g.add(place.iri, "skos:prefLabel", lit(place.label_fr, "fr"))
                g.add(place.iri, "schema:name", lit(place.label_fr, "fr"))
        for o in self.orgs:
            if o.label_fr and o.iri in self.used:
                g.add(o.iri, "skos:prefLabel", lit(o.label_fr, "fr"))
                g.add(o.iri, "schema:name", lit(o.label_fr, "fr"))
                g.add(o.iri, "skos:editorialNote", lit("Official French name, not in the sources."))
        return g

    def sources(self) -> Graph:
        g = Graph(
            "graph:sources",
            "The source documents, their sections with line ranges, and a description of every named graph.",
        )
        by_doc: dict[str, list[tuple[str, str, str, str, int, int, int]]] = {}
        for s in self.sections:
            by_doc.setdefault(s[2], []).append(s)
        for doc, label, _fslug, forum, doc_type in self.documents:
            g.adds(doc, "a", ["ofo:SourceDocument", "prov:Entity", doc_type])
            self.labels(g, doc, label)
            g.add(doc, "schema:inLanguage", '"en"')
            g.add(doc, "schema:encodingFormat", '"text/plain"')
            g.add(
                doc,
                "<http://purl.org/dc/elements/1.1/rights>",
                '"Generated; no rights are known."@en',
            )
            g.add(doc, "schema:about", forum)
            for _graph, section, _, s_label, pos, first, last in by_doc.get(doc, []):
                g.adds(section, "a", ["ofo:SourceSection", "prov:Entity", "schema:CreativeWork"])
                self.labels(g, section, s_label)
                g.add(section, "schema:isPartOf", doc)
                g.add(section, "schema:position", str(pos))
                g.add(section, "ofo:firstLine", str(first))
                g.add(section, "ofo:lastLine", str(last))
                g.add(doc, "schema:hasPart", section)
        for graph, section, doc, s_label, *_ in self.sections:
            g.adds(graph, "a", ["ofo:SourcedGraph", "prov:Entity"])
            g.add(
                graph,
                "skos:prefLabel",
                lit(f"Statements taken from {s_label[0].lower()}{s_label[1:]}"),
            )
            g.adds(graph, "prov:wasDerivedFrom", [section, doc])
        for name, en, fr, description in (
            (
                "editorial",
                "Editorial additions",
                "Ajouts éditoriaux",
                "French labels and the topic hierarchy, added by the editors.",
            ),
            (
                "sources",
                "Source documents and graphs",
                "Documents sources et graphes",
                "The source documents, their sections with line ranges, and a description of every named graph.",
            ),
            (
                "mentions",
                "Mentions computed by the loader",
                "Mentions calculées au chargement",
                "For every section, schema:mentions links to each entity its graph describes or names; computed when the data is loaded.",
            ),
        ):
            gi = f"graph:{name}"
            g.add(gi, "a", "prov:Entity")
            g.add(gi, "skos:prefLabel", lit(en))
            g.add(gi, "skos:prefLabel", lit(fr, "fr"))
            g.add(gi, "schema:description", lit(description))
        return g


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory to write (replaced)")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--triples", type=int, default=10_000, help="target size (distinct triples)")
    size.add_argument(
        "--talks", type=int, help="target size in talks instead: forums until at least this many"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    generator = Generator(args.seed, args.triples, args.talks)
    manifest = generator.run(args.out)
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
