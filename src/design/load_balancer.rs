//! The API load balancer: the cloud's, a dedicated pair sharing a
//! keepalived virtual IP (production on-prem), or one on each control-plane
//! node beside kube-apiserver (development and testing).

use super::{DesignError, Draft, Input, Topic};
use crate::plan::{ApiLoadBalancer, LbPlacement, LbType, Medium};
use crate::prose::plural;

pub fn run(i: &Input, d: &mut Draft) -> Result<(), DesignError> {
    if i.learning() || d.managed.is_some() {
        return Ok(());
    }
    let port = i.c.kubernetes.design.api_server_port;
    let tool = d.plan.spec.tooling;
    let required = tool
        .and_then(|t| i.c.tool(t))
        .is_some_and(|t| t.api_load_balancer);
    if required {
        d.why(
            Topic::ApiLoadBalancer,
            "API load balancer: cloud",
            format!(
                "{} builds the cluster without DNS records for the API, so clients reach the {} through the {}: the plan, its bill of materials and the exported files all carry it",
                tool.map_or("the tool", |t| t.as_str()),
                plural(u64::from(d.cp_nodes), "API server", "API servers"),
                i.prof.load_balancer.title
            ),
        );
        d.plan.spec.api_load_balancer = Some(ApiLoadBalancer {
            port: Some(port),
            ..ApiLoadBalancer::cloud()
        });
        return Ok(());
    }
    if d.cp_nodes <= 1 {
        d.why(
            Topic::ApiLoadBalancer,
            "API load balancer: none",
            format!("one control-plane node: clients reach its API server on port {port} directly; a load balancer comes with a second control plane"),
        );
        return Ok(());
    }
    let lb = choose(i, d.cp_nodes);
    let title = &i.prof.load_balancer.title;
    let why = match (lb.kind, lb.placement) {
        (LbType::Cloud, _) => format!("{title} in front of the {} API servers: the provider keeps it highly available, so it is no single point of failure", d.cp_nodes),
        (_, Some(LbPlacement::Dedicated)) => format!("{title}: {} {} machines share a keepalived virtual IP on port {}, so losing {} (or any control-plane node) keeps the API reachable", lb.replica_count(), lb.kind, i.c.lb_port(&lb), plural(u64::from(lb.replica_count() - 1), "balancer", "balancers")),
        _ => format!("{} and keepalived on each control-plane node share a virtual IP; {} listens on {} because kube-apiserver holds {port} on the same machines", lb.kind, lb.kind, i.c.lb_port(&lb)),
    };
    let what = match lb.kind {
        LbType::Cloud => "API load balancer: cloud".to_string(),
        k => format!(
            "API load balancer: {k} x{} with a virtual IP",
            lb.replica_count()
        ),
    };
    d.why(Topic::ApiLoadBalancer, what, why);
    if lb.virtual_ip && i.a.zones >= 2 {
        d.why(
            Topic::ApiLoadBalancer,
            "API load balancer: the virtual IP needs one subnet",
            format!("keepalived moves its virtual IP with VRRP inside one IP subnet (kubeadm's ha-considerations): the {} hosts must share a layer-2 network across the {} zones; where the zones are routed apart, announce the address with BGP instead (kube-vip in BGP mode) or put an external load balancer in front", lb.kind, i.a.zones),
        );
    }
    d.plan.spec.api_load_balancer = Some(lb);
    Ok(())
}

fn choose(i: &Input, cp_nodes: u32) -> ApiLoadBalancer {
    let dp = &i.c.kubernetes.design;
    match i.prof.load_balancer.kind {
        LbType::Cloud | LbType::None => ApiLoadBalancer {
            port: Some(dp.api_server_port),
            ..ApiLoadBalancer::cloud()
        },
        // Enough balancers for the failures to tolerate, as etcd has.
        kind if i.production() => {
            let m = &i.c.kubernetes.sizing.load_balancer_machine;
            ApiLoadBalancer {
                kind,
                replicas: Some(dp.load_balancer_replicas.max(i.a.tolerate + 1)),
                virtual_ip: true,
                placement: Some(LbPlacement::Dedicated),
                port: Some(dp.api_server_port),
                machine: Some(m.machine(Some(Medium::Ssd))),
            }
        }
        kind => ApiLoadBalancer {
            kind,
            replicas: Some(cp_nodes),
            virtual_ip: true,
            placement: Some(LbPlacement::ControlPlane),
            port: Some(dp.load_balancer_port_on_control_plane),
            machine: None,
        },
    }
}
