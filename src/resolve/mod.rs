//! Resolution: the only stage that sees the whole archive. It sorts the
//! articles, makes slugs unique within a day, merges the names found in each
//! article into entities, and indexes dates and co-occurrence.
//!
//! Within an article, a surname or first name alone joins the full name used
//! in the same article, and an acronym joins the organisation it abbreviates
//! (`Federal Security Service (FSB)`). Across the archive, names of the same
//! type merge when they are the same ignoring case and accents, when they are
//! transliteration variants (`Zelenskiy`, `Zelensky`, `Zelenskyy`), when the
//! gazetteer knows them as one place (`Kiev`, `Kyiv`), and when a rare form is
//! one letter away from a common one it appears with (`Kharviv`, `Kharkiv`).
//! Two different places of the gazetteer never merge (`Iran`, `Iraq`), nor
//! do names the site owner keeps apart. The site owner's entities file
//! overrides everything.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::archive::{Archive, ArticleEntities, ArticleId, EntityId, Section, Span, article_folder};
use crate::content::{Article, Precision};
use crate::diagnostics::{Diagnostic, DiagnosticKind};
use crate::entities::overrides::EntityOverrides;
use crate::entities::{Gazetteer, Mention};

pub mod evidence;
mod lexicon;
mod local;
mod merge;
pub mod names;
mod surnames;
pub mod variants;

pub use local::{LocalEntities, LocalEntity, local_entities};

/// Settings of resolution.
#[derive(Debug, Clone)]
pub struct ResolveOptions {
    /// Minimum number of articles for an entity to get a page.
    pub min_articles: usize,
    /// Minimum estimated probability that a page is right ([`evidence`]).
    pub min_confidence: f32,
    /// The site owner's entities file.
    pub overrides: EntityOverrides,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions {
            min_articles: 1,
            min_confidence: crate::config::DEFAULT_MIN_CONFIDENCE,
            overrides: EntityOverrides::default(),
        }
    }
}

/// Builds the archive from parsed articles and their mentions (same order).
pub fn resolve(
    articles: Vec<Article>,
    mentions: Vec<Vec<Mention>>,
    gazetteer: &Gazetteer,
    options: &ResolveOptions,
) -> (Archive, Vec<Diagnostic>) {
    resolve_alongside(articles, mentions, gazetteer, options, &crate::progress::Silent, |_| {})
}

/// [`resolve`], reporting progress (stages "group" and "merge") and
/// handing each article's fingerprint and mentions to `keep` (the build
/// writes its cache), on a thread of its own, once its names are grouped.
/// The articles are grouped in runs, so that the mentions of a run are
/// freed once grouped and kept: a large archive never holds them all
/// beside their groups.
pub fn resolve_alongside(
    articles: Vec<Article>,
    mentions: Vec<Vec<Mention>>,
    gazetteer: &Gazetteer,
    options: &ResolveOptions,
    progress: &dyn crate::progress::Progress,
    keep: impl FnOnce(&mut dyn Iterator<Item = (u64, Vec<Mention>)>) + Send,
) -> (Archive, Vec<Diagnostic>) {
    progress.start("group", articles.len() as u64);
    let mut local: Vec<Arc<LocalEntities>> = Vec::with_capacity(articles.len());
    std::thread::scope(|scope| {
        // Two runs in flight at most: one being kept, one waiting.
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<(u64, Vec<Mention>)>>(1);
        scope.spawn(move || keep(&mut receive.into_iter().flatten()));
        let mut mentions = mentions.into_iter();
        for run in articles.chunks(GROUP_RUN) {
            let run_mentions: Vec<Vec<Mention>> = mentions.by_ref().take(run.len()).collect();
            local.par_extend(run.par_iter().zip(&run_mentions).map(|(a, m)| {
                progress.working_on(&a.source);
                let local = Arc::new(local_entities(a, m, gazetteer, &options.overrides));
                progress.advance(1);
                local
            }));
            // A `keep` that has stopped reading needs no more: the run is dropped.
            let _ = send.send(run.iter().map(|a| a.fingerprint).zip(run_mentions).collect());
        }
    });
    progress.finish();
    progress.start("merge", 0);
    let resolved = resolve_local(articles.into_iter().map(Arc::new).zip(local).collect(), gazetteer, options);
    progress.finish();
    resolved
}

