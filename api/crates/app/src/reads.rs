//! The log of reads of persons' records, written in grouped commits: reads arriving together
//! share one multi-row `INSERT` in one transaction, instead of a transaction each. The caller
//! awaits the commit before it answers, so no read that was answered goes unrecorded.

use std::sync::mpsc;

use futures_channel::oneshot;
use sistema_lavoro_domain::{text, Error};
use sistema_lavoro_store::audit::{person_reads, PersonRead};
use sistema_lavoro_store::{write_tx, DbPool};

/// Most reads one commit takes.
const BATCH: usize = 256;

type Ack = oneshot::Sender<Result<(), Error>>;

/// The writer; clones share it.
#[derive(Clone, Debug)]
pub struct ReadLog {
    tx: mpsc::Sender<(PersonRead, Ack)>,
}

impl ReadLog {
    /// Starts the writer thread on `pool`.
    pub fn start(pool: DbPool) -> ReadLog {
        let (tx, rx) = mpsc::channel::<(PersonRead, Ack)>();
        let spawned = std::thread::Builder::new()
            .name("person-reads".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    let mut batch = vec![first];
                    while batch.len() < BATCH {
                        match rx.try_recv() {
                            Ok(next) => batch.push(next),
                            Err(_) => break,
                        }
                    }
                    let (reads, acks): (Vec<PersonRead>, Vec<Ack>) = batch.into_iter().unzip();
                    let result = write(&pool, &reads);
                    for ack in acks {
                        let _ = ack.send(result.clone());
                    }
                }
            });
        if let Err(e) = spawned {
            log::error!("cannot start the person-read log: {e}");
        }
        ReadLog { tx }
    }

    /// Records a read; resolves once it is committed.
    pub async fn record(&self, read: PersonRead) -> Result<(), Error> {
        let (ack, done) = oneshot::channel();
        self.tx.send((read, ack)).map_err(|_| {
            Error::Unavailable(text!(
                "il registro delle consultazioni è fermo",
                "the read log is stopped"
            ))
        })?;
        done.await.map_err(|_| {
            Error::Unavailable(text!(
                "il registro delle consultazioni si è fermato prima del salvataggio",
                "the read log stopped before committing"
            ))
        })?
    }
}

fn write(pool: &DbPool, reads: &[PersonRead]) -> Result<(), Error> {
    let mut conn = pool.get().map_err(|e| {
        Error::Unavailable(text!(
            "connessione al database non riuscita: {e}",
            "database connection: {e}"
        ))
    })?;
    write_tx(&mut conn, |conn| person_reads(conn, reads))
}
