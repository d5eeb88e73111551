//! The score sheet as JSON: one object per sheet, `total` and `grade` at the top, every
//! indicator with its method, clause, inputs, formula, scores, flags and notes. Numbers are
//! exact decimals written as JSON numbers.

use rust_decimal::Decimal;
use serde::Serialize;

use super::View;

mod writer;

use crate::score::*;
use crate::value::Date;
use crate::words::{AuditCheck, Direction, Lang, TakeRule};
pub(crate) use writer::exact;
pub use writer::{Error, to_string, to_string_pretty, write, write_pretty};

/// The JSON Schema (draft 2020-12) of the document [`report`] writes.
pub const SCHEMA: &str = include_str!("score-sheet.schema.json");

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

/// The JSON document for one score sheet, on one line (no line break at the end).
pub fn sheet(view: &View<'_>) -> String {
    let mut out = String::new();
    // A report has only named fields, so writing it cannot fail.
    let _ = write(&mut out, &report(view));
    out
}

/// Append the short score line of one sheet to `out`, with its line break: the sheet's name,
/// the project, the total, the grade, the budget score and every indicator's score in sheet
/// order, a score `null` where it could not be computed:
///
/// `{"file":"a.json","project":"…","total":92.03,"grade":"优","budget":10,"rows":[10,9.53,null]}`
///
/// This is what `jixiao eval --format scores` writes, one line a sheet. Decimals are exact,
/// written as the full score sheet writes them.
pub fn write_scores(out: &mut String, view: &View<'_>) {
    let score = view.score;
    score_line(
        out,
        view.sheet_name,
        &view.sheet.project.name,
        score.total,
        score.grade.as_deref(),
        score.budget.as_ref().and_then(|b| b.score),
        score.indicators.iter().map(|s| s.score),
    );
}

/// Append the short score line of one sheet to `out` from its numbers alone
/// ([`crate::evaluate_scores`]): the same line [`write_scores`] writes from the full score sheet.
pub fn write_score_line(out: &mut String, file: &str, sheet: &crate::Sheet, scores: &crate::Scores<'_>) {
    score_line(
        out,
        file,
        &sheet.project.name,
        scores.total,
        scores.grade,
        scores.budget,
        scores.rows.iter().copied(),
    );
}

fn score_line(
    out: &mut String,
    file: &str,
    project: &str,
    total: Decimal,
    grade: Option<&str>,
    budget: Option<Decimal>,
    rows: impl Iterator<Item = Option<Decimal>>,
) {
    let number = |out: &mut String, d: Option<Decimal>| match d {
        Some(d) => writer::push_decimal(out, d),
        None => out.push_str("null"),
    };
    out.push_str("{\"file\":");
    writer::push_str(out, file);
    out.push_str(",\"project\":");
    writer::push_str(out, project.trim());
    out.push_str(",\"total\":");
    number(out, Some(total));
    out.push_str(",\"grade\":");
    match grade {
        Some(g) => writer::push_str(out, g),
        None => out.push_str("null"),
    }
    out.push_str(",\"budget\":");
    number(out, budget);
    out.push_str(",\"rows\":[");
    for (i, s) in rows.enumerate() {
        if i > 0 {
            out.push(',');
        }
        number(out, s);
    }
    out.push_str("]}\n");
}

