//! `kubeplan profiles [NAME]`: the questionnaire presets and platform catalogs.

use std::collections::BTreeMap;

use anyhow::bail;
use serde_json::json;

use super::{emit, exit, Env};
use crate::cli::{ProfilesArgs, ProfilesFormat};
use crate::report::profiles as out;

pub fn run(args: &ProfilesArgs, env: &Env) -> anyhow::Result<u8> {
    let c = env.catalog()?;
    let text = match &args.name {
        None => match args.format {
            ProfilesFormat::Json => format!(
                "{:#}\n",
                json!({"presets": c.presets(), "platforms": c.platforms().collect::<BTreeMap<_, _>>()})
            ),
            ProfilesFormat::Yaml => serde_saphyr::to_string(
                &json!({"presets": c.presets(), "platforms": c.platforms().collect::<BTreeMap<_, _>>()}),
            )?,
            ProfilesFormat::Table => out::overview(c, env.width),
        },
        Some(name) => {
            if let Some(p) = c.presets().get(name) {
                match args.format {
                    ProfilesFormat::Json => format!("{:#}\n", serde_json::to_value(p)?),
                    _ => format!(
                        "# {}\n# kubeplan design --profile {name}  (flags override any answer)\n{}",
                        p.description,
                        serde_saphyr::to_string(&p.answers)?
                    ),
                }
            } else if let Some(p) = c.platform_named(name) {
                match args.format {
                    ProfilesFormat::Json => format!("{:#}\n", serde_json::to_value(p)?),
                    ProfilesFormat::Yaml => serde_saphyr::to_string(p)?,
                    ProfilesFormat::Table => out::platform(p, env.width),
                }
            } else {
                let names: Vec<&str> = c
                    .presets()
                    .keys()
                    .map(String::as_str)
                    .chain(c.platforms().map(|(n, _)| n))
                    .collect();
                match crate::plan::schema::closest(name, names.iter().copied()) {
                    Some(best) => bail!("no preset or platform `{name}`; did you mean `{best}`?"),
                    None => bail!(
                        "no preset or platform `{name}`; there are {}",
                        names.join(", ")
                    ),
                }
            }
        }
    };
    emit(&text)?;
    Ok(exit::OK)
}
