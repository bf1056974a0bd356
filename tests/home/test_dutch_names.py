"""Names that are data, not catalogue strings, are Dutch: the home page's title,
the site's name, and what Wagtail's migrations create in English (root page and
collection, groups, the approval workflow); issue 13, item 12."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.models import Collection, Page, Site, Task, Workflow

from cop_platform.wording import EDITORS_GROUP, PUBLISHERS_GROUP

pytestmark = pytest.mark.django_db


def tab_title(response) -> str:
    return BeautifulSoup(response.content, "html.parser").title.get_text(strip=True)


def test_the_home_page_is_titled_in_the_page_language(client, site_tree):
    assert tab_title(client.get("/")) == "Bibliotheekcommunities"
    with translation.override("en"):  # restores the language the request activates
        assert tab_title(client.get("/en/")) == "Library communities of practice"
    assert Site.objects.get(is_default_site=True).site_name == "Bibliotheekcommunities"


def test_wagtails_own_rows_have_dutch_names(site_tree):
    # The test database is built by the migrations, home 0002 included.
    assert Page.get_first_root_node().title == "Alle pagina's"
    assert Collection.get_first_root_node().name == "Algemeen"
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITORS_GROUP, PUBLISHERS_GROUP}
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert list(Workflow.objects.values_list("name", flat=True)) == [
        "Goedkeuring door de eindredactie"
    ]
    assert list(Task.objects.values_list("name", flat=True)) == ["Goedkeuring door de eindredactie"]
