"""Forum services: sanitising, broadcasting after commit only, moderation, mentions,
following, the daily digest, and what erasure and export need."""

import asyncio
import datetime
import io
import uuid

import pytest
from asgiref.sync import async_to_sync
from bs4 import BeautifulSoup
from channels.layers import InMemoryChannelLayer, channel_layers, get_channel_layer
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from communities.forum import selectors, services
from communities.forum.broadcast import community_group, thread_group
from communities.forum.models import Follow, Notification, Post, Thread, ThreadReadState
from communities.models import CommunityStatus
from cop_platform.sanitize import ALLOWED_TAGS, clean_html, markdown_with_mentions
from members.models import FollowEmailMode
from members.services.profiles import profile_set_notification_preferences

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[klik](javascript:alert(1))",
    "[klik](  JaVaScRiPt:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD4=)",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)><circle/></svg>",
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example.com"></iframe>',
    '<p style="position:fixed">x</p>',
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    '"><script>alert(1)</script>',
    "<!-- <script>alert(1)</script> -->",
    "`<script>alert(1)</script>`",
]


def _reply(actor, thread, body, capture):
    with capture(execute=True):
        return services.post_create(actor=actor, thread=thread, body=body)


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_is_neutralised(source, member, thread, django_capture_on_commit_callbacks):
    post = _reply(member, thread, source, django_capture_on_commit_callbacks)
    # What a browser would build from it: only allow-listed elements and attributes,
    # and no link that runs script; escaped text is harmless.
    tree = BeautifulSoup(post.body_html, "html.parser")
    for element in tree.find_all(True):
        assert element.name in ALLOWED_TAGS, (source, post.body_html)
        assert set(element.attrs) <= {"href", "title", "rel"}, (source, post.body_html)
        href = "".join(element.get("href", "").split()).lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), post.body_html
    assert clean_html(post.body_html) == post.body_html  # already within the allow-list
    assert post.body_source == source.strip()  # the author's text is kept as written


def test_links_get_nofollow_ugc_noopener(member, thread, django_capture_on_commit_callbacks):
    post = _reply(
        member,
        thread,
        "Zie [de site](https://example.org) en https://example.com/pad",
        django_capture_on_commit_callbacks,
    )
    assert post.body_html.count('rel="nofollow ugc noopener"') == 2


def test_mention_links_stay_within_the_allow_list():
    source = "Hoi @Anna de Vries en @anna, `@Anna` [@Anna](/x)"
    out = markdown_with_mentions(source, {"Anna de Vries": "/mensen/3/", "Anna": "/mensen/4/"})
    assert '<a href="/mensen/3/" rel="nofollow ugc noopener">@Anna de Vries</a>' in out
    assert '<a href="/mensen/4/" rel="nofollow ugc noopener">@anna</a>' in out
    assert "<code>@Anna</code>" in out
    assert clean_html(out) == out


def _listen(group: str) -> str:
    """A plain (not process-specific) channel in `group`, so that any layer instance
    can read it: with Redis every async_to_sync call runs its own event loop."""
    channel = f"forumtest.{uuid.uuid4().hex}"
    async_to_sync(get_channel_layer().group_add)(group, channel)
    return channel


def _drain(channel) -> list:
    """Everything that reached `channel` so far."""
    shared = get_channel_layer()
    in_memory = isinstance(shared, InMemoryChannelLayer)

    async def drain():
        layer = shared if in_memory else channel_layers.make_backend("default")
        messages = []
        try:
            while True:
                try:
                    messages.append(await asyncio.wait_for(layer.receive(channel), timeout=0.5))
                except TimeoutError:
                    return messages
        finally:
            if not in_memory:
                await layer.close_pools()

    return async_to_sync(drain)()


def test_broadcast_only_after_commit(member, thread, django_capture_on_commit_callbacks):
    channel = _listen(thread_group(thread.pk))
    listing = _listen(community_group(thread.community_id))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = services.post_create(actor=member, thread=thread, body="Na de commit")
    # Nothing was sent while the transaction was open.
    assert _drain(channel) == []
    assert _drain(listing) == []
    for callback in callbacks:
        callback()
    # The thread page gets the post only: its row (reply count) is news for the
    # thread lists, not for the page, so 1,000 open pages get one event, not two.
    events = _drain(channel)
    assert [e["type"] for e in events] == ["forum.post_created"]
    assert events[0]["post_id"] == post.pk
    assert "Na de commit" in events[0]["html"]["nl"]
    rows = _drain(listing)
    assert [e["type"] for e in rows] == ["forum.thread_updated"]
    assert "1 reactie" in rows[0]["html"]["nl"]


