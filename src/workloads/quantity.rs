//! Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`, `128974848`), read
//! exactly as `k8s.io/apimachinery/pkg/api/resource` reads them: decimal
//! arithmetic, rounded up to the unit asked for (`MilliValue`, `Value`).

/// A quantity as an exact fraction `num / den`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Exact {
    num: i128,
    den: i128,
}

/// The quantity in millis (CPU in millicores), rounded up as `MilliValue` does.
pub fn milli(text: &str) -> Result<i64, String> {
    parse(text).map(|q| ceil_div(q.num.saturating_mul(1000), q.den))
}

/// The quantity in units (memory and storage in bytes, counts), rounded up
/// as `Value` does.
pub fn units(text: &str) -> Result<i64, String> {
    parse(text).map(|q| ceil_div(q.num, q.den))
}

fn ceil_div(num: i128, den: i128) -> i64 {
    let q = num.div_euclid(den) + i128::from(num.rem_euclid(den) != 0);
    i64::try_from(q).unwrap_or(if q > 0 { i64::MAX } else { i64::MIN })
}

/// The suffixes Kubernetes accepts: binary (`Ki`…`Ei`) and decimal (`n`…`E`).
fn suffix(s: &str) -> Option<(i128, i128)> {
    let pow = |b: i128, e: u32| b.pow(e);
    Some(match s {
        "" => (1, 1),
        "Ki" => (pow(1024, 1), 1),
        "Mi" => (pow(1024, 2), 1),
        "Gi" => (pow(1024, 3), 1),
        "Ti" => (pow(1024, 4), 1),
        "Pi" => (pow(1024, 5), 1),
        "Ei" => (pow(1024, 6), 1),
        "n" => (1, pow(10, 9)),
        "u" => (1, pow(10, 6)),
        "m" => (1, pow(10, 3)),
        "k" => (pow(10, 3), 1),
        "M" => (pow(10, 6), 1),
        "G" => (pow(10, 9), 1),
        "T" => (pow(10, 12), 1),
        "P" => (pow(10, 15), 1),
        "E" => (pow(10, 18), 1),
        _ => return None,
    })
}

fn parse(text: &str) -> Result<Exact, String> {
    let bad = || {
        format!("`{text}` is not a Kubernetes quantity (a number with an optional unit: 500m, 2, 512Mi, 1Gi, 1G)")
    };
    let s = text.trim();
    let (negative, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let end = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (number, unit) = body.split_at(end);
    if number.is_empty() || number == "." || number.matches('.').count() > 1 {
        return Err(bad());
    }
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if int.len() + frac.len() > 30 {
        return Err(bad());
    }
    let digits: i128 = format!("{int}{frac}").parse().map_err(|_| bad())?;
    let mut den = 10i128.pow(frac.len() as u32);
    let (mul, div) = match suffix(unit) {
        Some(m) => m,
        None => exponent(unit).ok_or_else(bad)?,
    };
    den = den.saturating_mul(div);
    let num = digits.saturating_mul(mul);
    Ok(Exact {
        num: if negative { -num } else { num },
        den,
    })
}

/// `e3`, `E-2`: a decimal exponent.
fn exponent(unit: &str) -> Option<(i128, i128)> {
    let e: i32 = unit.strip_prefix(['e', 'E'])?.parse().ok()?;
    if e.unsigned_abs() > 18 {
        return None;
    }
    let p = 10i128.pow(e.unsigned_abs());
    Some(if e >= 0 { (p, 1) } else { (1, p) })
}

/// Bytes as a short binary quantity (`512Mi`, `1.5Gi`).
pub fn bytes_text(b: i64) -> String {
    const UNITS: [(&str, f64); 4] = [
        ("Ti", 1_099_511_627_776.0),
        ("Gi", 1_073_741_824.0),
        ("Mi", 1_048_576.0),
        ("Ki", 1024.0),
    ];
    for (u, size) in UNITS {
        if b as f64 >= size {
            return format!("{}{u}", crate::prose::decimal(b as f64 / size));
        }
    }
    b.to_string()
}

/// Millicores as Kubernetes writes them (`250m`, `2`, `1.5`).
pub fn milli_text(m: i64) -> String {
    if m % 1000 == 0 {
        (m / 1000).to_string()
    } else {
        format!("{m}m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_apimachinery_does() {
        assert_eq!(milli("500m").unwrap(), 500);
        assert_eq!(milli("0.1").unwrap(), 100);
        assert_eq!(milli("1").unwrap(), 1000);
        assert_eq!(milli("100u").unwrap(), 1, "rounded up");
        assert_eq!(units("1Gi").unwrap(), 1 << 30);
        assert_eq!(units("1G").unwrap(), 1_000_000_000);
        assert_eq!(units("1.5Gi").unwrap(), 3 << 29);
        assert_eq!(units("128974848").unwrap(), 128_974_848);
        assert_eq!(units("129e6").unwrap(), 129_000_000);
        assert_eq!(units("123Mi").unwrap(), 123 * 1024 * 1024);
        assert_eq!(units("0.5").unwrap(), 1, "rounded up");
        assert!(units("1GB").is_err());
        assert!(units("").is_err());
        assert!(units("Gi").is_err());
    }
}
