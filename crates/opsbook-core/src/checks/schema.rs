//! Value checks that depend on handbook.yaml or span several fields (OB012).

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{Document, Frontmatter};
use crate::rules::Rule;
use crate::suggest::did_you_mean;

pub(super) fn check(cx: &Context<'_>, doc: &Document, out: &mut Vec<Diagnostic>) {
    let config = &cx.handbook.config;
    let invalid = |path: &[&str], message: String| {
        Diagnostic::new(
            Rule::InvalidValue,
            &doc.path,
            Context::span(doc, path),
            message,
        )
    };
    let scale = || config.severity_ids().collect::<Vec<_>>().join(", ");
    match &doc.frontmatter {
        Some(Frontmatter::Postmortem(pm)) if !config.severity_ids().any(|s| s == pm.severity) => {
            out.push(
                invalid(
                    &["severity"],
                    format!(
                        "`severity`: `{}` is not on the severity scale ({})",
                        pm.severity,
                        scale()
                    ),
                )
                .with_help_opt(did_you_mean(&pm.severity, config.severity_ids())),
            );
        }
        Some(Frontmatter::Escalation(policy)) => {
            for (i, level) in policy.levels.iter().enumerate() {
                let index = i.to_string();
                if level.notify.is_empty() {
                    out.push(invalid(
                        &["levels", &index, "notify"],
                        format!("`levels[{i}].notify` is empty: the level notifies nobody"),
                    ));
                }
                for (j, notify) in level.notify.iter().enumerate() {
                    let given = [&notify.team, &notify.person, &notify.role]
                        .iter()
                        .filter(|v| v.is_some())
                        .count();
                    if given != 1 {
                        out.push(
                            invalid(
                                &["levels", &index, "notify", &j.to_string()],
                                format!("`levels[{i}].notify[{j}]` must name exactly one of `team`, `person` or `role`"),
                            )
                            .with_help("split it into one entry per recipient"),
                        );
                    }
                }
                if i > 0 && level.after < policy.levels[i - 1].after {
                    out.push(invalid(
                        &["levels", &index, "after"],
                        format!(
                            "`levels[{i}].after` ({}) is earlier than the level before it ({})",
                            level.after,
                            policy.levels[i - 1].after
                        ),
                    ));
                }
            }
            for (severity, level) in &policy.severity_routes {
                let path = ["severity_routes", severity.as_str()];
                if !config.severity_ids().any(|s| s == severity) {
                    let key = doc
                        .yaml
                        .as_ref()
                        .and_then(|y| y.get("severity_routes"))
                        .and_then(|r| r.entry(severity))
                        .map_or_else(|| Context::span(doc, &path), |(k, _)| k.span);
                    out.push(
                        Diagnostic::new(
                            Rule::InvalidValue,
                            &doc.path,
                            key,
                            format!(
                                "`severity_routes`: `{severity}` is not on the severity scale ({})",
                                scale()
                            ),
                        )
                        .with_help_opt(did_you_mean(severity, config.severity_ids())),
                    );
                }
                if *level == 0 || *level as usize > policy.levels.len() {
                    out.push(invalid(
                        &path,
                        format!(
                            "`severity_routes.{severity}`: there is no level {level}; the policy has levels 1 to {}",
                            policy.levels.len()
                        ),
                    ));
                }
            }
        }
        Some(Frontmatter::Sla(sla)) => {
            for (i, slo) in sla.slos.iter().enumerate() {
                if sla.slos[..i].iter().any(|s| s.name == slo.name) {
                    out.push(invalid(
                        &["slos", &i.to_string(), "name"],
                        format!("`slos[{i}].name`: the SLO `{}` is defined twice", slo.name),
                    ));
                }
            }
        }
        _ => {}
    }
}
