"""The agenda asks what people want to get "en/of" what they can bring: the
intake service takes either answer alone and refuses only both empty."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from communities.models import Membership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("haal", "breng"),
    [("Tips voor leesclubs.", ""), ("", "Ervaring met voorlezen.")],
    ids=["only-haal", "only-breng"],
)
def test_either_answer_alone_is_an_application(apply, applicant, community, haal, breng):
    membership = apply(applicant, community, haal=haal, breng=breng)
    assert (membership.haal, membership.breng, membership.state) == (haal, breng, "pending")


def test_both_empty_is_refused_in_dutch_and_nothing_is_saved(apply, applicant, community):
    with translation.override("nl"):
        with pytest.raises(ValidationError) as refused:
            apply(applicant, community, haal=" \n ", breng="")
        assert refused.value.message_dict == {
            "haal": [
                "Schrijf op wat je uit deze community wilt halen, wat je kunt brengen, of allebei."
            ]
        }
    assert not Membership.objects.filter(user=applicant).exists()
