from django.shortcuts import render

from communities.forms import CommunitySearchForm
from communities.selectors import community_tags, search_communities


def search(request):
    """Search the communities, with priority and theme (tag) as facets. Works with GET only,
    so every result list has its own shareable URL."""
    form = CommunitySearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        results = search_communities(
            query=form.cleaned_data["q"].strip(),
            priority=form.cleaned_data["priority"],
            tag=form.cleaned_data["tag"],
        )
    return render(
        request,
        "communities/search.html",
        {
            "form": form,
            "results": results,
            "tags": community_tags(),
            "active_tag": form.cleaned_data.get("tag", "")
            if form.is_bound and form.is_valid()
            else "",
        },
    )
