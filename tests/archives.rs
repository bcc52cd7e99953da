//! Archives as they really come: undated files in topic folders, dates in
//! paths, datelines and sidecar catalogues, dates known only to the month
//! or year, sections, and collections (CSV, TSV, JSON Lines) of many
//! articles in one file. Each is built with the binary, as a user would.

mod support;

use support::{TestSite, check_links, list_files};

const TOPICS: [&str; 5] = ["business", "entertainment", "politics", "sport", "tech"];

/// A headline-first file with no date anywhere.
fn undated(headline: &str, body: &str) -> String {
    format!("{headline}\n\n{body}\n")
}

#[test]
fn undated_files_in_topic_folders_become_sections_an_undated_list_and_one_warning() {
    let site = TestSite::new();
    for (t, topic) in TOPICS.iter().enumerate() {
        for n in 0..4 {
            let body = format!(
                "Chancellor Angela Merkel met union leaders in Berlin on the {topic} plans, number {n}.\n\n\
                 Merkel said the talks in Berlin would go on, and the Bundesbank agreed."
            );
            site.file(
                &format!("content/{topic}/{t}{n}.txt"),
                &undated(&format!("{topic} story {n} of the week"), &body),
            );
        }
    }
    let run = site.build_ok();
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("20 articles with no date"), "{}", warnings[0]);
    let files = list_files(&site.path("public"));
    // No date pages: nothing is dated.
    let is_year =
        |f: &&String| f.split('/').next().is_some_and(|d| d.len() == 4 && d.bytes().all(|b| b.is_ascii_digit()));
    assert!(!files.iter().any(|f| is_year(&f)), "{files:?}");
    for topic in TOPICS {
        let name = format!("{}{}", topic[..1].to_uppercase(), &topic[1..]);
        let page = site.public(&format!("sections/{topic}/index.html"));
        assert!(page.contains(&format!("<h1 class=\"page-title\">{name}</h1>")), "{page}");
        assert_eq!(page.matches("class=\"article-item\"").count(), 4, "{topic}");
        let feed = site.public(&format!("sections/{topic}/atom.xml"));
        assert_eq!(feed.matches("<entry>").count(), 4);
        assert!(!feed.contains("<published>"), "undated entries have no publication date");
    }
    let undated_list = site.public("undated/index.html");
    assert_eq!(undated_list.matches("class=\"article-item\"").count(), 20);
    // Sorted by title.
    let first = undated_list.find("business story 0").unwrap();
    assert!(first < undated_list.find("tech story 3").unwrap());
    let article = site.public("undated/business-story-0-of-the-week/index.html");
    assert!(article.contains(">Undated</a>"), "the date line says undated");
    assert!(article.contains("<span class=\"section\">in <a href=\"../../sections/business/\">Business</a></span>"));
    assert!(!article.contains("datetime=\"\""));
    // Entity pages still come from undated articles.
    let merkel = site.public("people/angela-merkel/index.html");
    assert!(merkel.contains("20 articles") || merkel.contains(">20<"), "{merkel}");
    let archive = site.public("archive/index.html");
    assert!(archive.contains("href=\"../undated/\""));
    assert!(archive.contains("href=\"../sections/politics/\""));
    let manifest: serde_json::Value = serde_json::from_str(&site.public("search/index.json")).unwrap();
    assert_eq!(manifest["sections"].as_array().unwrap().len(), 5);
    assert_eq!(manifest["years"].as_array().unwrap().len(), 0);
    let (checked, broken) = check_links(&site.path("public"), "/");
    assert!(checked > 100 && broken.is_empty(), "{broken:?}");
}

