//! A machine the user pinned: `--instance-type TYPE` on a cloud, `--server
//! CPU,GiB` on your own machines. The design sizes with it and says what it
//! costs against the ranking's best.

use super::{DesignError, Input};
use crate::catalog::InstanceType;
use crate::plan::Arch;
use crate::sizing::{size_instance, Choice, Demand};

/// The catalog type named `name`, or the error naming the nearest ones.
pub fn find<'c>(i: &Input<'c>, name: &str) -> Result<&'c InstanceType, DesignError> {
    let found = i.prof.instances.iter().find(|t| t.name == name);
    if let Some(why) = found.and_then(|t| i.prof.unusable(t)) {
        return Err(DesignError::Unusable {
            name: name.to_string(),
            why: why.to_string(),
        });
    }
    found.ok_or_else(|| DesignError::UnknownType {
        platform: i.a.platform,
        name: name.to_string(),
        near: crate::prose::nearest(name, i.prof.instances.iter().map(|t| t.name.as_ref()))
            .into_iter()
            .map(str::to_string)
            .collect(),
    })
}

/// A server shape of your own (`--server 24,96`).
pub fn server(cpu: f64, memory_gib: f64) -> InstanceType {
    InstanceType {
        name: format!(
            "{}x{}",
            crate::prose::decimal(cpu),
            crate::prose::decimal(memory_gib)
        )
        .into(),
        cpu,
        memory_gib,
        arch: Arch::Amd64,
        family: "general".into(),
        series: None,
        previous_generation: false,
        gpus: 0,
        enis: None,
        ips_per_eni: None,
        price_per_hour: None,
        baseline_cpu: None,
    }
}

/// The workers sized on the pinned machine.
pub fn size(i: &Input, demand: &Demand, name: &str) -> Result<Choice, DesignError> {
    let owned;
    let inst = match (i.machines.server, i.a.platform.cloud()) {
        (Some((cpu, mem)), false) => {
            owned = server(cpu, mem);
            &owned
        }
        _ => find(i, name)?,
    };
    size_instance(i.c, i.a.platform, demand, inst).ok_or_else(|| DesignError::PinTooSmall {
        name: inst.name.to_string(),
        cpu: i.a.pod_cpu,
        memory: i.a.pod_memory_gib,
    })
}