/// The JSON document for one score sheet, as typed values borrowed from the view: write it
/// with [`write()`] or [`write_pretty`], with nothing built in between.
pub fn report<'a>(view: &View<'a>) -> Report<'a> {
    let policy = view.policy;
    let sheet = view.sheet;
    let score = view.score;
    let v = *view;
    let indicators = score
        .indicators
        .iter()
        .filter_map(|s| {
            let ind = sheet.indicators.get(s.position)?;
            let tier = s.tier.and_then(|pick| {
                let table = policy.tiers.get(pick.table)?;
                let t = table.tiers.get(pick.tier)?;
                Some(TierOut {
                    table: &table.name,
                    tier: &t.name,
                    label: &t.label,
                    band: super::band_text(&t.band),
                    chosen_by: pick.chosen_by,
                    taken: pick.taken,
                })
            });
            Some(IndicatorOut {
                row: ind.row,
                line: ind.line,
                cell: sheet.origin.as_ref().and_then(|o| o.cell(ind.line)),
                level1: s.level1.map(|n| v.node(n)).unwrap_or_else(|| ind.level1.trim()),
                level2: s.level2.map(|n| v.node(n)).unwrap_or_else(|| ind.level2.trim()),
                name: ind.name.trim(),
                direction: s.direction,
                target: Side { printed: &ind.target.text, used: operand(&s.target) },
                actual: Side { printed: &ind.actual.text, used: operand(&s.actual) },
                weight: s.weight,
                weight_source: &s.weight_source,
                method: s.method.and_then(|m| policy.methods.get(m)).map(|m| m.name.as_str()),
                method_doc: s.method.and_then(|m| policy.methods.get(m)).and_then(|m| m.doc.as_deref()),
                clause: clause(view, s.method, s.clause),
                tier,
                computed: s.computed,
                capped: s.capped,
                unrounded: s.unrounded,
                score: s.score,
                claimed: s.claimed,
                difference: s.difference,
                not_applicable: s.not_applicable,
                note: &ind.note,
                flags: flags(view, &s.flags, |f| v.indicator_flag(s, f)),
                notes: s.notes.iter().map(|n| NoteOut { kind: n, message: v.note(Some(s), n) }).collect(),
                error: s.error.as_ref().map(|e| ErrorOut {
                    code: e.code(),
                    kind: e,
                    message: v.error(e),
                    at: Some(v.cell_location(s)),
                }),
                trace: TraceOut { view: v, steps: &s.trace },
                explanation: v.explain(s),
            })
        })
        .collect();
    let groups = score
        .groups
        .iter()
        .map(|g| GroupOut {
            level1: v.node(g.level1),
            level2: g.level2.map(|n| v.node(n).to_string()).or_else(|| g.unmatched.clone()),
            points: g.points,
            weight: g.weight,
            score: g.score,
            score_range: g.high.map(|h| (g.score, h)),
            claimed: g.claimed,
            difference: g.difference,
            flags: flags(view, &g.flags, |f| v.group_flag(g, f)),
        })
        .collect();
    let budget = score.budget.as_ref().map(|b| {
        let sb = sheet.budget.as_ref();
        BudgetOut {
            label: policy.scheme.budget.as_ref().map(|x| x.label.as_str()),
            initial: sb.and_then(|x| x.initial),
            annual: sb.and_then(|x| x.annual),
            executed: sb.and_then(|x| x.executed),
            money_unit: &sheet.project.money_unit,
            rate: b.rate,
            weight: b.weight,
            method: b.method.and_then(|m| policy.methods.get(m)).map(|m| m.name.as_str()),
            clause: clause(view, b.method, b.clause),
            computed: b.computed,
            capped: b.capped,
            unrounded: b.unrounded,
            score: b.score,
            claimed: b.claimed,
            difference: b.difference,
            flags: flags(view, &b.flags, |f| v.budget_flag(b, f)),
            notes: b.notes.iter().map(|n| NoteOut { kind: n, message: v.note(None, n) }).collect(),
            error: b.error.as_ref().map(|e| ErrorOut {
                code: e.code(),
                kind: e,
                message: v.error(e),
                at: None,
            }),
            trace: TraceOut { view: v, steps: &b.trace },
            explanation: v.explain_budget(),
        }
    });
    Report {
        sheet: view.sheet_name,
        total: score.total,
        grade: &score.grade,
        total_range: score.total_range,
        grade_range: &score.grade_range,
        claimed_total: score.claimed_total,
        claimed_grade: &sheet.total.grade,
        difference: score.difference,
        complete: score.complete,
        language: lang_name(view.lang),
        project: ProjectOut {
            name: sheet.project.name.trim(),
            department: &sheet.project.department,
            implementer: &sheet.project.implementer,
            year: sheet.project.year,
            jurisdiction: &sheet.project.jurisdiction,
        },
        policy: PolicyOut {
            name: &policy.name,
            jurisdiction: &policy.jurisdiction,
            year: policy.year,
            file: policy.files.first(),
            hash: policy.hash(),
        },
        budget,
        groups,
        indicators,
        sum: score.sum,
        inapplicable_points: score.inapplicable_points,
        flags: flags(view, &score.flags, |f| v.sheet_flag(f)),
        audit: score
            .audit
            .iter()
            .map(|f| AuditOut {
                check: f.check,
                title: v.audit_title(f.check),
                place: f.place,
                values: &f.values,
                message: v.audit_line(f),
            })
            .collect(),
        skipped: sheet
            .skipped
            .iter()
            .map(|r| SkippedOut { row: r.row, line: r.line, name: &r.name })
            .collect(),
        read: sheet.origin.as_ref().map(|o| {
            let cells = |list: &'a [crate::sheet::CellNote]| {
                list.iter().map(|n| CellOut { cell: &n.cell, message: n.message.get(view.lang) }).collect()
            };
            ReadOut { from: &o.place, problems: cells(&o.problems), notes: cells(&o.notes) }
        }),
    }
}

fn clause<'a>(view: &View<'a>, method: Option<usize>, clause: Option<usize>) -> Option<ClauseOut<'a>> {
    let rule = view.policy.methods.get(method?)?.clauses.get(clause?)?;
    Some(ClauseOut { index: clause?, text: &rule.text, location: rule_at(view, rule.location) })
}