/// Articles grouped at a time by [`resolve_alongside`]: enough to keep
/// every core busy, few enough that their mentions are a small part of memory.
const GROUP_RUN: usize = 8192;

/// Builds the archive from articles whose entities were already grouped
/// with [`local_entities`] (as `serve` keeps them between edits).
pub fn resolve_local(
    mut pairs: Vec<(Arc<Article>, Arc<LocalEntities>)>,
    gazetteer: &Gazetteer,
    options: &ResolveOptions,
) -> (Archive, Vec<Diagnostic>) {
    pairs.par_sort_by(|(a, _), (b, _)| (a.date, &a.title, &a.source).cmp(&(b.date, &b.title, &b.source)));
    let (mut articles, local): (Vec<Arc<Article>>, Vec<Arc<LocalEntities>>) = pairs.into_iter().unzip();
    let diagnostics = make_slugs_unique(&mut articles);
    let (mut entities, article_entities) = merge::merge_entities(&articles, local, gazetteer, options);
    for entity in &mut entities {
        entity.description = options.overrides.description(&entity.name).map(str::to_string);
    }
    let mut archive = Archive { articles, article_entities, entities, ..Archive::default() };
    index_dates_and_sections(&mut archive);
    archive.link_articles();
    (archive, diagnostics)
}

