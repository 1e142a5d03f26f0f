//! The questionnaire layer without a terminal: the scripted prompter, the
//! layers' precedence, and the one list of answers.

use kubeplan::catalog::Catalog;
use kubeplan::questionnaire::{ask_all, resolve, Open, PartialAnswers, Scripted, FIELDS};
use serde_json::{json, Value};

#[test]
fn only_open_questions_are_asked_and_no_goes_round_again() {
    let qs = &Catalog::builtin().questions;
    let given = PartialAnswers {
        purpose: Some(kubeplan::plan::Purpose::Production),
        platform: Some(kubeplan::plan::Platform::OnPrem),
        ..Default::default()
    };
    let mut p = Scripted::default();
    // workload, apps, pods, traffic, zones, tolerate, storage, podCpu, podMemoryGiB
    p.answers.extend([
        json!("web"),
        json!(3),
        json!(300),
        json!("steady"),
        json!(3),
        Value::Null,
        json!("fast"),
        Value::Null,
        Value::Null,
    ]);
    p.confirms.push_back(true);
    let a = ask_all(&given, qs, &mut p).unwrap();
    // on-prem: `managed` does not apply; purpose and platform were given.
    assert_eq!(
        p.asked,
        [
            "workload",
            "apps",
            "pods",
            "traffic",
            "zones",
            "tolerate",
            "storage",
            "podCpu",
            "podMemoryGiB"
        ]
    );
    assert_eq!(a.pods, Some(300));
    assert_eq!(a.tolerate, Some(1), "production's default");
    assert_eq!(a.get("storage"), Some(json!(["fast"])));
    assert_eq!(a.pod_cpu, Some(0.25), "web's default request");

    // Complete answers go straight to the summary; "no" there asks every
    // question that applies again (on-prem: all but `managed`).
    let mut again = Scripted::default();
    again.answers.extend(std::iter::repeat_n(Value::Null, 20));
    again.confirms.extend([false, true]);
    let same = ask_all(&a, qs, &mut again).unwrap();
    assert_eq!(again.asked.len(), FIELDS.len() - 1, "{:?}", again.asked);
    assert!(!again.asked.contains(&"managed".to_string()));
    assert_eq!(same, a, "Enter keeps every answer");
}

#[test]
fn an_interrupted_script_resolves_nothing() {
    let qs = &Catalog::builtin().questions;
    let mut p = Scripted::default();
    let r = resolve(&PartialAnswers::default(), qs, Open::Ask(&mut p));
    assert!(r.unwrap_err().to_string().contains("interrupted"));
}

#[test]
fn every_answer_has_a_question_a_flag_and_a_schema_key() {
    let c = Catalog::builtin();
    let schema = kubeplan::questionnaire::questions::answers_schema();
    for (key, flag) in FIELDS {
        assert!(c.questions.question(key).is_some(), "{key} has no question");
        assert!(flag.starts_with("--"), "{key}: {flag}");
        assert!(
            schema["properties"].get(key).is_some(),
            "{key} is not in the answers schema"
        );
    }
    assert_eq!(c.questions.questions.len(), FIELDS.len());
}
