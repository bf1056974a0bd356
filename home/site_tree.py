"""Creates the page tree the platform needs: root → home → community index.

Used by the `seed` command and by test fixtures (transactional tests flush the
root page and Site that Wagtail's migrations create, so they rebuild it here).
"""

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from communities.models import CommunityIndexPage
from home.models import HomePage

HOME_INTRO = (
    "<p>Openbare bibliotheken, provinciale ondersteuningsinstellingen, de KB en partners "
    "innoveren samen in thematische communities. Kijk mee, haal wat je nodig hebt en "
    "breng wat je kunt.</p>"
)
INDEX_INTRO = "<p>Alle communities van de innovatieagenda, per prioriteit.</p>"
# Data, not catalogue strings: Dutch, the language of the site and its editors
# (migration home 0002 gave existing trees the same names).
ROOT_TITLE = "Alle pagina's"
SITE_NAME = "Bibliotheekcommunities"


@transaction.atomic
def ensure_site_tree(*, hostname: str = "localhost", port: int = 80) -> CommunityIndexPage:
    """Make sure the root, the home page, the default Site and the community index
    exist; return the index. Running it again changes nothing."""
    # Every page needs the default Locale; Wagtail's migrations create it, but a
    # flushed database (transactional tests) has none.
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title=ROOT_TITLE, slug="root")

    home = HomePage.objects.first()
    if home is None:
        # Wagtail's migrations create a plain "Welcome" page at the home slug;
        # it has no content and would take the slug, so it makes way.
        for page in root.get_children().filter(slug="home").specific():
            if type(page) is Page:
                page.delete()
        home = HomePage(title=SITE_NAME, slug="home", intro=HOME_INTRO)
        root.add_child(instance=home)
        home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name=SITE_NAME,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])

    index = CommunityIndexPage.objects.first()
    if index is None:
        index = CommunityIndexPage(title="Communities", slug="communities", intro=INDEX_INTRO)
        home.add_child(instance=index)
        index.save_revision().publish()
    return index
