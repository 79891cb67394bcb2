//! Sessions logged while the network was down wait here, in the browser's `localStorage`,
//! each with the idempotency key it was first sent with, and are sent when the network
//! returns.
//!
//! Never lost: an entry leaves the outbox only once the server answered it. Never twice: a
//! retry carries the same key, so if the first attempt did reach the server (and only the
//! answer was lost) the server replays its first answer instead of storing a second row.
//! The outbox belongs to the signed-in account (keys are scoped per account on the server,
//! and one officer's entries must not be sent under another's name on a shared phone).
//! An entry the server refuses (a duplicate, or a month whose return was submitted meanwhile:
//! 409 `period_locked`, naming the return's state) is kept with the server's reason until the
//! officer reopens it in the form, to correct or confirm it, or throws it away.
//!
//! A volunteer's contacts with their cases (帮教记录) wait here the same way, in lists of
//! their own (an outbox stored before they existed reads as having none).

use humiao_shared::error::FieldError;
use humiao_shared::mentoring::contact::NewContact;
use humiao_shared::session::NewSession;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiFailure};

/// How often waiting entries are tried again while any wait, besides the browser's
/// `online` event (which some networks never fire).
const RETRY_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// One entry waiting to be sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Waiting {
    pub key: String,
    pub entry: NewSession,
    /// The school's or venue's name, as the form showed it: an entry holds only the id.
    #[serde(default)]
    pub place: String,
}

/// An entry the server refused (a rule it broke): kept, with the reason, until the officer
/// has read it, rather than dropped silently.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Refused {
    pub entry: NewSession,
    #[serde(default)]
    pub place: String,
    pub reason: String,
    /// The server's error code (`duplicate_session`…) and its messages per field, for the
    /// form to show them again where they belong.
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

/// A contact with a case waiting to be sent, with the case's code for the page to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitingContact {
    pub key: String,
    pub entry: NewContact,
    pub code: String,
}

/// A contact the server refused, kept with its reason until the volunteer has read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefusedContact {
    pub entry: NewContact,
    pub code: String,
    pub reason: String,
    /// The server's messages per field, shown under the reason.
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Stored {
    waiting: Vec<Waiting>,
    refused: Vec<Refused>,
    #[serde(default)]
    contacts: Vec<WaitingContact>,
    #[serde(default)]
    refused_contacts: Vec<RefusedContact>,
}

/// What became of one attempt to send an entry.
enum Sent {
    Stored,
    /// No network, signed out, or the server failing: the entry waits.
    Later,
    Refused {
        reason: String,
        code: String,
        fields: Vec<FieldError>,
    },
}

impl Sent {
    fn of<T>(result: Result<T, ApiFailure>) -> Sent {
        match result {
            Ok(_) => Sent::Stored,
            Err(ApiFailure::Network(_)) => Sent::Later,
            // Signed out: the entry waits for the next sign-in of this account.
            Err(ApiFailure::Answer { status: 401, .. }) => Sent::Later,
            // The server is up but failing: try later rather than drop it.
            Err(ApiFailure::Answer { status, .. }) if status >= 500 => Sent::Later,
            Err(refused) => {
                let (code, fields) = match &refused {
                    ApiFailure::Answer { body: Some(b), .. } => (b.code.clone(), b.fields.clone()),
                    _ => Default::default(),
                };
                Sent::Refused {
                    reason: refused.to_string(),
                    code,
                    fields,
                }
            }
        }
    }
}

/// The signed-in account's outbox, provided to the pages.
#[derive(Clone, Copy)]
pub struct Outbox {
    storage_key: StoredValue<String>,
    /// Entries waiting, for the page to show.
    pub waiting: RwSignal<usize>,
    pub refused: RwSignal<Vec<Refused>>,
    /// Contacts waiting, and those refused, for the volunteer's page.
    pub contacts: RwSignal<Vec<WaitingContact>>,
    pub refused_contacts: RwSignal<Vec<RefusedContact>>,
    /// Notified after entries were sent, so lists refetch.
    pub sent: Trigger,
    busy: StoredValue<bool>,
}

impl Outbox {
    /// Opens the outbox of `username`, and starts sending what waits in it.
    pub fn open(username: &str) -> Outbox {
        let outbox = Outbox {
            storage_key: StoredValue::new(format!("humiao.outbox.{username}")),
            waiting: RwSignal::new(0),
            refused: RwSignal::new(Vec::new()),
            contacts: RwSignal::new(Vec::new()),
            refused_contacts: RwSignal::new(Vec::new()),
            sent: Trigger::new(),
            busy: StoredValue::new(false),
        };
        outbox.show(&outbox.load());
        let on_online = leptos::prelude::window_event_listener(leptos::ev::online, move |_| {
            outbox.flush();
        });
        let retry = set_interval_with_handle(
            move || {
                let contacts = outbox.contacts.try_with_untracked(Vec::len).unwrap_or(0);
                if outbox.waiting.try_get_untracked().unwrap_or(0) + contacts > 0 {
                    outbox.flush();
                }
            },
            RETRY_EVERY,
        )
        .ok();
        // Signed out (or another account signed in): this outbox stops trying; its entries
        // wait in the browser for the next sign-in of its account.
        on_cleanup(move || {
            on_online.remove();
            if let Some(retry) = retry {
                retry.clear();
            }
        });
        outbox.flush();
        outbox
    }

