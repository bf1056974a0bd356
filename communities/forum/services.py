"""Writes of the forum: threads, posts, moderation, following, notifications.

Every service checks permissions through communities.permissions, validates,
writes in one transaction, and announces the result (live fragments to the
channel-layer groups, e-mail) only after that transaction commits.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities import permissions
from communities.forum import rendering, selectors
from communities.forum.broadcast import broadcast_on_commit, community_group, thread_group
from communities.forum.models import (
    Follow,
    FollowMode,
    Notification,
    NotificationKind,
    Post,
    Thread,
    ThreadReadState,
)
from communities.lifecycle.guard import lock_active_community
from communities.lifecycle.provenance import record_move
from communities.models import CommunityPage
from cop_platform.mail import absolute_url, send_mail_on_commit
from cop_platform.page_cache import invalidate_reader_pages
from cop_platform.sanitize import (
    clean_text,
    markdown_with_mentions,
    mentioned_names,
    one_line,
)
from members.models import name_of

BODY_LIMIT = 20_000
TITLE_LIMIT = 200


def _clean_body(body: str) -> str:
    body = clean_text(body)
    if not body:
        raise ValidationError(_("Please write something."))
    if len(body) > BODY_LIMIT:
        raise ValidationError(
            _("A post can be at most %(limit)s characters long.") % {"limit": BODY_LIMIT}
        )
    return body


def _render_body(source: str, community) -> tuple[str, list]:
    """Sanitised HTML with @mentions of active members linked, and who was mentioned."""
    candidates = selectors.mention_candidates(community)
    names = mentioned_names(source, candidates)
    mentioned = {candidates[name].pk: candidates[name] for name in names}
    # Stored once, so the links use the default language's (unprefixed) URLs.
    with translation.override(settings.LANGUAGE_CODE):
        mapping = {name: reverse("members:profile", args=[candidates[name].pk]) for name in names}
    return markdown_with_mentions(source, mapping), list(mentioned.values())


def _locked_thread(thread: Thread) -> Thread:
    """Re-read under a row lock: a reply must not slip past a lock or a move.

    The lock is taken on the thread alone, then the thread is read with its
    community: a lifecycle operation locks the pages first and then the threads
    (locking the joined page here would take them in the opposite order), and on
    PostgreSQL a locked join re-checked after a concurrent move would find no row.
    """
    Thread.objects.select_for_update().filter(pk=thread.pk).values_list("pk").first()
    return Thread.objects.select_related("community").get(pk=thread.pk)


def _thread_email_context(thread, post=None) -> dict:
    community = thread.community
    thread_url = absolute_url(rendering.forum_url(community, "forum_thread", thread.pk))
    context = {"community": community, "thread": thread, "thread_url": thread_url}
    if post is not None:
        context.update(
            post=post,
            post_url=f"{thread_url}bericht/{post.pk}/",
            author_name=name_of(post.author),
        )
    return context


def _announce_post(post: Post, event_type: str) -> None:
    thread = post.thread
    broadcast_on_commit(
        [thread_group(thread.pk)],
        {
            "type": event_type,
            "thread_id": thread.pk,
            "post_id": post.pk,
            "html": rendering.render_post_everywhere(post),
        },
    )


def _announce_thread(thread: Thread, *, extra_communities=(), thread_page: bool = True) -> None:
    """Tell thread lists (the community groups) about the thread's row. The thread
    page itself listens for its lock state and a move only; `thread_page=False`
    (a post was added, hidden or shown) spares every open thread page an event it
    would ignore, which halves a post's fan-out to them."""
    row = selectors.thread_row(thread.pk)
    event = {
        "type": "forum.thread_updated",
        "thread_id": thread.pk,
        "community_id": row.community_id,
        "pinned": row.pinned,
        "locked": row.locked,
        "html": rendering.render_thread_row_everywhere(row),
    }
    groups = [thread_group(thread.pk)] if thread_page else []
    groups += [community_group(row.community_id)]
    groups += [community_group(pk) for pk in extra_communities]
    broadcast_on_commit(groups, event)


