//! JUnit XML, as GitLab, Jenkins and others read it: a test case per plan
//! (document), a failure per finding that fails the run, the other
//! findings in the case's `<system-out>`; a file that could not be read is
//! a case that fails. Held until the end: the counts come first.

use super::{Cases, Emitter, Framing, Part, Run};
use crate::diag::{Finding, Severity};
use crate::lint::DocReport;
use crate::plan::Document;
use crate::prose::xml_escape as xml;

/// The severity from which a finding fails the run (None: none does).
pub struct Junit(pub Option<Severity>);

/// One `<testcase>`.
struct Case {
    classname: String,
    name: String,
    failures: Vec<Failure>,
    /// The findings that do not fail the run, a line each.
    out: String,
}

/// One `<failure>`: its type (the rule), message and text.
struct Failure {
    rule: &'static str,
    message: String,
    text: String,
}

impl Case {
    fn xml(&self) -> String {
        let mut s = format!(
            "    <testcase classname=\"{}\" name=\"{}\">\n",
            xml(&self.classname),
            xml(&self.name)
        );
        for f in &self.failures {
            s.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                f.rule,
                xml(&f.message),
                f.text
            ));
        }
        if !self.out.is_empty() {
            s.push_str(&format!("      <system-out>{}</system-out>\n", self.out));
        }
        s.push_str("    </testcase>\n");
        s
    }
}

impl Junit {
    fn fails(&self, s: Severity) -> bool {
        self.0.is_some_and(|at| s >= at)
    }
}

impl Emitter for Junit {
    fn framing(&self) -> Framing {
        Framing::Held
    }

    fn document(&self, part: &mut Part, file: &str, doc: &Document, report: &DocReport) {
        let name = doc
            .plan
            .as_ref()
            .map_or(format!("document {}", doc.index + 1), |p| {
                p.metadata.name.clone()
            });
        let mut case = Case {
            classname: file.to_string(),
            name,
            failures: Vec::new(),
            out: String::new(),
        };
        for x in &report.findings {
            let at = format!("{}:{}:{}", x.file().unwrap_or(file), x.line(), x.column());
            let said = format!("{at}: {}[{}]: {}", x.severity, x.rule, xml(&x.message));
            match self.fails(x.severity) {
                true => case.failures.push(Failure {
                    rule: x.rule,
                    message: x.message.clone(),
                    text: format!("{said}\nhelp: {}", xml(&x.help)),
                }),
                false => case.out.push_str(&format!("{said}\n")),
            }
        }
        add(part, &case);
    }

    fn unreadable(&self, part: &mut Part, file: &str, x: &Finding, _doc: usize) {
        let case = Case {
            classname: file.to_string(),
            name: file.to_string(),
            failures: vec![Failure {
                rule: x.rule,
                message: x.message.clone(),
                text: format!(
                    "{}:{}:{}: error[{}]: {}",
                    xml(file),
                    x.line(),
                    x.column(),
                    x.rule,
                    xml(&x.message)
                ),
            }],
            out: String::new(),
        };
        add(part, &case);
    }

    fn end(&self, run: &Run) -> String {
        let Cases { tests, failures } = run.cases;
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubeplan\" tests=\"{tests}\" failures=\"{failures}\">\n  <testsuite name=\"kubeplan lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n{}  </testsuite>\n</testsuites>\n",
            run.held
        )
    }
}

fn add(part: &mut Part, case: &Case) {
    part.cases.tests += 1;
    part.cases.failures += usize::from(!case.failures.is_empty());
    part.chunks.push(case.xml());
}
