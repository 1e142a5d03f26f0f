//! Reading `--workloads`: files, folders or `-`, each a stream of YAML or
//! JSON documents as `helm template`, `kustomize build` and `kubectl get -o
//! yaml` print them (`kind: List` included).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_saphyr::Spanned;

use super::model::{IntOrPercent, Kind, Pdb, Workload, WorkloadSet};
use super::pod::{label_selector, pod_spec, resource_list, Bad};
use super::requests::{apply_defaults, finish, LimitDefaults};
use crate::plan::node::Node;
use crate::plan::tree::At;
use crate::plan::{LoadError, Source};

/// API groups whose custom resources make pods the files do not show.
const OPERATOR_GROUPS: &[&str] = &[
    "monitoring.coreos.com",
    "elasticsearch.k8s.elastic.co",
    "kibana.k8s.elastic.co",
    "kafka.strimzi.io",
    "postgresql.cnpg.io",
    "acid.zalan.do",
    "rabbitmq.com",
    "argoproj.io",
    "redis.redis.opstreelabs.in",
    "databases.spotahome.com",
    "mongodbcommunity.mongodb.com",
    "minio.min.io",
    "pxc.percona.com",
    "psmdb.percona.com",
];

/// The kinds of those groups that make no pods.
const NOT_POD_MAKERS: &[&str] = &[
    "ServiceMonitor",
    "PodMonitor",
    "PrometheusRule",
    "Probe",
    "AlertmanagerConfig",
    "ScrapeConfig",
    "AppProject",
    "Application",
    "ApplicationSet",
];

/// The workload files a path stands for: itself, or every `.yaml`, `.yml`
/// and `.json` below a folder (hidden ones skipped), sorted.
pub fn expand(arg: &str) -> Result<Vec<String>, LoadError> {
    if arg == "-" || !Path::new(arg).is_dir() {
        return Ok(vec![arg.to_string()]);
    }
    let mut found = Vec::new();
    walk(Path::new(arg), &mut found).map_err(|e| LoadError::Read {
        path: arg.to_string(),
        reason: e.to_string().to_lowercase(),
    })?;
    if found.is_empty() {
        return Err(LoadError::Read {
            path: arg.to_string(),
            reason: "folder holds no .yaml, .yml or .json file".into(),
        });
    }
    found.sort();
    Ok(found
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect())
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type()?.is_dir() {
            walk(&path, found)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            found.push(path);
        }
    }
    Ok(())
}

/// The documents of one source, with positions.
pub fn documents(source: &Source) -> Result<Vec<Spanned<Node>>, LoadError> {
    serde_saphyr::from_multiple_with_options(&source.text, crate::plan::yaml::manifest_options())
        .map_err(|e| crate::plan::load::yaml_error(source, e))
}

/// Reads every path (files, folders, `-`) into one workload set.
pub fn read_paths(paths: &[String]) -> Result<WorkloadSet, LoadError> {
    let mut r = Reader::default();
    for arg in paths {
        for file in expand(arg)? {
            let source = crate::plan::load::read_source(&file)?;
            r.source(&source)?;
        }
    }
    Ok(r.finish())
}

/// Reads every path, carrying on past files that cannot be read or parsed
/// (as `lint` does with plans): the set of what could be read, and each
/// failed file with its error.
pub fn read_paths_lenient(paths: &[String]) -> (WorkloadSet, Vec<(String, LoadError)>) {
    let mut r = Reader::default();
    let mut errors = Vec::new();
    for arg in paths {
        let files = match expand(arg) {
            Ok(f) => f,
            Err(e) => {
                errors.push((arg.clone(), e));
                continue;
            }
        };
        for file in files {
            let read = crate::plan::load::read_source(&file).and_then(|s| r.source(&s));
            if let Err(e) = read {
                errors.push((file, e));
            }
        }
    }
    (r.finish(), errors)
}

/// Reads one source's text (tests, `-`).
pub fn read_text(name: &str, text: &str) -> Result<WorkloadSet, LoadError> {
    let mut r = Reader::default();
    r.source(&Source::new(name.to_string(), text.to_string()))?;
    Ok(r.finish())
}

/// Collects objects across files; LimitRanges and HPAs apply at the end.
#[derive(Default)]
pub struct Reader {
    set: WorkloadSet,
    limits: Vec<LimitDefaults>,
    /// (namespace, target kind, target name, min, max, where)
    hpas: Vec<(String, String, String, u32, u32)>,
}

