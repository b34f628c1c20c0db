//! The Musterstadt demo strategy (loaded on first start) and the synthetic large data set for
//! benchmarks (`stadtradar demo-data`).

use domain::import::{Document, MeasureDoc, ReportDoc};

pub mod events;
pub mod newsletter;
pub mod offers;
pub mod offers_bulk;
pub use events::events;
pub use offers::offers;

pub const MUSTERSTADT: &str = include_str!("../demo/musterstadt.json");

/// A deterministic data set of `measures` measures and `updates` progress reports, built on the
/// Musterstadt taxonomy so the radar keeps its nine fields of action.
pub fn synthetic(measures: usize, updates: usize) -> anyhow::Result<Document> {
    let base: Document = serde_json::from_str(MUSTERSTADT)?;
    let fields: Vec<String> = base
        .core_areas
        .iter()
        .flat_map(|c| c.fields.iter().map(|f| f.slug.clone()))
        .collect();
    anyhow::ensure!(
        !fields.is_empty(),
        "the demo taxonomy has no fields of action"
    );
    let words = [
        "Digitale",
        "Schulen",
        "Kitas",
        "Bürgerservice",
        "Open Data",
        "WLAN",
        "Senioren",
        "Verwaltung",
        "Plattform",
        "Beteiligung",
        "Sensorik",
        "Mobilität",
        "Klimadaten",
        "Bibliothek",
        "Ehrenamt",
        "Gesundheit",
        "Portal",
        "Lernen",
    ];
    let statuses = [
        "planned",
        "in_progress",
        "in_progress",
        "done",
        "dropped",
        "in_progress",
        "planned",
        "done",
    ];
    let mut seed: u64 = 42;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut doc = Document {
        measures: Vec::with_capacity(measures),
        ..base
    };
    let per = updates / measures.max(1);
    let mut extra = updates % measures.max(1);
    for i in 0..measures {
        let r = next();
        let status = statuses[(r % statuses.len() as u64) as usize];
        let progress = match status {
            "done" => 100,
            "planned" => (r >> 8) as i64 % 10,
            _ => 10 + (r >> 8) as i64 % 80,
        };
        let start_year = 2020 + (r >> 16) % 7;
        let end_year = start_year + 1 + (r >> 20) % 4;
        let w1 = words[(r >> 24) as usize % words.len()];
        let w2 = words[(r >> 32) as usize % words.len()];
        let n_reports = per + usize::from(extra > 0);
        extra = extra.saturating_sub(1);
        let reports = (0..n_reports)
            .map(|k| {
                let year = 2020 + (k % 7) as i32;
                ReportDoc {
                    year,
                    date: format!("{}-{:02}-{:02}", year + 1, 1 + (k / 7) % 12, 1 + (i % 28)),
                    results: format!("Bericht {k} zu Maßnahme {i}: {w1} {w2} kommt voran."),
                    outlook: "Nächste Schritte sind geplant.".into(),
                    highlights: String::new(),
                }
            })
            .collect();
        doc.measures.push(MeasureDoc {
            external_id: format!("SYN-{i:05}"),
            slug: Some(format!("massnahme-{i:05}")),
            title: format!("{w1} {w2} {i}"),
            summary: format!("Synthetische Maßnahme {i} für Lasttests: {w1} und {w2}."),
            description: format!(
                "Diese Maßnahme **{i}** verbindet {w1} mit {w2}.\n\n- Schritt eins\n- Schritt zwei"
            ),
            goals: String::new(),
            field: fields[(r >> 40) as usize % fields.len()].clone(),
            focus_area: None,
            parent: None,
            weight: 1.0,
            status: status.into(),
            previous_status: if r.is_multiple_of(5) {
                None
            } else {
                Some(status.into())
            },
            progress: Some(progress),
            start: Some(format!("{start_year}-01-01")),
            end: Some(format!("{end_year}-12-31")),
            target_year: Some(end_year as i32),
            departments: vec![format!("Referat {}", (r >> 44) % 12)],
            target_groups: vec![format!("Zielgruppe {}", (r >> 48) % 8)],
            tags: vec![w1.to_string(), w2.to_string()],
            decisions: vec![],
            kpis: Some(vec![]),
            milestones: Some(vec![]),
            reports: Some(reports),
            line: None,
            core_area_hint: None,
        });
    }
    Ok(doc)
}

/// The made-up participation of the Musterstadt demo: people, texts and answers of the city.
const PARTICIPATION: &str = include_str!("../demo/participation.json");

#[derive(serde::Deserialize)]
struct Participation {
    people: Vec<String>,
    city: String,
    comments: Vec<String>,
    replies: Vec<String>,
    answers: Vec<String>,
    /// The one comment the moderation hid, and its public reason.
    hidden: Hidden,
    ideas: Vec<DemoIdea>,
    idea_comments: Vec<String>,
}

