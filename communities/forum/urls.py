"""Forum URLs that are not pages of a community."""

from django.urls import path

from communities.forum import views

app_name = "forum"

urlpatterns = [
    path("forum/draad/<int:thread_id>/berichten/", views.posts_since, name="posts_since"),
    path("meldingen/", views.notifications, name="notifications"),
]
