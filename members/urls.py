from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("profiel/", views.profile_edit, name="profile_edit"),
    path("mensen/<int:user_id>/", views.profile_detail, name="profile"),
    # managers
    path("organisatie/", views.manager_home, name="manager_home"),
    path("organisatie/<int:organisation_id>/rollen/", views.coverage, name="coverage"),
    path(
        "organisatie/<int:organisation_id>/rollen.csv",
        views.coverage_export,
        {"fmt": "csv"},
        name="coverage_csv",
    ),
    path(
        "organisatie/<int:organisation_id>/rollen.xlsx",
        views.coverage_export,
        {"fmt": "xlsx"},
        name="coverage_xlsx",
    ),
    path("organisatie/<int:organisation_id>/rollen/nieuw/", views.role_assign, name="role_assign"),
    path(
        "organisatie/<int:organisation_id>/rollen/<int:assignment_id>/beeindigen/",
        views.role_end,
        name="role_end",
    ),
    path(
        "organisatie/<int:organisation_id>/rollen/<int:assignment_id>/wijzigen/",
        views.role_change,
        name="role_change",
    ),
    path(
        "organisatie/<int:organisation_id>/doelen/<int:community_id>/",
        views.target_edit,
        name="target_edit",
    ),
    path("organisatie/<int:organisation_id>/afspraken/", views.agreements, name="agreements"),
    path(
        "organisatie/<int:organisation_id>/afspraken/nieuw/",
        views.agreement_new,
        name="agreement_new",
    ),
    path(
        "organisatie/<int:organisation_id>/reischeque/",
        views.reischeque_settings,
        name="reischeque_settings",
    ),
    # coordinators
    path("coordinatie/netwerk/", views.network, name="network"),
    path("coordinatie/netwerk.csv", views.network_export, {"fmt": "csv"}, name="network_csv"),
    path("coordinatie/netwerk.xlsx", views.network_export, {"fmt": "xlsx"}, name="network_xlsx"),
    path("coordinatie/managers/", views.managers, name="managers"),
    path(
        "coordinatie/managers/<int:managership_id>/beeindigen/",
        views.managership_end,
        name="managership_end",
    ),
    # members
    path("zelftest/", views.selftest_overview, name="selftest"),
    path("zelftest/invullen/", views.selftest_take, name="selftest_take"),
    path("zelftest/<int:result_id>/", views.selftest_result, name="selftest_result"),
    path(
        "zelftest/<int:result_id>/delen/",
        views.selftest_share,
        {"action": "share"},
        name="selftest_share",
    ),
    path(
        "zelftest/<int:result_id>/niet-meer-delen/",
        views.selftest_share,
        {"action": "revoke"},
        name="selftest_revoke",
    ),
    path("mijn-rollen/", views.my_roles, name="my_roles"),
    path("mijn-afspraken/", views.my_agreements, name="my_agreements"),
    path("reischeque/<int:agreement_id>/", views.reischeque_detail, name="reischeque"),
    path(
        "mijn-afspraken/<int:agreement_id>/bevestigen/",
        views.agreement_confirm,
        name="agreement_confirm",
    ),
    path("mijn-gegevens/", views.my_data, name="my_data"),
    path("mijn-gegevens/download/", views.my_data_download, name="my_data_download"),
    path("mijn-gegevens/account-verwijderen/", views.erase_account, name="erase_account"),
]
