//! `opsbook schema [KIND]`.

use anyhow::bail;
use opsbook_core::model::Kind;
use opsbook_core::schema;
use std::process::ExitCode;

pub(crate) fn run(kind: Option<&str>) -> anyhow::Result<ExitCode> {
    let value = match kind {
        None => {
            let mut all = serde_json::Map::new();
            for kind in Kind::ALL {
                all.insert(kind.name().to_string(), schema::for_kind(kind));
            }
            all.insert("handbook".to_string(), schema::for_config());
            serde_json::Value::Object(all)
        }
        Some("handbook") => schema::for_config(),
        Some(name) => match Kind::from_name(name) {
            Some(kind) => schema::for_kind(kind),
            None => bail!(
                "`{name}` is not a document kind; use one of: {}, handbook",
                Kind::names().join(", ")
            ),
        },
    };
    super::print(&format!("{}\n", serde_json::to_string_pretty(&value)?))?;
    Ok(ExitCode::SUCCESS)
}