def _notify_mentions(post: Post, mentioned: list) -> None:
    """In-site notice for every newly mentioned member (not the author), e-mail to
    those who want it."""
    people = [person for person in mentioned if person.pk != post.author_id]
    if not people:
        return
    already = set(
        Notification.objects.filter(
            post=post, kind=NotificationKind.MENTION, user__in=people
        ).values_list("user_id", flat=True)
    )
    new = [person for person in people if person.pk not in already]
    Notification.objects.bulk_create(
        [Notification(user=person, post=post, kind=NotificationKind.MENTION) for person in new]
    )
    # bulk_create sends no post_save: their pages show the count of new notices.
    for person in new:
        invalidate_reader_pages(person.pk)
    recipients = [
        person for person in new if getattr(getattr(person, "profile", None), "mention_email", True)
    ]
    if recipients:
        send_mail_on_commit(
            template="forum/email/mention",
            recipients=recipients,
            context=_thread_email_context(post.thread, post),
        )


def _notify_followers(post: Post) -> None:
    recipients = [
        follow.user
        for follow in Follow.objects.filter(
            thread=post.thread, mode=FollowMode.IMMEDIATELY, user__is_active=True
        )
        .exclude(user_id=post.author_id)
        .select_related("user__profile")
    ]
    if recipients:
        send_mail_on_commit(
            template="forum/email/new_post",
            recipients=recipients,
            context=_thread_email_context(post.thread, post),
        )


def _follow_by_default(user, thread: Thread) -> None:
    """Authors follow the threads they write in, the way their profile says."""
    profile = getattr(user, "profile", None)
    mode = getattr(profile, "follow_email_mode", FollowMode.IMMEDIATELY)
    if mode != FollowMode.OFF:
        Follow.objects.get_or_create(user=user, thread=thread, defaults={"mode": mode})


def _new_post(*, actor, thread: Thread, body: str) -> Post:
    source = _clean_body(body)
    html, mentioned = _render_body(source, thread.community)
    post = Post(thread=thread, author=actor, body_source=source, body_html=html)
    post.full_clean()
    post.save()
    thread.last_activity_at = post.created_at
    thread.save(update_fields=["last_activity_at"])
    # The author has seen their own post.
    ThreadReadState.objects.update_or_create(
        user=actor, thread=thread, defaults={"last_read_post_id": post.pk}
    )
    _notify_mentions(post, mentioned)
    return post


@transaction.atomic
def thread_create(*, actor, community: CommunityPage, title: str, body: str) -> Thread:
    """Start a thread with its first post. Needs an active membership of an active
    community; the author follows the thread (per their profile's preference)."""
    permissions.require(permissions.can_post(actor, community))
    title = one_line(title)
    if not title:
        raise ValidationError(_("Please give the thread a title."))
    if len(title) > TITLE_LIMIT:
        raise ValidationError(
            _("A title can be at most %(limit)s characters long.") % {"limit": TITLE_LIMIT}
        )
    lock_active_community(community)
    thread = Thread(community=community, title=title, author=actor)
    thread.full_clean()
    thread.save()
    post = _new_post(actor=actor, thread=thread, body=body)
    _follow_by_default(actor, thread)
    _announce_post(post, "forum.post_created")
    _announce_thread(thread, thread_page=False)
    return thread


@transaction.atomic
def post_create(*, actor, thread: Thread, body: str) -> Post:
    """Reply in a thread. Refused in a locked thread, in an archived community and
    for anyone who is not an active member of the thread's community."""
    thread = _locked_thread(thread)
    permissions.require(permissions.can_post(actor, thread.community, thread))
    post = _new_post(actor=actor, thread=thread, body=body)
    _notify_followers(post)
    _follow_by_default(actor, thread)
    _announce_post(post, "forum.post_created")
    _announce_thread(thread, thread_page=False)
    return post


