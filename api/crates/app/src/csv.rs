//! CSV that opens right in Italian Excel: UTF-8 with a byte-order mark (without it Excel reads
//! the file as Windows-1252 and accents break), `;` between fields (the Italian list separator,
//! since the comma is the decimal mark), dates `gg/mm/aaaa`, decimals with a comma, euros as
//! plain numbers with two decimals, CRLF line ends. A text that starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return is prefixed with `'` so a spreadsheet never reads it as a formula
//! (OWASP's CSV injection rule). The cells are the XLSX writer's, so one list gives both files.

use crate::xlsx::Cell;

/// The byte-order mark Excel needs to read UTF-8.
pub const BOM: &str = "\u{FEFF}";

/// Writes the header and the rows as one CSV document.
pub fn document(header: &[String], rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut out = String::from(BOM);
    line(&mut out, header.iter().map(|h| Cell::Text(h.clone())));
    for r in rows {
        line(&mut out, r.iter().cloned());
    }
    out.into_bytes()
}

/// Appends one record (fields and the CRLF that ends it).
pub fn line(out: &mut String, cells: impl IntoIterator<Item = Cell>) {
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(&field(&c));
    }
    out.push_str("\r\n");
}

/// One cell as a CSV field.
pub fn field(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) => text(s),
        Cell::Int(v) => v.to_string(),
        Cell::Number(v) if v.is_finite() => decimal(&format!("{v}")),
        Cell::Number(_) => String::new(),
        Cell::Euros(cents) => {
            let sign = if *cents < 0 { "-" } else { "" };
            let abs = cents.unsigned_abs();
            format!("{sign}{},{:02}", abs / 100, abs % 100)
        }
        Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
        Cell::Percent(p) if p.is_finite() => format!("{}%", decimal(&format!("{p:.1}"))),
        Cell::Percent(_) => String::new(),
    }
}

fn decimal(s: &str) -> String {
    s.replacen('.', ",", 1)
}

/// A text field: neutralised when a spreadsheet would run it, quoted when it holds the
/// separator, a quote or a line end.
fn text(v: &str) -> String {
    let v = if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{v}")
    } else {
        v.to_string()
    };
    if v.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn fields_are_what_italian_excel_reads() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        assert_eq!(field(&Cell::Date(d)), "07/03/2026");
        assert_eq!(field(&Cell::Euros(123_456)), "1234,56");
        assert_eq!(field(&Cell::Euros(-5)), "-0,05");
        assert_eq!(field(&Cell::Number(12.5)), "12,5");
        assert_eq!(field(&Cell::Percent(33.333)), "33,3%");
        assert_eq!(field(&Cell::Int(-3)), "-3");
        assert_eq!(field(&Cell::Empty), "");
    }

    #[test]
    fn formulas_are_neutralised_and_separators_quoted() {
        for (raw, want) in [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+39 035", "'+39 035"),
            ("-2", "'-2"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("Rossi; Maria", "\"Rossi; Maria\""),
            ("detto \"Mimmo\"", "\"detto \"\"Mimmo\"\"\""),
            ("Niccolò", "Niccolò"),
        ] {
            assert_eq!(field(&Cell::Text(raw.into())), want, "{raw:?}");
        }
    }

    #[test]
    fn a_document_starts_with_the_bom_and_ends_lines_with_crlf() {
        let doc = document(
            &["Nome".into(), "Importo".into()],
            &[vec![Cell::Text("Città".into()), Cell::Euros(100)]],
        );
        let s = String::from_utf8(doc).unwrap();
        assert_eq!(s, "\u{FEFF}Nome;Importo\r\nCittà;1,00\r\n");
    }
}
