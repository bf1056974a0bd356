from django.shortcuts import render

from communities import permissions
from communities.forms import CommunitySearchForm
from communities.forum.rendering import search_rows as forum_search_rows
from communities.selectors import (
    community_tags,
    faceted_communities,
    number_labels,
    search_communities,
)
from todo_lists.selectors import search_todo_items


def search(request):
    """Search the communities, with priority and theme (tag) as facets. Works with GET only,
    so every result list has its own shareable URL."""
    form = CommunitySearchForm(request.GET or None)
    archives = form.is_bound and form.is_valid() and form.cleaned_data["archives"]
    results = None
    todo_results = []
    forum_results = None
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"].strip()
        facets = {
            "priority": form.cleaned_data["priority"],
            "tag": form.cleaned_data["tag"],
            "archives": form.cleaned_data["archives"],
        }
        results = search_communities(query=query, **facets)
        labels = number_labels(results)
        for community in results:
            community.number_label = labels[community.pk]
        # To-do items and forum posts have no priority or theme of their own: the
        # facets narrow them to the communities they belong to.
        communities = faceted_communities(**facets)
        todo_results = search_todo_items(query, communities=communities)
        # The forums need a login: only logged-in people get (and may open) these.
        if query and permissions.can_search_forums(request.user):
            forum_results = forum_search_rows(
                user=request.user, query=query, communities=communities
            )
    return render(
        request,
        "communities/search.html",
        {
            "form": form,
            "results": results,
            "todo_results": todo_results,
            "forum_results": forum_results,
            "tags": community_tags(archives=archives),
            "active_tag": form.cleaned_data.get("tag", "")
            if form.is_bound and form.is_valid()
            else "",
        },
    )
