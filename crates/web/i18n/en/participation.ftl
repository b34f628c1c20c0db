# Participation: ratings
rating-heading = Rating
rating-question = How important is this measure to you?
rating-none = Nobody has rated this measure yet.
rating-mean = Average { $mean } out of 5 from { $count ->
    [one] one rating
   *[other] { $count } ratings
}
rating-table = Distribution of the ratings
rating-col-value = Rating
rating-col-count = Number
rating-col-share = Share
rating-value-1 = not important at all
rating-value-2 = slightly important
rating-value-3 = moderately important
rating-value-4 = important
rating-value-5 = very important
rating-login = Sign in to rate this measure.
rating-save = Save rating
rating-yours = Your rating: { $value } out of 5.
rating-withdraw = Withdraw rating
rating-choose = Please choose a rating from 1 to 5.
windows-title = Participation windows
windows-intro = Here you decide when discussions take new comments, replies and upvotes: for the whole strategy, a field of action or a measure. The most specific window applies (measure before field before strategy). A closed discussion stays readable.
windows-strategy = Whole strategy: { $title }
windows-field = Field of action: { $title }
windows-measure-row = Measure: { $title }
windows-mode = Discussion
windows-mode-inherit = As above (no window of its own)
windows-mode-open = Open (between the dates, if given)
windows-mode-closed = Closed
windows-opens = Open from (optional)
windows-closes = Open until, inclusive (optional)
windows-closes-hint = The discussion closes at 0:00 (UTC) of the day after.
windows-state-none = No window of its own: the one above applies (without any window the discussion is open).
windows-state-open = Open.
windows-state-open-until = Open until { $date } inclusive.
windows-state-not-yet = Opens on { $date }.
windows-state-closed = Closed since { $date }.
windows-measure = Set a window for a measure
windows-measure-label = Measure
windows-saved = The participation window is saved.
windows-bad-scope = Unknown scope for a participation window.
windows-bad-mode = Please choose whether the discussion is open or closed.
windows-bad-date = Please give dates as YYYY-MM-DD.
windows-bad-order = The end must come after the start.
windows-not-yours = You may not change this window: the strategy is the administration's, fields of action and measures belong to their editorial team.