/// Files each article under its day, month, year or the undated list, and
/// under its section.
fn index_dates_and_sections(archive: &mut Archive) {
    use chrono::Datelike;
    let mut sections: BTreeMap<&str, Vec<ArticleId>> = BTreeMap::new();
    for (id, article) in archive.articles.iter().enumerate() {
        match article.date {
            Some(date) => {
                let d = date.first_day;
                match date.precision {
                    Precision::Day => archive.days.entry(d).or_default().push(id),
                    Precision::Month => archive.month_only.entry((d.year(), d.month())).or_default().push(id),
                    Precision::Year => archive.year_only.entry(d.year()).or_default().push(id),
                }
            }
            None => archive.undated.push(id),
        }
        if let Some(section) = &article.section {
            sections.entry(section.as_str()).or_default().push(id);
        }
    }
    let mut slugs = std::collections::HashSet::new();
    let mut article_sections = vec![None; archive.articles.len()];
    let mut list = Vec::with_capacity(sections.len());
    for (sid, (name, ids)) in sections.into_iter().enumerate() {
        let base = crate::text::slug::slugify_or(name, "section");
        let slug =
            (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") }).find(|s| slugs.insert(s.clone()));
        for &id in &ids {
            article_sections[id] = Some(sid);
        }
        list.push(Section { name: name.to_string(), slug: slug.unwrap_or(base), articles: ids });
    }
    archive.sections = list;
    archive.article_sections = article_sections;
}

/// Updates `archive` in place after an edit of article `id` that changes
/// neither its place in the archive (date, title, slug) nor the names it
/// mentions, only the text around them: the common case while writing.
/// Returns `false`, leaving the archive untouched, when the edit needs a
/// full [`resolve_local`].
pub fn patch_article(
    archive: &mut Archive,
    id: ArticleId,
    old_local: &LocalEntities,
    article: Arc<Article>,
    local: &LocalEntities,
) -> bool {
    let old = &archive.articles[id];
    if old.date != article.date
        || old.title != article.title
        || old.slug != article.slug
        || old.source != article.source
    {
        return false;
    }
    if old_local.len() != local.len() {
        return false;
    }
    // Each local entity of the old version, mapped to its archive entity by its first mention.
    let mut targets = Vec::with_capacity(local.len());
    for (a, b) in old_local.iter().zip(local.iter()) {
        let same = a.kind == b.kind
            && a.key == b.key
            && a.full == b.full
            && a.canonical == b.canonical
            && a.owner == b.owner
            && a.whole == b.whole
            && a.confidence == b.confidence
            && a.kind_votes == b.kind_votes
            && a.spans.len() == b.spans.len()
            && !a.spans.is_empty()
            && a.spans
                .iter()
                .zip(b.spans.iter())
                .all(|((s1, e1), (s2, e2))| old.entity_slice(s1, e1) == article.entity_slice(s2, e2));
        if !same {
            return false;
        }
        let first = a.spans.first();
        match archive.article_entities[id].iter().position(|ae| first.is_some_and(|span| ae.spans.contains(span))) {
            Some(j) => targets.push(j),
            None => return false,
        }
    }
    let mut list: Vec<(EntityId, Vec<Span>)> =
        archive.article_entities[id].iter().map(|ae| (ae.entity, Vec::new())).collect();
    for (entity, &j) in local.iter().zip(&targets) {
        list[j].1.extend(entity.spans.iter());
    }
    let list = ArticleEntities::ordered(list);
    archive.article_entities[id] = list;
    archive.articles[id] = article;
    true
}

/// Gives the second and later articles with the same folder (date) and
/// slug a numbered slug (`-2`, `-3`), with a warning naming both files.
fn make_slugs_unique(articles: &mut [Arc<Article>]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut taken: HashMap<(String, String), usize> = HashMap::with_capacity(articles.len());
    for i in 0..articles.len() {
        let a = &articles[i];
        // `page/2/` under a day is that day's second page; under a month
        // (or year), two digits are one of its days (or months).
        let numeric = a.slug.bytes().all(|b| b.is_ascii_digit());
        if a.slug == "page" || (numeric && a.date.is_some_and(|d| d.precision != Precision::Day)) {
            let new_slug = format!("{}-article", a.slug);
            diagnostics.push(
                Diagnostic::warning(
                    &a.source,
                    None,
                    format!("slug {:?} is taken by the site's own pages; using {new_slug:?}", a.slug),
                )
                .with_kind(DiagnosticKind::SlugClash),
            );
            Arc::make_mut(&mut articles[i]).slug = new_slug;
        }
        let key = (article_folder(articles[i].date), articles[i].slug.clone());
        if let Some(&first) = taken.get(&key) {
            let mut n = 2;
            let new_slug = loop {
                let candidate = format!("{}-{n}", key.1);
                if !taken.contains_key(&(key.0.clone(), candidate.clone())) {
                    break candidate;
                }
                n += 1;
            };
            diagnostics.push(
                Diagnostic::warning(
                    &articles[i].source,
                    None,
                    format!(
                        "same {} as {} ({}{}/); using slug {new_slug:?}",
                        if articles[i].date.is_some() { "date and slug" } else { "slug among undated articles" },
                        articles[first].source.display(),
                        key.0,
                        key.1
                    ),
                )
                .with_kind(DiagnosticKind::SlugClash),
            );
            Arc::make_mut(&mut articles[i]).slug = new_slug.clone();
            taken.insert((key.0, new_slug), i);
        } else {
            taken.insert(key, i);
        }
    }
    diagnostics
}

/// Whether `name` ends with the words of `part`, and has more
/// ("Thomas Rivera Schatz" and "Rivera Schatz").
pub fn ends_with_words(name: &str, part: &str) -> bool {
    name.strip_suffix(part).is_some_and(|rest| rest.ends_with(' '))
}

/// Whether `name` begins with the words of `part`, and has more.
pub fn starts_with_words(name: &str, part: &str) -> bool {
    name.strip_prefix(part).is_some_and(|rest| rest.starts_with(' '))
}

/// The transliteration skeleton of a merge key: `-iy`, `-yy`, `-ij`, `-ii`
/// endings read as `-y`, and doubled letters as one (`zelenskyy` → `zelensky`).
pub fn skeleton(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for word in key.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        let mut w = word.to_string();
        for ending in ["iy", "yy", "ij", "ii", "yi"] {
            if w.len() > 3 && w.ends_with(ending) {
                w.truncate(w.len() - 2);
                w.push('y');
                break;
            }
        }
        let mut last = '\0';
        for c in w.chars() {
            if c != last {
                out.push(c);
            }
            last = c;
        }
    }
    out
}

