//! The languages the product answers in: Italian first, English on request
//! (`Accept-Language: en`), and [`Text`], a message written in both.

use std::borrow::Cow;
use std::fmt;

use crate::vocabulary::{Cluster, EmploymentStatus, TargetGroup};

/// A language of the product's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    It,
    En,
}

impl Lang {
    /// From an `Accept-Language` header: the first supported language by preference
    /// (`q` weights honoured), Italian when none is.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(h) = header else {
            return Lang::It;
        };
        let mut ranked: Vec<(f32, Lang)> = h
            .split(',')
            .filter_map(|part| {
                let mut bits = part.split(';');
                let tag = bits.next()?.trim().to_ascii_lowercase();
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q=").map(str::to_string))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                let lang = match tag.split('-').next()? {
                    "it" => Lang::It,
                    "en" => Lang::En,
                    _ => return None,
                };
                (q > 0.0).then_some((q, lang))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|(_, l)| *l).unwrap_or(Lang::It)
    }
}

/// A message for people, written in both languages of the product: an error's detail, a
/// field's message. It cannot be built in one language only; it is rendered once, in the
/// caller's language, where the answer is written (`problem+json`). Written with [`text!`]:
///
/// ```
/// use sistema_lavoro_domain::{i18n::Lang, text};
/// let max = 29;
/// let t = text!("deve essere al massimo {max}", "must be at most {max}");
/// assert_eq!(t.get(Lang::It), "deve essere al massimo 29");
/// assert_eq!(t.get(Lang::En), "must be at most 29");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text {
    it: Cow<'static, str>,
    en: Cow<'static, str>,
}

impl Text {
    /// Both texts, fixed.
    pub const fn new(it: &'static str, en: &'static str) -> Text {
        Text {
            it: Cow::Borrowed(it),
            en: Cow::Borrowed(en),
        }
    }

    /// Both texts, composed.
    pub fn owned(it: String, en: String) -> Text {
        Text {
            it: Cow::Owned(it),
            en: Cow::Owned(en),
        }
    }

    /// What [`text!`] expands to: borrowed when nothing was interpolated.
    pub fn from_args(it: fmt::Arguments<'_>, en: fmt::Arguments<'_>) -> Text {
        let cow = |a: fmt::Arguments<'_>| match a.as_str() {
            Some(s) => Cow::Borrowed(s),
            None => Cow::Owned(a.to_string()),
        };
        Text {
            it: cow(it),
            en: cow(en),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::It => &self.it,
            Lang::En => &self.en,
        }
    }

    /// The same change applied to both texts (e.g. a prefix per language).
    pub fn map(&self, f: impl Fn(Lang, &str) -> String) -> Text {
        Text::owned(f(Lang::It, &self.it), f(Lang::En, &self.en))
    }
}

/// Logs and `Display` read English (the operators' language); people get [`Text::get`].
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// A [`Text`]: the Italian, then the English, each a `format!` string (captured names and
/// trailing arguments are shared by both).
#[macro_export]
macro_rules! text {
    ($it:literal, $en:literal $(,)?) => {
        $crate::i18n::Text::from_args(format_args!($it), format_args!($en))
    };
    ($it:literal, $en:literal, $($arg:tt)+) => {
        $crate::i18n::Text::from_args(format_args!($it, $($arg)+), format_args!($en, $($arg)+))
    };
}

