//! Funded projects (progettualità, seeds 000 and 002): their states from the idea to the
//! closing report, the CUP that identifies a public investment, and the deadlines the clock
//! raises while a project is on its way.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::states::Refused;
use crate::{string_enum, text, Error};

string_enum! {
    /// State of a funded project.
    ProjectStatus {
        /// Idea: being written, not yet submitted to the funder.
        Idea => "idea",
        /// Presentato: submitted to the call, waiting for the decision.
        Submitted => "submitted",
        /// Finanziato: granted; its measures can be made in the catalogue.
        Granted => "granted",
        /// Non finanziato: the funder said no.
        Rejected => "rejected",
        /// In corso: its activities have started.
        Running => "running",
        /// Rendicontato: the activities are over and the report is sent.
        Reported => "reported",
        /// Chiuso: the funder accepted the report; kept for the record.
        Closed => "closed",
    }
}

impl ProjectStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "project",
            action,
            from: self.as_str(),
        }
    }

    pub fn submit(self) -> Result<ProjectStatus, Refused> {
        match self {
            Self::Idea => Ok(Self::Submitted),
            s => Err(s.refuse("submit")),
        }
    }

    pub fn grant(self) -> Result<ProjectStatus, Refused> {
        match self {
            Self::Submitted => Ok(Self::Granted),
            s => Err(s.refuse("grant")),
        }
    }

    pub fn reject(self) -> Result<ProjectStatus, Refused> {
        match self {
            Self::Submitted => Ok(Self::Rejected),
            s => Err(s.refuse("reject")),
        }
    }

    pub fn start(self) -> Result<ProjectStatus, Refused> {
        match self {
            Self::Granted => Ok(Self::Running),
            s => Err(s.refuse("start")),
        }
    }

    pub fn report(self) -> Result<ProjectStatus, Refused> {
        match self {
            Self::Running => Ok(Self::Reported),
            s => Err(s.refuse("report")),
        }
    }

    pub fn close(self) -> Result<ProjectStatus, Refused> {
        match self {
            Self::Reported => Ok(Self::Closed),
            s => Err(s.refuse("close")),
        }
    }

    /// Details change until the project is rejected or closed.
    pub fn edit(self) -> Result<ProjectStatus, Refused> {
        match self {
            Self::Rejected | Self::Closed => Err(self.refuse("edit")),
            s => Ok(s),
        }
    }

    /// Only a granted or running project spends money: it may make its catalogue measures.
    pub fn make_measure(self) -> Result<ProjectStatus, Refused> {
        match self {
            Self::Granted | Self::Running => Ok(self),
            s => Err(s.refuse("add_measure")),
        }
    }

    /// Granted money exists from the grant on.
    pub fn is_granted(self) -> bool {
        matches!(
            self,
            Self::Granted | Self::Running | Self::Reported | Self::Closed
        )
    }
}

/// Characters a pasted CUP may carry between its characters; dropped by [`Cup::parse`].
pub const CUP_SEPARATORS: [char; 5] = [' ', '\t', '\n', '\r', '\u{a0}'];

/// The shape of a CUP as the API accepts it (an ECMA-262 regular expression, published as the
/// `pattern` of every `cup` field): a letter, two digits, a letter, eleven digits, either case,
/// with [`CUP_SEPARATORS`] anywhere; separators alone (or nothing) mean "no CUP". A test checks
/// it against the parser.
pub const CUP_PATTERN: &str = r"^[ \t\n\r\u00a0]*(?:[A-Za-z][ \t\n\r\u00a0]*(?:[0-9][ \t\n\r\u00a0]*){2}[A-Za-z][ \t\n\r\u00a0]*(?:[0-9][ \t\n\r\u00a0]*){11})?$";

/// A codice unico di progetto (CUP): 15 characters — a letter, two digits, a letter, eleven
/// digits (e.g. `C11G06000000001`) — read in upper case, separators ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cup(String);

