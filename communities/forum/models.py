"""Threads and posts of the community forums.

A thread belongs to a community (CommunityOwned, so the lifecycle moves it);
its posts move with it and are therefore not community-owned themselves.
Everything changes only through communities.forum.services.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from communities.forum.lifecycle import after_community_dissolved, after_threads_moved
from communities.ownership import CommunityOwned, OwnershipPolicy
from members.models import FollowEmailMode as FollowMode


class Thread(index.Indexed, CommunityOwned):
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_threads",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.FilterField("community_id"),
    ]

    # Where a thread came from is in communities.lifecycle's Provenance.
    ownership = OwnershipPolicy(
        split_choice="thread_ids",
        children=("posts",),
        on_commit=after_threads_moved,
        on_dissolve=after_community_dissolved,
    )

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [models.Index(fields=["community", "-pinned", "-last_activity_at"])]

    def __str__(self):
        return self.title

    @cached_property
    def moved_from(self):
        """The community this thread was last moved out of, if any (from provenance)."""
        from communities.lifecycle.provenance import last_moved_from

        return last_moved_from(self)


class Post(index.Indexed, models.Model):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_posts",
        verbose_name=_("author"),
    )
    body_source = models.TextField(_("text"), max_length=20_000)
    # Produced by cop_platform.sanitize only; templates may mark it |safe.
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.TextField(_("reason for hiding"), max_length=1000, blank=True)

    search_fields = [
        index.SearchField("body_source"),
        index.FilterField("thread_id"),
    ]

    class Meta:
        ordering = ["pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [models.Index(fields=["thread", "id"])]

    def __str__(self):
        return f"{self.thread_id}#{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ThreadReadState(models.Model):
    """The last post a person has seen in a thread: everything after it is unread."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_read_states"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    last_read_post_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_read_state_per_thread")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.thread_id} up to {self.last_read_post_id}"


class Follow(models.Model):
    """A person follows a thread; `mode` says how they hear about new posts.
    `last_digest_at` is when the daily digest last covered this thread."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_follows"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    mode = models.CharField(
        _("e-mail"), max_length=16, choices=FollowMode.choices, default=FollowMode.IMMEDIATELY
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("followed thread")
        verbose_name_plural = _("followed threads")
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_follow_per_thread")
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.thread_id} ({self.mode})"


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Mentioned you")


class Notification(models.Model):
    """An in-site notice for one person (for now: someone mentioned them)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "post", "kind"], name="one_notification_per_post_and_kind"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return f"{self.kind} for {self.user_id} ({self.post_id})"
