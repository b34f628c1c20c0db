# Demo data: the banner on every page while the demo strategy is loaded, and its removal.
demo-banner-title = Demo data – this city is made up
demo-banner-text = Musterstadt and all measures, reports and figures on these pages are examples for trying out the platform. They describe no real city and no real decisions.
demo-admin-title = Remove the demo data
demo-admin-warning = The pages still show the made-up demo strategy “Musterstadt”. Removing it deletes the whole strategy: all measures, progress reports, core areas, fields of action and focus areas – including what was changed or added in the back office since. Accounts, settings, texts and the logo stay. This cannot be undone; it is recorded in the audit log. Importing your own strategy replaces the demo data as well.
demo-admin-confirm = Yes, remove the demo data and everything changed in it for good
demo-admin-button = Remove the demo data
demo-admin-confirm-missing = Please confirm first that the demo data is to be removed for good.
demo-admin-removed = The demo data was removed. The pages no longer show the demo banner; now load your own strategy with the import.
demo-admin-none = There is no demo data left; nothing was changed.
demo-import-replaces = The pages still show the made-up demo data. Applying an import replaces it completely, so the preview shows every measure as new.
audit-demo-remove = Demo data removed