impl Cup {
    /// `None` when the input holds only [`CUP_SEPARATORS`] (the field left blank).
    pub fn parse_optional(field: &str, raw: &str) -> Result<Option<Cup>, Error> {
        if raw.chars().all(|c| CUP_SEPARATORS.contains(&c)) {
            return Ok(None);
        }
        Cup::parse(field, raw).map(Some)
    }

    pub fn parse(field: &str, raw: &str) -> Result<Cup, Error> {
        let s: String = raw
            .chars()
            .filter(|c| !CUP_SEPARATORS.contains(c))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if s.chars().count() != 15 {
            return Err(Error::validation(
                field,
                "length",
                text!(
                    "il CUP è di 15 caratteri (ne ha {n})",
                    "a CUP has 15 characters (this has {n})",
                    n = s.chars().count()
                ),
            ));
        }
        let b = s.as_bytes();
        let ok = b.iter().enumerate().all(|(i, c)| match i {
            0 | 3 => c.is_ascii_uppercase(),
            _ => c.is_ascii_digit(),
        });
        if !ok {
            return Err(Error::validation(
                field,
                "format",
                text!(
                    "il CUP è una lettera, due cifre, una lettera e undici cifre (es. C11G06000000001)",
                    "a CUP is a letter, two digits, a letter and eleven digits (e.g. C11G06000000001)"
                ),
            ));
        }
        Ok(Cup(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A year's share of a grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct YearShare {
    /// Anno.
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    /// Importo dell'anno, in euro cents.
    #[schema(minimum = 0, maximum = 100_000_000_000i64)]
    pub cents: i64,
}

string_enum! {
    /// A project's deadline (scadenza).
    DeadlineKind {
        /// Scadenza di presentazione della domanda.
        Submission => "submission",
        /// Avvio delle attività.
        Start => "start",
        /// Fine delle attività.
        End => "end",
        /// Scadenza della rendicontazione.
        Reporting => "reporting",
    }
}

impl DeadlineKind {
    /// What falls due, after "la scadenza per" / "the deadline for": Italian and English.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::Submission => ("la presentazione della domanda", "the application"),
            Self::Start => ("l'avvio delle attività", "the start of the activities"),
            Self::End => ("la fine delle attività", "the end of the activities"),
            Self::Reporting => ("la rendicontazione", "the report"),
        }
    }
}

/// A project's deadline as the clock sees it today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Due {
    /// Which deadline.
    pub kind: DeadlineKind,
    /// Its date.
    pub date: NaiveDate,
    /// Days from today (negative: passed).
    pub days: i64,
    /// Passed and the step not taken.
    pub overdue: bool,
}

/// How many days ahead a deadline is raised.
pub const DUE_WITHIN_DAYS: i64 = 30;

/// The project's dates.
#[derive(Debug, Clone, Copy, Default)]
pub struct Deadlines {
    pub submission: Option<NaiveDate>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub reporting: Option<NaiveDate>,
}

