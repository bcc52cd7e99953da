//! Annotated NER files and conlleval-style scoring. Three layouts are read:
//! CoNLL-2003 (space-separated columns, the tag last, `-DOCSTART-` between
//! documents), two columns `TOKEN<TAB>TAG` (the Broad Twitter Corpus), and
//! the UNER layout (tab-separated `INDEX TOKEN TAG ...`, `# newdoc` and
//! `# text = ` comment lines). Tags may be IOB1 or IOB2; UNER's `OTH` is
//! read as MISC. A file that never tags MISC did not annotate it: its `O`
//! tokens may be MISC ([`Corpus::labels_misc`]).

use std::fmt::Write as _;
use std::path::Path;

use super::model::{TAGS, TYPES, is_begin, tag_index, tag_type};
use super::tagger::tag_spans;

/// A sentence: words and gold tags (IOB2 indexes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    /// The words.
    pub words: Vec<String>,
    /// Their tags.
    pub tags: Vec<u8>,
}

/// A document: its sentences.
pub type Document = Vec<Sentence>;

/// The documents of one annotated file and what it annotates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corpus {
    /// The documents.
    pub documents: Vec<Document>,
    /// Whether the file tags MISC at all; when not, its `O` tokens may be
    /// MISC and only PER, LOC and ORG are scored by default.
    pub labels_misc: bool,
}

impl Corpus {
    /// The type indexes this corpus annotates: all four, or PER/LOC/ORG.
    pub fn labelled_types(&self) -> Vec<usize> {
        if self.labels_misc { vec![0, 1, 2, 3] } else { vec![0, 1, 2] }
    }
}

/// Reads an annotated file into documents; IOB1 tags are converted to IOB2.
pub fn read_conll(path: &Path) -> Result<Corpus, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_conll(&text).map_err(|(line, msg)| format!("{}:{line}: {msg}", path.display()))
}

/// A tag as written to a tag name of [`TAGS`] (`B-OTH` is `B-MISC`, UNER's
/// stray `B-O` is `O`), or `None` when it is no tag.
fn normalise_tag(tag: &str) -> Option<&'static str> {
    if tag == "O" {
        return Some("O");
    }
    let (prefix, ty) = tag.split_once('-')?;
    if !matches!(prefix, "B" | "I") {
        return None;
    }
    let ty = match ty {
        "O" => return Some("O"),
        "OTH" => "MISC",
        t => t,
    };
    TAGS.iter().copied().find(|t| t[..1] == *prefix && t[2..] == *ty)
}

/// Parses annotated text in any of the three layouts; errors carry the line number.
pub fn parse_conll(text: &str) -> Result<Corpus, (usize, String)> {
    let mut docs: Vec<Document> = vec![Vec::new()];
    let mut sentence = Sentence::default();
    let mut raw_tags: Vec<&str> = Vec::new();
    let flush = |sentence: &mut Sentence, raw: &mut Vec<&str>, docs: &mut Vec<Document>| {
        if !sentence.words.is_empty() {
            sentence.tags = to_iob2(raw);
            docs.last_mut().expect("one document").push(std::mem::take(sentence));
        }
        raw.clear();
    };
    let new_document = |docs: &mut Vec<Document>| {
        if !docs.last().is_some_and(Vec::is_empty) {
            docs.push(Vec::new());
        }
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut sentence, &mut raw_tags, &mut docs);
            continue;
        }
        if line.starts_with("-DOCSTART-") || line.starts_with("# newdoc") {
            flush(&mut sentence, &mut raw_tags, &mut docs);
            new_document(&mut docs);
            continue;
        }
        // UNER comments: `# sent_id = ...`, `# text = ...`.
        if line.starts_with("# ") && line.contains(" = ") && !line.contains('\t') {
            continue;
        }
        let (word, tag) = if line.contains('\t') {
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() >= 3 && fields[0].bytes().all(|b| b.is_ascii_digit()) {
                (fields[1], fields[2])
            } else {
                (fields[0], fields[fields.len() - 1])
            }
        } else {
            let mut fields = line.split_whitespace();
            (fields.next().unwrap_or(""), fields.next_back().unwrap_or(""))
        };
        let Some(tag) = normalise_tag(tag) else {
            return Err((i + 1, format!("unknown tag {tag:?} (expected O, B-/I- with PER, LOC, ORG or MISC)")));
        };
        // A Twitter @-mention: the `@` is not part of the name.
        let tag = if word == "@" { "O" } else { tag };
        sentence.words.push(word.to_string());
        raw_tags.push(tag);
    }
    flush(&mut sentence, &mut raw_tags, &mut docs);
    docs.retain(|d| !d.is_empty());
    let labels_misc = docs.iter().flatten().flat_map(|s| &s.tags).any(|&t| tag_type(t) == Some(3));
    Ok(Corpus { documents: docs, labels_misc })
}

