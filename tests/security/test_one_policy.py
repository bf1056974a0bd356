"""One policy (issue 14): each role is defined once, in communities/permissions.py,
and the code asks there instead of deciding again.

The application's modules are read as text and searched for the shapes an access
decision takes when it is written inline: a group name for coordinators, "is this
mine?" by comparing ids with the acting user, a hand-written refusal, Django's own
login decorator next to the project's helper. Each shape has one home; a new
occurrence anywhere else fails here, with where it is.
"""

import re
from pathlib import Path

import pytest

from communities import permissions
from cop_platform import view_helpers

ROOT = Path(__file__).resolve().parents[2]
APPS = ("communities", "members", "todo_lists", "home", "cop_platform")
POLICY = Path(permissions.__file__).resolve()
HELPERS = Path(view_helpers.__file__).resolve()

# shape → (pattern, files besides the policy module where it legitimately occurs
# and why)
SHAPES = {
    "coordinator defined by its group": (
        r"COORDINATORS_GROUP|groups__name",
        # The demo creates the group the policy names (it does not decide anything).
        {"members/demo.py"},
    ),
    "superuser treated as a role": (r"is_superuser\b(?!\s*=)", set()),
    "ownership compared inline": (
        r"\.user_id\s*[!=]=\s*(request\.user|actor|user)\.pk"
        r"|(request\.user|actor)\.pk\s*[!=]=\s*\w+\.user_id",
        set(),
    ),
    "refusal written by hand": (
        r"raise PermissionDenied\b",
        # The helper turns a permission answer into a response. The moderators page
        # refuses an action its form offered to someone else (kept as is while the
        # moderation flows are reworked in parallel; it asks the policy first).
        {"cop_platform/view_helpers.py", "communities/views/moderation.py"},
    ),
    "Django's login decorator": (r"\blogin_required\b", set()),
    "forum visibility by login alone": (r"is_authenticated.*forum|forum.*is_authenticated", set()),
}


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.resolve() == POLICY:
                continue
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


@pytest.mark.parametrize("shape", SHAPES)
def test_access_decisions_have_one_home(shape):
    pattern, allowed = SHAPES[shape]
    found = [
        f"{name}:{number}: {line.strip()}"
        for name, text in _sources()
        if name not in allowed
        for number, line in enumerate(text.splitlines(), start=1)
        if re.search(pattern, line)
    ]
    assert not found, f"{shape} outside communities/permissions.py:\n  " + "\n  ".join(found)


def test_each_role_has_one_definition():
    """The roles and the questions derived data needs are answered by the policy."""
    for name in (
        "is_coordinator",
        "coordinators_q",
        "is_current_moderator",
        "is_active_member",
        "is_manager_of",
        "can_read_forum",
        "can_search_forums",
        "can_view_selftest_result",
        "can_view_selftest_comparison",
        "can_share_selftest_result",
        "can_act_on_own_membership",
        "can_confirm_agreement",
        "can_edit_profile",
    ):
        assert callable(getattr(permissions, name)), name
    assert HELPERS.exists()
