//! The JSON score sheet against its published JSON Schema (`src/report/score-sheet.schema.json`):
//! every bundled example and every evaluation fixture, through the binary, must conform.
//!
//! The validator covers the keywords the schema uses: `type`, `enum`, `properties`, `required`,
//! `additionalProperties: false`, `items`, `minItems`, `maxItems`, `minimum` and local `$ref`.

use std::process::Command;

use serde_json::Value;

fn type_ok(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_u64() || v.is_i64(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => false,
    }
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
        Some(name) => &root["$defs"][name],
        None => schema,
    }
}

fn validate(root: &Value, schema: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    let schema = resolve(root, schema);
    if let Some(t) = schema.get("type") {
        let ok = match t {
            Value::String(t) => type_ok(v, t),
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(|t| type_ok(v, t)),
            _ => false,
        };
        if !ok {
            errors.push(format!("{path}: {v} is not of type {t}"));
            return;
        }
    }
    if let Some(Value::Array(options)) = schema.get("enum")
        && !options.contains(v)
    {
        errors.push(format!("{path}: {v} is not one of {options:?}"));
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
        && v.as_f64().is_some_and(|x| x < min)
    {
        errors.push(format!("{path}: {v} is below {min}"));
    }
    if let Value::Object(map) = v {
        let props = schema.get("properties").and_then(Value::as_object);
        for key in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if let Some(k) = key.as_str()
                && !map.contains_key(k)
            {
                errors.push(format!("{path}: `{k}` is missing"));
            }
        }
        for (k, x) in map {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(root, s, x, &format!("{path}.{k}"), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{path}: `{k}` is not in the schema"))
                }
                None => {}
            }
        }
    }
    if let Value::Array(list) = v {
        let len = list.len() as u64;
        if schema.get("minItems").and_then(Value::as_u64).is_some_and(|m| len < m)
            || schema.get("maxItems").and_then(Value::as_u64).is_some_and(|m| len > m)
        {
            errors.push(format!("{path}: {len} items"));
        }
        if let Some(items) = schema.get("items") {
            for (i, x) in list.iter().enumerate() {
                validate(root, items, x, &format!("{path}[{i}]"), errors);
            }
        }
    }
}

fn eval_json(paths: &[String]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["eval", "--format", "json", "--lang", "zh"])
        .args(paths)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("JIXIAO_RULES")
        .output()
        .expect("the binary runs");
    serde_json::from_slice(&out.stdout).expect("the report is JSON")
}

fn sheets_under(dir: &str) -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        let mut entries: Vec<_> =
            std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().is_some_and(|n| n == "sheet.toml" || n == "sheet.json")
                || p.parent().is_some_and(|d| d.ends_with("examples"))
                    && p.extension().is_some_and(|e| e == "toml" || e == "json" || e == "xlsx")
            {
                out.push(p.to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut out);
    out
}

#[test]
fn the_schema_is_the_one_the_library_publishes() {
    let file = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/report/score-sheet.schema.json"),
    )
    .expect("schema file");
    assert_eq!(file, jixiao::report::json::SCHEMA);
    let schema: Value = serde_json::from_str(&file).expect("the schema is JSON");
    assert_eq!(schema["type"], "object");
}

#[test]
fn every_score_sheet_conforms_to_the_schema() {
    let schema: Value = serde_json::from_str(jixiao::report::json::SCHEMA).expect("schema");
    let mut sheets = sheets_under("examples");
    sheets.extend(sheets_under("tests/fixtures/eval"));
    assert!(sheets.len() > 20, "{sheets:?}");
    let Value::Array(reports) = eval_json(&sheets) else { panic!("an array for several sheets") };
    assert_eq!(reports.len(), sheets.len());
    let mut errors = Vec::new();
    for r in &reports {
        let name = r["sheet"].as_str().unwrap_or("?").to_string();
        validate(&schema, &schema, r, &name, &mut errors);
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let schema: Value = serde_json::from_str(jixiao::report::json::SCHEMA).expect("schema");
    let Value::Array(mut reports) = eval_json(&sheets_under("examples")) else { panic!("array") };
    let mut r = reports.remove(0);
    r["total"] = Value::String("88.80".into());
    r["extra"] = Value::Bool(true);
    if let Some(map) = r.as_object_mut() {
        map.remove("grade");
    }
    let mut errors = Vec::new();
    validate(&schema, &schema, &r, "r", &mut errors);
    assert_eq!(errors.len(), 3, "{errors:?}");
}
