# Follows and notifications.
nav-notifications = Benachrichtigungen
nav-notifications-unread = { $count ->
    [one] Benachrichtigungen (1 neue)
   *[other] Benachrichtigungen ({ $count } neue)
}
follow-login-measure = Anmelden, um dieser Maßnahme zu folgen
follow-login-field = Anmelden, um diesem Handlungsfeld zu folgen
follow-start-measure = Maßnahme folgen
follow-start-field = Handlungsfeld folgen
follow-hint = Sie erhalten dann eine Benachrichtigung, wenn es Neuigkeiten gibt.
follow-yes-measure = Sie folgen dieser Maßnahme.
follow-yes-field = Sie folgen diesem Handlungsfeld.
follow-stop = Nicht mehr folgen
follow-choose = Bitte wählen Sie „Folgen“ oder „Nicht mehr folgen“.
follow-kind-measure = Maßnahme
follow-kind-field = Handlungsfeld
follow-kind-idea = Idee
follow-untitled = Nr. { $id } (nicht mehr öffentlich)
follows-title = Dem folgen Sie
follows-empty = Sie folgen noch nichts. Auf der Seite einer Maßnahme oder eines Handlungsfelds können Sie „Folgen“ wählen.
notifications-title = Benachrichtigungen
notifications-unread = { $count ->
    [one] Eine ungelesene Benachrichtigung.
   *[other] { $count } ungelesene Benachrichtigungen.
}
notifications-all-read = Alles gelesen.
notifications-settings-link = Einstellungen für Benachrichtigungen
notifications-mark-all = Alle als gelesen markieren
notifications-mark-read = Als gelesen markieren
notifications-new = Neu:
notifications-empty = Sie haben noch keine Benachrichtigungen. Folgen Sie einer Maßnahme oder schreiben Sie einen Kommentar, dann erfahren Sie hier von Neuigkeiten und Antworten.
notifications-no-more = Keine weiteren Benachrichtigungen.
notifications-more = Ältere Benachrichtigungen
notifications-newest = Zu den neuesten Benachrichtigungen
notifications-choose = Bitte wählen Sie eine Benachrichtigung oder „Alle als gelesen markieren“.
notification-someone = Jemand
notification-progress = Neuer Fortschrittsbericht: { $title }
notification-reply = { $actor } hat auf Ihren Kommentar zu „{ $title }“ geantwortet
notification-official = Antwort der Stadt zu „{ $title }“
notification-idea-status = Neuer Status der Idee „{ $title }“: { $status }
notification-moderation-hidden = Ihr Kommentar zu „{ $title }“ wurde von der Moderation ausgeblendet
notification-moderation-shown = Ihr Kommentar zu „{ $title }“ wird wieder angezeigt
notification-moderation-approved = Ihr Kommentar zu „{ $title }“ wurde von der Moderation freigegeben
notification-reason = Begründung: { $reason }
notification-settings-title = Einstellungen für Benachrichtigungen
notification-settings-intro = Wählen Sie für jede Art von Benachrichtigung, ob und wie Sie davon erfahren. Die tägliche Zusammenfassung kommt einmal am Tag gegen { $time } Uhr, nur wenn es Neues gibt.
notification-settings-saved = Ihre Einstellungen sind gespeichert.
notification-settings-save = Einstellungen speichern
notification-settings-choose = Bitte wählen Sie, wie Sie von „{ $kind }“ erfahren möchten.
notification-unfollowed = Sie folgen dem nicht mehr.
notification-auto-follow = Dem folgen, wozu ich schreibe (ein Kommentar oder eine Antwort folgt der Maßnahme)
notification-kind-progress = Fortschrittsberichte
notification-kind-progress-hint = Zu Maßnahmen und Handlungsfeldern, denen Sie folgen.
notification-kind-reply = Antworten auf meine Kommentare
notification-kind-reply-hint = Wenn jemand auf einen Ihrer Kommentare antwortet.
notification-kind-official = Antworten der Stadt
notification-kind-official-hint = In Diskussionen, denen Sie folgen oder in denen Sie geschrieben haben.
notification-kind-idea_status = Status meiner Ideen
notification-kind-idea_status-hint = Wenn sich der Status einer Idee ändert, die Sie eingereicht haben oder der Sie folgen.
notification-kind-moderation = Entscheidungen der Moderation
notification-kind-moderation-hint = Wenn die Moderation einen Ihrer Kommentare ausblendet, wieder anzeigt oder freigibt.
notification-delivery-off = Gar nicht
notification-delivery-app = Nur hier auf der Website
notification-delivery-digest = Hier und in einer täglichen E-Mail-Zusammenfassung
notification-delivery-immediate = Hier und sofort per E-Mail
notification-mail-subject = { $count ->
    [one] Eine neue Benachrichtigung – { $site }
   *[other] { $count } neue Benachrichtigungen – { $site }
}
notification-mail-intro = { $count ->
    [one] es gibt Neues zu dem, dem Sie folgen:
   *[other] es gibt { $count } Neuigkeiten zu dem, dem Sie folgen:
}
notification-mail-why = Sie erhalten diese E-Mail, weil Sie Benachrichtigungen per E-Mail gewählt haben. Einstellungen:
notification-mail-unsubscribe = Keine Benachrichtigungen mehr per E-Mail (ein Klick, ohne Anmeldung):
unsubscribe-title = Benachrichtigungen per E-Mail abbestellen
unsubscribe-text = Möchten Sie keine Benachrichtigungen mehr per E-Mail erhalten? Ihre Benachrichtigungen auf der Website bleiben erhalten.
unsubscribe-submit = E-Mails abbestellen
unsubscribe-done = Sie erhalten keine Benachrichtigungen mehr per E-Mail.
unsubscribe-done-more = Auf der Website sehen Sie Ihre Benachrichtigungen weiterhin; dort können Sie E-Mails auch wieder einschalten:
unsubscribe-bad-link = Dieser Abmeldelink ist ungültig. Bitte nutzen Sie den Link aus der letzten E-Mail oder ändern Sie Ihre Einstellungen nach der Anmeldung unter „Konto“.
settings-digest-time = Uhrzeit der täglichen Zusammenfassung
settings-digest-time-hint = Deutsche Zeit, als hh:mm, zum Beispiel 07:00. Zu dieser Zeit geht jeder Person, die Neues hat, eine E-Mail mit ihren Benachrichtigungen zu.
settings-digest-time-invalid = Bitte geben Sie die Uhrzeit als hh:mm an, zum Beispiel 07:00.
account-notifications = Benachrichtigungen
account-notifications-text = Wählen Sie, wovon Sie erfahren möchten und ob per E-Mail, und sehen Sie, wem Sie folgen:
follow-login-idea = Anmelden, um dieser Idee zu folgen
follow-start-idea = Idee folgen
follow-yes-idea = Sie folgen dieser Idee.
