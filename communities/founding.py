"""The 15 communities as the national innovation agenda founded them in 2017,
and the agenda's own later history, replayed through the real lifecycle.

Content (names, summaries, themes, reasons) is Dutch: it is what the agenda
published, not interface text.
"""

import datetime

from communities.models import Priority

# The agenda founded the communities in 2017; its later table (2019) shows what
# became of them: see AGENDA_HISTORY.
FOUNDING_DATE = datetime.date(2017, 1, 1)

FOUNDING_COMMUNITIES = [
    (1, "Doorgaande leeslijn (0-18)", Priority.YOUTH_EDUCATION,
     "Bibliotheken en scholen bouwen samen aan een doorlopende leeslijn van de eerste "
     "prentenboeken tot het eindexamen, met de Bibliotheek op school als basis.",
     ["lezen", "onderwijs", "jeugd"]),
    (2, "Mediawijsheid", Priority.YOUTH_EDUCATION,
     "Hoe helpen we kinderen, jongeren en hun opvoeders om bewust, kritisch en veilig met "
     "media om te gaan? We delen lesmateriaal, trainingen en ervaringen.",
     ["mediawijsheid", "onderwijs", "jeugd", "digitale vaardigheden"]),
    (3, "Basisvaardigheden", Priority.PARTICIPATION,
     "Taal, rekenen en digitale vaardigheden voor volwassenen: van Taalhuis tot "
     "Digisterker, samen met gemeenten en het sociaal domein.",
     ["basisvaardigheden", "laaggeletterdheid", "digitale vaardigheden"]),
    (4, "Maatschappelijke deelname", Priority.PARTICIPATION,
     "De bibliotheek als plek waar iedereen mee kan doen: informatiepunten, "
     "schuldhulp, inburgering en samenwerking met maatschappelijke partners.",
     ["participatie", "sociaal domein", "informatiepunt"]),
    (5, "Leven lang leren", Priority.PERSONAL_DEVELOPMENT,
     "Aanbod voor volwassenen die zich willen blijven ontwikkelen: cursussen, "
     "leerplatforms en samenwerking met volksuniversiteiten en werkgevers.",
     ["leven lang leren", "volwassenen", "educatie"]),
    (6, "Community en connectie", Priority.PERSONAL_DEVELOPMENT,
     "Bibliothecarissen die buiten de muren werken en verbindingen leggen in de wijk. "
     "We delen methoden om gemeenschappen te versterken.",
     ["community librarian", "wijk", "netwerk"]),
    (7, "Technologie en makers", Priority.PERSONAL_DEVELOPMENT,
     "Makerspaces, FabLabs en technologie in de bibliotheek: van 3D-printen tot "
     "programmeren, met aandacht voor ontwerpend en onderzoekend leren.",
     ["makers", "technologie", "makerspace"]),
    (8, "Digitale bibliotheek en digitalisering", Priority.CHANGE,
     "De online bibliotheek, e-books en digitale dienstverlening: hoe versterken fysiek "
     "en digitaal elkaar, en wat vraagt dat van de organisatie?",
     ["digitale bibliotheek", "e-books", "digitalisering"]),
    (9, "De (fysieke) Bibliotheek 3.0", Priority.CHANGE,
     "Het gebouw als ontmoetingsplek: inrichting, openingstijden, zelfservice en de "
     "rol van de vestiging in de buurt van morgen.",
     ["gebouw", "ontmoeting", "inrichting"]),
    (10, "Optimalisatie en transformatie", Priority.CHANGE,
     "Voor bibliotheken die hun organisatie, collectie en bedrijfsvoering willen "
     "vernieuwen om ruimte te maken voor hun maatschappelijke functies.",
     ["bedrijfsvoering", "verandermanagement", "collectie"]),
    (11, "Effectmeting", Priority.SUPPORTING_POLICY,
     "Wat levert het werk van de bibliotheek op? We ontwikkelen samen meetinstrumenten "
     "en delen resultaten met gemeenten en financiers.",
     ["effectmeting", "onderzoek", "verantwoording"]),
    (12, "Conceptontwikkeling en open innovatie", Priority.SUPPORTING_POLICY,
     "Nieuwe diensten bedenken, testen en delen: van idee tot landelijk beschikbaar "
     "concept, open voor partners buiten de sector.",
     ["innovatie", "conceptontwikkeling", "experimenteren"]),
    (13, "Marketing", Priority.SUPPORTING_POLICY,
     "Positionering, campagnes en klantinzicht: hoe vertellen we het verhaal van de "
     "bibliotheek aan gebruikers, bestuurders en partners?",
     ["marketing", "communicatie", "klantinzicht"]),
    (14, "Kennisdeling", Priority.SUPPORTING_POLICY,
     "Hoe delen bibliotheken kennis en ervaringen over de hele keten, zodat niet "
     "iedereen het wiel opnieuw uitvindt?",
     ["kennisdeling", "netwerk", "samenwerking"]),
    (15, "Vakdeskundigheid", Priority.SUPPORTING_POLICY,
     "Opleiding en ontwikkeling van bibliotheekmedewerkers: competenties, "
     "leertrajecten en nieuwe functieprofielen.",
     ["opleiding", "competenties", "hrm"]),
]  # fmt: skip


