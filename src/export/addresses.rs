//! The hosts a plan's machines get. A plan has no IP addresses: an
//! addresses file (`--addresses FILE`) gives them; without one, exported
//! files use documentation addresses from 192.0.2.0/24 (RFC 5737), and say so.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::plan::{ClusterPlan, EtcdTopology, LbPlacement};

/// The addresses file's JSON Schema (draft-07), as `kubeplan schema
/// addresses` prints it: `docs/addresses.schema.json`, generated from
/// [`Addresses`] by [`generate_schema`] and compiled in (a test fails when
/// the file is stale).
pub const JSON_SCHEMA: &str = include_str!("../../docs/addresses.schema.json");

/// The JSON Schema of [`Addresses`], generated with schemars.
pub fn generate_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<Addresses>();
    format!(
        "{:#}\n",
        serde_json::to_value(schema).unwrap_or(serde_json::Value::Null)
    )
}

/// One host: its name and address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Host {
    pub name: String,
    pub ip: IpAddr,
}

/// An addresses file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Addresses {
    /// The API's virtual IP, which keepalived moves between the load balancers.
    #[serde(rename = "virtualIP")]
    pub virtual_ip: Option<IpAddr>,
    /// The network interface keepalived negotiates the virtual IP on.
    pub interface: Option<String>,
    /// The control-plane nodes, in order.
    #[serde(default)]
    pub control_plane: Vec<Host>,
    /// The external etcd members (a stacked etcd runs on the control plane).
    #[serde(default)]
    pub etcd: Vec<Host>,
    /// The hosts that run the API load balancer, when they are dedicated.
    #[serde(default)]
    pub load_balancers: Vec<Host>,
}

/// The hosts of one plan, every role filled.
#[derive(Debug, Clone, PartialEq)]
pub struct Hosts {
    pub virtual_ip: Option<IpAddr>,
    pub interface: String,
    pub control_plane: Vec<Host>,
    /// Every etcd member: the control plane when etcd is stacked.
    pub etcd: Vec<Host>,
    /// Whether etcd runs on the control-plane hosts.
    pub stacked_etcd: bool,
    pub load_balancers: Vec<Host>,
    /// True when the addresses are documentation ones, not the user's.
    pub documentation: bool,
}

/// The interface assumed when an addresses file does not name one.
pub const DEFAULT_INTERFACE: &str = "eth0";

/// How many hosts of each role a plan has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub control_plane: usize,
    /// External etcd members (0 when stacked).
    pub etcd: usize,
    /// Dedicated load-balancer hosts (0 when on the control plane or none).
    pub load_balancers: usize,
    pub virtual_ip: bool,
}

impl Counts {
    pub fn of(plan: &ClusterPlan) -> Counts {
        let control_plane = plan.cp_nodes() as usize;
        let etcd = match plan.etcd_topology() {
            Some(EtcdTopology::External) => plan.etcd_members() as usize,
            _ => 0,
        };
        let (load_balancers, virtual_ip) = match &plan.spec.api_load_balancer {
            Some(lb) if lb.kind.needs_hosts() => {
                let replicas = lb.replica_count() as usize;
                let dedicated = lb.placement != Some(LbPlacement::ControlPlane);
                (if dedicated { replicas } else { 0 }, lb.virtual_ip)
            }
            _ => (0, false),
        };
        Counts {
            control_plane,
            etcd,
            load_balancers,
            virtual_ip,
        }
    }
}

/// Addresses that cannot serve a plan: one line each.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum AddressError {
    #[error("`{role}` lists {given} host(s); the plan has {needed}")]
    TooFew {
        role: &'static str,
        given: usize,
        needed: usize,
    },
    #[error("{ip} is given twice: to `{first}` and to `{second}`")]
    Duplicate {
        ip: IpAddr,
        first: String,
        second: String,
    },
    #[error("`virtualIP` {ip} is inside the service range {cidr}; pick an address of the hosts' network")]
    VipInServiceRange { ip: IpAddr, cidr: String },
    #[error("the plan has a virtual IP for its API load balancer; give `virtualIP`")]
    NoVip,
}

