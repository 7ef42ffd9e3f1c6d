//! What an uploaded file is, told by its content — never by its name or declared type: magic
//! bytes, and for the ZIP-based formats what the archive holds (`[Content_Types].xml` and the
//! main part for Office Open XML, the `mimetype` entry for OpenDocument). Macro-enabled
//! documents, legacy binary Office files (OLE2) and anything else are refused.

use std::io::{Cursor, Read};

/// A kind of file the documents accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Tiff,
    Docx,
    Xlsx,
    Odt,
    Ods,
}

impl FileKind {
    pub const ALL: [FileKind; 8] = [
        FileKind::Pdf,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Tiff,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Odt,
        FileKind::Ods,
    ];

    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Tiff => "image/tiff",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
        }
    }

    /// The file name extensions of the kind, the usual one first.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Tiff => &["tif", "tiff"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Odt => &["odt"],
            FileKind::Ods => &["ods"],
        }
    }
}

/// Why a file is refused, for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A Word or Excel file with macros (`vbaProject.bin`, a `macroEnabled` content type).
    Macros,
    /// A legacy binary Office file (OLE2: `.doc`, `.xls`).
    LegacyOffice,
    /// A ZIP archive that is not one of the accepted document formats.
    OtherArchive,
    /// Anything else.
    Unknown,
}

/// Largest archive entry read to tell the kind (`[Content_Types].xml`, `mimetype`).
const ENTRY_MAX: u64 = 1024 * 1024;

pub fn recognise(bytes: &[u8]) -> Result<FileKind, Refusal> {
    if bytes.starts_with(b"%PDF-") {
        Ok(FileKind::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(FileKind::Png)
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Ok(FileKind::Jpeg)
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Ok(FileKind::Tiff)
    } else if bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        Err(Refusal::LegacyOffice)
    } else if bytes.starts_with(b"PK\x03\x04") {
        archive(bytes)
    } else {
        Err(Refusal::Unknown)
    }
}

fn entry(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    let f = zip.by_name(name).ok()?;
    let mut out = String::new();
    f.take(ENTRY_MAX).read_to_string(&mut out).ok()?;
    Some(out)
}

fn archive(bytes: &[u8]) -> Result<FileKind, Refusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refusal::Unknown)?;
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|_| Refusal::Unknown)?;
    let has = |n: &str| names.iter().any(|x| x == n);
    if names
        .iter()
        .any(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin"))
    {
        return Err(Refusal::Macros);
    }
    if let Some(mime) = entry(&mut zip, "mimetype") {
        // OpenDocument macros live in Basic/ (StarBasic) or Scripts/.
        if names
            .iter()
            .any(|n| n.starts_with("Basic/") || n.starts_with("Scripts/"))
        {
            return Err(Refusal::Macros);
        }
        return match mime.trim() {
            "application/vnd.oasis.opendocument.text" => Ok(FileKind::Odt),
            "application/vnd.oasis.opendocument.spreadsheet" => Ok(FileKind::Ods),
            _ => Err(Refusal::OtherArchive),
        };
    }
    let Some(types) = entry(&mut zip, "[Content_Types].xml") else {
        return Err(Refusal::OtherArchive);
    };
    let lower = types.to_ascii_lowercase();
    if lower.contains("macroenabled") || lower.contains("vbaproject") {
        return Err(Refusal::Macros);
    }
    if has("word/document.xml")
        && lower.contains(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        )
    {
        Ok(FileKind::Docx)
    } else if has("xl/workbook.xml")
        && lower
            .contains("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    {
        Ok(FileKind::Xlsx)
    } else {
        Err(Refusal::OtherArchive)
    }
}

/// Longest file name kept (characters).
pub const FILE_NAME_MAX: usize = 200;

/// A file name safe to store and to send back: its last path segment, without control
/// characters or the ones file systems refuse, at most [`FILE_NAME_MAX`] characters, ending
/// with an extension of the recognised kind (added when the name says otherwise).
pub fn safe_file_name(raw: &str, kind: FileKind) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '"' | '*' | ':' | '<' | '>' | '?' | '|' | ';' => '_',
            c => c,
        })
        .collect();
    let mut name = cleaned.trim().trim_start_matches('.').trim().to_string();
    if name.is_empty() {
        name = "documento".into();
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let suffix = if kind.extensions().contains(&ext.as_str()) {
        String::new()
    } else {
        format!(".{}", kind.extensions()[0])
    };
    let room = FILE_NAME_MAX - suffix.chars().count();
    let mut name: String = name.chars().take(room).collect();
    name.push_str(&suffix);
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_to_their_last_segment_and_get_the_kinds_extension() {
        assert_eq!(
            safe_file_name("C:\\Users\\a\\cv.pdf", FileKind::Pdf),
            "cv.pdf"
        );
        assert_eq!(
            safe_file_name("../../etc/passwd", FileKind::Pdf),
            "passwd.pdf"
        );
        assert_eq!(safe_file_name("foto.PNG", FileKind::Png), "foto.PNG");
        assert_eq!(safe_file_name("a\"b\r\n.jpeg", FileKind::Jpeg), "a_b.jpeg");
        assert_eq!(safe_file_name("...", FileKind::Odt), "documento.odt");
        let long = "x".repeat(500);
        assert_eq!(
            safe_file_name(&long, FileKind::Docx).chars().count(),
            FILE_NAME_MAX
        );
    }

    #[test]
    fn kinds_are_told_by_their_first_bytes() {
        assert_eq!(recognise(b"%PDF-1.4\n"), Ok(FileKind::Pdf));
        assert_eq!(recognise(b"MM\0*\0\0\0\x08"), Ok(FileKind::Tiff));
        assert_eq!(
            recognise(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0"),
            Err(Refusal::LegacyOffice)
        );
        assert_eq!(recognise(b"MZ\x90\0"), Err(Refusal::Unknown));
        assert_eq!(recognise(b"PK\x03\x04garbage"), Err(Refusal::Unknown));
    }
}
