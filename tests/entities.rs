//! The entity commands: training on the committed sample, the eval report
//! format, and what the shipped model finds in the client's seed article.

mod support;

use std::path::{Path, PathBuf};

use support::run_in;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/ner").join(name)
}

fn last_line(s: &str) -> &str {
    s.trim_end().lines().last().unwrap_or("")
}

/// `overall precision=P recall=R f1=F` → F.
fn overall_f1(line: &str) -> f64 {
    let parts: Vec<&str> = line.split(' ').collect();
    assert_eq!(parts.len(), 4, "{line}");
    assert_eq!(parts[0], "overall");
    for (part, key) in parts[1..].iter().zip(["precision=", "recall=", "f1="]) {
        let value = part.strip_prefix(key).unwrap_or_else(|| panic!("{line}"));
        let (_, decimals) = value.split_once('.').unwrap_or_else(|| panic!("{line}"));
        assert_eq!(decimals.len(), 2, "two decimals: {line}");
    }
    parts[3]["f1=".len()..].parse().unwrap()
}

#[test]
fn the_trainer_learns_from_the_committed_sample_and_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let train = |out: &str| {
        let model = dir.path().join(out);
        let run = run_in(
            dir.path(),
            &[
                "entities",
                "train",
                "--train",
                fixture("sample.conll").to_str().unwrap(),
                "--dev",
                fixture("sample-dev.conll").to_str().unwrap(),
                "--output",
                model.to_str().unwrap(),
                "--epochs",
                "6",
                "--bits",
                "16",
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stderr.contains("epoch  6"), "{}", run.stderr);
        std::fs::read(model).unwrap()
    };
    let first = train("a.bin");
    let second = train("b.bin");
    assert_eq!(first, second, "same data, same model");
    assert!(first.len() < 2_000_000);
    let run =
        run_in(dir.path(), &["entities", "eval", "--model", "a.bin", fixture("sample-dev.conll").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let f1 = overall_f1(last_line(&run.stdout));
    assert!(f1 > 40.0, "a model trained on 3,000 tokens should find most names: {}", run.stdout);
}

#[test]
fn eval_prints_a_row_per_type_and_the_overall_line_last() {
    let run = run_in(repo(), &["entities", "eval", fixture("sample-dev.conll").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for t in ["PER", "LOC", "ORG", "MISC"] {
        assert!(run.stdout.lines().any(|l| l.starts_with(t)), "{}", run.stdout);
    }
    overall_f1(last_line(&run.stdout));
    let run =
        run_in(repo(), &["entities", "eval", "--types", "PER,LOC,ORG", fixture("sample-dev.conll").to_str().unwrap()]);
    assert!(!run.stdout.lines().any(|l| l.starts_with("MISC")), "{}", run.stdout);
    overall_f1(last_line(&run.stdout));
    let run =
        run_in(repo(), &["entities", "eval", "--types", "PER,FOO", fixture("sample-dev.conll").to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("FOO"));
}

#[test]
fn the_shipped_model_does_well_on_news_it_has_never_seen() {
    let run = run_in(repo(), &["entities", "eval", fixture("sample.conll").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let f1 = overall_f1(last_line(&run.stdout));
    assert!(f1 >= 80.0, "{}", run.stdout);
}

#[test]
fn eval_reports_bad_files_with_the_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.conll"), "Kyiv NNP B-NP B-LOC\nis VBZ O X-FOO\n").unwrap();
    let run = run_in(dir.path(), &["entities", "eval", "bad.conll"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("bad.conll:2"), "{}", run.stderr);
}

#[derive(Debug)]
struct Found {
    name: String,
    kind: String,
    aliases: Vec<String>,
    confidence: f64,
    page: Option<String>,
    no_page: Option<String>,
    mentions: Vec<(Option<usize>, Option<usize>, String)>,
}

fn extract(files: &[&Path]) -> Vec<Found> {
    let mut args = vec!["entities", "extract"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let run = run_in(repo(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["entities"].as_array().unwrap().clone())
        .map(|e| Found {
            name: e["name"].as_str().unwrap().to_string(),
            kind: e["type"].as_str().unwrap().to_string(),
            aliases: e["aliases"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect(),
            confidence: e["confidence"].as_f64().unwrap(),
            page: e["page"].as_str().map(String::from),
            no_page: e["no_page"]["reason"].as_str().map(String::from),
            mentions: e["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    (
                        m["start"].as_u64().map(|s| s as usize),
                        m["end"].as_u64().map(|e| e as usize),
                        m["text"].as_str().unwrap().to_string(),
                    )
                })
                .collect(),
        })
        .collect()
}

#[test]
fn the_seed_article_gives_the_entities_a_reader_expects() {
    let found = extract(&[&repo().join("content/2022/000_e2d8e0751e1d8625.txt")]);
    let has = |name: &str, kind: &str| {
        found
            .iter()
            .any(|e| e.kind == kind && e.page.is_some() && (e.name == name || e.aliases.iter().any(|a| a == name)))
    };
    for person in [
        "Volodymyr Zelensky",
        "Oleksiy Reznikov",
        "Vladimir Medinsky",
        "Roman Abramovich",
        "Vladimir Putin",
        "Anton Herashchenko",
    ] {
        assert!(has(person, "person"), "{person}: {found:#?}");
    }
    for place in ["Kyiv", "Belarus", "Warsaw", "Istanbul", "Baku", "Moscow", "Zaporizhzhia", "Chernihiv", "Kharkiv"] {
        assert!(has(place, "place"), "{place}: {found:#?}");
    }
    for org in ["European Union", "Reuters", "Chelsea Football Club", "Jerusalem Post"] {
        assert!(has(org, "organisation"), "{org}: {found:#?}");
    }
    // Every spelling of Zelensky leads to one entity; Kharkiv and its typo too.
    let zelensky: Vec<&Found> = found
        .iter()
        .filter(|e| e.name.contains("Zelensk") || e.aliases.iter().any(|a| a.contains("Zelensk")))
        .collect();
    assert_eq!(zelensky.len(), 1, "{zelensky:#?}");
    assert!(zelensky[0].aliases.iter().any(|a| a.contains("Zelenskiy")), "the caption's spelling: {zelensky:#?}");
    let zaporizhzhia = found.iter().find(|e| e.name == "Zaporizhzhia").expect("named as the article spells it");
    assert_eq!(zaporizhzhia.page.as_deref(), Some("places/zaporizhzhia/"));
    assert_eq!(found.iter().filter(|e| e.name == "Kharkiv" || e.aliases.iter().any(|a| a == "Kharviv")).count(), 1);
    // Days, nationalities, titles and sentence-initial words are not entities.
    for not in
        ["Monday", "Sunday", "Russian", "Ukrainian", "President", "The", "Peace", "Heading", "Civilians", "Our", "As"]
    {
        assert!(!found.iter().any(|e| e.name == not || e.aliases.iter().any(|a| a == not)), "{not}: {found:#?}");
    }
}

#[test]
fn extract_reports_byte_spans_into_the_file_with_confidence_and_page() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    let bytes = "Talks in Kyiv\r\nDate: 2022-03-01\r\n\r\nPresident Volodymyr Zelensky met officials in Kyiv on Monday.\r\n\r\n\
                 Later Zelensky flew to Lviv. Talks with Petrenko went on.\r\n";
    std::fs::write(&file, bytes).unwrap();
    let found = extract(&[&file]);
    let person = found.iter().find(|e| e.name == "Volodymyr Zelensky").expect("a person");
    assert_eq!(person.kind, "person");
    assert_eq!(person.mentions.len(), 2);
    for (start, end, text) in &person.mentions {
        let (start, end) = (start.expect("found in the file"), end.unwrap());
        assert_eq!(&bytes[start..end], text, "offsets into the file as it is on disk");
    }
    assert_eq!(person.mentions[0].0, bytes.find("Volodymyr"), "past the header, counted in bytes with the CRs");
    assert!(person.confidence > 0.5 && person.confidence <= 1.0, "{person:?}");
    assert_eq!(person.page.as_deref(), Some("people/volodymyr-zelensky/"));
    assert!(person.no_page.is_none());
    let kyiv = found.iter().find(|e| e.name == "Kyiv").expect("Kyiv");
    assert_eq!(kyiv.mentions[0].0, bytes.find("Kyiv on"), "the body's Kyiv, not the headline's");
    // A surname alone that no full name explains has no page, and says why.
    let short = found.iter().find(|e| e.name == "Petrenko").expect("Petrenko is found");
    assert_eq!((short.page.as_deref(), short.no_page.as_deref()), (None, Some("short-name")), "{short:?}");
}

#[test]
fn review_lists_likely_wrong_pages_and_its_fixes_work() {
    let site = support::TestSite::new();
    let story = |day: u32, city: &str| {
        format!(
            "Shelling in {city}\nDate: 2022-03-{day:02}\n\nRussian troops shelled the city of {city} in eastern Ukraine on Monday, officials in Kyiv said.\n"
        )
    };
    site.file("content/a.txt", &story(1, "Kharkiv"));
    site.file("content/b.txt", &story(2, "Kharkiv"));
    site.file("content/c.txt", &story(3, "Kharkiv"));
    site.file("content/d.txt", &story(4, "Kharkiw"));
    let review = |site: &support::TestSite| -> serde_json::Value {
        let run = site.run(&["entities", "review", "--json", "--limit", "0"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str(&run.stdout).unwrap()
    };
    let json = review(&site);
    let items = json["items"].as_array().unwrap();
    let typo = items
        .iter()
        .find(|i| i["problem"] == "near-duplicate" && i["entity"]["name"] == "Kharkiw")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(typo["other"], "Kharkiv");
    assert!(typo["context"]["sentence"].as_str().unwrap().contains("shelled the city of Kharkiw"));
    assert!(typo["context"]["file"].as_str().unwrap().ends_with("d.txt"));
    // The suggested merge, pasted into the entities file, does what it says.
    let fix =
        typo["fixes"].as_array().unwrap().iter().find(|f| f["toml"].as_str().unwrap().contains("aliases")).unwrap();
    site.file("entities.toml", fix["toml"].as_str().unwrap());
    site.file("site.toml", &format!("{}\n[entities]\nfile = \"entities.toml\"\n", support::MINIMAL_CONFIG));
    let json = review(&site);
    assert!(!json["items"].as_array().unwrap().iter().any(|i| i["entity"]["name"] == "Kharkiw"), "fixed: {json:#}");
    site.build_ok();
    let page = site.public("places/kharkiv/index.html");
    assert!(page.contains("<dd>4</dd>"), "all four articles on one page");
    let text = site.run(&["entities", "review"]);
    assert!(text.stdout.contains("entities to check"), "{}", text.stdout);
}
