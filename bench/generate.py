"""Benchmark data with a fixed seed: every founding community gets, at scale s,
100·s active members, 1,000·s forum posts (threads of 20 posts) and 50·s to-do
items; two moderators each; 40 organisations with one manager.

Rows are written with bulk_create (the services would take hours at scale 10);
the data is what the services would have produced for these pages to show.
Run after `migrate` and `seed --no-accounts` on an empty database.
"""

import datetime
import random

POSTS_PER_THREAD = 20
SEED = 16

# A few bodies, rendered once: the pages show sanitised HTML as the services store it.
BODIES = [
    "Wie heeft ervaring met **voorleesprojecten** op school? We zoeken tips.",
    "Bij ons werkt een leesclub voor *tieners* goed: elke maand een ander boek.",
    "Zie ook de handreiking van de KB over mediawijsheid in de bibliotheek.",
    "Goed idee! We kunnen dit op de volgende bijeenkomst bespreken.\n\n- agenda\n- planning",
]


def generate(scale: int) -> dict:
    """Write the data; return the people and objects the benchmark pages need."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from communities.forum.models import Post, Thread
    from communities.models import CommunityPage, Membership, MembershipState, Moderatorship
    from cop_platform.sanitize import markdown_to_html
    from members.models import Managership, MemberProfile, Organisation, User
    from todo_lists.models import Phase, Status, TodoItem

    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    password = make_password("bench-password")
    bodies = [(text, markdown_to_html(text)) for text in BODIES]
    communities = list(CommunityPage.objects.order_by("number"))

    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Bibliotheek Bench {n:02d}", kind="openbare-bibliotheek", province="utrecht"
            )
            for n in range(40)
        )
        coordinator = User.objects.create(
            username="bench-coordinator",
            email="coordinator@bench.example.org",
            password=password,
            is_superuser=True,
            is_staff=True,
        )
        manager = User.objects.create(
            username="bench-manager", email="manager@bench.example.org", password=password
        )
        Managership.objects.create(
            user=manager, organisation=organisations[0], start_date=today - datetime.timedelta(30)
        )
        members_per_community = 100 * scale
        users = User.objects.bulk_create(
            User(
                username=f"bench-{c}-{n}",
                email=f"member{c}-{n}@bench.example.org",
                password=password,
            )
            for c in range(len(communities))
            for n in range(members_per_community)
        )
        MemberProfile.objects.bulk_create(
            MemberProfile(
                user=user,
                display_name=f"Lid {user.username[6:]}",
                organisation=rng.choice(organisations),
                language="nl",
            )
            for user in users
        )
        profiles = {p.user_id: p for p in MemberProfile.objects.all()}
        memberships, moderatorships, threads, items = [], [], [], []
        for index, community in enumerate(communities):
            people = users[index * members_per_community : (index + 1) * members_per_community]
            memberships += [
                Membership(
                    community=community,
                    user=user,
                    organisation_id=profiles[user.pk].organisation_id,
                    haal="Ideeën voor leesbevordering.",
                    breng="Ervaring met voorleesprojecten.",
                    state=MembershipState.ACTIVE,
                    applied_at=now,
                    joined_at=now,
                )
                for user in people
            ]
            moderatorships += [
                Moderatorship(
                    community=community,
                    user=user,
                    start_date=today - datetime.timedelta(60),
                    appointed_by=coordinator,
                )
                for user in people[:2]
            ]
            threads += [
                Thread(
                    community=community,
                    title=f"Gesprek {n + 1} over {community.title}",
                    author=rng.choice(people),
                    created_at=now,
                    last_activity_at=now - datetime.timedelta(minutes=n),
                )
                for n in range(1000 * scale // POSTS_PER_THREAD)
            ]
            items += [
                TodoItem(
                    community=community,
                    title=f"Actiepunt {n + 1}",
                    description="Uitzoeken en voorstellen.",
                    description_html=markdown_to_html("Uitzoeken en voorstellen."),
                    phase=rng.choice(Phase.values),
                    status=rng.choice([Status.PLANNED, Status.PLANNED, Status.DONE]),
                    owner=rng.choice(people),
                    position=n + 1,
                    created_by=people[0],
                    updated_by=people[0],
                    created_at=now,
                    updated_at=now,
                )
                for n in range(50 * scale)
            ]
        Membership.objects.bulk_create(memberships, batch_size=2000)
        Moderatorship.objects.bulk_create(moderatorships)
        Thread.objects.bulk_create(threads, batch_size=2000)
        TodoItem.objects.bulk_create(items, batch_size=2000)
        members_of = {
            community.pk: users[i * members_per_community : (i + 1) * members_per_community]
            for i, community in enumerate(communities)
        }
        posts = []
        for thread in threads:
            for n in range(POSTS_PER_THREAD):
                source, html = rng.choice(bodies)
                posts.append(
                    Post(
                        thread=thread,
                        author=rng.choice(members_of[thread.community_id]),
                        body_source=source,
                        body_html=html,
                        created_at=now - datetime.timedelta(minutes=POSTS_PER_THREAD - n),
                    )
                )
            if len(posts) >= 5000:
                Post.objects.bulk_create(posts)
                posts = []
        Post.objects.bulk_create(posts)

    return generated()


def generated() -> dict:
    """The people and objects the benchmark pages need, from generated data."""
    from communities.forum.models import Thread
    from communities.models import CommunityPage, Moderatorship
    from members.models import Managership, User

    first = CommunityPage.objects.order_by("number").first()
    managership = Managership.objects.select_related("user", "organisation").get(
        user__username="bench-manager"
    )
    return {
        "community": first,
        "thread": Thread.objects.filter(community=first).order_by("-last_activity_at").first(),
        # an active member who moderates the first community
        "member": Moderatorship.objects.filter(community=first).order_by("pk").first().user,
        "coordinator": User.objects.get(username="bench-coordinator"),
        "manager": managership.user,
        "organisation": managership.organisation,
    }


def measured() -> dict:
    """The member and the pages the profile measures (a subset of `generated()`)."""
    data = generated()
    return {key: data[key] for key in ("member", "community", "thread")}
