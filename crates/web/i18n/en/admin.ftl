role-admin = Administration
role-editor = Editorial team
role-moderator = Moderation
role-organiser = Events
role-provider = Provider
role-citizen = Citizen
admin-users-title = People and roles
admin-audit-title = Audit log
admin-locked = locked
admin-save = Save
admin-unconfirmed = address not confirmed
admin-self = You cannot take the administration role from yourself or lock yourself out.
audit-at = When
audit-actor = Who
audit-action = What
audit-subject = Concerns
audit-before = Before
audit-after = After
audit-actor-cli = Command line
audit-user-roles = Roles changed
audit-user-lock = Account locked
audit-user-unlock = Account unlocked
audit-user-email_change = E-mail address changed
audit-subject-type = Kind of subject
audit-from = From (day)
audit-to = To (day)
audit-date-hint = Days as YYYY-MM-DD, in coordinated universal time (UTC); both days are included.
audit-total = { $count ->
    [0] No entries found.
    [one] 1 entry
   *[other] { $count } entries
}
audit-measure-update = Measure changed
audit-bad-action = “What” must be an action from the list (such as user.roles).
audit-bad-subject = “Kind of subject” must be a value from the list (such as user).
audit-bad-actor = “Who” must be a person from the list or “Command line”.
audit-bad-from = “From” must be a day as YYYY-MM-DD (such as 2026-03-01).
audit-bad-to = “To” must be a day as YYYY-MM-DD (such as 2026-03-31).
audit-bad-range = “To” must not be before “From”.
audit-bad-page = “Page” must be a whole number from 1.
audit-bad-lang = “Language” must be de or en.
audit-bad-query = The filters in the address cannot be read.
admin-measures-title = Edit measures
admin-edit-title = Edit measure
edit-field-title = Title
edit-field-progress = Progress in per cent
edit-progress-hint = Leave empty to compute the progress from the sub-measures.
edit-markdown-hint = Markdown: **bold**, *italic*, lists with “- ”, links as [text](https://…).
edit-title-invalid = The title must not be empty and at most 200 characters long.
edit-status-invalid = Please choose a status.
edit-progress-invalid = Progress is a whole number from 0 to 100.
edit-too-long = A text is too long: the summary at most 1,000 characters, the description 50,000, the goals 5,000, a name 200, a unit 50.
edit-conflict = Someone else has saved this measure in the meantime. Above is the stored version, below yours. Keep what should stay and save again.
edit-stored-version = Stored version
edit-your-version = Your version
edit-report = Status: { $from } → { $to }; progress: { $p0 } % → { $p1 } %
settings-title = Settings
settings-intro = These texts appear as public pages (imprint, privacy notice); Markdown is allowed.
settings-imprint = Imprint
settings-privacy = Privacy notice (leave empty for the version shipped with stadtradar)
settings-contact = Contact (shown in the imprint)
settings-saved = The settings are saved.
settings-too-long = A text is too long: at most 50,000 characters.
audit-setting-update = Setting changed
branding-logo = Logo
branding-logo-current = Current logo
branding-logo-none = No logo yet; the header shows the city's name.
branding-logo-file = Logo file
branding-logo-hint = PNG, JPEG, SVG or WebP, at most 512 KB. It appears in the header of every page, with the city's name as its alternative text.
branding-logo-upload = Upload logo
branding-logo-remove = Remove logo
branding-logo-saved = The logo is saved.
branding-logo-removed = The logo is removed.
branding-logo-broken = The form with the file did not arrive completely. Please try again.
branding-accent = Accent colour
branding-accent-label = Accent colour (#rrggbb)
branding-accent-hint = For example #1f4e8c; leave empty for the shipped colour. The colour needs a contrast of at least 4.5:1 against white (WCAG AA), since it sits behind white text and colours links on white.
branding-accent-saved = The accent colour is saved.
branding-accent-invalid = Please give the colour as # and six hexadecimal digits, such as #1f4e8c.
branding-accent-contrast = This colour has a contrast of only { $ratio }:1 against white; at least 4.5:1 is needed. Please choose a darker colour.
logo-empty = Please choose a logo file.
logo-too-large = The file is larger than 512 KB. Please upload a smaller file.
logo-type = This file is not a PNG, JPEG, SVG or WebP image.
logo-svg-unsafe = This SVG file contains scripts, event attributes, embedded HTML or references to other addresses and is not accepted.
audit-logo-update = Logo changed
audit-logo-remove = Logo removed
admin-nav = Back office sections
admin-new-measure = New measure
admin-measures-count = { $count ->
    [one] 1 measure
   *[other] { $count } measures
}
edit-none = – none –
edit-parent = Part of (parent measure)
edit-external-id = Identifier
edit-external-id-hint = For example the number from the council decision. Leave empty to derive it from the title. It cannot be changed later.
edit-state-hint = Drafts and archived measures are seen by the editors only; the preview shows them as the public will see them.
edit-public-page = Public page
edit-preview = Preview
edit-group-basics = Placement
edit-group-progress = Progress and period
edit-group-texts = Texts
edit-group-lists = Responsibility, target groups, tags
edit-lines-hint = One entry per line.
edit-rows-hint = To remove a row, empty its name. After saving, two new empty rows are ready.
edit-decision-number = Decision number { $n }
edit-decision-date = Decision date { $n }
edit-decision-url = Link to decision { $n }
edit-kpi-name = Indicator { $n }
edit-kpi-unit = Unit { $n }
edit-kpi-current = Current value { $n }
edit-kpi-target = Target value { $n }
edit-kpi-as-of = As of { $n }
edit-milestone-title = Milestone { $n }
edit-milestone-date = Due on { $n }
edit-milestone-reached = Milestone { $n } reached
edit-state-invalid = Please choose whether the measure is a draft, published or archived.
edit-field-invalid = Please choose a field of action.
edit-field-not-yours = You may only edit measures of the fields of action assigned to you.
edit-focus-invalid = This focus area does not exist.
edit-focus-other-field = The focus area belongs to another field of action.
edit-parent-invalid = This parent measure does not exist.
edit-parent-cycle = A measure cannot be part of itself or of one of its sub-measures.
edit-field-error = { $field }: { $reason }
edit-parent-not-yours = This parent measure belongs to a field of action you do not look after.
edit-old-parent-not-yours = The current parent measure belongs to a field of action you do not look after; only someone who looks after it can take the measure out of it.
edit-date-invalid = “{ $value }” is not a date (DD.MM.YYYY or YYYY-MM-DD).
edit-end-before-start = The planned end is before the planned start.
edit-year-invalid = “{ $value }” is not a target year between 2000 and 2100.
edit-url-invalid = “{ $value }” is not a web address (https://…).
edit-number-invalid = “{ $value }” is not a number.
edit-too-many = A list has more than 100 entries.
edit-decision-number-missing = A council decision needs a number.
edit-decision-twice = Decision “{ $value }” is in the list twice.
edit-kpi-name-missing = An indicator needs a name.
edit-milestone-title-missing = A milestone needs a title.
edit-external-id-invalid = The identifier may be at most 100 characters long and contain no control characters.
edit-external-id-taken = Another measure already has the identifier “{ $value }”.
audit-measure-create = Measure created
admin-strategy-title = Strategy and structure
admin-back = Back to the overview
strategy-field-title = Title of the strategy
strategy-field-city = Name of the city or municipality
strategy-city-hint = Shown in the header of every page, in titles and in the e-mails.
strategy-field-vision = Vision
strategy-title-invalid = The title of the strategy must not be empty and at most 200 characters long.
strategy-city-invalid = The name of the city must not be empty and at most 100 characters long.
strategy-vision-too-long = The vision is too long: at most 50,000 characters.
strategy-saved = The strategy has been saved.
strategy-taxonomy = Core areas, fields of action and focus areas
strategy-taxonomy-hint = The order here is the order on the radar and in the lists. Archived entries are no longer shown to the public; an entry can be archived once nothing below it is in use.
tax-kind-core_area = Core area
tax-kind-field = Field of action
tax-kind-focus_area = Focus area
tax-new-core_area = New core area
tax-new-field = New field of action
tax-new-focus_area = New focus area
tax-new-title = New: { $kind }
tax-edit-title = Edit { $kind }
tax-up = Move up
tax-down = Move down
tax-archive = Archive
tax-restore = Restore
tax-is-archived = This entry is archived and not visible to the public.
tax-field-slug = Address (short name)
tax-slug-hint = Lower-case letters, digits and hyphens; leave empty to derive it from the title. A changed address breaks old links.
tax-field-colour = Colour
tax-colour-hint-core = As #rrggbb, for example #1f4e8c. The colour needs at least 3:1 contrast against white.
tax-colour-hint = As #rrggbb; leave empty for the colour of the level above. At least 3:1 contrast against white.
tax-slug-invalid = “{ $value }” is not a valid address: lower-case letters, digits and hyphens only, at most 80 characters.
tax-slug-taken = The address “{ $value }” is already taken.
tax-too-long = Description or goals are too long: at most 10,000 characters.
tax-colour-required = A core area needs a colour.
tax-colour-invalid = “{ $value }” is not a colour in the form #rrggbb.
tax-colour-contrast = This colour has only { $ratio }:1 contrast against white; at least 3:1 is needed so the dots on the radar can be seen.
tax-parent-invalid = Please choose what the entry belongs to.
tax-no-strategy = First create the strategy above.
tax-in-use-core_area = { $count ->
    [one] The core area still has 1 field of action that is not archived.
   *[other] The core area still has { $count } fields of action that are not archived.
}
tax-in-use-field = { $count ->
    [one] 1 measure or focus area of this field of action is not archived yet.
   *[other] { $count } measures or focus areas of this field of action are not archived yet.
}
tax-in-use-focus_area = { $count ->
    [one] 1 measure of this focus area is not archived yet.
   *[other] { $count } measures of this focus area are not archived yet.
}
audit-strategy-update = Strategy changed
audit-core_area-create = Core area created
audit-core_area-update = Core area changed
audit-core_area-move = Core area moved
audit-core_area-archive = Core area archived
audit-core_area-restore = Core area restored
audit-field-create = Field of action created
audit-field-update = Field of action changed
audit-field-move = Field of action moved
audit-field-archive = Field of action archived
audit-field-restore = Field of action restored
audit-focus_area-create = Focus area created
audit-focus_area-update = Focus area changed
audit-focus_area-move = Focus area moved
audit-focus_area-archive = Focus area archived
audit-focus_area-restore = Focus area restored
admin-import-title = Import and export
import-intro = Upload a spreadsheet (CSV, separated by ; or , — Excel works) or a JSON file. You first see what would change; only “Apply” saves anything — all or nothing. Measures are matched by their identifier (external_id).
import-file = File
import-file-hint = CSV or JSON, at most { $mb } MB. Required columns: external_id, title, field, status.
import-check = Check
import-too-large = The file is too large: at most { $mb } MB.
import-unreadable = The file could not be read. Please upload it again.
import-no-file = Please choose a file.
import-errors = { $count ->
    [one] The file has 1 error; nothing was imported.
   *[other] The file has { $count } errors; nothing was imported.
}
import-errors-caption = Errors in the file
import-line = Line
import-column = Column or field
import-problem = Problem
import-preview-title = Import preview: { $file }
import-summary = { $new } new, { $changed } changed, { $unchanged } unchanged.
import-core-areas = { $count ->
    [one] The file brings 1 core area whose texts will be taken over.
   *[other] The file brings { $count } core areas whose texts will be taken over.
}
import-apply = Apply
import-cancel = Cancel
import-changes-caption = New and changed measures
import-what = Change
import-new = new
import-changed = changed
import-unchanged = unchanged
import-unchanged-list = { $count ->
    [one] 1 unchanged measure
   *[other] { $count } unchanged measures
}
import-is-applied = This file has been applied.
import-already-applied = This file has been applied already; it is not applied a second time.
import-now-invalid = The data has changed since the upload and the file no longer fits. Nothing was imported.
import-applied = Import applied: { $created } new, { $updated } changed, { $unchanged } unchanged.
import-export-title = Export
import-export-intro = The published strategy as a file, to edit in a spreadsheet and import again. Drafts and archived measures are not included.
audit-import-apply = Import applied
admin-home-title = Back office
admin-home-measures = Create, edit, publish and archive measures; preview drafts.
admin-home-strategy = Title, city and vision of the strategy; core areas, fields of action and focus areas.
admin-home-import = Take over a spreadsheet or JSON file with a preview; download the strategy.
admin-home-users = People, their roles and locks; the editors' fields of action.
admin-home-audit = Who changed what, and when.
admin-home-settings = Imprint, contact and privacy notice.
admin-home-drafts = { $count ->
    [one] 1 draft is waiting to be published.
   *[other] { $count } drafts are waiting to be published.
}
user-fields-title = Fields of action for { $name }
user-fields-link = Set fields of action
user-fields-hint = An editor with ticked fields of action may only create and edit their measures, and neither the strategy, its structure nor imports. Nothing ticked: every field of action.
user-fields-not-editor = This person does not have the editor role; the choice applies once they get it.
user-fields-saved = The fields of action have been saved.
audit-user-editor_fields = Editor's fields of action changed
edit-field-archived = This field of action is archived and can only hold archived measures. Restore it under “Strategy and structure” or choose another one.
edit-focus-archived = This focus area is archived; choose another one or restore it.
settings-city-where = The name of the city, the title and the vision of the strategy are changed under
settings-participation = Participation
settings-premoderation = Publish comments of guests only after the moderation has approved them
settings-threshold = Reports after which a comment is hidden until it has been checked
settings-threshold-hint = A number from 1 to 100; the default is 3.
settings-threshold-invalid = The number of reports must be between 1 and 100.
settings-participation-saved = The participation settings are saved.
settings-first-post = Publish the first comment of a new account only after the moderation has approved it
settings-words = Word list: the moderation checks contributions with these words before they are published
settings-words-hint = One word or phrase a line; case does not matter, only whole words count. Contributions of the city's staff are not held.
settings-words-too-long = The word list is too long: at most 10,000 characters.
