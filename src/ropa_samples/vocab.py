"""Word lists the sample exports draw from: Norwegian names, companies, places, courses.

Free-text vocabularies here must stay free of health, diet and belief words, e-mail
addresses, phone numbers and long digit runs: a stray "glutenfri" in a baseline message
would be a real UNDECLARED-DATA finding the manifest does not list. Planted values live
with the generator that plants them.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Kari",
    "Ingrid",
    "Nora",
    "Emma",
    "Sigrid",
    "Ida",
    "Maja",
    "Sara",
    "Thea",
    "Hanna",
    "Ingeborg",
    "Astrid",
    "Marte",
    "Silje",
    "Hege",
    "Anne",
    "Solveig",
    "Tone",
    "Linn",
    "Eli",
    "Lars",
    "Ole",
    "Jonas",
    "Magnus",
    "Henrik",
    "Sindre",
    "Eirik",
    "Håkon",
    "Øyvind",
    "Kristian",
    "Per",
    "Jan",
    "Bjørn",
    "Knut",
    "Tor",
    "Anders",
    "Martin",
    "Espen",
    "Geir",
    "Trond",
    "Sander",
    "Aksel",
    "Jørgen",
    "Åse",
    "Mathias",
    "Vegard",
    "Ragnhild",
    "Tuva",
)

LAST_NAMES = (
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Berg",
    "Haugen",
    "Hagen",
    "Bakken",
    "Solberg",
    "Lie",
    "Dahl",
    "Lund",
    "Strand",
    "Moen",
    "Eriksen",
    "Halvorsen",
    "Jacobsen",
    "Sæther",
    "Aasen",
    "Myklebust",
    "Holm",
    "Vik",
    "Nygård",
    "Fjeld",
    "Rønning",
    "Brekke",
    "Tangen",
)

MAIL_DOMAINS = (
    "example.no",
    "eksempel.no",
    "firma.example",
    "example.com",
    "example.org",
    "epost.example",
    "bedrift.example",
)

COMPANIES = (
    "Equinor ASA",
    "DNB ASA",
    "Statkraft AS",
    "Kongsberg Gruppen ASA",
    "Posten Norge AS",
    "Oslo kommune",
    "Telenor ASA",
    "Norsk Hydro ASA",
    "Statnett SF",
    "Avinor AS",
    "Bane NOR SF",
    "Orkla ASA",
    "Yara International ASA",
    "Aker Solutions ASA",
    "Storebrand ASA",
    "Gjensidige Forsikring ASA",
    "Skanska Norge AS",
    "Veidekke ASA",
    "Sweco Norge AS",
    "Multiconsult ASA",
    "Statens vegvesen",
    "Bergen kommune",
    "Nye Veier AS",
    "Entur AS",
    "Norconsult AS",
    "Trondheim kommune",
)

JOB_TITLES = (
    "Prosjektleder",
    "Prosjektkoordinator",
    "Avdelingsleder",
    "Seniorrådgiver",
    "Rådgiver",
    "Controller",
    "Porteføljeleder",
    "Daglig leder",
    "HR-sjef",
    "Innkjøpsleder",
    "Project Manager",
    "Programme Director",
    "Teknisk sjef",
    "PMO-leder",
    "Økonomisjef",
)

# city, fylke (Mailchimp REGION), first postcode, latitude, longitude
PLACES = (
    ("Oslo", "Oslo", 150, 59.9139, 10.7522),
    ("Bergen", "Vestland", 5003, 60.3913, 5.3221),
    ("Trondheim", "Trøndelag", 7010, 63.4305, 10.3951),
    ("Stavanger", "Rogaland", 4005, 58.9700, 5.7331),
    ("Drammen", "Buskerud", 3015, 59.7439, 10.2045),
    ("Kristiansand", "Agder", 4610, 58.1599, 8.0182),
    ("Tromsø", "Troms", 9008, 69.6492, 18.9553),
    ("Fredrikstad", "Østfold", 1606, 59.2181, 10.9298),
    ("Sandvika", "Akershus", 1337, 59.8910, 10.5220),
    ("Lillestrøm", "Akershus", 2000, 59.9560, 11.0500),
)

STREETS = (
    "Storgata",
    "Kirkegata",
    "Dronningens gate",
    "Bogstadveien",
    "Karl Johans gate",
    "Strandgata",
    "Parkveien",
    "Torggata",
    "Kongens gate",
    "Skippergata",
)

# Metier staff who host visitors and own CRM contacts.
STAFF = (
    "Marianne Øvrebø",
    "Thomas Grønli",
    "Camilla Sveen",
    "Petter Aune",
    "Kjersti Ulvang",
    "Stian Fossum",
)

# (course name, price in NOK); the generator schedules the dates around the audit date
COURSES = (
    ("Prosjektledelse – PRINCE2 Foundation", 14900),
    ("PRINCE2 Practitioner", 15900),
    ("Agile Project Management", 13900),
    ("Prosjektøkonomi", 9900),
    ("Gevinstrealisering i praksis", 8900),
    ("Scrum Master Certification", 12900),
    ("Porteføljestyring (MoP)", 14900),
    ("Prosjektledelse for ingeniører", 11900),
    ("Risikostyring i prosjekter", 9900),
)

TICKET_TYPES = ("Standard", "Tidligbestilling", "Medlemspris", "Bedriftsavtale")

ENVOY_PURPOSES = ("Møte", "Kurs", "Jobbintervju", "Levering", "Sertifiseringseksamen", "Workshop")
ENVOY_NOTES = (
    "Trenger parkeringsbevis",
    "Venter på vert i resepsjonen",
    "Besøkskort ikke returnert",
    "Kom sammen med kollega",
    "Hentet kursmateriell",
)

INQUIRY_MESSAGES = (
    "Hei, jeg ønsker mer informasjon om PRINCE2 Foundation-kurset i november.",
    "Kan dere sende et tilbud på bedriftsinternt kurs for tolv deltakere?",
    "Hei,\nVi vurderer Agile Project Management for teamet vårt.\nHva koster det per person?",
    "Jeg fikk ikke kursbevis etter eksamen. Kan dere hjelpe?",
    "Når er neste kurs i prosjektøkonomi i Bergen?",
    "Vi må dessverre avbestille plassen på Lederkonferansen.",
    'Kurset "Prosjektøkonomi" – er det fortsatt ledige plasser?',
    "Har dere kurs på engelsk for internasjonale ansatte?",
    "Hei!\n\nKan fakturaen sendes til avdelingen vår i stedet?\nMvh",
    "Hvordan melder jeg meg av nyhetsbrevet?",
    "Ønsker å snakke med en rådgiver om porteføljestyring.",
)

UNSUB_REASONS = (
    "I no longer want to receive these emails",
    "I never signed up for this mailing list",
    "The emails are inappropriate",
    "Other (fill in reason below)",
)

CAMPAIGN_TITLES = (
    "Nyhetsbrev januar",
    "Nyhetsbrev mars",
    "Kurskalender høst",
    "Invitasjon Lederkonferansen",
    "Nyhetsbrev juni",
    "Kurskalender vår",
    "Nyhetsbrev oktober",
)

MC_TAGS = ('"Kurs"', '"Nyhetsbrev"', '"Kurs","Nyhetsbrev"', '"Konferanse"', "")

HUBSPOT_LEAD_STATUS = ("New", "Open", "In Progress", "Connected", "Unqualified", "")

# HubSpot lifecycle labels (English UI, Norwegian UI) by internal value.
LIFECYCLE = {
    "subscriber": ("Subscriber", "Abonnent"),
    "lead": ("Lead", "Lead"),
    "marketingqualifiedlead": ("Marketing Qualified Lead", "Markedsføringskvalifisert lead"),
    "salesqualifiedlead": ("Sales Qualified Lead", "Salgskvalifisert lead"),
    "opportunity": ("Opportunity", "Salgsmulighet"),
    "customer": ("Customer", "Kunde"),
    "evangelist": ("Evangelist", "Evangelist"),
    "other": ("Other", "Annet"),
}
MARKETING = {
    True: ("Marketing contact", "Markedsføringskontakt"),
    False: ("Non-marketing contact", "Ikke-markedsføringskontakt"),
}
LEGAL_BASIS = (
    ("Legitimate interest – existing customer", "Berettiget interesse – eksisterende kunde"),
    ("Legitimate interest – prospect/lead", "Berettiget interesse – potensiell kunde/lead"),
    ("Freely given consent from contact", "Fritt gitt samtykke fra kontakt"),
    ("Performance of a contract", "Oppfyllelse av en kontrakt"),
)

GA4_PAGES = (
    "/",
    "/kurs",
    "/kurs/prince2-foundation",
    "/kurs/prince2-practitioner",
    "/kurs/agile-project-management",
    "/kurs/prosjektokonomi",
    "/kurs/scrum-master",
    "/konferanser/lederkonferansen",
    "/om-oss",
    "/kontakt-oss",
    "/nyhetsbrev",
    "/artikler",
    "/artikler/gevinstrealisering",
    "/bedriftsintern-opplaering",
)
GA4_QUERIES = (
    "",
    "",
    "",
    "?utm_source=newsletter&utm_medium=email&utm_campaign=kurskalender",
    "?utm_source=linkedin&utm_medium=social",
    "?lang=en",
)
GA4_REFERRERS = (
    None,
    None,
    "https://www.google.com/",
    "https://www.linkedin.com/",
    "https://www.metier.no/",
    "https://www.bing.com/",
)
GA4_EVENTS = (
    "page_view",
    "page_view",
    "page_view",
    "session_start",
    "user_engagement",
    "scroll",
    "click",
    "form_start",
    "first_visit",
)
GA4_SOURCES = ("google", "(direct)", "newsletter", "linkedin", "bing")
GA4_DEVICES = ("desktop", "desktop", "mobile", "mobile", "tablet")
GA4_BROWSERS = ("Chrome", "Chrome", "Safari", "Edge", "Firefox")
GA4_GEO = (
    ("Norway", "Oslo", "Oslo"),
    ("Norway", "Vestland", "Bergen"),
    ("Norway", "Trondelag", "Trondheim"),
    ("Norway", "Rogaland", "Stavanger"),
    ("Sweden", "Stockholm County", "Stockholm"),
    ("Norway", "Viken", "Drammen"),
)

TRANSLIT = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ä": "a", "ö": "o", "ü": "u"})


def mail_local(name: str) -> str:
    """'Håkon' -> 'hakon': the part of a name as it goes into an e-mail address."""
    return name.lower().translate(TRANSLIT).replace(" ", "")
