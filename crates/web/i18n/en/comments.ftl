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
comments-login = Sign in to join the discussion.
comments-new = Your comment
comments-body-hint = At most 5,000 characters. Allowed: **bold**, _italic_, lists, quotes (>) and links.
comments-submit = Publish comment
comments-official = Publish as “Answer of the city”
comment-official = Answer of the city
comment-edited = edited
comment-deleted-account = deleted account
comment-deleted = This comment was deleted by its author.
comment-hidden = This comment was hidden by the moderators.
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
