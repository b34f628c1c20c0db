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
