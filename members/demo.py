"""Demo people for development: organisations, members, applications and moderators.

Development only (the `seed` command calls this when DEBUG is on). Everything
goes through the real services, so the demo data obeys the same rules as real
data: accepted by a moderator or coordinator, moderators are active members,
every active community has a current moderator.

Idempotent: organisations are matched by name, people by e-mail address, and a
person who already has a membership of a community (in any state) is left alone
there. Deterministic: the spread over the communities comes from a fixed seed.
The content is Dutch, like the communities themselves; it is data, not
interface text.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from communities.founding import FOUNDING_DATE
from communities.models import (
    CommunityPage,
    CommunityStatus,
    Membership,
    MembershipState,
    Moderatorship,
    Topic,
)
from communities.permissions import COORDINATORS_GROUP
from communities.services.memberships import (
    membership_accept,
    membership_answer,
    membership_apply,
    membership_ask,
    membership_decline,
    membership_leave,
    membership_withdraw,
)
from communities.services.moderators import moderator_appoint
from communities.terms import Role
from cop_platform.mail import mail_muted
from cop_platform.page_cache import invalidate_member_pages
from members.models import Organisation, OrganisationKind, Province
from members.services import profile_update

DEMO_DOMAIN = "example.org"
NETWORK_COORDINATOR_EMAIL = f"netwerk@{DEMO_DOMAIN}"
RANDOM_SEED = 2026
# One hash for every demo person, with a fixed salt so a second run can see that
# nothing changed: hashing the password sixty times would take most of a minute.
# The salt is long enough that Django does not ask to rehash it at login.
_PASSWORD_SALT = "copdemodatasaltfordevelopmentonly"  # nosec B105  # demo accounts only

K = OrganisationKind
P = Province

# name → (kind, province, website)
ORGANISATIONS = {
    "Bibliotheek Midden-Brabant": (K.PUBLIC_LIBRARY, P.NOORD_BRABANT,
                                   "https://www.bibliotheekmiddenbrabant.nl"),
    "Bibliotheek Utrecht": (K.PUBLIC_LIBRARY, P.UTRECHT, "https://www.bibliotheekutrecht.nl"),
    "Bibliotheek Rotterdam": (K.PUBLIC_LIBRARY, P.ZUID_HOLLAND, "https://www.bibliotheek.rotterdam.nl"),
    "Bibliotheek Oosterschelde": (K.PUBLIC_LIBRARY, P.ZEELAND, ""),
    "Bibliotheek Venlo": (K.PUBLIC_LIBRARY, P.LIMBURG, ""),
    "Rijnbrink": (K.POI, P.GELDERLAND, "https://www.rijnbrink.nl"),
    "ProBiblio": (K.POI, P.NOORD_HOLLAND, "https://www.probiblio.nl"),
    "Cubiss": (K.POI, P.NOORD_BRABANT, "https://www.cubiss.nl"),
    "Biblionet Drenthe": (K.POI, P.DRENTHE, ""),
    "Koninklijke Bibliotheek": (K.KB, P.NATIONAL, "https://www.kb.nl"),
    "Hogeschool van Amsterdam": (K.EDUCATION, P.NOORD_HOLLAND, "https://www.hva.nl"),
    "GGD Fryslân": (K.SOCIAL_DOMAIN, P.FRIESLAND, ""),
    "Leeslab Flevoland B.V.": (K.COMPANY, P.FLEVOLAND, ""),
    "Stichting Lezen": (K.OTHER, P.NATIONAL, "https://www.lezen.nl"),
}  # fmt: skip

# The shared vocabulary: name → (what someone asking for it wants, what someone
# bringing it offers). Both read after "Ik zoek" / "Ik breng".
TOPICS = {
    "leesbevordering": (
        "ideeën om kinderen die weinig lezen toch aan het lezen te krijgen",
        "ervaring met voorleesprojecten en leesclubs op school",
    ),
    "samenwerking met scholen": (
        "afspraken met scholen die ook na een jaar nog werken",
        "een samenwerkingsovereenkomst die we met twintig basisscholen gebruiken",
    ),
    "subsidies aanvragen": (
        "hulp bij een subsidieaanvraag voor een meerjarig project",
        "kennis van provinciale en landelijke regelingen en een paar geslaagde aanvragen",
    ),
    "evaluatie": (
        "een eenvoudige manier om activiteiten te evalueren",
        "evaluatieformulieren die we al twee jaar gebruiken",
    ),
    "data en effectmeting": (
        "inzicht in hoe we maatschappelijk effect kunnen meten",
        "ervaring met de Bibliotheekmonitor en eigen dashboards",
    ),
    "makerspace inrichten": (
        "advies over een makerspace met een klein budget",
        "een ingerichte makerspace waar collega's mogen komen kijken",
    ),
    "vrijwilligers": (
        "manieren om vrijwilligers te werven en vast te houden",
        "een vrijwilligersbeleid en trainingen voor vrijwilligers",
    ),
    "communicatie": (
        "hulp om ons verhaal beter te vertellen aan gemeente en inwoners",
        "campagnemateriaal en ervaring met sociale media",
    ),
    "digitale vaardigheden": (
        "lesmateriaal over digitale vaardigheden voor ouderen",
        "trainers voor Klik & Tik en Digisterker",
    ),
    "laaggeletterdheid": (
        "wegen om laaggeletterden via partners te bereiken",
        "een netwerk van taalvrijwilligers en ons Taalhuis-model",
    ),
    "samenwerking met gemeenten": (
        "tips om structureel budget bij de gemeente te krijgen",
        "ervaring met prestatieafspraken en gesprekken met wethouders",
    ),
    "programmering en activiteiten": (
        "inspiratie voor een programma dat nieuwe bezoekers trekt",
        "draaiboeken voor activiteiten die goed liepen",
    ),
    "verandermanagement": (
        "hulp om het team mee te nemen in een grote verandering",
        "ervaring als projectleider van een reorganisatie",
    ),
    "training en scholing": (
        "goede trainingen voor collega's met nieuwe taken",
        "trainingen die wij zelf geven en graag delen",
    ),
    "nieuwe doelgroepen bereiken": (
        "ideeën om jongeren en nieuwkomers te bereiken",
        "contacten met jongerenwerk en organisaties voor nieuwkomers",
    ),
}

# Community number → its topics, most asked for first and most brought last, so the
# balance shows both gaps and surpluses and the middle topics give matches.
COMMUNITY_TOPICS = {
    1: ["leesbevordering", "samenwerking met scholen", "programmering en activiteiten",
        "evaluatie", "subsidies aanvragen"],
    2: ["samenwerking met scholen", "digitale vaardigheden", "evaluatie", "communicatie",
        "training en scholing"],
    3: ["laaggeletterdheid", "data en effectmeting", "samenwerking met gemeenten",
        "digitale vaardigheden", "vrijwilligers"],
    4: ["samenwerking met gemeenten", "nieuwe doelgroepen bereiken", "subsidies aanvragen",
        "laaggeletterdheid", "vrijwilligers"],
    5: ["nieuwe doelgroepen bereiken", "subsidies aanvragen", "digitale vaardigheden",
        "programmering en activiteiten", "training en scholing"],
    6: ["nieuwe doelgroepen bereiken", "evaluatie", "samenwerking met gemeenten",
        "vrijwilligers", "programmering en activiteiten"],
    7: ["makerspace inrichten", "subsidies aanvragen", "samenwerking met scholen",
        "vrijwilligers", "training en scholing"],
    8: ["data en effectmeting", "verandermanagement", "nieuwe doelgroepen bereiken",
        "digitale vaardigheden", "communicatie"],
    9: ["verandermanagement", "makerspace inrichten", "nieuwe doelgroepen bereiken",
        "vrijwilligers", "programmering en activiteiten"],
    10: ["verandermanagement", "data en effectmeting", "training en scholing", "evaluatie",
         "communicatie"],
    11: ["data en effectmeting", "samenwerking met gemeenten", "evaluatie",
         "subsidies aanvragen", "communicatie"],
    12: ["subsidies aanvragen", "data en effectmeting", "makerspace inrichten",
         "programmering en activiteiten", "evaluatie"],
    13: ["nieuwe doelgroepen bereiken", "data en effectmeting", "evaluatie",
         "programmering en activiteiten", "communicatie"],
    14: ["verandermanagement", "samenwerking met gemeenten", "evaluatie",
         "training en scholing", "communicatie"],
    15: ["verandermanagement", "data en effectmeting", "vrijwilligers", "evaluatie",
         "training en scholing"],
}  # fmt: skip

# (first name, last name, organisation, job title, home community, language).
# Four people call each community home; some join one or two more.
PEOPLE = [
    ("Sanne", "de Vries", "Bibliotheek Midden-Brabant", "Leesconsulent", 1, "nl"),
    ("Marloes", "Hendriks", "Cubiss", "Consulent lezen en onderwijs", 1, "nl"),
    ("Roos", "Claassen", "Stichting Lezen", "Adviseur leesbevordering", 1, "nl"),
    ("Femke", "Dekker", "Bibliotheek Utrecht", "Leesconsulent", 1, "nl"),
    ("Daan", "Jansen", "Bibliotheek Rotterdam", "Mediacoach", 2, "nl"),
    ("Kim", "Vermeulen", "ProBiblio", "Adviseur mediawijsheid", 2, "nl"),
    ("Tim", "Boersma", "Bibliotheek Venlo", "Mediacoach", 2, "nl"),
    ("Hannah", "Clarke", "Hogeschool van Amsterdam", "Lecturer media literacy", 2, "en"),
    ("Lotte", "Smit", "Bibliotheek Utrecht", "Coördinator Taalhuis", 3, "nl"),
    ("Nadia", "el Amrani", "Bibliotheek Rotterdam", "Adviseur basisvaardigheden", 3, "nl"),
    ("Gerrit", "Postma", "Biblionet Drenthe", "Adviseur digitale inclusie", 3, "nl"),
    ("Hanneke", "Schouten", "Rijnbrink", "Consulent basisvaardigheden", 3, "nl"),
    ("Tjitske", "Hoekstra", "GGD Fryslân", "Gezondheidsbevorderaar", 4, "nl"),
    ("Youssef", "Bouzid", "Bibliotheek Rotterdam", "Coördinator informatiepunt", 4, "nl"),
    ("Sjoerd", "Wijnstra", "GGD Fryslân", "Beleidsadviseur", 4, "nl"),
    ("Annemiek", "Verhoeven", "Bibliotheek Oosterschelde", "Adviseur sociaal domein", 4, "nl"),
    ("Judith", "van Beek", "Rijnbrink", "Adviseur leven lang ontwikkelen", 5, "nl"),
    ("Erik", "Scholten", "Bibliotheek Midden-Brabant", "Programmamaker volwassenen", 5, "nl"),
    ("Mirjam", "Timmermans", "Hogeschool van Amsterdam", "Docent-onderzoeker", 5, "nl"),
    ("Samira", "Benali", "Bibliotheek Utrecht", "Programmamaker", 5, "nl"),
    ("Bram", "Meijer", "Bibliotheek Utrecht", "Community librarian", 6, "nl"),
    ("Anouk", "de Boer", "Bibliotheek Venlo", "Community librarian", 6, "nl"),
    ("Dennis", "van Vliet", "Bibliotheek Rotterdam", "Wijkbibliothecaris", 6, "nl"),
    ("Nienke", "Kuipers", "Biblionet Drenthe", "Adviseur netwerkontwikkeling", 6, "nl"),
    ("Thijs", "Visser", "Bibliotheek Midden-Brabant", "Makerspace-coach", 7, "nl"),
    ("Jasper", "Koster", "Leeslab Flevoland B.V.", "Productowner", 7, "nl"),
    ("Tomasz", "Nowak", "Leeslab Flevoland B.V.", "Developer", 7, "en"),
    ("Merel", "van Wijk", "Cubiss", "Adviseur techniek en educatie", 7, "nl"),
    (
        "Jeroen",
        "Mulder",
        "Koninklijke Bibliotheek",
        "Programmamanager digitale bibliotheek",
        8,
        "nl",
    ),
    ("Stefan", "Maas", "ProBiblio", "Adviseur digitale dienstverlening", 8, "nl"),
    ("Charlotte", "Veenstra", "Bibliotheek Oosterschelde", "Teamleider online", 8, "nl"),
    ("Vincent", "Kuijpers", "Leeslab Flevoland B.V.", "Accountmanager bibliotheken", 8, "nl"),
    ("Eva", "de Graaf", "Bibliotheek Oosterschelde", "Vestigingsmanager", 9, "nl"),
    ("Ruben", "Bos", "Bibliotheek Venlo", "Projectleider nieuwbouw", 9, "nl"),
    ("Linda", "Kramer", "Rijnbrink", "Adviseur vestigingsconcepten", 9, "nl"),
    ("Arjen", "de Haan", "Bibliotheek Midden-Brabant", "Teamleider publieksservice", 9, "nl"),
    ("Iris", "Vos", "Bibliotheek Rotterdam", "Manager bedrijfsvoering", 10, "nl"),
    ("Joost", "Peters", "Cubiss", "Adviseur bedrijfsvoering", 10, "nl"),
    ("Hans", "Mertens", "Bibliotheek Venlo", "Directeur-bestuurder", 10, "nl"),
    ("Petra", "Groen", "Biblionet Drenthe", "Adviseur collectie", 10, "nl"),
    ("Wouter", "van Dijk", "Koninklijke Bibliotheek", "Onderzoeker bibliotheekmonitor", 11, "nl"),
    ("Martijn", "Dijkstra", "Hogeschool van Amsterdam", "Lector", 11, "nl"),
    ("Esther", "de Wit", "ProBiblio", "Onderzoeker", 11, "nl"),
    ("Saskia", "Prins", "Bibliotheek Utrecht", "Beleidsmedewerker", 11, "nl"),
    ("Pieter", "de Jong", "Koninklijke Bibliotheek", "Adviseur innovatie", 12, "nl"),
    ("Koen", "van Leeuwen", "Rijnbrink", "Adviseur innovatie", 12, "nl"),
    ("Noor", "Verbeek", "Leeslab Flevoland B.V.", "Conceptontwikkelaar", 12, "nl"),
    ("Frank", "Hermans", "Bibliotheek Oosterschelde", "Projectleider innovatie", 12, "nl"),
    ("Fleur", "Bakker", "Bibliotheek Rotterdam", "Marketingadviseur", 13, "nl"),
    ("Chantal", "Bosman", "ProBiblio", "Adviseur marketing", 13, "nl"),
    ("Lars", "Jacobs", "Bibliotheek Midden-Brabant", "Communicatieadviseur", 13, "nl"),
    ("Sophie", "Kok", "Stichting Lezen", "Campagnemanager", 13, "nl"),
    ("Yvonne", "van den Berg", "Koninklijke Bibliotheek", "Beleidsadviseur netwerk", 14, "nl"),
    ("Niels", "Brouwer", "Cubiss", "Kennismanager", 14, "nl"),
    ("Ingrid", "Smits", "Bibliotheek Venlo", "Kwaliteitsmedewerker", 14, "nl"),
    ("Emre", "Yılmaz", "Hogeschool van Amsterdam", "Docent informatiekunde", 14, "nl"),
    ("Maarten", "van der Linden", "Rijnbrink", "Trainer", 15, "nl"),
    ("Marieke", "Zwart", "Biblionet Drenthe", "Adviseur HR en opleiding", 15, "nl"),
    ("Rik", "Willems", "Bibliotheek Utrecht", "Opleidingscoördinator", 15, "nl"),
    ("Bart", "Huisman", "Koninklijke Bibliotheek", "Programmaleider vakmanschap", 15, "nl"),
]

HAAL_OPENINGS = ["Ik zoek", "Wij zoeken", "Graag krijg ik"]
BRENG_OPENINGS = ["Ik breng", "Wij delen graag", "Ik kan helpen met"]
HAAL_WEIGHTS = [5, 4, 3, 2, 1]
BRENG_WEIGHTS = [1, 2, 3, 4, 5]

# Moderators: two in some communities; in others the only moderator's term ends
# within a month, so the coordinator's overview has something to show.
TWO_MODERATORS = {1, 3, 8, 11}
ENDING_SOON = {4: 12, 9: 20, 13: 27}  # community number → days left
# Extra application histories, by community number.
NEEDS_INFO = {2, 6, 11}
ANSWERED = {5, 13}  # asked, answered, back in the queue
DECLINED = {10}
WITHDRAWN = {14}
LEFT = {7}

QUESTIONS = [
    "Kun je iets meer vertellen over wat je in je eigen bibliotheek al hebt geprobeerd?",
    "Werk je hier samen met collega's van je organisatie aan, of alleen?",
]
ANSWER = "Ja: we hebben vorig jaar een kleine pilot gedaan en ik wil die graag opschalen."
DECLINE_REASON = "Je vraag past beter bij de community Effectmeting; daar ben je van harte welkom."


@dataclass
class PlannedMembership:
    person: int  # index into PEOPLE
    community: int  # agenda number
    fate: str  # "moderator", "active", "pending", "needs_info", "answered", ...
    haal_topics: list[str]
    breng_topics: list[str]
    haal: str
    breng: str
    self_role: str


@dataclass
class DemoSummary:
    people: int
    people_created: int
    memberships_created: int
    moderators_appointed: int
    roles_added: int = 0


def demo_email(first: str, last: str) -> str:
    """sanne.devries@example.org: accents dropped, no spaces."""
    local = f"{first}.{last}".replace(" ", "").lower()
    local = unicodedata.normalize("NFKD", local.replace("ı", "i"))
    local = "".join(ch for ch in local if not unicodedata.combining(ch))
    return f"{local}@{DEMO_DOMAIN}"


def _weighted_sample(rng: random.Random, items: list, weights: list, k: int) -> list:
    items, weights, chosen = list(items), list(weights), []
    for _ in range(min(k, len(items))):
        index = rng.choices(range(len(items)), weights=weights)[0]
        chosen.append(items.pop(index))
        weights.pop(index)
    return chosen


def _answers(rng: random.Random, number: int) -> tuple[list[str], list[str], str, str]:
    topics = COMMUNITY_TOPICS[number]
    haal_topics = _weighted_sample(rng, topics, HAAL_WEIGHTS, rng.choice([1, 1, 2]))
    rest = [t for t in topics if t not in haal_topics]
    rest_weights = [BRENG_WEIGHTS[topics.index(t)] for t in rest]
    breng_topics = _weighted_sample(rng, rest, rest_weights, rng.choice([1, 2, 2]))
    haal = f"{rng.choice(HAAL_OPENINGS)} " + " en ".join(TOPICS[t][0] for t in haal_topics) + "."
    breng = f"{rng.choice(BRENG_OPENINGS)} " + " en ".join(TOPICS[t][1] for t in breng_topics) + "."
    return haal_topics, breng_topics, haal, breng


def plan() -> list[PlannedMembership]:
    """Who applies where, with which answers and what happens to the application.
    Pure and deterministic: the same plan on every run."""
    rng = random.Random(RANDOM_SEED)  # nosec B311  # reproducible demo data, no secret
    members: dict[int, list[int]] = {number: [] for number in COMMUNITY_TOPICS}
    organisation_count: dict[tuple[str, int], int] = {}
    for index, (_first, _last, organisation, _job, home, _language) in enumerate(PEOPLE):
        members[home].append(index)
        organisation_count[organisation, home] = organisation_count.get((organisation, home), 0) + 1
    # Extra communities, spread towards the emptier ones; at most three people of
    # one organisation per community (the "Nieuw Delen" guideline).
    for index, (_first, _last, organisation, _job, home, _language) in enumerate(PEOPLE):
        extra = rng.choices([0, 1, 2], weights=[40, 40, 20])[0]
        candidates = sorted(
            (number for number in members if number != home),
            key=lambda number: len(members[number]) + 3 * rng.random(),
        )
        for number in candidates:
            if extra == 0:
                break
            if organisation_count.get((organisation, number), 0) >= 3:
                continue
            members[number].append(index)
            organisation_count[organisation, number] = (
                organisation_count.get((organisation, number), 0) + 1
            )
            extra -= 1

    planned = []
    for number, people in members.items():
        moderators = 2 if number in TWO_MODERATORS else 1
        tail = ["pending"] + (["pending"] if len(people) >= 7 else [])
        for fate, numbers in (
            ("needs_info", NEEDS_INFO),
            ("answered", ANSWERED),
            ("declined", DECLINED),
            ("withdrawn", WITHDRAWN),
            ("left", LEFT),
        ):
            if number in numbers:
                tail.append(fate)
        tail = tail[: max(0, len(people) - moderators - 1)]
        fates = ["moderator"] * moderators
        fates += ["active"] * (len(people) - moderators - len(tail))
        fates += list(reversed(tail))
        for person, fate in zip(people, fates, strict=True):
            haal_topics, breng_topics, haal, breng = _answers(rng, number)
            self_role = rng.choice([role.value for role in Role] + [""])
            planned.append(
                PlannedMembership(
                    person, number, fate, haal_topics, breng_topics, haal, breng, self_role
                )
            )
    return planned


def _ensure_person(*, email, first, last, password_hash, created_list) -> object:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "username": email.split("@")[0],
            "first_name": first,
            "last_name": last,
            "password": password_hash,
        },
    )
    if created:
        created_list.append(user)
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    return user


def _ensure_network_coordinator(*, password_hash, organisations, created_list):
    coordinator = _ensure_person(
        email=NETWORK_COORDINATOR_EMAIL,
        first="Noor",
        last="Netwerk",
        password_hash=password_hash,
        created_list=created_list,
    )
    # The group, with its access to the admin, comes from members/migrations/0009.
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    if coordinator in created_list:
        profile_update(
            actor=coordinator,
            display_name="Netwerkcoördinator (demo)",
            organisation=organisations["Koninklijke Bibliotheek"],
            job_title="Netwerkcoördinator communities of practice",
            language="nl",
        )
    return coordinator


def _moderator_term(number: int, position: int, today: datetime.date):
    """(start, end) of the n-th moderator of a community."""
    if number in ENDING_SOON:
        return today, today + datetime.timedelta(days=ENDING_SOON[number])
    if position == 1:
        return today, today + datetime.timedelta(days=182)
    return today, None if number % 2 else today + datetime.timedelta(days=365)


@transaction.atomic
def seed_demo_people(*, password: str, stdout=None) -> DemoSummary:
    """Create the demo organisations, people, applications and moderators (see the
    module docstring). Sends no e-mail. Returns what exists and what was created."""
    with mail_muted():
        return _seed(password=password, stdout=stdout)


def _seed(*, password: str, stdout) -> DemoSummary:
    password_hash = make_password(password, salt=_PASSWORD_SALT)
    today = timezone.localdate()

    organisations = {}
    for name, (kind, province, website) in ORGANISATIONS.items():
        organisation, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "province": province, "website": website}
        )
        organisations[name] = organisation

    topics = {}
    for name in TOPICS:
        topics[name], _ = Topic.objects.get_or_create(name=name)

    created = []
    coordinator = _ensure_network_coordinator(
        password_hash=password_hash, organisations=organisations, created_list=created
    )
    people = []
    for first, last, organisation, job_title, _home, language in PEOPLE:
        user = _ensure_person(
            email=demo_email(first, last),
            first=first,
            last=last,
            password_hash=password_hash,
            created_list=created,
        )
        if user in created:
            profile_update(
                actor=user,
                display_name=f"{first} {last}",
                organisation=organisations[organisation],
                job_title=job_title,
                language=language,
            )
        people.append(user)
    # The printed password works for every demo person, also after an earlier run.
    get_user_model().objects.filter(
        email__in=[person.email for person in [coordinator, *people]]
    ).exclude(password=password_hash).update(password=password_hash)
    # update() sends no post_save: a changed password ends the members' cached pages.
    invalidate_member_pages()

    communities = {
        page.number: page
        for page in CommunityPage.objects.filter(status=CommunityStatus.ACTIVE)
        if page.number in COMMUNITY_TOPICS
    }
    existing = set(
        Membership.objects.filter(user__in=people, community__in=communities.values()).values_list(
            "user_id", "community_id"
        )
    )
    memberships_created = appointed = 0
    by_community: dict[int, list[PlannedMembership]] = {}
    for item in plan():
        by_community.setdefault(item.community, []).append(item)

    for number, items in by_community.items():
        community = communities.get(number)
        if community is None:
            continue
        # Everyone applies first, so the queue shows them oldest first.
        applied = []
        for item in items:
            user = people[item.person]
            if (user.pk, community.pk) in existing:
                continue
            membership = membership_apply(
                actor=user,
                community=community,
                haal=item.haal,
                breng=item.breng,
                haal_topics=[topics[t] for t in item.haal_topics],
                breng_topics=[topics[t] for t in item.breng_topics],
                organisation=organisations[PEOPLE[item.person][2]],
                self_role=item.self_role,
            )
            applied.append((item, membership))
            memberships_created += 1

        # A coordinator accepts and appoints the moderators; they take it from there.
        for item, membership in applied:
            if item.fate == "moderator":
                membership_accept(actor=coordinator, membership=membership)
        current = Moderatorship.objects.current(today).filter(community=community)
        if not current.exists():
            planned = [people[item.person] for item in items if item.fate == "moderator"]
            active_ids = set(
                Membership.objects.filter(
                    community=community, state=MembershipState.ACTIVE
                ).values_list("user_id", flat=True)
            )
            for position, user in enumerate(u for u in planned if u.pk in active_ids):
                start, end = _moderator_term(number, position, today)
                moderator_appoint(
                    actor=coordinator,
                    community=community,
                    user=user,
                    start_date=start,
                    end_date=end,
                )
                appointed += 1
        moderator = next(
            (term.user for term in current.select_related("user").order_by("start_date", "pk")),
            coordinator,
        )

        for item, membership in applied:
            user = people[item.person]
            if item.fate in ("active", "left"):
                membership_accept(actor=moderator, membership=membership)
            if item.fate == "left":
                membership_leave(actor=user, membership=membership)
            elif item.fate in ("needs_info", "answered"):
                membership_ask(
                    actor=moderator,
                    membership=membership,
                    question=QUESTIONS[item.person % len(QUESTIONS)],
                )
                if item.fate == "answered":
                    membership_answer(actor=user, membership=membership, answer=ANSWER)
            elif item.fate == "declined":
                membership_decline(actor=moderator, membership=membership, reason=DECLINE_REASON)
            elif item.fate == "withdrawn":
                membership_withdraw(actor=user, membership=membership)

    roles_added = _seed_roles(
        coordinator=coordinator, organisations=organisations, people=people, today=today
    )

    summary = DemoSummary(
        people=len(people),
        people_created=len([u for u in created if u in people]),
        memberships_created=memberships_created,
        moderators_appointed=appointed,
        roles_added=roles_added,
    )
    if stdout is not None:
        stdout.write(
            f"Demo people: {summary.people_created} created, {summary.memberships_created} "
            f"memberships and {summary.moderators_appointed} moderators added."
        )
    return summary


# --- managers, roles, targets, self-tests and agreements ----------------------

ROLE_ORDER = ["bouwer", "verbinder", "aanjager"]
CONTRIBUTIONS = {
    "bouwer": "Houdt de online plek en de actielijst bij en regelt de bijeenkomsten.",
    "verbinder": "Brengt collega's uit de regio en partners met elkaar in contact.",
    "aanjager": "Zet de koers uit en verbindt de community met ons beleidsplan.",
}


def _selftest_answers(rng: random.Random, favourite: str) -> dict[str, int]:
    from members.selftest import STATEMENTS

    return {
        sid: min(
            5,
            max(1, rng.choice([3, 4, 4, 5]) if role == favourite else rng.choice([1, 2, 3, 3, 4])),
        )
        for sid, role, _text in STATEMENTS
    }


def _seed_roles(*, coordinator, organisations, people, today) -> int:
    """Managers for the organisations with several demo people; their people get
    roles (some communities with gaps, some people without a role), targets,
    self-tests (some shared) and agreements. Idempotent: each step is skipped
    where its data already exists."""
    from members.models import (
        DevelopmentAgreement,
        Managership,
        RoleAssignment,
        SelfTestResult,
        Target,
    )
    from members.services.agreements import agreement_record
    from members.services.managers import manager_appoint
    from members.services.roles import role_assign, target_set
    from members.services.selftest import selftest_share, selftest_submit

    rng = random.Random(RANDOM_SEED + 5)  # nosec B311  # reproducible demo data, no secret
    staff: dict[str, list] = {}
    for user, (_first, _last, organisation, *_rest) in zip(people, PEOPLE, strict=True):
        staff.setdefault(organisation, []).append(user)
    managers = {}
    for name, users in staff.items():
        if len(users) < 3:
            continue
        organisation, boss = organisations[name], users[0]
        if not Managership.objects.current(today).filter(organisation=organisation).exists():
            manager_appoint(actor=coordinator, user=boss, organisation=organisation)
        managers[name] = (organisation, boss)

    _overstaff(coordinator=coordinator, managers=managers, staff=staff)

    added = 0
    for name, (organisation, boss) in managers.items():
        memberships = (
            Membership.objects.filter(
                organisation=organisation,
                state=MembershipState.ACTIVE,
                community__status=CommunityStatus.ACTIVE,
                # The roles of the founding communities; what the seed's replay of
                # the agenda's history made of them keeps those (and gets no more).
                community__start_date=FOUNDING_DATE,
            )
            .select_related("community", "user")
            .order_by("community__number", "pk")
        )
        by_community: dict[int, list] = {}
        for membership in memberships:
            by_community.setdefault(membership.community_id, []).append(membership)
        for position, (_community_id, group) in enumerate(sorted(by_community.items())):
            community = group[0].community
            # Every third community keeps a gap; with one person, that person
            # holds two roles; a fourth person stays without a role. By agenda
            # number, not position: the seed's later merge of 3 and 4 changes
            # the positions, and a second run must add nothing.
            roles = ROLE_ORDER[: 2 if community.number % 3 == 1 else 3]
            holders = [m.user for m in group[:3]]
            for index, role in enumerate(roles):
                user = holders[index % len(holders)]
                if RoleAssignment.objects.filter(
                    organisation=organisation, community=community, role=role
                ).exists():
                    continue
                role_assign(
                    actor=boss,
                    organisation=organisation,
                    community=community,
                    user=user,
                    role=role,
                    hours_per_week=[2, 4, 8][index],
                    contribution=CONTRIBUTIONS[role],
                    start_date=_role_start(name, today, index),
                )
                added += 1
            if not Target.objects.filter(organisation=organisation, community=community).exists():
                target_set(
                    actor=boss,
                    organisation=organisation,
                    community=community,
                    **_demo_target(community, position),
                    deadline=today + datetime.timedelta(days=180 + 30 * position),
                )
        for index, user in enumerate(staff[name][1:]):
            if not SelfTestResult.objects.filter(user=user).exists():
                favourite = ROLE_ORDER[index % 3]
                for _attempt in range(1 + index % 2):
                    result = selftest_submit(actor=user, answers=_selftest_answers(rng, favourite))
                if index % 2 == 0:
                    selftest_share(actor=user, result=result)
            if index < 2 and not DevelopmentAgreement.objects.filter(user=user).exists():
                agreement_record(
                    actor=boss,
                    organisation=organisation,
                    user=user,
                    conversation_date=today - datetime.timedelta(days=60),
                    contribution=CONTRIBUTIONS[ROLE_ORDER[index % 3]],
                    hours_per_week=4,
                    training="Training gespreksvoering (2 dagdelen)",
                    other_support="Reiskosten naar de bijeenkomsten",
                    review_date=today + datetime.timedelta(days=10 + 60 * index),
                )
    _reischeque(managers=managers, staff=staff, today=today)
    return added


def _overstaff(*, coordinator, managers, staff) -> None:
    """One organisation sends a fourth colleague to a community (the pilot's
    "more than three is rarely needed" warning has something to show)."""
    for name, (organisation, _boss) in managers.items():
        users = staff[name]
        if len(users) < 4:
            continue
        home = next(
            (
                m.community
                for m in Membership.objects.filter(
                    user=users[0], state=MembershipState.ACTIVE, organisation=organisation
                ).select_related("community")
            ),
            None,
        )
        if home is None:
            continue
        for user in users[:4]:
            if Membership.objects.filter(user=user, community=home).exists():
                continue
            if Membership.objects.filter(user=user).count() >= 3:
                continue
            membership = membership_apply(
                actor=user,
                community=home,
                haal="Ervaringen van collega's uit andere bibliotheken.",
                breng="Een paar jaar ervaring in dit vakgebied.",
                organisation=organisation,
            )
            membership_accept(actor=coordinator, membership=membership)
        return


TRAVEL_GOAL = (
    "In 2027 werkt elke collega die in een community zit samen met minstens één "
    "partner buiten de bibliotheek, en brengt wat de community oplevert terug naar "
    "het eigen team."
)


def _reischeque(*, managers, staff, today) -> None:
    """The first organisation writes its travel goal, and one of its people gets a
    reischeque carrying it (and the default questions). Idempotent."""
    from members.models import DevelopmentAgreement
    from members.services.agreements import agreement_record, reischeque_settings_set

    if not managers:
        return
    name, (organisation, boss) = sorted(managers.items())[0]
    if not organisation.travel_goal:
        organisation = reischeque_settings_set(
            actor=boss, organisation=organisation, travel_goal=TRAVEL_GOAL, questions=""
        )
    member = staff[name][1]
    if DevelopmentAgreement.objects.filter(user=member).exclude(travel_goal="").exists():
        return
    agreement_record(
        actor=boss,
        organisation=organisation,
        user=member,
        conversation_date=today - datetime.timedelta(days=7),
        contribution=(
            "Zet samen met de regionale taalhuizen een leesclub voor nieuwkomers op en "
            "deelt de aanpak in de community."
        ),
        hours_per_week=4,
        training="Cursus 'Werken in netwerken' (drie dagdelen)",
        other_support="Een collega als maatje bij de eerste bijeenkomsten",
        review_date=today + datetime.timedelta(days=90),
    )


# --- lessons 4 and 9: targets that say what they count, one newcomer ----------

# A company new to the network: its roles started weeks ago, so the manager's
# view shows it in its start phase in every community (lesson 9). The others
# have worked in their communities for more than a year.
NEWCOMER_ORGANISATION = "Leeslab Flevoland B.V."
DEMO_ACTIVITY_KINDS = ("all", "action_items", "threads")


def _role_start(organisation_name: str, today: datetime.date, index: int) -> datetime.date:
    days = 30 * (index + 1) if organisation_name == NEWCOMER_ORGANISATION else 400 + 60 * index
    return today - datetime.timedelta(days=days)


def _demo_target(community, position: int) -> dict:
    """Lesson 4: the community should reach a few more members than it has now,
    and the organisation's people contribute activities of one kind."""
    members = Membership.objects.filter(community=community, state=MembershipState.ACTIVE).count()
    return {
        "target_members": members + 2 + position % 3,
        "target_activities": 2 + position % 3,
        "activity_kind": DEMO_ACTIVITY_KINDS[position % 3],
    }
