"""Who sees a self-test result: the member; the managers of the member's
organisation only while it is shared; nobody else, not even a coordinator."""

import pytest
from django.urls import reverse

from communities.permissions import can_view_selftest_result
from members.services.selftest import selftest_revoke, selftest_share, selftest_submit
from tests.views_support import client_for, post_form, visible_text

pytestmark = pytest.mark.django_db

ANSWERS = {
    sid: 4 if sid.startswith("v") else 2 for sid in [f"{r}{i}" for r in "bva" for i in range(1, 7)]
}


@pytest.fixture
def cast(person, organisation, other_organisation, manager, manager_for, coordinator):
    member = person("Lotte Lid", organisation)
    other_manager = person("Oscar Other", other_organisation)
    manager_for(other_manager, other_organisation)
    return {
        "member": member,
        "other member": person("Olaf Collega", organisation),
        "own manager": manager,
        "other manager": other_manager,
        "coordinator": coordinator,
        "result": selftest_submit(actor=member, answers=ANSWERS),
    }


def who_sees(cast):
    result = cast["result"]
    return {
        name
        for name in ("member", "other member", "own manager", "other manager", "coordinator")
        if can_view_selftest_result(cast[name], result)
    }


def test_private_until_shared_then_the_own_manager_only(cast):
    assert who_sees(cast) == {"member"}

    selftest_share(actor=cast["member"], result=cast["result"])
    cast["result"].refresh_from_db()
    assert who_sees(cast) == {"member", "own manager"}

    selftest_revoke(actor=cast["member"], result=cast["result"])
    cast["result"].refresh_from_db()
    assert who_sees(cast) == {"member"}


def test_the_result_page_follows_the_same_matrix(cast):
    result = cast["result"]
    url = reverse("members:selftest_result", args=[result.pk])
    selftest_share(actor=cast["member"], result=result)
    statuses = {
        name: client_for(cast[name]).get(url).status_code
        for name in ("member", "other member", "own manager", "other manager", "coordinator")
    }
    assert statuses == {
        "member": 200,
        "other member": 404,
        "own manager": 200,
        "other manager": 404,
        "coordinator": 404,
    }
    assert "Lotte Lid" in visible_text(client_for(cast["own manager"]).get(url))


def test_sharing_and_revoking_through_the_page(cast):
    member, result = cast["member"], cast["result"]
    client = client_for(member)
    page = reverse("members:selftest_result", args=[result.pk])
    response = post_form(
        client, reverse("members:selftest_share", args=[result.pk]), {}, form_url=page
    )
    assert response.status_code == 302
    manager_client = client_for(cast["own manager"])
    assert manager_client.get(page).status_code == 200
    coverage = manager_client.get(
        reverse("members:coverage", args=[member.profile.organisation_id])
    )
    assert "Lotte Lid" in visible_text(coverage)  # in the shared results list

    post_form(client, reverse("members:selftest_revoke", args=[result.pk]), {}, form_url=page)
    assert manager_client.get(page).status_code == 404


def test_only_the_member_can_share_their_result(cast):
    result = cast["result"]
    client = client_for(cast["own manager"])
    response = post_form(
        client,
        reverse("members:selftest_share", args=[result.pk]),
        {},
        form_url=reverse("members:selftest"),
    )
    assert response.status_code == 404
    result.refresh_from_db()
    assert not result.is_shared


def test_a_member_who_moves_organisation_is_no_longer_seen_by_the_old_manager(
    cast, other_organisation
):
    from members.services import profile_update

    member, result = cast["member"], cast["result"]
    selftest_share(actor=member, result=result)
    profile_update(actor=member, display_name="Lotte Lid", organisation=other_organisation)
    result.refresh_from_db()
    result.user.profile.refresh_from_db()
    assert who_sees(cast) == {"member"}


# --- what is derived from a shared result follows the result's own rule -------
# The coverage page and its exports compare each role holder's role with the
# best fit of their shared self-test. That comparison reveals the result, so
# only those who may see the result itself see it: the organisation's managers.
# A coordinator or superuser sees the coverage without any trace of it — no
# badge, no column, not even an empty one.


def _coverage_views(client, organisation):
    from openpyxl import load_workbook

    page = visible_text(client.get(reverse("members:coverage", args=[organisation.pk])))
    csv_text = client.get(reverse("members:coverage_csv", args=[organisation.pk])).content.decode(
        "utf-8-sig"
    )
    import io

    xlsx = client.get(reverse("members:coverage_xlsx", args=[organisation.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    return page, csv_text, cells


def test_coverage_shows_the_self_test_comparison_to_the_managers_only(
    crafted, organisation, manager, coordinator, network_coordinator
):
    # Anna holds bouwer in c1 and shared a self-test whose best fit is verbinder.
    page, csv_text, cells = _coverage_views(client_for(manager), organisation)
    assert "≠ zelftest: Verbinder" in page
    assert "Past bij zelftest" in csv_text and "wijkt af" in csv_text
    assert "Past bij zelftest" in cells and "wijkt af" in cells

    for viewer in (network_coordinator, coordinator):  # group member, superuser
        page, csv_text, cells = _coverage_views(client_for(viewer), organisation)
        assert "Anna" in page and "Anna" in csv_text  # the coverage itself is theirs to see
        assert "≠ zelftest" not in page and "past bij de gedeelde zelftest" not in page
        for shown in (csv_text, " ".join(cells)):
            assert "zelftest" not in shown.lower()
            assert "wijkt af" not in shown and "komt overeen" not in shown
        header = csv_text.splitlines()[0].split(";")  # the Dutch site's CSV
        assert len(header) == 6  # the column is left out, not left empty
