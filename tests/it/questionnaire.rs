//! The questionnaire layer without a terminal: the scripted prompter, the
//! layers' precedence, and the one list of answers.

use kubeplan::catalog::Catalog;
use kubeplan::questionnaire::{ask_all, resolve, Open, PartialAnswers, Scripted, FIELDS};
use serde_json::{json, Value};

#[test]
fn only_open_questions_are_asked_and_no_goes_round_again() {
    let qs = Catalog::builtin().questions();
    let given = PartialAnswers {
        purpose: Some(kubeplan::plan::Purpose::Production),
        platform: Some(kubeplan::plan::Platform::OnPrem),
        ..Default::default()
    };
    let mut p = Scripted::default();
    // workload, apps, pods, traffic, zones, tolerate, storage, podCpu,
    // podMemoryGiB, arch, podCIDR, serviceCIDR
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
        Value::Null,
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
            "podMemoryGiB",
            "arch",
            "podCIDR",
            "serviceCIDR"
        ]
    );
    assert_eq!(a.pods, Some(300));
    assert_eq!(a.tolerate, Some(1), "production's default");
    assert_eq!(a.get("storage"), Some(json!(["fast"])));
    assert_eq!(a.pod_cpu, Some(0.25), "web's default request");

    // Complete answers go straight to the summary; "no" there asks every
    // question that applies again (on-prem production: all but `managed`,
    // the cloud's region and the learning host's CPUs and memory).
    let mut again = Scripted::default();
    again.answers.extend(std::iter::repeat_n(Value::Null, 20));
    again.confirms.extend([false, true]);
    let same = ask_all(&a, qs, &mut again).unwrap();
    assert_eq!(again.asked.len(), FIELDS.len() - 4, "{:?}", again.asked);
    for skipped in ["managed", "region", "hostCpu", "hostMemoryGiB"] {
        assert!(!again.asked.contains(&skipped.to_string()));
    }
    assert_eq!(same, a, "Enter keeps every answer");
}

#[test]
fn an_interrupted_script_resolves_nothing() {
    let qs = Catalog::builtin().questions();
    let mut p = Scripted::default();
    let r = resolve(&PartialAnswers::default(), qs, Open::Ask(&mut p));
    assert!(r.unwrap_err().to_string().contains("interrupted"));
}

#[test]
fn every_answer_has_a_question_a_flag_and_a_schema_key() {
    let c = Catalog::builtin();
    let schema = kubeplan::questionnaire::questions::answers_schema(c.questions());
    for (key, flag) in FIELDS {
        assert!(
            c.questions().question(key).is_some(),
            "{key} has no question"
        );
        assert!(flag.starts_with("--"), "{key}: {flag}");
        assert!(
            schema["properties"].get(key).is_some(),
            "{key} is not in the answers schema"
        );
    }
    assert_eq!(c.questions().questions.len(), FIELDS.len());
}

#[test]
fn flags_win_over_file_over_preset() {
    let preset = PartialAnswers {
        pods: Some(10),
        zones: Some(3),
        apps: Some(1),
        ..Default::default()
    };
    let file = PartialAnswers {
        pods: Some(20),
        zones: Some(2),
        ..Default::default()
    };
    let flags = PartialAnswers {
        pods: Some(30),
        ..Default::default()
    };
    let merged = flags.over(&file.over(&preset));
    assert_eq!(merged.pods, Some(30));
    assert_eq!(merged.zones, Some(2));
    assert_eq!(merged.apps, Some(1));
}

#[test]
fn storage_answer_is_normalized_and_managed_is_false_on_prem() {
    use kubeplan::plan::{Platform, Purpose, StorageNeed, Traffic, WorkloadKind};
    use kubeplan::questionnaire::StorageAnswer;
    let a = PartialAnswers {
        purpose: Some(Purpose::Development),
        platform: Some(Platform::OnPrem),
        workload: Some(WorkloadKind::Web),
        apps: Some(1),
        pods: Some(1),
        traffic: Some(Traffic::Steady),
        zones: Some(1),
        tolerate: Some(0),
        storage: Some(StorageAnswer::Many(vec![
            StorageNeed::Shared,
            StorageNeed::Fast,
            StorageNeed::Shared,
        ])),
        pod_cpu: Some(0.1),
        pod_memory_gib: Some(0.1),
        managed: None,
        arch: Some(kubeplan::plan::ArchChoice::Amd64),
        host_cpu: Some(8),
        host_memory_gib: Some(16.0),
        pod_cidr: Some(kubeplan::questionnaire::fields::CidrAnswer::Auto),
        service_cidr: Some(kubeplan::questionnaire::fields::CidrAnswer::Auto),
        region: Some("auto".into()),
    };
    let done = a.complete().unwrap();
    assert_eq!(done.storage, vec![StorageNeed::Fast, StorageNeed::Shared]);
    assert!(!done.managed);
    let cloud = PartialAnswers {
        platform: Some(Platform::Aws),
        ..a
    };
    assert_eq!(cloud.complete().unwrap_err(), vec!["managed"]);
}

/// A managed control plane is not asked how many etcd failures to survive,
/// a learning cluster not about zones, failures or traffic; what is not
/// asked takes its default.
#[test]
fn questions_that_do_not_apply_are_not_asked() {
    use kubeplan::plan::{Platform, Purpose};
    let qs = Catalog::builtin().questions();
    let eks = PartialAnswers {
        purpose: Some(Purpose::Production),
        platform: Some(Platform::Aws),
        managed: Some(true),
        ..Default::default()
    };
    let mut p = Scripted::default();
    p.answers.extend(std::iter::repeat_n(Value::Null, 20));
    p.confirms.push_back(true);
    let (_, a) = resolve(&eks, qs, Open::Ask(&mut p)).unwrap();
    assert!(!p.asked.contains(&"tolerate".to_string()), "{:?}", p.asked);
    assert!(p.asked.contains(&"zones".to_string()));
    assert_eq!(a.tolerate, 1, "production's default");
    let learning = PartialAnswers {
        purpose: Some(Purpose::Learning),
        platform: Some(Platform::OnPrem),
        ..Default::default()
    };
    let mut p = Scripted::default();
    p.answers.extend(std::iter::repeat_n(Value::Null, 20));
    p.confirms.push_back(true);
    let (_, a) = resolve(&learning, qs, Open::Ask(&mut p)).unwrap();
    for skipped in ["zones", "tolerate", "traffic", "managed"] {
        assert!(
            !p.asked.contains(&skipped.to_string()),
            "{skipped}: {:?}",
            p.asked
        );
    }
    assert_eq!((a.zones, a.tolerate), (1, 0));
    // Without a terminal, an answer that does not apply is never "missing".
    let r = resolve(
        &PartialAnswers {
            workload: Some(kubeplan::plan::WorkloadKind::Web),
            apps: Some(1),
            pods: Some(5),
            storage: Some(kubeplan::questionnaire::StorageAnswer::One(
                kubeplan::plan::StorageNeed::None,
            )),
            ..learning
        },
        qs,
        Open::Refuse("test"),
    );
    assert!(r.is_ok(), "{:?}", r.err().map(|e| e.to_string()));
}
