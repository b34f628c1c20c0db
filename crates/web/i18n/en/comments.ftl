# Comments: the discussion under a measure
comments-heading = Discussion
comments-count = { $count ->
    [0] No comments yet.
    [one] One comment
   *[other] { $count } comments
}
comments-sort = Order
comments-sort-newest = Newest first
comments-sort-oldest = Oldest first
comments-sort-supported = Most supported
comments-more = More comments
comments-first = To the start of the discussion
comments-page-title = Discussion: { $title }
comments-back = Back to the measure “{ $title }”
comments-new = Your comment
comments-body-hint = At most 5,000 characters. Allowed: **bold**, _italic_, lists, quotes (>) and links.
comments-submit = Publish comment
comments-official = Publish as “Answer of the city”
comment-official = Answer of the city
comment-edited = edited
comment-deleted-account = deleted account
comment-deleted = This comment was deleted by its author.
comment-upvotes = { $count ->
    [one] 1 supporter
   *[other] { $count } supporters
}
comment-upvote = Support
comment-upvoted = Withdraw support
comment-reply = Reply
comment-edit = Edit
comment-delete = Delete
comment-permalink = Link to this comment
comment-all-replies = { $count ->
    [one] Show the reply
   *[other] Show all { $count } replies
}
comment-more-replies = More replies
comment-earlier-replies = Earlier replies
comment-thread-title = Comment by { $name }
comment-on = To the discussion of the measure “{ $title }”
comment-reply-title = Reply to a comment
comment-reply-submit = Publish reply
comment-edit-title = Edit comment
comment-edit-hint = You can edit your comment for 15 minutes after publishing it.
comment-edit-submit = Save changes
comment-delete-title = Delete comment
comment-delete-text = Do you want to delete this comment? Replies to it stay; in its place it then says “deleted”.
comment-delete-submit = Yes, delete the comment
comment-cancel = Cancel
comment-empty = Please write a text.
comment-too-long = The text is too long: at most 5,000 characters.
comment-too-deep = This reply cannot be answered further: discussions go three levels deep.
comment-parent-closed = This comment can no longer be answered.
comment-not-author = Only its author can change this comment.
comment-edit-over = The 15 minutes for editing are over.
comment-gone = This comment is deleted or hidden.
comment-own = You cannot support your own comment.
comment-not-official = Only the editors of this field of action and the administrators can answer as the city.
comment-rate-limited = You have written many posts in a short time. Please wait a moment.
comment-vote-value = Invalid choice: 1 supports, 0 withdraws the support.
comments-bad-sort = Unknown order: newest, oldest and supported are allowed.
comments-bad-cursor = Invalid position in the discussion.
comment-reply-label = Your reply
guest-intro = You can join the discussion as a guest: with a name and your e-mail address, to which we send a link for confirming. With an account, no confirmation is needed:
guest-login = Log in
guest-name = Your name (shown)
guest-name-hint = 2 to 60 characters, for example your first name.
guest-email = Your e-mail address
guest-email-hint = Your e-mail address is not published. We send you a link with which you confirm the comment.
guest-honeypot = Please leave this field empty.
guest-label = guest
guest-name-invalid = Please give a name of 2 to 60 characters (without @ and angle brackets).
guest-sent-title = Almost done: please confirm your comment
guest-sent-text = We have sent you an e-mail with a link. Your comment appears once you confirm it; without confirmation it is deleted after 48 hours.
guest-confirm-title = Confirm your comment
guest-confirm-text = With the button you confirm that you wrote this comment, and publish it.
guest-confirm-submit = Publish the comment
guest-confirmed-used = This comment is confirmed already.
guest-held-title = Thank you, your comment is confirmed
guest-held-text = The moderation checks comments of guests before they appear. Your comment is published once it has been checked.
comment-hidden = Hidden by the moderation: { $reason }
comment-hidden-reported = This comment is hidden until the moderation has checked it: it was reported several times.
comment-report = Report
report-title = Report a comment
report-text = Does this comment break the rules of the discussion? The moderation checks every report. A comment reported several times is hidden until it has been checked.
report-reason = Reason for the report
report-reason-spam = Advertising or spam
report-reason-abusive = Abusive
report-reason-off_topic = Off topic
report-reason-personal_data = Contains personal data
report-reason-other = Other
report-note = Note for the moderation (optional)
report-note-hint = At most 500 characters. Not published.
report-submit = Send the report
report-no-reason = Please choose a reason.
report-note-too-long = The note is too long: at most 500 characters.
report-own = You cannot report your own comment; you can delete it.
report-sent-title = Thank you for your report
report-sent-text = The moderation checks the comment. Each person counts once per comment.
queue-title = Moderation
queue-count = { $count ->
    [0] Nothing waits for a review.
    [one] One comment waits for a review.
   *[other] { $count } comments wait for a review.
}
queue-empty = The queue is empty.
queue-held = Waiting for approval
queue-reason = Public reason for hiding
queue-reason-hint = Shown in place of the comment: "Hidden by the moderation: …". At most 500 characters.
queue-reason-missing = Please give a reason; it is shown in place of the comment.
queue-hide = Hide
queue-show = Show again
queue-publish = Approve
queue-keep = Reviewed, stays
queue-next = More comments
queue-decision-invalid = Unknown decision: allowed are hide, show and keep.
queue-done-hide = The comment is hidden.
queue-done-show = The comment is shown.
queue-done-keep = The comment is reviewed and stays.
queue-on = Discussion "{ $title }"
comments-open-until = Contributions are possible until { $date } inclusive.
comments-not-yet = The discussion starts on { $date }. Until then, no contributions are possible.
comments-closed = The discussion has been closed since { $date }. All contributions stay readable.
comments-session-closed = This event or session is cancelled: the discussion takes no new contributions. All contributions stay readable.
comment-closed = The discussion is closed: no new contributions or upvotes are possible.
comment-blocked = Your account is blocked from posting by the moderation.
comment-author-blocked = Contributions of this person are hidden by the moderation.
comment-held-title = Thank you, your comment is being checked
comment-held-text = The moderation looks at this comment before it appears. This usually happens within a working day.
queue-block = Block { $name }
queue-unblock = Unblock { $name }
queue-blocked = Blocked people
queue-blocked-none = Nobody is blocked.
queue-blocked-since = since { $date }
queue-block-value = Invalid choice: 1 blocks, 0 unblocks.
queue-block-staff = The city's staff cannot be blocked; their roles are managed by the administration.
queue-done-block = The person is blocked: their contributions are hidden, new ones are not possible.
queue-done-unblock = The block is lifted.
comments-updated = The discussion has been updated.
comments-feed = Subscribe to the discussion as a feed (Atom)
comment-guest-blocked = This e-mail address is blocked from posting by the moderators.
queue-block-guest = Block guest "{ $name }"
queue-blocked-guests = Blocked guests
queue-blocked-guests-none = No guests are blocked.
queue-guest-name = { $name } (guest)
queue-done-guest-block = The guest is blocked: their comments are hidden, new ones are refused.
queue-done-guest-unblock = The guest's block is lifted.
