# Follows and notifications.
nav-notifications = Notifications
nav-notifications-unread = { $count ->
    [one] Notifications (1 new)
   *[other] Notifications ({ $count } new)
}
follow-login-measure = Sign in to follow this measure
follow-login-field = Sign in to follow this field of action
follow-start-measure = Follow this measure
follow-start-field = Follow this field of action
follow-hint = You will then be notified when there is news.
follow-yes-measure = You follow this measure.
follow-yes-field = You follow this field of action.
follow-stop = Unfollow
follow-choose = Please choose "Follow" or "Unfollow".
follow-kind-measure = Measure
follow-kind-field = Field of action
follow-kind-idea = Idea
follow-untitled = No. { $id } (no longer public)
follows-title = What you follow
follows-empty = You do not follow anything yet. Choose "Follow" on the page of a measure or a field of action.
notifications-title = Notifications
notifications-unread = { $count ->
    [one] One unread notification.
   *[other] { $count } unread notifications.
}
notifications-all-read = All read.
notifications-settings-link = Notification settings
notifications-mark-all = Mark all as read
notifications-mark-read = Mark as read
notifications-new = New:
notifications-empty = You have no notifications yet. Follow a measure or write a comment, and you will find news and replies here.
notifications-no-more = No more notifications.
notifications-more = Older notifications
notifications-newest = To the newest notifications
notifications-choose = Please choose a notification or "Mark all as read".
notification-someone = Someone
notification-progress = New progress report: { $title }
notification-reply = { $actor } replied to your comment on "{ $title }"
notification-official = Answer of the city on "{ $title }"
notification-idea-status = New status of the idea "{ $title }": { $status }
notification-moderation-hidden = Your comment on "{ $title }" was hidden by the moderation
notification-moderation-shown = Your comment on "{ $title }" is shown again
notification-moderation-approved = Your comment on "{ $title }" was approved by the moderation
notification-reason = Reason: { $reason }
notification-settings-title = Notification settings
notification-settings-intro = Choose for each kind of notification whether and how you hear of it. The daily digest comes once a day around { $time } (German time), only when there is news.
notification-settings-saved = Your settings are saved.
notification-settings-save = Save settings
notification-settings-choose = Please choose how you want to hear of "{ $kind }".
notification-unfollowed = You no longer follow it.
notification-auto-follow = Follow what I write on (a comment or a reply follows the measure)
notification-kind-progress = Progress reports
notification-kind-progress-hint = On measures and fields of action you follow.
notification-kind-reply = Replies to my comments
notification-kind-reply-hint = When someone replies to one of your comments.
notification-kind-official = Answers of the city
notification-kind-official-hint = In discussions you follow or wrote in.
notification-kind-idea_status = Status of my ideas
notification-kind-idea_status-hint = When the status of an idea you proposed or follow changes.
notification-kind-moderation = Decisions of the moderation
notification-kind-moderation-hint = When the moderation hides, shows again or approves one of your comments.
notification-delivery-off = Not at all
notification-delivery-app = Only here on the website
notification-delivery-digest = Here and in a daily e-mail digest
notification-delivery-immediate = Here and by e-mail at once
notification-mail-subject = { $count ->
    [one] One new notification – { $site }
   *[other] { $count } new notifications – { $site }
}
notification-mail-intro = { $count ->
    [one] there is news on what you follow:
   *[other] there are { $count } news on what you follow:
}
notification-mail-why = You receive this e-mail because you chose notifications by e-mail. Settings:
notification-mail-unsubscribe = No more notifications by e-mail (one click, no sign-in):
unsubscribe-title = Unsubscribe from notification e-mails
unsubscribe-text = Do you no longer want notifications by e-mail? Your notifications on the website stay.
unsubscribe-submit = Unsubscribe from e-mails
unsubscribe-done = You will no longer receive notifications by e-mail.
unsubscribe-done-more = You still see your notifications on the website, where you can also turn e-mails on again:
unsubscribe-bad-link = This unsubscribe link is not valid. Please use the link of the latest e-mail, or change your settings under "Account" after signing in.
settings-digest-time = Time of the daily digest
settings-digest-time-hint = German time, as HH:MM, for example 07:00. At this time everyone with news gets one e-mail with their notifications.
settings-digest-time-invalid = Please give the time as HH:MM, for example 07:00.
account-notifications = Notifications
account-notifications-text = Choose what you want to hear of and whether by e-mail, and see what you follow:
follow-login-idea = Sign in to follow this idea
follow-start-idea = Follow idea
follow-yes-idea = You follow this idea.
