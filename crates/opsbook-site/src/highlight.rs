//! Build-time syntax highlighting of code blocks (syntect, pure-Rust regexes).
//!
//! Output is classed HTML (`<span class="hl-keyword">`), so the stylesheet colours it
//! for both the light and the dark theme. The syntax sets are loaded once, on first use.
//!
//! opsbook's own grammars (shell, PromQL) run on [`Lean`]: syntect's parsing algorithm
//! over `regex` automata. syntect's pure-Rust engine sends every pattern with a `\b`
//! through a backtracking VM tried at each position, which made highlighting a quarter
//! of a build; the automata give the same matches (same leftmost-first semantics, same
//! Unicode word boundaries) for the plain patterns these grammars are limited to, and
//! syntect still turns the scope operations into HTML.

use std::collections::HashMap;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, line_tokens_to_classed_spans};
use syntect::parsing::syntax_definition::{
    Context, ContextReference, MatchOperation, MatchPattern, Pattern,
};
use syntect::parsing::{
    Scope, ScopeStack, ScopeStackOp, SyntaxDefinition, SyntaxReference, SyntaxSet,
};
use syntect::util::LinesWithEndings;

/// The class prefix of highlighted tokens.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// opsbook's own lean grammars, for the languages runbooks are full of.
const GRAMMARS: [&str; 2] = [
    include_str!("../syntaxes/promql.sublime-syntax"),
    include_str!("../syntaxes/shell.sublime-syntax"),
];

/// Syntect's default syntaxes (a fast binary load).
fn defaults() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A set of opsbook's own grammars (PromQL, and a lean shell grammar whose plain regexes
/// run several times faster than the default Bash grammar's look-arounds). Adding them
/// to the defaults would re-link every syntax (a fifth of a second per build); a set of
/// their own builds in microseconds.
fn own() -> Option<&'static SyntaxSet> {
    static SET: OnceLock<Option<SyntaxSet>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = syntect::parsing::SyntaxSetBuilder::new();
        for grammar in GRAMMARS {
            builder.add(SyntaxDefinition::load_from_str(grammar, true, None).ok()?);
        }
        Some(builder.build())
    })
    .as_ref()
}

/// opsbook's own grammars on the fast engine, in the order of [`GRAMMARS`]; `None` for
/// one that uses a feature [`Lean`] does not cover (syntect then parses it).
fn lean() -> &'static [Option<Lean>; 2] {
    static LEAN: OnceLock<[Option<Lean>; 2]> = OnceLock::new();
    LEAN.get_or_init(|| {
        GRAMMARS.map(|g| {
            SyntaxDefinition::load_from_str(g, true, None)
                .ok()
                .and_then(|d| Lean::new(&d))
        })
    })
}

