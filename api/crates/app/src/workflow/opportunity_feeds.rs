//! The board told to the territory without an account: an RSS 2.0 feed, an iCalendar feed of
//! events and deadlines, a one-page flyer per item and the monthly bulletin (PDF and HTML).
//! Only published items, no personal data: what [`super::opportunities::recent`] gives.

use chrono::{Datelike, Duration, NaiveDate};
use sistema_lavoro_domain::i18n::Lang;
use sistema_lavoro_domain::opportunities::OpportunityKind;

use super::opportunities::PublicOpportunity;
use crate::pdf::{self, Block};

/// Escapes text for XML and HTML (element content and attribute values).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// "dal 18/01/2027 al 12/03/2027 · scadenza 08/01/2027", as much as is known.
pub fn dates_line(o: &PublicOpportunity, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    match (o.starts_on, o.ends_on, lang) {
        (Some(s), Some(e), Lang::It) if s == e => parts.push(format!("il {}", day(s))),
        (Some(s), Some(e), Lang::En) if s == e => parts.push(format!("on {s}")),
        (Some(s), Some(e), Lang::It) => parts.push(format!("dal {} al {}", day(s), day(e))),
        (Some(s), Some(e), Lang::En) => parts.push(format!("from {s} to {e}")),
        (Some(s), None, Lang::It) => parts.push(format!("dal {}", day(s))),
        (Some(s), None, Lang::En) => parts.push(format!("from {s}")),
        (None, Some(e), Lang::It) => parts.push(format!("fino al {}", day(e))),
        (None, Some(e), Lang::En) => parts.push(format!("until {e}")),
        (None, None, _) => {}
    }
    if let Some(a) = o.apply_by {
        parts.push(match lang {
            Lang::It => format!("scadenza {}", day(a)),
            Lang::En => format!("apply by {a}"),
        });
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

fn summary(o: &PublicOpportunity, lang: Lang) -> String {
    let mut s = format!("{} — {}. {}", o.kind_label, o.publisher, o.who_for);
    if let Some(d) = dates_line(o, lang) {
        s.push_str(&format!(" ({d})"));
    }
    for text in [Some(&o.description), o.for_operators.as_ref()]
        .into_iter()
        .flatten()
        .filter(|t| !t.trim().is_empty())
    {
        s.push_str("\n\n");
        s.push_str(text);
    }
    if let Some(h) = &o.how_to_apply {
        s.push_str("\n\n");
        s.push_str(match lang {
            Lang::It => "Come candidarsi: ",
            Lang::En => "How to apply: ",
        });
        s.push_str(h);
    }
    if let Some(c) = &o.contact {
        s.push_str(match lang {
            Lang::It => "\nContatto: ",
            Lang::En => "\nContact: ",
        });
        s.push_str(c);
    }
    s
}

/// The RSS 2.0 feed of the items (newest first), with its own address as `atom:link`.
/// `base` is the public address of the product, `self_path` the feed's path and query.
pub fn rss(items: &[PublicOpportunity], base: &str, self_path: &str, lang: Lang) -> String {
    let base = base.trim_end_matches('/');
    let (title, description) = match lang {
        Lang::It => (
            "Sistema Lavoro – Opportunità del territorio",
            "Corsi, offerte di lavoro, tirocini, servizi, eventi e misure aperte negli Ambiti",
        ),
        Lang::En => (
            "Sistema Lavoro – Opportunities of the territory",
            "Courses, job offers, internships, services, events and open measures of the districts",
        ),
    };
    let built = items
        .iter()
        .map(|i| i.published_at)
        .max()
        .unwrap_or_else(|| {
            chrono::DateTime::<chrono::Utc>::from_timestamp(0, 0).unwrap_or_default()
        });
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    x.push_str(&format!("<title>{}</title>\n", escape(title)));
    x.push_str(&format!("<link>{}/opportunita</link>\n", escape(base)));
    x.push_str(&format!(
        "<description>{}</description>\n",
        escape(description)
    ));
    x.push_str(&format!(
        "<language>{}</language>\n",
        match lang {
            Lang::It => "it-IT",
            Lang::En => "en",
        }
    ));
    x.push_str(&format!(
        "<lastBuildDate>{}</lastBuildDate>\n",
        built.to_rfc2822()
    ));
    x.push_str(&format!(
        "<atom:link href=\"{}{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        escape(base),
        escape(self_path)
    ));
    for i in items {
        let link = format!("{base}/opportunita/{}", i.id);
        x.push_str("<item>\n");
        x.push_str(&format!("<title>{}</title>\n", escape(&i.title)));
        x.push_str(&format!("<link>{}</link>\n", escape(&link)));
        x.push_str(&format!(
            "<guid isPermaLink=\"false\">urn:sistema-lavoro:opportunity:{}</guid>\n",
            escape(&i.id)
        ));
        x.push_str(&format!(
            "<pubDate>{}</pubDate>\n",
            i.published_at.to_rfc2822()
        ));
        x.push_str(&format!("<category>{}</category>\n", escape(&i.kind_label)));
        x.push_str(&format!(
            "<description>{}</description>\n",
            escape(&summary(i, lang))
        ));
        x.push_str("</item>\n");
    }
    x.push_str("</channel>\n</rss>\n");
    x
}

/// Escapes a TEXT value of iCalendar (RFC 5545 §3.3.11).
fn ical_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a character (RFC 5545 §3.1).
fn fold(line: &str, out: &mut String) {
    let mut len = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += n;
    }
    out.push_str("\r\n");
}

fn ical_date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// The iCalendar feed: each event on its days, and each deadline to apply as an all-day
/// entry ("Scadenza: …"), of the items given.
pub fn ical(items: &[PublicOpportunity], lang: Lang) -> String {
    let mut out = String::new();
    let name = match lang {
        Lang::It => "Sistema Lavoro – Eventi e scadenze",
        Lang::En => "Sistema Lavoro – Events and deadlines",
    };
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sistema Lavoro//Opportunita//IT",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(l, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", ical_text(name)), &mut out);
    for i in items {
        let stamp = i.published_at.format("%Y%m%dT%H%M%SZ").to_string();
        let mut event = |uid: String, summary: String, from: NaiveDate, to: NaiveDate| {
            fold("BEGIN:VEVENT", &mut out);
            fold(&format!("UID:{uid}"), &mut out);
            fold(&format!("DTSTAMP:{stamp}"), &mut out);
            fold(&format!("DTSTART;VALUE=DATE:{}", ical_date(from)), &mut out);
            // DTEND of an all-day entry is the day after its last.
            fold(
                &format!("DTEND;VALUE=DATE:{}", ical_date(to + Duration::days(1))),
                &mut out,
            );
            fold(&format!("SUMMARY:{}", ical_text(&summary)), &mut out);
            fold(
                &format!("DESCRIPTION:{}", ical_text(&self::summary(i, lang))),
                &mut out,
            );
            if let Some(m) = &i.municipality {
                let place = match &i.place_note {
                    Some(p) => format!("{p}, {}", m.name),
                    None => m.name.clone(),
                };
                fold(&format!("LOCATION:{}", ical_text(&place)), &mut out);
            }
            fold(
                &format!("CATEGORIES:{}", ical_text(&i.kind_label)),
                &mut out,
            );
            fold("TRANSP:TRANSPARENT", &mut out);
            fold("END:VEVENT", &mut out);
        };
        if i.kind == Some(OpportunityKind::Event) {
            if let Some(s) = i.starts_on {
                event(
                    format!("{}-event@sistema-lavoro", i.id),
                    i.title.clone(),
                    s,
                    i.ends_on.unwrap_or(s).max(s),
                );
            }
        }
        if let Some(a) = i.apply_by {
            let label = match lang {
                Lang::It => "Scadenza",
                Lang::En => "Deadline",
            };
            event(
                format!("{}-deadline@sistema-lavoro", i.id),
                format!("{label}: {}", i.title),
                a,
                a,
            );
        }
    }
    fold("END:VCALENDAR", &mut out);
    out
}

fn label(lang: Lang, it: &'static str, en: &'static str) -> String {
    match lang {
        Lang::It => it.into(),
        Lang::En => en.into(),
    }
}

fn item_blocks(o: &PublicOpportunity, lang: Lang, out: &mut Vec<Block>) {
    out.push(Block::Field(
        label(lang, "Tipo", "Kind"),
        o.kind_label.clone(),
    ));
    out.push(Block::Field(
        label(lang, "Offerto da", "Offered by"),
        o.publisher.clone(),
    ));
    out.push(Block::Field(
        label(lang, "Per chi", "For whom"),
        o.who_for.clone(),
    ));
    if let Some(d) = dates_line(o, lang) {
        out.push(Block::Field(label(lang, "Quando", "When"), d));
    }
    if let Some(m) = &o.municipality {
        let place = match &o.place_note {
            Some(p) => format!("{p}, {}", m.name),
            None => m.name.clone(),
        };
        out.push(Block::Field(label(lang, "Dove", "Where"), place));
    }
}

/// The one-page flyer of an item, to print or share.
pub fn flyer(o: &PublicOpportunity, lang: Lang) -> Vec<u8> {
    let mut b = vec![Block::Title(o.title.clone())];
    item_blocks(o, lang, &mut b);
    b.push(Block::Gap);
    b.push(Block::Heading(label(
        lang,
        "Che cosa offre",
        "What it offers",
    )));
    b.push(Block::Text(o.description.clone()));
    if let Some(f) = &o.for_operators {
        b.push(Block::Heading(label(
            lang,
            "Per gli operatori",
            "For operators",
        )));
        b.push(Block::Text(f.clone()));
    }
    if let Some(h) = &o.how_to_apply {
        b.push(Block::Heading(label(
            lang,
            "Come candidarsi",
            "How to apply",
        )));
        b.push(Block::Text(h.clone()));
    }
    if let Some(c) = &o.contact {
        b.push(Block::Field(label(lang, "Contatto", "Contact"), c.clone()));
    }
    b.push(Block::Gap);
    b.push(Block::Text(format!(
        "{} – {}",
        o.district_name,
        label(lang, "Sistema Lavoro", "Sistema Lavoro")
    )));
    pdf::render(&o.title, &b)
}

/// What the bulletin of a month holds: what was published in it, and what closes in it or in
/// the next 30 days from its first day.
pub struct Bulletin<'a> {
    pub month: NaiveDate,
    pub district_name: Option<&'a str>,
    pub new: Vec<&'a PublicOpportunity>,
    pub closing: Vec<&'a PublicOpportunity>,
}

