//! Reading the rows of a CSV, TSV or JSON Lines file one at a time, so
//! that a file of any size is never held whole in memory. Each row comes
//! out as the article fields it has ([`Row`]); a row that cannot be read
//! (a malformed CSV record, a JSON line that is not an object, a row
//! larger than the limit) is reported with its row and line and skipped.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde_json::Value;

use super::fields::{Columns, FIELDS, Field};
use crate::config::CollectionsConfig;
use crate::diagnostics::Diagnostic;

/// One row's fields, trimmed, empty ones left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// Its number among the file's rows, from 1 (a CSV header is not a row).
    pub number: usize,
    /// The line of the file it starts on.
    pub line: usize,
    values: [Option<String>; FIELDS.len()],
}

impl Row {
    /// The value of `field`, if the row has one.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.values[field as usize].as_deref()
    }

    /// Takes the value of `field` out of the row.
    pub fn take(&mut self, field: Field) -> Option<String> {
        self.values[field as usize].take()
    }

    /// A hash of the row's values: equal values, equal article.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = crate::hash::FastHasher::default();
        self.values.hash(&mut h);
        h.finish()
    }

    fn set(&mut self, field: Field, value: String) {
        let trimmed = value.trim();
        if !trimmed.is_empty() {
            self.values[field as usize] = Some(if trimmed.len() == value.len() { value } else { trimmed.to_string() });
        }
    }
}

/// The layout of a file of rows, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFormat {
    /// Comma-separated, RFC 4180 quoting (fields may hold quotes and newlines).
    Csv,
    /// Tab-separated, no quoting.
    Tsv,
    /// One JSON object per line.
    JsonLines,
}

impl RowFormat {
    /// The format of a file, by its extension.
    pub fn of(path: &Path) -> Option<RowFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(RowFormat::Csv),
            "tsv" => Some(RowFormat::Tsv),
            "jsonl" => Some(RowFormat::JsonLines),
            _ => None,
        }
    }
}

/// Reads the rows of the file at `path` (named `display` in messages),
/// handing each to `each` as it is read; returns the problems found.
pub fn read_rows(
    path: &Path,
    display: &Path,
    config: &CollectionsConfig,
    max_row_bytes: u64,
    each: &mut dyn FnMut(Row),
) -> Vec<Diagnostic> {
    let Some(format) = RowFormat::of(path) else {
        return vec![Diagnostic::error(display, None, "not a CSV, TSV or JSON Lines file")];
    };
    match std::fs::File::open(path) {
        Ok(file) => read_rows_from(file, format, display, config, max_row_bytes, each),
        Err(e) => vec![Diagnostic::error(display, None, format!("cannot read: {e}"))],
    }
}

/// Reads rows in `format` from any reader, as [`read_rows`] does from a file.
pub fn read_rows_from(
    reader: impl Read,
    format: RowFormat,
    display: &Path,
    config: &CollectionsConfig,
    max_row_bytes: u64,
    each: &mut dyn FnMut(Row),
) -> Vec<Diagnostic> {
    match format {
        RowFormat::JsonLines => read_json_lines(reader, display, config, max_row_bytes, each),
        RowFormat::Csv | RowFormat::Tsv => {
            read_delimited(reader, format == RowFormat::Tsv, display, config, max_row_bytes, each)
        }
    }
}

