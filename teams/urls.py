from django.urls import path

from teams import views

app_name = "teams"

TEAM = "organisatie/<int:organisation_id>/team/"
ROUND = TEAM + "koffer/<int:round_id>/"

urlpatterns = [
    path(TEAM, views.team, name="team"),
    path(TEAM + "waarom/", views.why_edit, name="why_edit"),
    path(TEAM + "werksessie/", views.workshop, name="workshop"),
    path(TEAM + "koffer/", views.koffer_overview, name="koffer"),
    path(TEAM + "koffer/categorieen/", views.koffer_categories, name="koffer_categories"),
    path(TEAM + "koffer/nieuw/", views.koffer_round_new, name="koffer_round_new"),
    path(ROUND, views.koffer_round, name="koffer_round"),
    path(ROUND + "invullen/", views.koffer_fill, name="koffer_fill"),
    path(ROUND + "teamscore/", views.koffer_agree, name="koffer_agree"),
    path(ROUND + "actiepunt/", views.koffer_action_new, name="koffer_action_new"),
]