/// How a language is highlighted.
enum Engine {
    /// syntect's parser.
    Syntect(&'static SyntaxReference, &'static SyntaxSet),
    /// The same algorithm over `regex` automata.
    Lean(&'static Lean),
}

/// The engine for a fence's language tag, with the aliases runbooks use.
fn engine_for(lang: &str) -> Option<Engine> {
    let own_grammar = |index: usize, name: &str| -> Option<Engine> {
        if let Some(lean) = &lean()[index] {
            return Some(Engine::Lean(lean));
        }
        let set = own()?;
        Some(Engine::Syntect(set.find_syntax_by_name(name)?, set))
    };
    match lang.to_ascii_lowercase().as_str() {
        "sh" | "shell" | "console" | "kubectl" | "zsh" | "bash" => {
            own_grammar(1, "Shell (opsbook)")
        }
        "promql" | "prometheus" | "logql" => own_grammar(0, "PromQL"),
        _ => syntax_for(lang).map(|(syntax, set)| Engine::Syntect(syntax, set)),
    }
}

/// The syntax for a fence's language tag, with the aliases runbooks use, and its set.
fn syntax_for(lang: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    let token = match lang.to_ascii_lowercase().as_str() {
        "sh" | "shell" | "console" | "kubectl" | "zsh" | "bash" => {
            let set = own()?;
            return Some((set.find_syntax_by_name("Shell (opsbook)")?, set));
        }
        "yml" => "yaml".to_string(),
        "promql" | "prometheus" | "logql" => {
            let set = own()?;
            return Some((set.find_syntax_by_name("PromQL")?, set));
        }
        "postgres" | "postgresql" | "psql" | "mysql" => "sql".to_string(),
        other => other.to_string(),
    };
    let set = defaults();
    Some((set.find_syntax_by_token(&token)?, set))
}

/// The inner HTML of a `<code>` element for `code` in language `lang`, or `None` when
/// the language is unknown (the caller then escapes the text as is).
pub fn highlight(lang: &str, code: &str) -> Option<String> {
    if lang.is_empty() {
        return None;
    }
    match engine_for(lang)? {
        Engine::Syntect(syntax, set) => with_syntect(syntax, set, code),
        Engine::Lean(lean) => Some(lean.highlight(code)),
    }
}

fn with_syntect(syntax: &SyntaxReference, set: &SyntaxSet, code: &str) -> Option<String> {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// syntect's stack limit: a push beyond it ends the line's parse.
const MAX_DEPTH: usize = 100;

/// A grammar for syntect's parsing algorithm (`ParseState::parse_line`, restricted to
/// what plain grammars use: match, scope, captures, push, pop, include, meta scopes),
/// with its patterns compiled by the `regex` crate.
#[derive(Debug)]
pub(crate) struct Lean {
    /// Contexts, by index; `start` is syntect's `__start`.
    contexts: Vec<LeanContext>,
    /// Every match pattern once (a pattern included twice is one entry, as in syntect's
    /// search cache).
    patterns: Vec<LeanPattern>,
    start: usize,
}

#[derive(Debug, Default)]
struct LeanContext {
    meta_scope: Vec<Scope>,
    meta_content_scope: Vec<Scope>,
    /// Pattern indexes with includes flattened, in syntect's order.
    patterns: Vec<usize>,
}

#[derive(Debug)]
struct LeanPattern {
    regex: regex::Regex,
    scope: Vec<Scope>,
    captures: Vec<(usize, Vec<Scope>)>,
    op: LeanOp,
}

#[derive(Debug)]
enum LeanOp {
    None,
    Push(Vec<usize>),
    Pop,
}

/// A pattern's search result within the current line (syntect's search cache).
#[derive(Clone, Copy, PartialEq)]
enum Cached {
    Unknown,
    None,
    Found,
}

impl Lean {
    /// The grammar of `def`, or `None` when it uses something outside the subset
    /// (prototypes, `set`, `clear_scopes`, back-references, embeds, other files) or a
    /// pattern the `regex` crate cannot compile.
    fn new(def: &SyntaxDefinition) -> Option<Lean> {
        if def.contexts.contains_key("prototype") {
            return None;
        }
        let mut names: Vec<&String> = def.contexts.keys().collect();
        names.sort();
        let index: HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let context_of = |r: &ContextReference| -> Option<usize> {
            match r {
                ContextReference::Named { 0: n, .. } | ContextReference::Inline { 0: n, .. } => {
                    index.get(n.as_str()).copied()
                }
                _ => None,
            }
        };
        let mut patterns = Vec::new();
        // (context index, pattern index) → index in `patterns`.
        let mut ids: HashMap<(usize, usize), usize> = HashMap::new();
        for (ci, name) in names.iter().enumerate() {
            let ctx = &def.contexts[name.as_str()];
            if ctx.clear_scopes.is_some() || ctx.uses_backrefs {
                return None;
            }
            for (pi, p) in ctx.patterns.iter().enumerate() {
                if let Pattern::Match(m) = p {
                    ids.insert((ci, pi), patterns.len());
                    patterns.push(LeanPattern::new(m, &context_of)?);
                }
            }
        }
        let mut contexts = Vec::with_capacity(names.len());
        for name in &names {
            let ctx = &def.contexts[name.as_str()];
            let mut flat = Vec::new();
            flatten(def, &names, &index, &ids, ctx, &mut flat, 0)?;
            contexts.push(LeanContext {
                meta_scope: ctx.meta_scope.clone(),
                meta_content_scope: ctx.meta_content_scope.clone(),
                patterns: flat,
            });
        }
        Some(Lean {
            contexts,
            patterns,
            start: *index.get("__start")?,
        })
    }

    /// What syntect's `ClassedHTMLGenerator` makes of `code`, line by line.
    fn highlight(&self, code: &str) -> String {
        let mut state = LeanState {
            lean: self,
            stack: vec![self.start],
            first_line: true,
            cache: vec![Cached::Unknown; self.patterns.len()],
            locations: self
                .patterns
                .iter()
                .map(|p| p.regex.capture_locations())
                .collect(),
        };
        let mut html = String::with_capacity(code.len() * 3);
        let mut scopes = ScopeStack::new();
        let mut open: isize = 0;
        let mut ops = Vec::new();
        for line in LinesWithEndings::from(code) {
            ops.clear();
            state.parse_line(line, &mut ops);
            match line_tokens_to_classed_spans(line, &ops, STYLE, &mut scopes) {
                Ok((formatted, delta)) => {
                    open += delta;
                    html.push_str(&formatted);
                }
                // syntect's generator stops at the first error; mirror that by
                // escaping the rest (cannot happen with push/pop-only operations).
                Err(_) => html.push_str(&crate::markdown::escape(line)),
            }
        }
        for _ in 0..open {
            html.push_str("</span>");
        }
        html
    }
}

/// Appends the pattern indexes of `ctx`, following includes depth-first like syntect's
/// `context_iter`.
fn flatten(
    def: &SyntaxDefinition,
    names: &[&String],
    index: &HashMap<&str, usize>,
    ids: &HashMap<(usize, usize), usize>,
    ctx: &Context,
    out: &mut Vec<usize>,
    depth: usize,
) -> Option<()> {
    if depth > 32 {
        return None;
    }
    let ci = names
        .iter()
        .position(|n| std::ptr::eq(&def.contexts[n.as_str()], ctx))?;
    for (pi, p) in ctx.patterns.iter().enumerate() {
        match p {
            Pattern::Match(_) => out.push(*ids.get(&(ci, pi))?),
            Pattern::Include(
                ContextReference::Named { 0: n, .. } | ContextReference::Inline { 0: n, .. },
            ) => {
                let target = index.get(n.as_str())?;
                let inner = &def.contexts[names[*target].as_str()];
                flatten(def, names, index, ids, inner, out, depth + 1)?;
            }
            Pattern::Include(_) => return None,
        }
    }
    Some(())
}

impl LeanPattern {
    fn new(
        m: &MatchPattern,
        context_of: &dyn Fn(&ContextReference) -> Option<usize>,
    ) -> Option<Self> {
        if m.with_prototype.is_some() {
            return None;
        }
        let op = match &m.operation {
            MatchOperation::None => LeanOp::None,
            MatchOperation::Pop => LeanOp::Pop,
            MatchOperation::Push(refs) => {
                LeanOp::Push(refs.iter().map(context_of).collect::<Option<Vec<_>>>()?)
            }
            MatchOperation::Set(_) => return None,
        };
        Some(LeanPattern {
            regex: regex::Regex::new(m.regex.regex_str()).ok()?,
            scope: m.scope.clone(),
            captures: m.captures.clone().unwrap_or_default(),
            op,
        })
    }
}

/// The parse state across the lines of one code block.
struct LeanState<'a> {
    lean: &'a Lean,
    stack: Vec<usize>,
    first_line: bool,
    cache: Vec<Cached>,
    locations: Vec<regex::CaptureLocations>,
}

impl LeanState<'_> {
    fn parse_line(&mut self, line: &str, ops: &mut Vec<(usize, ScopeStackOp)>) {
        if self.first_line {
            if let Some(top) = self.stack.last() {
                if let Some(s) = self.lean.contexts[*top].meta_content_scope.first() {
                    ops.push((0, ScopeStackOp::Push(*s)));
                }
            }
            self.first_line = false;
        }
        self.cache.iter_mut().for_each(|c| *c = Cached::Unknown);
        let mut start = 0;
        let mut non_consuming_push_at = (0, 0);
        while self.next_token(line, &mut start, &mut non_consuming_push_at, ops) {}
    }