impl Hosts {
    /// The hosts of `plan`: from `given` when there is one (checked), else
    /// documentation addresses named after the cluster.
    pub fn for_plan(plan: &ClusterPlan, given: Option<&Addresses>) -> Result<Hosts, AddressError> {
        let counts = Counts::of(plan);
        let hosts = match given {
            Some(a) => from_file(a, counts)?,
            None => documentation(&plan.metadata.name, counts),
        };
        hosts.check(plan)?;
        Ok(hosts)
    }

    fn check(&self, plan: &ClusterPlan) -> Result<(), AddressError> {
        let mut seen: BTreeMap<IpAddr, String> = BTreeMap::new();
        let etcd: &[Host] = if self.stacked_etcd { &[] } else { &self.etcd };
        let all = self
            .control_plane
            .iter()
            .chain(etcd)
            .chain(&self.load_balancers)
            .map(|h| (h.ip, h.name.clone()))
            .chain(self.virtual_ip.map(|ip| (ip, "virtualIP".to_string())));
        for (ip, name) in all {
            if let Some(first) = seen.insert(ip, name.clone()) {
                return Err(AddressError::Duplicate {
                    ip,
                    first,
                    second: name,
                });
            }
        }
        let service = plan.spec.network.as_ref().map(|n| n.service_cidr.as_str());
        if let (Some(ip), Some(cidr)) = (self.virtual_ip, service) {
            if let Ok(net) = cidr.parse::<ipnet::IpNet>() {
                if net.contains(&ip) {
                    return Err(AddressError::VipInServiceRange {
                        ip,
                        cidr: cidr.to_string(),
                    });
                }
            }
        }
        Ok(())
    }
}

fn take(role: &'static str, hosts: &[Host], needed: usize) -> Result<Vec<Host>, AddressError> {
    if hosts.len() < needed {
        return Err(AddressError::TooFew {
            role,
            given: hosts.len(),
            needed,
        });
    }
    Ok(hosts[..needed].to_vec())
}

fn from_file(a: &Addresses, c: Counts) -> Result<Hosts, AddressError> {
    let control_plane = take("controlPlane", &a.control_plane, c.control_plane)?;
    let etcd = match c.etcd {
        0 => control_plane.clone(),
        n => take("etcd", &a.etcd, n)?,
    };
    let load_balancers = take("loadBalancers", &a.load_balancers, c.load_balancers)?;
    if c.virtual_ip && a.virtual_ip.is_none() {
        return Err(AddressError::NoVip);
    }
    Ok(Hosts {
        virtual_ip: a.virtual_ip.filter(|_| c.virtual_ip),
        interface: a
            .interface
            .clone()
            .unwrap_or_else(|| DEFAULT_INTERFACE.into()),
        control_plane,
        etcd,
        stacked_etcd: c.etcd == 0,
        load_balancers,
        documentation: false,
    })
}

/// 192.0.2.10 for the virtual IP, then one address per host, in role order.
fn documentation(cluster: &str, c: Counts) -> Hosts {
    let mut next = 11u8;
    let mut hosts = |role: &str, n: usize| -> Vec<Host> {
        (1..=n)
            .map(|i| {
                let ip = IpAddr::V4(Ipv4Addr::new(192, 0, 2, next));
                next = next.saturating_add(1);
                Host {
                    name: format!("{cluster}-{role}-{i}"),
                    ip,
                }
            })
            .collect()
    };
    let load_balancers = hosts("lb", c.load_balancers);
    let control_plane = hosts("cp", c.control_plane);
    let etcd = match c.etcd {
        0 => control_plane.clone(),
        n => hosts("etcd", n),
    };
    Hosts {
        virtual_ip: c
            .virtual_ip
            .then_some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10))),
        interface: DEFAULT_INTERFACE.into(),
        control_plane,
        etcd,
        stacked_etcd: c.etcd == 0,
        load_balancers,
        documentation: true,
    }
}
