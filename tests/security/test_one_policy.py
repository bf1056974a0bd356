"""One policy (issue 14): each role is defined once, in communities/permissions.py,
and the code asks there instead of deciding again.

The application's modules are read as text and searched for the shapes an access
decision takes when it is written inline: a group name for coordinators, "is this
mine?" by comparing ids with the acting user, a hand-written refusal, Django's own
login decorator next to the project's helper. Each shape has one home; a new
occurrence anywhere else fails here, with where it is.
"""

import ast
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
        # The demo adds its coordinator to the group the policy names (a migration
        # creates it); it does not decide anything.
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
        # The helper turns a permission answer into a response.
        {"cop_platform/view_helpers.py"},
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


# What a view or consumer must not do itself: refuse by hand (403 or 404), use
# Django's login decorators, or decide by `is_authenticated`. It asks
# `permissions.require()` / `login_or_forbid()` / `login_needed` instead.
REFUSALS = {"PermissionDenied", "Forbidden", "Http404"}
DECORATORS = {"login_required", "user_passes_test", "permission_required"}
# Functions that check authentication itself, not access: whether a socket's
# session is still logged in as its user (Django's session, re-read).
AUTHENTICATION_ONLY = {"communities/forum/consumers.py": {"_session_still_valid"}}


def _view_modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.name in ("views.py", "consumers.py") or path.parent.name == "views":
                yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text("utf-8"))


def _name(node) -> str:
    node = node.func if isinstance(node, ast.Call) else node
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def test_views_refuse_only_through_the_policy():
    found = []
    for name, tree in _view_modules():
        exempt = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name in AUTHENTICATION_ONLY.get(name, ())
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in exempt:
                continue
            if isinstance(node, ast.Raise) and node.exc is not None and _name(node.exc) in REFUSALS:
                found.append(f"{name}:{node.lineno}: raise {_name(node.exc)}")
            elif isinstance(node, ast.Name | ast.Attribute) and _name(node) in DECORATORS:
                found.append(f"{name}:{node.lineno}: {_name(node)}")
            elif isinstance(node, ast.Attribute) and node.attr == "is_authenticated":
                found.append(f"{name}:{node.lineno}: .is_authenticated")
    assert not found, "access decided inside a view or consumer:\n  " + "\n  ".join(found)


def test_the_view_check_sees_a_hand_written_refusal():
    """The check above reads the shapes it looks for (it is not vacuous)."""
    tree = ast.parse(
        "def v(request):\n    if not request.user.is_authenticated:\n        raise Http404\n"
    )
    raises = [n for n in ast.walk(tree) if isinstance(n, ast.Raise)]
    assert [_name(r.exc) for r in raises] == ["Http404"]
    assert (
        sum(isinstance(n, ast.Attribute) and n.attr == "is_authenticated" for n in ast.walk(tree))
        == 1
    )
    assert len(list(_view_modules())) >= 8