/// What falls due for a project in this state today: the deadline of the next step it has to
/// take (submitting an idea, starting a granted project, ending and reporting a running one),
/// when it is within [`DUE_WITHIN_DAYS`] or already passed.
pub fn due(s: ProjectStatus, d: &Deadlines, today: NaiveDate) -> Vec<Due> {
    use DeadlineKind as K;
    let pending: &[(K, Option<NaiveDate>)] = match s {
        ProjectStatus::Idea => &[(K::Submission, d.submission)],
        ProjectStatus::Granted => &[(K::Start, d.start)],
        ProjectStatus::Running => &[(K::End, d.end), (K::Reporting, d.reporting)],
        _ => &[],
    };
    pending
        .iter()
        .filter_map(|(k, date)| {
            let date = (*date)?;
            let days = (date - today).num_days();
            (days <= DUE_WITHIN_DAYS).then_some(Due {
                kind: *k,
                date,
                days,
                overdue: days < 0,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    /// The published pattern and the parser agree: the pattern matches exactly the inputs the
    /// parser accepts (or reads as blank).
    #[test]
    fn published_cup_pattern_is_the_parsers_shape() {
        let re = regex::Regex::new(CUP_PATTERN).expect("the pattern compiles");
        let probes = [
            'a', 'C', 'z', '0', '9', '1', ' ', '\t', '\n', '\r', '\u{a0}', '\u{2003}', 'é', 'ß',
            'ı', 'K', '-', '٣',
        ];
        let mut inputs: Vec<String> = vec![String::new(), " ".into(), "\u{2003}".into()];
        for base in ["C11G06000000001", "c11g 0600 0000 001", "C11G0600000000"] {
            let chars: Vec<char> = base.chars().collect();
            inputs.push(base.to_string());
            for i in 0..=chars.len() {
                for p in probes {
                    let mut ins = chars.clone();
                    ins.insert(i, p);
                    inputs.push(ins.iter().collect());
                    if i < chars.len() {
                        let mut rep = chars.clone();
                        rep[i] = p;
                        inputs.push(rep.iter().collect());
                    }
                }
            }
        }
        for s in &inputs {
            let parsed = Cup::parse_optional("cup", s).is_ok();
            assert_eq!(re.is_match(s), parsed, "{s:?}: pattern vs parser");
        }
        assert_eq!(
            Cup::parse("cup", "c11g 0600 0000 001")
                .ok()
                .map(Cup::into_string),
            Some("C11G06000000001".to_string())
        );
    }

    #[test]
    fn a_project_moves_from_the_idea_to_the_closing_report() {
        use ProjectStatus::*;
        assert_eq!(Idea.submit(), Ok(Submitted));
        assert_eq!(Submitted.grant(), Ok(Granted));
        assert_eq!(Submitted.reject(), Ok(Rejected));
        assert_eq!(Granted.start(), Ok(Running));
        assert_eq!(Running.report(), Ok(Reported));
        assert_eq!(Reported.close(), Ok(Closed));
        assert!(Idea.grant().is_err());
        assert!(Granted.reject().is_err());
        assert!(Rejected.edit().is_err());
        assert!(Closed.edit().is_err());
        assert!(Submitted.make_measure().is_err());
        assert!(Running.make_measure().is_ok());
        assert!(!Submitted.is_granted());
        assert!(Reported.is_granted());
    }

    #[test]
    fn a_cup_is_read_in_upper_case_and_checked_for_shape() {
        assert_eq!(
            Cup::parse("cup", " c11g 0600 0000 001")
                .map(|c| c.into_string())
                .ok(),
            Some("C11G06000000001".to_string())
        );
        let short = Cup::parse("cup", "C11G0600000000").unwrap_err();
        assert!(format!("{short:?}").contains("length"));
        let shape = Cup::parse("cup", "111G06000000001").unwrap_err();
        assert!(format!("{shape:?}").contains("format"));
        assert!(Cup::parse("cup", "C11G0600000000À").is_err());
    }

    #[test]
    fn the_next_step_s_deadline_falls_due_within_thirty_days() {
        let dl = Deadlines {
            submission: Some(d(2027, 1, 20)),
            start: Some(d(2027, 3, 1)),
            end: Some(d(2027, 1, 5)),
            reporting: Some(d(2027, 6, 30)),
        };
        let today = d(2027, 1, 10);
        let idea = due(ProjectStatus::Idea, &dl, today);
        assert_eq!(idea.len(), 1);
        assert_eq!(
            (idea[0].kind, idea[0].days, idea[0].overdue),
            (DeadlineKind::Submission, 10, false)
        );
        assert!(due(ProjectStatus::Granted, &dl, today).is_empty());
        let running = due(ProjectStatus::Running, &dl, today);
        assert_eq!(running.len(), 1);
        assert!(running[0].overdue);
        assert!(due(ProjectStatus::Closed, &dl, today).is_empty());
    }
}