/// An idea of the demo, with the city's answer and how many people support it.
#[derive(serde::Deserialize)]
struct DemoIdea {
    field: String,
    title: String,
    description: String,
    benefit: String,
    place: String,
    status: String,
    reason: String,
    measure: Option<String>,
    supporters: usize,
    comments: usize,
}

#[derive(serde::Deserialize)]
struct Hidden {
    text: String,
    reason: String,
}

/// What [`participation`] wrote.
#[derive(Debug, Default)]
pub struct ParticipationSummary {
    pub people: usize,
    pub ratings: usize,
    pub comments: usize,
    pub ideas: usize,
}

/// A small deterministic generator (so every demo looks the same).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Gives the demo's published measures ratings and discussions: about three dozen people (with
/// addresses under `store::demo::DEMO_PEOPLE_DOMAIN`, removed with the demo) rate and comment,
/// reply to each other, upvote, and the city's editorial team answers some of them. Posted over
/// the last weeks. Does nothing when the demo people exist already (a demo loaded again).
pub async fn participation(db: &store::Db) -> anyhow::Result<ParticipationSummary> {
    use domain::comments::Subject;
    use domain::participation::Rating;
    use store::comments::NewComment;
    let p: Participation = serde_json::from_str(PARTICIPATION)?;
    let domain = store::demo::DEMO_PEOPLE_DOMAIN;
    let mut summary = ParticipationSummary::default();
    if db
        .user_by_email(&format!("person-1@{domain}"))
        .await?
        .is_some()
    {
        return Ok(summary);
    }
    let mut people = Vec::new();
    for (i, name) in p.people.iter().enumerate() {
        let email = format!("person-{}@{domain}", i + 1);
        people.push(
            db.create_user(&email, name, &[domain::accounts::Role::Citizen])
                .await?,
        );
    }
    let city = db
        .create_user(
            &format!("redaktion@{domain}"),
            &p.city,
            &[domain::accounts::Role::Editor],
        )
        .await?;
    summary.people = people.len() + 1;
    let measures = db
        .measures(
            &store::strategy::MeasureFilter::default(),
            store::strategy::Sort::Title,
            1,
            500,
        )
        .await?
        .items;
    let mut rng = Lcg(2026);
    let now = time::OffsetDateTime::now_utc();
    let mut minutes_ago: i64 = 60 * 24 * 40;
    for (mi, m) in measures.iter().enumerate() {
        // Ratings: more for some measures than for others, leaning to "wichtig".
        let raters = 3 + rng.next(people.len() - 3);
        for person in people.iter().take(raters) {
            let value = [2, 3, 3, 4, 4, 4, 5, 5, 5, 1][rng.next(10)];
            db.rate(m.id, *person, Rating::new(value)).await?;
            summary.ratings += 1;
        }
        // Discussions: most measures have a few comments, some none.
        let threads = if mi % 5 == 4 { 0 } else { rng.next(6) };
        let subject = Subject::measure(m.id);
        for _ in 0..threads {
            minutes_ago -= 37 + rng.next(120) as i64;
            let author = people[rng.next(people.len())];
            let body = &p.comments[rng.next(p.comments.len())];
            let at = now - time::Duration::minutes(minutes_ago.max(30));
            let post = |parent: Option<i64>, author: i64, body: &str, official: bool, at| {
                let body = body.to_string();
                async move {
                    let html = domain::comments::comment_html(&body);
                    db.post_comment(&NewComment {
                        subject,
                        parent_id: parent,
                        author: store::comments::Author::Account(author),
                        body: &body,
                        body_html: &html,
                        official,
                        limits: &[],
                        posted_at: Some(at),
                        hold: false,
                    })
                    .await
                }
            };
            let Ok(top) = post(None, author, body, false, at).await? else {
                continue;
            };
            summary.comments += 1;
            // Upvotes from others.
            for voter in people.iter().filter(|v| **v != author).take(rng.next(8)) {
                let _ = db.vote_comment(top, *voter, true).await?;
            }
            // Replies, and now and then one to a reply.
            let mut last = top;
            for r in 0..rng.next(4) {
                let replier = people[rng.next(people.len())];
                let text = &p.replies[rng.next(p.replies.len())];
                let at = at + time::Duration::minutes(20 + 45 * r as i64);
                let parent = if r == 2 { last } else { top };
                if let Ok(id) = post(Some(parent), replier, text, false, at).await? {
                    summary.comments += 1;
                    last = id;
                }
            }
            // The city answers about every third thread.
            if rng.next(3) == 0 {
                let text = &p.answers[rng.next(p.answers.len())];
                let at = at + time::Duration::hours(26);
                if post(Some(top), city, text, true, at).await?.is_ok() {
                    summary.comments += 1;
                }
            }
        }
    }
    // One comment broke the rules: the moderation hid it, with its reason for everyone to read.
    if let Some(m) = measures.first() {
        let html = domain::comments::comment_html(&p.hidden.text);
        let posted = db
            .post_comment(&NewComment {
                subject: Subject::measure(m.id),
                parent_id: None,
                author: store::comments::Author::Account(people[people.len() - 1]),
                body: &p.hidden.text,
                body_html: &html,
                official: false,
                limits: &[],
                posted_at: Some(now - time::Duration::days(3)),
                hold: false,
            })
            .await?;
        if let Ok(id) = posted {
            summary.comments += 1;
            let decision = domain::comments::Decision::Hide(p.hidden.reason.clone());
            // Decided by the loader (no account), as the audit log says.
            let _ = db.moderate_comment(id, None, &decision).await?;
        }
    }
    ideas(db, &p, &people, city, &mut rng, &mut summary).await?;
    Ok(summary)
}

