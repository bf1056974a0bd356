"""Demo forum conversations for development: a few threads with replies in every
active community, written by its demo members through the real services.

Idempotent: a community that already has a demo thread (matched by title) is
left alone. Content is Dutch, like the communities; it is data, not interface
text. Sends no e-mail.
"""

from communities.forum.models import Thread
from communities.forum.services import post_create, thread_create, thread_set_pinned
from communities.models import (
    CommunityPage,
    CommunityStatus,
    Membership,
    MembershipState,
    Moderatorship,
)
from cop_platform.mail import mail_muted

WELCOME_TITLE = "Welkom! Stel je even voor"
WELCOME_BODY = (
    "Fijn dat je er bent in **{community}**. Vertel in een paar zinnen wie je bent, "
    "waar je werkt en wat je hier hoopt te halen of te brengen."
)
WELCOME_REPLIES = [
    "Hoi allemaal! Ik werk bij een middelgrote bibliotheek en wil vooral leren van "
    "wat elders al werkt.",
    "Leuk om hier te zijn. Ik kan voorbeelden delen van projecten die we het afgelopen "
    "jaar hebben gedaan; vraag gerust.",
]
QUESTION_TITLE = "Wie heeft een goed voorbeeld om te delen?"
QUESTION_BODY = (
    "We willen in het najaar iets nieuws proberen rond *{community}*. Heeft iemand "
    "een aanpak die goed werkte, of juist niet? Alle tips zijn welkom."
)
QUESTION_REPLIES = [
    "Bij ons werkte het goed om klein te beginnen met één vestiging en na drie maanden "
    "te evalueren. Ons draaiboek staat op https://example.org/draaiboek.",
    "Goede vraag! Let op dat je partners vroeg betrekt: dat scheelt later veel tijd.",
    "Dank jullie wel, hier kan ik mee verder. Ik deel in december hoe het ging.",
]


def _members(community) -> list:
    return [
        membership.user
        for membership in Membership.objects.filter(
            community=community, state=MembershipState.ACTIVE
        )
        .select_related("user__profile")
        .order_by("joined_at", "pk")
    ]


def seed_demo_forum() -> int:
    """Create the demo threads where they are missing; returns how many were added."""
    created = 0
    with mail_muted():
        for community in CommunityPage.objects.filter(status=CommunityStatus.ACTIVE).order_by(
            "number"
        ):
            if Thread.objects.filter(community=community, title=WELCOME_TITLE).exists():
                continue
            people = _members(community)
            if len(people) < 2:
                continue
            welcome = thread_create(
                actor=people[0],
                community=community,
                title=WELCOME_TITLE,
                body=WELCOME_BODY.format(community=community.title),
            )
            for index, body in enumerate(WELCOME_REPLIES):
                post_create(actor=people[(index + 1) % len(people)], thread=welcome, body=body)
            term = Moderatorship.objects.current().filter(community=community).first()
            if term is not None:
                thread_set_pinned(actor=term.user, thread=welcome, pinned=True)
            question = thread_create(
                actor=people[1],
                community=community,
                title=QUESTION_TITLE,
                body=QUESTION_BODY.format(community=community.title),
            )
            for index, body in enumerate(QUESTION_REPLIES):
                author = people[1] if index == 2 else people[(index + 2) % len(people)]
                post_create(actor=author, thread=question, body=body)
            created += 2
    return created
