"""Demo to-do lists for development: a realistic list for every active community,
with an item or two in each phase, an owner here and there, something recently
done, a comment or need, and proposals from the network (one waiting, one
declined).

Called by the `seed` command after the demo people (it needs their moderators).
Everything goes through todo_lists.services. Idempotent: a community that
already has items is left alone. Content is Dutch data, not interface text.
"""

from django.db import transaction

from communities.models import CommunityPage, CommunityStatus, Membership, Moderatorship
from cop_platform.mail import mail_muted
from todo_lists.models import CommentKind, Phase, Status, TodoItem
from todo_lists.services import (
    todo_comment_add,
    todo_item_create,
    todo_item_update,
    todo_proposal_create,
    todo_proposal_decline,
)

IDEA, EXP, AVAIL = Phase.IDEA, Phase.EXPERIMENT, Phase.AVAILABLE
PLANNED, BUSY, DONE = Status.PLANNED, Status.IN_PROGRESS, Status.DONE

# Community number → [(title, description, phase, status)], in list order.
LISTS = {
    1: [
        ("Leeslijn-kaart 0-18 voor gemeenten",
         "Eén overzicht van wat bibliotheek en scholen per leeftijd doen, om met de "
         "gemeente over de **doorgaande leeslijn** te praten.", AVAIL, BUSY),
        ("Pilot voorleesmiddagen met peuters en ouders",
         "Drie bibliotheken proberen een vaste voorleesmiddag met de kinderopvang.", EXP, BUSY),
        ("Leesmonitor-resultaten delen tussen scholen", "", IDEA, PLANNED),
        ("Draaiboek boekenkring voor het vmbo",
         "Klaar en getest op vier scholen; te downloaden in de kennisbank.", AVAIL, DONE),
    ],
    2: [
        ("Lespakket nepnieuws voor groep 7-8",
         "Een lespakket van vier lessen, samen met leerkrachten ontwikkeld.", AVAIL, BUSY),
        ("Ouderavond over schermtijd", "", EXP, PLANNED),
        ("Mediacoach-netwerk per provincie", "Wie is waar mediacoach? Een kaart.", IDEA, PLANNED),
        ("Training mediawijsheid voor bibliotheekmedewerkers", "", AVAIL, DONE),
    ],
    3: [
        ("Digisterker-cursus in eenvoudige taal", "", AVAIL, BUSY),
        ("Taalhuis-spreekuur bij het UWV", "Proef in twee gemeenten.", EXP, BUSY),
        ("Effect van taalcafés meten", "", IDEA, PLANNED),
        ("Wervingsfolder taalvrijwilligers", "", AVAIL, DONE),
    ],
    4: [
        ("Informatiepunt Digitale Overheid: vaste werkwijze",
         "Een werkwijze die elk informatiepunt kan overnemen.", AVAIL, BUSY),
        ("Geldzaken-spreekuur met de schuldhulp", "", EXP, PLANNED),
        ("Samenwerking met huisartsen over gezondheidsvaardigheden", "", IDEA, PLANNED),
        ("Checklist toegankelijke activiteiten", "", AVAIL, DONE),
    ],
    5: [
        ("Leerplatform met cursussen van de volksuniversiteit", "", EXP, BUSY),
        ("Loopbaanspreekuur in de bibliotheek", "", IDEA, PLANNED),
        ("Overzicht subsidies voor leven lang ontwikkelen", "", AVAIL, PLANNED),
        ("Cursusformat 'Leren met AI'", "", AVAIL, DONE),
    ],
    6: [
        ("Methode wijkgesprekken voor community librarians", "", AVAIL, BUSY),
        ("Ontmoetingstafel in drie wijken", "", EXP, BUSY),
        ("Leergang community librarian", "", IDEA, PLANNED),
        ("Verhalenbundel 'De bibliotheek in de wijk'", "", AVAIL, DONE),
    ],
    7: [
        ("Makerspace op wielen", "Een mobiele makerspace die scholen kunnen lenen.", EXP, BUSY),
        ("Uitleenset micro:bit voor scholen", "", AVAIL, PLANNED),
        ("Veiligheidsregels 3D-printen", "", AVAIL, DONE),
        ("Maker-vrijwilligers opleiden", "", IDEA, PLANNED),
    ],
    8: [
        ("Eén inlog voor alle digitale diensten", "", IDEA, BUSY),
        ("Proef met e-books in de schoolbibliotheek", "", EXP, PLANNED),
        ("Digitaliseren van lokale fotocollecties", "", AVAIL, BUSY),
        ("Handreiking toegankelijke website", "", AVAIL, DONE),
    ],
    9: [
        ("Inrichting 'huiskamer' van de bibliotheek", "", EXP, BUSY),
        ("Meer open uren met zelfservice", "", AVAIL, PLANNED),
        ("Bibliotheek als derde plek: bezoekersonderzoek", "", IDEA, PLANNED),
        ("Bewegwijzering in eenvoudige taal", "", AVAIL, DONE),
    ],
    10: [
        ("Gezamenlijke inkoop van RFID-poortjes", "", EXP, PLANNED),
        ("Roosterplanning met minder overwerk", "", IDEA, PLANNED),
        ("Benchmark bedrijfsvoering", "", AVAIL, BUSY),
        ("Model voor een meerjarenbegroting", "", AVAIL, DONE),
    ],
    11: [
        ("Vragenlijst maatschappelijk effect", "Een korte, gedeelde vragenlijst.", AVAIL, BUSY),
        ("Dashboard met de Bibliotheekmonitor", "", EXP, BUSY),
        ("Effectmeting bij leesbevordering", "", IDEA, PLANNED),
        ("Handleiding 'verhalen als bewijs'", "", AVAIL, DONE),
    ],
    12: [
        ("Innovatiefonds voor kleine experimenten", "", IDEA, PLANNED),
        ("Design-sprint met bezoekers", "", EXP, BUSY),
        ("Conceptenbank voor bibliotheken", "", AVAIL, PLANNED),
        ("Toolkit co-creatie", "", AVAIL, DONE),
    ],
    13: [
        ("Landelijke campagne 'Word lid'", "", EXP, BUSY),
        ("Merkverhaal voor lokale bibliotheken", "", AVAIL, PLANNED),
        ("Nieuwsbrief-templates delen", "", AVAIL, DONE),
        ("Jongeren bereiken via TikTok", "", IDEA, PLANNED),
    ],
    14: [
        ("Kennisbank met praktijkvoorbeelden", "", AVAIL, BUSY),
        ("Intervisie tussen communities", "", EXP, PLANNED),
        ("Podcast over innovatie in de bibliotheek", "", IDEA, PLANNED),
        ("Jaarverslag 'Wat we deelden'", "", AVAIL, DONE),
    ],
    15: [
        ("Competentieprofiel bibliothecaris 2030", "", IDEA, BUSY),
        ("Leergang verbinder", "Voor wie de rol van verbinder wil oppakken.", EXP, PLANNED),
        ("Stagebank voor hbo-studenten", "", AVAIL, PLANNED),
        ("E-learning auteursrecht", "", AVAIL, DONE),
    ],
}  # fmt: skip

