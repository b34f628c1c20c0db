# Participation: ratings
rating-heading = Bewertung
rating-question = Wie wichtig ist Ihnen diese Maßnahme?
rating-none = Diese Maßnahme hat noch keine Bewertung.
rating-mean = Durchschnitt { $mean } von 5 bei { $count ->
    [one] einer Bewertung
   *[other] { $count } Bewertungen
}
rating-table = Verteilung der Bewertungen
rating-col-value = Bewertung
rating-col-count = Anzahl
rating-col-share = Anteil
rating-value-1 = gar nicht wichtig
rating-value-2 = wenig wichtig
rating-value-3 = teils, teils
rating-value-4 = wichtig
rating-value-5 = sehr wichtig
rating-login = Melden Sie sich an, um diese Maßnahme zu bewerten.
rating-save = Bewertung speichern
rating-yours = Ihre Bewertung: { $value } von 5.
rating-withdraw = Bewertung zurückziehen
rating-choose = Bitte wählen Sie eine Bewertung von 1 bis 5.
windows-title = Beteiligungsfenster
windows-intro = Hier legen Sie fest, wann Diskussionen neue Kommentare, Antworten und Unterstützungen annehmen: für die ganze Strategie, ein Handlungsfeld oder eine Maßnahme. Es gilt das genaueste Fenster (Maßnahme vor Handlungsfeld vor Strategie). Eine geschlossene Diskussion bleibt lesbar.
windows-strategy = Ganze Strategie: { $title }
windows-field = Handlungsfeld: { $title }
windows-measure-row = Maßnahme: { $title }
windows-mode = Diskussion
windows-mode-inherit = Wie übergeordnet (kein eigenes Fenster)
windows-mode-open = Offen (zwischen den Daten, wenn angegeben)
windows-mode-closed = Geschlossen
windows-opens = Offen ab (freiwillig)
windows-closes = Offen bis einschließlich (freiwillig)
windows-closes-hint = Am Tag danach um 0 Uhr (UTC) schließt die Diskussion.
windows-state-none = Kein eigenes Fenster: es gilt das übergeordnete (ohne Fenster ist die Diskussion offen).
windows-state-open = Offen.
windows-state-open-until = Offen bis einschließlich { $date }.
windows-state-not-yet = Öffnet am { $date }.
windows-state-closed = Geschlossen seit dem { $date }.
windows-measure = Fenster für eine Maßnahme festlegen
windows-measure-label = Maßnahme
windows-saved = Das Beteiligungsfenster ist gespeichert.
windows-bad-scope = Unbekannter Bereich für ein Beteiligungsfenster.
windows-bad-mode = Bitte wählen Sie, ob die Diskussion offen oder geschlossen ist.
windows-bad-date = Bitte geben Sie Daten als JJJJ-MM-TT an.
windows-bad-order = Das Ende muss nach dem Beginn liegen.
windows-not-yours = Dieses Fenster dürfen Sie nicht ändern: Die Strategie ändert die Administration, Handlungsfelder und Maßnahmen die zuständige Redaktion.
