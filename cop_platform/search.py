"""Word search through Wagtail's search backend: whole words and beginnings of words.

Wagtail's `search()` matches whole words (on PostgreSQL: Dutch stems) in every
SearchField, but not the beginning of a word: "lees" does not find "leeslijn".
Its `autocomplete()` does (the last word typed is a prefix; earlier words must be
whole), but only in a model's AutocompleteFields. People type beginnings of words,
so the site search runs both and lists the whole-word matches (ranked best) first,
then the partial matches not found already. Both work with the database backend on
SQLite (FTS5) and PostgreSQL (tsquery `word:*`).
"""

from wagtail.search.backends import get_search_backend


def words_or_beginnings(queryset, query: str, *, limit: int | None = None) -> list:
    """Objects of `queryset` matching every word of `query`, whole-word matches
    first. `queryset` may only be filtered on the model's FilterFields (a backend
    rule). At most `limit` objects of each kind of match are read. Two searches."""
    if not query:
        return []
    backend = get_search_backend()
    searches = [backend.search(query, queryset, operator="and")]
    if queryset.model.get_autocomplete_search_fields():
        searches.append(backend.autocomplete(query, queryset, operator="and"))
    found, seen = [], set()
    for results in searches:
        for obj in results[:limit] if limit else results:
            if obj.pk not in seen:
                seen.add(obj.pk)
                found.append(obj)
    return found[:limit] if limit else found