/// IOB1 or IOB2 tags to IOB2 indexes: an `I-X` that starts an entity becomes `B-X`.
fn to_iob2(raw: &[&str]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut prev = 0u8;
    for tag in raw {
        let mut t = tag_index(tag).unwrap_or(0);
        if t != 0 && !is_begin(t) && (prev == 0 || tag_type(prev) != tag_type(t)) {
            t -= 1;
        }
        out.push(t);
        prev = t;
    }
    out
}

/// Span counts of one type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Spans in the gold data.
    pub gold: usize,
    /// Spans predicted.
    pub predicted: usize,
    /// Predicted spans that match a gold span exactly (bounds and type).
    pub correct: usize,
}

impl Counts {
    /// Precision, recall, F1 as percentages.
    pub fn scores(&self) -> (f64, f64, f64) {
        let p = if self.predicted == 0 { 0.0 } else { 100.0 * self.correct as f64 / self.predicted as f64 };
        let r = if self.gold == 0 { 0.0 } else { 100.0 * self.correct as f64 / self.gold as f64 };
        let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
        (p, r, f)
    }
}

/// Scores of a tagging run, per type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// Counts per type, in [`TYPES`] order.
    pub per_type: [Counts; 4],
    /// Tokens scored.
    pub tokens: usize,
}

impl Evaluation {
    /// Adds one sentence; types not in `types` are ignored (read as O).
    pub fn add(&mut self, gold: &[u8], predicted: &[u8], types: &[usize]) {
        self.tokens += gold.len();
        let g: Vec<_> = tag_spans(gold).into_iter().filter(|s| types.contains(&s.2)).collect();
        let p: Vec<_> = tag_spans(predicted).into_iter().filter(|s| types.contains(&s.2)).collect();
        for s in &g {
            self.per_type[s.2].gold += 1;
        }
        for s in &p {
            self.per_type[s.2].predicted += 1;
            if g.contains(s) {
                self.per_type[s.2].correct += 1;
            }
        }
    }

    /// Counts over all types.
    pub fn overall(&self) -> Counts {
        self.per_type.iter().fold(Counts::default(), |a, c| Counts {
            gold: a.gold + c.gold,
            predicted: a.predicted + c.predicted,
            correct: a.correct + c.correct,
        })
    }

    /// The report: a row per type, then `overall precision=P recall=R f1=F` last.
    pub fn report(&self, types: &[usize]) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<6} {:>7} {:>7} {:>7} {:>9} {:>7} {:>7}",
            "type", "gold", "found", "correct", "precision", "recall", "f1"
        );
        for &t in types {
            let c = self.per_type[t];
            let (p, r, f) = c.scores();
            let _ = writeln!(
                out,
                "{:<6} {:>7} {:>7} {:>7} {:>9.2} {:>7.2} {:>7.2}",
                TYPES[t], c.gold, c.predicted, c.correct, p, r, f
            );
        }
        let (p, r, f) = self.overall().scores();
        let _ = write!(out, "overall precision={p:.2} recall={r:.2} f1={f:.2}");
        out
    }
}

/// The entities of a sentence that gold and predicted tags disagree on, as
/// one line each (`- [Al Jazeera]PER` missed or mistyped, `+ [Coles]PER`
/// found wrongly), under the sentence with the gold names bracketed; empty
/// when they agree over `types`.
pub fn disagreements(sentence: &Sentence, predicted: &[u8], types: &[usize]) -> String {
    let spans = |tags: &[u8]| -> Vec<(usize, usize, usize)> {
        tag_spans(tags).into_iter().filter(|s| types.contains(&s.2)).collect()
    };
    let (gold, found) = (spans(&sentence.tags), spans(predicted));
    let show = |&(a, b, t): &(usize, usize, usize)| format!("[{}]{}", sentence.words[a..b].join(" "), TYPES[t]);
    let mut out = String::new();
    for s in gold.iter().filter(|s| !found.contains(s)) {
        let _ = writeln!(out, "  - {}", show(s));
    }
    for s in found.iter().filter(|s| !gold.contains(s)) {
        let _ = writeln!(out, "  + {}", show(s));
    }
    if out.is_empty() {
        return out;
    }
    let mut line = String::new();
    let mut open = gold.iter().peekable();
    for (i, w) in sentence.words.iter().enumerate() {
        if !line.is_empty() {
            line.push(' ');
        }
        let starts = open.peek().is_some_and(|s| s.0 == i);
        if starts {
            line.push('[');
        }
        line.push_str(w);
        if let Some(&&(_, end, t)) = open.peek()
            && end == i + 1
        {
            let _ = write!(line, "]{}", TYPES[t]);
            open.next();
        }
    }
    format!("{line}\n{out}")
}

