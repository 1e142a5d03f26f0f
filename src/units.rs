//! Go/Kubernetes durations (`15s`, `1m30s`, `500ms`).

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
}
