//! Finding an incident's file by its id.

use crate::error::IncidentError;
use opsbook_core::Handbook;
use opsbook_core::model::{Document, Kind};

/// The postmortem whose id is `id`. An unknown id suggests the nearest one; an id that
/// two files share is refused (an edit must not guess which file is meant).
pub fn find<'h>(handbook: &'h Handbook, id: &str) -> Result<&'h Document, IncidentError> {
    let matches: Vec<&Document> = handbook
        .of_kind(Kind::Postmortem)
        .filter(|d| d.id == id)
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => {
            let ids: Vec<&str> = handbook
                .of_kind(Kind::Postmortem)
                .map(|d| d.id.as_str())
                .collect();
            let hint = match opsbook_core::suggest::did_you_mean(id, ids.iter().copied()) {
                Some(h) => format!(" ({h})"),
                None if ids.is_empty() => format!(
                    " (`{}` holds no postmortems; `opsbook incident declare` starts one)",
                    handbook.root.display()
                ),
                None => " (`opsbook incident list` shows the incidents)".to_string(),
            };
            Err(IncidentError::UnknownId {
                id: id.to_string(),
                hint,
            })
        }
        many => Err(IncidentError::SharedId {
            id: id.to_string(),
            paths: many.iter().map(|d| format!("`{}`", d.path)).collect(),
        }),
    }
}
