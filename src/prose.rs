//! How numbers read in every message, table and report: one set of
//! formatters, so a count or a size looks the same in `lint`, `design`,
//! `bom` and the prompts.

/// A count with thousands separators: `150,000`.
pub fn num(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A count and its noun: `1 node`, `5,000 nodes`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", num(n))
    }
}

/// A quantity (vCPUs, GiB, a bound) as a figure a program can read back:
/// whole numbers plain (`1024`), fractions as written when they have up to 3
/// decimals (`0.125`), else rounded to 2 (`7.33`).
pub fn decimal(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let plain = format!("{v}");
    let places = match plain.split_once('.') {
        Some((_, decimals)) if decimals.len() <= 3 => return plain,
        _ if !v.is_finite() => return plain,
        // Below 1, three significant digits (0.0005, 0.333); else 2 places.
        _ if v.abs() < 1.0 => (2 - v.abs().log10().floor() as i64).clamp(2, 12) as usize,
        _ => 2,
    };
    let s = format!("{v:.places$}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A quantity in prose: whole numbers as counts (`1,552`), else
/// [`decimal`].
pub fn amount(v: f64) -> String {
    if v.fract() == 0.0 && (0.0..1e15).contains(&v) {
        num(v as u64)
    } else {
        decimal(v)
    }
}

/// The closest candidate to a misspelt word, if any is close enough (for
/// "did you mean" hints).
pub fn closest<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let lower = word.to_lowercase();
    let all: Vec<&str> = candidates.collect();
    // A start of exactly one candidate (`prod` for `production`) is that one.
    let starts: Vec<&&str> = all
        .iter()
        .filter(|c| lower.len() >= 2 && c.to_lowercase().starts_with(&lower))
        .collect();
    if let [only] = starts[..] {
        return Some(only);
    }
    all.into_iter()
        .map(|c| (strsim::levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Up to three candidates nearest a misspelt name, nearest first (for a
/// did-you-mean that lists several: instance types differ by a letter).
pub fn nearest<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Vec<&'c str> {
    let lower = word.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|c| (strsim::levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// "did you mean A, B or C?" for the candidates nearest a misspelt name,
/// or None when none is near.
pub fn did_you_mean<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<String> {
    let near: Vec<String> = nearest(word, candidates)
        .into_iter()
        .map(str::to_string)
        .collect();
    (!near.is_empty()).then(|| format!("did you mean {}?", or_list(&near)))
}

/// US dollars with cents and thousands separators: `$1,234.50`.
pub fn usd(v: f64) -> String {
    let cents = (v * 100.0).round() as u64;
    format!("${}.{:02}", num(cents / 100), cents % 100)
}

/// Text for XML (SVG, JUnit): the five predefined entities escaped.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// An optional quantity for tables: `-` when absent.
pub fn decimal_or_dash(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), decimal)
}

/// Items as a sentence lists them: `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Alternatives as a sentence lists them: `a`, `a or b`, `a, b or c`.
pub fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// A noun with its indefinite article: "an eksctl ClusterConfig", "a kOps cluster".
pub fn a(noun: &str) -> String {
    match noun.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {noun}"),
        _ => format!("a {noun}"),
    }
}

/// Prose wrapped to `width` columns at word boundaries (never inside a
/// word, nor at a hyphen of a flag such as `--pod-cpu`); `None`: as is.
pub fn wrap(text: &str, width: Option<u16>) -> String {
    let Some(w) = width else {
        return text.to_string();
    };
    let opts = textwrap::Options::new(usize::from(w).max(20))
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    text.split('\n')
        .map(|line| {
            // A comment's lines go on as comments (`  # …`).
            let spaces: String = line.chars().take_while(|c| *c == ' ').collect();
            let indent = match line[spaces.len()..].starts_with("# ") {
                true => format!("{spaces}# "),
                false => spaces,
            };
            let o = opts.clone().subsequent_indent(&indent);
            textwrap::fill(line, o)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_at_words() {
        let help = "fast: SSD block volumes (databases); shared: ReadWriteMany network volumes; nothing ticked: no persistent volumes (space to toggle, enter to accept)";
        for w in [40u16, 80, 120] {
            let out = wrap(help, Some(w));
            assert!(
                out.lines().all(|l| l.chars().count() <= usize::from(w)),
                "{w}: {out}"
            );
            assert_eq!(
                out.split_whitespace().collect::<Vec<_>>(),
                help.split_whitespace().collect::<Vec<_>>()
            );
        }
        assert_eq!(wrap("use --pod-cpu here", Some(20)), "use --pod-cpu here");
        assert_eq!(
            wrap("  # a comment that goes on", Some(16)),
            "  # a comment that\n  # goes on"
        );
        assert_eq!(wrap("as is", None), "as is");
    }

    #[test]
    fn and_list_reads_as_a_sentence() {
        let s = |v: &[&str]| and_list(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&[]), "");
        assert_eq!(s(&["a"]), "a");
        assert_eq!(s(&["a", "b"]), "a and b");
        assert_eq!(s(&["a", "b", "c"]), "a, b and c");
    }

    #[test]
    fn closest_takes_a_unique_start_or_a_near_spelling() {
        let words = ["learning", "development", "testing", "production"];
        assert_eq!(closest("prod", words.iter().copied()), Some("production"));
        assert_eq!(
            closest("prodution", words.iter().copied()),
            Some("production")
        );
        assert_eq!(closest("xyz", words.iter().copied()), None);
        // Two candidates start so: no guess from the start alone.
        assert_eq!(closest("te", ["testing", "terminal"].iter().copied()), None);
    }

    #[test]
    fn numbers_read_the_same_everywhere() {
        assert_eq!(num(0), "0");
        assert_eq!(num(999), "999");
        assert_eq!(num(1000), "1,000");
        assert_eq!(num(150_000), "150,000");
        assert_eq!(plural(1, "node", "nodes"), "1 node");
        assert_eq!(plural(5000, "node", "nodes"), "5,000 nodes");
        assert_eq!(decimal(4.0), "4");
        assert_eq!(decimal(6193.0), "6193");
        assert_eq!(decimal(0.125), "0.125");
        assert_eq!(decimal(7.5), "7.5");
        assert_eq!(decimal(22.0 / 3.0), "7.33");
        assert_eq!(decimal(-2.0), "-2");
        assert_eq!(decimal(0.0005), "0.0005");
        assert_eq!(decimal(1.0 / 3.0), "0.333");
        assert_eq!(decimal_or_dash(None), "-");
        assert_eq!(a("eksctl ClusterConfig"), "an eksctl ClusterConfig");
        assert_eq!(a("kOps cluster"), "a kOps cluster");
    }
}
