"""Daily e-mail with the new posts in the threads people follow in daily mode.

Run once a day (cron, systemd timer). Safe to run more often: a person gets at
most one digest per day.
"""

from django.core.management.base import BaseCommand

from communities.forum.services import forum_send_digests


class Command(BaseCommand):
    help = "E-mail daily followers the new posts since their last digest (once per day)."

    def handle(self, *args, **options):
        sent = forum_send_digests()
        self.stdout.write(f"Forum digest: {sent} e-mails sent.")
