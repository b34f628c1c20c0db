# Requests for offers: the form, the person's page, the provider's office, the mails.
request-start = Anfrage stellen
request-form-title = Anfrage stellen
request-back-to = Zurück zu „{ $offer }“
request-field-date = Termin
request-field-own-day = Ein anderer Tag (schlagen Sie einen vor)
request-field-proposed = Ihr Wunschtag
request-field-proposed-hint = Nur nötig, wenn kein Termin oben passt. Der Anbieter sagt zu oder schlägt einen anderen Tag vor.
request-as-person = Sie fragen an als { $person }.
request-guest-intro = Sie können ohne Konto anfragen. Wir schicken Ihnen einen Link, mit dem Sie Ihre E-Mail-Adresse bestätigen; erst dann geht die Anfrage an den Anbieter.
request-field-name = Ihr Name (Ansprechperson)
request-email-hint = Ihre Adresse sieht nur der Anbieter. Dorthin schicken wir den Bestätigungslink und die Antwort.
request-field-phone = Telefon (freiwillig)
request-field-institution = Einrichtung (freiwillig)
request-field-institution-hint = Zum Beispiel Kita, Schule oder Seniorenheim. Leer lassen, wenn Sie für sich selbst anfragen.
request-field-group = Wie viele Personen?
request-field-ages = Alter der Gruppe (freiwillig)
request-field-ages-hint = Zum Beispiel „4 bis 6 Jahre“.
request-field-message = Ihre Nachricht an den Anbieter (freiwillig)
request-submit = Anfrage senden
request-free-places = { $count ->
    [0] ausgebucht
    [one] noch ein Platz frei
   *[other] noch { $count } Plätze frei
}
request-when-time = { $date }, { $time } Uhr
request-group-size = { $count ->
    [one] eine Person
   *[other] { $count } Personen
}
request-day-unknown = Diesen Termin gibt es nicht (mehr). Bitte wählen Sie einen der angezeigten Termine.
request-day-missing = Bitte wählen Sie einen Termin oder nennen Sie einen Wunschtag.
request-day-invalid = Bitte geben Sie den Tag als Datum an, zum Beispiel 2027-01-15.
request-day-past = Dieser Tag liegt in der Vergangenheit. Bitte wählen Sie einen kommenden Tag.
request-day-far = Dieser Tag liegt mehr als ein Jahr in der Zukunft. Bitte wählen Sie einen früheren.
request-twice = Sie haben für diesen Tag bereits eine Anfrage gestellt. Den Stand sehen Sie über den Link in unserer E-Mail.
request-full = { $free ->
    [0] An diesem Tag ist kein Platz mehr frei. Bitte wählen Sie einen anderen Tag.
    [one] An diesem Tag ist nur noch ein Platz frei. Bitte wählen Sie einen anderen Tag oder eine kleinere Gruppe.
   *[other] An diesem Tag sind nur noch { $free } Plätze frei. Bitte wählen Sie einen anderen Tag oder eine kleinere Gruppe.
}
request-unchanged = Diese Anfrage wurde bereits beantwortet oder zurückgezogen; es hat sich nichts geändert.
request-phone-invalid = Die Telefonnummer ist zu lang oder enthält ungültige Zeichen.
request-institution-invalid = Der Name der Einrichtung darf höchstens 150 Zeichen in einer Zeile haben.
request-group-invalid = Bitte geben Sie eine Zahl von 1 bis 500 an.
request-ages-invalid = Die Altersangabe darf höchstens 60 Zeichen in einer Zeile haben.
request-message-invalid = Die Nachricht darf höchstens 2000 Zeichen haben.
request-reason-missing = Bitte nennen Sie einen Grund; er wird der anfragenden Person mitgeteilt.
request-note-invalid = Der Text darf höchstens 1000 Zeichen haben.
request-sent-title = Anfrage gesendet
request-sent-text = Vielen Dank. Der Anbieter meldet sich per E-Mail.
request-confirm-title = Bitte bestätigen Sie Ihre Anfrage
request-confirm-text = Wir haben Ihnen eine E-Mail mit einem Link geschickt. Erst wenn Sie Ihre Adresse bestätigen, geht die Anfrage an den Anbieter und die Plätze werden für Sie vorgemerkt.
request-page-title = Ihre Anfrage
request-notice-sent = Ihre Anfrage ist beim Anbieter. Sie erhalten eine E-Mail, sobald er antwortet.
request-notice-confirmed = Danke, Ihre Adresse ist bestätigt. Die Anfrage ist jetzt beim Anbieter.
request-notice-changed = Ihre Antwort ist gespeichert; der Anbieter ist informiert.
request-state = Stand
request-state-all = Alle
request-state-unconfirmed = Bitte bestätigen Sie Ihre E-Mail-Adresse. Erst dann geht die Anfrage an den Anbieter.
request-state-open = Ihre Anfrage liegt beim Anbieter. Die Plätze sind für Sie vorgemerkt.
request-state-proposed = Der Anbieter schlägt Ihnen einen anderen Tag vor. Passt er Ihnen?
request-state-accepted = Der Anbieter hat Ihre Anfrage angenommen.
request-state-declined = Der Anbieter hat Ihre Anfrage leider abgelehnt.
request-state-withdrawn = Sie haben diese Anfrage zurückgezogen.
request-state-expired = Diese Anfrage ist abgelaufen: Die Adresse wurde nicht rechtzeitig bestätigt oder der Tag ist vorbei.
request-state-name-unconfirmed = nicht bestätigt
request-state-name-open = offen
request-state-name-proposed = anderer Tag vorgeschlagen
request-state-name-accepted = angenommen
request-state-name-declined = abgelehnt
request-state-name-withdrawn = zurückgezogen
request-state-name-expired = abgelaufen
request-note-from = Nachricht von { $provider }:
request-offer = Angebot
request-confirm-submit = Adresse bestätigen und Anfrage senden
request-accept-proposal = Vorgeschlagenen Tag annehmen
request-withdraw-title = Anfrage zurückziehen
request-withdraw-hint = Wenn Sie nicht kommen können, ziehen Sie die Anfrage bitte zurück. Die Plätze werden dann wieder frei.
request-withdraw-submit = Anfrage zurückziehen
request-mine-title = Ihre Anfragen
request-mine-none = Sie haben noch keine Anfragen gestellt.
request-find-offers = Angebote finden
account-requests-text = Ihre Anfragen an Anbieter und deren Antworten:
request-office-link = Anfragen
request-office-title = Anfragen an { $provider }
request-office-back = Zurück zu den Anfragen
request-office-one-title = Anfrage Nr. { $number }
request-office-decided = Ihre Entscheidung ist gespeichert; die anfragende Person ist per E-Mail informiert.
request-count = { $count ->
    [0] Keine Anfragen
    [one] Eine Anfrage
   *[other] { $count } Anfragen
}
request-bad-state = Diesen Stand gibt es nicht.
request-filter = Anzeigen
request-who = Wer
request-note = Begründung oder Nachricht
request-accept-title = Annehmen
request-accept-submit = Anfrage annehmen
request-propose-title = Anderen Tag vorschlagen
request-propose-day = Vorgeschlagener Tag
request-propose-words = Nachricht (freiwillig)
request-propose-submit = Tag vorschlagen
request-decline-title = Ablehnen
request-decline-reason = Grund
request-decline-submit = Anfrage ablehnen
request-mail-offer = Angebot: { $offer }
request-mail-when = Termin: { $when }
request-mail-group = Gruppe: { $group }
request-mail-institution = Einrichtung: { $institution }
request-mail-note = Nachricht des Anbieters: { $note }
request-mail-message = Nachricht: { $message }
request-mail-confirm-subject = Bitte bestätigen Sie Ihre Anfrage: { $offer }
request-mail-confirm-text = Sie haben bei { $provider } für „{ $offer }“ angefragt. Bitte bestätigen Sie Ihre E-Mail-Adresse über den Link; erst dann geht die Anfrage an den Anbieter.
request-mail-confirm-closing = Wenn Sie nicht angefragt haben, können Sie diese E-Mail einfach löschen.
request-mail-sent-subject = Anfrage gesendet: { $offer }
request-mail-sent-text = Ihre Anfrage für „{ $offer }“ ist bei { $provider }. Die Plätze sind für Sie vorgemerkt, bis der Anbieter antwortet.
request-mail-accepted-subject = Anfrage angenommen: { $offer }
request-mail-accepted-text = { $provider } hat Ihre Anfrage für „{ $offer }“ angenommen. Wir freuen uns auf Sie.
request-mail-declined-subject = Anfrage abgelehnt: { $offer }
request-mail-declined-text = { $provider } hat Ihre Anfrage für „{ $offer }“ leider abgelehnt.
request-mail-proposed-subject = Anderer Tag vorgeschlagen: { $offer }
request-mail-proposed-text = { $provider } schlägt Ihnen für „{ $offer }“ einen anderen Tag vor. Die Plätze sind an diesem Tag für Sie vorgemerkt.
request-mail-proposed-closing = Über den Link nehmen Sie den Tag an oder ziehen die Anfrage zurück.
request-mail-closing = Über den Link sehen Sie den Stand Ihrer Anfrage und können sie zurückziehen.
request-mail-provider-new-subject = Neue Anfrage: { $offer }
request-mail-provider-new-text = { $name } fragt „{ $offer }“ an.
request-mail-provider-proposal-accepted-subject = Vorschlag angenommen: { $offer }
request-mail-provider-proposal-accepted-text = { $name } hat den vorgeschlagenen Tag für „{ $offer }“ angenommen.
request-mail-provider-withdrawn-subject = Anfrage zurückgezogen: { $offer }
request-mail-provider-withdrawn-text = { $name } hat die Anfrage für „{ $offer }“ zurückgezogen. Die Plätze sind wieder frei.
request-mail-provider-closing = Über den Link sehen Sie die Anfrage und antworten.
