//! Go/Kubernetes durations (`15s`, `1m30s`, `500ms`), Kubernetes quantities
//! (`500m` CPU, `512Mi` memory) and counts written with separators
//! (`1,000`, `1_000`), as flags, answers files and prompts take them.

/// Parses a Go duration into seconds. Accepts the units ns, us, µs, ms, s, m, h,
/// an optional sign, fractions (`1.5s`) and the bare `0`.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let s = text.trim();
    let (negative, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Ok(0.0);
    }
    if rest.is_empty() {
        return Err("not a duration".into());
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err("not a duration".into());
        }
        let number: f64 = rest[..num_len]
            .parse()
            .map_err(|_| "not a duration".to_string())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "" => return Err("a duration without a unit (add s, m or h)".into()),
            other => return Err(format!("a duration with the unknown unit `{other}`")),
        };
        total += number * scale;
        rest = &rest[unit_len..];
    }
    Ok(if negative { -total } else { total })
}

/// The suffixes of a Kubernetes quantity (apimachinery's resource.Quantity),
/// with the factor of each: binary (Ki … Ei), decimal (k … E), milli.
const SUFFIXES: [(&str, f64); 13] = [
    ("Ki", 1024.0),
    ("Mi", 1048576.0),
    ("Gi", 1073741824.0),
    ("Ti", 1099511627776.0),
    ("Pi", 1125899906842624.0),
    ("Ei", 1152921504606846976.0),
    ("k", 1e3),
    ("M", 1e6),
    ("G", 1e9),
    ("T", 1e12),
    ("P", 1e15),
    ("E", 1e18),
    ("m", 1e-3),
];

/// A number as a quantity: its value and its suffix (`""` for none).
fn quantity(text: &str) -> Result<(f64, &'static str), String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-')))
        .unwrap_or(t.len());
    let (num, suffix) = t.split_at(split);
    let value: f64 = num.parse().map_err(|_| format!("`{t}` is not a number"))?;
    if suffix.is_empty() {
        return Ok((value, ""));
    }
    match SUFFIXES.iter().find(|(s, _)| *s == suffix) {
        Some((s, factor)) => Ok((value * factor, s)),
        None => Err(match suggest_suffix(suffix) {
            Some(s) => format!("`{t}`: unknown suffix `{suffix}`; did you mean `{num}{s}`?"),
            None => format!(
                "`{t}`: unknown suffix `{suffix}`; Kubernetes quantities take Ki, Mi, Gi, Ti (or k, M, G, T) and m"
            ),
        }),
    }
}

/// The suffix meant by a near miss: `MB` → `M`, `GiB` → `Gi`, `gi` → `Gi`.
fn suggest_suffix(s: &str) -> Option<&'static str> {
    let bare = s
        .strip_suffix("iB")
        .map(|b| format!("{b}i"))
        .or_else(|| s.strip_suffix(['B', 'b']).map(str::to_string))
        .unwrap_or_else(|| s.to_string());
    SUFFIXES
        .iter()
        .map(|(k, _)| *k)
        .find(|k| k.eq_ignore_ascii_case(&bare) && *k != "m")
}

/// CPU, in cores: `2`, `0.5`, or millicores `500m`, as a pod's request is
/// written. A memory suffix is refused.
pub fn parse_cores(text: &str) -> Result<f64, String> {
    match quantity(text)? {
        (v, "" | "m" | "k") if v.is_finite() && v > 0.0 => Ok(v),
        (_, "" | "m" | "k") => Err(format!("`{}` is not a CPU amount above 0", text.trim())),
        (_, s) => Err(format!(
            "`{}` is a size in bytes ({s}), not CPU: give cores (2, 0.5) or millicores (500m)",
            text.trim()
        )),
    }
}

/// Memory, in GiB: a bare number is GiB (`0.5`); a quantity is bytes, as
/// Kubernetes writes it (`512Mi`, `1Gi`, `1G` = 10⁹ bytes).
pub fn parse_gib(text: &str) -> Result<f64, String> {
    let t = text.trim();
    match quantity(t)? {
        (_, "m") => Err(format!(
            "`{t}` is milli-bytes; did you mean `{}Mi`?",
            t.trim_end_matches('m')
        )),
        (v, "") if v.is_finite() && v > 0.0 => Ok(v),
        (v, _) if v.is_finite() && v > 0.0 => Ok(v / 1073741824.0),
        _ => Err(format!("`{t}` is not a memory size above 0")),
    }
}