/// The demo's ideas: proposed by its people over the last two months, supported, discussed,
/// and (most of them) answered by the city with a status, decided by the loader (no account),
/// as the audit log says.
async fn ideas(
    db: &store::Db,
    p: &Participation,
    people: &[i64],
    city: i64,
    rng: &mut Lcg,
    summary: &mut ParticipationSummary,
) -> anyhow::Result<()> {
    use domain::comments::Subject;
    use store::comments::NewComment;
    let fields = db.idea_fields().await?;
    let now = time::OffsetDateTime::now_utc();
    for (i, idea) in p.ideas.iter().enumerate() {
        let Some(field) = fields.iter().find(|f| f.1 == idea.field) else {
            anyhow::bail!("demo idea {:?}: no field {:?}", idea.title, idea.field);
        };
        let proposal = domain::ideas::check_proposal(
            Some(field.0),
            &idea.title,
            &idea.description,
            &idea.benefit,
            &idea.place,
        )
        .map_err(|e| anyhow::anyhow!("demo idea {:?}: {e:?}", idea.title))?;
        let author = people[(i * 7) % people.len()];
        let at = now - time::Duration::hours(24 * 60 - 60 * i as i64);
        let html = domain::comments::comment_html(&proposal.description);
        let Ok(id) = db
            .propose_idea(&store::ideas::NewIdea {
                proposal: &proposal,
                author_id: author,
                description_html: &html,
                limits: &[],
                created_at: Some(at),
                hold: false,
            })
            .await?
        else {
            continue;
        };
        summary.ideas += 1;
        for supporter in people
            .iter()
            .filter(|s| **s != author)
            .take(idea.supporters)
        {
            let _ = db.support_idea(id, *supporter, true).await?;
        }
        for c in 0..idea.comments {
            let body = &p.idea_comments[rng.next(p.idea_comments.len())];
            let commenter = people[(i * 7 + 3 + c * 5) % people.len()];
            let html = domain::comments::comment_html(body);
            let posted = db
                .post_comment(&NewComment {
                    subject: Subject::idea(id),
                    parent_id: None,
                    author: store::comments::Author::Account(commenter),
                    body,
                    body_html: &html,
                    official: false,
                    limits: &[],
                    posted_at: Some(at + time::Duration::hours(3 + 5 * c as i64)),
                    hold: false,
                })
                .await?;
            if posted.is_ok() {
                summary.comments += 1;
            }
        }
        let status = domain::ideas::IdeaStatus::parse(&idea.status)
            .ok_or_else(|| anyhow::anyhow!("demo idea {:?}: status", idea.title))?;
        if status != domain::ideas::IdeaStatus::Submitted {
            let measure = match &idea.measure {
                Some(slug) => db.measure_id_by_slug(slug).await?,
                None => None,
            };
            let decision = domain::ideas::check_decision(status, &idea.reason, measure)
                .map_err(|e| anyhow::anyhow!("demo idea {:?}: {e:?}", idea.title))?;
            let decided = at + time::Duration::days(4);
            let _ = db.decide_idea_at(id, None, &decision, decided).await?;
            // The city's answer also stands in the discussion.
            let html = domain::comments::comment_html(&idea.reason);
            let answered = db
                .post_comment(&NewComment {
                    subject: Subject::idea(id),
                    parent_id: None,
                    author: store::comments::Author::Account(city),
                    body: &idea.reason,
                    body_html: &html,
                    official: true,
                    limits: &[],
                    posted_at: Some(at + time::Duration::days(4)),
                    hold: false,
                })
                .await?;
            if answered.is_ok() {
                summary.comments += 1;
            }
        }
    }
    Ok(())
}
