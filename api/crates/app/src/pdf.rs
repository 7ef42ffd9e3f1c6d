//! A small PDF writer for printable copies (the service pact, the minutes of meetings): A4
//! pages of wrapped text in DejaVu Sans, embedded (`assets/DejaVuSans.ttf`, Bitstream Vera /
//! DejaVu licence beside it) as a TrueType font with the WinAnsi encoding — so Italian accents,
//! `€`, `’` and `«»` print on any reader — wrapped by the font's real widths, each page
//! numbered "Pagina n di N". Bold is the same glyphs filled and stroked. No dependency but
//! `flate2` for the embedded font; the format needed is a few objects and a cross-reference
//! table.

use std::io::Write;
use std::sync::OnceLock;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
/// Room kept at the bottom of each page for its number.
const FOOTER: f32 = 18.0;

/// The embedded font (DejaVu Sans 2.37, from Debian's fonts-dejavu-core).
static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

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

// ------------------------------------------------------------------ the font

/// What the PDF needs of the font: the advance of each WinAnsi code (1/1000 em) and the
/// descriptor's metrics.
struct Metrics {
    widths: [u16; 256],
    bbox: [i32; 4],
    ascent: i32,
    descent: i32,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn i16_at(b: &[u8], at: usize) -> Option<i16> {
    u16_at(b, at).map(|v| v as i16)
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}

/// The offset of a table of the font.
fn table(font: &[u8], tag: &[u8; 4]) -> Option<usize> {
    let n = usize::from(u16_at(font, 4)?);
    (0..n)
        .map(|i| 12 + 16 * i)
        .find(|&r| font.get(r..r + 4) == Some(tag.as_slice()))
        .and_then(|r| u32_at(font, r + 8))
        .map(|o| o as usize)
}

/// The glyph of a character, from the Unicode BMP subtable (format 4) of `cmap`.
fn glyph(font: &[u8], cmap: usize, ch: char) -> Option<u16> {
    let c = u16::try_from(u32::from(ch)).ok()?;
    let n = usize::from(u16_at(font, cmap + 2)?);
    let sub = (0..n).map(|i| cmap + 4 + 8 * i).find_map(|r| {
        let (platform, encoding) = (u16_at(font, r)?, u16_at(font, r + 2)?);
        let at = cmap + u32_at(font, r + 4)? as usize;
        (platform == 3 && encoding == 1 && u16_at(font, at)? == 4).then_some(at)
    })?;
    let segs = usize::from(u16_at(font, sub + 6)? / 2);
    let ends = sub + 14;
    let starts = ends + 2 * segs + 2;
    let deltas = starts + 2 * segs;
    let ranges = deltas + 2 * segs;
    let i = (0..segs).find(|&i| u16_at(font, ends + 2 * i).is_some_and(|e| e >= c))?;
    let start = u16_at(font, starts + 2 * i)?;
    if start > c {
        return None;
    }
    let delta = u16_at(font, deltas + 2 * i)?;
    let range = usize::from(u16_at(font, ranges + 2 * i)?);
    if range == 0 {
        return Some(c.wrapping_add(delta));
    }
    let g = u16_at(font, ranges + 2 * i + range + 2 * usize::from(c - start))?;
    (g != 0).then(|| g.wrapping_add(delta))
}

fn read_metrics(font: &[u8]) -> Option<Metrics> {
    let head = table(font, b"head")?;
    let hhea = table(font, b"hhea")?;
    let hmtx = table(font, b"hmtx")?;
    let cmap = table(font, b"cmap")?;
    let upem = i32::from(u16_at(font, head + 18)?).max(1);
    let scale = |v: i32| v * 1000 / upem;
    let metrics = usize::from(u16_at(font, hhea + 34)?).max(1);
    let advance = |g: u16| {
        let g = usize::from(g).min(metrics - 1);
        u16_at(font, hmtx + 4 * g).map(|w| scale(i32::from(w)))
    };
    let mut widths = [0u16; 256];
    for (code, w) in widths.iter_mut().enumerate().skip(32) {
        if let Some(ch) = decode(code as u8) {
            let g = glyph(font, cmap, ch).unwrap_or(0);
            *w = u16::try_from(advance(g)?).unwrap_or(0);
        }
    }
    Some(Metrics {
        widths,
        bbox: [
            scale(i32::from(i16_at(font, head + 36)?)),
            scale(i32::from(i16_at(font, head + 38)?)),
            scale(i32::from(i16_at(font, head + 40)?)),
            scale(i32::from(i16_at(font, head + 42)?)),
        ],
        ascent: scale(i32::from(i16_at(font, hhea + 4)?)),
        descent: scale(i32::from(i16_at(font, hhea + 6)?)),
    })
}

fn metrics() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(|| {
        read_metrics(FONT).unwrap_or(Metrics {
            // Not reached with the committed font (a unit test reads it); a readable fallback.
            widths: [556; 256],
            bbox: [-1021, -463, 1793, 1232],
            ascent: 928,
            descent: -236,
        })
    })
}

