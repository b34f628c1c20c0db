# Ideas: the list, an idea's page, proposing, the city's answer, the moderation.
ideas-title = Ideas
ideas-lead = Here citizens propose new measures for the digital strategy. Support the ideas that matter to you and join the discussion. The city answers every idea.
ideas-propose = Propose an idea
ideas-filter = Filter ideas
ideas-field = Field of action
ideas-all-fields = All fields of action
ideas-status = Status
ideas-all-statuses = All statuses
ideas-apply = Show
ideas-count = { $count ->
    [0] No ideas
    [one] One idea
   *[other] { $count } ideas
}
ideas-sort = Order
ideas-sort-supported = Most supported
ideas-sort-newest = Newest
ideas-sort-status = By status
ideas-first = Back to the start of the list
ideas-more = More ideas
ideas-none = There are no ideas for this selection yet.
ideas-feed = New ideas as a feed (Atom)
ideas-feed-title = New ideas
ideas-bad-field = There is no such field of action.
ideas-bad-status = There is no such status. Possible: submitted, in_review, accepted, rejected.
ideas-bad-sort = There is no such order. Possible: supported, newest, status.
idea-status-submitted = submitted
idea-status-in_review = under review
idea-status-accepted = accepted
idea-status-rejected = rejected
idea-status-heading = Status of the idea
idea-status-since = since { $date }
idea-taken-up = The city takes the idea up in the measure
idea-byline = Proposed by { $name } on { $date }
idea-supports = { $count ->
    [0] No support yet
    [one] 1 supporter
   *[other] { $count } supporters
}
idea-comments = { $count ->
    [0] no comments
    [one] 1 comment
   *[other] { $count } comments
}
idea-description = What it is about
idea-benefit = Why it matters
idea-place = Place
idea-support-heading = Support
idea-support = Support this idea
idea-unsupport = Withdraw my support
idea-you-support = You support this idea.
idea-own = This is your idea.
idea-support-login = Sign in to support this idea.
idea-support-over = The city has decided on this idea; it can no longer be supported.
idea-own-support = You cannot support your own idea.
idea-decided = The city has decided on this idea; it can no longer be supported.
idea-bad-support = Please choose "support" or "withdraw".
idea-closed = Participation in this field of action is closed; new ideas are not possible at the moment.
idea-hidden = Hidden by the moderators: { $reason }
idea-decide-link = Change status
idea-moderate-link = Moderate idea
idea-propose-title = Propose an idea
idea-propose-lead = Propose a new measure. Before your idea is submitted we show you similar measures and ideas – your proposal may already exist.
idea-errors = Please check your entries
idea-field-label = Field of action
idea-field-choose = Please choose
idea-field-missing = Please choose a field of action.
idea-title-label = Title
idea-title-hint = 5 to 120 characters, for example "Free Wi-Fi in the city library".
idea-title-short = The title is too short: at least 5 characters.
idea-title-long = The title is too long: at most 120 characters.
idea-description-label = Description
idea-description-hint = What should happen? At least 20, at most 5,000 characters. Simple Markdown formatting is possible.
idea-description-short = Please describe your idea in a little more detail: at least 20 characters.
idea-description-long = The description is too long: at most 5,000 characters.
idea-benefit-label = Why does the idea matter?
idea-benefit-missing = Please say why the idea matters.
idea-benefit-long = The reason is too long: at most 2,000 characters.
idea-place-label = Place (optional)
idea-place-hint = A district, a street or an institution, if the idea belongs to a place.
idea-place-long = The place is too long: at most 200 characters.
idea-similar-heading = Similar measures and ideas
idea-similar-lead = Please check whether your idea exists already. If so, you can support or comment on it there. If not, submit your idea.
idea-similar-measures = Measures of the strategy
idea-similar-ideas = Ideas of others
idea-submit = Continue
idea-submit-anyway = Submit idea
idea-back-list = Back to the ideas
idea-back = Back to the idea
idea-decide-title = Status of the idea "{ $title }"
idea-reason-label = Answer of the city
idea-reason-hint = Shown publicly with the idea. A rejection needs a reason. At most 2,000 characters.
idea-reason-missing = Please give a reason for the rejection; it is shown publicly.
idea-reason-long = The answer is too long: at most 2,000 characters.
idea-measure-label = Measure that takes the idea up (when accepted)
idea-measure-hint = The address of the measure, for example "online-antraege" from /massnahmen/online-antraege.
idea-no-measure = This measure does not exist or is not published.
idea-decide-submit = Save status
idea-moderate-title = Moderate the idea "{ $title }"
idea-hide-reason = Public reason for hiding
idea-hide-hint = Shown instead of the idea: "Hidden by the moderators: …". At most 500 characters.
idea-hide = Hide idea
idea-show-again = Show again
idea-hide-missing = Please give a reason; it is shown instead of the idea.
idea-hide-long = The reason is too long: at most 500 characters.
idea-bad-action = Please choose "hide" or "show again".
idea-report-link = Report idea
idea-report-title = Report an idea
idea-report-text = Does this idea break the rules? The moderators look at every report. An idea reported several times is hidden until they have reviewed it.
idea-report-own = You cannot report your own idea.
idea-report-sent-text = The moderators will look at the idea. Each person counts once per idea.
idea-hidden-reported = This idea is hidden until the moderators have reviewed it.
idea-reports-heading = Reports since the last review
idea-keep = Reviewed: the idea stays visible
queue-ideas = Reported ideas
queue-ideas-none = No reported ideas.
queue-idea-reports = { $count ->
    [one] 1 report
   *[other] { $count } reports
}
queue-idea-hidden = hidden until reviewed
idea-held-title = Your idea is being reviewed
idea-held-text = The moderators look at your idea before it appears, usually within one working day.
queue-idea-held = held (word list or first post)