impl Reader {
    pub fn source(&mut self, source: &Source) -> Result<(), LoadError> {
        let docs = documents(source)?;
        self.set.files += 1;
        let file: Arc<str> = Arc::from(source.name.as_str());
        for doc in &docs {
            let root = At::root(doc);
            if root.is_null() {
                continue;
            }
            self.set.documents += 1;
            self.object(&root, &file)
                .map_err(|(pos, reason)| LoadError::Parse {
                    path: source.name.clone(),
                    line: pos.line,
                    column: pos.column,
                    reason,
                })?;
        }
        Ok(())
    }

    fn object(&mut self, o: &At, file: &Arc<str>) -> Result<(), Bad> {
        let Some(kind) = o.kind() else {
            return Err((o.pos, "not a Kubernetes object: no `kind`".into()));
        };
        if let Some(items) = o.get("items").filter(|_| kind.ends_with("List")) {
            for item in items.items() {
                self.object(&item, file)?;
            }
            return Ok(());
        }
        let ns = o
            .at("metadata.namespace")
            .and_then(|n| n.text())
            .unwrap_or_else(|| "default".into());
        let name = o.name().unwrap_or("").to_string();
        match kind {
            "HorizontalPodAutoscaler" => self.hpa(o, ns),
            "PodDisruptionBudget" => self.pdb(o, ns, name, file),
            "LimitRange" => self.limit_range(o, ns),
            _ => match Kind::parse(kind) {
                Some(k) => self.workload(o, k, ns, name, file),
                None => {
                    self.other(o, kind, &ns, &name);
                    Ok(())
                }
            },
        }
    }

    fn other(&mut self, o: &At, kind: &str, ns: &str, name: &str) {
        *self.set.skipped.entry(kind.to_string()).or_default() += 1;
        let group = o.api_version().and_then(|v| v.split_once('/')).map(|g| g.0);
        let Some(group) = group else { return };
        let known = OPERATOR_GROUPS.contains(&group) && !NOT_POD_MAKERS.contains(&kind);
        let custom =
            group.contains('.') && !group.ends_with(".k8s.io") && o.at("spec.replicas").is_some();
        if known || custom {
            let replicas = o
                .at("spec.replicas")
                .and_then(|r| r.u32())
                .map_or(String::new(), |r| format!(", {r} replicas"));
            self.set
                .operator_made
                .push(format!("{kind}/{ns}/{name} ({group}{replicas})"));
        }
    }

    fn workload(
        &mut self,
        o: &At,
        kind: Kind,
        ns: String,
        name: String,
        file: &Arc<str>,
    ) -> Result<(), Bad> {
        let spec = o.get("spec");
        let mut notes = Vec::new();
        let (template, pods) = match kind {
            Kind::Pod => (Some(o.clone()), 1),
            Kind::DaemonSet => (spec.as_ref().and_then(|s| s.get("template")), 0),
            Kind::Job => {
                let s = spec.as_ref();
                (s.and_then(|s| s.get("template")), s.map_or(1, job_pods))
            }
            Kind::CronJob => {
                let job = o.at("spec.jobTemplate.spec");
                let pods = job.as_ref().map_or(1, job_pods);
                let policy = o.at("spec.concurrencyPolicy").and_then(|p| p.text());
                notes.push(match policy.as_deref() {
                    Some("Forbid" | "Replace") => format!("one run at a time (concurrencyPolicy {}): {pods} pod(s)", policy.unwrap_or_default()),
                    _ => format!("sized for one run ({pods} pod(s)); under concurrencyPolicy Allow (the default) runs can overlap and need more"),
                });
                (job.and_then(|j| j.get("template")), pods)
            }
            _ => {
                let r = spec.as_ref().and_then(|s| s.get("replicas"));
                (
                    spec.as_ref().and_then(|s| s.get("template")),
                    r.and_then(|r| r.u32()).unwrap_or(1),
                )
            }
        };
        let Some(template) = template else {
            return Err((
                o.pos,
                format!("{} {name}: no pod template (spec.template)", kind.name()),
            ));
        };
        let pspec = template.get("spec").ok_or_else(|| {
            (
                template.pos,
                format!("{} {name}: the pod template has no spec", kind.name()),
            )
        })?;
        let meta = template.get("metadata");
        let mut pod = pod_spec(meta, &pspec, &ns)?;
        pod.volumes |= o
            .at("spec.volumeClaimTemplates")
            .is_some_and(|v| !v.items().is_empty());
        self.set.workloads.push(Workload {
            kind,
            namespace: ns,
            name,
            pods,
            pod: Arc::new(pod),
            file: file.clone(),
            pos: o.pos,
            notes,
            hpa: None,
        });
        Ok(())
    }

