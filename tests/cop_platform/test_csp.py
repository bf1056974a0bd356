"""The admin's nonce goes to Wagtail's own initialiser scripts and to nothing else
(cop_platform/csp.py); the browser test (tests/browser/test_admin_csp.py) shows
the admin works with it, the route matrix that every HTML response has the policy."""

import pytest
from django.test import Client

from cop_platform.csp import add_nonce_to_initialisers, is_wagtail_initialiser
from tests.factories import UserFactory

# As Wagtail 8 writes them (copied from admin pages).
WAGTAIL_SCRIPTS = [
    'initDateChooser("id_start_date", {"dayOfWeekStart": 1, "format": "Y-m-d"});',
    'initDateChooser("id_former_names\\u002D__prefix__\\u002Duntil", {"format": "Y-m-d"});',
    'initDateTimeChooser("id_go_live_at", {"format": "Y-m-d H:i", "parentID": "#dialog"});',
    'new PageChooser("id_new_parent_page", {"modelNames": ["wagtailcore.page"], '
    '"canChooseRoot": true, "userPerms": null, "modalUrl": "/admin/choose-page/"});',
    'createTaskChooser("id_workflow_tasks-__prefix__-task");',
    "\n        (function() {\n            var panel = new InlinePanel(JSON.parse("
    '"{\\u0022type\\u0022: \\u0022InlinePanel\\u0022, \\u0022canOrder\\u0022: true}"));'
    "\n        })();\n    ",
]
# What an injected script might look like; none may get the nonce.
HOSTILE_SCRIPTS = [
    "alert(1)",
    'initDateChooser("x", alert(1));',
    'initDateChooser("x", {}); alert(1);',
    'initDateChooser("x", {"a": document.cookie});',
    'new PageChooser("x", {"modalUrl": `${alert(1)}`});',
    'PageChooser("x", {});',
    'new initDateChooser("x", {});',
    'new Function("alert(1)", {});',
    'fetch("/admin/users/", {});',
    '(function() { var panel = new InlinePanel(JSON.parse("" + alert(1) + "")); })();',
    '(function() { var panel = new InlinePanel(JSON.parse("\\x22")); alert(1); })();',
]


@pytest.mark.parametrize("script", WAGTAIL_SCRIPTS)
def test_wagtails_initialisers_are_recognised(script):
    assert is_wagtail_initialiser(script)


@pytest.mark.parametrize("script", HOSTILE_SCRIPTS)
def test_other_scripts_are_not(script):
    assert not is_wagtail_initialiser(script)


def test_only_the_initialisers_get_the_nonce():
    html = (
        f"<p>a</p><script>{WAGTAIL_SCRIPTS[0]}</script>"
        '<script src="/static/x.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
        f"<template><script>{WAGTAIL_SCRIPTS[4]}</script></template>"
        "<script>alert(1)</script>"
    )
    out, count = add_nonce_to_initialisers(html, lambda: "N0NCE")
    assert count == 2
    assert out.count('nonce="N0NCE"') == 2
    assert "<script>alert(1)</script>" in out
    assert '<script src="/static/x.js"></script>' in out


@pytest.mark.django_db
def test_an_admin_page_carries_the_nonce_of_its_header(communities):
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(f"/admin/pages/{communities[0].pk}/edit/")
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    nonce = policy["script-src"].split("'nonce-", 1)[1].split("'", 1)[0]
    assert policy["script-src"] == f"'self' 'nonce-{nonce}'"
    html = response.content.decode()
    assert html.count(f'<script nonce="{nonce}">') >= 3  # date pickers, inline panel
    assert "<script>" not in html  # no inline script left without it


@pytest.mark.django_db
def test_a_public_page_has_no_nonce(communities):
    response = Client().get(communities[0].url)
    assert response.status_code == 200
    assert "nonce" not in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
