//! The frame of every page (header, navigation, language switch, footer) and the small view
//! pieces that many pages share: selects, pagination, rendering a template.

use crate::AppState;
use crate::error::AppError;
use crate::extract::Ctx;
use crate::i18n::Tr;
use crate::radar::params::Params;
use askama::Template;
use axum::response::{Html, IntoResponse, Response};

/// The frame of every page: language, site name, current navigation item, language switch.
pub struct Chrome {
    pub t: Tr,
    pub site: String,
    pub nav: &'static str,
    pub lang_href: String,
    /// `?lang=xx` when the reader chose a language on the URL, for the navigation links.
    pub lq: String,
    /// Display name of the signed-in person.
    pub user: Option<String>,
    /// The signed-in person is an admin (users, audit log, settings).
    pub admin: bool,
    /// The signed-in person may use the back office (editors and admins).
    pub staff: bool,
    /// The signed-in person moderates the discussions (moderators and admins).
    pub moderator: bool,
    /// The signed-in person runs events (organisers and admins).
    pub organiser: bool,
    /// The signed-in person lists offers of a provider (the `provider` role).
    pub provider: bool,
    /// The URL of the city's logo, if one is uploaded.
    pub logo: Option<String>,
    /// The strategy is demo data: every page shows the demo banner (`store::demo`).
    pub demo: bool,
    /// The signed-in person's unread notifications (shown with the link to the list).
    pub unread: i64,
}

impl Chrome {
    pub fn new(t: Tr, site: &str, nav: &'static str, path: &str, query: Option<&str>) -> Chrome {
        let mut kept: Vec<&str> = query
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        let explicit = query
            .unwrap_or("")
            .split('&')
            .any(|p| p.starts_with("lang="));
        let other = format!("lang={}", t.lang.other().code());
        kept.push(&other);
        Chrome {
            t,
            site: site.to_string(),
            nav,
            lang_href: format!("{path}?{}", kept.join("&")),
            lq: if explicit {
                format!("?lang={}", t.lang.code())
            } else {
                String::new()
            },
            user: None,
            admin: false,
            staff: false,
            moderator: false,
            organiser: false,
            provider: false,
            logo: None,
            demo: false,
            unread: 0,
        }
    }

    pub fn for_ctx(ctx: &crate::extract::Ctx, site: &str, nav: &'static str) -> Chrome {
        let mut c = Chrome::new(ctx.t, site, nav, ctx.uri.path(), ctx.uri.query());
        c.set_user(ctx.user.as_ref());
        c
    }

    /// The signed-in person's part of the chrome: their name, admin and back-office links.
    pub fn set_user(&mut self, user: Option<&store::accounts::SessionUser>) {
        use domain::accounts::Role;
        self.user = user.map(|u| u.user.display_name.clone());
        self.admin = user.is_some_and(|u| u.roles.contains(&Role::Admin));
        self.staff = user.is_some_and(|u| {
            u.roles
                .iter()
                .any(|r| matches!(r, Role::Admin | Role::Editor))
        });
        self.moderator = user.is_some_and(|u| {
            u.roles
                .iter()
                .any(|r| matches!(r, Role::Admin | Role::Moderator))
        });
        self.organiser = user.is_some_and(|u| {
            u.roles
                .iter()
                .any(|r| matches!(r, Role::Admin | Role::Organiser))
        });
        self.provider = user.is_some_and(|u| u.roles.contains(&Role::Provider));
    }

    pub fn plain(t: Tr, path: &str) -> Chrome {
        Chrome::new(t, "", "", path, None)
    }
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Options of a select under a heading (`<optgroup>`); an empty label means no group.
pub struct OptGroup {
    pub label: String,
    pub options: Vec<Opt>,
}

pub struct Select {
    pub name: &'static str,
    pub label: String,
    pub options: Vec<Opt>,
}

pub struct PageLink {
    pub n: i64,
    pub href: String,
    pub current: bool,
    pub gap: bool,
}

pub struct Pagination {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

impl Pagination {
    pub fn new(
        path: &str,
        params: &Params,
        page: i64,
        per_page: i64,
        total: i64,
    ) -> Option<Pagination> {
        Pagination::with_links(page, per_page, total, |n| {
            format!("{path}{}", params.query_string(Some(n)))
        })
    }