    fn hpa(&mut self, o: &At, ns: String) -> Result<(), Bad> {
        let target = o.at("spec.scaleTargetRef");
        let field = |k: &str| {
            target
                .as_ref()
                .and_then(|t| t.get(k))
                .and_then(|v| v.text())
                .unwrap_or_default()
        };
        let min = o.at("spec.minReplicas").and_then(|m| m.u32()).unwrap_or(1);
        let max = o
            .at("spec.maxReplicas")
            .and_then(|m| m.u32())
            .ok_or_else(|| {
                (
                    o.pos,
                    "HorizontalPodAutoscaler without spec.maxReplicas".to_string(),
                )
            })?;
        self.hpas.push((ns, field("kind"), field("name"), min, max));
        Ok(())
    }

    fn pdb(&mut self, o: &At, namespace: String, name: String, file: &Arc<str>) -> Result<(), Bad> {
        let count = |k: &str| {
            o.at(&format!("spec.{k}")).and_then(|v| match v.str() {
                Some(s) if s.ends_with('%') => s
                    .trim_end_matches('%')
                    .parse()
                    .ok()
                    .map(IntOrPercent::Percent),
                _ => v.u32().map(IntOrPercent::Int),
            })
        };
        self.set.pdbs.push(Pdb {
            selector: label_selector(o.at("spec.selector"))?,
            min_available: count("minAvailable"),
            max_unavailable: count("maxUnavailable"),
            namespace,
            name,
            file: file.clone(),
            pos: o.pos,
        });
        Ok(())
    }

    fn limit_range(&mut self, o: &At, namespace: String) -> Result<(), Bad> {
        for l in o.at("spec.limits").map(|l| l.items()).unwrap_or_default() {
            if l.get("type").and_then(|t| t.str()) != Some("Container") {
                continue;
            }
            let mut default_request = resource_list(l.get("defaultRequest"))?;
            for (n, v) in resource_list(l.get("default"))? {
                if !default_request.iter().any(|(m, _)| *m == n) {
                    default_request.push((n, v));
                }
            }
            self.limits.push(LimitDefaults {
                namespace: namespace.clone(),
                default_request,
            });
        }
        Ok(())
    }

    /// Applies HPAs and LimitRanges, and computes every pod's requests.
    pub fn finish(mut self) -> WorkloadSet {
        let by_ns: BTreeMap<&str, &LimitDefaults> = self
            .limits
            .iter()
            .map(|l| (l.namespace.as_str(), l))
            .collect();
        for w in &mut self.set.workloads {
            let pod = Arc::make_mut(&mut w.pod);
            apply_defaults(pod, by_ns.get(w.namespace.as_str()).copied());
            finish(pod);
            tolerate_extended(pod);
            let hpa = self
                .hpas
                .iter()
                .find(|(ns, k, n, _, _)| *ns == w.namespace && k == w.kind.name() && *n == w.name);
            if let Some((_, _, _, min, max)) = hpa {
                w.notes.push(format!("a HorizontalPodAutoscaler scales it from {min} to {max} replicas: sized at {max}"));
                w.hpa = Some((*min, *max));
                w.pods = *max;
            }
        }
        self.set
    }
}

/// A pod that requests an extended resource (`nvidia.com/gpu`) tolerates
/// a NoSchedule taint of that name, as the ExtendedResourceToleration
/// admission plugin adds (GKE and AKS enable it).
fn tolerate_extended(pod: &mut super::model::PodSpec) {
    for (name, v) in pod.requests.ext.clone() {
        let has = pod
            .tolerations
            .iter()
            .any(|t| t.key.as_deref() == Some(name.as_str()));
        if v > 0 && !has {
            pod.tolerations.push(super::model::Toleration {
                key: Some(name),
                exists: true,
                value: String::new(),
                effect: Some("NoSchedule".into()),
            });
        }
    }
}

/// A Job's pods running at once: `parallelism` (default 1), at most `completions`.
fn job_pods(spec: &At) -> u32 {
    let parallelism = spec.get("parallelism").and_then(|p| p.u32()).unwrap_or(1);
    match spec.get("completions").and_then(|c| c.u32()) {
        Some(c) => parallelism.min(c),
        None => parallelism,
    }
}

/// A Pod manifest's scheduling view as written (no API-server or
/// LimitRange defaults): what `PodRequests` sees of a Pod object.
pub fn raw_pod(text: &str) -> Result<super::model::PodSpec, String> {
    let source = Source::new("pod".into(), text.to_string());
    let docs = documents(&source).map_err(|e| e.to_string())?;
    let doc = docs.first().ok_or("no document")?;
    let root = At::root(doc);
    let spec = root.get("spec").ok_or("no spec")?;
    let ns = root
        .at("metadata.namespace")
        .and_then(|n| n.text())
        .unwrap_or_else(|| "default".into());
    let mut p = pod_spec(root.get("metadata"), &spec, &ns).map_err(|(_, e)| e)?;
    finish(&mut p);
    Ok(p)
}