    fn next_token(
        &mut self,
        line: &str,
        start: &mut usize,
        non_consuming_push_at: &mut (usize, usize),
        ops: &mut Vec<(usize, ScopeStackOp)>,
    ) -> bool {
        let check_pop_loop = *non_consuming_push_at == (*start, self.stack.len());
        let Some((pid, would_loop)) = self.best_match(line, *start, check_pop_loop) else {
            return false;
        };
        if would_loop {
            return match line[*start..].char_indices().nth(1) {
                Some((i, _)) => {
                    *start += i;
                    true
                }
                None => false,
            };
        }
        let Some((match_start, match_end)) = self.locations[pid].get(0) else {
            return false;
        };
        let lean = self.lean;
        let pat = &lean.patterns[pid];
        if match_end <= *start && matches!(pat.op, LeanOp::Push(_)) {
            *non_consuming_push_at = (match_end, self.stack.len() + 1);
        }
        *start = match_end;
        let Some(&level) = self.stack.last() else {
            return false;
        };
        let level = &lean.contexts[level];
        self.meta_ops(true, match_start, level, &pat.op, ops);
        for s in &pat.scope {
            ops.push((match_start, ScopeStackOp::Push(*s)));
        }
        if !pat.captures.is_empty() {
            let mut map: Vec<((usize, i32), ScopeStackOp)> = Vec::new();
            for (index, scopes) in &pat.captures {
                if let Some((cs, ce)) = self.locations[pid].get(*index) {
                    if cs == ce {
                        continue;
                    }
                    for s in scopes {
                        map.push(((cs, -((ce - cs) as i32)), ScopeStackOp::Push(*s)));
                    }
                    map.push(((ce, i32::MIN), ScopeStackOp::Pop(scopes.len())));
                }
            }
            map.sort_by_key(|a| a.0);
            ops.extend(map.into_iter().map(|((i, _), op)| (i, op)));
        }
        if !pat.scope.is_empty() {
            ops.push((match_end, ScopeStackOp::Pop(pat.scope.len())));
        }
        self.meta_ops(false, match_end, level, &pat.op, ops);
        match &pat.op {
            LeanOp::Push(targets) => self.stack.extend(targets.iter().copied()),
            LeanOp::Pop => {
                self.stack.pop();
            }
            LeanOp::None => {}
        }
        true
    }

