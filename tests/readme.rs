//! The README's rule table is generated from the rule table in the code; this test keeps
//! them equal (`OPSBOOK_BLESS=1` rewrites the README's table).

mod binary;

use opsbook_core::Rule;
use std::path::Path;

const START: &str = "<!-- rules:start";
const END: &str = "<!-- rules:end -->";

fn table() -> String {
    let mut out = String::from("| code | name | level | finds |\n|---|---|---|---|\n");
    for rule in Rule::ALL {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            rule.code(),
            rule.name(),
            rule.default_level(),
            rule.summary()
        ));
    }
    out
}

#[test]
fn readme_rule_table_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find(START).expect("README has a rules:start marker");
    let body_start = start + readme[start..].find('\n').unwrap() + 1;
    let end = readme.find(END).expect("README has a rules:end marker");
    let expected = table();
    if binary::blessing() {
        let updated = format!("{}{}{}", &readme[..body_start], expected, &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[body_start..end],
        expected,
        "README rule table is out of date: run OPSBOOK_BLESS=1 cargo test --test readme"
    );
}
