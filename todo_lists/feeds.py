"""Atom feeds of the to-do lists: one per community, and one of all public lists.

Entries are the most recently changed items, so a subscriber sees new items and
items that moved on (phase, status). Links are absolute (the syndication
framework adds the request's scheme and host).
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from todo_lists.selectors import feed_items


class TodoFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, community=None):
        return community

    def title(self, community):
        if community is None:
            return _("To-do lists of all communities")
        return _("To-do list of %(community)s") % {"community": community.title}

    def subtitle(self, community):
        return _("What the library communities of practice are working on.")

    def link(self, community):
        if community is None:
            from django.urls import reverse

            return reverse("todo_overview")
        return community.subpage_url("todo_list")

    def items(self, community):
        return feed_items(community)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom marks the summary as HTML (type="html"; the generator only escapes it
        # for XML): the facts as escaped text, then the description as the site
        # shows it, sanitised when it was saved (todo_lists/services.py).
        parts = [
            f"{_('Phase')}: {item.get_phase_display()}",
            f"{_('Status')}: {item.get_status_display()}",
        ]
        if item.owner is not None:
            parts.append(f"{_('Owner')}: {item.owner.display_name}")
        return f"<p>{escape(' · '.join(parts))}</p>{item.description_html}"

    def item_link(self, item):
        community = item.community
        return community.subpage_url("todo_item", item.pk)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.community.title, item.get_phase_display(), item.get_status_display()]
