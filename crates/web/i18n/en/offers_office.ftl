# Offers, the back office: the admins' side (providers to approve, categories, districts and postcodes).
offers-admin-providers-title = Providers
offers-admin-providers-lead = Whoever wants to list offers signs up a provider. Only once you approve it are its published offers public; the people who manage it get the provider role with the approval.
offers-admin-providers-count = { $count ->
    [0] No providers yet.
    [one] One provider.
   *[other] { $count } providers.
}
offers-admin-pending-count = { $count ->
    [0] None is waiting for approval.
    [one] One is waiting for approval.
   *[other] { $count } are waiting for approval.
}
offers-admin-none = No provider has signed up yet.
offers-admin-errors = Please check this:
offers-admin-state = Status
offers-admin-state-pending = waiting for approval
offers-admin-state-approved = approved
offers-admin-state-declined = declined
offers-admin-declined-because = declined: { $reason }
offers-admin-district = District
offers-admin-no-district = no district
offers-admin-created = Signed up on
offers-admin-offers = Published offers
offers-admin-approve = Approve
offers-admin-decline = Decline
offers-admin-decline-legend = Decline “{ $name }”
offers-admin-reason = Reason
offers-admin-reason-hint = Required, at most 500 characters. It is kept with the provider.
offers-admin-reason-missing = Please give a reason for declining.
offers-admin-reason-too-long = The reason may be at most 500 characters long.
offers-admin-member-legend = Add a person who manages “{ $name }”
offers-admin-member-email = E-mail address of their account
offers-admin-member-hint = The person needs an account. If the provider is approved, they get the provider role.
offers-admin-member-add = Add person
offers-admin-email-missing = Please enter the person's e-mail address.
offers-admin-email-unknown = There is no account with this e-mail address. The person has to sign up first.
offers-admin-approved = The provider is approved: its published offers are public now, and the people who manage it have the provider role.
offers-admin-declined = The provider is declined. Nothing of it is public.
offers-admin-member-added = The person now manages the provider too.
offers-admin-places-title = Places and categories
offers-admin-places-lead = The categories of the directory of offers, and the city's districts and postcodes with their centres.
offers-admin-places-hint = Distances in the directory of offers are measured from these centres. No map service is asked: you enter the coordinates here yourself, read off a map, for example.
offers-admin-places-list = Go to the directory of offers
offers-admin-categories = Categories
offers-admin-categories-count = { $count ->
    [0] No categories yet.
    [one] One category.
   *[other] { $count } categories.
}
offers-admin-category = Category
offers-admin-category-rename = Rename
offers-admin-category-rename-hint = Renaming keeps the category's address; links to it keep working.
offers-admin-category-new-name = New name for “{ $name }”
offers-admin-category-new = New category
offers-admin-category-add = Add category
offers-admin-name = Name
offers-admin-name-invalid = The name needs 2 to 80 characters, letters or digits among them.
offers-admin-category-taken = There already is a category with this or a very similar name.
offers-admin-category-added = The category is added.
offers-admin-category-renamed = The category is renamed.
offers-admin-districts = Districts
offers-admin-districts-count = { $count ->
    [0] No districts yet.
    [one] One district.
   *[other] { $count } districts.
}
offers-admin-centre = Centre (latitude, longitude)
offers-admin-centre-optional = Centre (latitude, longitude), optional
offers-admin-centre-hint = In degrees with a decimal point, for example 50.93, 10.10.
offers-admin-centre-invalid = Enter the centre as latitude and longitude in degrees, for example 50.93, 10.10.
offers-admin-centre-needed = Enter a centre or choose a district whose centre is taken.
offers-admin-actions = Actions
offers-admin-remove = Remove
offers-admin-district-remove-hint = Postcodes and offers of a removed district keep their coordinates and only lose the district.
offers-admin-district-form = Add or move a district
offers-admin-district-form-hint = With the name of an existing district you move its centre.
offers-admin-district-save = Save district
offers-admin-district-similar = There already is the district “{ $name }” with an almost identical name. Write it exactly like that to move its centre.
offers-admin-district-unknown = There is no such district. Choose one from the list.
offers-admin-district-saved = The district is saved.
offers-admin-district-removed = The district is removed.
offers-admin-postcodes = Postcodes
offers-admin-postcodes-count = { $count ->
    [0] No postcodes yet.
    [one] One postcode.
   *[other] { $count } postcodes.
}
offers-admin-postcode = Postcode
offers-admin-postcode-hint = Five digits. An existing postcode gets the chosen district and centre.
offers-admin-postcode-centre-hint = Leave it empty to take the chosen district's centre. Otherwise in degrees with a decimal point, for example 50.93, 10.10.
offers-admin-postcode-form = Add or change a postcode
offers-admin-postcode-save = Save postcode
offers-admin-code-invalid = A postcode has exactly five digits, for example 36251.
offers-admin-postcode-saved = The postcode is saved.
offers-admin-postcode-removed = The postcode is removed.
offers-admin-mail-approved-subject = Your provider “{ $provider }” is approved – { $site }
offers-admin-mail-approved-text = The city has approved “{ $provider }”. Your published offers are public now, and you can list more:
offers-admin-mail-declined-subject = Your provider “{ $provider }” was not approved – { $site }
offers-admin-mail-declined-text = The city has not approved “{ $provider }”. The reason: { $reason }
offers-admin-mail-closing = If you have questions, please do not reply to this e-mail but contact the city.

## A provider's logo (the details page, the admins' list)
provider-logo = Logo
provider-logo-hint = The logo appears on the provider's public page and beside its name on each of its offers.
provider-logo-current = Current logo
provider-logo-file = Logo file (PNG, JPEG or WebP, at most 512 KB)
provider-logo-file-hint = No SVG. The image is shown smaller on the page, keeping its proportions.
provider-logo-file-hint-replace = A new file replaces the current logo. Without a file only the alternative text changes.
provider-logo-alt = Alternative text
provider-logo-alt-hint = What the logo shows, in words, for people who cannot see it, e.g. “Logo of the city library: an open book”. Required, at most 200 characters.
provider-logo-upload = Save logo
provider-logo-remove = Remove logo
provider-logo-saved = The logo has been saved.
provider-logo-removed = The logo has been removed.
provider-logo-alt-missing = Please describe the logo in words (alternative text).
provider-logo-alt-long = The alternative text is too long (at most 200 characters).
provider-logo-empty = Please choose a logo file.
provider-logo-too-large = The logo is too large (at most 512 KB).
provider-logo-type = This file is not an image in PNG, JPEG or WebP format. SVG files are not possible.
provider-logo-broken = The logo file is damaged or incomplete.
provider-logo-dimensions = The logo is too large (at most 4000 × 4000 pixels).
offers-admin-logo = Logo
offers-admin-no-logo = no logo
offers-admin-edit-details = Edit details and logo
