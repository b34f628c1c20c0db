# Offers, the back office: the admins' side (providers to approve, categories, districts and postcodes).
offers-admin-providers-title = Anbieter
offers-admin-providers-lead = Wer Angebote einstellen möchte, meldet einen Anbieter an. Erst wenn Sie ihn freigeben, sind seine veröffentlichten Angebote öffentlich; wer ihn verwaltet, erhält damit die Rolle Anbieter.
offers-admin-providers-count = { $count ->
    [0] Noch keine Anbieter.
    [one] Ein Anbieter.
   *[other] { $count } Anbieter.
}
offers-admin-pending-count = { $count ->
    [0] Keiner wartet auf Freigabe.
    [one] Einer wartet auf Freigabe.
   *[other] { $count } warten auf Freigabe.
}
offers-admin-none = Noch hat sich kein Anbieter angemeldet.
offers-admin-errors = Bitte prüfen Sie diese Angaben:
offers-admin-state = Stand
offers-admin-state-pending = wartet auf Freigabe
offers-admin-state-approved = freigegeben
offers-admin-state-declined = abgelehnt
offers-admin-declined-because = abgelehnt: { $reason }
offers-admin-district = Stadtteil
offers-admin-no-district = kein Stadtteil
offers-admin-created = Angemeldet am
offers-admin-offers = Veröffentlichte Angebote
offers-admin-approve = Freigeben
offers-admin-decline = Ablehnen
offers-admin-decline-legend = „{ $name }“ ablehnen
offers-admin-reason = Begründung
offers-admin-reason-hint = Pflichtangabe, höchstens 500 Zeichen. Sie wird beim Anbieter gespeichert.
offers-admin-reason-missing = Bitte begründen Sie die Ablehnung.
offers-admin-reason-too-long = Die Begründung darf höchstens 500 Zeichen lang sein.
offers-admin-member-legend = Person hinzufügen, die „{ $name }“ verwaltet
offers-admin-member-email = E-Mail-Adresse ihres Kontos
offers-admin-member-hint = Die Person braucht ein Konto. Ist der Anbieter freigegeben, erhält sie die Rolle Anbieter.
offers-admin-member-add = Person hinzufügen
offers-admin-email-missing = Bitte geben Sie die E-Mail-Adresse der Person ein.
offers-admin-email-unknown = Zu dieser E-Mail-Adresse gibt es kein Konto. Die Person muss sich zuerst registrieren.
offers-admin-approved = Der Anbieter ist freigegeben: Seine veröffentlichten Angebote sind jetzt öffentlich, und wer ihn verwaltet, hat die Rolle Anbieter.
offers-admin-declined = Der Anbieter ist abgelehnt. Nichts von ihm ist öffentlich.
offers-admin-member-added = Die Person verwaltet den Anbieter jetzt mit.
offers-admin-places-title = Orte und Kategorien
offers-admin-places-lead = Die Kategorien des Angebotsverzeichnisses und die Stadtteile und Postleitzahlen der Stadt mit ihren Mittelpunkten.
offers-admin-places-hint = Die Entfernungen im Angebotsverzeichnis werden von diesen Mittelpunkten aus gemessen. Dafür wird kein Kartendienst gefragt: Die Koordinaten tragen Sie hier selbst ein, zum Beispiel aus einer Karte abgelesen.
offers-admin-places-list = Zum Angebotsverzeichnis
offers-admin-categories = Kategorien
offers-admin-categories-count = { $count ->
    [0] Noch keine Kategorien.
    [one] Eine Kategorie.
   *[other] { $count } Kategorien.
}
offers-admin-category = Kategorie
offers-admin-category-rename = Umbenennen
offers-admin-category-rename-hint = Beim Umbenennen bleibt die Adresse der Kategorie gleich; Links auf sie funktionieren weiter.
offers-admin-category-new-name = Neuer Name für „{ $name }“
offers-admin-category-new = Neue Kategorie
offers-admin-category-add = Kategorie anlegen
offers-admin-name = Name
offers-admin-name-invalid = Der Name braucht 2 bis 80 Zeichen, darunter Buchstaben oder Ziffern.
offers-admin-category-taken = Eine Kategorie mit diesem oder einem sehr ähnlichen Namen gibt es schon.
offers-admin-category-added = Die Kategorie ist angelegt.
offers-admin-category-renamed = Die Kategorie ist umbenannt.
offers-admin-districts = Stadtteile
offers-admin-districts-count = { $count ->
    [0] Noch keine Stadtteile.
    [one] Ein Stadtteil.
   *[other] { $count } Stadtteile.
}
offers-admin-centre = Mittelpunkt (Breite, Länge)
offers-admin-centre-optional = Mittelpunkt (Breite, Länge), freiwillig
offers-admin-centre-hint = In Grad mit Dezimalpunkt, zum Beispiel 50.93, 10.10.
offers-admin-centre-invalid = Geben Sie den Mittelpunkt als Breite und Länge in Grad an, zum Beispiel 50.93, 10.10.
offers-admin-centre-needed = Geben Sie einen Mittelpunkt an oder wählen Sie einen Stadtteil, dessen Mittelpunkt übernommen wird.
offers-admin-actions = Aktionen
offers-admin-remove = Entfernen
offers-admin-district-remove-hint = Postleitzahlen und Angebote eines entfernten Stadtteils behalten ihre Koordinaten und verlieren nur die Zuordnung zum Stadtteil.
offers-admin-district-form = Stadtteil anlegen oder verschieben
offers-admin-district-form-hint = Mit dem Namen eines vorhandenen Stadtteils verschieben Sie dessen Mittelpunkt.
offers-admin-district-save = Stadtteil speichern
offers-admin-district-similar = Es gibt schon den Stadtteil „{ $name }“ mit fast gleichem Namen. Schreiben Sie ihn genau so, um seinen Mittelpunkt zu verschieben.
offers-admin-district-unknown = Diesen Stadtteil gibt es nicht. Wählen Sie einen aus der Liste.
offers-admin-district-saved = Der Stadtteil ist gespeichert.
offers-admin-district-removed = Der Stadtteil ist entfernt.
offers-admin-postcodes = Postleitzahlen
offers-admin-postcodes-count = { $count ->
    [0] Noch keine Postleitzahlen.
    [one] Eine Postleitzahl.
   *[other] { $count } Postleitzahlen.
}
offers-admin-postcode = Postleitzahl
offers-admin-postcode-hint = Fünf Ziffern. Eine vorhandene Postleitzahl erhält den gewählten Stadtteil und Mittelpunkt.
offers-admin-postcode-centre-hint = Leer lassen, um den Mittelpunkt des gewählten Stadtteils zu übernehmen. Sonst in Grad mit Dezimalpunkt, zum Beispiel 50.93, 10.10.
offers-admin-postcode-form = Postleitzahl anlegen oder ändern
offers-admin-postcode-save = Postleitzahl speichern
offers-admin-code-invalid = Eine Postleitzahl hat genau fünf Ziffern, zum Beispiel 36251.
offers-admin-postcode-saved = Die Postleitzahl ist gespeichert.
offers-admin-postcode-removed = Die Postleitzahl ist entfernt.
offers-admin-mail-approved-subject = Ihr Anbieter „{ $provider }“ ist freigegeben – { $site }
offers-admin-mail-approved-text = Die Stadt hat „{ $provider }“ freigegeben. Ihre veröffentlichten Angebote sind jetzt öffentlich, und Sie können weitere eintragen:
offers-admin-mail-declined-subject = Ihr Anbieter „{ $provider }“ wurde nicht freigegeben – { $site }
offers-admin-mail-declined-text = Die Stadt hat „{ $provider }“ nicht freigegeben. Die Begründung: { $reason }
offers-admin-mail-closing = Bei Fragen antworten Sie bitte nicht auf diese E-Mail, sondern wenden Sie sich an die Stadt.