    /// syntect's `find_best_match`: the earliest match among the top context's
    /// patterns, the first listed on a tie; `(pattern, would loop)`.
    fn best_match(
        &mut self,
        line: &str,
        start: usize,
        check_pop_loop: bool,
    ) -> Option<(usize, bool)> {
        let lean = self.lean;
        let top = *self.stack.last()?;
        let mut min_start = usize::MAX;
        let mut best = None;
        let mut pop_would_loop = false;
        for &pid in &lean.contexts[top].patterns {
            let Some((match_start, match_end)) = self.search(line, start, pid) else {
                continue;
            };
            if match_start < min_start || (match_start == min_start && pop_would_loop) {
                min_start = match_start;
                let op = &lean.patterns[pid].op;
                pop_would_loop = check_pop_loop && match_end <= start && matches!(op, LeanOp::Pop);
                if matches!(op, LeanOp::Push(_)) && self.stack.len() >= MAX_DEPTH {
                    return None;
                }
                best = Some((pid, pop_would_loop));
                if match_start == start && !pop_would_loop {
                    return best;
                }
            }
        }
        best
    }

    /// syntect's `search`, with its per-line cache.
    fn search(&mut self, line: &str, start: usize, pid: usize) -> Option<(usize, usize)> {
        match self.cache[pid] {
            Cached::None => return None,
            Cached::Found => {
                if let Some(m) = self.locations[pid].get(0).filter(|m| m.0 >= start) {
                    return Some(m);
                }
            }
            Cached::Unknown => {}
        }
        let pat = &self.lean.patterns[pid];
        if pat
            .regex
            .captures_read_at(&mut self.locations[pid], line, start)
            .is_none()
        {
            self.cache[pid] = Cached::None;
            return None;
        }
        let (s, e) = self.locations[pid].get(0)?;
        let does_something = match pat.op {
            LeanOp::None => s != e,
            LeanOp::Push(_) => self.stack.len() < MAX_DEPTH,
            LeanOp::Pop => true,
        };
        if does_something {
            self.cache[pid] = Cached::Found;
            Some((s, e))
        } else {
            self.cache[pid] = Cached::Unknown;
            None
        }
    }