/// Whether two strings are at most one edit apart (insert, delete, substitute or swap).
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        let rest_equal = |from: usize| short[from..] == long[from..];
        prefix == short.len()
            || rest_equal(prefix + 1)
            || (prefix + 1 < short.len()
                && short[prefix] == long[prefix + 1]
                && short[prefix + 1] == long[prefix]
                && rest_equal(prefix + 2))
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::archive::Archive;
    use crate::entity_kind::EntityKind;

    use crate::content::Body;
    use chrono::NaiveDate;

    /// A text with a mention for every `[Name|K]` marker (K = P, L, O,
    /// M), markers removed.
    pub(crate) fn marked_text(marked: &str) -> (String, Vec<Mention>) {
        let mut text = String::new();
        let mut mentions = Vec::new();
        let mut rest = marked;
        while let Some(open) = rest.find('[') {
            text.push_str(&rest[..open]);
            let close = rest[open..].find(']').unwrap() + open;
            let (name, kind) = rest[open + 1..close].split_once('|').unwrap();
            let kind = match kind {
                "P" => EntityKind::Person,
                "L" => EntityKind::Place,
                "O" => EntityKind::Organisation,
                _ => EntityKind::Misc,
            };
            mentions.push(Mention::certain(text.len(), text.len() + name.len(), kind));
            text.push_str(name);
            rest = &rest[close + 1..];
        }
        text.push_str(rest);
        (text, mentions)
    }

    /// The date of test day `day`: 1 March 2022 is day 1.
    pub(crate) fn marked_day(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, 3, 1).unwrap() + chrono::Days::new(u64::from(day) - 1)
    }

    #[test]
    fn grouping_in_runs_hands_every_article_mentions_to_keep_in_order() {
        // More articles than one run, so that the last run is a part one.
        let n = GROUP_RUN + 5;
        let (articles, mentions): (Vec<Article>, Vec<Vec<Mention>>) = (0..n)
            .map(|i| {
                let (mut a, m) = article(1 + (i % 28) as u32, "[Anna Kowalska|P] met the [Red Cross|O] in [Gdansk|L].");
                a.fingerprint = i as u64;
                a.title = format!("Story {i}");
                (a, m)
            })
            .unzip();
        let gazetteer = Gazetteer::builtin();
        let mut kept = Vec::new();
        let (archive, _) = resolve_alongside(
            articles,
            mentions,
            &gazetteer,
            &ResolveOptions::default(),
            &crate::progress::Silent,
            |items| kept.extend(items.map(|(key, m)| (key, m.len()))),
        );
        assert_eq!(kept, (0..n as u64).map(|k| (k, 3)).collect::<Vec<_>>());
        assert_eq!(archive.articles.len(), n);
        assert!(archive.article_entities.iter().all(|list| list.len() == 3));
        let anna = archive.entities.iter().position(|e| e.name == "Anna Kowalska").unwrap();
        assert_eq!(archive.entities[anna].articles.len(), n);
    }

    /// Articles of the given days and marked texts, with their local entities.
    pub(crate) fn archive_of(texts: &[(u32, &str)]) -> (Vec<Arc<Article>>, Vec<Arc<LocalEntities>>) {
        let gazetteer = Gazetteer::builtin();
        texts
            .iter()
            .map(|&(day, marked)| {
                let (a, m) = article(day, marked);
                let local = local_entities(&a, &m, &gazetteer, &EntityOverrides::default());
                (Arc::new(a), Arc::new(local))
            })
            .unzip()
    }

    /// An article of test day `day` whose text is `marked` with
    /// [`marked_text`]'s markers, and its mentions.
    pub(crate) fn article_of(day: u32, marked: &str) -> (Article, Vec<Mention>) {
        article(day, marked)
    }

    /// An article whose text is `marked` with [`marked_text`]'s markers.
    fn article(day: u32, marked: &str) -> (Article, Vec<Mention>) {
        let (text, mentions) = marked_text(marked);
        let a = Article {
            source: format!("content/{day}.txt").into(),
            date: Some(crate::content::PubDate::day(marked_day(day))),
            section: None,
            origins: crate::content::Origins {
                format: crate::content::Format::Header,
                date: Some(crate::content::Origin::Header),
                title: crate::content::Origin::Header,
                section: None,
            },
            title: format!("Article {day}"),
            slug: format!("article-{day}"),
            caption: None,
            authors: vec![],
            summary: String::new(),
            summary_given: false,
            source_url: None,
            source_name: None,
            body: Body::Paragraphs,
            text,
            declared_entities: vec![],
            image: None,
            updated: None,
            fingerprint: 0,
        };
        (a, mentions)
    }

    fn resolve_marked(texts: &[&str], overrides: EntityOverrides) -> Archive {
        let (articles, mentions): (Vec<_>, Vec<_>) =
            texts.iter().enumerate().map(|(i, t)| article(i as u32 + 1, t)).unzip();
        let options = ResolveOptions { overrides, ..ResolveOptions::default() };
        resolve(articles, mentions, &Gazetteer::builtin(), &options).0
    }

    fn names(archive: &Archive, kind: EntityKind) -> Vec<String> {
        archive.entities.iter().filter(|e| e.kind == kind).map(|e| e.name.clone()).collect()
    }

    #[test]
    fn spelling_variants_become_one_person() {
        let archive = resolve_marked(
            &[
                "President [Volodymyr Zelensky|P] spoke in [Kyiv|L]. [Zelensky|P] said no.",
                "[Volodymyr Zelenskiy|P] met [Zelenskiy|P] supporters in [Kyiv|L].",
                "[Volodymyr Zelenskyy|P] travelled to [Kharkiv|L].",
                "[Volodymyr Zelensky|P] again, in [Kharkiv|L].",
            ],
            EntityOverrides::default(),
        );
        assert_eq!(names(&archive, EntityKind::Person), vec!["Volodymyr Zelensky"]);
        let e = archive.entities.iter().find(|e| e.kind == EntityKind::Person).unwrap();
        assert_eq!(e.articles.len(), 4);
        assert!(
            e.aliases.contains(&"Zelenskiy".to_string()) && e.aliases.contains(&"Volodymyr Zelenskyy".to_string()),
            "{:?}",
            e.aliases
        );
        assert_eq!(e.mention_count, 6);
    }

    #[test]
    fn spelling_variants_need_shared_context() {
        // Two people whose names differ by a doubled letter, in unrelated articles.
        let archive = resolve_marked(
            &["[Anna Smith|P] opened a bakery in [Leeds|L].", "[Ana Smith|P] won a race in [Lima|L]."],
            EntityOverrides::default(),
        );
        assert_eq!(names(&archive, EntityKind::Person), ["Ana Smith", "Anna Smith"]);
        // The same names with someone they both appear with.
        let archive = resolve_marked(
            &[
                "[Anna Smith|P] met [Kofi Mensah|P].",
                "[Ana Smith|P] and [Kofi Mensah|P] spoke.",
                "[Anna Smith|P] left.",
            ],
            EntityOverrides::default(),
        );
        assert_eq!(names(&archive, EntityKind::Person), ["Anna Smith", "Kofi Mensah"]);
    }

    #[test]
    fn surnames_and_acronyms_join_within_an_article() {
        let archive = resolve_marked(
            &[
                "[Anton Herashchenko|P] wrote. [Herashchenko|P] added. The [Federal Security Service|O] ([FSB|O]) said [FSB|O] agents...",
            ],
            EntityOverrides::default(),
        );
        assert_eq!(names(&archive, EntityKind::Person), vec!["Anton Herashchenko"]);
        assert_eq!(names(&archive, EntityKind::Organisation), vec!["Federal Security Service"]);
        assert_eq!(archive.article_entities[0].iter().map(|e| e.spans.len()).sum::<usize>(), 5);
    }

    #[test]
    fn related_entities_are_counted_and_the_shared_table_is_left_clean() {
        let mut counts = crate::archive::RelatedCounts::default();
        for n in [3usize, 600] {
            let texts: Vec<String> = (0..n)
                .map(|i| {
                    if i % 3 == 0 {
                        "[Anna Kowalska|P] met [Bob Brown|P] in [Kyiv|L].".to_string()
                    } else {
                        "[Anna Kowalska|P] met [Bob Brown|P].".to_string()
                    }
                })
                .collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let archive = resolve_marked(&refs, EntityOverrides::default());
            let id = |name: &str| archive.entities.iter().position(|e| e.name == name).unwrap();
            let mentions = crate::archive::PageMentions::new(&archive, None);
            let related = mentions.related(&archive, id("Anna Kowalska"), 5, &mut Default::default());
            assert_eq!(related, [(id("Bob Brown"), n), (id("Kyiv"), n.div_ceil(3))], "{n} articles");
            // The same counts with a table used for other entities before.
            let in_kyiv = n.div_ceil(3);
            assert_eq!(
                mentions.related(&archive, id("Kyiv"), 5, &mut counts),
                [(id("Anna Kowalska"), in_kyiv), (id("Bob Brown"), in_kyiv)]
            );
            assert_eq!(mentions.related(&archive, id("Anna Kowalska"), 5, &mut counts), related);
            assert_eq!(mentions.related(&archive, id("Anna Kowalska"), 1, &mut counts), [(id("Bob Brown"), n)]);
        }
    }

    #[test]
    fn page_mentions_hold_the_sentence_of_the_first_mention() {
        let archive = resolve_marked(
            &[
                "Rain fell. [Anna Kowalska|P] met [Bob Brown|P] in [Kyiv|L]. [Kowalska|P] left.",
                "Talks began in [Kyiv|L]. Nothing else.",
            ],
            EntityOverrides::default(),
        );
        let id = |name: &str| archive.entities.iter().position(|e| e.name == name).unwrap();
        let mentions = crate::archive::PageMentions::new(&archive, None);
        let article = |needle: &str| archive.articles.iter().position(|a| a.text.contains(needle)).unwrap();
        let (first, second) = (article("Rain"), article("Talks"));
        assert_eq!(mentions.snippet(&archive, first, id("Anna Kowalska")), "Anna Kowalska met Bob Brown in Kyiv.");
        assert_eq!(mentions.find(first, id("Anna Kowalska")).map(|m| m.count), Some(2));
        assert_eq!(mentions.snippet(&archive, second, id("Kyiv")), "Talks began in Kyiv.");
        assert_eq!(mentions.snippet(&archive, second, id("Bob Brown")), "", "not mentioned there");
        assert_eq!(
            mentions.of(first).map(|m| m.entity).collect::<Vec<_>>(),
            [id("Anna Kowalska"), id("Bob Brown"), id("Kyiv")]
        );
        // Articles not asked for get no entries.
        let mut needed = vec![false; archive.articles.len()];
        needed[second] = true;
        let some = crate::archive::PageMentions::new(&archive, Some(&needed));
        assert_eq!(some.of(first).count(), 0);
        assert!(some.of(second).eq(mentions.of(second)));
    }

    #[test]
    fn names_never_open_with_a_symbol() {
        let archive = resolve_marked(
            &[
                "Legend: [██ Alliance Party of Ulster|O] held.",
                "Votes for the [Alliance Party of Ulster|O].",
                "[██|L] only.",
            ],
            EntityOverrides::default(),
        );
        assert_eq!(names(&archive, EntityKind::Organisation), ["Alliance Party of Ulster"]);
        assert!(names(&archive, EntityKind::Place).is_empty(), "a mention of symbols alone is dropped");
        let party = archive.entities.iter().find(|e| e.kind == EntityKind::Organisation).unwrap();
        assert_eq!(party.articles.len(), 2);
    }

    #[test]
    fn gazetteer_alternate_names_merge() {
        let archive = resolve_marked(&["Talks in [Kiev|L].", "Shelling in [Kyiv|L]."], EntityOverrides::default());
        assert_eq!(names(&archive, EntityKind::Place), vec!["Kyiv"]);
        assert_eq!(archive.entities[0].aliases, vec!["Kiev"]);
    }

    #[test]
    fn a_typo_next_to_the_common_form_merges() {
        let archive = resolve_marked(
            &["Strikes hit [Kharviv|L] as [Kharkiv|L] burned.", "[Kharkiv|L] again.", "[Kharkiv|L] once more."],
            EntityOverrides::default(),
        );
        assert_eq!(names(&archive, EntityKind::Place), vec!["Kharkiv"]);
    }

    #[test]
    fn similar_countries_never_merge() {
        for (a, b) in [("Iran", "Iraq"), ("Austria", "Australia"), ("Niger", "Nigeria"), ("Slovakia", "Slovenia")] {
            let archive = resolve_marked(
                &[&format!("[{a}|L] and [{b}|L] met."), &format!("[{a}|L] again."), &format!("[{a}|L] once more.")],
                EntityOverrides::default(),
            );
            assert_eq!(names(&archive, EntityKind::Place).len(), 2, "{a}/{b} merged");
        }
    }

    #[test]
    fn one_name_one_kind() {
        let archive = resolve_marked(
            &["[Kyiv|O] said. [Kyiv|L] is calm.", "[Moscow|O] answered.", "People in [Moscow|L]."],
            EntityOverrides::default(),
        );
        assert_eq!(names(&archive, EntityKind::Place), vec!["Kyiv", "Moscow"]);
        assert!(names(&archive, EntityKind::Organisation).is_empty());
    }

    #[test]
    fn owner_overrides_win() {
        let overrides = EntityOverrides::parse(
            "ignore = [\"Reuters\"]\nnever_merge = [[\"Jon Smith\", \"John Smith\"]]\n[[entity]]\nname = \"Kyiv City\"\ntype = \"place\"\naliases = [\"Kyiv\", \"Kiev\"]\n",
        )
        .unwrap();
        let archive = resolve_marked(
            &[
                "[Reuters|O] reports from [Kiev|L] and [Kyiv|O]. [John Smith|P] met [Jon Smith|P].",
                "[John Smith|P] spoke.",
                "[John Smith|P] again.",
            ],
            overrides,
        );
        assert_eq!(names(&archive, EntityKind::Place), vec!["Kyiv City"]);
        assert!(names(&archive, EntityKind::Organisation).is_empty());
        assert_eq!(names(&archive, EntityKind::Person).len(), 2);
    }

    #[test]
    fn resolution_is_deterministic() {
        let texts = ["[Ann Lee|P] in [Paris|L].", "[Ann Lee|P] and [Bo Chan|P].", "[Lee|P] in [Rome|L]."];
        let a = resolve_marked(&texts, EntityOverrides::default());
        let b = resolve_marked(&texts, EntityOverrides::default());
        let view = |x: &Archive| {
            x.entities.iter().map(|e| (e.name.clone(), e.slug.clone(), e.articles.clone())).collect::<Vec<_>>()
        };
        assert_eq!(view(&a), view(&b));
    }

    #[test]
    fn skeletons_join_transliterations() {
        assert_eq!(skeleton("zelenskiy"), skeleton("zelensky"));
        assert_eq!(skeleton("zelenskyy"), skeleton("zelensky"));
        assert_eq!(skeleton("volodymyr zelenskyy"), skeleton("volodymyr zelensky"));
        assert_ne!(skeleton("iran"), skeleton("iraq"));
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("kharviv", "kharkiv"));
        assert!(within_one_edit("iran", "iraq"));
        assert!(within_one_edit("abcd", "abdc"));
        assert!(within_one_edit("kyiv", "kyivv"));
        assert!(!within_one_edit("austria", "australia"));
        assert!(!within_one_edit("niger", "nigeria"));
        assert!(!within_one_edit("slovakia", "slovenia"));
    }
}