/// How a state reads in a sentence ("la segnalazione è …"), per entity.
pub fn state_label(entity: &str, state: &str, lang: Lang) -> String {
    let it = match (entity, state) {
        ("referral", "draft") => "bozza",
        ("referral", "submitted") => "inviata",
        ("referral", "scheduled") => "all'ordine del giorno",
        ("referral", "accepted") => "accolta",
        ("referral", "rejected") => "non accolta",
        ("referral", "redirected") => "inviata ad altro servizio",
        ("referral", "deferred") => "rinviata",
        ("referral", "info_requested") => "in attesa di informazioni",
        ("referral", "withdrawn") => "ritirata",
        ("case", "assigned") => "assegnato",
        ("case", "in_charge") => "in carico",
        ("case", "active") => "con misure in corso",
        ("case", "monitoring") => "in monitoraggio",
        ("case", "suspended") => "sospeso",
        ("case", "closed") => "chiuso",
        ("activation", "proposed") => "proposta",
        ("activation", "approved") => "approvata",
        ("activation", "running") => "in corso",
        ("activation", "completed") => "completata",
        ("activation", "interrupted") => "interrotta",
        ("activation", "cancelled") => "annullata",
        ("meeting", "planned") => "programmata",
        ("meeting", "open") => "aperta",
        ("meeting", "closed") => "chiusa",
        ("client", "revoked") | ("webhook", "inactive") => "disattivato",
        ("delivery", "pending") => "in attesa di consegna",
        ("delivery", "inactive") => "di un webhook disattivato",
        ("outcome_check", "due") => "da registrare",
        ("outcome_check", "done") => "registrata",
        ("network", "forming") => "in costituzione",
        ("network", "active") => "attiva",
        ("network", "suspended") => "sospesa",
        ("network", "closed") => "chiusa",
        ("resource", "pledged") => "promessa",
        ("resource", "available") => "disponibile",
        ("resource", "used") => "utilizzata",
        ("resource", "withdrawn") => "ritirata",
        ("member", "withdrawn") => "ritirato",
        ("join_request", "pending") => "in attesa",
        ("join_request", "accepted") => "accolta",
        ("join_request", "declined") => "respinta",
        ("agreement", "draft") => "in bozza",
        ("agreement", "signed") => "firmato",
        ("agreement", "expired") => "scaduto",
        ("agreement", "terminated") => "risolto",
        ("collective_action", "planned") => "prevista",
        ("collective_action", "running") => "in corso",
        ("collective_action", "completed") => "conclusa",
        ("collective_action", "cancelled") => "annullata",
        ("working_group", "active") => "attivo",
        ("working_group", "closed") => "chiuso",
        ("group_member", "left") => "uscito dal gruppo",
        ("shared_response", "offered") => "offerta",
        ("shared_response", "available") => "disponibile",
        ("shared_response", "withdrawn") => "ritirata",
        ("plan", "draft") => "in bozza",
        ("plan", "approved") => "approvato",
        ("plan", "closed") => "chiuso",
        ("plan_action", "planned") => "prevista",
        ("plan_action", "running") => "in corso",
        ("plan_action", "completed") => "conclusa",
        ("plan_action", "dropped") => "abbandonata",
        ("project", "idea") => "un'idea",
        ("project", "submitted") => "presentato",
        ("project", "granted") => "finanziato",
        ("project", "rejected") => "non finanziato",
        ("project", "running") => "in corso",
        ("project", "reported") => "rendicontato",
        ("project", "closed") => "chiuso",
        ("consent", "given") => "in vigore",
        ("consent", "withdrawn") => "revocato",
        ("consent", "expired") => "scaduto",
        ("notice", "given") => "resa",
        ("anonymisation_request", "pending") => "in attesa di approvazione",
        ("anonymisation_request", "approved") => "approvata",
        ("anonymisation_request", "rejected") => "respinta",
        _ => "",
    };
    match lang {
        Lang::It if !it.is_empty() => it.to_string(),
        _ => state.replace('_', " "),
    }
}

/// An action as an Italian infinitive, for "non è possibile {verbo} {entità}".
pub fn action_verb(action: &str) -> &'static str {
    match action {
        "submit" => "inviare",
        "withdraw" => "ritirare",
        "schedule" => "mettere all'ordine del giorno",
        "unschedule" => "togliere dall'ordine del giorno",
        "decide" => "registrare una decisione per",
        "accept" => "accogliere",
        "decline" => "respingere",
        "sign" => "firmare",
        "terminate" => "risolvere",
        "attach" => "allegare un documento a",
        "reject" => "non accogliere",
        "edit" | "update" => "modificare",
        "delete" => "eliminare",
        "close" => "chiudere",
        "open" => "aprire",
        "assign" => "assegnare",
        "reassign" => "riassegnare",
        "take_charge" => "prendere in carico",
        "suspend" => "sospendere",
        "resume" => "riprendere",
        "create" => "creare",
        "propose" => "proporre",
        "approve" => "approvare",
        "start" => "avviare",
        "complete" => "completare",
        "interrupt" => "interrompere",
        "cancel" => "annullare",
        "record" => "registrare",
        "review" => "riesaminare",
        "revoke" => "revocare",
        "rotate the secret of" => "rigenerare il segreto per",
        "redeliver" => "ripetere",
        "activate" => "attivare",
        "make available" => "rendere disponibile",
        "use" => "utilizzare",
        "leave" => "lasciare",
        "grant" => "registrare il finanziamento di",
        "report" => "rendicontare",
        "add_measure" => "creare una misura per",
        "add members to" => "aggiungere aderenti a",
        "pledge resources to" => "mettere risorse a disposizione di",
        _ => "completare l'operazione su",
    }
}