fn read_delimited(
    file: impl Read,
    tabs: bool,
    display: &Path,
    config: &CollectionsConfig,
    max_row_bytes: u64,
    each: &mut dyn FnMut(Row),
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if tabs { b'\t' } else { b',' })
        .quoting(!tabs)
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::with_capacity(1 << 16, file));
    let mut record = csv::ByteRecord::new();
    let mut header: Option<(Columns, usize)> = None;
    let mut number = 0;
    loop {
        let line = reader.position().line() as usize;
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e.position().map_or(line, |p| p.line() as usize);
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                diagnostics.push(Diagnostic::error(display, Some(at), format!("cannot read this row: {e}; skipped")));
                if fatal {
                    break;
                }
                continue;
            }
        }
        let Some((columns, width)) = &header else {
            let names: Vec<String> = record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
            let columns = Columns::find(names.iter().map(|n| n.trim_start_matches('\u{feff}')), config);
            for missing in columns.missing_configured(config) {
                diagnostics.push(Diagnostic::warning(
                    display,
                    Some(line),
                    format!("[collections] names column {missing:?}, which this file does not have"),
                ));
            }
            if columns.get(Field::Text).is_none() && columns.get(Field::Title).is_none() {
                diagnostics.push(Diagnostic::error(
                    display,
                    Some(line),
                    format!(
                        "no title or text column among {:?} (name them in site.toml's [collections]); file skipped",
                        names
                    ),
                ));
                return diagnostics;
            }
            header = Some((columns, names.len()));
            continue;
        };
        number += 1;
        if record.as_slice().len() as u64 > max_row_bytes {
            diagnostics.push(Diagnostic::error(
                display,
                Some(line),
                format!("row {number} is larger than max_article_bytes ({max_row_bytes} bytes); skipped"),
            ));
            continue;
        }
        if record.len() != *width {
            diagnostics.push(Diagnostic::error(
                display,
                Some(line),
                format!("row {number} has {} fields where the header has {width}; skipped", record.len()),
            ));
            continue;
        }
        let mut row = Row { number, line, ..Row::default() };
        for field in FIELDS {
            if let Some(value) = columns.get(field).and_then(|i| record.get(i)) {
                row.set(field, String::from_utf8_lossy(value).into_owned());
            }
        }
        each(row);
    }
    diagnostics
}

fn read_json_lines(
    file: impl Read,
    display: &Path,
    config: &CollectionsConfig,
    max_row_bytes: u64,
    each: &mut dyn FnMut(Row),
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut line = Vec::new();
    let (mut line_number, mut number) = (0, 0);
    loop {
        line_number += 1;
        let fits = match read_line_at_most(&mut reader, &mut line, max_row_bytes) {
            Ok(None) => break,
            Ok(Some(fits)) => fits,
            Err(e) => {
                diagnostics.push(Diagnostic::error(display, Some(line_number), format!("cannot read: {e}")));
                break;
            }
        };
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_start_matches('\u{feff}').trim();
        if fits && text.is_empty() {
            continue;
        }
        number += 1;
        let problem =
            |what: String| Diagnostic::error(display, Some(line_number), format!("row {number}: {what}; skipped"));
        if !fits {
            diagnostics.push(problem(format!("larger than max_article_bytes ({max_row_bytes} bytes)")));
            continue;
        }
        let object = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => object,
            Ok(other) => {
                diagnostics.push(problem(format!("a JSON {}, not an object", json_kind(&other))));
                continue;
            }
            Err(e) => {
                diagnostics.push(problem(format!("not valid JSON ({e})")));
                continue;
            }
        };
        let columns = Columns::find(object.keys().map(String::as_str), config);
        let mut row = Row { number, line: line_number, ..Row::default() };
        for field in FIELDS {
            let Some(value) = columns.get(field).and_then(|i| object.values().nth(i)) else { continue };
            if let Some(value) = json_text(value) {
                row.set(field, value);
            }
        }
        each(row);
    }
    diagnostics
}

/// Reads one line into `line` (without its `\n`): `Some(true)` when it
/// fits in `max` bytes; `Some(false)` when it does not (the rest of it is
/// read past, not kept); `None` at the end of the file.
fn read_line_at_most(reader: &mut impl BufRead, line: &mut Vec<u8>, max: u64) -> std::io::Result<Option<bool>> {
    line.clear();
    let mut fits = true;
    let mut read_any = false;
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(read_any.then_some(fits));
        }
        read_any = true;
        let (chunk, done) = match memchr::memchr(b'\n', buffer) {
            Some(at) => (&buffer[..at], at + 1),
            None => (buffer, buffer.len()),
        };
        if fits && (line.len() + chunk.len()) as u64 <= max {
            line.extend_from_slice(chunk);
        } else {
            fits = false;
            line.clear();
        }
        let ended = done > chunk.len();
        reader.consume(done);
        if ended {
            return Ok(Some(fits));
        }
    }
}

