//! The search index files of a built site, decoded independently of the
//! browser code: every term sits in the shard its hash names, postings list
//! exactly the articles that contain the word, entity keys list the articles
//! of the entity's page, and result chunks describe those articles.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use support::{list_files, run_in, sample_content_site};

fn varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut value = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        value |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return value;
        }
        shift += 7;
    }
}

/// Every key of a shard file with its articles and impacts; counts dense lists in `dense`.
fn decode_shard(bytes: &[u8], docs: u32, dense: &mut usize) -> BTreeMap<String, Vec<(u32, u8)>> {
    let mut at = 0;
    let mut out = BTreeMap::new();
    while at < bytes.len() {
        let len = varint(bytes, &mut at) as usize;
        let key = String::from_utf8(bytes[at..at + len].to_vec()).unwrap();
        at += len;
        let count = varint(bytes, &mut at) as usize;
        let encoding = bytes[at];
        at += 1;
        let length = varint(bytes, &mut at) as usize;
        let postings = &bytes[at..at + length];
        at += length;
        let mut list = Vec::new();
        // Entity and section keys (2, 3) have no impacts: 0 here.
        assert!(encoding <= 3, "{key}: encoding {encoding}");
        assert_eq!(encoding >= 2, key.starts_with('='), "{key}: encoding {encoding}");
        if encoding == 1 || encoding == 3 {
            *dense += 1;
            let bitmap = (docs as usize).div_ceil(8);
            assert_eq!(length, if encoding == 3 { bitmap } else { bitmap + count.div_ceil(2) }, "{key}");
            for doc in 0..docs {
                if postings[doc as usize / 8] & (1 << (doc % 8)) != 0 {
                    let k = list.len();
                    let impact =
                        if encoding == 1 { ((postings[bitmap + k / 2] >> (4 * (k % 2))) & 15) * 17 } else { 0 };
                    list.push((doc, impact));
                }
            }
        } else {
            let mut p = 0;
            let mut doc = 0;
            while p < postings.len() {
                let gap = varint(postings, &mut p);
                doc = if list.is_empty() { gap } else { doc + gap };
                if encoding == 0 {
                    list.push((doc, postings[p]));
                    p += 1;
                } else {
                    list.push((doc, 0));
                }
            }
        }
        assert_eq!(list.len(), count, "{key}");
        out.insert(key, list);
    }
    out
}

fn fnv(key: &str) -> u32 {
    key.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

#[test]
fn index_files_describe_the_articles_exactly() {
    let site =
        sample_content_site(&std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("site.toml")).unwrap());
    let run = run_in(site.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let search = site.path().join("public/search");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(search.join("index.json")).unwrap()).unwrap();
    let docs = manifest["docs"].as_u64().unwrap() as u32;
    let shards = manifest["shards"].as_u64().unwrap() as u32;
    let chunk = manifest["chunk"].as_u64().unwrap() as u32;
    assert_eq!(docs, 172);
    assert_eq!(manifest["stem"], "s", "an English site folds plurals");

    let entity_shards = manifest["entity_shards"].as_u64().unwrap() as u32;
    let mut index = BTreeMap::new();
    let mut dense = 0;
    // Words in term shards, entity and section keys (`=`…) in entity shards.
    for (folder, count, entities) in [("t", shards, false), ("e", entity_shards, true)] {
        for shard in 0..count {
            let bytes = std::fs::read(search.join(format!("{folder}/{shard}.bin"))).unwrap();
            for (key, postings) in decode_shard(&bytes, docs, &mut dense) {
                assert_eq!(fnv(&key) % count, shard, "{key} is in the shard its hash names");
                assert_eq!(key.starts_with('='), entities, "{key} is in {folder}/");
                assert!(postings.windows(2).all(|w| w[0].0 < w[1].0), "{key}: ascending articles");
                assert!(postings.iter().all(|&(d, impact)| d < docs && (impact > 0) != entities), "{key}");
                index.insert(key, postings);
            }
        }
    }
    assert!(dense > 10, "words in many articles are stored as bitmaps ({dense})");
    assert_eq!(index["the"].len(), docs as usize, "a word in every article lists every article");

    // Result chunks: article i is entry i % chunk of chunk i / chunk.
    let mut articles = Vec::new();
    for n in 0..docs.div_ceil(chunk) {
        let entries: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(search.join(format!("d/{n}.json"))).unwrap()).unwrap();
        articles.extend(entries);
    }
    assert_eq!(articles.len(), docs as usize);
    let public = site.path().join("public");
    let page_text = |i: usize| {
        let path = articles[i][0].as_str().unwrap();
        std::fs::read_to_string(public.join(path).join("index.html")).unwrap()
    };
    // Postings of "zelensky": exactly the articles whose page has the word.
    let listed: BTreeSet<usize> = index["zelensky"].iter().map(|&(d, _)| d as usize).collect();
    let has_word =
        |text: &str, word: &str| text.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case(word));
    let body = |html: &str| html.split("<main").nth(1).unwrap().split("<aside").next().unwrap().to_string();
    let expected: BTreeSet<usize> =
        (0..docs as usize).filter(|&i| has_word(&body(&page_text(i)), "zelensky")).collect();
    assert_eq!(listed, expected);
    // A plural is indexed under its singular.
    assert!(index.contains_key("election") && !index.contains_key("elections"));
    // An entity key lists the articles on the entity's pages.
    let zelensky_page = std::fs::read_to_string(public.join("people/volodymyr-zelensky/index.html")).unwrap();
    let entity: BTreeSet<usize> = index["=people/volodymyr-zelensky/"].iter().map(|&(d, _)| d as usize).collect();
    assert!(!entity.is_empty());
    for &doc in &entity {
        let path = articles[doc][0].as_str().unwrap();
        assert!(zelensky_page.contains(path), "{path} is on the entity page");
    }
    // Years are ranges of article ids in date order.
    for year in manifest["years"].as_array().unwrap() {
        let (y, first, count) = (year[0].as_i64().unwrap(), year[1].as_u64().unwrap(), year[2].as_u64().unwrap());
        for doc in first..first + count {
            assert!(articles[doc as usize][2].as_str().unwrap().starts_with(&y.to_string()));
        }
    }
    // Months too, within their years, each article dated to the month or day.
    let months = manifest["months"].as_array().unwrap();
    assert!(months.len() >= 12, "{months:?}");
    for month in months {
        let (m, first, count) = (month[0].as_str().unwrap(), month[1].as_u64().unwrap(), month[2].as_u64().unwrap());
        assert!(count > 0);
        for doc in first..first + count {
            assert!(articles[doc as usize][2].as_str().unwrap().starts_with(m), "{m}: {}", articles[doc as usize][2]);
        }
    }
    let in_months: u64 = months.iter().map(|m| m[2].as_u64().unwrap()).sum();
    let dated_to_month = articles.iter().filter(|a| a[2].as_str().unwrap().len() >= 7).count() as u64;
    assert_eq!(in_months, dated_to_month, "every article dated to a month or day is in its month");
    // Nothing but the index and the page under search/.
    let files = list_files(&search);
    assert!(files.iter().all(|f| f == "index.html"
        || f == "index.json"
        || f.starts_with("t/")
        || f.starts_with("e/")
        || f.starts_with("d/")));
}

#[test]
fn search_can_be_turned_off() {
    let site = sample_content_site("title = \"T\"\n[search]\nenabled = false\n");
    let run = run_in(site.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path().join("public/search").exists());
    let home = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(!home.contains("search/"), "no link to a search page that does not exist");
}
