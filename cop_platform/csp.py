"""The Content-Security-Policy of every response (django-csp 4), the Wagtail admin included.

One policy for the whole site (settings.CONTENT_SECURITY_POLICY): scripts only
from this origin, never inline. Two kinds of response get a little more:

- Wagtail admin pages. Wagtail 8 still writes a few inline scripts of its own:
  the initialisers of its date pickers, choosers and inline panels
  (wagtail/wagtail#12940). Rather than allowing 'unsafe-inline', such a script
  gets this response's nonce, and only when its whole text is a call of one of
  those initialisers with literal (JSON) arguments: a script that found its way
  into an admin page any other way stays blocked. The nonce travels with the
  scripts Wagtail copies into the page later (inline-panel forms, dialogs).
  Two smaller allowances for the admin are explained at ADMIN_DIRECTIVES.
- Responses a view allowed to be framed by this origin (X-Frame-Options
  SAMEORIGIN: Wagtail's preview of a page in the editor) may be framed by this
  origin under the policy too.

There is no exclusion: every response gets the policy.
"""

import json
import re
from collections.abc import Callable

from csp.constants import NONCE, SELF, UNSAFE_HASHES
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.urls import reverse

# Wagtail's initialisers that take only literal arguments: `name("id", {...});`
# or `new Name("id", {...});` (wagtail/admin/widgets/{datetime,chooser,workflows}.py,
# wagtail/{images,snippets,documents} choosers).
INITIALISER_FUNCTIONS = {
    "initDateChooser",
    "initTimeChooser",
    "initDateTimeChooser",
    "createTaskChooser",
}
INITIALISER_CONSTRUCTORS = {
    "Chooser",
    "PageChooser",
    "ImageChooser",
    "DocumentChooser",
    "SnippetChooser",
}
_CALL = re.compile(r"(?P<new>new\s+)?(?P<name>[A-Za-z]+)\((?P<args>.*)\);?", re.DOTALL)
# wagtailadmin/panels/inline_panel.html and multiple_chooser_panel.html: the
# options are one JavaScript string of JSON, escaped with |escapejs (\uXXXX only).
_PANEL = re.compile(
    r"\(function\(\)\s*\{\s*var panel = new (?:InlinePanel|MultipleChooserPanel)\("
    r'JSON\.parse\("(?:[^"\\]|\\u[0-9A-Fa-f]{4})*"\)\);\s*\}\)\(\);'
)
# A script element as Wagtail writes them: no attributes, or only the old
# type="text/javascript". Others (src=..., application/json data) are left alone.
_INLINE_SCRIPT = re.compile(
    r'<script(?P<type>\s+type="text/javascript")?>(?P<body>.*?)</script>', re.DOTALL
)

# jquery.Jcrop (the focal-point editor of an image) probes for touch support by
# setting an `ontouchstart="return;"` attribute. Only that exact do-nothing handler
# is allowed ('unsafe-hashes' with its hash); every other inline handler stays blocked.
JCROP_PROBE_HASH = "'sha256-i+qr4lq34KgNHiW62lWi9aInEBwiEOrfCzaNPCvkqD8='"
ADMIN_DIRECTIVES = {
    "script-src": [NONCE],
    "script-src-attr": [UNSAFE_HASHES, JCROP_PROBE_HASH],
    # The image uploader previews the chosen file from a blob: URL of this page.
    "img-src": ["blob:"],
}


def is_wagtail_initialiser(script: str) -> bool:
    """True when `script` is exactly one call of a known Wagtail initialiser with
    literal arguments (parsed as JSON, so no expression can hide in them)."""
    script = script.strip()
    if _PANEL.fullmatch(script):
        return True
    call = _CALL.fullmatch(script)
    if call is None:
        return False
    known = INITIALISER_CONSTRUCTORS if call["new"] else INITIALISER_FUNCTIONS
    if call["name"] not in known:
        return False
    try:
        json.loads(f"[{call['args']}]")
    except ValueError:
        return False
    return True


def add_nonce_to_initialisers(html: str, nonce: Callable[[], str]) -> tuple[str, int]:
    """`html` with the nonce on every Wagtail initialiser script; and how many.
    `nonce` is called only when there is one (an unused nonce stays out of the header)."""
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        if not is_wagtail_initialiser(match["body"]):
            return match[0]
        count += 1
        return f'<script nonce="{nonce()}"{match["type"] or ""}>{match["body"]}</script>'

    return _INLINE_SCRIPT.sub(replace, html), count


class CSPMiddleware(BaseCSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            # Wagtail renders a preview through the whole middleware stack with a
            # dummy request for the page's URL, and its preview view returns that
            # response: the real (admin) request's pass sets the policy.
            return response
        if self._is_admin_html(request, response) and b"<script" in response.content:
            charset = response.charset or "utf-8"
            html, count = add_nonce_to_initialisers(
                response.content.decode(charset), lambda: str(request.csp_nonce)
            )
            if count:
                response.content = html.encode(charset)
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        update = dict(parts.update or {})
        replace = dict(parts.replace or {})
        if request.path_info.startswith(_admin_prefix()):
            for directive, sources in ADMIN_DIRECTIVES.items():
                update[directive] = [*update.get(directive, []), *sources]
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            replace["frame-ancestors"] = [SELF]
        parts.update, parts.replace = update or None, replace or None
        return parts

    @staticmethod
    def _is_admin_html(request, response) -> bool:
        return (
            request.path_info.startswith(_admin_prefix())
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        )


def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")