    /// What is stored; nothing once the outbox was closed (signed out).
    fn load(&self) -> Stored {
        let Some(key) = self.storage_key.try_get_value() else {
            return Stored::default();
        };
        storage()
            .and_then(|s| s.get_item(&key).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Writes the outbox; false when the browser refused (storage full or disabled).
    fn save(&self, stored: &Stored) -> bool {
        let Some(key) = self.storage_key.try_get_value() else {
            return false;
        };
        let saved = storage()
            .zip(serde_json::to_string(stored).ok())
            .is_some_and(|(s, text)| s.set_item(&key, &text).is_ok());
        self.show(stored);
        saved
    }

    fn show(&self, stored: &Stored) {
        self.waiting.try_set(stored.waiting.len());
        self.refused.try_set(stored.refused.clone());
        self.contacts.try_set(stored.contacts.clone());
        self.refused_contacts
            .try_set(stored.refused_contacts.clone());
    }

    /// Keeps a contact that could not be sent (`code`: its case's, to show). False if the
    /// browser cannot store it, in which case the page must say it was not saved.
    pub fn push_contact(&self, key: String, entry: NewContact, code: String) -> bool {
        let mut stored = self.load();
        if stored.contacts.iter().any(|w| w.key == key) {
            return true;
        }
        stored.contacts.push(WaitingContact { key, entry, code });
        self.save(&stored)
    }

    /// Throws away the `index`th refused contact, once the volunteer has read why.
    pub fn take_refused_contact(&self, index: usize) -> Option<RefusedContact> {
        let mut stored = self.load();
        if index >= stored.refused_contacts.len() {
            return None;
        }
        let taken = stored.refused_contacts.remove(index);
        self.save(&stored);
        Some(taken)
    }

    /// Keeps an entry that could not be sent. False if the browser cannot store it, in which
    /// case the form must keep it on screen.
    pub fn push(&self, key: String, entry: NewSession, place: String) -> bool {
        let mut stored = self.load();
        if stored.waiting.iter().any(|w| w.key == key) {
            return true;
        }
        stored.waiting.push(Waiting { key, entry, place });
        self.save(&stored)
    }

    /// Takes the `index`th refused entry out, for the form to reopen it.
    pub fn take_refused(&self, index: usize) -> Option<Refused> {
        let mut stored = self.load();
        if index >= stored.refused.len() {
            return None;
        }
        let taken = stored.refused.remove(index);
        self.save(&stored);
        Some(taken)
    }

    /// Sends the waiting entries in the order they were logged; stops at the first that
    /// meets no network, to try again later.
    pub fn flush(&self) {
        if self.busy.try_get_value().unwrap_or(true) {
            return;
        }
        self.busy.try_set_value(true);
        let outbox = *self;
        // Not an `Action`: the replay runs in the background, started by the network coming
        // back or a timer as often as by a button, and outlives the page that started it
        // (it belongs to the signed-in account, not to a form).
        spawn_local(async move {
            let mut sent_any = false;
            while let Some(next) = outbox.load().waiting.into_iter().next() {
                let sent = Sent::of(api::create_session(&next.entry, &next.key).await);
                let mut stored = outbox.load();
                match sent {
                    Sent::Stored => {
                        stored.waiting.retain(|w| w.key != next.key);
                        sent_any = true;
                    }
                    Sent::Later => break,
                    Sent::Refused {
                        reason,
                        code,
                        fields,
                    } => {
                        stored.waiting.retain(|w| w.key != next.key);
                        stored.refused.push(Refused {
                            entry: next.entry,
                            place: next.place,
                            reason,
                            code,
                            fields,
                        });
                    }
                }
                outbox.save(&stored);
            }
            // Then the contacts, in the order they were logged, likewise.
            while let Some(next) = outbox.load().contacts.into_iter().next() {
                let sent = Sent::of(api::create_contact(&next.entry, &next.key).await);
                let mut stored = outbox.load();
                match sent {
                    Sent::Stored => {
                        stored.contacts.retain(|w| w.key != next.key);
                        sent_any = true;
                    }
                    Sent::Later => break,
                    Sent::Refused { reason, fields, .. } => {
                        stored.contacts.retain(|w| w.key != next.key);
                        stored.refused_contacts.push(RefusedContact {
                            entry: next.entry,
                            code: next.code,
                            reason,
                            fields,
                        });
                    }
                }
                outbox.save(&stored);
            }
            outbox.busy.try_set_value(false);
            if sent_any {
                // A no-op once the outbox was closed (signed out).
                outbox.sent.notify();
            }
        });
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}
