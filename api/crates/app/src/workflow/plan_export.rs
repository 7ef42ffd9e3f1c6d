//! The plan to print and to share: an XLSX workbook with one sheet per axis and the seed's
//! columns — "Data / Fonte / Budget / Dipartimento" — with what each action still lacks and
//! what monitoring counts, and the same as an A4 PDF. Aggregates only: no person appears.

use chrono::NaiveDate;
use sistema_lavoro_domain::i18n::{state_label, Lang};
use sistema_lavoro_domain::ids::PlanId;
use sistema_lavoro_domain::Error;
use sistema_lavoro_store::DbConn;

use super::monitoring::{self, ActionMonitoring};
use super::plans::{self, PlanActionOut, PlanOut};
use crate::pdf::{self, Block};
use crate::xlsx::{self, Cell, Sheet};
use crate::Ctx;

/// A file to download.
pub struct Export {
    pub bytes: Vec<u8>,
    pub file_name: String,
}

fn pick(lang: Lang, it: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::It => it,
        Lang::En => en,
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn euros(cents: i64) -> String {
    let neg = cents < 0;
    let c = cents.unsigned_abs();
    let whole = (c / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{}{grouped},{:02} €", if neg { "-" } else { "" }, c % 100)
}

/// A file name from the plan's title: letters, digits and dashes.
fn file_name(p: &PlanOut, ext: &str) -> String {
    let slug: String = p
        .title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug: String = slug.chars().take(60).collect();
    format!(
        "{}.{ext}",
        if slug.is_empty() {
            "piano".into()
        } else {
            slug
        }
    )
}

fn missing(a: &PlanActionOut) -> String {
    a.completeness
        .reasons
        .iter()
        .filter(|r| !r.met)
        .map(|r| r.message.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

struct Loaded {
    plan: PlanOut,
    actions: Vec<PlanActionOut>,
    figures: Vec<ActionMonitoring>,
}

fn load(conn: &mut DbConn, cx: &Ctx, id: &PlanId) -> Result<Loaded, Error> {
    let (plan, actions) = plans::all_actions(conn, cx, id)?;
    let figures = monitoring::plan(conn, cx, id)?.actions;
    Ok(Loaded {
        plan,
        actions,
        figures,
    })
}

impl Loaded {
    fn of_axis<'a>(
        &'a self,
        axis: &'a str,
    ) -> impl Iterator<Item = (&'a PlanActionOut, Option<&'a ActionMonitoring>)> + 'a {
        self.actions
            .iter()
            .filter(move |a| a.axis_id == axis)
            .map(|a| (a, self.figures.iter().find(|f| f.action_id == a.id)))
    }
}

/// `GET /plans/{id}/export.xlsx`: one sheet per axis.
pub fn xlsx(conn: &mut DbConn, cx: &Ctx, id: &PlanId) -> Result<Export, Error> {
    let l = load(conn, cx, id)?;
    let lang = cx.lang;
    let header: Vec<String> = [
        pick(lang, "Azione", "Action"),
        pick(lang, "Descrizione", "Description"),
        pick(lang, "Risultati attesi", "Expected results"),
        pick(lang, "Data inizio", "Start date"),
        pick(lang, "Data fine", "End date"),
        pick(lang, "Fonte", "Funding source"),
        pick(lang, "Nota sulla fonte", "Funding note"),
        pick(lang, "Budget", "Budget"),
        pick(lang, "Dipartimento", "Department"),
        pick(lang, "Ente responsabile", "Responsible organization"),
        pick(lang, "Stato", "State"),
        pick(lang, "Cosa manca", "Still missing"),
        pick(lang, "Persone raggiunte", "Persons reached"),
        pick(lang, "Attivazioni", "Activations"),
        pick(lang, "Speso", "Spent"),
        pick(lang, "Budget eseguito", "Budget executed"),
        pick(lang, "In ritardo", "Late"),
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    let widths = vec![
        40.0, 60.0, 40.0, 12.0, 12.0, 20.0, 24.0, 14.0, 28.0, 28.0, 12.0, 50.0, 12.0, 12.0, 14.0,
        12.0, 10.0,
    ];
    let yes_no = |b: bool| {
        Cell::from(if b {
            pick(lang, "sì", "yes")
        } else {
            pick(lang, "no", "no")
        })
    };
    let sheets = l
        .plan
        .axes
        .iter()
        .map(|axis| Sheet {
            name: format!("{}. {}", axis.position, axis.title),
            header: header.clone(),
            widths: widths.clone(),
            rows: l
                .of_axis(&axis.id)
                .map(|(a, m)| {
                    let f = m.map(|m| &m.figures);
                    vec![
                        Cell::from(a.title.clone()),
                        Cell::from(a.description.clone()),
                        Cell::from(a.expected_results.clone()),
                        Cell::from(a.start_date),
                        Cell::from(a.end_date),
                        Cell::from(a.funding_source.map(|s| s.label(lang))),
                        Cell::from(a.funding_note.clone()),
                        a.budget_cents.map_or(Cell::Empty, Cell::Euros),
                        Cell::from(a.responsible_department.clone()),
                        Cell::from(a.responsible_organization.as_ref().map(|o| o.name.clone())),
                        Cell::from(state_label("plan_action", a.status.as_str(), lang)),
                        Cell::from(missing(a)),
                        f.map_or(Cell::Empty, |f| Cell::Int(f.persons_reached)),
                        f.map_or(Cell::Empty, |f| Cell::Int(f.activations)),
                        f.map_or(Cell::Empty, |f| Cell::Euros(f.spent_cents)),
                        f.and_then(|f| f.budget_executed_percent)
                            .map_or(Cell::Empty, Cell::Percent),
                        yes_no(a.late),
                    ]
                })
                .collect(),
        })
        .collect::<Vec<_>>();
    Ok(Export {
        bytes: xlsx::workbook(&l.plan.title, &sheets)?,
        file_name: file_name(&l.plan, "xlsx"),
    })
}

/// `GET /plans/{id}/export.pdf`: the plan as a document, axis by axis.
pub fn pdf(conn: &mut DbConn, cx: &Ctx, id: &PlanId) -> Result<Export, Error> {
    let l = load(conn, cx, id)?;
    let lang = cx.lang;
    let p = &l.plan;
    let dash = "—".to_string();
    let mut b = vec![
        Block::Title(p.title.clone()),
        Block::Field(
            pick(lang, "Periodo", "Period").into(),
            format!("{} – {}", day(p.period_start), day(p.period_end)),
        ),
        Block::Field(
            pick(lang, "Stato", "State").into(),
            match (&p.approved_on, &p.approval_reference) {
                (Some(d), Some(r)) => format!(
                    "{} ({} {}, {r})",
                    state_label("plan", p.status.as_str(), lang),
                    pick(lang, "il", "on"),
                    day(*d)
                ),
                _ => state_label("plan", p.status.as_str(), lang),
            },
        ),
        Block::Field(
            pick(lang, "Budget complessivo", "Total budget").into(),
            euros(p.budget_total_cents),
        ),
        Block::Field(
            pick(lang, "Azioni complete", "Complete actions").into(),
            format!(
                "{} / {}",
                p.completeness.actions_complete, p.completeness.actions_open
            ),
        ),
    ];
    for axis in &p.axes {
        b.push(Block::Gap);
        b.push(Block::Heading(format!(
            "({}) {}",
            axis.position, axis.title
        )));
        if let Some(r) = &axis.expected_results {
            b.push(Block::Text(r.clone()));
        }
        for (a, m) in l.of_axis(&axis.id) {
            b.push(Block::Gap);
            b.push(Block::Heading(a.title.clone()));
            if let Some(d) = &a.description {
                b.push(Block::Text(d.clone()));
            }
            let dates = match (a.start_date, a.end_date) {
                (Some(s), Some(e)) => format!("{} – {}", day(s), day(e)),
                (Some(s), None) => format!("{} {}", pick(lang, "dal", "from"), day(s)),
                (None, Some(e)) => format!("{} {}", pick(lang, "entro il", "by"), day(e)),
                (None, None) => dash.clone(),
            };
            b.push(Block::Field(pick(lang, "Data", "Dates").into(), dates));
            let source = match (a.funding_source, &a.funding_note) {
                (Some(s), Some(n)) => format!("{} ({n})", s.label(lang)),
                (Some(s), None) => s.label(lang).to_string(),
                (None, Some(n)) => n.clone(),
                (None, None) => dash.clone(),
            };
            b.push(Block::Field(pick(lang, "Fonte", "Source").into(), source));
            b.push(Block::Field(
                "Budget".into(),
                a.budget_cents.map_or(dash.clone(), euros),
            ));
            let dept = match (&a.responsible_department, &a.responsible_organization) {
                (Some(d), Some(o)) => format!("{d} ({})", o.name),
                (Some(d), None) => d.clone(),
                (None, Some(o)) => o.name.clone(),
                (None, None) => dash.clone(),
            };
            b.push(Block::Field(
                pick(lang, "Dipartimento", "Department").into(),
                dept,
            ));
            b.push(Block::Field(
                pick(lang, "Stato", "State").into(),
                state_label("plan_action", a.status.as_str(), lang),
            ));
            let lacks = missing(a);
            if !lacks.is_empty() {
                b.push(Block::Field(
                    pick(lang, "Da decidere", "To decide").into(),
                    lacks,
                ));
            }
            if let Some(f) = m.map(|m| &m.figures).filter(|f| f.activations > 0) {
                b.push(Block::Field(
                    pick(lang, "Monitoraggio", "Monitoring").into(),
                    match lang {
                        Lang::It => format!(
                            "{} persone raggiunte, {} attivazioni, speso {}",
                            f.persons_reached,
                            f.activations,
                            euros(f.spent_cents)
                        ),
                        Lang::En => format!(
                            "{} persons reached, {} activations, {} spent",
                            f.persons_reached,
                            f.activations,
                            euros(f.spent_cents)
                        ),
                    },
                ));
            }
        }
    }
    Ok(Export {
        bytes: pdf::render(&p.title, &b),
        file_name: file_name(p, "pdf"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_read_as_italians_write_them() {
        assert_eq!(euros(15_000_000), "150.000,00 €");
        assert_eq!(euros(5), "0,05 €");
        assert_eq!(euros(-123_456), "-1.234,56 €");
    }
}
