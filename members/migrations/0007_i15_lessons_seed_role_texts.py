"""Seed the platform's own role descriptions and self-test statements (the texts
of members.selftest at the time), so coordinators edit them from a full set.
The texts are copied here: a migration must not change when the code does."""

from django.db import migrations

DESCRIPTIONS = [
    (
        "bouwer",
        "De bouwer bouwt en onderhoudt de plek van de community, de inhoud en de "
        "praktische organisatie: bijeenkomsten, documenten, de actielijst.",
        "The builder builds and maintains the community's place, its content and "
        "practical organisation: meetings, documents, the to-do list.",
    ),
    (
        "verbinder",
        "De verbinder brengt mensen, organisaties en partners samen en weet wie wie "
        "moet ontmoeten.",
        "The connector connects people, organisations and partners, and knows who "
        "should meet whom.",
    ),
    (
        "aanjager",
        "De aanjager geeft richting, zet dingen in gang, houdt de energie erin en "
        "verbindt de community met de strategie van de organisatie.",
        "The driver sets direction, starts things, keeps the energy up and links the "
        "community to the organisation's strategy.",
    ),
]

STATEMENTS = [
    ("b1", "bouwer", "Ik zorg dat de online plek van een groep er verzorgd en bijgewerkt uitziet."),
    ("b2", "bouwer", "Ik plan bijeenkomsten: ik regel de zaal, de uitnodiging en het verslag."),
    ("b3", "bouwer", "Ik zet documenten, afspraken en links zo neer dat anderen ze terugvinden."),
    (
        "b4",
        "bouwer",
        "Als iets praktisch blijft liggen, pak ik het op zonder dat iemand het vraagt.",
    ),
    ("b5", "bouwer", "Ik houd een actielijst bij en herinner mensen aan wat ze hebben toegezegd."),
    (
        "b6",
        "bouwer",
        "Ik werk een idee graag uit tot een handleiding of sjabloon die anderen kunnen gebruiken.",
    ),
    (
        "v1",
        "verbinder",
        "Als ik iemand spreek, denk ik meteen aan wie die persoon zou moeten ontmoeten.",
    ),
    ("v2", "verbinder", "Ik stel mensen uit verschillende organisaties actief aan elkaar voor."),
    (
        "v3",
        "verbinder",
        "Ik weet wat er speelt bij partners buiten de bibliotheek, zoals scholen en welzijn.",
    ),
    (
        "v4",
        "verbinder",
        "Ik nodig nieuwe mensen uit voor een groep en zorg dat ze zich welkom voelen.",
    ),
    (
        "v5",
        "verbinder",
        "Ik deel wat ik in de ene groep hoor met mensen in een andere groep "
        "voor wie het nuttig is.",
    ),
    (
        "v6",
        "verbinder",
        "Ik onderhoud contacten, ook als er op dat moment geen concreet project is.",
    ),
    (
        "a1",
        "aanjager",
        "Ik kom met voorstellen voor wat een groep als volgende stap zou moeten doen.",
    ),
    ("a2", "aanjager", "Ik leg verbanden tussen ons werk en de strategie van mijn organisatie."),
    (
        "a3",
        "aanjager",
        "Als de energie in een groep wegzakt, zet ik iets in gang om haar terug te krijgen.",
    ),
    (
        "a4",
        "aanjager",
        "Ik spreek bestuurders of leidinggevenden aan om steun voor een initiatief te krijgen.",
    ),
    ("a5", "aanjager", "Ik start een experiment, ook als nog niet alles is uitgezocht."),
    (
        "a6",
        "aanjager",
        "Ik formuleer doelen voor een groep en kijk na een tijd of we ze hebben gehaald.",
    ),
]


def seed(apps, schema_editor):
    RoleDescription = apps.get_model("members", "RoleDescription")
    SelfTestStatement = apps.get_model("members", "SelfTestStatement")
    for role, description, description_en in DESCRIPTIONS:
        RoleDescription.objects.get_or_create(
            role=role, defaults={"description": description, "description_en": description_en}
        )
    for key, role, text in STATEMENTS:
        SelfTestStatement.objects.get_or_create(key=key, defaults={"role": role, "text": text})


class Migration(migrations.Migration):
    dependencies = [("members", "0006_i15_lessons_target_kind_role_texts")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