@transaction.atomic
def post_edit(*, actor, post: Post, body: str) -> Post:
    """The author edits their post within settings.FORUM_EDIT_WINDOW; the post shows
    "edited" from then on. Newly mentioned members are notified."""
    post = Post.objects.select_for_update().select_related("thread__community").get(pk=post.pk)
    permissions.require(permissions.can_edit_post(actor, post))
    source = _clean_body(body)
    if source == post.body_source:
        return post
    post.body_source = source
    post.body_html, mentioned = _render_body(source, post.thread.community)
    post.edited_at = timezone.now()
    post.full_clean()
    post.save(update_fields=["body_source", "body_html", "edited_at"])
    _notify_mentions(post, mentioned)
    _announce_post(post, "forum.post_updated")
    return post


@transaction.atomic
def post_hide(*, actor, post: Post, reason: str) -> Post:
    """A moderator hides a post, with a reason that readers see instead of it."""
    post = Post.objects.select_for_update().select_related("thread__community").get(pk=post.pk)
    permissions.require(permissions.can_moderate_forum(actor, post.thread.community))
    reason = clean_text(reason)
    if not reason:
        raise ValidationError(_("Please give a reason; readers see it instead of the post."))
    if post.hidden_at is not None:
        raise ValidationError(_("This post is already hidden."))
    post.hidden_at = timezone.now()
    post.hidden_by = actor
    post.hidden_reason = reason
    post.full_clean()
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _announce_post(post, "forum.post_updated")
    _announce_thread(post.thread, thread_page=False)
    return post


@transaction.atomic
def post_unhide(*, actor, post: Post) -> Post:
    post = Post.objects.select_for_update().select_related("thread__community").get(pk=post.pk)
    permissions.require(permissions.can_moderate_forum(actor, post.thread.community))
    if post.hidden_at is None:
        raise ValidationError(_("This post is not hidden."))
    post.hidden_at = None
    post.hidden_by = None
    post.hidden_reason = ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _announce_post(post, "forum.post_updated")
    _announce_thread(post.thread, thread_page=False)
    return post


@transaction.atomic
def thread_set_locked(*, actor, thread: Thread, locked: bool) -> Thread:
    """Lock (read-only) or reopen a thread."""
    thread = _locked_thread(thread)
    permissions.require(permissions.can_moderate_forum(actor, thread.community))
    thread.locked = locked
    thread.save(update_fields=["locked"])
    _announce_thread(thread)
    return thread


@transaction.atomic
def thread_set_pinned(*, actor, thread: Thread, pinned: bool) -> Thread:
    """Pin a thread to the top of the list, or unpin it."""
    thread = _locked_thread(thread)
    permissions.require(permissions.can_moderate_forum(actor, thread.community))
    thread.pinned = pinned
    thread.save(update_fields=["pinned"])
    _announce_thread(thread)
    return thread


@transaction.atomic
def thread_move(*, actor, thread: Thread, target: CommunityPage) -> Thread:
    """Move a thread (its posts come along) to another, active community. Its old
    URL keeps working: it redirects to the new place."""
    thread = _locked_thread(thread)
    source = thread.community
    permissions.require(permissions.can_moderate_forum(actor, source))
    if target.pk == source.pk:
        raise ValidationError(_("The thread is already in this community."))
    if not target.is_active:
        raise ValidationError(_("Threads can only move to an active community."))
    thread.community = target
    thread.full_clean()
    thread.save(update_fields=["community"])
    record_move(actor=actor, obj=thread, from_community=source, to_community=target)
    _announce_thread(thread, extra_communities=[source.pk])
    return thread


def thread_mark_read(*, user, thread: Thread, post_id: int | None) -> None:
    """Remember that the user has seen the thread up to `post_id` (never backwards).

    Called on every view of a thread page: it writes only when the position moves,
    so that viewing an unchanged thread again does not end the members' cached
    pages (cop_platform/page_cache.py), and the page can come from the cache."""
    if not user.is_authenticated or not post_id:
        return
    state, created = ThreadReadState.objects.get_or_create(
        user=user, thread=thread, defaults={"last_read_post_id": post_id}
    )
    if not created and state.last_read_post_id < post_id:
        ThreadReadState.objects.filter(pk=state.pk, last_read_post_id__lt=post_id).update(
            last_read_post_id=post_id
        )
        # update() sends no post_save: the reader's thread lists show what is unread.
        invalidate_reader_pages(user.pk)