NEED = "Wij zoeken nog twee bibliotheken die willen meedoen. Wie heeft tijd in het voorjaar?"
COMMENT = "Mooi! Wij hebben iets vergelijkbaars gedaan; ik deel graag onze ervaringen."
PENDING_PROPOSAL = (
    "Een gezamenlijke kalender van activiteiten",
    "Zo zie je wat andere bibliotheken organiseren en kun je aansluiten.",
)
DECLINED_PROPOSAL = ("Eigen app voor deze community", "")
DECLINE_REASON = "Goed idee, maar dit pakt de community Digitale bibliotheek al op."


@transaction.atomic
def seed_demo_todo_lists() -> int:
    """Fill the list of every active community that has none. Returns the number of
    items created. Sends no e-mail."""
    with mail_muted():
        return _seed()


def _seed() -> int:
    created = 0
    communities = CommunityPage.objects.filter(
        status=CommunityStatus.ACTIVE, number__in=list(LISTS)
    ).order_by("number")
    filled = set(TodoItem.objects.values_list("community_id", flat=True).distinct())
    for community in communities:
        if community.pk in filled:
            continue
        term = (
            Moderatorship.objects.current()
            .filter(community=community)
            .select_related("user")
            .order_by("start_date", "pk")
            .first()
        )
        if term is None:
            continue
        moderator = term.user
        members = [
            membership.user
            for membership in Membership.objects.filter(community=community, state="active")
            .exclude(user=moderator)
            .select_related("user")
            .order_by("pk")
        ]
        items = []
        for index, (title, description, phase, status) in enumerate(LISTS[community.number]):
            owner = (members[index % len(members)] if members else moderator) if index < 2 else None
            item = todo_item_create(
                actor=moderator,
                community=community,
                title=title,
                description=description,
                phase=phase,
                owner=owner,
            )
            if status != Status.PLANNED:
                # Through the real update, so the history and completed_at are right.
                todo_item_update(actor=moderator, item=item, status=status)
            items.append(item)
            created += 1
        outsiders = members[-2:] or [moderator]
        todo_comment_add(actor=outsiders[0], item=items[1], body=NEED, kind=CommentKind.NEED)
        todo_comment_add(actor=outsiders[-1], item=items[0], body=COMMENT)
        proposer = outsiders[0]
        if proposer != moderator:
            todo_proposal_create(
                actor=proposer,
                community=community,
                title=PENDING_PROPOSAL[0],
                description=PENDING_PROPOSAL[1],
            )
            declined = todo_proposal_create(
                actor=proposer,
                community=community,
                title=DECLINED_PROPOSAL[0],
                description=DECLINED_PROPOSAL[1],
            )
            todo_proposal_decline(actor=moderator, proposal=declined, reason=DECLINE_REASON)
    return created