/// A JSON value as field text: strings as they are, numbers written out,
/// lists of strings joined with commas (authors); others have none.
fn json_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Reads every row of a file into memory: for tests and small files.
pub fn read_all(path: &Path, config: &CollectionsConfig) -> (Vec<Row>, Vec<Diagnostic>) {
    let mut rows = Vec::new();
    let diagnostics = read_rows(path, path, config, u64::MAX, &mut |row| rows.push(row));
    (rows, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(name: &str, bytes: &[u8]) -> (Vec<Row>, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        read_all(&path, &CollectionsConfig::default())
    }

    #[test]
    fn csv_quoting_newlines_quotes_and_bom() {
        let csv = "\u{feff}title,date,text\n\"Rates, again\",2019-03-05,\"He said \"\"no\"\".\n\nSecond paragraph.\"\nPlain,2019-03-06,Body\n";
        let (rows, d) = rows_of("a.csv", csv.as_bytes());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get(Field::Title), Some("Rates, again"));
        assert_eq!(rows[0].get(Field::Text), Some("He said \"no\".\n\nSecond paragraph."));
        assert_eq!((rows[1].number, rows[1].line), (2, 5));
    }

    #[test]
    fn malformed_csv_row_is_reported_and_skipped() {
        let (rows, d) = rows_of("a.csv", b"title,text\nOne,Body one\nTwo,Body,extra\nThree,Body three\n");
        assert_eq!(rows.iter().map(|r| r.get(Field::Title).unwrap()).collect::<Vec<_>>(), ["One", "Three"]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, Some(3));
        assert!(d[0].message.contains("row 2 has 3 fields"), "{}", d[0].message);
    }

    #[test]
    fn json_lines_that_are_not_objects_are_reported() {
        let jsonl = b"{\"title\":\"One\",\"text\":\"Body\",\"authors\":[\"A\",\"B\"],\"id\":7}\n\n[1,2]\nnot json\n{\"headline\":\"Two\"}";
        let (rows, d) = rows_of("a.jsonl", jsonl);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get(Field::Author), Some("A, B"));
        assert_eq!(rows[0].get(Field::Id), Some("7"));
        assert_eq!(rows[1].get(Field::Title), Some("Two"));
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].message.contains("row 2: a JSON array, not an object"), "{}", d[0].message);
        assert_eq!(d[0].line, Some(3));
        assert!(d[1].message.contains("not valid JSON"));
    }

    #[test]
    fn a_line_longer_than_the_limit_is_skipped_not_kept() {
        let mut reader = std::io::Cursor::new(b"short\nmuch longer line\nend".to_vec());
        let mut line = Vec::new();
        assert_eq!(read_line_at_most(&mut reader, &mut line, 8).unwrap(), Some(true));
        assert_eq!(line, b"short");
        assert_eq!(read_line_at_most(&mut reader, &mut line, 8).unwrap(), Some(false));
        assert!(line.is_empty());
        assert_eq!(read_line_at_most(&mut reader, &mut line, 8).unwrap(), Some(true));
        assert_eq!(line, b"end");
        assert_eq!(read_line_at_most(&mut reader, &mut line, 8).unwrap(), None);
    }

    #[test]
    fn tsv_has_no_quoting() {
        let (rows, d) = rows_of("a.tsv", b"title\ttext\n\"Quoted\" headline\tBody\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(rows[0].get(Field::Title), Some("\"Quoted\" headline"));
    }
}