def test_nothing_is_broadcast_on_rollback(member, thread, django_capture_on_commit_callbacks):
    channel = _listen(thread_group(thread.pk))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                services.post_create(actor=member, thread=thread, body="Teruggedraaid")
                raise RuntimeError("rolled back")
    assert callbacks == []
    assert _drain(channel) == []
    assert not Post.objects.filter(body_source="Teruggedraaid").exists()


def test_who_may_post(member, outsider, thread, moderator, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        _reply(outsider, thread, "Mag ik meedoen?", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_set_locked(actor=moderator, thread=thread, locked=True)
    with pytest.raises(PermissionDenied):
        _reply(member, thread, "Nog één ding", django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        services.thread_set_locked(actor=member, thread=thread, locked=False)
    assert thread.posts.count() == 1


def test_an_archived_community_is_read_only(member, thread, community):
    type(community).objects.filter(pk=community.pk).update(status=CommunityStatus.DISSOLVED)
    community.refresh_from_db()
    thread.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.post_create(actor=member, thread=thread, body="Hallo?")
    with pytest.raises(PermissionDenied):
        services.thread_create(actor=member, community=community, title="Nieuw", body="x")


def test_empty_posts_and_titles_are_refused(member, thread, community):
    with pytest.raises(ValidationError):
        services.post_create(actor=member, thread=thread, body="   \n ")
    with pytest.raises(ValidationError):
        services.thread_create(actor=member, community=community, title=" ", body="Tekst")
    assert Thread.objects.filter(community=community).count() == 1


def test_editing_marks_the_post_and_has_a_window(
    member, other_member, thread, settings, django_capture_on_commit_callbacks
):
    post = thread.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_edit(actor=other_member, post=post, body="Niet van mij")
    with django_capture_on_commit_callbacks(execute=True):
        edited = services.post_edit(actor=member, post=post, body="Verbeterde *tekst*")
    assert edited.edited_at is not None
    assert "<em>tekst</em>" in edited.body_html
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - settings.FORUM_EDIT_WINDOW - datetime.timedelta(minutes=1)
    )
    post.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.post_edit(actor=member, post=post, body="Te laat")


def test_hiding_needs_a_moderator_and_a_reason(
    member, moderator, thread, django_capture_on_commit_callbacks
):
    post = thread.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_hide(actor=member, post=post, reason="Ik wil het weg")
    with pytest.raises(ValidationError):
        services.post_hide(actor=moderator, post=post, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        hidden = services.post_hide(actor=moderator, post=post, reason="Reclame")
    assert hidden.hidden_by == moderator and hidden.hidden_reason == "Reclame"
    with django_capture_on_commit_callbacks(execute=True):
        visible = services.post_unhide(actor=moderator, post=post)
    assert visible.hidden_at is None


def test_moving_a_thread_takes_its_posts_along(
    member, moderator, thread, community, other_community, django_capture_on_commit_callbacks
):
    _reply(member, thread, "Tweede bericht", django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        services.thread_move(actor=member, thread=thread, target=other_community)
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.thread_move(actor=moderator, thread=thread, target=other_community)
    assert moved.community == other_community
    assert moved.moved_from == community
    # The move is recorded in the one provenance table.
    from communities.lifecycle.models import Provenance

    row = Provenance.objects.get(object_id=moved.pk, content_type__model="thread")
    assert (row.from_community, row.to_community, row.event) == (community, other_community, None)
    assert list(selectors.threads_of(other_community)) == [moved]
    assert moved.posts.count() == 2
    # The member of the old community cannot reply in the new one.
    with pytest.raises(PermissionDenied):
        services.post_create(actor=member, thread=moved, body="Hier ook?")


def test_mentions_link_and_notify(
    member, other_member, make_user, thread, django_capture_on_commit_callbacks
):
    stranger = make_user(name="Vreemde Eend")
    mail.outbox.clear()
    post = _reply(
        member,
        thread,
        "Vraag voor @Daan Jansen (en @Vreemde Eend, die hier geen lid is).",
        django_capture_on_commit_callbacks,
    )
    assert f'<a href="/mensen/{other_member.pk}/" rel="nofollow ugc noopener">@Daan Jansen</a>' in (
        post.body_html
    )
    assert f"/mensen/{stranger.pk}/" not in post.body_html
    assert list(Notification.objects.values_list("user", "post")) == [(other_member.pk, post.pk)]
    assert [message.to for message in mail.outbox] == [[other_member.email]]
    assert "Sanne de Vries" in mail.outbox[0].subject
    # Editing does not notify twice.
    with django_capture_on_commit_callbacks(execute=True):
        services.post_edit(actor=member, post=post, body=post.body_source + " Dank!")
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_mention_e_mail_respects_the_preference(
    member, other_member, thread, django_capture_on_commit_callbacks
):
    profile_set_notification_preferences(
        actor=other_member, mention_email=False, follow_email_mode=FollowEmailMode.OFF
    )
    mail.outbox.clear()
    _reply(member, thread, "Hoi @Daan Jansen", django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=other_member).count() == 1  # still told in-site
    assert mail.outbox == []


def test_followers_get_e_mail_immediately(
    member, other_member, outsider, thread, django_capture_on_commit_callbacks
):
    services.thread_follow(actor=outsider, thread=thread, mode=FollowEmailMode.IMMEDIATELY)
    mail.outbox.clear()
    _reply(other_member, thread, "Een antwoord", django_capture_on_commit_callbacks)
    # The author (who follows their own thread) and the reader who follows it.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, outsider.email])
    assert "Voorleesprojecten op school" in mail.outbox[0].subject
    # The replier now follows too, and is not mailed about their own post.
    assert Follow.objects.filter(user=other_member, thread=thread).exists()


def test_the_daily_digest_is_sent_once_a_day(
    member, other_member, outsider, thread, django_capture_on_commit_callbacks
):
    services.thread_follow(actor=outsider, thread=thread, mode=FollowEmailMode.DAILY)
    Follow.objects.filter(user=outsider).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    _reply(other_member, thread, "Eerste nieuws", django_capture_on_commit_callbacks)
    _reply(member, thread, "Tweede nieuws", django_capture_on_commit_callbacks)
    mail.outbox.clear()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_forum_digest", stdout=out)
    assert "1 e-mails" in out.getvalue()
    assert [m.to for m in mail.outbox] == [[outsider.email]]
    assert "Eerste nieuws" in mail.outbox[0].body and "Tweede nieuws" in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_forum_digest", stdout=io.StringIO())
    assert mail.outbox == []  # not twice on one day

    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.forum_send_digests(now=tomorrow) == 0  # nothing new since


def test_read_markers(member, other_member, thread, django_capture_on_commit_callbacks):
    rows = list(selectors.threads_of(thread.community, user=other_member))
    assert selectors.thread_is_unread(rows[0])
    services.thread_mark_read(user=other_member, thread=thread, post_id=rows[0].latest_post_id)
    rows = list(selectors.threads_of(thread.community, user=other_member))
    assert not selectors.thread_is_unread(rows[0])
    _reply(member, thread, "Nieuw", django_capture_on_commit_callbacks)
    rows = list(selectors.threads_of(thread.community, user=other_member))
    assert selectors.thread_is_unread(rows[0])
    # Never backwards.
    before = ThreadReadState.objects.get(user=other_member, thread=thread).last_read_post_id
    services.thread_mark_read(user=other_member, thread=thread, post_id=1)
    assert ThreadReadState.objects.get(user=other_member, thread=thread).last_read_post_id == before


def test_anonymise_keeps_posts_and_export_lists_them(
    member, other_member, moderator, thread, django_capture_on_commit_callbacks
):
    reply = _reply(other_member, thread, "Mijn bijdrage", django_capture_on_commit_callbacks)
    _reply(member, thread, "Dank @Daan Jansen", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(actor=moderator, post=reply, reason="Dubbel")

    exported = list(selectors.forum_posts_of(other_member))
    assert [post.body_source for post in exported] == ["Mijn bijdrage"]
    assert exported[0].thread.community.title

    counts = services.forum_anonymise_author(user=other_member)

    assert counts["posts"] == 1
    reply.refresh_from_db()
    assert reply.author is None and reply.body_source == "Mijn bijdrage"
    assert list(selectors.forum_posts_of(other_member)) == []
    assert not Notification.objects.filter(user=other_member).exists()
    assert not Follow.objects.filter(user=other_member).exists()
    assert Post.objects.filter(thread=thread).count() == 3


@override_settings(FORUM_EDIT_WINDOW=datetime.timedelta(0))
def test_no_edit_window_means_no_editing(member, thread):
    with pytest.raises(PermissionDenied):
        services.post_edit(actor=member, post=thread.posts.get(), body="Later")