fn flags<'a>(
    view: &View<'a>,
    list: &[FiredFlag],
    message: impl Fn(&FiredFlag) -> String,
) -> Vec<FlagOut<'a>> {
    list.iter()
        .filter_map(|f| {
            let rule = view.policy.flags.get(f.flag)?;
            Some(FlagOut {
                name: &rule.name,
                label: &rule.label,
                message: message(f),
                deducted: f.deducted,
                capped_at: f.capped_at,
                failed: f.failed,
                undetermined: f.undetermined,
                location: rule_at(view, rule.location),
            })
        })
        .collect()
}

fn operand(o: &Option<Operand>) -> Option<OperandOut<'_>> {
    match o {
        Some(Operand::Quantity(q)) => {
            Some(OperandOut::Quantity { value: q.value, unit: &q.unit, shown: Text(super::QuantityText(q)) })
        }
        Some(Operand::Date(d)) => Some(OperandOut::Date { date: d.ordinal(), shown: shown_date(d) }),
        None => None,
    }
}

/// A value serialized as the string its `Display` writes, with no `String` built in between.
struct Text<T>(T);

impl<T: std::fmt::Display> Serialize for Text<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// `file:line` of a rule ([`View::location`]).
struct RuleAt<'a> {
    file: &'a str,
    line: u32,
}

impl std::fmt::Display for RuleAt<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

fn rule_at<'a>(view: &View<'a>, at: crate::policy::Location) -> Text<RuleAt<'a>> {
    Text(RuleAt { file: view.policy.file_of(at), line: at.line })
}

fn shown_date(d: &Date) -> String {
    super::date(d)
}

/// One score sheet, in the order its keys are written.
#[derive(Serialize)]
#[non_exhaustive]
pub struct Report<'a> {
    sheet: &'a str,
    #[serde(serialize_with = "exact")]
    total: Decimal,
    grade: &'a Option<String>,
    #[serde(serialize_with = "exact")]
    total_range: Option<(Decimal, Decimal)>,
    grade_range: &'a Option<(Option<String>, Option<String>)>,
    #[serde(serialize_with = "exact")]
    claimed_total: Option<Decimal>,
    claimed_grade: &'a Option<String>,
    #[serde(serialize_with = "exact")]
    difference: Option<Decimal>,
    complete: bool,
    language: &'static str,
    project: ProjectOut<'a>,
    policy: PolicyOut<'a>,
    budget: Option<BudgetOut<'a>>,
    groups: Vec<GroupOut<'a>>,
    indicators: Vec<IndicatorOut<'a>>,
    #[serde(serialize_with = "exact")]
    sum: Decimal,
    #[serde(serialize_with = "exact")]
    inapplicable_points: Decimal,
    flags: Vec<FlagOut<'a>>,
    audit: Vec<AuditOut<'a>>,
    skipped: Vec<SkippedOut<'a>>,
    /// How a workbook or export was read: where the table sat, cells that could not be read,
    /// liberties taken. Absent for TOML and JSON sheets.
    #[serde(skip_serializing_if = "Option::is_none")]
    read: Option<ReadOut<'a>>,
}

/// A finding of the built-in audit.
#[derive(Serialize)]
struct AuditOut<'a> {
    check: AuditCheck,
    title: String,
    place: AuditPlace,
    values: &'a AuditValues,
    message: String,
}

#[derive(Serialize)]
struct ReadOut<'a> {
    from: &'a str,
    problems: Vec<CellOut<'a>>,
    notes: Vec<CellOut<'a>>,
}

#[derive(Serialize)]
struct CellOut<'a> {
    cell: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct ProjectOut<'a> {
    name: &'a str,
    department: &'a Option<String>,
    implementer: &'a Option<String>,
    year: Option<u32>,
    jurisdiction: &'a Option<String>,
}

#[derive(Serialize)]
struct PolicyOut<'a> {
    name: &'a str,
    jurisdiction: &'a str,
    year: u32,
    file: Option<&'a String>,
    hash: &'a str,
}

#[derive(Serialize)]
struct ClauseOut<'a> {
    index: usize,
    text: &'a str,
    location: Text<RuleAt<'a>>,
}

#[derive(Serialize)]
struct FlagOut<'a> {
    name: &'a str,
    label: &'a Option<String>,
    message: String,
    #[serde(serialize_with = "exact")]
    deducted: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    capped_at: Option<Decimal>,
    failed: bool,
    undetermined: bool,
    location: Text<RuleAt<'a>>,
}

#[derive(Serialize)]
struct TierOut<'a> {
    table: &'a str,
    tier: &'a Option<String>,
    label: &'a Option<String>,
    band: String,
    chosen_by: TierChoice,
    taken: TakeRule,
}

