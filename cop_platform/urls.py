from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from communities.views import lifecycle as lifecycle_views
from communities.views import moderation as moderation_views
from communities.views import search as search_views
from cop_platform import errors, page_routes
from cop_platform.health import healthz
from todo_lists import views as todo_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The Wagtail admin logs in through allauth (rate limits, verification): its
    # own login form is replaced by a redirect (or a 403 for a logged-in member).
    path("admin/login/", errors.admin_login),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

# Dutch pages live at /, English ones under /en/.
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("zoeken/", search_views.search, name="search"),
    path(
        "coordinatie/moderatoren/",
        moderation_views.moderation_overview,
        name="moderation_overview",
    ),
    path("levensloop/", lifecycle_views.network_history, name="lifecycle_history"),
    path("levensloop/samenvoegen/", lifecycle_views.merge, name="lifecycle_merge"),
    path("levensloop/splitsen/<int:community_id>/", lifecycle_views.split, name="lifecycle_split"),
    path(
        "levensloop/opheffen/<int:community_id>/",
        lifecycle_views.dissolve,
        name="lifecycle_dissolve",
    ),
    path(
        "levensloop/hernoemen/<int:community_id>/",
        lifecycle_views.rename,
        name="lifecycle_rename",
    ),
    path("levensloop/<int:event_id>/terugdraaien/", lifecycle_views.undo, name="lifecycle_undo"),
    path("te-doen/", todo_views.overview, name="todo_overview"),
    path("te-doen/feed/", todo_views.overview_feed, name="todo_overview_feed"),
    path("", include("communities.forum.urls")),
    path("", include("members.urls")),
    path("", include("teams.urls")),
    # Wagtail's URLs, its page view replaced by ours with the same pattern and name
    # (routing remembered: cop_platform/page_routes.py), after Wagtail's _util/ views.
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, page_routes.serve, name="wagtail_serve"),
    prefix_default_language=False,
)

handler403 = errors.permission_denied
handler404 = errors.page_not_found
# handler500 stays Django's own: templates/500.html without database or context.

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