## A provider's logo (the details page, the admins' list)
provider-logo = Logo
provider-logo-hint = Das Logo erscheint auf der öffentlichen Seite des Anbieters und neben seinem Namen auf jedem seiner Angebote.
provider-logo-current = Aktuelles Logo
provider-logo-file = Logo-Datei (PNG, JPEG oder WebP, höchstens 512 KB)
provider-logo-file-hint = Kein SVG. Das Bild wird auf der Seite verkleinert; es bleibt in seinem Seitenverhältnis.
provider-logo-file-hint-replace = Eine neue Datei ersetzt das aktuelle Logo. Ohne Datei wird nur der Alternativtext geändert.
provider-logo-alt = Alternativtext
provider-logo-alt-hint = Was das Logo zeigt, in Worten, für Menschen, die es nicht sehen, z. B. „Logo der Stadtbibliothek: ein aufgeschlagenes Buch“. Pflicht, höchstens 200 Zeichen.
provider-logo-upload = Logo speichern
provider-logo-remove = Logo entfernen
provider-logo-saved = Das Logo ist gespeichert.
provider-logo-removed = Das Logo ist entfernt.
provider-logo-alt-missing = Bitte beschreiben Sie das Logo in Worten (Alternativtext).
provider-logo-alt-long = Der Alternativtext ist zu lang (höchstens 200 Zeichen).
provider-logo-empty = Bitte wählen Sie eine Logo-Datei.
provider-logo-too-large = Das Logo ist zu groß (höchstens 512 KB).
provider-logo-type = Diese Datei ist kein Bild im Format PNG, JPEG oder WebP. SVG-Dateien sind nicht möglich.
provider-logo-broken = Die Logo-Datei ist beschädigt oder unvollständig.
provider-logo-dimensions = Das Logo ist zu groß (höchstens 4000 × 4000 Pixel).
offers-admin-logo = Logo
offers-admin-no-logo = kein Logo
offers-admin-edit-details = Angaben und Logo bearbeiten
