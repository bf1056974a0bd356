"""Input that stays on one line and within bounds (issue 14): display names,
thread titles, community names, organisation names and themes lose line breaks
and control characters the same way in the forms, the services and the Wagtail
admin; a community takes a bounded number of themes; e-mail subjects are plain
text; a mention links the whole display name."""

from email.header import decode_header, make_header

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from communities.admin_forms import MAX_THEME_LENGTH, MAX_THEMES
from communities.forum.services import post_create, thread_create
from communities.lifecycle.services import community_rename
from communities.models import CommunityPage, Topic
from cop_platform.sanitize import markdown_with_mentions, one_line
from members.models import Organisation
from members.services import profile_update
from tests.views_support import client_for, default_language, post_form, soup, visible_text

pytestmark = pytest.mark.django_db

HOSTILE = "Anna\r\nde\tVries\x00\x1b\u2028 \u00a0"


def test_one_line_turns_breaks_and_control_characters_into_single_spaces():
    assert one_line(HOSTILE) == "Anna de Vries"
    assert one_line("  Bibliotheek   Noord ") == "Bibliotheek Noord"
    assert one_line('Jan-Willem O\'Brien & "K" <b>') == 'Jan-Willem O\'Brien & "K" <b>'
    assert one_line("") == "" and one_line(None) == ""


def test_display_name_and_thread_title_are_stored_on_one_line(make_user, join, community):
    user = make_user(name="Tijdelijk")
    profile_update(actor=user, display_name=HOSTILE, organisation=None, job_title="Lees\nconsulent")
    user.profile.refresh_from_db()
    assert user.profile.display_name == "Anna de Vries"
    assert user.profile.job_title == "Lees consulent"
    join(user, community)
    thread = thread_create(actor=user, community=community, title="Voor\r\nlezen\x07", body="Hoi")
    assert thread.title == "Voor lezen"


def test_the_profile_form_stores_one_line(make_user):
    user = make_user(name="Tijdelijk")
    client = client_for(user)
    url = reverse("members:profile_edit")
    page = client.get(url)
    fields = {
        field["name"]: field.get("value", "")
        for field in soup(page).select("form input[name], form select[name]")
        if field["name"] != "csrfmiddlewaretoken"
    }
    fields.update(display_name="Anna\r\nde Vries", language="nl")
    post_form(client, url, fields)
    user.profile.refresh_from_db()
    assert user.profile.display_name == "Anna de Vries"


def test_the_admin_stores_organisation_names_on_one_line(coordinator):
    client = client_for(coordinator)
    url = "/admin/snippets/members/organisation/add/"
    response = post_form(
        client,
        url,
        {"name": "Bibliotheek\r\nNoord\x0b", "kind": "openbare-bibliotheek", "province": "utrecht"},
    )
    assert response.status_code == 302, visible_text(response)[:500]
    assert Organisation.objects.filter(name="Bibliotheek Noord").exists()


