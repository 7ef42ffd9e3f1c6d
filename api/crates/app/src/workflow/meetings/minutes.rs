//! The minutes (verbale) of a meeting, in Italian: rendered by a pure function from a view
//! loaded at once (one query per table, whatever the number of decisions); frozen when the
//! meeting closes, a draft before.

use sistema_lavoro_domain::ids::{
    CaseId, MeasureId, MeetingId, OrganizationId, PersonId, ReferralId, UserId,
};
use std::collections::HashMap;

use sistema_lavoro_domain::meetings::{initials, ActionItemStatus, Attendance, MeetingKind, Topic};
use sistema_lavoro_domain::policy;
use sistema_lavoro_domain::states::DecisionKind;
use sistema_lavoro_domain::vocabulary::Need;
use sistema_lavoro_domain::Error;
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::measures::Measure;
use sistema_lavoro_store::meetings::{Decision, Meeting};
use sistema_lavoro_store::network_meetings::ActionItem;
use sistema_lavoro_store::networks::{Member, Network};
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::persons::Person;
use sistema_lavoro_store::referrals::Referral;
use sistema_lavoro_store::users::User;
use sistema_lavoro_store::{utc, DbConn};

use crate::Ctx;

sistema_lavoro_domain::string_enum! {
    /// Format of the minutes.
    MinutesFormat { Markdown => "markdown", Html => "html", Pdf => "pdf" }
}

/// One decision's lines for the minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinuteEntry {
    pub heading: String,
    pub lines: Vec<(String, String)>,
}

/// An action item as the minutes list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionLine {
    pub title: String,
    pub owner: Option<String>,
    pub due_on: Option<chrono::NaiveDate>,
    pub status: ActionItemStatus,
}

/// Everything the minutes show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesView {
    pub title: String,
    pub date: chrono::NaiveDate,
    pub location: Option<String>,
    /// Who chairs (the coordinator who planned the meeting).
    pub chair: Option<String>,
    /// On behalf of which organization the chair sits ("Ufficio di Piano" at the table).
    pub chair_of: String,
    /// A session of the monthly table (its decisions are listed).
    pub table: bool,
    /// The network and the kind of session, for other networks' meetings.
    pub network: Option<(String, MeetingKind)>,
    pub participants: Vec<String>,
    /// Members attending: organization, people, attendance.
    pub attendees: Vec<(String, Vec<String>, Attendance)>,
    pub topics: Vec<Topic>,
    pub entries: Vec<MinuteEntry>,
    /// Open action items of earlier meetings of the network, followed up.
    pub follow_up: Vec<ActionLine>,
    /// Action items recorded at this meeting.
    pub action_items: Vec<ActionLine>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The decision as the minutes and the SPA name it (`status.decision` in
/// `web/src/i18n/it.json`: one wording, checked by a test).
pub fn decision_label(k: DecisionKind) -> &'static str {
    match k {
        DecisionKind::Accept => "Accolta",
        DecisionKind::Reject => "Non accolta",
        DecisionKind::Redirect => "Inviata ad altro servizio",
        DecisionKind::Defer => "Rinviata alla prossima seduta",
        DecisionKind::RequestInfo => "Informazioni richieste al segnalante",
        DecisionKind::Reassign => "Riassegnata ad altro ente",
        DecisionKind::Confirm => "Percorso confermato",
    }
}

