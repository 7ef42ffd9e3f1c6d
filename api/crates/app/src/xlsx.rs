//! A small XLSX writer for the exports people open in Excel or LibreOffice (the plan, later the
//! observatory): typed cells — text, numbers, dates as dates, euros as numbers with a currency
//! format, percentages — a bold header row frozen at the top with a filter, column widths.
//! Office Open XML (ECMA-376) SpreadsheetML: a zip of a few XML parts, strings inline, so a
//! text that starts with `=` stays text and is never a formula. No dependency but `zip`.

use std::fmt::Write as _;
use std::io::{Cursor, Seek, Write};

use chrono::NaiveDate;
use sistema_lavoro_domain::Error;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A whole number.
    Int(i64),
    /// A decimal number (non-finite ones are written empty).
    Number(f64),
    /// Euro cents, shown as euros with two decimals and the € sign.
    Euros(i64),
    /// A day, shown as dd/mm/yyyy.
    Date(NaiveDate),
    /// A share in per cent (12.5 is 12,5%).
    Percent(f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Into::into)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}

/// One sheet: a header row and the rows under it.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    /// Column widths in characters (missing ones: 14).
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<Cell>>,
}

/// Style indexes of `styles.xml`'s `cellXfs`.
const STYLE_HEADER: u8 = 1;
const STYLE_DATE: u8 = 2;
const STYLE_EUROS: u8 = 3;
const STYLE_PERCENT: u8 = 4;
const STYLE_TEXT: u8 = 5;

const STYLES: &str = r##"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="#,##0.00\ &quot;€&quot;"/><numFmt numFmtId="166" formatCode="0.0%"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"##;