#[test]
fn every_date_source_in_order_and_dates_known_to_the_month_or_year() {
    let site = TestSite::new();
    // The path: a day, a month, a year; a file name.
    site.file("content/2019/03/05/a.txt", &undated("Day from the folders", "Body one."));
    site.file("content/2019/04/b.txt", &undated("Month from the folders", "Body two."));
    site.file("content/2018/c.txt", &undated("Year from the folder", "Body three."));
    site.file("content/news/20170102_d.txt", &undated("Day from the file name", "Body four."));
    // A wire dateline under a year folder: the day from the dateline, the year from the path.
    site.file("content/2016/e.txt", &undated("Dateline day", "LONDON, June 7 (Reuters) - Shares fell."));
    // The header beats the path.
    site.file("content/2015/f.txt", "Header wins\nDate: 2014-08-09\n\nBody six.\n");
    // The sidecar beats the path and the dateline; the header beats the sidecar.
    site.file("content/box/2013/g.txt", &undated("Sidecar wins", "PARIS, May 2, 2012 (AFP) - Text."));
    site.file("content/box/h.txt", "Header beats sidecar\nDate: 2011-01-01\n\nBody.\n");
    site.file(
        "content/box/metadata.csv",
        "path,date,title\n2013/g.txt,2010-10,\nh.txt,2009-01-01,\nmissing.txt,2009,\n",
    );
    let run = site.build_ok();
    assert!(run.stderr.contains("1 row names an article file that is not there (box/missing.txt)"), "{}", run.stderr);
    let files = list_files(&site.path("public"));
    for page in [
        "2019/03/05/day-from-the-folders/index.html",
        "2019/04/month-from-the-folders/index.html",
        "2018/year-from-the-folder/index.html",
        "2017/01/02/day-from-the-file-name/index.html",
        "2016/06/07/dateline-day/index.html",
        "2014/08/09/header-wins/index.html",
        "2010/10/sidecar-wins/index.html",
        "2011/01/01/header-beats-sidecar/index.html",
    ] {
        assert!(files.iter().any(|f| f == page), "{page} missing from {files:?}");
    }
    // Month precision: on its month page, on no day page, shown as the month.
    let month = site.public("2019/04/index.html");
    assert!(month.contains("Month from the folders"));
    assert!(!files.iter().any(|f| f.starts_with("2019/04/0") || f.starts_with("2019/04/1")), "no day page for April");
    let article = site.public("2019/04/month-from-the-folders/index.html");
    assert!(article.contains("<time datetime=\"2019-04\">April 2019</time>"), "{article}");
    // Year precision: on its year page, shown as the year.
    let year = site.public("2018/index.html");
    assert!(year.contains("Dated only to 2018") && year.contains("Year from the folder"), "{year}");
    assert!(site.public("2018/year-from-the-folder/index.html").contains("<time datetime=\"2018\">2018</time>"));
    let (_, broken) = check_links(&site.path("public"), "/");
    assert!(broken.is_empty(), "{broken:?}");
    // A sidecar edit alone changes the site: the next build is no "nothing changed".
    site.file(
        "content/box/metadata.csv",
        "path,date,title\n2013/g.txt,2010-11,\nh.txt,2009-01-01,\nmissing.txt,2009,\n",
    );
    site.build_ok();
    assert!(site.path("public/2010/11/sidecar-wins/index.html").exists(), "the sidecar's new date is built");
    assert!(!site.path("public/2010/10/sidecar-wins/index.html").exists());
    // `inspect` says where each came from.
    let run = site.run(&["inspect", "content/2016/e.txt", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let a = &report["articles"][0];
    assert_eq!(a["date"]["value"], "2016-06-07");
    assert_eq!(a["date"]["from"], "dateline");
    assert_eq!(a["format"], "headline");
    assert_eq!(a["title"]["from"], "headline");
    let run = site.run(&["inspect", "content/box/2013/g.txt"]);
    assert!(run.stdout.contains("2010-11 (month)   (from the folder's metadata file)"), "{}", run.stdout);
    assert!(run.stdout.contains("section  Box"), "{}", run.stdout);
}

#[test]
fn date_fallback_mtime_dates_by_the_file_and_error_skips() {
    let site = TestSite::new();
    site.file("site.toml", &format!("{}date_fallback = \"mtime\"\n", support::MINIMAL_CONFIG));
    site.file("content/a.txt", &undated("No date here", "Body."));
    site.file("content/b.txt", &undated("Nor here", "Body."));
    let run = site.build_ok();
    assert_eq!(run.stderr.lines().filter(|l| l.contains("warning")).count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("2 articles with no date"), "{}", run.stderr);
    let files = list_files(&site.path("public"));
    assert!(!files.iter().any(|f| f.starts_with("undated/")));
    assert!(files.iter().filter(|f| f.ends_with("/no-date-here/index.html")).count() == 1, "{files:?}");
    site.file("site.toml", &format!("{}date_fallback = \"error\"\n", support::MINIMAL_CONFIG));
    site.file("content/c.txt", "Dated\nDate: 2020-01-01\n\nBody.\n");
    let run = site.run(&["build"]);
    assert_eq!(
        run.stderr.lines().filter(|l| l.contains("error") && l.contains("date_fallback")).count(),
        2,
        "{}",
        run.stderr
    );
    let files = list_files(&site.path("public"));
    assert!(files.iter().any(|f| f == "2020/01/01/dated/index.html"));
    assert!(!files.iter().any(|f| f.contains("no-date-here")));
}

#[test]
fn collections_in_csv_tsv_and_json_lines() {
    let site = TestSite::new();
    site.file(
        "site.toml",
        &format!(
            "{}[collections]\ntext = \"story\"\n[sections]\nnames = {{ markets = \"Markets & Money\" }}\n",
            support::MINIMAL_CONFIG
        ),
    );
    let csv = "\u{feff}id,headline,published,story,section\n\
               1,\"Rates rise, again\",2019-03-05,\"The bank said \"\"enough\"\".\n\nShares fell in London.\",markets\n\
               2,Broken row,2019-03-06\n\
               3,Undated row,,Text without a date.,\n";
    site.file("content/export.csv", csv);
    site.file("content/wire.tsv", "title\tdate\tstory\nWire copy\t2019-03\tOne line.\n");
    site.file(
        "content/feed.jsonl",
        "{\"title\":\"From JSON\",\"date\":\"2019-03-07\",\"story\":\"Paragraph one.\\nParagraph two.\",\"authors\":[\"Ann Lee\"]}\n[\"not\",\"an object\"]\n",
    );
    let run = site.build_ok();
    // Row 1 spans lines 2 to 4 (a quoted field with a blank line): row 2 is on line 5.
    assert!(run.stderr.contains("content/export.csv:5"), "the malformed row is named with its line:\n{}", run.stderr);
    assert!(run.stderr.contains("row 2 has 3 fields"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/feed.jsonl:2") && run.stderr.contains("row 2: a JSON array"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/export.csv:row 3"), "the undated row is named:\n{}", run.stderr);
    let rates = site.public("2019/03/05/rates-rise-again/index.html");
    assert!(rates.contains("The bank said &quot;enough&quot;."), "quotes inside a quoted field");
    assert!(
        rates.contains("<p>Shares fell in <a class=\"entity\""),
        "a blank line inside a quoted field parts paragraphs"
    );
    assert!(rates.contains(">Markets &amp; Money</a>"), "section named in site.toml");
    let json = site.public("2019/03/07/from-json/index.html");
    assert!(json.contains("<p>Paragraph one.</p>") && json.contains("Ann Lee"));
    assert!(site.public("2019/03/wire-copy/index.html").contains("March 2019"));
    assert!(site.public("undated/undated-row/index.html").contains("Text without a date."));
    let run = site.run(&["inspect", "content/export.csv", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["articles"].as_array().unwrap().len(), 2);
    assert_eq!(report["articles"][0]["source"], "content/export.csv:row 1");
    assert_eq!(report["articles"][0]["format"], "collection-row");
}
