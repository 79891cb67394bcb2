//! The session form as it is being typed, kept in the browser (`localStorage`) per account:
//! an officer who opens the form before a talk and fills it in afterwards loses nothing to a
//! sign-in that timed out meanwhile, a reload, a sign-out or a lost network. The form puts
//! it back when its account opens the form again, and it goes once the entry was saved (or
//! handed to the outbox).
//!
//! Kept per account, like the outbox, so that on a shared phone one officer's unsent entry
//! is never shown to another. It holds what the officer typed about a talk (counts, school,
//! notes) and nothing about minors: the form's notes ask for no names.

use humiao_shared::session::SessionFormat;
use leptos::prelude::window;
use serde::{Deserialize, Serialize};

/// What the form held, field by field, as typed (counts stay text: "８０" is kept as typed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub campaign_id: Option<i64>,
    pub station_id: Option<i64>,
    pub school_id: Option<i64>,
    pub school_query: String,
    pub other_venue: bool,
    pub venue: String,
    pub held_on: String,
    pub format: Option<SessionFormat>,
    pub topic_ids: Vec<i64>,
    pub counts: [String; 4],
    pub confirm_large: bool,
    pub confirm_distinct: bool,
    /// The server had said an identical session exists: the "another session" box shows.
    pub duplicate: bool,
    pub notes: String,
}

impl Draft {
    /// Whether nothing was typed that is worth keeping: campaign, station, date and format
    /// are filled in by the form itself.
    pub fn is_blank(&self) -> bool {
        self.school_query.trim().is_empty()
            && self.venue.trim().is_empty()
            && self.topic_ids.is_empty()
            && self.counts.iter().all(|c| c.trim().is_empty())
            && self.notes.trim().is_empty()
    }
}

fn key(username: &str) -> String {
    format!("humiao.draft.{username}")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The account's draft, if one is kept.
pub fn load(username: &str) -> Option<Draft> {
    storage()
        .and_then(|s| s.get_item(&key(username)).ok().flatten())
        .and_then(|text| serde_json::from_str::<Draft>(&text).ok())
        .filter(|d| !d.is_blank())
}

/// Keeps the draft, or forgets it when it is blank. A browser that refuses (storage full or
/// disabled) keeps the form on screen only, as before drafts.
pub fn keep(username: &str, draft: &Draft) {
    let Some(storage) = storage() else { return };
    if draft.is_blank() {
        let _ = storage.remove_item(&key(username));
    } else if let Ok(text) = serde_json::to_string(draft) {
        let _ = storage.set_item(&key(username), &text);
    }
}

/// Forgets the account's draft (saved, or thrown away by the officer).
pub fn forget(username: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(username));
    }
}
