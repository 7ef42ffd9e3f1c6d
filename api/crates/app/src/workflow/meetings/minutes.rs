//! The minutes (verbale) of a meeting, in Italian: rendered by a pure function from a view
//! loaded at once (one query per table, whatever the number of decisions); frozen when the
//! meeting closes, a draft before.

use sistema_lavoro_domain::ids::{
    CaseId, MeasureId, MeetingId, OrganizationId, PersonId, ReferralId, UserId,
};
use std::collections::HashMap;

use sistema_lavoro_domain::states::DecisionKind;
use sistema_lavoro_domain::vocabulary::Need;
use sistema_lavoro_domain::{Error, Expected};
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::measures::Measure;
use sistema_lavoro_store::meetings::{Decision, Meeting};
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::persons::Person;
use sistema_lavoro_store::referrals::Referral;
use sistema_lavoro_store::users::User;
use sistema_lavoro_store::{utc, DbConn};

use super::visible;
use crate::Ctx;

sistema_lavoro_domain::string_enum! {
    /// Format of the minutes.
    MinutesFormat { Markdown => "markdown", Html => "html" }
}

/// One decision's lines for the minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinuteEntry {
    pub heading: String,
    pub lines: Vec<(String, String)>,
}

/// Everything the minutes show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesView {
    pub title: String,
    pub date: chrono::NaiveDate,
    pub location: Option<String>,
    /// Who chairs (the coordinator who planned the meeting).
    pub chair: Option<String>,
    pub participants: Vec<String>,
    pub entries: Vec<MinuteEntry>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn decision_label(k: DecisionKind) -> &'static str {
    match k {
        DecisionKind::Accept => "Accolta – presa in carico",
        DecisionKind::Reject => "Respinta",
        DecisionKind::Redirect => "Reindirizzata ad altro servizio",
        DecisionKind::Defer => "Rinviata alla seduta successiva",
        DecisionKind::RequestInfo => "Richiesta di integrazioni",
        DecisionKind::Reassign => "Riassegnazione ad altro ente",
        DecisionKind::Confirm => "Confermato il percorso in corso",
    }
}

fn need_label(n: Need) -> &'static str {
    match n {
        Need::Work => "lavoro",
        Need::Training => "formazione",
        Need::Housing => "casa",
        Need::Transport => "trasporti",
        Need::Income => "reddito",
        Need::FamilyCare => "conciliazione e cura",
        Need::Health => "salute",
        Need::Relational => "vita relazionale",
    }
}

fn escape(s: &str) -> String {
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
    Ok(MinutesView {
        title: m.title.clone(),
        date: m.scheduled_for,
        location: m.location.clone(),
        chair: chair.filter(|c| !c.is_empty()),
        participants: m.participants.clone(),
        entries,
        closed_at: m.closed_at.map(utc),
    })
}

/// Il verbale: Markdown and printable HTML from the same view. Pure: the same view gives the
/// same text.
pub fn render(v: &MinutesView, frozen: bool) -> (String, String) {
    let participants = &v.participants;
    let entries = &v.entries;
    let chair = v.chair.clone().unwrap_or_default();
    let state = if frozen {
        "Verbale"
    } else {
        "Bozza di verbale"
    };
    let date = v.date.format("%d/%m/%Y").to_string();

    let mut md = format!("# {state} – {}\n\n", v.title);
    md.push_str(&format!("- **Data:** {date}\n"));
    if let Some(l) = &v.location {
        md.push_str(&format!("- **Luogo:** {l}\n"));
    }
    if !chair.is_empty() {
        md.push_str(&format!("- **Presiede:** {chair} (Ufficio di Piano)\n"));
    }
    md.push_str("\n## Partecipanti\n\n");
    if participants.is_empty() {
        md.push_str("_Nessun partecipante registrato._\n");
    }
    for p in participants {
        md.push_str(&format!("- {p}\n"));
    }
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
    html.push_str(&format!(
        "<h1>{state} – {}</h1><dl><dt>Data</dt><dd>{date}</dd>",
        escape(&v.title)
    ));
    if let Some(l) = &v.location {
        html.push_str(&format!("<dt>Luogo</dt><dd>{}</dd>", escape(l)));
    }
    if !chair.is_empty() {
        html.push_str(&format!(
            "<dt>Presiede</dt><dd>{} (Ufficio di Piano)</dd>",
            escape(&chair)
        ));
    }
    html.push_str("</dl><h2>Partecipanti</h2>");
    if participants.is_empty() {
        html.push_str("<p><em>Nessun partecipante registrato.</em></p>");
    } else {
        html.push_str("<ul>");
        for p in participants {
            html.push_str(&format!("<li>{}</li>", escape(p)));
        }
        html.push_str("</ul>");
    }
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

/// The minutes of a meeting the caller may see: frozen once closed, a draft before.
pub fn read(conn: &mut DbConn, cx: &Ctx, id: &MeetingId) -> Result<(String, String), Error> {
    let m = visible(conn, cx, id, &Expected::Any)?;
    match (&m.minutes_md, &m.minutes_html) {
        (Some(md), Some(html)) => Ok((md.clone(), html.clone())),
        _ => {
            let decisions = Decision::of_meeting(conn, &m.id)?;
            Ok(render(&load(conn, &m, &decisions)?, false))
        }
    }
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
}
