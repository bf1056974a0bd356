"""The 15 communities as the national innovation agenda founded them.

Content (names, summaries, themes) is Dutch: it is what the agenda published,
not interface text. The later merge of 3 and 4 and the renames of 6 and 7 are
history that the lifecycle replays; they are not written here.
"""

import datetime

from communities.models import Priority

FOUNDING_DATE = datetime.date(2019, 5, 1)

FOUNDING_COMMUNITIES = [
    (1, "Doorgaande leeslijn (0-18)", Priority.YOUTH_EDUCATION,
     "Bibliotheken en scholen bouwen samen aan een doorlopende leeslijn van de eerste "
     "prentenboeken tot het eindexamen, met de Bibliotheek op school als basis.",
     ["lezen", "onderwijs", "jeugd"]),
    (2, "Mediawijsheid", Priority.YOUTH_EDUCATION,
     "Hoe helpen we kinderen, jongeren en hun opvoeders om bewust, kritisch en veilig met "
     "media om te gaan? We delen lesmateriaal, trainingen en ervaringen.",
     ["mediawijsheid", "onderwijs", "jeugd", "digitale vaardigheden"]),
    (3, "Basisvaardigheden", Priority.PARTICIPATION,
     "Taal, rekenen en digitale vaardigheden voor volwassenen: van Taalhuis tot "
     "Digisterker, samen met gemeenten en het sociaal domein.",
     ["basisvaardigheden", "laaggeletterdheid", "digitale vaardigheden"]),
    (4, "Maatschappelijke deelname", Priority.PARTICIPATION,
     "De bibliotheek als plek waar iedereen mee kan doen: informatiepunten, "
     "schuldhulp, inburgering en samenwerking met maatschappelijke partners.",
     ["participatie", "sociaal domein", "informatiepunt"]),
    (5, "Leven lang leren", Priority.PERSONAL_DEVELOPMENT,
     "Aanbod voor volwassenen die zich willen blijven ontwikkelen: cursussen, "
     "leerplatforms en samenwerking met volksuniversiteiten en werkgevers.",
     ["leven lang leren", "volwassenen", "educatie"]),
    (6, "Community en connectie", Priority.PERSONAL_DEVELOPMENT,
     "Bibliothecarissen die buiten de muren werken en verbindingen leggen in de wijk. "
     "We delen methoden om gemeenschappen te versterken.",
     ["community librarian", "wijk", "netwerk"]),
    (7, "Technologie en makers", Priority.PERSONAL_DEVELOPMENT,
     "Makerspaces, FabLabs en technologie in de bibliotheek: van 3D-printen tot "
     "programmeren, met aandacht voor ontwerpend en onderzoekend leren.",
     ["makers", "technologie", "makerspace"]),
    (8, "Digitale bibliotheek en digitalisering", Priority.CHANGE,
     "De online bibliotheek, e-books en digitale dienstverlening: hoe versterken fysiek "
     "en digitaal elkaar, en wat vraagt dat van de organisatie?",
     ["digitale bibliotheek", "e-books", "digitalisering"]),
    (9, "De (fysieke) Bibliotheek 3.0", Priority.CHANGE,
     "Het gebouw als ontmoetingsplek: inrichting, openingstijden, zelfservice en de "
     "rol van de vestiging in de buurt van morgen.",
     ["gebouw", "ontmoeting", "inrichting"]),
    (10, "Optimalisatie en transformatie", Priority.CHANGE,
     "Slimmer organiseren en veranderen: collectie, logistiek, bedrijfsvoering en de "
     "verschuiving van uitlenen naar maatschappelijke functies.",
     ["bedrijfsvoering", "verandermanagement", "collectie"]),
    (11, "Effectmeting", Priority.SUPPORTING_POLICY,
     "Wat levert het werk van de bibliotheek op? We ontwikkelen samen meetinstrumenten "
     "en delen resultaten met gemeenten en financiers.",
     ["effectmeting", "onderzoek", "verantwoording"]),
    (12, "Conceptontwikkeling en open innovatie", Priority.SUPPORTING_POLICY,
     "Nieuwe diensten bedenken, testen en delen: van idee tot landelijk beschikbaar "
     "concept, open voor partners buiten de sector.",
     ["innovatie", "conceptontwikkeling", "experimenteren"]),
    (13, "Marketing", Priority.SUPPORTING_POLICY,
     "Positionering, campagnes en klantinzicht: hoe vertellen we het verhaal van de "
     "bibliotheek aan gebruikers, bestuurders en partners?",
     ["marketing", "communicatie", "klantinzicht"]),
    (14, "Kennisdeling", Priority.SUPPORTING_POLICY,
     "Hoe delen bibliotheken kennis en ervaringen over de hele keten, zodat niet "
     "iedereen het wiel opnieuw uitvindt?",
     ["kennisdeling", "netwerk", "samenwerking"]),
    (15, "Vakdeskundigheid", Priority.SUPPORTING_POLICY,
     "Opleiding en ontwikkeling van bibliotheekmedewerkers: competenties, "
     "leertrajecten en nieuwe functieprofielen.",
     ["opleiding", "competenties", "hrm"]),
]  # fmt: skip
