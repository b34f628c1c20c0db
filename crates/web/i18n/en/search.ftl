# One search over everything: the page, the header's field, the kinds.
search-title = Search
search-site = Search the site
search-form = Search measures, ideas, events, offers, volunteering and providers
search-q = Search term
search-site-q = Keyword for the whole site
search-submit = Search
search-hint = Search measures, ideas, events, sessions, offers, volunteering roles and providers. Every word must occur; “Schulen” also finds “Schule”.
search-kinds = Results by kind
search-pages = Pages of the results
search-none-here = There are no more results on this page.
search-found = { $count ->
    [0] Nothing found. Try fewer or other words.
    [one] One result found.
   *[other] { $count } results found.
}
search-kind-all = All ({ $count })
search-kind-measures = Measures ({ $count })
search-kind-ideas = Ideas ({ $count })
search-kind-events = Events ({ $count })
search-kind-sessions = Sessions ({ $count })
search-kind-offers = Offers ({ $count })
search-kind-roles = Volunteering ({ $count })
search-kind-providers = Providers ({ $count })
search-all-measures = Show all { $count } measures
search-all-ideas = Show all { $count } ideas
search-all-events = Show all { $count } events
search-all-sessions = Show all { $count } sessions
search-all-offers = Show all { $count } offers
search-all-roles = Show all { $count } volunteering roles
search-all-providers = Show all { $count } providers
search-bad-q = The search term may be at most 200 characters long.
search-bad-kind = The kind must be measures, ideas, events, sessions, offers, roles or providers.
search-bad-page = The page must be a number from 1 to 10000.
search-page-needs-kind = Further pages exist only for one kind of result (kind).
