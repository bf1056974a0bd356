"""Dutch names for the rows that Wagtail's own migrations create in English.

Wagtail makes a root page and a root collection called "Root", the groups
"Editors" and "Moderators", and a workflow and task "Moderators approval"; the
first demo seed named the home page and the Site "Communities of practice". They
are data, not strings of a catalogue, so they get Dutch names here (the language of
the site and of its editors). Wagtail's "Moderators" approve and publish pages: they
become "Eindredacteuren", so that nobody mistakes them for a community's moderators.
Only rows that still carry Wagtail's English name are renamed; reversing restores
those names. home/site_tree.py creates a new tree with the same Dutch names.
"""

from django.db import migrations

# (English name Wagtail gave, Dutch name)
ROOT_PAGE = ("Root", "Alle pagina's")
ROOT_COLLECTION = ("Root", "Algemeen")
HOME_PAGE = ("Communities of practice", "Bibliotheekcommunities")
SITE_NAME = ("Communities of practice", "Bibliotheekcommunities")
GROUPS = [("Editors", "Redacteuren"), ("Moderators", "Eindredacteuren")]
APPROVAL = ("Moderators approval", "Goedkeuring door de eindredactie")


def _rename(model, field, pairs, *, forwards, **filters):
    for english, dutch in pairs:
        old, new = (english, dutch) if forwards else (dutch, english)
        model.objects.filter(**{field: old}, **filters).update(**{field: new})


def _rename_in_revisions(apps, page_ids, pair, *, forwards):
    """The page editor opens the latest revision: it must carry the new title too,
    or the next publish would bring the English one back."""
    old, new = pair if forwards else pair[::-1]
    Revision = apps.get_model("wagtailcore", "Revision")
    for revision in Revision.objects.filter(object_id__in=[str(pk) for pk in page_ids]):
        if revision.content.get("title") == old:
            revision.content["title"] = new
            revision.content["draft_title"] = new
            revision.save(update_fields=["content"])


def rename(apps, forwards):
    Page = apps.get_model("wagtailcore", "Page")
    homes = list(Page.objects.filter(depth=2).values_list("pk", flat=True))
    _rename_in_revisions(apps, homes, HOME_PAGE, forwards=forwards)
    _rename(Page, "title", [ROOT_PAGE], forwards=forwards, depth=1)
    _rename(Page, "draft_title", [ROOT_PAGE], forwards=forwards, depth=1)
    _rename(Page, "title", [HOME_PAGE], forwards=forwards, depth=2)
    _rename(Page, "draft_title", [HOME_PAGE], forwards=forwards, depth=2)
    Collection = apps.get_model("wagtailcore", "Collection")
    _rename(Collection, "name", [ROOT_COLLECTION], forwards=forwards, depth=1)
    _rename(apps.get_model("wagtailcore", "Site"), "site_name", [SITE_NAME], forwards=forwards)
    _rename(apps.get_model("auth", "Group"), "name", GROUPS, forwards=forwards)
    _rename(apps.get_model("wagtailcore", "Workflow"), "name", [APPROVAL], forwards=forwards)
    _rename(apps.get_model("wagtailcore", "Task"), "name", [APPROVAL], forwards=forwards)


class Migration(migrations.Migration):
    # After every Wagtail migration that finds the groups by their English name to
    # give them permissions (admin access, documents, images): renaming earlier
    # would leave "Redacteuren" without access to the admin.
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: rename(apps, forwards=True),
            lambda apps, schema_editor: rename(apps, forwards=False),
        )
    ]
