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