# What the agenda did to its communities after founding them (its 2019 table:
# "3. en 4. Participatie en zelfredzaamheid (voorheen Basisvaardigheden en
# maatschappelijke deelname)", "6. Community Librarian Netwerk (voorheen
# Community en connectie)", "7. Werkplaats (voorheen Technologie en makers)").
MERGED_NUMBERS = (3, 4)
MERGED_TITLE = "Participatie en zelfredzaamheid"
MERGED_SUMMARY = (
    "Basisvaardigheden en meedoen in één community: taal, rekenen en digitale "
    "vaardigheden voor volwassenen, en de bibliotheek als plek waar iedereen mee kan doen, "
    "samen met gemeenten en maatschappelijke partners."
)
MERGE_REASON = (
    "De actieagenda voegde Basisvaardigheden en Maatschappelijke deelname samen: "
    "beide werken voor dezelfde mensen met dezelfde partners in het sociaal domein."
)
RENAMES = [
    (6, "Community Librarian Netwerk",
     "De actieagenda gaf de community de naam waaronder het netwerk bekend is."),
    (7, "Werkplaats",
     "De actieagenda koos een naam die zegt wat de community is: "
     "een plek om te maken en te leren."),
]  # fmt: skip


def replay_agenda_history(*, actor) -> list[str]:
    """Run the agenda's merge of 3 and 4 and its renames of 6 and 7 through the
    real lifecycle services, as `actor` (a network coordinator; None inside
    `lifecycle_as_system()`). Idempotent: what already happened is left alone.
    Returns what was done, for the output."""
    from communities.lifecycle.models import LifecycleEvent, LifecycleKind
    from communities.lifecycle.services import community_merge, community_rename
    from communities.models import CommunityPage, CommunityStatus

    done = []
    founded = CommunityPage.objects.filter(number__in=MERGED_NUMBERS, start_date=FOUNDING_DATE)
    merged_before = LifecycleEvent.objects.filter(
        kind=LifecycleKind.MERGE, sources__in=founded, undone_by__isnull=True
    ).exists()
    sources = list(founded.filter(status=CommunityStatus.ACTIVE).order_by("number"))
    if not merged_before and len(sources) == len(MERGED_NUMBERS):
        event = community_merge(
            actor=actor, sources=sources, title=MERGED_TITLE, reason=MERGE_REASON
        )
        # The new page took the summary of 3 (and the themes of both); it gets a
        # summary about both (an edit, not history).
        merged = event.results.get()
        merged.summary = MERGED_SUMMARY
        merged.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)
        done.append(f"merged {' and '.join(map(str, MERGED_NUMBERS))} into {MERGED_TITLE}")
    for number, title, reason in RENAMES:
        page = CommunityPage.objects.filter(number=number, status=CommunityStatus.ACTIVE).first()
        if page is None or page.title == title or page.former_names.exists():
            continue
        community_rename(actor=actor, community=page, title=title, reason=reason)
        done.append(f"renamed {number} to {title}")
    return done
