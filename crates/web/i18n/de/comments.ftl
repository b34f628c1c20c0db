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
comments-login = Melden Sie sich an, um mitzudiskutieren.
comments-new = Ihr Kommentar
comments-body-hint = Höchstens 5.000 Zeichen. Erlaubt: **fett**, _kursiv_, Listen, Zitate (>) und Links.
comments-submit = Kommentar veröffentlichen
comments-official = Als „Antwort der Stadt“ veröffentlichen
comment-official = Antwort der Stadt
comment-edited = bearbeitet
comment-deleted-account = gelöschtes Konto
comment-deleted = Dieser Kommentar wurde von seiner Autorin oder seinem Autor gelöscht.
comment-hidden = Dieser Kommentar wurde von der Moderation ausgeblendet.
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
