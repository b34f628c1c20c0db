//! What an event is about and for whom: its fields of action and target groups (the event page
//! shows them; the list of events is filtered by them), and the choices the event form offers.

use crate::{Db, Result, on_db};
use domain::tags::{PROGRAMME as TAG, event as event_tag};

/// A field of action or a target group as an event links it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Topic {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// The fields of action and target groups of an event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Topics {
    pub fields: Vec<Topic>,
    pub groups: Vec<Topic>,
}

/// What the list of public events is narrowed to (ids; `None`: any).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub field: Option<i64>,
    pub group: Option<i64>,
}

impl Db {
    /// The fields of action (not archived) and the target groups that events can be linked
    /// to, each by name, in one query.
    pub async fn topic_choices(&self) -> Result<Topics> {
        let rows: Vec<(String, i64, String, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT 'f', f.id, f.slug, f.title FROM fields_of_action f JOIN core_areas c ON c.id = f.core_area_id \
             WHERE NOT f.archived AND NOT c.archived \
             UNION ALL SELECT 'g', g.id, g.slug, g.name FROM target_groups g"
        ).fetch_all(p).await?);
        Ok(split(rows))
    }

    /// The fields of action and target groups of event `event_id`, in one query.
    pub async fn event_topics(&self, event_id: i64) -> Result<Topics> {
        let rows: Vec<(String, i64, String, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT 'f', f.id, f.slug, f.title FROM event_fields x JOIN fields_of_action f ON f.id = x.field_id \
             WHERE x.event_id = $1 AND NOT f.archived \
             UNION ALL SELECT 'g', g.id, g.slug, g.name FROM event_target_groups x \
             JOIN target_groups g ON g.id = x.target_group_id WHERE x.event_id = $1"
        ).bind(event_id).fetch_all(p).await?);
        Ok(split(rows))
    }

    /// Links event `event_id` to exactly these fields of action and target groups (ids the
    /// caller checked against [`Db::topic_choices`]); the event's pages and every list follow.
    pub async fn set_event_topics(
        &self,
        event_id: i64,
        fields: &[i64],
        groups: &[i64],
    ) -> Result<()> {
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            sqlx::query("DELETE FROM event_fields WHERE event_id = $1").bind(event_id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM event_target_groups WHERE event_id = $1").bind(event_id).execute(&mut *tx).await?;
            for f in fields {
                sqlx::query("INSERT INTO event_fields (event_id, field_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(event_id).bind(f).execute(&mut *tx).await?;
            }
            for g in groups {
                sqlx::query("INSERT INTO event_target_groups (event_id, target_group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(event_id).bind(g).execute(&mut *tx).await?;
            }
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string(), event_tag(event_id)])]);
        });
        Ok(())
    }
}

impl Db {
    /// The target groups session `session_id` is for: exactly these (ids the caller checked
    /// against [`Db::topic_choices`]); the event's pages follow.
    pub async fn set_session_groups(
        &self,
        event_id: i64,
        session_id: i64,
        groups: &[i64],
    ) -> Result<()> {
        on_db!(self, p => {
            let _write = self.write_gate().await;
            let mut tx = p.begin_with(crate::begin_sql(p)).await?;
            sqlx::query("DELETE FROM session_target_groups WHERE session_id = $1 \
                         AND session_id IN (SELECT id FROM programme_sessions WHERE event_id = $2)")
                .bind(session_id).bind(event_id).execute(&mut *tx).await?;
            for g in groups {
                sqlx::query("INSERT INTO session_target_groups (session_id, target_group_id) \
                             SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM programme_sessions WHERE id = $1 AND event_id = $3) \
                             ON CONFLICT DO NOTHING")
                    .bind(session_id).bind(g).bind(event_id).execute(&mut *tx).await?;
            }
            crate::commit_with_events!(self, p, tx, [crate::events::cache_event([TAG.to_string(), event_tag(event_id)])]);
        });
        Ok(())
    }
}

/// Rows `('f' | 'g', id, slug, name)` as topics, each kind by name.
fn split(rows: Vec<(String, i64, String, String)>) -> Topics {
    let mut t = Topics::default();
    for (kind, id, slug, name) in rows {
        let topic = Topic { id, slug, name };
        if kind == "f" {
            t.fields.push(topic);
        } else {
            t.groups.push(topic);
        }
    }
    t.fields.sort_by(|a, b| a.name.cmp(&b.name));
    t.groups.sort_by(|a, b| a.name.cmp(&b.name));
    t
}