@transaction.atomic
def thread_follow(*, actor, thread: Thread, mode: str) -> Follow:
    """Follow a thread (anyone who may read it), or change how to hear about it."""
    permissions.require(permissions.can_read_forum(actor, thread.community))
    if mode not in FollowMode.values:
        raise ValidationError(_("Choose how you want to hear about new posts."))
    follow, _created = Follow.objects.update_or_create(
        user=actor, thread=thread, defaults={"mode": mode}
    )
    return follow


@transaction.atomic
def thread_unfollow(*, actor, thread: Thread) -> None:
    Follow.objects.filter(user=actor, thread=thread).delete()


def notifications_mark_read(*, actor) -> int:
    marked = Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        # update() sends no post_save: the member's pages show the count of new notices.
        invalidate_reader_pages(actor.pk)
    return marked


@transaction.atomic
def forum_anonymise_author(*, user) -> dict[str, int]:
    """Erasure: keep the person's posts and threads for the conversation, but detach
    them (shown as "removed member"), and drop what only concerned them (follows,
    read markers, notifications). Returns what changed, by kind.

    The updates send no post_save; the erasure's own save of the user row
    (members.services.personal_data.account_erase) ends every cached page."""
    counts = {
        "posts": Post.objects.filter(author=user).update(author=None),
        "threads": Thread.objects.filter(author=user).update(author=None),
        "hidden_by": Post.objects.filter(hidden_by=user).update(hidden_by=None),
    }
    counts["follows"] = Follow.objects.filter(user=user).delete()[0]
    counts["read_states"] = ThreadReadState.objects.filter(user=user).delete()[0]
    counts["notifications"] = Notification.objects.filter(user=user).delete()[0]
    return counts


def forum_send_digests(*, now: datetime.datetime | None = None) -> int:
    """E-mail everyone who follows threads in daily mode the new posts (by others)
    since their last digest. Once per day at most: a follow whose digest already
    ran today is skipped, so running this twice on one day sends nothing new.
    Returns the number of e-mails queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    follows = [
        follow
        for follow in Follow.objects.filter(mode=FollowMode.DAILY, user__is_active=True)
        .select_related("user__profile", "thread__community")
        .order_by("user_id", "thread_id")
        if follow.last_digest_at is None or timezone.localdate(follow.last_digest_at) < today
    ]
    if not follows:
        return 0
    since = min(follow.last_digest_at or follow.created_at for follow in follows)
    posts_by_thread: dict[int, list] = {}
    for post in (
        Post.objects.filter(
            thread_id__in={follow.thread_id for follow in follows},
            created_at__gt=since,
            created_at__lte=now,
            hidden_at__isnull=True,
        )
        .select_related("author__profile")
        .order_by("pk")
    ):
        posts_by_thread.setdefault(post.thread_id, []).append(post)

    by_user: dict[int, list] = {}
    for follow in follows:
        by_user.setdefault(follow.user_id, []).append(follow)
    sent = 0
    for user_follows in by_user.values():
        user = user_follows[0].user
        sections = []
        for follow in user_follows:
            start = follow.last_digest_at or follow.created_at
            posts = [
                post
                for post in posts_by_thread.get(follow.thread_id, [])
                if post.created_at > start and post.author_id != user.pk
            ]
            if posts:
                thread = follow.thread
                sections.append(
                    {
                        "thread": thread,
                        "community": thread.community,
                        "url": absolute_url(
                            rendering.forum_url(thread.community, "forum_thread", thread.pk)
                        ),
                        "posts": posts,
                    }
                )
        with transaction.atomic():
            # No page shows last_digest_at: nothing cached to end.
            Follow.objects.filter(pk__in=[f.pk for f in user_follows]).update(last_digest_at=now)
            if sections:
                send_mail_on_commit(
                    template="forum/email/digest",
                    recipients=[user],
                    context={"sections": sections},
                )
                sent += 1
    return sent
