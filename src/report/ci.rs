//! Lint output for CI systems: GitHub Actions workflow commands (an
//! annotation per finding) and JUnit XML (a test case per plan, a failure
//! per finding that fails the run), as GitLab, Jenkins and others read it.

use super::lint::FileReport;
use crate::diag::Severity;

/// A workflow command's property value: `%`, CR, LF, `:` and `,` escaped
/// (GitHub's `toolkit/core` `escapeProperty`).
fn property(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// A workflow command's message: `%`, CR and LF escaped (`escapeData`).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `::error file=…,line=…,col=…,title=RULE::message` (`warning` for
/// warnings, `notice` for infos; no line or column when unknown).
pub fn github_line(file: &str, x: &crate::diag::Finding) -> String {
    let level = match x.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let at = match x.line {
        0 => String::new(),
        l => format!(",line={l},col={}", x.column.max(1)),
    };
    format!(
        "::{level} file={}{at},title={}::{}\n",
        property(file),
        property(x.rule),
        data(&format!("{} (help: {})", x.message, x.help))
    )
}

/// A workflow command per finding of a file.
pub fn github_file(f: &FileReport) -> String {
    f.docs
        .iter()
        .flat_map(|(_, r)| &r.findings)
        .map(|x| github_line(x.file.as_deref().unwrap_or(&f.file), x))
        .collect()
}

/// The test case of a file that could not be read: one failure.
pub fn junit_unreadable(file: &str, x: &crate::diag::Finding) -> String {
    format!(
        "    <testcase classname=\"{0}\" name=\"{0}\">\n      <failure type=\"{1}\" message=\"{2}\">{0}:{3}:{4}: error[{1}]: {2}</failure>\n    </testcase>\n",
        xml(file),
        x.rule,
        xml(&x.message),
        x.line,
        x.column
    )
}

use crate::prose::xml_escape as xml;

/// One `<testcase>` per plan (document): a `<failure>` per finding that
/// fails the run (`fails`), the others in `<system-out>`. Returns the XML,
/// the number of test cases, and how many of them failed.
pub fn junit_cases(f: &FileReport, fails: &dyn Fn(Severity) -> bool) -> (String, usize, usize) {
    let mut out = String::new();
    let mut failures = 0;
    for (d, r) in &f.docs {
        let name = d
            .plan
            .as_ref()
            .map_or(format!("document {}", d.index + 1), |p| {
                p.metadata.name.clone()
            });
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\">\n",
            xml(&f.file),
            xml(&name)
        ));
        let mut notes = String::new();
        let mut failed = false;
        for x in &r.findings {
            let at = format!(
                "{}:{}:{}",
                x.file.as_deref().unwrap_or(&f.file),
                x.line,
                x.column
            );
            match fails(x.severity) {
                true => {
                    failed = true;
                    out.push_str(&format!(
                        "      <failure type=\"{}\" message=\"{}\">{at}: {}[{}]: {}\nhelp: {}</failure>\n",
                        x.rule,
                        xml(&x.message),
                        x.severity,
                        x.rule,
                        xml(&x.message),
                        xml(&x.help)
                    ));
                }
                false => notes.push_str(&format!(
                    "{at}: {}[{}]: {}\n",
                    x.severity,
                    x.rule,
                    xml(&x.message)
                )),
            }
        }
        if !notes.is_empty() {
            out.push_str(&format!("      <system-out>{notes}</system-out>\n"));
        }
        out.push_str("    </testcase>\n");
        failures += usize::from(failed);
    }
    (out, f.docs.len(), failures)
}

/// The JUnit document around its test cases.
pub fn junit(cases: &str, tests: usize, failures: usize) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubeplan\" tests=\"{tests}\" failures=\"{failures}\">\n  <testsuite name=\"kubeplan lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n{cases}  </testsuite>\n</testsuites>\n"
    )
}
