//! The table of every rule: its stable code, name, default level and explanation.
//!
//! This table is the single source for `opsbook check --explain`, the README's rule table
//! (a test keeps them equal) and rule-level overrides in `handbook.yaml`.

use crate::diagnostic::Level;
use std::fmt;

macro_rules! rules {
    ($( $variant:ident = $code:literal, $name:literal, $level:ident, $summary:literal, $explanation:literal; )*) => {
        /// A check that opsbook runs. Codes are stable: they never change meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(
                #[doc = $summary]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule, in code order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable code, e.g. `OB201`.
            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code,)* }
            }

            /// The kebab-case name, e.g. `unknown-reference`.
            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => $name,)* }
            }

            /// The level used unless `handbook.yaml` overrides it.
            pub fn default_level(self) -> Level {
                match self { $(Rule::$variant => Level::$level,)* }
            }

            /// One line saying what the rule finds.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary,)* }
            }

            /// A paragraph: what the rule checks, why it matters, how to fix it.
            pub fn explanation(self) -> &'static str {
                match self { $(Rule::$variant => $explanation,)* }
            }
        }
    };
}

rules! {
    UnreadableFile = "OB001", "unreadable-file", Error,
        "A file of the handbook could not be read.",
        "opsbook could not read a file (permissions, a broken symbolic link, a symbolic-link loop, or an I/O error). Nothing in a handbook is skipped silently: fix the file's permissions or remove it, or list it under `exclude:` in handbook.yaml.";
    NotUtf8 = "OB002", "not-utf8", Error,
        "A file is not valid UTF-8 text.",
        "Handbook documents must be UTF-8. A file that is not (a binary file with a .md name, or text saved in Latin-1 or UTF-16) cannot be checked or rendered. Re-save it as UTF-8, or exclude it.";
    FileTooLarge = "OB003", "file-too-large", Error,
        "A file is larger than opsbook reads.",
        "Documents over 8 MiB are refused: a handbook page that large is almost certainly a log dump or a generated file committed by mistake, and it would slow every build. Move the data elsewhere and link to it.";
    MissingFrontmatter = "OB004", "missing-frontmatter", Error,
        "A document does not start with a `---` frontmatter block.",
        "Every document starts with a YAML frontmatter block between two `---` lines, on the very first line of the file (a UTF-8 byte-order mark is tolerated). The frontmatter gives the document its kind, id and metadata; without it the file cannot be typed. Add a block such as `---\\ntitle: My page\\n---`, or exclude the file.";
    UnterminatedFrontmatter = "OB005", "unterminated-frontmatter", Error,
        "The frontmatter block is never closed.",
        "The file opens a frontmatter block with `---` but no later line is exactly `---`, so the whole file would be read as YAML. Add the closing `---` line after the last frontmatter key.";
    YamlSyntax = "OB006", "yaml-syntax", Error,
        "The frontmatter is not valid YAML.",
        "The frontmatter (or handbook.yaml) does not parse as YAML. The diagnostic points at the position where the parser stopped; the mistake is often just before it: a missing space after `:`, a tab used for indentation, an unclosed quote or bracket, or a `:` inside an unquoted value. Quote values that contain `: ` or start with a special character.";
    DuplicateKey = "OB007", "duplicate-key", Error,
        "A YAML mapping has the same key twice.",
        "YAML parsers disagree on duplicate keys (some keep the first, some the last, some refuse), so a duplicated key silently loses data. opsbook refuses them and points at the second occurrence. Keep one.";
    YamlAlias = "OB008", "yaml-alias", Error,
        "The frontmatter uses a YAML alias.",
        "Aliases (`*name`) make a value stand for another. Frontmatter has no need for them, and they allow expansion bombs (a few lines that expand to gigabytes), so opsbook refuses them. Write the value out.";
    UnknownField = "OB010", "unknown-field", Error,
        "A frontmatter key is not part of the document's schema.",
        "Each kind has a fixed set of keys (see `opsbook schema KIND`). An unknown key is usually a typo (`reviwed:` for `reviewed:`) and would otherwise be ignored silently. Fix the name using the suggestion, or move free-form data under `extra:`, which templates can read and opsbook does not check.";
    MissingField = "OB011", "missing-field", Error,
        "A required frontmatter key is absent.",
        "Some keys are required for a kind (a runbook needs a `title`, a postmortem a `title`, `severity` and `status`, an SLA a `service` and a `window`). Add the key; `opsbook schema KIND` lists what each kind requires.";
    InvalidValue = "OB012", "invalid-value", Error,
        "A frontmatter value has the wrong type or format.",
        "The value cannot be read as what the key expects: a date must be `YYYY-MM-DD` and exist, a timestamp must be RFC 3339 with a time zone (`2026-03-01T14:30:00Z`), a duration is a number and a unit (`30d`, `15m`, `300ms`), a percentage is a number above 0 and at most 100, a severity must be on the handbook's scale, and enumerations take one of their listed values.";
    UnknownKind = "OB013", "unknown-kind", Error,
        "`kind:` names no known document kind.",
        "`kind:` must be one of service, team, runbook, postmortem, sla, escalation or page. Without it, the kind comes from the top-level folder (`runbooks/`, `postmortems/`, `slas/`, `escalation/`, `services/`, `teams/`; any other folder holds pages).";
    KindMismatch = "OB014", "kind-mismatch", Error,
        "`kind:` disagrees with the document's folder.",
        "A document in `runbooks/` that says `kind: postmortem` is ambiguous: either it is in the wrong folder or the kind is wrong. Move the file or fix `kind:`.";
    MissingSection = "OB101", "missing-section", Error,
        "A required template section is missing.",
        "Runbooks and postmortems follow a template of level-2 sections (runbooks: Summary, Service SLA, Escalation path, Incident workflow, Monitoring, Alerts, Postmortems, Doc; postmortems: Summary, Impact, Timeline, Root cause, Resolution, Detection, Action items, Lessons learned). The on-call engineer relies on finding each section in the same place in every document. Add the section at the suggested position; the names are configurable in handbook.yaml (`runbook_sections`, `postmortem_sections`).";
    SectionOrder = "OB102", "section-order", Error,
        "Template sections are out of order.",
        "The template sections must appear in the configured order, so that every runbook reads the same way at 3 am. Move the section named in the diagnostic after the one it should follow.";
    EmptySection = "OB103", "empty-section", Error,
        "A template section has a heading but no content.",
        "An empty section looks like documentation but tells the reader nothing. Write the content, or say explicitly why there is none (\"No alerts page for this service; see …\").";
    UnknownReference = "OB201", "unknown-reference", Error,
        "A frontmatter reference names a document that does not exist.",
        "Services, runbooks, SLAs, postmortems and escalation policies refer to each other by id (`service: login-service`, `owner: team-identity`). A reference to an id that no document of the expected kind has is a broken link in the handbook. Fix the id (see the suggestion) or create the missing document with `opsbook new KIND ID`.";
    DuplicateId = "OB202", "duplicate-id", Error,
        "Two documents of the same kind have the same id.",
        "Ids are unique per kind: they are how documents refer to each other and how pages are named. The id comes from `id:` or, without it, from the file stem. Rename one of the documents or give it another `id:`.";
    BrokenLink = "OB203", "broken-link", Error,
        "A relative link points at a file that does not exist.",
        "Links between documents are relative paths (`../runbooks/login-service.md`). A link to a missing file is a dead end for someone following a procedure during an incident. Fix the path; it is resolved against the folder of the document that contains it.";
    BrokenAnchor = "OB204", "broken-anchor", Error,
        "A link's `#anchor` matches no heading of its target.",
        "Anchors are the GitHub-style slugs of headings (`## Incident workflow` is `#incident-workflow`) or explicit ids (`## Rollback {#rollback}`). A link to a missing anchor lands at the top of the page instead of the step the reader needs. Fix the anchor or the heading.";
    UnknownPerson = "OB205", "unknown-person", Warning,
        "A person is named who is not a member of any team.",
        "Commanders, roles, authors, action item owners, team leads and escalation recipients should be people listed as `members` of a team document, so that the handbook says how to reach them. A name that is on no team is usually a typo or someone who left.";
    UnknownSlo = "OB206", "unknown-slo", Error,
        "`slo_impact` names an SLO that none of the incident's services has.",
        "A postmortem's `slo_impact` lists the SLOs whose error budget the incident consumed. Each name must be an SLO of an SLA of one of the postmortem's `services`, or the error budget figures cannot include the incident.";
    UrlCollision = "OB207", "url-collision", Error,
        "Two pages, or a page and an alias, land on the same address.",
        "Every page of the site has one address, set by `permalinks:` in handbook.yaml (default: its source path with `.html`), and every alias (`aliases:`) claims one more. When two documents land on the same address the first in path order keeps it and the other is written with a `-doc` suffix, so links, `runbook_url`s and bookmarks to it reach the wrong page; an alias that names a taken address gets no redirect. The message names both files. Rename one of the documents, give it another `id:`, change the kind's permalink pattern, or remove the alias.";
    InvalidAlias = "OB208", "invalid-alias", Error,
        "An alias is not an address of this site.",
        "An alias (`aliases:` in the frontmatter) is an old address of the page: the site writes a redirect page there, and a `runbook_url` or link to it reaches the page. It must be a path from the site's root (`/runbooks/old-name/`, `runbooks/old.html`) or a full URL under `base_url`, without `?`, `#` or `..`, and not the home page or the theme's `assets/` folder, which the site writes itself.";
    Codeowners = "OB209", "codeowners", Warning,
        "CODEOWNERS gives a runbook to nobody, or to another team.",
        "When the handbook has a CODEOWNERS file (`CODEOWNERS`, `.github/CODEOWNERS`, `.gitlab/CODEOWNERS` or `docs/CODEOWNERS`, paths relative to the handbook's root), a change to a runbook asks its code owners for review. Those should be the runbook's team (its `owner`, else its service's `owner`), written `@ORG/TEAM-ID` or `@TEAM-ID`, or members of that team; a runbook that no line matches is reviewed by nobody. The last matching line of the file wins, as in git. Add or fix the line for the runbook's path, or fix the runbook's owner.";
    StaleRunbook = "OB301", "stale-runbook", Warning,
        "A runbook's review is overdue.",
        "A runbook's `reviewed` date plus its `review_every` (default from handbook.yaml, 90 days unless configured) lies in the past. Procedures drift as systems change; an outdated runbook can make an outage worse. Review it with its owner and update `reviewed`. A runbook without `reviewed` is judged by the last commit that touched its file, by `opsbook check --git` only (needs git; plain `check` does not read history).";
    TimestampOrder = "OB302", "timestamp-order", Error,
        "Incident time-points are out of order.",
        "Time-points must satisfy started ≤ detected ≤ mitigated ≤ resolved, and `acknowledged` and `declared` are not before `detected`. Real incident logs contain typos (a year off, a day off, a time zone forgotten); left in, they make MTTR and MTTD figures wrong. The diagnostic points at the later key; check both values against the timeline.";
    StatusMismatch = "OB303", "status-mismatch", Error,
        "The incident status contradicts its time-points.",
        "A postmortem with a `resolved` time-point must have `status: resolved`, and one with a `mitigated` time-point cannot still be `investigating`. Likewise a write-up cannot be `in-review` or `published` while the incident is not resolved. Update whichever is wrong.";
    FutureTimestamp = "OB304", "future-timestamp", Error,
        "A time-point lies in the future.",
        "An incident cannot have started, or been resolved, after now. This is nearly always a typo in the year or month. Fix the value.";
    OverduePostmortem = "OB305", "overdue-postmortem", Warning,
        "A resolved incident's postmortem is not published in time.",
        "Postmortems are written and reviewed while the incident is fresh. When an incident has been resolved for longer than `postmortem_due` (handbook.yaml, default 30 days) and its `review` is not `published`, the write-up is overdue. When the frontmatter has no `resolved` time, `opsbook check --git` (needs git) uses the commit time of the first commit whose `status` is `resolved`.";
    OverdueActionItem = "OB306", "overdue-action-item", Warning,
        "An open action item is past its due date.",
        "Corrective actions are how each incident makes the next one shorter. An action item that is still open or in progress after its `due` date needs a new date or attention.";
    ActionItemWithoutOwner = "OB307", "action-item-without-owner", Warning,
        "An open action item has no owner.",
        "An action item without an owner is rarely done. Give every open action item an `owner` (a person or a team) and a `due` date.";
    LongIncident = "OB308", "long-incident", Warning,
        "An incident lasts implausibly long.",
        "From its first to its last time-point the incident spans more than 30 days. Incidents that long exist, but a value a year or a month off is the usual cause. Check the time-points; if they are right, turn this rule off for the file's handbook or accept the warning.";
    GitContradiction = "OB309", "git-contradiction", Warning,
        "A frontmatter time-point contradicts the git history.",
        "Reported by `opsbook stats` and `opsbook check --git` (needs git; plain `check` does not read history). A commit cannot record what had not happened yet: when the first commit that says `status: resolved` was made at 09:00, the incident cannot have been resolved at 10:00 that day, and a postmortem file added at some time cannot belong to an incident declared later. The frontmatter value is used for the figures; the usual cause is a mistyped day, hour or time zone. Check the value against the timeline and the commit.";
    HistoryUnavailable = "OB310", "history-unavailable", Warning,
        "Git cannot date what the frontmatter leaves out.",
        "Reported by `opsbook stats`, `opsbook build` and `opsbook check --git` (needs git). The handbook is not in a git repository, the branch has no commits, or the clone is shallow (`git clone --depth`) and its history stops at some commit. Times that only git can give (`declared` from the commit that added the file, `mitigated`, `resolved` and `published` from the first commit that says so) are then missing or, before the shallow boundary, unknown, and the incidents that need them are left out of the figures with that reason. Fetch the full history (`git fetch --unshallow`; CI checkouts are shallow by default: `fetch-depth: 0` in GitHub Actions, `GIT_DEPTH: 0` in GitLab CI) or write the time-points in the frontmatter. Under `opsbook check --git` it is a diagnostic like any other, in every output format: raise it to an error (`rules: {OB310: error}`) to fail a job whose checkout cannot date the incidents.";
    TimelineOrder = "OB311", "timeline-order", Error,
        "Timeline entries are out of order.",
        "The structured timeline of a postmortem (list items `- HH:MM[:SS]Z [kind] (author) text` under `### YYYY-MM-DD` headings of its `## Timeline` section) is a record in time order: each entry is not earlier than the one above it, and the date headings go forward. An entry out of order is nearly always a mistyped hour or a date heading missing: an entry after midnight belongs under the next day's heading. The diagnostic points at the entry's time. `opsbook incident log` inserts entries in order.";
    TimelineOutsideIncident = "OB312", "timeline-outside-incident", Error,
        "A timeline entry lies before `started` or after `resolved`.",
        "The live record of an incident runs from the moment it started (`started`, else `detected`) to the moment it was resolved (`resolved`). An entry before that, or after it, contradicts the time-points, so either the entry's time (or its date heading) or the frontmatter is wrong. Events that led up to the incident, or follow-up work after it, belong in prose (a list outside a date heading, or another section), not in the timeline entries. `opsbook incident log` refuses such a time.";
    TimelineContradiction = "OB313", "timeline-contradiction", Error,
        "A time-point entry of the timeline contradicts the frontmatter.",
        "An entry whose kind is a time-point name (`[mitigated]`, `[resolved]`, …) records that moment of the incident; `opsbook incident declare` and `opsbook incident status` write them. Its time must equal the frontmatter value of that time-point, to the second, and the frontmatter must have the value: otherwise the statistics and the timeline tell two stories. Fix whichever is wrong, or change the entry's kind to `update` if it does not mark the moment.";
    TimelineEntryForm = "OB314", "timeline-entry-form", Warning,
        "A list item under a timeline date heading is not a timeline entry.",
        "Under a `### YYYY-MM-DD` heading of the `## Timeline` section every list item is an entry: `- HH:MM[:SS]Z [kind] (author) text`, the time with `Z` (UTC) or an offset such as `+01:00`, the kind one of action, finding, decision, update or a time-point name, kind and author optional. An item that does not have this form (no time, no time zone, an unknown kind, no text) would be left out of the timeline, the checks and the site's timeline silently. Fix the item, or move prose out of the date block.";
    InvalidRuleFile = "OB401", "invalid-rule-file", Error,
        "A Prometheus rule file cannot be read as rules.",
        "The files named by `alert_rules` in handbook.yaml are read as Prometheus rule files: plain files (`groups:` → `name`, `interval`, `rules:` → `alert` or `record`, `expr`, `for`, `keep_firing_for`, `labels`, `annotations`) or Kubernetes `PrometheusRule` resources (`spec.groups`), several YAML documents to a file. The diagnostic points at what Prometheus itself would refuse: invalid YAML or a duplicate key, an unknown field (usually a typo, see the suggestion), a rule with neither or both of `alert` and `record`, a missing `expr`, a group name used twice in one file, a malformed duration, or a recording rule with alert-only fields. Documents of other Kubernetes kinds are skipped. opsbook does not read YAML aliases (`*name`): write the value out. Alerts of a file that cannot be read are not checked.";
    AlertWithoutRunbook = "OB402", "alert-without-runbook", Error,
        "An alert has no `runbook_url` annotation.",
        "Whoever is paged at 3 am needs to know what the alert means and what to do. Every alerting rule should carry a `runbook_url` annotation pointing at the runbook that explains it, and alert templates (Alertmanager, PagerDuty, Opsgenie) put that link into the page. Add `annotations: {runbook_url: ...}` pointing at the runbook page of this handbook (`<base_url>runbooks/<file>.html#<alert anchor>` by default, or the address `permalinks:` in handbook.yaml gives it); a template such as `{{ $labels.alertname | toLower }}` or a `%s` standing for the alert name is fine.";
    BrokenRunbookUrl = "OB403", "broken-runbook-url", Error,
        "A `runbook_url` points at no runbook page or heading of this handbook.",
        "A `runbook_url` under the handbook's `base_url` (or a path relative to the handbook, such as `runbooks/login.md#anchor`) must name a runbook page — its address (`<base_url>runbooks/<file>.html` by default, or as `permalinks:` in handbook.yaml sets it: `…/name`, `…/name/` and `…/name/index.html` all reach a folder address) or one of its `aliases:` — and its `#anchor`, if any, must be a heading of that runbook (`### LoginFailuresSpike` is `#loginfailuresspike`). Templates are expanded per alert first, as their author means them: `{{ $labels.alertname }}`, `{{ .Labels.alertname }}` and other labels the rule sets, the functions `toLower`, `toUpper`, `title` and `urlquery`, and `%s` for the alert name (OB409 says when Prometheus would fill them in differently). A dead link here is found only when someone follows it during an incident. Fix the URL, the runbook's address or heading, or add the old address as an alias of the runbook. URLs that depend on values known only when the alert fires (`$value`, a label that comes from the series) are not checked.";
    ExternalRunbookUrl = "OB404", "external-runbook-url", Warning,
        "A `runbook_url` points outside the handbook.",
        "The URL is not under the handbook's `base_url`, so opsbook cannot tell whether the page exists or explains the alert, and the handbook has no runbook for it. Move the runbook into the handbook, or set `base_url` in handbook.yaml if the URL is in fact the handbook's. Alerts imported from a third-party mixin often link to their upstream runbooks; turn this rule off (`rules: {OB404: off}`) if that is intended.";
    UnknownAlert = "OB405", "unknown-alert", Error,
        "A runbook lists an alert that no rule defines.",
        "A runbook names the alerts it answers, in `alerts:` in its frontmatter or as `###` headings in its Alerts section. An alert that no rule file of `alert_rules` defines was renamed or deleted, or never existed: the runbook describes a page that can no longer come, and the real alert may have no explanation. Fix the name (see the suggestion) or remove the entry. A heading counts as an alert name when it is a single word such as `LoginFailuresSpike`, or starts with one written in CamelCase or with underscores.";
    UnknownAlertSeverity = "OB406", "unknown-alert-severity", Error,
        "An alert's `severity` label is missing or not on the handbook's scale.",
        "Alertmanager routes pages by the `severity` label, and the handbook ties severities to escalation routes. The label must be a severity id of handbook.yaml (`SEV1` ...) or a key of `alert_severities`, which maps Prometheus severities to the scale. Without `alert_severities`, the defaults are `critical: SEV1`, `page: SEV1`, `warning: SEV3`, `ticket: SEV3` and `info: SEV4` (each only when that id is on the scale); a mapping written in handbook.yaml replaces them. Label values are case-sensitive: `Critical` does not match a route for `critical`.";
    CriticalAlertWithoutEscalation = "OB407", "critical-alert-without-escalation", Error,
        "A critical alert's runbook names no escalation policy.",
        "An alert whose severity is the most severe step of the scale (`SEV1`, or `critical` and `page` by default) pages someone who may need help fast. Its runbook (the one its `runbook_url` points at, else the ones that list it) must lead to an escalation policy: the runbook's service has `escalation:`, or the runbook itself does. Add the policy to the service or the runbook.";
    UnlistedAlert = "OB408", "unlisted-alert", Warning,
        "An alert's runbook does not mention it.",
        "The alert's `runbook_url` leads to a runbook whose `alerts:` does not list the alert and whose Alerts section has no heading for it. The reader lands on a page that does not explain what paged them. Add the alert to `alerts:` and describe it (meaning, customer impact, checks) under a `### AlertName` heading of the Alerts section.";
    UnfilledRunbookUrl = "OB409", "unfilled-runbook-url", Warning,
        "A `runbook_url` template uses values Prometheus does not fill in.",
        "opsbook expands a templated `runbook_url` as its author means it (the alert's name for `{{ $labels.alertname }}` and `%s`, the rule's own labels for `{{ $labels.NAME }}`) to check the runbook it leads to. Prometheus does not: it expands annotations with the labels of the series the alert's expression returns, so `alertname` and labels set under the rule's `labels:` come out empty (the same in Thanos, Mimir and vmalert), and it sends `%s` as written (monitoring-mixin generators replace it when they write the rule file). The page then links to `runbooks/.html` or `#`, not to the runbook. Write the URL out (the help shows it expanded), keep the label in the expression's result (`sum by (service) (...)`), or check the generated rule file instead of its source. A rule label that the expression mentions is assumed to be on the series.";
    InconsistentSlo = "OB410", "inconsistent-slo", Error,
        "An SLO's objective, window, threshold or queries do not fit together.",
        "An SLO leaves an error budget of (100 − objective) % of its SLA's `window`: an objective of 100 leaves none (every failed request breaches it, and burn-rate alerts would divide by zero), and a window of `0d` measures nothing. A `threshold` (latency SLOs) must be more than zero. An SLO that states its indicator as queries needs `total` and exactly one of `good` and `error`: the indicator is good / total (or 1 − error / total). Fix the value the diagnostic points at; `opsbook slo rules` generates burn-rate alerts only for consistent SLOs.";
    InvalidSloQuery = "OB411", "invalid-slo-query", Error,
        "An SLO's `good`, `error` or `total` query is not PromQL opsbook can use.",
        "The queries of an SLO are PromQL counting events over the window: `sum(rate(http_requests_total{code!~\"5..\"}[$window]))`. `opsbook slo rules` replaces `$window` (or a range written as the SLA's window, e.g. `[30d]` for `window: 30d`) by each burn-rate window (5m, 30m, 1h, 2h, 6h, 1d, 3d), so a query must parse as PromQL once that is done, and must contain the window at least once: a query without it cannot be evaluated over the short windows that fast-burn alerts need. The diagnostic quotes the parser's message; run the query in Prometheus to see it evaluate.";
    SloWithoutBurnRateAlerts = "OB412", "slo-without-burn-rate-alerts", Error,
        "An SLO with queries has no burn-rate alert in the rule files.",
        "An SLO whose indicator is stated as queries can be watched, and should page someone when its error budget burns. Among the rules that `alert_rules` reads there must be an alerting rule with the labels `service` and `slo` set to the SLA's service and the SLO's name, as `opsbook slo rules` writes them (hand-written rules are recognised by the same labels). Generate the rules (`opsbook slo rules -o alerts/slo.yaml`), deploy them, and make sure `alert_rules` in handbook.yaml includes the file. Reported only when handbook.yaml has `alert_rules`.";
    OpenIncidentWithoutSloImpact = "OB413", "open-incident-without-slo-impact", Warning,
        "An open incident of one of the two highest severities names no SLO it hurts.",
        "Error budgets charge an incident only to the SLOs its `slo_impact` names (unless its severity is listed in `stats.charge_without_slo_impact` in handbook.yaml). A major incident still open without `slo_impact` spends no budget on the SLA pages while it is likely spending it in fact, so the figures the on-call lead reads are too good. Name the SLOs it hurts, e.g. `slo_impact: [availability]`, as soon as they are known; the budget is then charged up to its `mitigated` time, or up to now while it is still open. Reported for the first two severities of the scale (SEV1 and SEV2 by default) while `status` is not `resolved`.";
    LikelySecret = "OB501", "likely-secret", Error,
        "The text contains what looks like a secret.",
        "A private key, a cloud access key, an API or bearer token, a password literal or a connection string with a password was found. A handbook is read by many people and published as a site: anything in it must be assumed leaked. Remove the secret, rotate it, and refer to the secret store instead (`$DB_PASSWORD`, `vault kv get …`). Placeholders such as `$VAR`, `${VAR}`, `<password>` and `***` are not reported.";
    UnsafeLink = "OB502", "unsafe-link", Error,
        "A link uses a scheme that can run code.",
        "`javascript:`, `vbscript:` and `data:` links run code or hide content when clicked. They have no place in a handbook; the site drops them. Link to a page instead.";
}

impl Rule {
    /// The rule with this code or name, e.g. `OB201` or `unknown-reference`.
    pub fn find(code_or_name: &str) -> Option<Rule> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.code().eq_ignore_ascii_case(code_or_name) || r.name() == code_or_name)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for rule in Rule::ALL {
            assert!(codes.insert(rule.code()), "{} twice", rule.code());
            assert!(names.insert(rule.name()), "{} twice", rule.name());
            assert!(rule.code().starts_with("OB") && rule.code().len() == 5);
            assert!(
                rule.explanation().len() > 80,
                "{} explains too little",
                rule
            );
        }
    }

    #[test]
    fn find_accepts_codes_and_names() {
        assert_eq!(Rule::find("OB201"), Some(Rule::UnknownReference));
        assert_eq!(Rule::find("ob201"), Some(Rule::UnknownReference));
        assert_eq!(Rule::find("stale-runbook"), Some(Rule::StaleRunbook));
        assert_eq!(Rule::find("OB999"), None);
    }
}