    /// syntect's `push_meta_ops` for push, pop and plain matches.
    fn meta_ops(
        &self,
        initial: bool,
        index: usize,
        level: &LeanContext,
        op: &LeanOp,
        ops: &mut Vec<(usize, ScopeStackOp)>,
    ) {
        let contexts = &self.lean.contexts;
        match op {
            LeanOp::Pop => {
                let v = if initial {
                    &level.meta_content_scope
                } else {
                    &level.meta_scope
                };
                if !v.is_empty() {
                    ops.push((index, ScopeStackOp::Pop(v.len())));
                }
            }
            LeanOp::Push(targets) if initial => {
                for &t in targets {
                    for s in &contexts[t].meta_scope {
                        ops.push((index, ScopeStackOp::Push(*s)));
                    }
                }
            }
            LeanOp::Push(targets) => {
                if targets
                    .iter()
                    .any(|&t| !contexts[t].meta_content_scope.is_empty())
                {
                    let pop: usize = targets.iter().map(|&t| contexts[t].meta_scope.len()).sum();
                    if pop > 0 {
                        ops.push((index, ScopeStackOp::Pop(pop)));
                    }
                    for &t in targets {
                        for s in contexts[t]
                            .meta_scope
                            .iter()
                            .chain(&contexts[t].meta_content_scope)
                        {
                            ops.push((index, ScopeStackOp::Push(*s)));
                        }
                    }
                }
            }
            LeanOp::None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runbook_languages_are_highlighted() {
        for (lang, code) in [
            ("bash", "kubectl get pods -n x # list\n"),
            ("kubectl", "kubectl rollout undo deploy/api\n"),
            (
                "promql",
                "sum(rate(http_requests_total{code=~\"5..\"}[5m])) by (job)\n",
            ),
            ("yaml", "groups:\n  - name: x\n"),
            ("sql", "SELECT count(*) FROM bookings WHERE id = 1;\n"),
        ] {
            let html = highlight(lang, code).unwrap_or_default();
            assert!(html.contains("<span class=\"hl-"), "{lang}: {html}");
        }
        assert!(
            highlight("promql", "rate(x[5m])\n")
                .unwrap()
                .contains("hl-support")
        );
        assert_eq!(highlight("no-such-language", "x\n"), None);
    }

    /// The fast engine gives syntect's output, byte for byte.
    fn same_as_syntect(lang: &str, code: &str) {
        let (syntax, set) = syntax_for(lang).unwrap();
        let Some(Engine::Lean(lean)) = engine_for(lang) else {
            panic!("{lang} is not on the fast engine");
        };
        assert_eq!(
            lean.highlight(code),
            with_syntect(syntax, set, code).unwrap(),
            "{lang}: {code:?}"
        );
    }

    #[test]
    fn the_fast_engine_matches_syntect() {
        let samples = [
            "kubectl get pods -n payments -l app=api # list\n",
            "$ kubectl rollout undo deploy/api && echo \"done: ${NS}\" | tee -a /tmp/x.log\n",
            "# a comment\n  export FOO=bar; psql -c 'SELECT 1' --host=db-1\n",
            "echo \"unterminated\nstill a string $HOME\\\" end\"\n",
            "echo 'multi\nline'\nfor i in 1 2 3; do curl -s http://x:8080/healthz?x=1&y=2; done\n",
            "sleep 5m; df -h /data 90% 1.5Gi 12ms\n",
            "naïve café --über 3é x$(date) $1 $@ ${a:-b}\n",
            "no newline at the end",
            "\n\n   \n",
            "a\r\nb\r\n",
            "sum(rate(http_requests_total{code=~\"5..\"}[5m])) by (job)\n",
            "histogram_quantile(0.99, sum by (le) (rate(x_bucket{job='api'}[5m:1m])))\n",
            "max(foo{a=\"b\\\"c\", d!~'e'}) / on() group_left() (1 - slo:objective) offset 1w # why\n",
            "x >= 1e-3 and y != 2.5E+4 or z unless w\n{unclosed=\"label\n}\n",
            "count_values(\"v\", up) > bool 0\n  topk(3, é_metric)\n",
        ];
        for code in samples {
            same_as_syntect("bash", code);
            same_as_syntect("promql", code);
        }
        // Every code block of the example handbook.
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../content-example");
        let mut blocks = 0;
        for entry in walk(std::path::Path::new(root)) {
            let text = std::fs::read_to_string(&entry).unwrap_or_default();
            for block in text.split("```").skip(1).step_by(2) {
                if let Some((info, code)) = block.split_once('\n') {
                    let lang = info.trim();
                    if matches!(engine_for(lang), Some(Engine::Lean(_))) {
                        same_as_syntect(lang, code);
                        blocks += 1;
                    }
                }
            }
        }
        assert!(blocks > 5, "only {blocks} code blocks in content-example");
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
        out
    }

    #[test]
    fn code_is_escaped() {
        let html = highlight("bash", "echo '<script>'\n").unwrap();
        assert!(!html.contains("<script>"));
    }
}
