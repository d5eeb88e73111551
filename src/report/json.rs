//! The score sheet as JSON: one object per sheet, `total` and `grade` at the top, every
//! indicator with its method, clause, inputs, formula, scores, flags and notes. Numbers are
//! exact decimals written as JSON numbers.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::View;
use crate::score::*;
use crate::words::Lang;

fn num(d: Decimal) -> Value {
    serde_json::to_value(d).unwrap_or(Value::Null)
}

fn opt(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, num)
}

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

/// The JSON document for one score sheet.
pub fn sheet(view: &View<'_>) -> Value {
    let policy = view.policy;
    let sheet = view.sheet;
    let score = view.score;
    let clause = |method: Option<usize>, clause: Option<usize>| -> Value {
        match (method, clause) {
            (Some(m), Some(c)) => {
                let method = &policy.methods[m];
                let rule = &method.clauses[c];
                json!({
                    "index": c,
                    "text": rule.text,
                    "location": view.location(rule.location),
                })
            }
            _ => Value::Null,
        }
    };
    let flags = |list: &[FiredFlag], message: &dyn Fn(&FiredFlag) -> String| -> Value {
        Value::Array(
            list.iter()
                .map(|f| {
                    let rule = &policy.flags[f.flag];
                    json!({
                        "name": rule.name,
                        "label": rule.label,
                        "message": message(f),
                        "deducted": opt(f.deducted),
                        "capped_at": opt(f.capped_at),
                        "undetermined": f.undetermined,
                        "location": view.location(rule.location),
                    })
                })
                .collect(),
        )
    };
    let indicators: Vec<Value> = score
        .indicators
        .iter()
        .map(|s| {
            let ind = &sheet.indicators[s.position];
            let tier = s.tier.map(|pick| {
                let table = &policy.tiers[pick.table];
                let t = &table.tiers[pick.tier];
                json!({
                    "table": table.name,
                    "tier": t.name,
                    "label": t.label,
                    "band": super::band_text(&t.band),
                    "chosen_by": pick.chosen_by,
                    "taken": pick.taken,
                })
            });
            let operand = |o: &Option<Operand>| match o {
                Some(Operand::Quantity(q)) => json!({ "value": num(q.value), "unit": q.unit, "shown": super::quantity(q) }),
                Some(Operand::Date(d)) => json!({ "date": d.ordinal(), "shown": super::date(d) }),
                None => Value::Null,
            };
            json!({
                "row": ind.row,
                "line": ind.line,
                "level1": s.level1.map(|n| view.node(n).to_string()).unwrap_or_else(|| ind.level1.trim().to_string()),
                "level2": s.level2.map(|n| view.node(n).to_string()).unwrap_or_else(|| ind.level2.trim().to_string()),
                "name": ind.name.trim(),
                "direction": s.direction,
                "target": { "printed": ind.target.text, "used": operand(&s.target) },
                "actual": { "printed": ind.actual.text, "used": operand(&s.actual) },
                "weight": num(s.weight),
                "weight_source": s.weight_source,
                "method": s.method.map(|m| policy.methods[m].name.clone()),
                "method_doc": s.method.and_then(|m| policy.methods[m].doc.clone()),
                "clause": clause(s.method, s.clause),
                "tier": tier,
                "computed": opt(s.computed),
                "capped": s.capped,
                "unrounded": opt(s.unrounded),
                "score": opt(s.score),
                "claimed": opt(s.claimed),
                "difference": opt(s.difference),
                "not_applicable": s.not_applicable,
                "note": ind.note,
                "flags": flags(&s.flags, &|f| view.indicator_flag(s, f)),
                "notes": s.notes.iter().map(|n| json!({ "kind": n, "message": view.note(Some(s), n) })).collect::<Vec<_>>(),
                "error": s.error.as_ref().map(|e| json!({ "kind": e, "message": view.error(e), "at": view.cell_location(s) })),
                "explanation": view.explain(s),
            })
        })
        .collect();
    let groups: Vec<Value> = score
        .groups
        .iter()
        .map(|g| {
            json!({
                "level1": view.node(g.level1),
                "level2": g.level2.map(|n| view.node(n).to_string()).or_else(|| g.unmatched.clone()),
                "points": opt(g.points),
                "weight": num(g.weight),
                "score": num(g.score),
                "score_range": g.high.map(|h| json!([num(g.score), num(h)])),
                "claimed": opt(g.claimed),
                "difference": opt(g.difference),
                "flags": flags(&g.flags, &|f| view.group_flag(g, f)),
            })
        })
        .collect();
    let budget = score.budget.as_ref().map(|b| {
        json!({
            "label": policy.scheme.budget.as_ref().map(|x| x.label.clone()),
            "initial": opt(sheet.budget.as_ref().and_then(|x| x.initial)),
            "annual": opt(sheet.budget.as_ref().and_then(|x| x.annual)),
            "executed": opt(sheet.budget.as_ref().and_then(|x| x.executed)),
            "money_unit": sheet.project.money_unit,
            "rate": opt(b.rate),
            "weight": num(b.weight),
            "method": b.method.map(|m| policy.methods[m].name.clone()),
            "clause": clause(b.method, b.clause),
            "computed": opt(b.computed),
            "capped": b.capped,
            "unrounded": opt(b.unrounded),
            "score": opt(b.score),
            "claimed": opt(b.claimed),
            "difference": opt(b.difference),
            "flags": flags(&b.flags, &|f| view.budget_flag(b, f)),
            "notes": b.notes.iter().map(|n| json!({ "kind": n, "message": view.note(None, n) })).collect::<Vec<_>>(),
            "error": b.error.as_ref().map(|e| json!({ "kind": e, "message": view.error(e) })),
            "explanation": view.explain_budget(),
        })
    });
    let mut doc = json!({
        "sheet": view.sheet_name,
        "total": num(score.total),
        "grade": score.grade,
        "total_range": score.total_range.map(|(l, h)| json!([num(l), num(h)])),
        "grade_range": score.grade_range.clone().map(|(l, h)| json!([l, h])),
        "claimed_total": opt(score.claimed_total),
        "claimed_grade": sheet.total.grade,
        "difference": opt(score.difference),
        "complete": score.complete,
        "language": lang_name(view.lang),
        "project": {
            "name": sheet.project.name.trim(),
            "department": sheet.project.department,
            "implementer": sheet.project.implementer,
            "year": sheet.project.year,
            "jurisdiction": sheet.project.jurisdiction,
        },
        "policy": {
            "name": policy.name,
            "jurisdiction": policy.jurisdiction,
            "year": policy.year,
            "file": policy.files.first(),
            "hash": policy.hash,
        },
        "budget": budget,
        "groups": groups,
        "indicators": indicators,
        "sum": num(score.sum),
        "inapplicable_points": num(score.inapplicable_points),
        "flags": flags(&score.flags, &|f| view.sheet_flag(f)),
        "audit": score.audit.iter().map(|f| json!({
            "check": f.check,
            "title": view.audit_title(f.check),
            "place": f.place,
            "values": f.values,
            "message": view.audit_line(f),
        })).collect::<Vec<_>>(),
        "skipped": sheet.skipped.iter().map(|r| json!({ "row": r.row, "line": r.line, "name": r.name })).collect::<Vec<_>>(),
    });
    if let (Some(origin), Some(map)) = (&sheet.origin, doc.as_object_mut()) {
        let cells = |list: &[crate::sheet::CellNote]| {
            list.iter()
                .map(|n| json!({ "cell": n.cell, "message": n.message.get(view.lang) }))
                .collect::<Vec<_>>()
        };
        map.insert(
            "read".into(),
            json!({ "from": origin.place, "problems": cells(&origin.problems), "notes": cells(&origin.notes) }),
        );
    }
    doc
}
