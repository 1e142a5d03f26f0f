//! API load balancer: the load balancer in front of the API servers.

use super::prelude::*;
use crate::plan::{LbPlacement, LbType};

pub const GROUP: &str = "API load balancer";

rule! {
    API_LB_MISSING: "api-lb-missing", Always(Error), Some(api_lb_missing),
    needs: [ControlPlane, LoadBalancer],
    summary: "Several control-plane nodes, or a tool that needs one, and no API load balancer.",
    what: "More than one self-managed control-plane node, or a tool that always puts the API behind a load balancer (kOps, whose clusters have no DNS records for the API), and no `apiLoadBalancer` (or `type: none`).",
    why: "Every kube-apiserver is active, but clients and kubelets are configured with one address; without a balancer they reach only one API server, and its loss cuts them off. kubeadm needs a stable controlPlaneEndpoint to join a second control plane.",
    fix: "Put a load balancer in front of the API servers: a cloud LB, or an HAProxy/nginx pair sharing a keepalived virtual IP.",
    near_miss: [(
            "disk: ssd}\n",
            "disk: ssd}\n  apiLoadBalancer: {type: haproxy, replicas: 1}\n",
        )],
}

fn api_lb_missing(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let tool = p
        .spec
        .tooling
        .filter(|t| ctx.catalog.tool(*t).is_some_and(|x| x.api_load_balancer));
    if p.managed() || (p.cp_nodes() <= 1 && tool.is_none()) {
        return vec![];
    }
    let lb = p.spec.api_load_balancer.as_ref();
    if lb.is_some_and(|l| l.kind != LbType::None) {
        return vec![];
    }
    if let (Some(t), true) = (tool, p.cp_nodes() <= 1) {
        return vec![Hit::new(
            lb.map_or("spec.tooling", |_| "spec.apiLoadBalancer.type"),
            format!("{t} builds the cluster without DNS records for the API: it puts the API behind a cloud load balancer, which the plan (and its bill of materials) leaves out"),
            "add `apiLoadBalancer: {type: cloud}`",
        )];
    }
    let field = if lb.is_some() {
        "spec.apiLoadBalancer.type"
    } else {
        "spec.controlPlane.nodes"
    };
    vec![Hit::new(
        field,
        format!(
            "{} control-plane nodes and no API load balancer: clients can reach only one API server",
            p.cp_nodes()
        ),
        "add `apiLoadBalancer`: a cloud LB, or an HAProxy pair sharing a keepalived virtual IP",
    )]
}

rule! {
    API_LB_SINGLE_POINT_OF_FAILURE: "api-lb-single-point-of-failure", ProductionOnly(Error), Some(api_lb_single_point_of_failure),
    needs: [LoadBalancer],
    summary: "A self-run API load balancer that is a single point of failure.",
    what: "A haproxy or nginx balancer with one replica, or several replicas without a virtual IP to share.",
    why: "All API traffic passes through the balancer; if it is one machine, its loss takes the API away however many control-plane nodes stand behind it. Running the one HAProxy on a control-plane node ties the API's availability to that node.",
    fix: "Run 2 or more replicas sharing a keepalived virtual IP, or use a cloud load balancer.",
    near_miss: [("replicas: 1", "replicas: 2\n    virtualIP: true")],
}

fn api_lb_single_point_of_failure(ctx: &Ctx) -> Vec<Hit> {
    let p = ctx.plan;
    let Some(lb) = p.spec.api_load_balancer.as_ref() else {
        return vec![];
    };
    if p.managed() || !matches!(lb.kind, LbType::Haproxy | LbType::Nginx) {
        return vec![];
    }
    let replicas = lb.replica_count();
    let on_cp = lb.placement == Some(LbPlacement::ControlPlane);
    let help = "run 2 or more replicas sharing a keepalived virtual IP (`virtualIP: true`), or use a cloud load balancer";
    if replicas <= 1 {
        let msg = if on_cp {
            format!("{} runs once, on one control-plane node: losing that node takes the API down for every client (a single HAProxy in front of every client)", lb.kind)
        } else {
            format!("the API load balancer is one {} machine: its loss takes the API down however many control-plane nodes stand behind it", lb.kind)
        };
        let field = if lb.replicas.is_some() {
            "spec.apiLoadBalancer.replicas"
        } else {
            "spec.apiLoadBalancer.type"
        };
        return vec![Hit::new(field, msg, help)];
    }
    if !lb.virtual_ip {
        return vec![Hit::new(
            "spec.apiLoadBalancer.virtualIP",
            format!("{replicas} {} replicas without a virtual IP: clients still point at one replica's address", lb.kind),
            "set `virtualIP: true` (keepalived moves one address between the replicas)",
        )];
    }
    vec![]
}
