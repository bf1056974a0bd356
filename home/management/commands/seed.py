"""Create the site tree, the founding communities and their history since 2017,
and (DEBUG only) a login and demo people.

The agenda's history (the merge of 3 and 4, the renames of 6 and 7) is part of
the platform's structure: every seed replays it through the real lifecycle
services, with or without accounts (`--as-founded` stops at 2017, for tests
that start from the founding state). Idempotent: running it twice changes
nothing. Communities are matched by their agenda number, so an editor's later
changes to a page are kept.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communities.forum.demo import seed_demo_forum
from communities.founding import FOUNDING_COMMUNITIES, FOUNDING_DATE, replay_agenda_history
from communities.lifecycle.services import lifecycle_as_system
from communities.models import CommunityPage
from cop_platform.mail import mail_muted
from home.site_tree import ensure_site_tree
from members.demo import NETWORK_COORDINATOR_EMAIL, seed_demo_people
from members.services import ensure_dev_coordinator
from teams.demo import seed_demo_team
from todo_lists.demo import seed_demo_todo_lists

DEV_COORDINATOR_EMAIL = "coordinator@example.org"
# The published demo password; seed refuses to create these accounts with DEBUG off.
DEV_PASSWORD = "bibliotheek-demo-2026"  # nosec B105  # documented development login


class Command(BaseCommand):
    help = "Create the site tree and the 15 founding communities (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts", action="store_true", help="Do not create the development login."
        )
        parser.add_argument(
            "--as-founded",
            action="store_true",
            help="Only the 15 communities as founded in 2017, without the agenda's later "
            "history (for tests that start from the founding state; implies --no-accounts).",
        )

    @transaction.atomic
    def handle(self, *args, no_accounts=False, as_founded=False, **options):
        index = ensure_site_tree()
        created = 0
        existing = set(CommunityPage.objects.values_list("number", flat=True))
        for number, name, priority, summary, tags in FOUNDING_COMMUNITIES:
            if number in existing:
                continue
            page = CommunityPage(
                title=name,
                number=number,
                priority=priority,
                summary=summary,
                start_date=FOUNDING_DATE,
            )
            index.add_child(instance=page)
            page.tags.add(*tags)
            page.save_revision().publish()
            created += 1
        self.stdout.write(f"Communities: {created} created, {len(existing)} already present.")

        if as_founded:
            return
        if no_accounts:
            # No accounts to act as: the system replays the history.
            with lifecycle_as_system(), mail_muted():
                self._report_history(replay_agenda_history(actor=None))
            return
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create the development login with DEBUG off "
                "(use --no-accounts in production)."
            )
        ensure_dev_coordinator(email=DEV_COORDINATOR_EMAIL, password=DEV_PASSWORD)
        demo = seed_demo_people(password=DEV_PASSWORD)
        todo_items = seed_demo_todo_lists()
        forum_threads = seed_demo_forum()
        # The agenda's history after 2017, with the demo content on board: the real
        # merge moves the members, threads and to-do items of 3 and 4.
        coordinator = get_user_model().objects.get(email=NETWORK_COORDINATOR_EMAIL)
        with mail_muted():
            history = replay_agenda_history(actor=coordinator)
        self.stdout.write(
            self.style.SUCCESS(
                f"Log in at {settings.WAGTAILADMIN_BASE_URL}/accounts/login/ with "
                f"{DEV_COORDINATOR_EMAIL} "
                f"and password {DEV_PASSWORD} (development only)."
            )
        )
        self.stdout.write(
            f"{demo.people} demo members (such as sanne.devries@example.org; network "
            f"coordinator netwerk@example.org), password: {DEV_PASSWORD}. "
            f"This run added {demo.people_created} people, {demo.memberships_created} "
            f"memberships and {demo.moderators_appointed} moderators."
        )
        self.stdout.write(f"Demo to-do lists: {todo_items} items added.")
        self.stdout.write(f"Demo forum: {forum_threads} threads added.")
        self._report_history(history)

    def _report_history(self, history: list[str]) -> None:
        self.stdout.write(
            "Agenda history: " + ("; ".join(history) if history else "already replayed") + "."
        )
        self.stdout.write(f"Demo team and koffer: {seed_demo_team()}.")