#[derive(Serialize)]
#[serde(untagged)]
enum OperandOut<'a> {
    Quantity {
        #[serde(serialize_with = "exact")]
        value: Decimal,
        unit: &'a str,
        shown: Text<super::QuantityText<'a>>,
    },
    Date {
        date: u32,
        shown: String,
    },
}

#[derive(Serialize)]
struct Side<'a> {
    printed: &'a str,
    used: Option<OperandOut<'a>>,
}

#[derive(Serialize)]
struct NoteOut<'a> {
    kind: &'a Note,
    message: String,
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    code: crate::codes::Code,
    kind: &'a EvalError,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<String>,
}

#[derive(Serialize)]
struct IndicatorOut<'a> {
    row: usize,
    line: u32,
    /// The workbook cell of the row's name, for a row read from a workbook.
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<&'a str>,
    level1: &'a str,
    level2: &'a str,
    name: &'a str,
    direction: Direction,
    target: Side<'a>,
    actual: Side<'a>,
    #[serde(serialize_with = "exact")]
    weight: Decimal,
    weight_source: &'a WeightSource,
    method: Option<&'a str>,
    method_doc: Option<&'a str>,
    clause: Option<ClauseOut<'a>>,
    tier: Option<TierOut<'a>>,
    #[serde(serialize_with = "exact")]
    computed: Option<Decimal>,
    capped: bool,
    #[serde(serialize_with = "exact")]
    unrounded: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    score: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    claimed: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    difference: Option<Decimal>,
    not_applicable: bool,
    note: &'a Option<String>,
    flags: Vec<FlagOut<'a>>,
    notes: Vec<NoteOut<'a>>,
    error: Option<ErrorOut<'a>>,
    trace: TraceOut<'a>,
    explanation: String,
}

#[derive(Serialize)]
struct GroupOut<'a> {
    level1: &'a str,
    level2: Option<String>,
    #[serde(serialize_with = "exact")]
    points: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    weight: Decimal,
    #[serde(serialize_with = "exact")]
    score: Decimal,
    #[serde(serialize_with = "exact")]
    score_range: Option<(Decimal, Decimal)>,
    #[serde(serialize_with = "exact")]
    claimed: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    difference: Option<Decimal>,
    flags: Vec<FlagOut<'a>>,
}

#[derive(Serialize)]
struct BudgetOut<'a> {
    label: Option<&'a str>,
    #[serde(serialize_with = "exact")]
    initial: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    annual: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    executed: Option<Decimal>,
    money_unit: &'a str,
    #[serde(serialize_with = "exact")]
    rate: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    weight: Decimal,
    method: Option<&'a str>,
    clause: Option<ClauseOut<'a>>,
    #[serde(serialize_with = "exact")]
    computed: Option<Decimal>,
    capped: bool,
    #[serde(serialize_with = "exact")]
    unrounded: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    score: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    claimed: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    difference: Option<Decimal>,
    flags: Vec<FlagOut<'a>>,
    notes: Vec<NoteOut<'a>>,
    error: Option<ErrorOut<'a>>,
    trace: TraceOut<'a>,
    explanation: Option<String>,
}

/// A trace as the evaluator recorded it, with the scheme nodes a row was placed under and the
/// flags that fired named beside their numbers.
struct TraceOut<'a> {
    view: View<'a>,
    steps: &'a [Step],
}

impl Serialize for TraceOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq as _;
        let mut seq = serializer.serialize_seq(Some(self.steps.len()))?;
        for step in self.steps {
            match step {
                Step::Placed { level1, level2 } => seq.serialize_element(&PlacedOut {
                    step: "placed",
                    level1: *level1,
                    level1_name: level1.map(|n| self.view.node(n)),
                    level2: *level2,
                    level2_name: level2.map(|n| self.view.node(n)),
                })?,
                Step::Flagged { flag, deducted, capped_at, failed } => {
                    seq.serialize_element(&FlaggedOut {
                        step: "flagged",
                        flag: *flag,
                        flag_name: self.view.policy.flags.get(*flag).map(|f| f.name.as_str()),
                        deducted: *deducted,
                        capped_at: *capped_at,
                        failed: *failed,
                    })?
                }
                other => seq.serialize_element(other)?,
            }
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct PlacedOut<'a> {
    step: &'static str,
    level1: Option<usize>,
    level1_name: Option<&'a str>,
    level2: Option<usize>,
    level2_name: Option<&'a str>,
}

#[derive(Serialize)]
struct FlaggedOut<'a> {
    step: &'static str,
    flag: usize,
    flag_name: Option<&'a str>,
    #[serde(serialize_with = "exact")]
    deducted: Option<Decimal>,
    #[serde(serialize_with = "exact")]
    capped_at: Option<Decimal>,
    failed: bool,
}

#[derive(Serialize)]
struct SkippedOut<'a> {
    row: usize,
    line: u32,
    name: &'a str,
}
