//! Everything the server keeps sealed: sealed at start when an older version left it in
//! clear, and sealed again under a new key by `rotate-secrets-key`.
//!
//! What is sealed (add a new sealed column here, so rotation reaches it): webhook signing
//! secrets (`webhook_subscriptions.secret`) and the special-category notes of persons
//! (`persons.disability_notes`, `persons.criminal_justice_notes`).

use sistema_lavoro_domain::Error;
use sistema_lavoro_store::DbConn;

use crate::integration::webhooks;
use crate::security::SecretBox;
use crate::workflow::persons::{self, Reseal};

/// Rows per transaction when re-sealing notes: short enough that requests waiting on the
/// write lock do not notice.
pub const BATCH: i64 = 50;

/// How many values of each kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub webhook_secrets: usize,
    pub person_notes: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.webhook_secrets + self.person_notes
    }
}

/// Seals what an older version stored in clear (run at start, before serving).
pub fn seal_clear(conn: &mut DbConn, keys: &SecretBox) -> Result<Counts, Error> {
    Ok(Counts {
        webhook_secrets: webhooks::seal_stored_secrets(conn, keys)?,
        person_notes: persons::reseal_notes(conn, keys, Reseal::Clear, BATCH)?,
    })
}

/// What is not yet sealed under the key in use.
pub fn not_current(conn: &mut DbConn, keys: &SecretBox) -> Result<Counts, Error> {
    Ok(Counts {
        webhook_secrets: webhooks::secrets_not_current(conn, keys)?,
        person_notes: persons::notes_not_current(conn, keys)?,
    })
}

/// Seals every value again under the key in use (`SECRETS_KEY`), opening each with it or
/// with `SECRETS_KEY_PREVIOUS`, in small transactions while the server keeps serving; then
/// checks that nothing is left under another key. Returns how many values changed.
pub fn rotate(conn: &mut DbConn, keys: &SecretBox, batch: i64) -> Result<Counts, Error> {
    let mut done = Counts::default();
    // A value written during a pass by an instance still sealing with the old key is caught
    // by the next one; if it keeps coming back, an instance was not restarted.
    for _ in 0..3 {
        let pass = Counts {
            webhook_secrets: webhooks::reseal_secrets(conn, keys)?,
            person_notes: persons::reseal_notes(conn, keys, Reseal::NotCurrent, batch)?,
        };
        done.webhook_secrets += pass.webhook_secrets;
        done.person_notes += pass.person_notes;
        let left = not_current(conn, keys)?;
        if left.total() == 0 {
            return Ok(done);
        }
    }
    let left = not_current(conn, keys)?;
    Err(Error::Internal(format!(
        "{} value(s) are still sealed under another key ({} webhook secrets, {} persons' \
         notes): an instance still seals with the old key; restart every instance with the \
         new SECRETS_KEY and run the command again",
        left.total(),
        left.webhook_secrets,
        left.person_notes
    )))
}