/// Text as XML character data: markup escaped, characters XML 1.0 forbids dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `A`, `B`, … `Z`, `AA` … for a 0-based column.
fn column(mut n: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Days since 1899-12-30, the spreadsheet epoch (1900 date system, past the leap-year bug).
fn serial(d: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (d - epoch).num_days()
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, not empty, unique.
fn sheet_name(raw: &str, taken: &[String]) -> String {
    let clean: String = raw
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    let clean = clean.trim().trim_matches('\'').to_string();
    let base: String = if clean.is_empty() {
        "Foglio".into()
    } else {
        clean.chars().take(31).collect()
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({n})");
        let keep = 31 - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    name
}

fn cell_xml(out: &mut String, at: &str, c: &Cell, header: bool) {
    let number = |out: &mut String, v: f64, style: u8| {
        if v.is_finite() {
            let _ = write!(out, r#"<c r="{at}" s="{style}"><v>{v}</v></c>"#);
        }
    };
    match c {
        Cell::Empty => {}
        Cell::Text(s) => {
            let style = if header { STYLE_HEADER } else { STYLE_TEXT };
            let _ = write!(
                out,
                r#"<c r="{at}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                escape(s)
            );
        }
        Cell::Int(v) => {
            let _ = write!(out, r#"<c r="{at}"><v>{v}</v></c>"#);
        }
        Cell::Number(v) => number(out, *v, 0),
        Cell::Euros(cents) => {
            let _ = write!(
                out,
                r#"<c r="{at}" s="{STYLE_EUROS}"><v>{}</v></c>"#,
                *cents as f64 / 100.0
            );
        }
        Cell::Date(d) => {
            let _ = write!(
                out,
                r#"<c r="{at}" s="{STYLE_DATE}"><v>{}</v></c>"#,
                serial(*d)
            );
        }
        Cell::Percent(p) => number(out, p / 100.0, STYLE_PERCENT),
    }
}

/// The start of a worksheet: frozen header pane, column widths, the opening of the data.
fn sheet_head(out: &mut String, widths: &[f64], cols: usize, dimension: Option<&str>) {
    out.push_str(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    );
    if let Some(d) = dimension {
        let _ = write!(out, r#"<dimension ref="{d}"/>"#);
    }
    out.push_str(r#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#);
    out.push_str(r#"<sheetFormatPr defaultRowHeight="15"/><cols>"#);
    for i in 0..cols {
        let w = widths.get(i).copied().unwrap_or(14.0).clamp(4.0, 120.0);
        let _ = write!(
            out,
            r#"<col min="{n}" max="{n}" width="{w}" customWidth="1"/>"#,
            n = i + 1
        );
    }
    out.push_str("</cols><sheetData>");
}

/// One row (1-based `r`); the header row is bold.
fn row_xml(out: &mut String, r: usize, cells: &[Cell], header: bool) {
    let _ = write!(out, r#"<row r="{r}">"#);
    for (i, c) in cells.iter().enumerate() {
        cell_xml(out, &format!("{}{r}", column(i)), c, header);
    }
    out.push_str("</row>");
}

/// The end of a worksheet: the header's filter over `last` (e.g. `F120`) when there is one.
fn sheet_tail(out: &mut String, filter: Option<&str>) {
    out.push_str("</sheetData>");
    if let Some(last) = filter {
        let _ = write!(out, r#"<autoFilter ref="A1:{last}"/>"#);
    }
    out.push_str(r#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape"/></worksheet>"#);
}

fn header_cells(header: &[String]) -> Vec<Cell> {
    header.iter().map(|h| Cell::Text(h.clone())).collect()
}

fn sheet_xml(s: &Sheet) -> String {
    let cols = s
        .header
        .len()
        .max(s.rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    let last = format!("{}{}", column(cols - 1), s.rows.len() + 1);
    let mut out = String::new();
    sheet_head(&mut out, &s.widths, cols, Some(&last));
    row_xml(&mut out, 1, &header_cells(&s.header), true);
    for (r, row) in s.rows.iter().enumerate() {
        row_xml(&mut out, r + 2, row, false);
    }
    sheet_tail(&mut out, (!s.header.is_empty()).then_some(last.as_str()));
    out
}

/// What the workbook's parts say of one sheet.
struct SheetMeta {
    name: String,
    cols: usize,
    rows: usize,
    has_header: bool,
}

fn io_err(e: std::io::Error) -> Error {
    Error::Internal(format!("xlsx: {e}"))
}

fn zip_err(e: zip::result::ZipError) -> Error {
    Error::Internal(format!("xlsx: {e}"))
}

fn options() -> SimpleFileOptions {
    // A fixed timestamp: the same data gives the same bytes.
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
}

fn part<W: Write + Seek>(z: &mut ZipWriter<W>, name: &str, body: &str) -> Result<(), Error> {
    z.start_file(name, options()).map_err(zip_err)?;
    z.write_all(body.as_bytes()).map_err(io_err)
}

/// Every part but the worksheets: content types, relationships, properties, the workbook (with
/// each sheet's filter range) and the styles.
fn package<W: Write + Seek>(
    z: &mut ZipWriter<W>,
    title: &str,
    sheets: &[SheetMeta],
) -> Result<(), Error> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
    );
    for i in 1..=sheets.len() {
        let _ = write!(
            types,
            r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        );
    }
    types.push_str("</Types>");
    part(z, "[Content_Types].xml", &types)?;
    part(
        z,
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#,
    )?;
    part(
        z,
        "docProps/core.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>Sistema Lavoro</dc:creator></cp:coreProperties>"#,
            escape(title)
        ),
    )?;
    let mut wb = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, s) in sheets.iter().enumerate() {
        let n = i + 1;
        let _ = write!(
            wb,
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            escape(&s.name)
        );
        let _ = write!(
            rels,
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
    }
    wb.push_str("</sheets><definedNames>");
    for (i, s) in sheets.iter().enumerate() {
        if s.has_header {
            let _ = write!(
                wb,
                r#"<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'{}'!$A$1:${}${}</definedName>"#,
                escape(&s.name.replace('\'', "''")),
                column(s.cols.max(1) - 1),
                s.rows + 1
            );
        }
    }
    wb.push_str("</definedNames></workbook>");
    let wb = wb.replace("<definedNames></definedNames>", "");
    let _ = write!(
        rels,
        r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
        sheets.len() + 1
    );
    part(z, "xl/workbook.xml", &wb)?;
    part(z, "xl/_rels/workbook.xml.rels", &rels)?;
    part(z, "xl/styles.xml", STYLES)
}

/// The workbook's bytes: the sheets in order (at least one; an empty workbook gets one empty
/// sheet), titled `title` in its properties.
pub fn workbook(title: &str, sheets: &[Sheet]) -> Result<Vec<u8>, Error> {
    let fallback = [Sheet {
        name: "Foglio".into(),
        ..Sheet::default()
    }];
    let sheets = if sheets.is_empty() {
        &fallback[..]
    } else {
        sheets
    };
    let mut metas: Vec<SheetMeta> = Vec::new();
    for s in sheets {
        let taken: Vec<String> = metas.iter().map(|m| m.name.clone()).collect();
        metas.push(SheetMeta {
            name: sheet_name(&s.name, &taken),
            cols: s
                .header
                .len()
                .max(s.rows.iter().map(Vec::len).max().unwrap_or(0)),
            rows: s.rows.len(),
            has_header: !s.header.is_empty(),
        });
    }
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    package(&mut z, title, &metas)?;
    for (i, s) in sheets.iter().enumerate() {
        part(
            &mut z,
            &format!("xl/worksheets/sheet{}.xml", i + 1),
            &sheet_xml(s),
        )?;
    }
    Ok(z.finish().map_err(zip_err)?.into_inner())
}

/// One sheet written row by row into `W` (a file): memory stays flat whatever the rows.
/// The worksheet part comes first in the zip; the parts that need the row count follow it.
pub struct SheetStream<W: Write + Seek> {
    z: ZipWriter<W>,
    title: String,
    name: String,
    cols: usize,
    rows: usize,
    buf: String,
}

impl<W: Write + Seek> SheetStream<W> {
    /// Opens the sheet and writes its bold, frozen header.
    pub fn new(
        w: W,
        title: &str,
        name: &str,
        header: &[String],
        widths: &[f64],
    ) -> Result<Self, Error> {
        let mut z = ZipWriter::new(w);
        z.start_file("xl/worksheets/sheet1.xml", options())
            .map_err(zip_err)?;
        let cols = header.len().max(1);
        let mut buf = String::new();
        sheet_head(&mut buf, widths, cols, None);
        row_xml(&mut buf, 1, &header_cells(header), true);
        let mut s = SheetStream {
            z,
            title: title.to_string(),
            name: sheet_name(name, &[]),
            cols,
            rows: 0,
            buf,
        };
        s.flush()?;
        Ok(s)
    }

    fn flush(&mut self) -> Result<(), Error> {
        self.z.write_all(self.buf.as_bytes()).map_err(io_err)?;
        self.buf.clear();
        Ok(())
    }

    /// Appends one row.
    pub fn row(&mut self, cells: &[Cell]) -> Result<(), Error> {
        self.rows += 1;
        row_xml(&mut self.buf, self.rows + 1, cells, false);
        if self.buf.len() > 64 * 1024 {
            self.flush()?;
        }
        Ok(())
    }

    /// The rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Closes the sheet, writes the other parts and returns the writer.
    pub fn finish(mut self) -> Result<W, Error> {
        let last = format!("{}{}", column(self.cols - 1), self.rows + 1);
        sheet_tail(&mut self.buf, Some(&last));
        self.flush()?;
        let meta = SheetMeta {
            name: self.name.clone(),
            cols: self.cols,
            rows: self.rows,
            has_header: true,
        };
        package(&mut self.z, &self.title, &[meta])?;
        self.z.finish().map_err(zip_err)
    }
}

/// The MIME type of an XLSX file.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_serial_dates_are_the_spreadsheets() {
        assert_eq!(column(0), "A");
        assert_eq!(column(25), "Z");
        assert_eq!(column(26), "AA");
        assert_eq!(column(701), "ZZ");
        assert_eq!(column(702), "AAA");
        assert_eq!(
            serial(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default()),
            46358
        );
        assert_eq!(
            serial(NaiveDate::from_ymd_opt(1900, 3, 1).unwrap_or_default()),
            61
        );
    }

    #[test]
    fn sheet_names_are_cleaned_shortened_and_unique() {
        let taken = vec!["Asse 1".to_string()];
        assert_eq!(sheet_name("asse 1", &taken), "asse 1 (2)");
        assert_eq!(sheet_name("a/b:c", &[]), "a-b-c");
        assert_eq!(sheet_name("", &[]), "Foglio");
        assert_eq!(sheet_name(&"x".repeat(40), &[]).chars().count(), 31);
    }

    #[test]
    fn text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