/// The font file as embedded — cut down to the glyphs WinAnsi can show — and its length
/// before deflating, both computed once.
fn font_stream() -> &'static (Vec<u8>, usize) {
    static Z: OnceLock<(Vec<u8>, usize)> = OnceLock::new();
    Z.get_or_init(|| {
        let font = subset_win_ansi(FONT).unwrap_or_else(|| FONT.to_vec());
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = z.write_all(&font);
        (z.finish().unwrap_or_default(), font.len())
    })
}

/// The tables a PDF reader uses of an embedded TrueType font (ISO 32000-1 §9.9): the others
/// (layout, kerning, glyph names…) are left out.
const KEPT_TABLES: [&[u8; 4]; 11] = [
    b"cmap", b"cvt ", b"fpgm", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"post",
    b"prep",
];

/// The font with only the outlines of the glyphs the 224 WinAnsi codes map to (and the
/// components of composite ones, and `.notdef`): every other glyph keeps its number with an
/// empty outline, so `cmap`, `hmtx` and the widths stay as they are. `loca` is rewritten in
/// the long format, `post` becomes version 3 (no glyph names). `None` if the font is not a
/// TrueType font this reads.
fn subset_win_ansi(font: &[u8]) -> Option<Vec<u8>> {
    let head = table(font, b"head")?;
    let maxp = table(font, b"maxp")?;
    let loca = table(font, b"loca")?;
    let glyf = table(font, b"glyf")?;
    let cmap = table(font, b"cmap")?;
    let glyphs = usize::from(u16_at(font, maxp + 4)?);
    let long = u16_at(font, head + 50)? == 1;
    let span = |g: usize| -> Option<(usize, usize)> {
        let (a, b) = if long {
            (
                u32_at(font, loca + 4 * g)? as usize,
                u32_at(font, loca + 4 * g + 4)? as usize,
            )
        } else {
            (
                2 * usize::from(u16_at(font, loca + 2 * g)?),
                2 * usize::from(u16_at(font, loca + 2 * g + 2)?),
            )
        };
        (a <= b).then_some((glyf + a, glyf + b))
    };
    // The glyphs shown, then the components of composite glyphs, transitively.
    let mut keep = vec![false; glyphs];
    let mut todo: Vec<usize> = std::iter::once(0)
        .chain(
            (32u8..=255)
                .filter_map(decode)
                .filter_map(|ch| glyph(font, cmap, ch))
                .map(usize::from),
        )
        .filter(|&g| g < glyphs)
        .collect();
    while let Some(g) = todo.pop() {
        if std::mem::replace(&mut keep[g], true) {
            continue;
        }
        let (a, b) = span(g)?;
        if b - a < 10 || i16_at(font, a)? >= 0 {
            continue;
        }
        let mut at = a + 10;
        loop {
            let flags = u16_at(font, at)?;
            let component = usize::from(u16_at(font, at + 2)?);
            if component < glyphs {
                todo.push(component);
            }
            at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
            at += match flags {
                f if f & 0x0008 != 0 => 2,
                f if f & 0x0040 != 0 => 4,
                f if f & 0x0080 != 0 => 8,
                _ => 0,
            };
            if flags & 0x0020 == 0 || at >= b {
                break;
            }
        }
    }
    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (glyphs + 1));
    for (g, kept) in keep.iter().enumerate() {
        new_loca.extend_from_slice(&u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
        if *kept {
            let (a, b) = span(g)?;
            new_glyf.extend_from_slice(font.get(a..b)?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
    let mut tables: Vec<(&[u8; 4], Vec<u8>)> = Vec::new();
    for tag in KEPT_TABLES {
        let data = match tag {
            b"glyf" => std::mem::take(&mut new_glyf),
            b"loca" => std::mem::take(&mut new_loca),
            _ => {
                let n = usize::from(u16_at(font, 4)?);
                let Some(r) = (0..n)
                    .map(|i| 12 + 16 * i)
                    .find(|&r| font.get(r..r + 4) == Some(tag.as_slice()))
                else {
                    continue; // cvt, fpgm and prep are optional
                };
                let (at, len) = (
                    u32_at(font, r + 8)? as usize,
                    u32_at(font, r + 12)? as usize,
                );
                let mut data = font.get(at..at + len)?.to_vec();
                match tag {
                    b"head" => {
                        data.get_mut(8..12)?.copy_from_slice(&[0; 4]); // checkSumAdjustment
                        data.get_mut(50..52)?.copy_from_slice(&1u16.to_be_bytes());
                    }
                    b"post" => {
                        data.truncate(32);
                        data.get_mut(0..4)?
                            .copy_from_slice(&0x0003_0000u32.to_be_bytes());
                    }
                    _ => {}
                }
                data
            }
        };
        tables.push((tag, data));
    }
    Some(write_sfnt(&tables))
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// A TrueType file from its tables (tags in ascending order), with the table directory's
/// checksums and `head.checkSumAdjustment` as the format wants.
fn write_sfnt(tables: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let n = tables.len();
    let pow = (0..16).rev().find(|&e| 1usize << e <= n).unwrap_or(0);
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n, 16 << pow, pow, 16 * n - (16 << pow)] {
        out.extend_from_slice(&(v as u16).to_be_bytes());
    }
    let mut offset = 12 + 16 * n;
    let mut head_at = None;
    for (tag, data) in tables {
        if *tag == b"head" {
            head_at = Some(offset);
        }
        out.extend_from_slice(tag.as_slice());
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

// ------------------------------------------------------------------ WinAnsi

/// The WinAnsi (cp1252) codes 0x80–0x9F that are not Latin-1.
const WIN_ANSI_HIGH: [(u8, char); 27] = [
    (0x80, '€'),
    (0x82, '‚'),
    (0x83, 'ƒ'),
    (0x84, '„'),
    (0x85, '…'),
    (0x86, '†'),
    (0x87, '‡'),
    (0x88, 'ˆ'),
    (0x89, '‰'),
    (0x8a, 'Š'),
    (0x8b, '‹'),
    (0x8c, 'Œ'),
    (0x8e, 'Ž'),
    (0x91, '‘'),
    (0x92, '’'),
    (0x93, '“'),
    (0x94, '”'),
    (0x95, '•'),
    (0x96, '–'),
    (0x97, '—'),
    (0x98, '˜'),
    (0x99, '™'),
    (0x9a, 'š'),
    (0x9b, '›'),
    (0x9c, 'œ'),
    (0x9e, 'ž'),
    (0x9f, 'Ÿ'),
];

/// The character a WinAnsi code stands for.
fn decode(code: u8) -> Option<char> {
    match code {
        0x20..=0x7e | 0xa0..=0xff => Some(char::from(code)),
        _ => WIN_ANSI_HIGH
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, ch)| *ch),
    }
}

/// The WinAnsi code of a character; what it cannot encode prints as `?`.
fn encode(ch: char) -> u8 {
    match ch {
        '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => ch as u32 as u8,
        _ => WIN_ANSI_HIGH
            .iter()
            .find(|(_, c)| *c == ch)
            .map_or(b'?', |(code, _)| *code),
    }
}

/// A string literal in WinAnsi, escaped.
fn literal(s: &str) -> Vec<u8> {
    let mut out = vec![b'('];
    for ch in s.chars() {
        let b = encode(ch);
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

/// How wide `s` prints at `size` points.
fn width(s: &str, size: f32) -> f32 {
    let w = &metrics().widths;
    s.chars()
        .map(|c| f32::from(w[usize::from(encode(c))]))
        .sum::<f32>()
        * size
        / 1000.0
}

// ------------------------------------------------------------------ layout

/// Lines of `text` no wider than `max` points (a word longer than a line stays whole).
fn wrap(text: &str, size: f32, max: f32) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && width(&candidate, size) > max {
                out.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

fn lines(blocks: &[Block]) -> Vec<Line> {
    let max = PAGE_W - 2.0 * MARGIN;
    let mut out = Vec::new();
    let plain = |out: &mut Vec<Line>, bold: bool, size: f32, t: &str| {
        for l in wrap(t, size, max) {
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

fn show(content: &mut Vec<u8>, bold: bool, size: f32, x: f32, y: f32, text: &str) {
    // Bold: the regular glyphs filled and stroked (render mode 2), regular: filled (0).
    let mode = if bold { "2 Tr 0.35 w" } else { "0 Tr" };
    content.extend_from_slice(format!("BT /F1 {size} Tf {mode} {x:.1} {y:.1} Td ").as_bytes());
    content.extend_from_slice(&literal(text));
    content.extend_from_slice(b" Tj ET\n");
}

/// The document: its blocks over as many A4 pages as they need, each numbered "Pagina n di
/// N", with `title` in its information dictionary.
pub fn render(title: &str, blocks: &[Block]) -> Vec<u8> {
    let all = lines(blocks);
    let mut pages: Vec<Vec<u8>> = Vec::new();
    let mut content = Vec::new();
    let mut y = PAGE_H - MARGIN;
    for l in all {
        let lead = l.size * 1.35;
        if y - lead < MARGIN + FOOTER {
            pages.push(std::mem::take(&mut content));
            y = PAGE_H - MARGIN;
        }
        y -= lead;
        if !l.text.is_empty() {
            show(&mut content, l.bold, l.size, MARGIN, y, &l.text);
        }
    }
    pages.push(content);
    let n = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let number = format!("Pagina {} di {n}", i + 1);
        let x = PAGE_W - MARGIN - width(&number, 8.0);
        show(page, false, 8.0, x, MARGIN - 8.0, &number);
    }

    // Objects: 1 catalog, 2 pages, 3 font, 4 its descriptor, 5 the font file, 6 info, then a
    // page and its content each.
    let m = metrics();
    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 7 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    let widths: Vec<String> = m.widths[32..].iter().map(u16::to_string).collect();
    objects.push(
        format!(
            "<< /Type /Font /Subtype /TrueType /BaseFont /SLWINA+DejaVuSans /FirstChar 32 \
             /LastChar 255 /Widths [{}] /FontDescriptor 4 0 R /Encoding /WinAnsiEncoding >>",
            widths.join(" ")
        )
        .into_bytes(),
    );
    let [x0, y0, x1, y1] = m.bbox;
    objects.push(
        format!(
            "<< /Type /FontDescriptor /FontName /SLWINA+DejaVuSans /Flags 32 /FontBBox [{x0} {y0} {x1} \
             {y1}] /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight 729 /StemV 80 \
             /FontFile2 5 0 R >>",
            m.ascent, m.descent
        )
        .into_bytes(),
    );
    let (z, unpacked) = font_stream();
    let mut file = format!(
        "<< /Length {} /Length1 {unpacked} /Filter /FlateDecode >>\nstream\n",
        z.len(),
    )
    .into_bytes();
    file.extend_from_slice(z);
    file.extend_from_slice(b"\nendstream");
    objects.push(file);
    let mut info = b"<< /Producer (Sistema Lavoro) /Title ".to_vec();
    info.extend_from_slice(&literal(title));
    info.extend_from_slice(b" >>");
    objects.push(info);
    for (i, c) in pages.iter().enumerate() {
        let content_id = 8 + 2 * i;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
                 /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
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
            "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
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
    fn the_embedded_font_gives_real_widths_for_italian_text() {
        let m = read_metrics(FONT);
        assert!(m.is_some(), "the committed font is readable");
        let w = &metrics().widths;
        // DejaVu Sans: a narrow 'i', a wide 'm', accented letters as wide as their base.
        assert!(w[usize::from(b'i')] < w[usize::from(b'm')]);
        assert_eq!(w[0xe8], w[usize::from(b'e')], "è as e");
        assert!(w[usize::from(encode('€'))] > 0);
        assert!(w[usize::from(encode('«'))] > 0);
    }

    #[test]
    fn the_embedded_font_is_cut_to_the_glyphs_win_ansi_shows() {
        let sub = subset_win_ansi(FONT).unwrap_or_default();
        assert!(
            sub.len() < FONT.len() / 5,
            "{} of {} bytes",
            sub.len(),
            FONT.len()
        );
        // The same glyph numbers and widths: the PDF's /Widths and text need no change.
        let (a, b) = (read_metrics(FONT), read_metrics(&sub));
        assert_eq!(a.map(|m| m.widths), b.map(|m| m.widths));
        let cmap = table(&sub, b"cmap").unwrap_or(0);
        for ch in ['a', 'è', 'à', '€', '«', '’', '—', '•'] {
            assert_eq!(
                glyph(&sub, cmap, ch),
                glyph(FONT, table(FONT, b"cmap").unwrap_or(0), ch)
            );
        }
        // A glyph WinAnsi cannot show (Greek alpha) keeps its number with no outline; 'è' (a
        // composite of 'e' and the grave accent) keeps its outline and its components'.
        let outline = |font: &[u8], ch: char| {
            let (head, loca, glyf) = (
                table(font, b"head"),
                table(font, b"loca"),
                table(font, b"glyf"),
            );
            let (Some(head), Some(loca), Some(_glyf)) = (head, loca, glyf) else {
                return 0;
            };
            let g = usize::from(glyph(font, table(font, b"cmap").unwrap_or(0), ch).unwrap_or(0));
            let at = |i: usize| match u16_at(font, head + 50) {
                Some(1) => u32_at(font, loca + 4 * i).unwrap_or(0) as usize,
                _ => 2 * usize::from(u16_at(font, loca + 2 * i).unwrap_or(0)),
            };
            at(g + 1) - at(g)
        };
        assert!(outline(FONT, 'α') > 0);
        assert_eq!(outline(&sub, 'α'), 0);
        for ch in ['è', 'e', '€'] {
            assert_eq!(outline(&sub, ch), outline(FONT, ch), "{ch}");
        }
        let pdf = render("Prova", &[Block::Text("Perché più città: 1.500 €".into())]);
        assert!(pdf.len() < 100_000, "{} bytes", pdf.len());
    }

    #[test]
    fn long_text_wraps_and_special_characters_are_escaped() {
        let w = wrap("uno due tre quattro", 10.0, width("uno due", 10.0) + 0.1);
        assert_eq!(w, vec!["uno due", "tre", "quattro"]);
        assert_eq!(
            literal("a(b)\\ è–’€«»"),
            b"(a\\(b\\)\\\\ \xe8\x96\x92\x80\xab\xbb)".to_vec()
        );
        assert_eq!(literal("😀"), b"(?)".to_vec());
    }

    #[test]
    fn many_lines_make_several_numbered_pages() {
        let blocks: Vec<Block> = (0..200).map(|i| Block::Text(format!("riga {i}"))).collect();
        let pdf = render("Prova", &blocks);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 4"), "four pages");
        assert!(text.contains("(Pagina 4 di 4)"));
        assert!(text.contains("/FontFile2 5 0 R"));
    }
}
