# Requests for offers: the form, the person's page, the provider's office, the mails.
request-start = Send a request
request-form-title = Send a request
request-back-to = Back to “{ $offer }”
request-field-date = Date
request-field-own-day = Another day (propose one)
request-field-proposed = Your preferred day
request-field-proposed-hint = Only needed if none of the dates above suits you. The provider accepts or proposes another day.
request-as-person = You are asking as { $person }.
request-guest-intro = You can ask without an account. We send you a link to confirm your e-mail address; only then does the request go to the provider.
request-field-name = Your name (contact person)
request-email-hint = Only the provider sees your address. We send the confirmation link and the answer there.
request-field-phone = Phone (optional)
request-field-institution = Institution (optional)
request-field-institution-hint = For example a day-care centre, a school or a senior home. Leave empty if you ask for yourself.
request-field-group = How many people?
request-field-ages = Ages of the group (optional)
request-field-ages-hint = For example “4 to 6 years”.
request-field-message = Your message to the provider (optional)
request-submit = Send request
request-free-places = { $count ->
    [0] fully booked
    [one] one place left
   *[other] { $count } places left
}
request-when-time = { $date }, { $time }
request-group-size = { $count ->
    [one] one person
   *[other] { $count } people
}
request-day-unknown = This date does not exist (any more). Please choose one of the dates shown.
request-day-missing = Please choose a date or propose a day.
request-day-invalid = Please give the day as a date, for example 2027-01-15.
request-day-past = This day is in the past. Please choose a coming day.
request-day-far = This day is more than a year ahead. Please choose an earlier one.
request-twice = You have already sent a request for this day. The link in our e-mail shows where it stands.
request-full = { $free ->
    [0] No place is left on this day. Please choose another day.
    [one] Only one place is left on this day. Please choose another day or a smaller group.
   *[other] Only { $free } places are left on this day. Please choose another day or a smaller group.
}
request-unchanged = This request has already been answered or withdrawn; nothing changed.
request-phone-invalid = The phone number is too long or holds characters that are not allowed.
request-institution-invalid = The institution's name may have at most 150 characters on one line.
request-group-invalid = Please give a number from 1 to 500.
request-ages-invalid = The ages may have at most 60 characters on one line.
request-message-invalid = The message may have at most 2000 characters.
request-reason-missing = Please give a reason; the person asking is told it.
request-note-invalid = The text may have at most 1000 characters.
request-sent-title = Request sent
request-sent-text = Thank you. The provider will answer by e-mail.
request-confirm-title = Please confirm your request
request-confirm-text = We have sent you an e-mail with a link. Only when you confirm your address does the request go to the provider and are the places held for you.
request-page-title = Your request
request-notice-sent = Your request is with the provider. You will get an e-mail as soon as they answer.
request-notice-confirmed = Thank you, your address is confirmed. The request is now with the provider.
request-notice-changed = Your answer is saved; the provider has been told.
request-state = State
request-state-all = All
request-state-unconfirmed = Please confirm your e-mail address. Only then does the request go to the provider.
request-state-open = Your request is with the provider. The places are held for you.
request-state-proposed = The provider proposes another day. Does it suit you?
request-state-accepted = The provider has accepted your request.
request-state-declined = Unfortunately the provider has declined your request.
request-state-withdrawn = You have withdrawn this request.
request-state-expired = This request has expired: the address was not confirmed in time, or the day has passed.
request-state-name-unconfirmed = not confirmed
request-state-name-open = open
request-state-name-proposed = another day proposed
request-state-name-accepted = accepted
request-state-name-declined = declined
request-state-name-withdrawn = withdrawn
request-state-name-expired = expired
request-note-from = Message from { $provider }:
request-offer = Offer
request-confirm-submit = Confirm address and send request
request-accept-proposal = Accept the proposed day
request-withdraw-title = Withdraw the request
request-withdraw-hint = If you cannot come, please withdraw the request. The places become free again.
request-withdraw-submit = Withdraw request
request-mine-title = Your requests
request-mine-none = You have not sent any requests yet.
request-find-offers = Find offers
account-requests-text = Your requests to providers and their answers:
request-office-link = Requests
request-office-title = Requests to { $provider }
request-office-back = Back to the requests
request-office-one-title = Request no. { $number }
request-office-decided = Your decision is saved; the person asking has been told by e-mail.
request-count = { $count ->
    [0] No requests
    [one] One request
   *[other] { $count } requests
}
request-bad-state = There is no such state.
request-filter = Show
request-who = Who
request-note = Reason or message
request-accept-title = Accept
request-accept-submit = Accept request
request-propose-title = Propose another day
request-propose-day = Proposed day
request-propose-words = Message (optional)
request-propose-submit = Propose day
request-decline-title = Decline
request-decline-reason = Reason
request-decline-submit = Decline request
request-mail-offer = Offer: { $offer }
request-mail-when = Date: { $when }
request-mail-group = Group: { $group }
request-mail-institution = Institution: { $institution }
request-mail-note = The provider's message: { $note }
request-mail-message = Message: { $message }
request-mail-confirm-subject = Please confirm your request: { $offer }
request-mail-confirm-text = You have asked { $provider } for “{ $offer }”. Please confirm your e-mail address with the link; only then does the request go to the provider.
request-mail-confirm-closing = If you did not send a request, you can simply delete this e-mail.
request-mail-sent-subject = Request sent: { $offer }
request-mail-sent-text = Your request for “{ $offer }” is with { $provider }. The places are held for you until the provider answers.
request-mail-accepted-subject = Request accepted: { $offer }
request-mail-accepted-text = { $provider } has accepted your request for “{ $offer }”. We look forward to seeing you.
request-mail-declined-subject = Request declined: { $offer }
request-mail-declined-text = Unfortunately { $provider } has declined your request for “{ $offer }”.
request-mail-proposed-subject = Another day proposed: { $offer }
request-mail-proposed-text = { $provider } proposes another day for “{ $offer }”. The places are held for you on that day.
request-mail-proposed-closing = With the link you accept the day or withdraw the request.
request-mail-closing = With the link you see where your request stands and can withdraw it.
request-mail-provider-new-subject = New request: { $offer }
request-mail-provider-new-text = { $name } asks for “{ $offer }”.
request-mail-provider-proposal-accepted-subject = Proposal accepted: { $offer }
request-mail-provider-proposal-accepted-text = { $name } has accepted the proposed day for “{ $offer }”.
request-mail-provider-withdrawn-subject = Request withdrawn: { $offer }
request-mail-provider-withdrawn-text = { $name } has withdrawn the request for “{ $offer }”. The places are free again.
request-mail-provider-closing = With the link you see the request and answer it.