const MESI: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// The first day of the month after `first`.
pub fn next_month(first: NaiveDate) -> NaiveDate {
    let (y, m) = match first.month() {
        12 => (first.year() + 1, 1),
        m => (first.year(), m + 1),
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(first)
}

/// Splits the items into the month's bulletin: new in the month, closing within it.
pub fn bulletin<'a>(
    items: &'a [PublicOpportunity],
    month: NaiveDate,
    district_name: Option<&'a str>,
) -> Bulletin<'a> {
    let end = next_month(month);
    let new = items
        .iter()
        .filter(|i| {
            let d = i.published_at.date_naive();
            month <= d && d < end
        })
        .collect();
    let mut closing: Vec<&PublicOpportunity> = items
        .iter()
        .filter(|i| i.last_day.is_some_and(|d| month <= d && d < end))
        .collect();
    closing.sort_by_key(|i| i.last_day);
    Bulletin {
        month,
        district_name,
        new,
        closing,
    }
}

impl Bulletin<'_> {
    pub fn title(&self, lang: Lang) -> String {
        let m0 = self.month.month0() as usize;
        let month = match lang {
            Lang::It => format!(
                "{} {}",
                MESI.get(m0).copied().unwrap_or(""),
                self.month.year()
            ),
            Lang::En => self.month.format("%B %Y").to_string(),
        };
        let head = match lang {
            Lang::It => "Bollettino delle opportunità",
            Lang::En => "Opportunities bulletin",
        };
        match self.district_name {
            Some(d) => format!("{head} – {d} – {month}"),
            None => format!("{head} – {month}"),
        }
    }

    pub fn pdf(&self, lang: Lang) -> Vec<u8> {
        let mut b = vec![Block::Title(self.title(lang))];
        for (heading, list) in [
            (label(lang, "Novità del mese", "New this month"), &self.new),
            (
                label(lang, "In scadenza nel mese", "Closing this month"),
                &self.closing,
            ),
        ] {
            b.push(Block::Heading(heading));
            if list.is_empty() {
                b.push(Block::Text(label(lang, "Nessuna.", "None.")));
            }
            for o in list.iter() {
                b.push(Block::Gap);
                b.push(Block::Heading(o.title.clone()));
                item_blocks(o, lang, &mut b);
                if let Some(h) = &o.how_to_apply {
                    b.push(Block::Field(
                        label(lang, "Come candidarsi", "How to apply"),
                        h.clone(),
                    ));
                }
                if let Some(c) = &o.contact {
                    b.push(Block::Field(label(lang, "Contatto", "Contact"), c.clone()));
                }
            }
            b.push(Block::Gap);
        }
        pdf::render(&self.title(lang), &b)
    }

    /// A standalone page (no script, no outside resource), printable.
    pub fn html(&self, lang: Lang) -> String {
        let title = escape(&self.title(lang));
        let mut h = String::new();
        h.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}}h1{{font-size:1.6rem}}h2{{border-bottom:2px solid #0066cc;padding-bottom:.2rem}}article{{border:1px solid #ccc;border-radius:4px;padding:.5rem 1rem;margin:1rem 0}}dt{{font-weight:700}}dd{{margin:0 0 .4rem}}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n",
            match lang {
                Lang::It => "it",
                Lang::En => "en",
            }
        ));
        for (heading, list) in [
            (label(lang, "Novità del mese", "New this month"), &self.new),
            (
                label(lang, "In scadenza nel mese", "Closing this month"),
                &self.closing,
            ),
        ] {
            h.push_str(&format!("<section>\n<h2>{}</h2>\n", escape(&heading)));
            if list.is_empty() {
                h.push_str(&format!("<p>{}</p>\n", label(lang, "Nessuna.", "None.")));
            }
            for o in list.iter() {
                h.push_str(&format!("<article>\n<h3>{}</h3>\n<dl>\n", escape(&o.title)));
                let mut field = |k: String, v: &str| {
                    h.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(&k), escape(v)));
                };
                field(label(lang, "Tipo", "Kind"), &o.kind_label);
                field(label(lang, "Offerto da", "Offered by"), &o.publisher);
                field(label(lang, "Per chi", "For whom"), &o.who_for);
                if let Some(d) = dates_line(o, lang) {
                    field(label(lang, "Quando", "When"), &d);
                }
                if let Some(m) = &o.municipality {
                    field(label(lang, "Dove", "Where"), &m.name);
                }
                field(
                    label(lang, "Che cosa offre", "What it offers"),
                    &o.description,
                );
                if let Some(x) = &o.how_to_apply {
                    field(label(lang, "Come candidarsi", "How to apply"), x);
                }
                if let Some(c) = &o.contact {
                    field(label(lang, "Contatto", "Contact"), c);
                }
                h.push_str("</dl>\n</article>\n");
            }
            h.push_str("</section>\n");
        }
        h.push_str("</main>\n</body>\n</html>\n");
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "è".repeat(60)), &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "è".repeat(60)));
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(ical_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(
            escape("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn the_month_after_december_is_january() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(next_month(d), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
    }
}