def _community_form(community, user, **changes):
    form_class = CommunityPage.get_edit_handler().get_form_class()
    data = {"title": community.title, "slug": community.slug, "tags": "", "body-count": "0"}
    for formset in ("former_names", "comments"):
        data.update(
            {
                f"{formset}-TOTAL_FORMS": "0",
                f"{formset}-INITIAL_FORMS": "0",
                f"{formset}-MIN_NUM_FORMS": "0",
                f"{formset}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(changes)
    return form_class(data, instance=community, for_user=user)


def test_the_admin_form_keeps_names_and_themes_on_one_line(community, coordinator):
    form = _community_form(
        community, coordinator, title="Lezen\r\nvoor iedereen", tags='"lees\nbevordering", jeugd'
    )
    form.is_valid()
    assert form.cleaned_data["title"] == "Lezen voor iedereen"
    assert sorted(form.cleaned_data["tags"]) == ["jeugd", "lees bevordering"]
    assert "tags" not in form.errors


def test_the_admin_form_refuses_too_many_themes(community, coordinator):
    themes = ", ".join(f"thema{n}" for n in range(MAX_THEMES + 492))
    with default_language():
        form = _community_form(community, coordinator, tags=themes)
        form.is_valid()
    assert form.errors["tags"] == [
        f"Een community heeft hoogstens {MAX_THEMES} thema's; "
        f"je hebt er {MAX_THEMES + 492} opgegeven."
    ]
    at_the_limit = _community_form(
        community, coordinator, tags=", ".join(f"thema{n}" for n in range(MAX_THEMES))
    )
    at_the_limit.is_valid()
    assert "tags" not in at_the_limit.errors


def test_the_admin_form_refuses_a_too_long_theme(community, coordinator):
    long_theme = "leesbevordering " * 4  # 63 characters
    with default_language():
        form = _community_form(community, coordinator, tags=f'jeugd, "{long_theme}"')
        form.is_valid()
    assert form.errors["tags"] == [
        f"Een thema is hoogstens {MAX_THEME_LENGTH} tekens lang; "
        f"„{long_theme[:MAX_THEME_LENGTH]}…” is langer."
    ]
    at_the_limit = _community_form(community, coordinator, tags="j" * MAX_THEME_LENGTH)
    at_the_limit.is_valid()
    assert "tags" not in at_the_limit.errors


def test_the_admin_page_shows_the_theme_refusal_and_keeps_the_themes(community, coordinator):
    """Through the Wagtail admin's own edit view: the message on the page, nothing saved."""
    themes = sorted(tag.name for tag in community.tags.all())
    client = client_for(coordinator)
    url = f"/admin/pages/{community.pk}/edit/"
    data = {
        key: value
        for key, value in _community_form(community, coordinator).data.items()
        if key != "tags"
    }
    data.update(
        tags="x" * (MAX_THEME_LENGTH + 1),
        summary=community.summary,
        number=community.number,
        priority=community.priority,
        start_date=community.start_date.isoformat(),
    )
    with default_language():
        response = post_form(client, url, data)
    assert response.status_code == 200
    assert f"Een thema is hoogstens {MAX_THEME_LENGTH} tekens lang" in visible_text(response)
    community.refresh_from_db()
    assert sorted(tag.name for tag in community.tags.all()) == themes


def test_topics_follow_the_theme_rule():
    topic = Topic(name="Lees\r\nbevordering\x00")
    topic.full_clean(exclude=["slug"])  # the slug is made from the name on save
    assert topic.name == "Lees bevordering"
    with default_language(), pytest.raises(ValidationError) as refused:
        Topic(name="t" * (MAX_THEME_LENGTH + 1)).full_clean(exclude=["slug"])
    assert refused.value.message_dict["name"] == [
        f"Een thema is hoogstens {MAX_THEME_LENGTH} tekens lang; "
        f"„{'t' * MAX_THEME_LENGTH}…” is langer."
    ]


def test_a_community_renamed_through_the_lifecycle_keeps_its_name_on_one_line(
    community, coordinator
):
    community_rename(
        actor=coordinator, community=community, title="Lezen\r\nvoor\x0biedereen", reason="Korter."
    )
    community.refresh_from_db()
    assert community.title == "Lezen voor iedereen"


def test_a_copied_community_page_keeps_its_title_on_one_line(community, coordinator):
    """Wagtail's "copy page" takes a new title outside the page form."""
    copy = community.copy(
        update_attrs={"title": "Kopie\r\nvan\tlezen", "slug": "kopie-lezen", "number": 99},
        user=coordinator,
    )
    assert CommunityPage.objects.get(pk=copy.pk).title == "Kopie van lezen"


def test_the_admin_user_form_keeps_names_on_one_line(coordinator, make_user):
    person = make_user(name="Anna de Vries")
    client = client_for(coordinator)
    url = f"/admin/users/edit/{person.pk}/"
    page = soup(client.get(url))
    fields = {
        field["name"]: field.get("value", "")
        for field in page.select("form input[name]")
        if field.get("type") not in ("checkbox", "radio", "submit")
        and field["name"] != "csrfmiddlewaretoken"
    }
    fields.update(first_name="Anna\r\nMaria", last_name="de\x1bVries", is_active="on")
    response = post_form(client, url, fields)
    assert response.status_code == 302, visible_text(response)[:500]
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Anna Maria", "de Vries")


def _subject(message) -> str:
    return str(make_header(decode_header(message.message()["Subject"])))


def test_e_mail_subjects_are_plain_text(
    make_user, join, community, django_capture_on_commit_callbacks
):
    author = make_user(name="Anna & \"Bert\" <de> 'Vries'")
    reader = make_user(name="Daan Jansen")
    join(author, community)
    join(reader, community)
    with django_capture_on_commit_callbacks(execute=True):
        thread = thread_create(
            actor=author, community=community, title='Lezen & <schrijven> "nu"', body="Hoi"
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_create(actor=author, thread=thread, body="Vraag voor @Daan Jansen.")
    [message] = [m for m in mail.outbox if m.to == [reader.email]]
    assert _subject(message) == (
        'Anna & "Bert" <de> \'Vries\' heeft je genoemd in “Lezen & <schrijven> "nu"”'
    )
    assert "&amp;" not in message.body and "&quot;" not in message.body


@pytest.mark.parametrize(
    "name",
    ["Anna de Vries", "Jan-Willem O'Brien", "Anna & Bert", 'Kees "K" Jansen', "Els (OBA)",
     "J. de Vries", "Anne <b>", "Jo 😀",
     # Markdown's own characters: emphasis must not split the name.
     "*Anna* de _Vries_", "Jan__Bakker", "Jan **Bakker**", "`Kees`", "Anna [OBA](x)",
     "Bert \\ Ernie"],
)  # fmt: skip
def test_a_mention_links_the_whole_display_name(name):
    html = markdown_with_mentions(f"Hoi @{name} kijk", {name: "/mensen/1/"})
    [link] = BeautifulSoup(html, "html.parser").select('a[href="/mensen/1/"]')
    assert link.get_text() == "@" + name
    assert "<em>" not in html and "<strong>" not in html and "<code>" not in html


def test_a_mention_in_code_or_a_link_stays_text_and_emphasis_around_it_stays():
    mapping = {"*Anna* de _Vries_": "/mensen/1/"}
    html = markdown_with_mentions(
        "*Kijk @*anna* de _vries_*, `@*Anna* de _Vries_` [@*Anna* de _Vries_](/x)", mapping
    )
    page = BeautifulSoup(html, "html.parser")
    [em] = page.select("em")
    assert em.select_one("a").get_text() == "@*anna* de _vries_"
    assert page.select_one("code").get_text() == "@*Anna* de _Vries_"
    assert [a["href"] for a in page.select("a")] == ["/mensen/1/", "/x"]


def test_a_post_mentioning_a_name_with_markdown_characters_links_and_notifies(
    make_user, join, community, django_capture_on_commit_callbacks
):
    author, named = make_user(name="Schrijver"), make_user(name="Jan__Bakker")
    join(author, community)
    join(named, community)
    thread = thread_create(actor=author, community=community, title="Vraag", body="Hallo")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(actor=author, thread=thread, body="Vraag voor @Jan__Bakker, graag.")
    [link] = BeautifulSoup(post.body_html, "html.parser").select("a")
    assert link.get_text() == "@Jan__Bakker"
    assert link["href"] == reverse("members:profile", args=[named.pk])
    assert [m.to for m in mail.outbox] == [[named.email]]
