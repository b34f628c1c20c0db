# Events and their programme: the list, an event's page by time slot, a session's page.
programme-title = Events
programme-lead = Digital days, workshops and online seminars of the city and its partners: programme, sessions and speakers.
programme-none = No events are announced at the moment.
programme-cancelled = Cancelled
programme-sessions = { $count ->
    [0] no sessions
    [one] one session
   *[other] { $count } sessions
}
programme-pages = Pages of the list
programme-previous = Previous page
programme-next = Next page
programme-bad-page = The page must be a number from 1 to 10000.
programme-back = All events
programme-back-to = Back to “{ $event }”
programme-when = When
programme-organiser = Organiser
programme-where = Where
programme-fee = Participation
programme-free = free of charge
programme-capacity = Places
programme-places = { $count ->
    [one] one place
   *[other] { $count } places
}
programme-measures = Related measures
programme-programme = Programme
programme-no-sessions = The programme will be announced.
programme-slots = Time slots of the programme
programme-slot = From { $time }
programme-time-range = { $from }–{ $to }
programme-span-day = { $day }, { $from }–{ $to }
programme-span-days = { $from_day }, { $from } to { $to_day }, { $to }
programme-attendance-in_person = on site
programme-attendance-online = online
programme-attendance-mixed = on site and online
programme-role-speaker = Speaker
programme-role-moderator = Moderator
programme-role-host = Host
programme-role-guest = Guest
programme-session-confirmed = Takes place
programme-session-cancelled = This session is cancelled.
programme-session-moved = This session has been moved.
programme-sign-language = Sign language
programme-live-captions = Live captions
programme-easy-language = Easy-read language
programme-language = Language
programme-language-en = in English
programme-room = Room
programme-format = Format
programme-track = Topic
programme-services = Accessibility
programme-people = Contributors
programme-abstract = What it is about
programme-recording = Watch the recording
programme-not-recorded = This session is not recorded.
programme-summary = Summary
programme-empty = Please fill this in.
programme-too-short = The text is too short.
programme-too-long = The text is too long.
programme-end-before-start = The end must come after the start.
programme-event-too-long = An event lasts at most 31 days.
programme-session-too-long = A session lasts at most 12 hours.
programme-session-outside-event = The session must lie within the event.
programme-place-missing = Please give the place.
programme-fee-invalid = The participation fee must be between 0 and 1,000 euros.
programme-fee-note-missing = Please say how the participation fee is paid.
programme-capacity-invalid = The number of places must be at least 1.
programme-registration-window-invalid = Registration must close after it opens.
programme-language-invalid = Please give the language as a code, for example “de” or “en”.
programme-too-many-people = A session has at most 20 contributors.
programme-person-name-invalid = Every name needs 2 to 120 characters.
programme-calendar-event = Programme for your calendar (iCal)
programme-calendar-session = Session for your calendar (iCal)
programme-schedule = Schedule for programme apps (frab):
programme-grid-title = Programme: { $event } by room and time
programme-no-room = No room
programme-view-slots = View: by time slot
programme-view-grid = by room and time (table)
programme-grid-time = Start
programme-grid-caption = Sessions of a day: rooms in the columns, start times in the rows

