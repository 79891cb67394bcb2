//! Retention: a case closed longer ago than the setting (default 3 years) is reduced to
//! what the statistics need — its station, birth year, sex, category, grade history, days
//! opened and closed, contacts' days and kinds, events — and loses its school, its note,
//! its closing reason and its contacts' notes. The server runs this at start and daily.

use chrono::NaiveDate;

use crate::db::Db;

/// Reduces the cases closed before `today` less the retention setting; how many it reduced.
/// `today` is a parameter so that a test can move the clock.
pub async fn reduce(db: &Db, today: NaiveDate) -> Result<u64, sqlx::Error> {
    let mut tx = db.write_tx().await?;
    let settings = super::settings(&mut tx).await?;
    let before = crate::records::day(settings.reduce_closed_before(today));
    let now = crate::db::now_text();
    sqlx::query(
        "UPDATE contacts SET note = NULL
         WHERE note IS NOT NULL AND case_id IN (
             SELECT id FROM cases WHERE closed_on IS NOT NULL AND closed_on < $1)",
    )
    .bind(&before)
    .execute(&mut *tx)
    .await?;
    let reduced = sqlx::query(
        "UPDATE cases SET school_id = NULL, note = NULL, closing_reason = NULL,
             reduced_at = $2, version = version + 1, updated_at = $2
         WHERE closed_on IS NOT NULL AND closed_on < $1 AND reduced_at IS NULL",
    )
    .bind(&before)
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    if reduced > 0 {
        tracing::info!(reduced, before = %before, "closed cases reduced to their statistics");
    }
    Ok(reduced)
}

/// Runs [`reduce`] now and then once a day, for as long as the server runs.
pub async fn start(db: &Db) -> anyhow::Result<()> {
    reduce(db, crate::clock::today()).await?;
    let db = db.clone();
    tokio::spawn(async move {
        let day = std::time::Duration::from_secs(24 * 60 * 60);
        let mut every = tokio::time::interval_at(tokio::time::Instant::now() + day, day);
        loop {
            every.tick().await;
            if let Err(e) = reduce(&db, crate::clock::today()).await {
                tracing::error!(error = %e, "reducing closed cases failed; tried again tomorrow");
            }
        }
    });
    Ok(())
}