/// An employment status as it reads in Italian.
pub fn employment_status_it(s: EmploymentStatus) -> &'static str {
    match s {
        EmploymentStatus::Unemployed => "disoccupato/a",
        EmploymentStatus::Employed => "occupato/a",
        EmploymentStatus::WorkingPoor => "lavoratore/trice povero/a",
        EmploymentStatus::Inactive => "inattivo/a",
        EmploymentStatus::Student => "studente/essa",
    }
}

/// A target group as it reads in Italian.
pub fn target_group_it(g: TargetGroup) -> &'static str {
    match g {
        TargetGroup::YouthNeet => "giovani NEET",
        TargetGroup::Over50 => "over 50",
        TargetGroup::LongTermUnemployed => "disoccupati di lunga durata",
        TargetGroup::Disability => "persone con disabilità",
        TargetGroup::CriminalJustice => "area penale",
        TargetGroup::CareLeaver => "care leavers",
        TargetGroup::Migrant => "migranti",
        TargetGroup::IncomeSupport => "beneficiari di sostegno al reddito",
        TargetGroup::WomenReturning => "donne che rientrano al lavoro",
    }
}

/// A cluster (profiling band) as it reads in Italian.
pub fn cluster_it(c: Cluster) -> &'static str {
    match c {
        Cluster::Band1 => "cluster 1",
        Cluster::Band2 => "cluster 2",
        Cluster::Band3 => "cluster 3",
        Cluster::Band4 => "cluster 4",
    }
}

/// The entity's name in a sentence.
pub fn entity_label(entity: &str, lang: Lang) -> &'static str {
    match (lang, entity) {
        (Lang::It, "referral") => "la segnalazione",
        (Lang::It, "case") => "il caso",
        (Lang::It, "activation") => "la misura",
        (Lang::It, "meeting") => "la seduta",
        (Lang::It, "client") => "il client",
        (Lang::It, "webhook") => "il webhook",
        (Lang::It, "delivery") => "la consegna",
        (Lang::It, "outcome_check" | "outcome check") => "la verifica",
        (Lang::It, "network") => "la rete",
        (Lang::It, "resource") => "la risorsa",
        (Lang::It, "member") => "l'adesione",
        (Lang::It, "plan") => "il piano",
        (Lang::It, "plan_action") => "l'azione del piano",
        (Lang::It, "join_request") => "la richiesta di adesione",
        (Lang::It, "agreement") => "l'accordo",
        (Lang::It, "collective_action") => "l'azione collettiva",
        (Lang::It, "working_group") => "il gruppo di lavoro",
        (Lang::It, "group_member") => "la partecipazione al gruppo",
        (Lang::It, "shared_response") => "la risposta condivisa",
        (Lang::It, "project") => "il progetto",
        (Lang::It, "consent") => "il consenso",
        (Lang::It, "notice") => "l'informativa resa",
        (Lang::It, "anonymisation_request") => "la richiesta di anonimizzazione",
        (Lang::It, _) => "l'elemento",
        (Lang::En, "referral") => "the referral",
        (Lang::En, "case") => "the case",
        (Lang::En, "activation") => "the measure",
        (Lang::En, "meeting") => "the meeting",
        (Lang::En, "client") => "the client",
        (Lang::En, "webhook") => "the webhook",
        (Lang::En, "delivery") => "the delivery",
        (Lang::En, "outcome_check" | "outcome check") => "the check",
        (Lang::En, "network") => "the network",
        (Lang::En, "resource") => "the resource",
        (Lang::En, "member") => "the membership",
        (Lang::En, "plan") => "the plan",
        (Lang::En, "plan_action") => "the plan's action",
        (Lang::En, "join_request") => "the request to join",
        (Lang::En, "agreement") => "the agreement",
        (Lang::En, "collective_action") => "the collective action",
        (Lang::En, "working_group") => "the working group",
        (Lang::En, "group_member") => "the group membership",
        (Lang::En, "shared_response") => "the shared response",
        (Lang::En, "project") => "the project",
        (Lang::En, "consent") => "the consent",
        (Lang::En, "notice") => "the notice given",
        (Lang::En, "anonymisation_request") => "the anonymisation request",
        (Lang::En, _) => "the record",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_by_weight_and_falls_back_to_italian() {
        assert_eq!(Lang::from_accept_language(None), Lang::It);
        assert_eq!(Lang::from_accept_language(Some("en")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(
            Lang::from_accept_language(Some("de, en;q=0.5, it;q=0.8")),
            Lang::It
        );
        assert_eq!(Lang::from_accept_language(Some("fr")), Lang::It);
        assert_eq!(
            Lang::from_accept_language(Some("it;q=0, en;q=0.1")),
            Lang::En
        );
    }
}
