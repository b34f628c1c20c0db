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

# Registration: the page with the form, a registration's own page, the mails.
registration-title = Anmeldung: { $what }
registration-places-unlimited = Ohne Begrenzung
registration-places-free = Noch { $free } von { $count } Plätzen frei
registration-places-full = { $count ->
    [0] Ausgebucht – Anmeldungen kommen auf die Warteliste
    [one] Ausgebucht – eine Person steht auf der Warteliste
   *[other] Ausgebucht – { $count } Personen stehen auf der Warteliste
}
registration-full-hint = Alle Plätze sind vergeben. Sie können sich auf die Warteliste setzen lassen: Wird ein Platz frei, bieten wir ihn der Reihe nach per E-Mail an.
registration-as = Sie melden sich als { $name } ({ $email }) an.
registration-submit = Verbindlich anmelden
registration-submit-waiting = Auf die Warteliste
registration-guest-intro = Ohne Konto: Wir schicken Ihnen einen Link, mit dem Sie die Anmeldung bestätigen. Mit Konto geht es mit einem Klick:
registration-name = Ihr Name
registration-email-hint = Für die Bestätigung, den Termin und Nachrichten zu dieser Veranstaltung. Die Veranstalter sehen Namen und Adresse; 30 Tage nach der Veranstaltung werden sie gelöscht.
registration-name-missing = Bitte geben Sie Ihren Namen an.
registration-name-invalid = Der Name darf höchstens 100 Zeichen lang sein und keine Steuerzeichen enthalten.
registration-closed = Die Anmeldung ist geschlossen.
registration-cancelled = Die Veranstaltung ist abgesagt; eine Anmeldung ist nicht möglich.
registration-opens = Die Anmeldung beginnt am { $day } um { $time } Uhr.
registration-offer-expired = Das Angebot ist abgelaufen: Der Platz ist an die nächste Person auf der Warteliste gegangen.
registration-unchanged = Diese Anmeldung lässt sich so nicht mehr ändern.
registration-sent-title = Fast geschafft
registration-sent-text = Wir haben Ihnen eine E-Mail geschickt. Bitte bestätigen Sie Ihre Anmeldung über den Link darin; erst dann zählt sie. Der Link gilt 48 Stunden.
registration-page-title = Ihre Anmeldung
registration-for = Für
registration-state-unconfirmed = Bitte bestätigen Sie Ihre Anmeldung. Erst dann erhalten Sie einen Platz oder einen Platz auf der Warteliste.
registration-state-confirmed = Sie sind angemeldet.
registration-state-waiting = { $position ->
    [one] Sie stehen als Nächste oder Nächster auf der Warteliste.
   *[other] Sie stehen auf Platz { $position } der Warteliste.
}
registration-state-offered = Ein Platz ist frei geworden: Er ist bis { $day }, { $time } Uhr für Sie reserviert. Bitte nehmen Sie ihn an.
registration-state-cancelled = Diese Anmeldung ist storniert.
registration-state-lapsed = Das Angebot ist abgelaufen; der Platz ist an die nächste Person auf der Warteliste gegangen.
registration-state-expired = Die Anmeldung wurde nicht rechtzeitig bestätigt und ist verfallen.
registration-confirm-submit = Anmeldung bestätigen
registration-accept-submit = Platz annehmen
registration-join-title = Jetzt teilnehmen
registration-join = Zum virtuellen Raum
registration-join-later = Die Zugangslinks zu den virtuellen Räumen erscheinen hier 15 Minuten vor Beginn der jeweiligen Session.
registration-calendar = Termin in den Kalender übernehmen (iCal)
registration-cancel-title = Abmelden
registration-cancel-hint = Wenn Sie nicht teilnehmen können, melden Sie sich bitte ab: Dann rückt jemand von der Warteliste nach.
registration-cancel-submit = Anmeldung stornieren
registration-decline-hint = Wenn Sie den Platz nicht brauchen, geben Sie ihn gleich weiter.
registration-decline-submit = Platz ablehnen
registration-what-session = { $session } ({ $event })
registration-mail-confirm-subject = Bitte bestätigen Sie Ihre Anmeldung: { $what }
registration-mail-confirm-text = Sie haben sich für „{ $what }“ angemeldet. Bitte bestätigen Sie Ihre E-Mail-Adresse; erst dann zählt die Anmeldung.
registration-mail-confirmed-subject = Anmeldung bestätigt: { $what }
registration-mail-confirmed-text = Sie sind für „{ $what }“ angemeldet. Den Termin finden Sie im Anhang dieser E-Mail.
registration-mail-waiting-subject = Warteliste: { $what }
registration-mail-waiting-text = „{ $what }“ ist ausgebucht. Sie stehen auf Platz { $position } der Warteliste. Wird ein Platz frei, bieten wir ihn Ihnen per E-Mail an.
registration-mail-already-subject = Ihre Anmeldung: { $what }
registration-mail-already-text = Für diese E-Mail-Adresse besteht bereits eine Anmeldung zu „{ $what }“. Es hat sich nichts geändert.
registration-mail-offer-subject = Ein Platz ist frei: { $what }
registration-mail-offer-text = Für „{ $what }“ ist ein Platz frei geworden. Er ist bis { $day }, { $time } Uhr für Sie reserviert.
registration-mail-when = Wann: { $when }
registration-mail-fee = Teilnahmebeitrag: { $fee }.
registration-mail-link = Über diesen Link sehen Sie Ihre Anmeldung, laden den Termin herunter oder melden sich ab:
registration-mail-link-confirm = Über diesen Link bestätigen Sie die Anmeldung (er gilt 48 Stunden):
registration-mail-link-offer = Über diesen Link nehmen Sie den Platz an oder lehnen ihn ab:
registration-mail-ignore = Wenn Sie das nicht waren, können Sie diese E-Mail ignorieren.
registration-mail-cancel-hint = Wenn Sie nicht teilnehmen können, melden Sie sich bitte über den Link ab: Dann rückt jemand von der Warteliste nach.
registration-mail-waiting-closing = Sie können sich über den Link jederzeit von der Warteliste abmelden.
registration-mail-offer-closing = Nehmen Sie den Platz bis dahin nicht an, geht er an die nächste Person auf der Warteliste.
programme-registration = Anmeldung
programme-register = Zur Anmeldung
programme-register-until = Anmeldung bis { $day }, { $time } Uhr
registration-login = Mit Konto anmelden