# Registration: the page with the form, a registration's own page, the mails.
registration-title = Registration: { $what }
registration-places-unlimited = No limit
registration-places-free = { $free } of { $count } places left
registration-places-full = { $count ->
    [0] Fully booked – registrations go on the waiting list
    [one] Fully booked – one person is on the waiting list
   *[other] Fully booked – { $count } people are on the waiting list
}
registration-full-hint = All places are taken. You can join the waiting list: when a place frees up, we offer it by e-mail in turn.
registration-as = You register as { $name } ({ $email }).
registration-submit = Register
registration-submit-waiting = Join the waiting list
registration-guest-intro = Without an account: we send you a link to confirm your registration. With an account it takes one click:
registration-name = Your name
registration-email-hint = For the confirmation, the date and news about this event. The organisers see your name and address; both are deleted 30 days after the event.
registration-name-missing = Please enter your name.
registration-name-invalid = The name may be at most 100 characters long and may not contain control characters.
registration-closed = Registration is closed.
registration-cancelled = The event is cancelled; registration is not possible.
registration-opens = Registration opens on { $day } at { $time }.
registration-offer-expired = The offer has run out: the place went to the next person on the waiting list.
registration-unchanged = This registration can no longer be changed this way.
registration-sent-title = Almost done
registration-sent-text = We have sent you an e-mail. Please confirm your registration with the link in it; only then does it count. The link is valid for 48 hours.
registration-page-title = Your registration
registration-for = For
registration-state-unconfirmed = Please confirm your registration. Only then do you get a place or a place on the waiting list.
registration-state-confirmed = You are registered.
registration-state-waiting = { $position ->
    [one] You are next on the waiting list.
   *[other] You are number { $position } on the waiting list.
}
registration-state-offered = A place has become free: it is held for you until { $day }, { $time }. Please accept it.
registration-state-cancelled = This registration is cancelled.
registration-state-lapsed = The offer has run out; the place went to the next person on the waiting list.
registration-state-expired = The registration was not confirmed in time and has lapsed.
registration-confirm-submit = Confirm registration
registration-accept-submit = Accept the place
registration-join-title = Join now
registration-join = Go to the virtual room
registration-join-later = The links to the virtual rooms appear here 15 minutes before each session starts.
registration-calendar = Add the date to your calendar (iCal)
registration-cancel-title = Cancel
registration-cancel-hint = If you cannot take part, please cancel: someone from the waiting list then gets your place.
registration-cancel-submit = Cancel registration
registration-decline-hint = If you do not need the place, pass it on right away.
registration-decline-submit = Decline the place
registration-what-session = { $session } ({ $event })
registration-mail-confirm-subject = Please confirm your registration: { $what }
registration-mail-confirm-text = You registered for “{ $what }”. Please confirm your e-mail address; only then does the registration count.
registration-mail-confirmed-subject = Registration confirmed: { $what }
registration-mail-confirmed-text = You are registered for “{ $what }”. The date is attached to this e-mail.
registration-mail-waiting-subject = Waiting list: { $what }
registration-mail-waiting-text = “{ $what }” is fully booked. You are number { $position } on the waiting list. When a place frees up, we offer it to you by e-mail.
registration-mail-already-subject = Your registration: { $what }
registration-mail-already-text = This e-mail address is already registered for “{ $what }”. Nothing has changed.
registration-mail-offer-subject = A place is free: { $what }
registration-mail-offer-text = A place for “{ $what }” has become free. It is held for you until { $day }, { $time }.
registration-mail-when = When: { $when }
registration-mail-fee = Participation fee: { $fee }.
registration-mail-link = With this link you see your registration, download the date or cancel:
registration-mail-link-confirm = With this link you confirm the registration (valid for 48 hours):
registration-mail-link-offer = With this link you accept or decline the place:
registration-mail-ignore = If this was not you, you can ignore this e-mail.
registration-mail-cancel-hint = If you cannot take part, please cancel with the link: someone from the waiting list then gets your place.
registration-mail-waiting-closing = You can leave the waiting list with the link at any time.
registration-mail-offer-closing = If you do not accept the place by then, it goes to the next person on the waiting list.
programme-registration = Registration
programme-register = Register
programme-register-until = Registration until { $day }, { $time }
registration-login = Sign in with your account

# The organisers' side: their events, registrations, check-in, the export.
office-title = Organise
office-lead = Your events with their registrations: lists by state, check-in and attendance, the participants as CSV.
office-none = You do not run any event yet.
office-events-caption = Your events, newest first
office-event = Event
office-state = State
office-registrations = Registrations
office-registrations-short = { $confirmed } registered, { $waiting } waiting
office-state-draft = draft
office-state-published = published
office-state-cancelled = cancelled
office-back = All your events
office-registrations-title = Registrations: { $event }
office-public-page = Public page of “{ $event }”
office-csv = Download the participants as CSV
office-figures-caption = Registrations by place and state.
office-figures-over = The event is over: with no-shows and attendance.
office-place = For
office-whole-event = whole event
office-unlimited = unlimited
office-checked-in = checked in
office-no-shows = no-shows
office-rate = attendance
office-list = List
office-tabs = Registrations by state
office-tab-confirmed = registered
office-tab-offered = place offered
office-tab-waiting = waiting list
office-tab-unconfirmed = unconfirmed
office-tab-cancelled = cancelled
office-list-empty = There are no registrations in this state.
office-registered = registered on
office-check-in = Check-in
office-checked-in-at = checked in at { $time }
office-check-in-submit = Check in { $name }
office-check-out-submit = Undo the check-in of { $name }
office-more = More registrations
office-bad-status = Unknown state of the list.
office-bad-after = Where the list goes on must be a number.
office-bad-check-in = Please choose whether the person is checked in or not.
