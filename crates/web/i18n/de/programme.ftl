# Events and their programme: the list, an event's page by time slot, a session's page.
programme-title = Veranstaltungen
programme-lead = Digitaltage, Workshops und Online-Seminare der Stadt und ihrer Partner: Programm, Sessions und wer spricht.
programme-none = Zurzeit sind keine Veranstaltungen angekündigt.
programme-cancelled = Abgesagt
programme-sessions = { $count ->
    [0] keine Sessions
    [one] eine Session
   *[other] { $count } Sessions
}
programme-pages = Seiten der Liste
programme-previous = Vorherige Seite
programme-next = Nächste Seite
programme-bad-page = Die Seitenzahl muss eine Zahl von 1 bis 10000 sein.
programme-back = Alle Veranstaltungen
programme-back-to = Zur Veranstaltung „{ $event }“
programme-when = Wann
programme-organiser = Veranstalter
programme-where = Wo
programme-fee = Teilnahme
programme-free = kostenlos
programme-capacity = Plätze
programme-places = { $count ->
    [one] ein Platz
   *[other] { $count } Plätze
}
programme-measures = Zugehörige Maßnahmen
programme-programme = Programm
programme-no-sessions = Das Programm wird noch bekannt gegeben.
programme-slots = Zeitfenster des Programms
programme-slot = Ab { $time } Uhr
programme-time-range = { $from }–{ $to } Uhr
programme-span-day = { $day }, { $from }–{ $to } Uhr
programme-span-days = { $from_day }, { $from } Uhr bis { $to_day }, { $to } Uhr
programme-attendance-in_person = vor Ort
programme-attendance-online = online
programme-attendance-mixed = vor Ort und online
programme-role-speaker = Vortrag
programme-role-moderator = Moderation
programme-role-host = Leitung
programme-role-guest = Gast
programme-session-confirmed = Findet statt
programme-session-cancelled = Diese Session fällt aus.
programme-session-moved = Diese Session wurde verschoben.
programme-sign-language = Gebärdensprache
programme-live-captions = Live-Untertitel
programme-easy-language = Einfache Sprache
programme-language = Sprache
programme-language-en = auf Englisch
programme-room = Raum
programme-format = Format
programme-track = Themenbereich
programme-services = Barrierefreiheit
programme-people = Mitwirkende
programme-abstract = Worum es geht
programme-recording = Aufzeichnung ansehen
programme-not-recorded = Diese Session wird nicht aufgezeichnet.
programme-summary = Zusammenfassung
programme-empty = Bitte ausfüllen.
programme-too-short = Der Text ist zu kurz.
programme-too-long = Der Text ist zu lang.
programme-end-before-start = Das Ende muss nach dem Beginn liegen.
programme-event-too-long = Eine Veranstaltung dauert höchstens 31 Tage.
programme-session-too-long = Eine Session dauert höchstens 12 Stunden.
programme-session-outside-event = Die Session muss innerhalb der Veranstaltung liegen.
programme-place-missing = Bitte geben Sie den Ort an.
programme-fee-invalid = Die Teilnahmepauschale muss zwischen 0 und 1000 Euro liegen.
programme-fee-note-missing = Bitte sagen Sie, wie die Teilnahmepauschale bezahlt wird.
programme-capacity-invalid = Die Zahl der Plätze muss mindestens 1 sein.
programme-registration-window-invalid = Der Anmeldeschluss muss nach dem Anmeldebeginn liegen.
programme-language-invalid = Bitte geben Sie die Sprache als Kürzel an, zum Beispiel „de“ oder „en“.
programme-too-many-people = Eine Session hat höchstens 20 Mitwirkende.
programme-person-name-invalid = Jeder Name braucht 2 bis 120 Zeichen.
programme-calendar-event = Programm in den Kalender (iCal)
programme-calendar-session = Session in den Kalender (iCal)
programme-schedule = Fahrplan für Programm-Apps (frab):
programme-grid-title = Programm: { $event } nach Raum und Zeit
programme-no-room = Ohne Raum
programme-view-slots = Ansicht: nach Zeitfenster
programme-view-grid = nach Raum und Zeit (Tabelle)
programme-grid-time = Beginn
programme-grid-caption = Sessions eines Tages: Räume in den Spalten, Beginn in den Zeilen
