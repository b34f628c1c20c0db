//! The demo's newsletter archive: the issues of `demo/offers.json`'s `newsletter` array, as
//! sent the given number of days ago (without recipients). Removed with the demo.

use domain::newsletter::Topics;
use store::newsletter::issues::IssueInput;

const FILE: &str = include_str!("../../demo/offers.json");

#[derive(serde::Deserialize)]
struct DemoFile {
    newsletter: Vec<DemoIssue>,
}

#[derive(serde::Deserialize)]
struct DemoIssue {
    subject: String,
    topics: Vec<String>,
    sent_days_ago: i64,
    body: String,
}

/// Loads the demo's sent issues, unless the archive holds issues already; returns how many.
pub async fn issues(db: &store::Db) -> anyhow::Result<usize> {
    let (_, existing) = db.newsletter_archive(1, 1).await?;
    if existing > 0 {
        return Ok(0);
    }
    let file: DemoFile = serde_json::from_str(FILE)?;
    let now = time::OffsetDateTime::now_utc();
    for issue in &file.newsletter {
        let topics = Topics::parse(issue.topics.iter().map(String::as_str))
            .map_err(|e| anyhow::anyhow!("demo newsletter: unknown topic {:?}", e.0))?;
        let html = domain::text::markdown_to_safe_html(&issue.body);
        db.insert_newsletter_issue(
            None,
            &IssueInput {
                subject: &issue.subject,
                body: &issue.body,
                body_html: &html,
                topics,
            },
            Some(now - time::Duration::days(issue.sent_days_ago)),
            true,
        )
        .await?;
    }
    Ok(file.newsletter.len())
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn the_demo_archive_loads_once_and_goes_with_the_demo() {
        let db = store::testing::sqlite().await;
        let (_, doc) = domain::import::parse(crate::demo::MUSTERSTADT.as_bytes()).unwrap();
        let plan = domain::import::validate(&doc, &db.known().await.unwrap()).unwrap();
        db.load_demo(&plan).await.unwrap().unwrap();
        assert_eq!(super::issues(&db).await.unwrap(), 2);
        assert_eq!(super::issues(&db).await.unwrap(), 0);
        let (list, total) = db.newsletter_archive(1, 10).await.unwrap();
        assert_eq!(total, 2);
        assert!(list[0].sent_at > list[1].sent_at);
        assert!(list[1].body_html.contains("<strong>"));
        db.remove_demo(None).await.unwrap().unwrap();
        assert_eq!(db.newsletter_archive(1, 10).await.unwrap().1, 0);
    }
}
