//! `kubeplan profiles` output: the presets and platform catalogs.

use crate::catalog::{Catalog, Limits, PlatformProfile};
use crate::prose::num;

fn limits_text(l: &Limits) -> String {
    format!(
        "{} nodes, {} pods/node, {} pods",
        num(l.max_nodes),
        l.max_pods_per_node,
        num(l.max_pods)
    )
}

fn answer(v: Option<impl ToString>) -> String {
    v.map_or("-".into(), |x| x.to_string())
}

pub fn overview(c: &Catalog, width: Option<u16>) -> String {
    let mut t = super::table(
        vec![
            "preset",
            "purpose",
            "platform",
            "pods",
            "zones",
            "description",
        ],
        width,
    );
    for (name, p) in c.presets() {
        let a = &p.answers;
        t.add_row(vec![
            name.clone(),
            answer(a.purpose),
            match (a.platform, a.managed) {
                (Some(pl), Some(true)) => format!("{pl} (managed)"),
                (pl, _) => answer(pl),
            },
            answer(a.pods.map(num)),
            answer(a.zones),
            p.description.clone(),
        ]);
    }
    let mut u = super::table(
        vec!["platform", "title", "tools", "limits", "instances"],
        width,
    );
    for (name, p) in c.platforms() {
        let tools = match p.tooling.managed {
            Some(m) => format!("{m} (managed), {}", p.tooling.self_managed),
            None => p.tooling.self_managed.to_string(),
        };
        let limits = match &p.limits.managed {
            Some(m) => format!(
                "{}; managed: {}",
                limits_text(&p.limits.self_managed),
                limits_text(m)
            ),
            None => limits_text(&p.limits.self_managed),
        };
        u.add_row(vec![
            name.to_string(),
            p.title.clone(),
            tools,
            limits,
            p.instances.len().to_string(),
        ]);
    }
    format!(
        "Presets (kubeplan design --profile NAME)\n{t}\n\nPlatform catalogs (kubeplan profiles NAME shows one)\n{u}\n"
    )
}

pub fn platform(p: &PlatformProfile, width: Option<u16>) -> String {
    let mut out = format!("{} ({})\n", p.title, p.name);
    out.push_str(&format!(
        "  limits, self-managed: {}\n",
        limits_text(&p.limits.self_managed)
    ));
    if let Some(m) = &p.limits.managed {
        out.push_str(&format!("  limits, managed:      {}\n", limits_text(m)));
    }
    out.push_str(&format!(
        "  tools: {}self-managed {}, learning {}\n",
        p.tooling
            .managed
            .map(|m| format!("managed {m}, "))
            .unwrap_or_default(),
        p.tooling.self_managed,
        p.tooling.learning
    ));
    out.push_str(&format!("  API load balancer: {}\n", p.load_balancer.title));
    for (role, s) in [
        ("fast", &p.storage.fast),
        ("shared", &p.storage.shared),
        ("standard", &p.storage.standard),
    ] {
        out.push_str(&format!(
            "  storage {role}: {} ({}, {})\n",
            s.name, s.medium, s.provisioner
        ));
    }
    if let Some(r) = &p.region {
        out.push_str(&format!(
            "  region: {r} ({} regions in the catalog)\n",
            p.regions.len()
        ));
    }
    if !p.design_zones().is_empty() {
        out.push_str(&format!("  zones: {}\n", p.design_zones().join(", ")));
    }
    if let Some(pr) = &p.prices {
        let source = pr
            .source
            .as_ref()
            .map_or(String::new(), |s| format!(" ({s})"));
        out.push_str(&format!(
            "  prices: {} on-demand, {}, as of {}{source}\n",
            pr.currency, pr.region, pr.date
        ));
    }
    let mut t = super::table(
        vec![
            "instance",
            "vCPU",
            "memory GiB",
            "arch",
            "class",
            "series",
            "$/hour",
        ],
        width,
    );
    for i in p.instances.iter() {
        let series = i.series.as_deref().unwrap_or_default().to_string();
        t.add_row(vec![
            i.name.to_string(),
            format!("{}", i.cpu),
            crate::prose::decimal(i.memory_gib),
            i.arch.to_string(),
            i.family.to_string(),
            match i.previous_generation {
                true => format!("{series} (previous)"),
                false => series,
            },
            i.price_per_hour.map_or("-".into(), |x| format!("{x:.4}")),
        ]);
    }
    format!("{out}{t}\n")
}
