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