/// Parses `--types PER,LOC,ORG` into type indexes.
pub fn parse_types(list: &str) -> Result<Vec<usize>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            TYPES
                .iter()
                .position(|x| x.eq_ignore_ascii_case(t))
                .ok_or_else(|| format!("unknown entity type {t:?} (use PER, LOC, ORG, MISC)"))
        })
        .collect()
}

/// Tag names, for printing.
pub fn tag_name(tag: u8) -> &'static str {
    TAGS[tag as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iob1_and_iob2_alike() {
        let iob1 = "-DOCSTART- -X- -X- O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP I-MISC\n\nPeter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\n";
        let iob2 = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n";
        let a = parse_conll(iob1).unwrap();
        assert_eq!(a, parse_conll(iob2).unwrap());
        assert!(a.labels_misc);
        assert_eq!(a.documents.len(), 1);
        assert_eq!(a.documents[0].len(), 2);
        assert_eq!(a.documents[0][1].tags, vec![1, 2]);
    }

    #[test]
    fn reads_the_uner_layout_with_its_comments_and_other_type() {
        let uner = "# newdoc id = a\n# sent_id = a-1\n# text = Al-Zaman: American forces\n1\tAl\tB-ORG\t-\tann\n2\t-\tI-ORG\t-\tann\n3\tZaman\tI-ORG\t-\tann\n4\t:\tO\n5\tAmerican\tB-OTH\t-\tann\n6\tforces\tB-O\t-\t-\n\n# newdoc id = b\n# text = in tampa\n1\tin\tO\t-\t-\n2\ttampa\tB-LOC\t-\tann\n";
        let corpus = parse_conll(uner).unwrap();
        assert_eq!(corpus.documents.len(), 2, "# newdoc starts a document");
        let first = &corpus.documents[0][0];
        assert_eq!(first.words, ["Al", "-", "Zaman", ":", "American", "forces"]);
        assert_eq!(first.tags, [5, 6, 6, 0, 7, 0], "OTH is MISC, a stray B-O is O");
        assert_eq!(corpus.documents[1][0].tags, [0, 3]);
    }

    #[test]
    fn reads_two_columns_and_knows_when_misc_is_not_annotated() {
        let btc = "RT\tO\n@\tB-ORG\nBBCNews\tB-ORG\n:\tO\nLondon\tB-LOC\n\n#london\tO\n";
        let corpus = parse_conll(btc).unwrap();
        assert!(!corpus.labels_misc);
        assert_eq!(corpus.labelled_types(), [0, 1, 2]);
        let tweets = &corpus.documents[0];
        assert_eq!(tweets[0].tags, [0, 0, 5, 0, 3], "the @ of a mention is not part of the name");
        assert_eq!(tweets[1].words, ["#london"], "a hashtag is a word, not a comment");
    }

    #[test]
    fn bad_tags_name_the_line() {
        assert_eq!(parse_conll("a X\nb B-FOO\n").unwrap_err().0, 1);
        assert_eq!(parse_conll("a O\nb B-FOO\n").unwrap_err().0, 2);
        assert_eq!(parse_conll("1\ta\tQ-PER\n").unwrap_err().0, 1);
    }

    #[test]
    fn exact_span_scoring() {
        let mut e = Evaluation::default();
        // gold: B-PER I-PER O B-LOC ; predicted: B-PER O O B-LOC
        e.add(&[1, 2, 0, 3], &[1, 0, 0, 3], &[0, 1, 2, 3]);
        let o = e.overall();
        assert_eq!((o.gold, o.predicted, o.correct), (2, 2, 1));
        let report = e.report(&[0, 1, 2, 3]);
        assert_eq!(report.lines().last().unwrap(), "overall precision=50.00 recall=50.00 f1=50.00");
        // Only LOC: the person spans do not count.
        let mut e = Evaluation::default();
        e.add(&[1, 2, 0, 3], &[1, 0, 0, 3], &[1]);
        assert_eq!(e.report(&[1]).lines().last().unwrap(), "overall precision=100.00 recall=100.00 f1=100.00");
    }
}
