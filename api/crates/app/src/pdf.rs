//! A small PDF writer for printable copies (the service pact): A4 pages of wrapped text in
//! the standard Helvetica fonts, WinAnsi-encoded so Italian accents print without embedding
//! a font. No dependency: the format needed is a few objects and a cross-reference table.

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;

/// One block of the document, laid out top to bottom.
#[derive(Debug, Clone)]
pub enum Block {
    /// The document's title (bold, large).
    Title(String),
    /// A section heading (bold).
    Heading(String),
    /// A paragraph, wrapped to the page width (line breaks kept).
    Text(String),
    /// A label and its value on one line (the label bold).
    Field(String, String),
    /// Vertical space.
    Gap,
}

struct Line {
    bold: bool,
    size: f32,
    text: String,
}

/// Characters per line for a size: Helvetica's average width is about half its size.
fn width_chars(size: f32) -> usize {
    ((PAGE_W - 2.0 * MARGIN) / (size * 0.5)) as usize
}

fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let fits = line.chars().count() + 1 + word.chars().count() <= max;
            if !line.is_empty() && !fits {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

fn lines(blocks: &[Block]) -> Vec<Line> {
    let mut out = Vec::new();
    let plain = |out: &mut Vec<Line>, bold: bool, size: f32, t: &str| {
        for l in wrap(t, width_chars(size)) {
            out.push(Line {
                bold,
                size,
                text: l,
            });
        }
    };
    for b in blocks {
        match b {
            Block::Title(t) => plain(&mut out, true, 16.0, t),
            Block::Heading(t) => {
                out.push(Line {
                    bold: false,
                    size: 6.0,
                    text: String::new(),
                });
                plain(&mut out, true, 12.0, t)
            }
            Block::Text(t) => plain(&mut out, false, 10.0, t),
            Block::Field(k, v) => plain(&mut out, false, 10.0, &format!("{k}: {v}")),
            Block::Gap => out.push(Line {
                bold: false,
                size: 10.0,
                text: String::new(),
            }),
        }
    }
    out
}

/// A string literal in WinAnsi (cp1252), escaped; what it cannot encode prints as `?`.
fn literal(s: &str) -> Vec<u8> {
    let mut out = vec![b'('];
    for ch in s.chars() {
        let b = match ch {
            '\u{20}'..='\u{7e}' => ch as u8,
            '\u{a0}'..='\u{ff}' => ch as u32 as u8,
            '€' => 0x80,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            _ => b'?',
        };
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

/// The document: its blocks over as many A4 pages as they need, with `title` in its
/// information dictionary.
pub fn render(title: &str, blocks: &[Block]) -> Vec<u8> {
    let all = lines(blocks);
    let mut pages: Vec<Vec<u8>> = Vec::new();
    let mut content = Vec::new();
    let mut y = PAGE_H - MARGIN;
    for l in all {
        let lead = l.size * 1.35;
        if y - lead < MARGIN {
            pages.push(std::mem::take(&mut content));
            y = PAGE_H - MARGIN;
        }
        y -= lead;
        if l.text.is_empty() {
            continue;
        }
        let font = if l.bold { "F2" } else { "F1" };
        content
            .extend_from_slice(format!("BT /{font} {} Tf {MARGIN} {y:.1} Td ", l.size).as_bytes());
        content.extend_from_slice(&literal(&l.text));
        content.extend_from_slice(b" Tj ET\n");
    }
    pages.push(content);

    // Objects: 1 catalog, 2 pages, 3 and 4 fonts, 5 info, then a page and its content each.
    let n = pages.len();
    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    for base in ["Helvetica", "Helvetica-Bold"] {
        objects.push(
            format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>"
            )
            .into_bytes(),
        );
    }
    let mut info = b"<< /Producer (Sistema Lavoro) /Title ".to_vec();
    info.extend_from_slice(&literal(title));
    info.extend_from_slice(b" >>");
    objects.push(info);
    for (i, c) in pages.iter().enumerate() {
        let content_id = 7 + 2 * i;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {content_id} 0 R >>"
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", c.len()).into_bytes();
        stream.extend_from_slice(c);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }

    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_and_special_characters_are_escaped() {
        let w = wrap("uno due tre quattro", 9);
        assert_eq!(w, vec!["uno due", "tre", "quattro"]);
        assert_eq!(literal("a(b)\\ è–"), b"(a\\(b\\)\\\\ \xe8\x96)".to_vec());
    }

    #[test]
    fn many_lines_make_several_pages() {
        let blocks: Vec<Block> = (0..200).map(|i| Block::Text(format!("riga {i}"))).collect();
        let pdf = render("Prova", &blocks);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains("/Count 3") || text.contains("/Count 4"),
            "{text}"
        );
    }
}
