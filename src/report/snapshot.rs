//! A score sheet as a small, stable, line-oriented text: what `jixiao snapshot` stores and
//! compares. Every line says one score and why, so a changed line reads as a changed result.

use std::fmt::Write;

use super::{View, plain};
use crate::score::*;

/// The snapshot text of one score sheet.
pub fn render(view: &View<'_>) -> String {
    let (policy, sheet, score) = (view.policy, view.sheet, view.score);
    let mut out = String::new();
    let _ = writeln!(out, "# jixiao score snapshot");
    let _ = writeln!(out, "sheet     {}", view.sheet_name);
    let _ = writeln!(out, "project   {}", sheet.project.name.trim());
    let _ = writeln!(
        out,
        "policy    {} {} · {} · {}",
        policy.jurisdiction,
        policy.year,
        policy.files.first().map_or("", String::as_str),
        policy.hash()
    );
    let _ = writeln!(out, "total     {}", view.fixed_total(score.total));
    if let Some((low, high)) = score.total_range {
        let grade = |g: Option<&Option<String>>| g.and_then(|g| g.as_deref()).unwrap_or("—").to_string();
        let range = score.grade_range.as_ref();
        let _ = writeln!(
            out,
            "range     {}–{} ({}–{})",
            view.fixed_total(low),
            view.fixed_total(high),
            grade(range.map(|r| &r.0)),
            grade(range.map(|r| &r.1))
        );
    }
    let _ = writeln!(out, "grade     {}", score.grade.as_deref().unwrap_or("—"));
    let _ = writeln!(out, "claimed   {}", score.claimed_total.map(plain).unwrap_or_else(|| "—".into()));
    let _ = writeln!(out, "complete  {}", if score.complete { "yes" } else { "no" });
    let flags = |list: &[FiredFlag]| -> String {
        list.iter()
            .map(|f| {
                let mut s = format!("  ⚑ {}", policy.flags[f.flag].name);
                if let Some(d) = f.deducted {
                    s.push_str(&format!(" −{}", plain(d)));
                }
                if let Some(c) = f.capped_at {
                    s.push_str(&format!(" ≤{}", plain(c)));
                }
                if f.undetermined {
                    s.push_str(" (cannot be checked yet)");
                }
                s
            })
            .collect()
    };
    let method = |m: Option<usize>, c: Option<usize>| -> String {
        match (m, c) {
            (Some(m), Some(c)) => format!("  ({} #{})", policy.methods[m].name, c + 1),
            (Some(m), None) => format!("  ({})", policy.methods[m].name),
            _ => String::new(),
        }
    };
    let _ = writeln!(out);
    if let Some(b) = &score.budget {
        let label = policy.scheme.budget.as_ref().map_or("budget", |x| x.label.as_str());
        let value = match (&b.score, &b.error) {
            (Some(s), _) => view.fixed(*s),
            (None, Some(e)) => format!("✗ {}", e.message().en),
            _ => "—".into(),
        };
        let _ = writeln!(
            out,
            "{label}  {value} / {}{}{}",
            plain(b.weight),
            method(b.method, b.clause),
            flags(&b.flags)
        );
    }
    for s in &score.indicators {
        let ind = &sheet.indicators[s.position];
        let l1 =
            s.level1.map_or_else(|| crate::text::normalize_label(&ind.level1), |n| view.node(n).to_string());
        let value = if s.not_applicable {
            "n/a".to_string()
        } else if matches!(s.weight_source, WeightSource::Detail { .. }) {
            "detail".to_string()
        } else if matches!(s.weight_source, WeightSource::Parts { .. }) {
            "parts".to_string()
        } else {
            match (&s.score, &s.error) {
                (Some(x), _) => view.fixed(*x),
                (None, Some(e)) => format!("✗ {}", e.message().en),
                _ => "—".into(),
            }
        };
        let mut line =
            format!("{l1}/{}  {value} / {}{}", view.path(s), plain(s.weight), method(s.method, s.clause));
        if let Some(t) = &s.tier {
            let tier = &policy.tiers[t.table].tiers[t.tier];
            line.push_str(&format!(" {}", tier.name.as_deref().or(tier.label.as_deref()).unwrap_or("?")));
        }
        line.push_str(&flags(&s.flags));
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);
    for g in &score.groups {
        let claimed = g.claimed.map(|c| format!("  claimed {}", plain(c))).unwrap_or_default();
        let _ = writeln!(
            out,
            "group {}  {} / {}{claimed}{}",
            view.group_label(g),
            view.fixed(g.score),
            plain(g.weight),
            flags(&g.flags)
        );
    }
    if !score.flags.is_empty() {
        let _ = writeln!(out, "sheet{}", flags(&score.flags));
    }
    for f in &score.audit {
        let place = match f.place {
            AuditPlace::Sheet => "sheet".to_string(),
            AuditPlace::Budget => "budget".to_string(),
            AuditPlace::Group { index } => {
                score.groups.get(index).map(|g| view.group_label(g)).unwrap_or_default()
            }
            AuditPlace::Row { position } => {
                score.indicators.get(position).map(|s| view.path(s)).unwrap_or_default()
            }
        };
        let _ = writeln!(out, "audit {}  {place}", f.check.english());
    }
    out
}
