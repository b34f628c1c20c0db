# Demo data: the banner on every page while the demo strategy is loaded, and its removal.
demo-banner-title = Demodaten – diese Stadt ist erfunden
demo-banner-text = Musterstadt und alle Maßnahmen, Berichte und Zahlen auf diesen Seiten sind Beispiele, mit denen sich die Plattform ausprobieren lässt. Sie beschreiben keine wirkliche Stadt und keine Beschlüsse.
demo-admin-title = Demodaten entfernen
demo-admin-warning = Die Seiten zeigen noch die erfundene Demo-Strategie „Musterstadt“. Entfernen löscht die ganze Strategie: alle Maßnahmen, Fortschrittsberichte, Kernbereiche, Handlungsfelder und Schwerpunkte – auch was seitdem in der Verwaltung geändert oder angelegt wurde. Konten, Einstellungen, Texte und Logo bleiben. Das lässt sich nicht rückgängig machen; es wird im Protokoll vermerkt. Eine eigene Strategie per Import ersetzt die Demodaten ebenfalls.
demo-admin-confirm = Ja, die Demodaten und alles, was daran geändert wurde, endgültig entfernen
demo-admin-button = Demodaten entfernen
demo-admin-confirm-missing = Bitte bestätigen Sie zuerst, dass die Demodaten endgültig entfernt werden sollen.
demo-admin-removed = Die Demodaten wurden entfernt. Die Seiten zeigen kein Demo-Banner mehr; laden Sie jetzt Ihre eigene Strategie über den Import.
demo-admin-none = Es sind keine Demodaten mehr vorhanden; nichts wurde geändert.
demo-import-replaces = Die Seiten zeigen noch die erfundenen Demodaten. Beim Übernehmen eines Imports werden sie vollständig ersetzt: die Vorschau zeigt deshalb jede Maßnahme als neu.
audit-demo-remove = Demodaten entfernt