# The organisers' side: their events, registrations, check-in, the export.
office-title = Veranstalten
office-lead = Ihre Veranstaltungen mit ihren Anmeldungen: Listen nach Status, Einlass und Teilnahmequote, die Teilnehmenden als CSV.
office-none = Sie betreuen noch keine Veranstaltung.
office-events-caption = Ihre Veranstaltungen, die neuesten zuerst
office-event = Veranstaltung
office-state = Status
office-registrations = Anmeldungen
office-registrations-short = { $confirmed } angemeldet, { $waiting } auf der Warteliste
office-state-draft = Entwurf
office-state-published = veröffentlicht
office-state-cancelled = abgesagt
office-back = Alle Ihre Veranstaltungen
office-registrations-title = Anmeldungen: { $event }
office-public-page = Öffentliche Seite von „{ $event }“
office-csv = Teilnehmende als CSV herunterladen
office-figures-caption = Anmeldungen nach Platz und Status.
office-figures-over = Die Veranstaltung ist vorbei: mit Nichterschienenen und Teilnahmequote.
office-place = Für
office-whole-event = ganze Veranstaltung
office-unlimited = unbegrenzt
office-checked-in = eingecheckt
office-no-shows = nicht erschienen
office-rate = Teilnahmequote
office-list = Liste
office-tabs = Anmeldungen nach Status
office-tab-confirmed = angemeldet
office-tab-offered = Platz angeboten
office-tab-waiting = Warteliste
office-tab-unconfirmed = unbestätigt
office-tab-cancelled = storniert
office-list-empty = In diesem Status gibt es keine Anmeldungen.
office-registered = angemeldet am
office-check-in = Einlass
office-checked-in-at = eingecheckt um { $time } Uhr
office-check-in-submit = { $name } einchecken
office-check-out-submit = Einchecken von { $name } zurücknehmen
office-more = Weitere Anmeldungen
office-bad-status = Unbekannter Status der Liste.
office-bad-after = Die Angabe, ab welcher Anmeldung die Liste weitergeht, muss eine Zahl sein.
office-bad-check-in = Bitte wählen Sie, ob die Person eingecheckt wird oder nicht.
