from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("profiel/", views.profile_edit, name="profile_edit"),
    path("mensen/<int:user_id>/", views.profile_detail, name="profile"),
]
