# Comments: the discussion under a measure
comments-heading = Diskussion
comments-count = { $count ->
    [0] Noch keine Kommentare.
    [one] Ein Kommentar
   *[other] { $count } Kommentare
}
comments-sort = Sortierung
comments-sort-newest = Neueste zuerst
comments-sort-oldest = Älteste zuerst
comments-sort-supported = Meist unterstützt
comments-more = Weitere Kommentare
comments-first = Zum Anfang der Diskussion
comments-page-title = Diskussion: { $title }
comments-back = Zurück zur Maßnahme „{ $title }“
comments-new = Ihr Kommentar
comments-body-hint = Höchstens 5.000 Zeichen. Erlaubt: **fett**, _kursiv_, Listen, Zitate (>) und Links.
comments-submit = Kommentar veröffentlichen
comments-official = Als „Antwort der Stadt“ veröffentlichen
comment-official = Antwort der Stadt
comment-edited = bearbeitet
comment-deleted-account = gelöschtes Konto
comment-deleted = Dieser Kommentar wurde von seiner Autorin oder seinem Autor gelöscht.
comment-upvotes = { $count ->
    [one] 1 Unterstützung
   *[other] { $count } Unterstützungen
}
comment-upvote = Unterstützen
comment-upvoted = Unterstützung zurücknehmen
comment-reply = Antworten
comment-edit = Bearbeiten
comment-delete = Löschen
comment-permalink = Link zu diesem Kommentar
comment-all-replies = { $count ->
    [one] Die Antwort anzeigen
   *[other] Alle { $count } Antworten anzeigen
}
comment-more-replies = Weitere Antworten
comment-earlier-replies = Frühere Antworten
comment-thread-title = Kommentar von { $name }
comment-on = Zur Diskussion der Maßnahme „{ $title }“
comment-reply-title = Antwort auf einen Kommentar
comment-reply-submit = Antwort veröffentlichen
comment-edit-title = Kommentar bearbeiten
comment-edit-hint = Sie können Ihren Kommentar bis 15 Minuten nach dem Veröffentlichen bearbeiten.
comment-edit-submit = Änderung speichern
comment-delete-title = Kommentar löschen
comment-delete-text = Möchten Sie diesen Kommentar löschen? Antworten darauf bleiben stehen; an seiner Stelle steht dann „gelöscht“.
comment-delete-submit = Ja, Kommentar löschen
comment-cancel = Abbrechen
comment-empty = Bitte schreiben Sie einen Text.
comment-too-long = Der Text ist zu lang: höchstens 5.000 Zeichen.
comment-too-deep = Auf diese Antwort kann nicht weiter geantwortet werden: Diskussionen gehen drei Ebenen tief.
comment-parent-closed = Auf diesen Kommentar kann nicht mehr geantwortet werden.
comment-not-author = Nur die Autorin oder der Autor kann diesen Kommentar ändern.
comment-edit-over = Die 15 Minuten zum Bearbeiten sind vorbei.
comment-gone = Dieser Kommentar ist gelöscht oder ausgeblendet.
comment-own = Den eigenen Kommentar können Sie nicht unterstützen.
comment-not-official = Als Stadt antworten können nur die Redaktion dieses Handlungsfelds und die Administration.
comment-rate-limited = Sie haben in kurzer Zeit viele Beiträge geschrieben. Bitte warten Sie einen Moment.
comment-vote-value = Ungültige Auswahl: 1 unterstützt, 0 nimmt die Unterstützung zurück.
comments-bad-sort = Unbekannte Sortierung: erlaubt sind newest, oldest und supported.
comments-bad-cursor = Ungültige Position in der Diskussion.
comment-reply-label = Ihre Antwort
guest-intro = Sie können als Gast mitdiskutieren: mit einem Namen und Ihrer E-Mail-Adresse, an die wir einen Link zum Bestätigen schicken. Mit einem Konto geht es ohne Bestätigung:
guest-login = Anmelden
guest-name = Ihr Name (wird angezeigt)
guest-name-hint = 2 bis 60 Zeichen, zum Beispiel Ihr Vorname.
guest-email = Ihre E-Mail-Adresse
guest-email-hint = Ihre E-Mail-Adresse wird nicht veröffentlicht. Wir schicken Ihnen einen Link, mit dem Sie den Kommentar bestätigen.
guest-honeypot = Bitte lassen Sie dieses Feld leer.
guest-label = Gast
guest-name-invalid = Bitte geben Sie einen Namen mit 2 bis 60 Zeichen an (ohne @ und spitze Klammern).
guest-sent-title = Fast geschafft: Bitte bestätigen Sie Ihren Kommentar
guest-sent-text = Wir haben Ihnen eine E-Mail mit einem Link geschickt. Ihr Kommentar erscheint, sobald Sie ihn bestätigen; ohne Bestätigung wird er nach 48 Stunden gelöscht.
guest-confirm-title = Kommentar bestätigen
guest-confirm-text = Mit dem Knopf bestätigen Sie, dass Sie diesen Kommentar geschrieben haben, und veröffentlichen ihn.
guest-confirm-submit = Kommentar veröffentlichen
guest-confirmed-used = Dieser Kommentar ist schon bestätigt.
guest-held-title = Danke, Ihr Kommentar ist bestätigt
guest-held-text = Die Moderation prüft Kommentare von Gästen, bevor sie erscheinen. Ihr Kommentar wird veröffentlicht, sobald er geprüft ist.
comment-hidden = Von der Moderation ausgeblendet: { $reason }
comment-hidden-reported = Dieser Kommentar ist ausgeblendet, bis die Moderation ihn prüft: Er wurde mehrfach gemeldet.
comment-report = Melden
report-title = Kommentar melden
report-text = Verstößt dieser Kommentar gegen die Regeln der Diskussion? Die Moderation prüft jede Meldung. Wird ein Kommentar mehrfach gemeldet, ist er bis zur Prüfung ausgeblendet.
report-reason = Grund der Meldung
report-reason-spam = Werbung oder Spam
report-reason-abusive = Beleidigend
report-reason-off_topic = Nicht zum Thema
report-reason-personal_data = Enthält personenbezogene Daten
report-reason-other = Sonstiges
report-note = Anmerkung für die Moderation (freiwillig)
report-note-hint = Höchstens 500 Zeichen. Wird nicht veröffentlicht.
report-submit = Meldung senden
report-no-reason = Bitte wählen Sie einen Grund.
report-note-too-long = Die Anmerkung ist zu lang: höchstens 500 Zeichen.
report-own = Den eigenen Kommentar können Sie nicht melden; Sie können ihn löschen.
report-sent-title = Danke für Ihre Meldung
report-sent-text = Die Moderation prüft den Kommentar. Jede Person zählt bei einem Kommentar einmal.
queue-title = Moderation
queue-count = { $count ->
    [0] Nichts wartet auf eine Prüfung.
    [one] Ein Kommentar wartet auf eine Prüfung.
   *[other] { $count } Kommentare warten auf eine Prüfung.
}
queue-empty = Die Warteschlange ist leer.
queue-held = Wartet auf Freigabe
queue-reason = Öffentliche Begründung fürs Ausblenden
queue-reason-hint = Steht an Stelle des Kommentars: „Von der Moderation ausgeblendet: …“. Höchstens 500 Zeichen.
queue-reason-missing = Bitte geben Sie eine Begründung an; sie wird an Stelle des Kommentars angezeigt.
queue-hide = Ausblenden
queue-show = Wieder anzeigen
queue-publish = Freigeben
queue-keep = Geprüft, bleibt stehen
queue-next = Weitere Kommentare
queue-decision-invalid = Unbekannte Entscheidung: erlaubt sind hide, show und keep.
queue-done-hide = Der Kommentar ist ausgeblendet.
queue-done-show = Der Kommentar wird angezeigt.
queue-done-keep = Der Kommentar ist geprüft und bleibt stehen.
queue-on = Diskussion „{ $title }“
comments-open-until = Beiträge sind bis einschließlich { $date } möglich.
comments-not-yet = Die Diskussion beginnt am { $date }. Bis dahin sind keine Beiträge möglich.
comments-closed = Die Diskussion ist seit dem { $date } geschlossen. Alle Beiträge bleiben lesbar.
comments-session-closed = Diese Veranstaltung oder Session ist abgesagt: Die Diskussion nimmt keine neuen Beiträge an. Alle Beiträge bleiben lesbar.
comment-closed = Die Diskussion ist geschlossen: Es sind keine neuen Beiträge und Unterstützungen möglich.
comment-blocked = Ihr Konto ist von der Moderation für Beiträge gesperrt.
comment-author-blocked = Beiträge dieser Person sind von der Moderation ausgeblendet.
comment-held-title = Danke, Ihr Kommentar wird geprüft
comment-held-text = Die Moderation sieht sich diesen Kommentar an, bevor er erscheint. Das geschieht in der Regel innerhalb eines Werktags.
queue-block = { $name } sperren
queue-unblock = Sperre von { $name } aufheben
queue-blocked = Gesperrte Personen
queue-blocked-none = Niemand ist gesperrt.
queue-blocked-since = seit dem { $date }
queue-block-value = Ungültige Auswahl: 1 sperrt, 0 hebt die Sperre auf.
queue-block-staff = Mitarbeitende der Stadt können nicht gesperrt werden; ihre Rollen verwaltet die Administration.
queue-done-block = Die Person ist gesperrt: Ihre Beiträge sind ausgeblendet, neue nicht möglich.
queue-done-unblock = Die Sperre ist aufgehoben.
comments-updated = Die Diskussion wurde aktualisiert.
comments-feed = Diskussion als Feed abonnieren (Atom)
comment-guest-blocked = Diese E-Mail-Adresse ist von der Moderation für Beiträge gesperrt.
queue-block-guest = Gast „{ $name }“ sperren
queue-blocked-guests = Gesperrte Gäste
queue-blocked-guests-none = Keine Gäste gesperrt.
queue-guest-name = { $name } (Gast)
queue-done-guest-block = Der Gast ist gesperrt: Seine Kommentare sind ausgeblendet, neue werden abgelehnt.
queue-done-guest-unblock = Die Sperre des Gastes ist aufgehoben.
