# Ideas: the list, an idea's page, proposing, the city's answer, the moderation.
ideas-title = Ideen
ideas-lead = Hier schlagen Bürgerinnen und Bürger neue Maßnahmen für die Digitalstrategie vor. Unterstützen Sie Ideen, die Ihnen wichtig sind, und diskutieren Sie mit. Die Stadt antwortet auf jede Idee.
ideas-propose = Idee einreichen
ideas-filter = Ideen filtern
ideas-field = Handlungsfeld
ideas-all-fields = Alle Handlungsfelder
ideas-status = Status
ideas-all-statuses = Alle Status
ideas-apply = Anzeigen
ideas-count = { $count ->
    [0] Keine Ideen
    [one] Eine Idee
   *[other] { $count } Ideen
}
ideas-sort = Sortierung
ideas-sort-supported = Meiste Unterstützung
ideas-sort-newest = Neueste
ideas-sort-status = Nach Status
ideas-first = Zum Anfang der Liste
ideas-more = Weitere Ideen
ideas-none = Zu dieser Auswahl gibt es noch keine Ideen.
ideas-feed = Neue Ideen als Feed (Atom)
ideas-feed-title = Neue Ideen
ideas-bad-field = Dieses Handlungsfeld gibt es nicht.
ideas-bad-status = Diesen Status gibt es nicht. Möglich sind: eingereicht, in Prüfung, angenommen, abgelehnt.
ideas-bad-sort = Diese Sortierung gibt es nicht. Möglich sind: supported, newest, status.
idea-status-submitted = eingereicht
idea-status-in_review = in Prüfung
idea-status-accepted = angenommen
idea-status-rejected = abgelehnt
idea-status-heading = Stand der Idee
idea-status-since = seit { $date }
idea-taken-up = Die Stadt setzt die Idee um in der Maßnahme
idea-byline = Vorgeschlagen von { $name } am { $date }
idea-supports = { $count ->
    [0] Noch keine Unterstützung
    [one] 1 Unterstützung
   *[other] { $count } Unterstützungen
}
idea-comments = { $count ->
    [0] keine Kommentare
    [one] 1 Kommentar
   *[other] { $count } Kommentare
}
idea-description = Worum es geht
idea-benefit = Warum es wichtig ist
idea-place = Ort
idea-support-heading = Unterstützung
idea-support = Idee unterstützen
idea-unsupport = Unterstützung zurücknehmen
idea-you-support = Sie unterstützen diese Idee.
idea-own = Das ist Ihre Idee.
idea-support-login = Melden Sie sich an, um die Idee zu unterstützen.
idea-support-over = Die Stadt hat über die Idee entschieden; sie kann nicht mehr unterstützt werden.
idea-own-support = Ihre eigene Idee können Sie nicht unterstützen.
idea-decided = Die Stadt hat über diese Idee entschieden; sie kann nicht mehr unterstützt werden.
idea-bad-support = Bitte wählen Sie „unterstützen“ oder „zurücknehmen“.
idea-closed = Die Beteiligung in diesem Handlungsfeld ist geschlossen; neue Ideen sind derzeit nicht möglich.
idea-hidden = Von der Moderation ausgeblendet: { $reason }
idea-decide-link = Status ändern
idea-moderate-link = Idee moderieren
idea-propose-title = Eine Idee einreichen
idea-propose-lead = Schlagen Sie eine neue Maßnahme vor. Bevor Ihre Idee eingereicht wird, zeigen wir Ihnen ähnliche Maßnahmen und Ideen – vielleicht gibt es Ihren Vorschlag schon.
idea-errors = Bitte prüfen Sie Ihre Angaben
idea-field-label = Handlungsfeld
idea-field-choose = Bitte wählen
idea-field-missing = Bitte wählen Sie ein Handlungsfeld.
idea-title-label = Titel
idea-title-hint = 5 bis 120 Zeichen, zum Beispiel „Kostenloses WLAN in der Stadtbibliothek“.
idea-title-short = Der Titel ist zu kurz: mindestens 5 Zeichen.
idea-title-long = Der Titel ist zu lang: höchstens 120 Zeichen.
idea-description-label = Beschreibung
idea-description-hint = Was soll geschehen? Mindestens 20, höchstens 5.000 Zeichen. Einfache Formatierung mit Markdown ist möglich.
idea-description-short = Bitte beschreiben Sie Ihre Idee etwas genauer: mindestens 20 Zeichen.
idea-description-long = Die Beschreibung ist zu lang: höchstens 5.000 Zeichen.
idea-benefit-label = Warum ist die Idee wichtig?
idea-benefit-missing = Bitte schreiben Sie, warum die Idee wichtig ist.
idea-benefit-long = Die Begründung ist zu lang: höchstens 2.000 Zeichen.
idea-place-label = Ort (freiwillig)
idea-place-hint = Ein Stadtteil, eine Straße oder eine Einrichtung, wenn die Idee an einen Ort gebunden ist.
idea-place-long = Der Ort ist zu lang: höchstens 200 Zeichen.
idea-similar-heading = Ähnliche Maßnahmen und Ideen
idea-similar-lead = Bitte sehen Sie nach, ob es Ihre Idee schon gibt. Dann können Sie sie dort unterstützen oder kommentieren. Wenn nicht, reichen Sie Ihre Idee ein.
idea-similar-measures = Maßnahmen der Strategie
idea-similar-ideas = Ideen anderer
idea-submit = Weiter
idea-submit-anyway = Idee einreichen
idea-back-list = Zurück zu den Ideen
idea-back = Zurück zur Idee
idea-decide-title = Status der Idee „{ $title }“
idea-reason-label = Antwort der Stadt
idea-reason-hint = Wird öffentlich bei der Idee gezeigt. Bei „abgelehnt“ ist eine Begründung nötig. Höchstens 2.000 Zeichen.
idea-reason-missing = Bitte begründen Sie die Ablehnung; die Begründung wird öffentlich gezeigt.
idea-reason-long = Die Antwort ist zu lang: höchstens 2.000 Zeichen.
idea-measure-label = Maßnahme, die die Idee aufgreift (bei „angenommen“)
idea-measure-hint = Die Adresse der Maßnahme, zum Beispiel „online-antraege“ aus /massnahmen/online-antraege.
idea-no-measure = Diese Maßnahme gibt es nicht oder sie ist nicht veröffentlicht.
idea-decide-submit = Status speichern
idea-moderate-title = Idee „{ $title }“ moderieren
idea-hide-reason = Öffentliche Begründung fürs Ausblenden
idea-hide-hint = Steht an Stelle der Idee: „Von der Moderation ausgeblendet: …“. Höchstens 500 Zeichen.
idea-hide = Idee ausblenden
idea-show-again = Wieder anzeigen
idea-hide-missing = Bitte geben Sie eine Begründung an; sie wird an Stelle der Idee angezeigt.
idea-hide-long = Die Begründung ist zu lang: höchstens 500 Zeichen.
idea-bad-action = Bitte wählen Sie „ausblenden“ oder „wieder anzeigen“.
idea-report-link = Idee melden
idea-report-title = Idee melden
idea-report-text = Verstößt diese Idee gegen die Regeln? Die Moderation prüft jede Meldung. Wird eine Idee mehrfach gemeldet, ist sie bis zur Prüfung ausgeblendet.
idea-report-own = Die eigene Idee können Sie nicht melden.
idea-report-sent-text = Die Moderation prüft die Idee. Jede Person zählt bei einer Idee einmal.
idea-hidden-reported = Diese Idee ist ausgeblendet, bis die Moderation sie prüft.
idea-reports-heading = Meldungen seit der letzten Prüfung
idea-keep = Geprüft: Idee bleibt sichtbar
queue-ideas = Gemeldete Ideen
queue-ideas-none = Keine gemeldeten Ideen.
queue-idea-reports = { $count ->
    [one] 1 Meldung
   *[other] { $count } Meldungen
}
queue-idea-hidden = ausgeblendet bis zur Prüfung
idea-held-title = Ihre Idee wird geprüft
idea-held-text = Die Moderation sieht sich Ihre Idee an, bevor sie erscheint. Das geschieht in der Regel innerhalb eines Werktags.
queue-idea-held = zurückgehalten (Wortliste oder erster Beitrag)
