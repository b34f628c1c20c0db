role-admin = Administration
role-editor = Redaktion
role-moderator = Moderation
role-organiser = Veranstaltungen
role-provider = Anbieter
role-citizen = Bürgerin/Bürger
admin-users-title = Personen und Rollen
admin-audit-title = Änderungsprotokoll
admin-locked = gesperrt
admin-save = Speichern
admin-unconfirmed = Adresse nicht bestätigt
admin-self = Sie können sich die Administration nicht selbst entziehen und sich nicht selbst sperren.
audit-at = Zeitpunkt
audit-actor = Wer
audit-action = Was
audit-subject = Betrifft
audit-before = Vorher
audit-after = Nachher
audit-actor-cli = Kommandozeile
audit-user-roles = Rollen geändert
audit-user-lock = Konto gesperrt
audit-user-unlock = Konto entsperrt
audit-user-email_change = E-Mail-Adresse geändert
audit-subject-type = Art des Gegenstands
audit-from = Von (Tag)
audit-to = Bis (Tag)
audit-date-hint = Tage im Format JJJJ-MM-TT, in koordinierter Weltzeit (UTC); beide Tage zählen mit.
audit-total = { $count ->
    [0] Keine Einträge gefunden.
    [one] 1 Eintrag
   *[other] { $count } Einträge
}
audit-measure-update = Maßnahme geändert
audit-bad-action = „Was“ muss eine Aktion aus der Liste sein (etwa user.roles).
audit-bad-subject = „Art des Gegenstands“ muss ein Wert aus der Liste sein (etwa user).
audit-bad-actor = „Wer“ muss eine Person aus der Liste oder „Kommandozeile“ sein.
audit-bad-from = „Von“ muss ein Tag im Format JJJJ-MM-TT sein (etwa 2026-03-01).
audit-bad-to = „Bis“ muss ein Tag im Format JJJJ-MM-TT sein (etwa 2026-03-31).
audit-bad-range = „Bis“ darf nicht vor „Von“ liegen.
audit-bad-page = „Seite“ muss eine ganze Zahl ab 1 sein.
audit-bad-lang = „Sprache“ muss de oder en sein.
audit-bad-query = Die Filter der Adresse sind nicht lesbar.
admin-measures-title = Maßnahmen bearbeiten
admin-edit-title = Maßnahme bearbeiten
edit-field-title = Titel
edit-field-progress = Fortschritt in Prozent
edit-progress-hint = Leer lassen, wenn der Fortschritt aus den Teilmaßnahmen berechnet werden soll.
edit-markdown-hint = Markdown: **fett**, *kursiv*, Listen mit „- “, Links als [Text](https://…).
edit-title-invalid = Der Titel darf nicht leer und höchstens 200 Zeichen lang sein.
edit-status-invalid = Bitte wählen Sie einen Status.
edit-progress-invalid = Der Fortschritt ist eine ganze Zahl von 0 bis 100.
edit-too-long = Ein Text ist zu lang: die Kurzbeschreibung höchstens 1.000 Zeichen, die Beschreibung 50.000, die Ziele 5.000, ein Name 200, eine Einheit 50.
edit-conflict = Jemand anderes hat diese Maßnahme inzwischen gespeichert. Oben steht die gespeicherte Fassung, darunter Ihre. Übernehmen Sie, was bleiben soll, und speichern Sie erneut.
edit-stored-version = Gespeicherte Fassung
edit-your-version = Ihre Fassung
edit-report = Status: { $from } → { $to }; Fortschritt: { $p0 } % → { $p1 } %
settings-title = Einstellungen
settings-intro = Diese Texte erscheinen als öffentliche Seiten (Impressum, Datenschutzerklärung); Markdown ist erlaubt.
settings-imprint = Impressum
settings-privacy = Datenschutzerklärung (leer lassen für die mitgelieferte Fassung)
settings-contact = Kontakt (erscheint im Impressum)
settings-saved = Die Einstellungen sind gespeichert.
settings-too-long = Ein Text ist zu lang: höchstens 50.000 Zeichen.
audit-setting-update = Einstellung geändert
branding-logo = Logo
branding-logo-current = Aktuelles Logo
branding-logo-none = Es ist noch kein Logo hinterlegt; die Kopfzeile zeigt den Namen der Stadt.
branding-logo-file = Logo-Datei
branding-logo-hint = PNG, JPEG, SVG oder WebP, höchstens 512 KB. Es erscheint in der Kopfzeile jeder Seite, mit dem Namen der Stadt als Alternativtext.
branding-logo-upload = Logo hochladen
branding-logo-remove = Logo entfernen
branding-logo-saved = Das Logo ist gespeichert.
branding-logo-removed = Das Logo ist entfernt.
branding-logo-broken = Das Formular mit der Datei kam nicht vollständig an. Bitte versuchen Sie es noch einmal.
branding-accent = Akzentfarbe
branding-accent-label = Akzentfarbe (#rrggbb)
branding-accent-hint = Zum Beispiel #1f4e8c; leer lassen für die mitgelieferte Farbe. Die Farbe muss zu Weiß einen Kontrast von mindestens 4,5:1 haben (WCAG AA), weil sie hinter weißer Schrift und als Linkfarbe auf Weiß steht.
branding-accent-saved = Die Akzentfarbe ist gespeichert.
branding-accent-invalid = Bitte geben Sie die Farbe als # und sechs Hexadezimalziffern an, etwa #1f4e8c.
branding-accent-contrast = Diese Farbe hat zu Weiß nur einen Kontrast von { $ratio }:1; nötig sind mindestens 4,5:1. Bitte wählen Sie eine dunklere Farbe.
logo-empty = Bitte wählen Sie eine Logo-Datei aus.
logo-too-large = Die Datei ist größer als 512 KB. Bitte laden Sie eine kleinere Datei hoch.
logo-type = Diese Datei ist kein Bild im Format PNG, JPEG, SVG oder WebP.
logo-svg-unsafe = Diese SVG-Datei enthält Skripte, Ereignis-Attribute, eingebettetes HTML oder Verweise auf andere Adressen und wird deshalb nicht angenommen.
audit-logo-update = Logo geändert
audit-logo-remove = Logo entfernt
admin-nav = Bereiche der Verwaltung
admin-new-measure = Neue Maßnahme
admin-measures-count = { $count ->
    [one] 1 Maßnahme
   *[other] { $count } Maßnahmen
}
edit-none = – keine –
edit-parent = Teil von (übergeordnete Maßnahme)
edit-external-id = Kennung
edit-external-id-hint = Zum Beispiel die Nummer aus dem Stadtratsbeschluss. Leer lassen: die Kennung wird aus dem Titel gebildet. Sie lässt sich später nicht ändern.
edit-state-hint = Entwürfe und archivierte Maßnahmen sieht nur die Redaktion; die Vorschau zeigt sie, wie die Öffentlichkeit sie sehen wird.
edit-public-page = Öffentliche Seite
edit-preview = Vorschau
edit-group-basics = Einordnung
edit-group-progress = Stand und Zeitraum
edit-group-texts = Texte
edit-group-lists = Zuständigkeit, Zielgruppen, Schlagworte
edit-lines-hint = Ein Eintrag je Zeile.
edit-rows-hint = Zum Entfernen einer Zeile leeren Sie ihren Namen. Nach dem Speichern stehen zwei neue leere Zeilen bereit.
edit-decision-number = Beschlussnummer { $n }
edit-decision-date = Beschlussdatum { $n }
edit-decision-url = Link zum Beschluss { $n }
edit-kpi-name = Kennzahl { $n }
edit-kpi-unit = Einheit { $n }
edit-kpi-current = Aktueller Wert { $n }
edit-kpi-target = Zielwert { $n }
edit-kpi-as-of = Stand vom { $n }
edit-milestone-title = Meilenstein { $n }
edit-milestone-date = Fällig am { $n }
edit-milestone-reached = Meilenstein { $n } erreicht
edit-state-invalid = Bitte wählen Sie, ob die Maßnahme ein Entwurf, veröffentlicht oder archiviert ist.
edit-field-invalid = Bitte wählen Sie ein Handlungsfeld.
edit-field-not-yours = Sie dürfen nur Maßnahmen der Ihnen zugewiesenen Handlungsfelder bearbeiten.
edit-focus-invalid = Diesen Handlungsschwerpunkt gibt es nicht.
edit-focus-other-field = Der Handlungsschwerpunkt gehört zu einem anderen Handlungsfeld.
edit-parent-invalid = Diese übergeordnete Maßnahme gibt es nicht.
edit-parent-cycle = Eine Maßnahme kann nicht Teil von sich selbst oder einer ihrer Teilmaßnahmen sein.
edit-field-error = { $field }: { $reason }
edit-parent-not-yours = Diese übergeordnete Maßnahme gehört zu einem Handlungsfeld, das Sie nicht betreuen.
edit-old-parent-not-yours = Die bisherige übergeordnete Maßnahme gehört zu einem Handlungsfeld, das Sie nicht betreuen; nur wer es betreut, kann die Maßnahme dort herauslösen.
edit-date-invalid = „{ $value }“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT).
edit-end-before-start = Das geplante Ende liegt vor dem geplanten Beginn.
edit-year-invalid = „{ $value }“ ist kein Zieljahr zwischen 2000 und 2100.
edit-url-invalid = „{ $value }“ ist keine Webadresse (https://…).
edit-number-invalid = „{ $value }“ ist keine Zahl.
edit-too-many = Eine Liste hat mehr als 100 Einträge.
edit-decision-number-missing = Ein Stadtratsbeschluss braucht eine Nummer.
edit-decision-twice = Der Beschluss „{ $value }“ steht zweimal in der Liste.
edit-kpi-name-missing = Eine Kennzahl braucht einen Namen.
edit-milestone-title-missing = Ein Meilenstein braucht einen Titel.
edit-external-id-invalid = Die Kennung darf höchstens 100 Zeichen lang sein und keine Steuerzeichen enthalten.
edit-external-id-taken = Die Kennung „{ $value }“ hat schon eine andere Maßnahme.
audit-measure-create = Maßnahme angelegt
admin-strategy-title = Strategie und Gliederung
admin-back = Zurück zur Übersicht
strategy-field-title = Titel der Strategie
strategy-field-city = Name der Stadt oder Gemeinde
strategy-city-hint = Erscheint im Kopf jeder Seite, in Titeln und in den E-Mails.
strategy-field-vision = Leitbild
strategy-title-invalid = Der Titel der Strategie darf nicht leer und höchstens 200 Zeichen lang sein.
strategy-city-invalid = Der Name der Stadt darf nicht leer und höchstens 100 Zeichen lang sein.
strategy-vision-too-long = Das Leitbild ist zu lang: höchstens 50.000 Zeichen.
strategy-saved = Die Strategie ist gespeichert.
strategy-taxonomy = Kernbereiche, Handlungsfelder und Schwerpunkte
strategy-taxonomy-hint = Die Reihenfolge hier ist die Reihenfolge auf dem Radar und in den Listen. Archivierte Einträge sieht die Öffentlichkeit nicht mehr; archivieren lässt sich ein Eintrag erst, wenn nichts darunter mehr in Gebrauch ist.
tax-kind-core_area = Kernbereich
tax-kind-field = Handlungsfeld
tax-kind-focus_area = Handlungsschwerpunkt
tax-new-core_area = Neuer Kernbereich
tax-new-field = Neues Handlungsfeld
tax-new-focus_area = Neuer Handlungsschwerpunkt
tax-new-title = Neu: { $kind }
tax-edit-title = { $kind } bearbeiten
tax-up = Nach oben
tax-down = Nach unten
tax-archive = Archivieren
tax-restore = Wiederherstellen
tax-is-archived = Dieser Eintrag ist archiviert und öffentlich nicht sichtbar.
tax-field-slug = Adresse (Kurzname)
tax-slug-hint = Kleinbuchstaben, Ziffern und Bindestriche; leer lassen, um sie aus dem Titel zu bilden. Eine geänderte Adresse macht alte Links ungültig.
tax-field-colour = Farbe
tax-colour-hint-core = Als #rrggbb, zum Beispiel #1f4e8c. Die Farbe braucht mindestens 3:1 Kontrast zu Weiß.
tax-colour-hint = Als #rrggbb; leer lassen für die Farbe der übergeordneten Ebene. Mindestens 3:1 Kontrast zu Weiß.
tax-slug-invalid = „{ $value }“ ist keine gültige Adresse: nur Kleinbuchstaben, Ziffern und Bindestriche, höchstens 80 Zeichen.
tax-slug-taken = Die Adresse „{ $value }“ ist schon vergeben.
tax-too-long = Beschreibung oder Ziele sind zu lang: höchstens 10.000 Zeichen.
tax-colour-required = Ein Kernbereich braucht eine Farbe.
tax-colour-invalid = „{ $value }“ ist keine Farbe im Format #rrggbb.
tax-colour-contrast = Diese Farbe hat nur { $ratio }:1 Kontrast zu Weiß; nötig sind mindestens 3:1, damit die Punkte auf dem Radar erkennbar sind.
tax-parent-invalid = Bitte wählen Sie, wozu der Eintrag gehört.
tax-no-strategy = Legen Sie zuerst oben die Strategie an.
tax-in-use-core_area = { $count ->
    [one] Der Kernbereich hat noch 1 Handlungsfeld, das nicht archiviert ist.
   *[other] Der Kernbereich hat noch { $count } Handlungsfelder, die nicht archiviert sind.
}
tax-in-use-field = { $count ->
    [one] Im Handlungsfeld ist noch 1 Maßnahme oder Schwerpunkt nicht archiviert.
   *[other] Im Handlungsfeld sind noch { $count } Maßnahmen oder Schwerpunkte nicht archiviert.
}
tax-in-use-focus_area = { $count ->
    [one] Zum Schwerpunkt gehört noch 1 Maßnahme, die nicht archiviert ist.
   *[other] Zum Schwerpunkt gehören noch { $count } Maßnahmen, die nicht archiviert sind.
}
audit-strategy-update = Strategie geändert
audit-core_area-create = Kernbereich angelegt
audit-core_area-update = Kernbereich geändert
audit-core_area-move = Kernbereich verschoben
audit-core_area-archive = Kernbereich archiviert
audit-core_area-restore = Kernbereich wiederhergestellt
audit-field-create = Handlungsfeld angelegt
audit-field-update = Handlungsfeld geändert
audit-field-move = Handlungsfeld verschoben
audit-field-archive = Handlungsfeld archiviert
audit-field-restore = Handlungsfeld wiederhergestellt
audit-focus_area-create = Schwerpunkt angelegt
audit-focus_area-update = Schwerpunkt geändert
audit-focus_area-move = Schwerpunkt verschoben
audit-focus_area-archive = Schwerpunkt archiviert
audit-focus_area-restore = Schwerpunkt wiederhergestellt
admin-import-title = Import und Export
import-intro = Laden Sie eine Tabelle (CSV, mit ; oder , getrennt, auch aus Excel) oder eine JSON-Datei hoch. Sie sehen zuerst, was sich ändern würde; erst mit „Übernehmen“ wird etwas gespeichert – ganz oder gar nicht. Maßnahmen werden über ihre Kennung (external_id) zugeordnet.
import-file = Datei
import-file-hint = CSV oder JSON, höchstens { $mb } MB. Pflichtspalten: external_id, title, field, status.
import-check = Prüfen
import-too-large = Die Datei ist zu groß: höchstens { $mb } MB.
import-unreadable = Die Datei konnte nicht gelesen werden. Bitte laden Sie sie erneut hoch.
import-no-file = Bitte wählen Sie eine Datei aus.
import-errors = { $count ->
    [one] Die Datei enthält 1 Fehler; es wurde nichts übernommen.
   *[other] Die Datei enthält { $count } Fehler; es wurde nichts übernommen.
}
import-errors-caption = Fehler in der Datei (die Meldungen des Prüfprogramms sind englisch)
import-line = Zeile
import-column = Spalte oder Feld
import-problem = Problem
import-preview-title = Vorschau des Imports: { $file }
import-summary = { $new } neu, { $changed } geändert, { $unchanged } unverändert.
import-core-areas = { $count ->
    [one] Die Datei bringt 1 Kernbereich mit, dessen Texte übernommen werden.
   *[other] Die Datei bringt { $count } Kernbereiche mit, deren Texte übernommen werden.
}
import-apply = Übernehmen
import-cancel = Abbrechen
import-changes-caption = Neue und geänderte Maßnahmen
import-what = Änderung
import-new = neu
import-changed = geändert
import-unchanged = unverändert
import-unchanged-list = { $count ->
    [one] 1 unveränderte Maßnahme
   *[other] { $count } unveränderte Maßnahmen
}
import-is-applied = Diese Datei ist übernommen worden.
import-already-applied = Diese Datei wurde bereits übernommen; sie wird nicht ein zweites Mal angewendet.
import-now-invalid = Seit dem Hochladen hat sich der Datenbestand geändert, und die Datei passt nicht mehr dazu. Es wurde nichts übernommen.
import-applied = Import übernommen: { $created } neu, { $updated } geändert, { $unchanged } unverändert.
import-export-title = Export
import-export-intro = Die veröffentlichte Strategie als Datei, zum Bearbeiten in einer Tabellenkalkulation und zum erneuten Import. Entwürfe und archivierte Maßnahmen sind nicht enthalten.
audit-import-apply = Import übernommen
admin-home-title = Verwaltung
admin-home-measures = Maßnahmen anlegen, bearbeiten, veröffentlichen und archivieren; Vorschau von Entwürfen.
admin-home-strategy = Titel, Stadt und Leitbild der Strategie; Kernbereiche, Handlungsfelder und Schwerpunkte.
admin-home-import = Eine Tabelle oder JSON-Datei mit Vorschau übernehmen; die Strategie herunterladen.
admin-home-users = Personen, ihre Rollen und Sperren; Handlungsfelder der Redaktion.
admin-home-audit = Wer hat wann was geändert.
admin-home-settings = Impressum, Kontakt und Datenschutzerklärung.
admin-home-drafts = { $count ->
    [one] 1 Entwurf wartet auf Veröffentlichung.
   *[other] { $count } Entwürfe warten auf Veröffentlichung.
}
user-fields-title = Handlungsfelder für { $name }
user-fields-link = Handlungsfelder festlegen
user-fields-hint = Eine Redakteurin oder ein Redakteur mit angekreuzten Handlungsfeldern darf nur deren Maßnahmen anlegen und bearbeiten, aber weder Strategie, Gliederung noch Import. Nichts angekreuzt: alle Handlungsfelder.
user-fields-not-editor = Diese Person hat die Rolle Redaktion nicht; die Auswahl gilt erst, wenn sie sie bekommt.
user-fields-saved = Die Handlungsfelder sind gespeichert.
audit-user-editor_fields = Handlungsfelder der Redaktion geändert
edit-field-archived = Dieses Handlungsfeld ist archiviert; darin können nur archivierte Maßnahmen stehen. Stellen Sie es unter „Strategie und Gliederung“ wieder her oder wählen Sie ein anderes.
edit-focus-archived = Dieser Handlungsschwerpunkt ist archiviert; wählen Sie einen anderen oder stellen Sie ihn wieder her.
settings-city-where = Den Namen der Stadt, den Titel und das Leitbild der Strategie ändern Sie unter
settings-participation = Beteiligung
settings-premoderation = Kommentare von Gästen erst nach Freigabe durch die Moderation veröffentlichen
settings-threshold = Meldungen, nach denen ein Kommentar bis zur Prüfung ausgeblendet wird
settings-threshold-hint = Eine Zahl von 1 bis 100; voreingestellt sind 3.
settings-threshold-invalid = Die Zahl der Meldungen muss zwischen 1 und 100 liegen.
settings-participation-saved = Die Einstellungen zur Beteiligung sind gespeichert.
settings-first-post = Den ersten Kommentar eines neuen Kontos erst nach Freigabe durch die Moderation veröffentlichen
settings-words = Wortliste: Beiträge mit diesen Wörtern prüft die Moderation vor der Veröffentlichung
settings-words-hint = Ein Wort oder eine Wendung je Zeile; Groß- und Kleinschreibung zählt nicht, nur ganze Wörter. Beiträge der Mitarbeitenden der Stadt werden nicht zurückgehalten.
settings-words-too-long = Die Wortliste ist zu lang: höchstens 10.000 Zeichen.
