"""What must follow when threads change community or their community is
dissolved (referenced from Thread.ownership; the lifecycle imports nothing
here): the open pages of the threads and of the communities they left are told
where the content went (or that it is now an archive), and the search index is
refreshed. Called after commit."""

from communities.forum.broadcast import community_group, send_to_group, thread_group


def after_threads_moved(moves) -> None:
    from channels.layers import get_channel_layer

    from communities.forum.models import Thread
    from communities.models import CommunityPage
    from todo_lists.lifecycle import reindex_moved

    if not moves:
        return
    reindex_moved(Thread, moves)
    channel_layer = get_channel_layer()
    if channel_layer is None:
        return
    pages = {
        page.pk: page
        for page in CommunityPage.objects.filter(pk__in={to for _id, _from, to in moves})
    }
    told = set()
    for thread_id, from_id, to_id in moves:
        page = pages.get(to_id)
        if page is None:
            continue
        url = page.url + page.reverse_subpage("forum_thread", args=(thread_id,))
        event = {"type": "forum.content_moved", "community_id": to_id, "url": url}
        send_to_group(channel_layer, thread_group(thread_id), event)
        if from_id not in told:
            told.add(from_id)
            send_to_group(
                channel_layer,
                community_group(from_id),
                {**event, "url": page.url + page.reverse_subpage("forum")},
            )


def after_community_dissolved(community_id) -> None:
    """The open thread list and thread pages of a dissolved community are told it
    is now a read-only archive, with a link to its page (date and reason)."""
    from channels.layers import get_channel_layer

    from communities.forum.models import Thread
    from communities.models import CommunityPage

    channel_layer = get_channel_layer()
    page = CommunityPage.objects.filter(pk=community_id).first()
    if channel_layer is None or page is None:
        return
    event = {"type": "forum.community_archived", "url": page.url}
    send_to_group(channel_layer, community_group(community_id), event)
    for thread_id in Thread.objects.filter(community_id=community_id).values_list("pk", flat=True):
        send_to_group(channel_layer, thread_group(thread_id), event)
