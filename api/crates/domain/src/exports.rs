//! Exports of the lists people take into a spreadsheet: which list, which file format, and the
//! life of an export job (`queued → running → done | failed`; a finished file expires).

use crate::i18n::Lang;
use crate::string_enum;

string_enum! {
    /// A list that can be exported, with the filters and visibility of its `GET` route.
    ExportList {
        /// `GET /referrals`: segnalazioni.
        Referrals => "referrals",
        /// `GET /cases`: prese in carico (also follow-ups and outcome checks due, by filter).
        Cases => "cases",
        /// The activations (misure attivate) of the cases `GET /cases` gives.
        Activations => "activations",
        /// `GET /persons`: persone (for the roles that see them).
        Persons => "persons",
        /// `GET /thresholds`: soglie di budget.
        Thresholds => "thresholds",
        /// `GET /opportunities`: the opportunities board.
        Opportunities => "opportunities",
        /// `GET /networks/{network_id}/members`: aderenti di una rete.
        NetworkMembers => "network_members",
        /// `GET /plans/{plan_id}/actions`: azioni di un piano.
        PlanActions => "plan_actions",
    }
}

impl ExportList {
    /// The list's name in a file name or a sheet (`segnalazioni`).
    pub fn label(self, lang: Lang) -> &'static str {
        let (it, en) = match self {
            Self::Referrals => ("Segnalazioni", "Referrals"),
            Self::Cases => ("Prese in carico", "Cases"),
            Self::Activations => ("Misure attivate", "Activations"),
            Self::Persons => ("Persone", "Persons"),
            Self::Thresholds => ("Soglie di budget", "Budget thresholds"),
            Self::Opportunities => ("Opportunità", "Opportunities"),
            Self::NetworkMembers => ("Aderenti della rete", "Network members"),
            Self::PlanActions => ("Azioni del piano", "Plan actions"),
        };
        match lang {
            Lang::It => it,
            Lang::En => en,
        }
    }
}

string_enum! {
    /// The file an export writes.
    ExportFormat {
        /// CSV for Italian Excel: UTF-8 with BOM, `;`, dates gg/mm/aaaa, decimal comma.
        Csv => "csv",
        /// XLSX with typed cells (dates, euros), a frozen header and filters.
        Xlsx => "xlsx",
    }
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

string_enum! {
    /// Where an export job is.
    ExportState {
        /// Accepted, not started.
        Queued => "queued",
        /// Writing rows (`rows_done` grows).
        Running => "running",
        /// The file is ready until `expires_at`.
        Done => "done",
        /// It stopped (`error` says why); nothing to download.
        Failed => "failed",
    }
}

/// How long a finished export's file is kept (it holds personal data: not a day more).
pub const EXPORT_TTL_HOURS: i64 = 24;

/// Rows an export writes at most (a larger list needs narrower filters).
pub const EXPORT_MAX_ROWS: usize = 1_000_000;