    /// Pagination for a page whose query is the given pairs (plus `page`).
    pub fn for_query(
        path: &str,
        pairs: &[(String, String)],
        page: i64,
        per_page: i64,
        total: i64,
    ) -> Option<Pagination> {
        Pagination::with_links(page, per_page, total, |n| {
            let mut all: Vec<(String, String)> = pairs.to_vec();
            if n > 1 {
                all.push(("page".into(), n.to_string()));
            }
            match serde_urlencoded::to_string(&all) {
                Ok(q) if !q.is_empty() => format!("{path}?{q}"),
                _ => path.to_string(),
            }
        })
    }

    /// Page links made by `href` (page number → URL), for lists with parameters of their own.
    pub fn with_links(
        page: i64,
        per_page: i64,
        total: i64,
        href: impl Fn(i64) -> String,
    ) -> Option<Pagination> {
        let last = ((total + per_page - 1) / per_page).max(1);
        if last <= 1 && page <= 1 {
            return None;
        }
        let mut pages = Vec::new();
        let mut prev_shown = 0;
        for n in 1..=last {
            if n == 1 || n == last || (n - page).abs() <= 2 {
                if prev_shown != 0 && n - prev_shown > 1 {
                    pages.push(PageLink {
                        n: 0,
                        href: String::new(),
                        current: false,
                        gap: true,
                    });
                }
                pages.push(PageLink {
                    n,
                    href: href(n),
                    current: n == page,
                    gap: false,
                });
                prev_shown = n;
            }
        }
        Some(Pagination {
            prev: (page > 1).then(|| href((page - 1).min(last))),
            next: (page < last).then(|| href(page + 1)),
            pages,
        })
    }
}

pub(crate) type PageResult = Result<Response, AppError>;

pub(crate) fn html(t: impl Template) -> PageResult {
    Ok(Html(t.render()?).into_response())
}

/// The page frame with the city's name, when uploaded its logo, and the demo banner while the
/// strategy is demo data (cached pages carry `site`, which removing the demo publishes).
pub async fn chrome(state: &AppState, ctx: &Ctx, nav: &'static str) -> Result<Chrome, AppError> {
    let site = state
        .db
        .strategy()
        .await?
        .map(|s| s.city)
        .unwrap_or_default();
    let mut c = Chrome::for_ctx(ctx, &site, nav);
    c.logo = state
        .db
        .branding()
        .await?
        .logo_etag
        .map(|e| format!("/logo?v={e}"));
    c.demo = state.db.demo_active().await?;
    if let Some(u) = &ctx.user {
        c.unread = state.db.unread_notifications(u.user.id).await?;
    }
    Ok(c)
}

#[derive(Template)]
#[template(path = "layout/account_links.html")]
struct AccountLinks {
    c: Chrome,
}

#[derive(Template)]
#[template(path = "radar/edit_link.html")]
struct EditLink {
    c: Chrome,
    edit_href: Option<String>,
}

/// What the personal slots of a page need from the database, read once per page: the reader's
/// ratings of the measures whose rating slots it has, their view of the comments shown (one
/// query), whether they may answer as the city in the discussions whose form it has, whether
/// they follow what its follow slots name, and their unread notifications (the header).
#[derive(Debug, Default)]
pub struct SlotData {
    pub ratings: std::collections::HashMap<i64, Option<domain::participation::Rating>>,
    pub comments: std::collections::HashMap<i64, store::comments::MyView>,
    pub official: std::collections::HashMap<domain::comments::Subject, bool>,
    /// The reader's view of the ideas whose support slots the page has.
    pub ideas: std::collections::HashMap<i64, store::ideas::MyIdeaView>,
    /// Whether the reader follows the subjects whose follow slots the page has.
    pub follows: std::collections::HashMap<(domain::notifications::FollowKind, i64), bool>,
    /// The reader's unread notifications (for the header's account slot).
    pub unread: i64,
}

impl SlotData {
    pub async fn load<'a>(
        db: &store::Db,
        user: &store::accounts::SessionUser,
        slots: impl Iterator<Item = &'a crate::cache::Slot>,
    ) -> Result<SlotData, store::StoreError> {
        let mut data = SlotData::default();
        let mut comment_ids = Vec::new();
        let mut idea_ids = Vec::new();
        for slot in slots {
            match slot.name.as_str() {
                "rating" => {
                    if let Some((id, _)) = crate::participation::parse_slot(&slot.arg)
                        && !data.ratings.contains_key(&id)
                    {
                        data.ratings
                            .insert(id, db.my_rating(id, user.user.id).await?);
                    }
                }
                "comment" | "comment-closed" => comment_ids.extend(slot.arg.parse::<i64>().ok()),
                "idea-support" => idea_ids.extend(slot.arg.parse::<i64>().ok()),
                "follow" => {
                    if let Some((kind, id, _)) = crate::notifications::parse_slot(&slot.arg)
                        && !data.follows.contains_key(&(kind, id))
                    {
                        data.follows
                            .insert((kind, id), db.follows(user.user.id, kind, id).await?);
                    }
                }
                "account" => data.unread = db.unread_notifications(user.user.id).await?,
                "comment-form" => {
                    if let Some((subject, _)) = crate::comments::parse_form_slot(&slot.arg)
                        && !data.official.contains_key(&subject)
                    {
                        use crate::comments::Voice;
                        let voice = match subject.kind {
                            domain::comments::SubjectKind::Measure => {
                                db.measure_field(subject.id).await?.map(Voice::Field)
                            }
                            domain::comments::SubjectKind::Idea => {
                                db.idea(subject.id).await?.map(|i| Voice::Field(i.field_id))
                            }
                            domain::comments::SubjectKind::Session => {
                                db.event_of_session(subject.id).await?.map(Voice::Event)
                            }
                        };
                        let allowed = match voice {
                            Some(v) => crate::comments::official_voice(db, user, v).await?,
                            None => false,
                        };
                        data.official.insert(subject, allowed);
                    }
                }
                _ => {}
            }
        }
        data.comments = db.my_comment_views(user.user.id, &comment_ids).await?;
        data.ideas = db.my_idea_views(user.user.id, &idea_ids).await?;
        Ok(data)
    }
}

/// The content of a cached page's personal slot for a signed-in person (see `cache`): exactly
/// what the page's own template renders there for them.
pub fn fill_slot(
    t: &Tr,
    user: &store::accounts::SessionUser,
    data: &SlotData,
    slot: &crate::cache::Slot,
) -> String {
    let mut c = Chrome::new(*t, "", "", "/", None);
    c.set_user(Some(user));
    let html = match slot.name.as_str() {
        "rating" => {
            let current = crate::participation::parse_slot(&slot.arg)
                .and_then(|(id, _)| data.ratings.get(&id).copied().flatten());
            crate::participation::rating_slot(*t, &slot.arg, &user.csrf_token, current)
        }
        name @ ("comment" | "comment-closed") => match slot
            .arg
            .parse::<i64>()
            .ok()
            .and_then(|id| data.comments.get(&id).map(|v| (id, v)))
        {
            Some((id, view)) => crate::comments::actions_html(
                *t,
                id,
                view,
                Some(&user.csrf_token),
                name == "comment",
            ),
            None => Ok(String::new()),
        },
        "comment-form" => {
            let official = crate::comments::parse_form_slot(&slot.arg)
                .and_then(|(s, _)| data.official.get(&s).copied())
                .unwrap_or(false);
            crate::comments::form_slot(*t, &slot.arg, Some((user, official)), "")
        }
        "account" => {
            c.unread = data.unread;
            AccountLinks { c }.render()
        }
        "follow" => {
            let following = crate::notifications::parse_slot(&slot.arg)
                .and_then(|(kind, id, _)| data.follows.get(&(kind, id)).copied())
                .unwrap_or(false);
            match crate::notifications::follow_slot(*t, &slot.arg, &user.csrf_token, following) {
                Ok(html) => Ok(html),
                Err(e) => {
                    tracing::error!(error = %e, "follow slot failed");
                    Ok(String::new())
                }
            }
        }
        "idea-support" => match slot.arg.parse::<i64>() {
            Ok(id) => crate::ideas::support_slot(
                *t,
                id,
                &user.csrf_token,
                data.ideas.get(&id).copied().unwrap_or_default(),
            ),
            Err(_) => Ok(String::new()),
        },
        "idea-staff" => match slot.arg.parse::<i64>() {
            Ok(id) => crate::ideas::staff_slot(*t, id, c.staff, c.moderator),
            Err(_) => Ok(String::new()),
        },
        "edit" => match slot.arg.parse::<i64>() {
            Ok(id) => {
                let edit_href = c.staff.then(|| format!("/admin/massnahmen/{id}"));
                EditLink { c, edit_href }.render()
            }
            Err(_) => Ok(String::new()),
        },
        _ => Ok(String::new()),
    };
    html.unwrap_or_else(|e| {
        tracing::error!(error = %e, slot = %slot.name, "personal slot failed");
        String::new()
    })
}