/// A count: digits, grouped by `,` in threes (`1,000`) or by `_`
/// (`1_000`), as people write them.
pub fn parse_count(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let grouped = t.contains(',');
    if grouped {
        let mut parts = t.split(',');
        let head = parts.next().unwrap_or("");
        let ok = (1..=3).contains(&head.len()) && parts.all(|p| p.len() == 3);
        if !ok {
            return Err(format!(
                "`{t}` is not a count: a comma groups thousands (1,000); a decimal has a point"
            ));
        }
    }
    let digits: String = t.chars().filter(|c| !matches!(c, ',' | '_')).collect();
    if t.starts_with('_') || t.ends_with('_') || digits.is_empty() {
        return Err(format!("`{t}` is not a count"));
    }
    digits
        .parse::<u64>()
        .map_err(|_| match digits.parse::<f64>() {
            Ok(_) => format!("`{t}` is not a whole number"),
            Err(_) => format!("`{t}` is not a count"),
        })
}

/// A count that fits a `u32`.
pub fn parse_count32(text: &str) -> Result<u32, String> {
    let n = parse_count(text)?;
    u32::try_from(n).map_err(|_| format!("`{}` is too large", text.trim()))
}

/// Formats seconds the way Go prints short durations (`15s`, `1m30s`, `500ms`).
pub fn format_seconds(secs: f64) -> String {
    if secs != 0.0 && secs.abs() < 1.0 {
        return format!("{}ms", (secs * 1000.0).round());
    }
    let whole = secs.round() as i64;
    let (m, s) = (whole / 60, whole % 60);
    match (m, s) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration("15s"), Ok(15.0));
        assert_eq!(parse_duration("1m30s"), Ok(90.0));
        assert_eq!(parse_duration("500ms"), Ok(0.5));
        assert_eq!(parse_duration("1.5h"), Ok(5400.0));
        assert_eq!(parse_duration("0"), Ok(0.0));
        assert_eq!(parse_duration("-2s"), Ok(-2.0));
        assert!(parse_duration("15").is_err());
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("10d").is_err());
        assert!(parse_duration("").is_err());
        assert_eq!(format_seconds(90.0), "1m30s");
        assert_eq!(format_seconds(15.0), "15s");
    }

    #[test]
    fn quantities_and_counts() {
        assert_eq!(parse_cores("500m"), Ok(0.5));
        assert_eq!(parse_cores("2"), Ok(2.0));
        assert_eq!(parse_cores("0.25"), Ok(0.25));
        assert!(parse_cores("1Gi").unwrap_err().contains("not CPU"));
        assert!(parse_cores("0").is_err());
        assert_eq!(parse_gib("512Mi"), Ok(0.5));
        assert_eq!(parse_gib("1Gi"), Ok(1.0));
        assert_eq!(parse_gib("1G"), Ok(1e9 / 1073741824.0));
        assert_eq!(parse_gib("0.5"), Ok(0.5));
        assert_eq!(parse_gib("2048Ki"), Ok(2048.0 * 1024.0 / 1073741824.0));
        assert!(parse_gib("512MB")
            .unwrap_err()
            .contains("did you mean `512M`?"));
        assert!(parse_gib("1GiB")
            .unwrap_err()
            .contains("did you mean `1Gi`?"));
        assert!(parse_gib("1gi")
            .unwrap_err()
            .contains("did you mean `1Gi`?"));
        assert!(parse_gib("512m")
            .unwrap_err()
            .contains("did you mean `512Mi`?"));
        assert_eq!(parse_count("1,000"), Ok(1000));
        assert_eq!(parse_count("1_000"), Ok(1000));
        assert_eq!(parse_count("150,000"), Ok(150000));
        assert_eq!(parse_count("42"), Ok(42));
        assert!(parse_count("1,5").unwrap_err().contains("groups thousands"));
        assert!(parse_count("1.5").unwrap_err().contains("whole number"));
        assert!(parse_count("lots").is_err());
        assert!(parse_count("_1").is_err());
    }
}
