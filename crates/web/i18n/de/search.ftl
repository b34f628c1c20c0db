# One search over everything: the page, the header's field, the kinds.
search-title = Suche
search-site = Website durchsuchen
search-form = Suche über Maßnahmen, Ideen, Veranstaltungen, Angebote, Ehrenamt und Anbieter
search-q = Suchbegriff
search-site-q = Stichwort für die ganze Website
search-submit = Suchen
search-hint = Suchen Sie in Maßnahmen, Ideen, Veranstaltungen, Programmpunkten, Angeboten, Ehrenämtern und Anbietern. Alle Wörter müssen vorkommen; „Schulen“ findet auch „Schule“.
search-kinds = Ergebnisse nach Art
search-pages = Seiten der Ergebnisse
search-none-here = Auf dieser Seite gibt es keine Ergebnisse mehr.
search-found = { $count ->
    [0] Nichts gefunden. Versuchen Sie es mit weniger oder anderen Wörtern.
    [one] Ein Ergebnis gefunden.
   *[other] { $count } Ergebnisse gefunden.
}
search-kind-all = Alle ({ $count })
search-kind-measures = Maßnahmen ({ $count })
search-kind-ideas = Ideen ({ $count })
search-kind-events = Veranstaltungen ({ $count })
search-kind-sessions = Programmpunkte ({ $count })
search-kind-offers = Angebote ({ $count })
search-kind-roles = Ehrenamt ({ $count })
search-kind-providers = Anbieter ({ $count })
search-all-measures = Alle { $count } Maßnahmen anzeigen
search-all-ideas = Alle { $count } Ideen anzeigen
search-all-events = Alle { $count } Veranstaltungen anzeigen
search-all-sessions = Alle { $count } Programmpunkte anzeigen
search-all-offers = Alle { $count } Angebote anzeigen
search-all-roles = Alle { $count } Ehrenämter anzeigen
search-all-providers = Alle { $count } Anbieter anzeigen
search-bad-q = Der Suchbegriff darf höchstens 200 Zeichen lang sein.
search-bad-kind = Die Art muss measures, ideas, events, sessions, offers, roles oder providers sein.
search-bad-page = Die Seitenzahl muss eine Zahl von 1 bis 10000 sein.
search-page-needs-kind = Weitere Seiten gibt es nur für eine Art von Ergebnissen (kind).