/// A need as the minutes and the SPA name it (`need` in `web/src/i18n/it.json`).
pub fn need_label(n: Need) -> &'static str {
    match n {
        Need::Work => "Lavoro",
        Need::Training => "Formazione",
        Need::Housing => "Casa",
        Need::Transport => "Trasporti",
        Need::Income => "Reddito",
        Need::FamilyCare => "Conciliazione e cura familiare",
        Need::Health => "Salute",
        Need::Relational => "Vita relazionale",
    }
}

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Loads what the minutes of `m` show for `decisions`.
pub fn load(conn: &mut DbConn, m: &Meeting, decisions: &[Decision]) -> Result<MinutesView, Error> {
    let referral_ids: Vec<&ReferralId> = decisions
        .iter()
        .filter_map(|d| d.referral_id.as_ref())
        .collect();
    let case_ids: Vec<&CaseId> = decisions
        .iter()
        .filter_map(|d| d.case_id.as_ref())
        .collect();
    let referrals: HashMap<ReferralId, Referral> = Referral::find_many(conn, &referral_ids)?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let cases: HashMap<CaseId, Case> = Case::find_many(conn, &case_ids)?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
    let person_ids: Vec<&PersonId> = referrals
        .values()
        .map(|r| &r.person_id)
        .chain(cases.values().map(|c| &c.person_id))
        .collect();
    let persons: HashMap<PersonId, Person> = Person::find_many(conn, &person_ids)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    let org_ids: Vec<&OrganizationId> = referrals
        .values()
        .map(|r| &r.organization_id)
        .chain(decisions.iter().filter_map(|d| d.agency_id.as_ref()))
        .collect();
    let orgs: HashMap<OrganizationId, String> =
        Organization::names(conn, &org_ids)?.into_iter().collect();
    let measure_ids: Vec<&MeasureId> = decisions
        .iter()
        .flat_map(|d| d.measure_ids.iter())
        .collect();
    let measures: HashMap<MeasureId, Measure> = Measure::find_many(conn, &measure_ids)?
        .into_iter()
        .map(|x| (x.id.clone(), x))
        .collect();
    let chair = match &m.created_by {
        Some(u) => User::names(conn, &[&UserId::from(u.as_str())])?
            .pop()
            .map(|(_, n)| n),
        None => None,
    };
    let missing = |what: &str, id: &str| Error::Internal(format!("{what} {id} is missing"));
    let org = |id: &str| {
        orgs.get(id)
            .cloned()
            .ok_or_else(|| missing("organization", id))
    };
    let mut entries = Vec::new();
    for (n, d) in decisions.iter().enumerate() {
        let mut lines = vec![("Esito".to_string(), decision_label(d.decision).to_string())];
        let heading;
        if let Some(rid) = &d.referral_id {
            let r = referrals
                .get(rid.as_str())
                .ok_or_else(|| missing("referral", rid.as_str()))?;
            let p = persons
                .get(r.person_id.as_str())
                .ok_or_else(|| missing("person", r.person_id.as_str()))?;
            heading = format!(
                "{}. Segnalazione – {} {} ({})",
                n + 1,
                p.last_name,
                p.first_name,
                p.tax_code
            );
            lines.insert(
                0,
                ("Ente segnalante".into(), org(r.organization_id.as_str())?),
            );
            lines.insert(
                1,
                (
                    "Bisogni".into(),
                    r.needs
                        .iter()
                        .map(|x| need_label(*x))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            );
        } else if let Some(cid) = &d.case_id {
            let c = cases
                .get(cid.as_str())
                .ok_or_else(|| missing("case", cid.as_str()))?;
            let p = persons
                .get(c.person_id.as_str())
                .ok_or_else(|| missing("person", c.person_id.as_str()))?;
            heading = format!(
                "{}. Verifica caso – {} {} ({})",
                n + 1,
                p.last_name,
                p.first_name,
                p.tax_code
            );
        } else {
            continue;
        }
        if let Some(a) = &d.agency_id {
            lines.push(("Ente assegnatario".into(), org(a.as_str())?));
        }
        let named: Vec<String> = d
            .measure_ids
            .iter()
            .filter_map(|id| measures.get(id))
            .map(|x| format!("{} ({})", x.name, x.code))
            .collect();
        if !named.is_empty() {
            lines.push(("Misure".into(), named.join(", ")));
        }
        if let Some(reason) = &d.reason {
            lines.push(("Motivazione".into(), reason.clone()));
        }
        entries.push(MinuteEntry { heading, lines });
    }
    let table = m.kind == MeetingKind::MonthlyTable;
    let network = match &m.network_id {
        Some(id) if !table => Some(Network::find(conn, id)?),
        _ => None,
    };
    let chair_of = match network
        .as_ref()
        .and_then(|n| n.coordinating_organization_id.as_ref())
    {
        Some(o) => Organization::names(conn, &[o])?
            .pop()
            .map(|(_, n)| n)
            .unwrap_or_default(),
        None if table => "Ufficio di Piano".into(),
        None => String::new(),
    };
    let att_orgs: Vec<&OrganizationId> = m.attendees.iter().map(|a| &a.organization_id).collect();
    let att_names: HashMap<OrganizationId, String> =
        Organization::names(conn, &att_orgs)?.into_iter().collect();
    let attendees = m
        .attendees
        .iter()
        .map(|a| {
            (
                att_names
                    .get(&a.organization_id)
                    .cloned()
                    .unwrap_or_default(),
                a.people.clone(),
                a.attendance,
            )
        })
        .collect();
    let recorded = ActionItem::of_meeting(conn, &m.id)?;
    let follow = match &m.network_id {
        Some(n) => ActionItem::open_elsewhere(conn, n, &m.id)?,
        None => Vec::new(),
    };
    let all: Vec<&ActionItem> = recorded.iter().chain(follow.iter()).collect();
    let owner_names = super::network::owners(conn, &all)?;
    let line = |a: &ActionItem| ActionLine {
        title: a.title.clone(),
        owner: a
            .owner_member_id
            .as_ref()
            .and_then(|o| owner_names.get(o))
            .map(|(_, n)| n.clone()),
        due_on: a.due_on,
        status: a.status,
    };
    Ok(MinutesView {
        title: m.title.clone(),
        date: m.scheduled_for,
        location: m.location.clone(),
        chair: chair.filter(|c| !c.is_empty()),
        chair_of,
        table,
        network: network.map(|n| (n.name, m.kind)),
        participants: m.participants.clone(),
        attendees,
        topics: m.topics.clone(),
        entries,
        follow_up: follow.iter().map(line).collect(),
        action_items: recorded.iter().map(line).collect(),
        closed_at: m.closed_at.map(utc),
    })
}

fn action_text(a: &ActionLine) -> String {
    let mut t = a.title.clone();
    if let Some(o) = &a.owner {
        t.push_str(&format!(" — a cura di {o}"));
    }
    if let Some(d) = a.due_on {
        t.push_str(&format!(", entro il {}", d.format("%d/%m/%Y")));
    }
    t.push_str(&format!(" ({})", a.status.label()));
    t
}

fn attendee_text(org: &str, people: &[String], attendance: Attendance) -> String {
    if people.is_empty() {
        format!("{org} — {}", attendance.label())
    } else {
        format!("{org}: {} — {}", people.join(", "), attendance.label())
    }
}

/// A section of the minutes: a heading, its items or, empty, the sentence that says so.
struct Section {
    heading: String,
    items: Vec<String>,
    empty: &'static str,
}

/// Il verbale: Markdown and printable HTML from the same view. Pure: the same view gives the
/// same text.
pub fn render(v: &MinutesView, frozen: bool) -> (String, String) {
    let entries = &v.entries;
    let chair = v.chair.clone().unwrap_or_default();
    let state = if frozen {
        "Verbale"
    } else {
        "Bozza di verbale"
    };
    let date = v.date.format("%d/%m/%Y").to_string();
    let chair_line = if v.chair_of.is_empty() {
        chair.clone()
    } else {
        format!("{chair} ({})", v.chair_of)
    };

    // What precedes the decisions, shown when there is something to show (the table's
    // minutes as before, other networks' with their own sections).
    // Text participants are the table's; another network's minutes list them only if given.
    let mut sections = Vec::new();
    if v.table || !v.participants.is_empty() {
        sections.push(Section {
            heading: "Partecipanti".into(),
            items: v.participants.clone(),
            empty: "Nessun partecipante registrato.",
        });
    }
    if !v.table || !v.attendees.is_empty() {
        sections.push(Section {
            heading: "Aderenti presenti".into(),
            items: v
                .attendees
                .iter()
                .map(|(o, p, a)| attendee_text(o, p, *a))
                .collect(),
            empty: "Nessun aderente registrato.",
        });
    }
    if !v.table || !v.topics.is_empty() {
        sections.push(Section {
            heading: "Ordine del giorno".into(),
            items: v
                .topics
                .iter()
                .enumerate()
                .map(|(n, t)| match &t.notes {
                    Some(notes) => format!("{}. {} — {notes}", n + 1, t.title),
                    None => format!("{}. {}", n + 1, t.title),
                })
                .collect(),
            empty: "Nessun punto all'ordine del giorno.",
        });
    }
    let mut after = Vec::new();
    if !v.table || !v.follow_up.is_empty() {
        after.push(Section {
            heading: "Impegni delle sedute precedenti".into(),
            items: v.follow_up.iter().map(action_text).collect(),
            empty: "Nessun impegno aperto da seguire.",
        });
    }
    if !v.table || !v.action_items.is_empty() {
        after.push(Section {
            heading: "Impegni assunti".into(),
            items: v.action_items.iter().map(action_text).collect(),
            empty: "Nessun impegno assunto.",
        });
    }

    let mut md = format!("# {state} – {}\n\n", v.title);
    if let Some((network, kind)) = &v.network {
        md.push_str(&format!("- **Rete:** {network}\n"));
        md.push_str(&format!("- **Tipo di seduta:** {}\n", kind.label()));
    }
    md.push_str(&format!("- **Data:** {date}\n"));
    if let Some(l) = &v.location {
        md.push_str(&format!("- **Luogo:** {l}\n"));
    }
    if !chair.is_empty() {
        md.push_str(&format!("- **Presiede:** {chair_line}\n"));
    }
    let md_section = |md: &mut String, s: &Section| {
        md.push_str(&format!("\n## {}\n\n", s.heading));
        if s.items.is_empty() {
            md.push_str(&format!("_{}_\n", s.empty));
        }
        for p in &s.items {
            md.push_str(&format!("- {p}\n"));
        }
    };
    for s in &sections {
        md_section(&mut md, s);
    }
    if v.table {
        md.push_str(&format!("\n## Decisioni ({})\n\n", entries.len()));
        if entries.is_empty() {
            md.push_str("_Nessuna decisione._\n");
        }
        for e in entries {
            md.push_str(&format!("### {}\n\n", e.heading));
            for (k, v) in &e.lines {
                md.push_str(&format!("- **{k}:** {v}\n"));
            }
            md.push('\n');
        }
    }
    for s in &after {
        md_section(&mut md, s);
    }
    if !v.table || !after.is_empty() {
        md.push('\n');
    }
    if let Some(c) = v.closed_at {
        md.push_str(&format!(
            "_Seduta chiusa il {}._\n",
            c.with_timezone(&chrono_tz::Europe::Rome)
                .format("%d/%m/%Y alle %H:%M")
        ));
    }

    let mut html =
        String::from("<!doctype html>\n<html lang=\"it\"><head><meta charset=\"utf-8\">");
    html.push_str(&format!("<title>{state} – {}</title>", escape(&v.title)));
    html.push_str("<style>body{font-family:'Titillium Web',Arial,sans-serif;max-width:48rem;margin:2rem auto;color:#1a1a1a;line-height:1.5}h1{font-size:1.6rem;border-bottom:2px solid #06c;padding-bottom:.3rem}h2{font-size:1.25rem;margin-top:1.5rem}h3{font-size:1.05rem;margin-bottom:.3rem}dl{display:grid;grid-template-columns:12rem 1fr;gap:.2rem .8rem;margin:0 0 1rem}dt{font-weight:600}dd{margin:0}@media print{body{margin:0}}</style></head><body>");
    html.push_str(&format!("<h1>{state} – {}</h1><dl>", escape(&v.title)));
    if let Some((network, kind)) = &v.network {
        html.push_str(&format!(
            "<dt>Rete</dt><dd>{}</dd><dt>Tipo di seduta</dt><dd>{}</dd>",
            escape(network),
            kind.label()
        ));
    }
    html.push_str(&format!("<dt>Data</dt><dd>{date}</dd>"));
    if let Some(l) = &v.location {
        html.push_str(&format!("<dt>Luogo</dt><dd>{}</dd>", escape(l)));
    }
    if !chair.is_empty() {
        html.push_str(&format!(
            "<dt>Presiede</dt><dd>{}</dd>",
            escape(&chair_line)
        ));
    }
    html.push_str("</dl>");
    let html_section = |html: &mut String, s: &Section| {
        html.push_str(&format!("<h2>{}</h2>", escape(&s.heading)));
        if s.items.is_empty() {
            html.push_str(&format!("<p><em>{}</em></p>", escape(s.empty)));
        } else {
            html.push_str("<ul>");
            for p in &s.items {
                html.push_str(&format!("<li>{}</li>", escape(p)));
            }
            html.push_str("</ul>");
        }
    };
    for s in &sections {
        html_section(&mut html, s);
    }
    if v.table {
        html.push_str(&format!("<h2>Decisioni ({})</h2>", entries.len()));
        if entries.is_empty() {
            html.push_str("<p><em>Nessuna decisione.</em></p>");
        }
        for e in entries {
            html.push_str(&format!("<section><h3>{}</h3><dl>", escape(&e.heading)));
            for (k, v) in &e.lines {
                html.push_str(&format!("<dt>{}</dt><dd>{}</dd>", escape(k), escape(v)));
            }
            html.push_str("</dl></section>");
        }
    }
    for s in &after {
        html_section(&mut html, s);
    }
    if let Some(c) = v.closed_at {
        html.push_str(&format!(
            "<p><em>Seduta chiusa il {}.</em></p>",
            c.with_timezone(&chrono_tz::Europe::Rome)
                .format("%d/%m/%Y alle %H:%M")
        ));
    }
    html.push_str("</body></html>\n");
    (md, html)
}

/// The minutes of a meeting the caller may see: frozen once closed, a draft before. A user of
/// a member organization of the table who may not see the meeting reads its member's copy of
/// the frozen minutes ([`member_copy`]).
pub fn read(conn: &mut DbConn, cx: &Ctx, id: &MeetingId) -> Result<(String, String), Error> {
    let m = Meeting::find(conn, id).map_err(|_| Error::hidden())?;
    match super::network::access(conn, cx, &m) {
        Ok(_) => {}
        Err(Error::NotFound) => return member_copy(conn, cx, &m),
        Err(e) => return Err(e),
    }
    match (&m.minutes_md, &m.minutes_html) {
        (Some(md), Some(html)) => Ok((md.clone(), html.clone())),
        _ => {
            let decisions = Decision::of_meeting(conn, &m.id)?;
            Ok(render(&load(conn, &m, &decisions)?, false))
        }
    }
}

/// A member's copy of the table's frozen minutes, for the users of an organization that is a
/// member of the table (referrers, agencies): rendered from the frozen text, every person the
/// organization may not see (policy: a referral it sent, a case it follows or is assigned)
/// named by initials only, without the tax code. Before the close, or for anyone else: `404`.
pub fn member_copy(conn: &mut DbConn, cx: &Ctx, m: &Meeting) -> Result<(String, String), Error> {
    let (Some(md), Some(html)) = (&m.minutes_md, &m.minutes_html) else {
        return Err(Error::hidden());
    };
    let (Some(org), Some(network)) = (&cx.actor.organization_id, &m.network_id) else {
        return Err(Error::hidden());
    };
    if m.kind != MeetingKind::MonthlyTable
        || cx.actor.is_client()
        || !cx.actor.in_district(&m.district_id)
        || Member::member_of(conn, org, &[network], cx.now.today)?.is_empty()
    {
        return Err(Error::hidden());
    }
    let decisions = Decision::of_meeting(conn, &m.id)?;
    let referral_ids: Vec<&ReferralId> = decisions
        .iter()
        .filter_map(|d| d.referral_id.as_ref())
        .collect();
    let case_ids: Vec<&CaseId> = decisions
        .iter()
        .filter_map(|d| d.case_id.as_ref())
        .collect();
    let referrals = Referral::find_many(conn, &referral_ids)?;
    let cases = Case::find_many(conn, &case_ids)?;
    let assigned = |d: &Decision| {
        d.agency_id
            .as_ref()
            .is_some_and(|a| policy::sees_case(cx.actor, &m.district_id, a))
    };
    // Each person of the minutes, and whether the member may see them.
    let mut seen: HashMap<PersonId, bool> = HashMap::new();
    for d in &decisions {
        let (person, sees) = if let Some(r) = referrals
            .iter()
            .find(|r| Some(&r.id) == d.referral_id.as_ref())
        {
            let facts = policy::ReferralFacts {
                district_id: &r.district_id,
                organization_id: &r.organization_id,
                status: r.status,
            };
            (
                &r.person_id,
                policy::sees_referral(cx.actor, &facts) || assigned(d),
            )
        } else if let Some(c) = cases.iter().find(|c| Some(&c.id) == d.case_id.as_ref()) {
            (
                &c.person_id,
                policy::sees_case(cx.actor, &c.district_id, &c.agency_id) || assigned(d),
            )
        } else {
            continue;
        };
        *seen.entry(person.clone()).or_insert(false) |= sees;
    }
    let hidden: Vec<&PersonId> = seen.iter().filter(|(_, s)| !**s).map(|(p, _)| p).collect();
    let (mut md, mut html) = (md.clone(), html.clone());
    for p in Person::find_many(conn, &hidden)? {
        let full = format!("{} {} ({})", p.last_name, p.first_name, p.tax_code);
        let short = initials(&format!("{} {}", p.last_name, p.first_name));
        md = md.replace(&full, &short);
        html = html.replace(&escape(&full), &escape(&short));
    }
    let note = "Copia per l'aderente: le persone che il tuo ente non segue sono indicate con le sole iniziali.";
    md = md.replacen("\n\n", &format!("\n\n_{note}_\n\n"), 1);
    html = html.replacen(
        "</h1>",
        &format!("</h1><p><em>{}</em></p>", escape(note)),
        1,
    );
    Ok((md, html))
}

/// The minutes as a PDF, from their Markdown (the frozen text once closed): headings, the
/// labelled lines and the lists, on numbered A4 pages.
pub fn pdf(md: &str) -> Vec<u8> {
    use crate::pdf::Block;
    let mut title = String::from("Verbale");
    let mut blocks = Vec::new();
    for line in md.lines() {
        let line = line.trim_end();
        if let Some(t) = line.strip_prefix("# ") {
            title = t.to_string();
            blocks.push(Block::Title(t.into()));
        } else if let Some(t) = line
            .strip_prefix("## ")
            .or_else(|| line.strip_prefix("### "))
        {
            blocks.push(Block::Heading(t.into()));
        } else if let Some(rest) = line.strip_prefix("- **") {
            match rest.split_once(":** ") {
                Some((k, v)) => blocks.push(Block::Field(k.into(), v.into())),
                None => blocks.push(Block::Text(format!("• {}", rest.replace("**", "")))),
            }
        } else if let Some(t) = line.strip_prefix("- ") {
            blocks.push(Block::Text(format!("• {t}")));
        } else if line.is_empty() {
            continue;
        } else {
            blocks.push(Block::Text(line.trim_matches('_').to_string()));
        }
    }
    crate::pdf::render(&title, &blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> MinutesView {
        MinutesView {
            title: "Tavolo Sistema Lavoro – 10/12/2026".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap_or_default(),
            location: Some("Ufficio di Piano <sala 1>".into()),
            chair: Some("Chiara Colombo".into()),
            chair_of: "Ufficio di Piano".into(),
            table: true,
            network: None,
            attendees: Vec::new(),
            topics: Vec::new(),
            follow_up: Vec::new(),
            action_items: Vec::new(),
            participants: vec!["Carla Pesenti (CPI Bergamo)".into()],
            entries: vec![MinuteEntry {
                heading: "1. Segnalazione – Rossi Mario (RSSMRA85T10A794D)".into(),
                lines: vec![
                    ("Ente segnalante".into(), "Servizio Sociale".into()),
                    ("Esito".into(), decision_label(DecisionKind::Accept).into()),
                ],
            }],
            closed_at: None,
        }
    }

    #[test]
    fn the_same_view_renders_the_same_minutes_in_both_formats() {
        let (md, html) = render(&view(), false);
        assert_eq!(render(&view(), false), (md.clone(), html.clone()));
        assert!(md.starts_with("# Bozza di verbale – Tavolo Sistema Lavoro – 10/12/2026"));
        assert!(md.contains("- **Presiede:** Chiara Colombo (Ufficio di Piano)"));
        assert!(md.contains("### 1. Segnalazione – Rossi Mario"));
        assert!(html.contains("Ufficio di Piano &lt;sala 1&gt;"), "escaped");
        let (frozen, _) = render(&view(), true);
        assert!(frozen.starts_with("# Verbale – "));
    }

    /// The minutes speak the SPA's words: every decision and need label is the one of
    /// `web/src/i18n/it.json` (`status.decision`, `need`); the minutes have no English copy.
    #[test]
    fn the_minutes_and_the_spa_use_the_same_labels() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../web/src/i18n/it.json");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let it: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let mut differ = Vec::new();
        for k in DecisionKind::ALL {
            let spa = it["status"]["decision"][k.as_str()].as_str();
            if spa != Some(decision_label(*k)) {
                differ.push(format!(
                    "status.decision.{}: {spa:?} vs {:?}",
                    k.as_str(),
                    decision_label(*k)
                ));
            }
        }
        for n in Need::ALL {
            let spa = it["need"][n.as_str()].as_str();
            if spa != Some(need_label(*n)) {
                differ.push(format!(
                    "need.{}: {spa:?} vs {:?}",
                    n.as_str(),
                    need_label(*n)
                ));
            }
        }
        assert!(differ.is_empty(), "labels differ: {differ:#?}");
    }
}
