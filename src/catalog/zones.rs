//! Regions and zones: where a zone name is in a platform's catalog, and
//! the zones `design` names.

use super::lazy::Part;
use super::{Catalog, PlatformProfile};
use crate::plan::Platform;

/// Where a zone name is, by a platform's catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZonePlace<'a> {
    /// An availability zone of this region.
    Region(&'a str),
    /// Named after this region but not one of its zones: an AWS Local Zone
    /// or Wavelength Zone, where the platform has those.
    Extended(&'a str),
    /// Named like a zone of this region, which does not have it.
    NotIn(&'a str),
    /// No region of the catalog.
    Unknown,
}

impl PlatformProfile {
    /// The zones `design` names, in order: the design region's, or the
    /// platform's own names where it has no regions.
    pub fn design_zones(&self) -> &[String] {
        self.region
            .as_ref()
            .and_then(|r| self.regions.get(r))
            .map_or(&self.zone_names[..], |z| &z[..])
    }

    /// The zones of the region `zone` is in (the design region's when the
    /// catalog does not place it).
    pub fn zones_beside(&self, zone: &str) -> &[String] {
        match self.zone_place(zone) {
            Some(ZonePlace::Region(r)) => &self.regions[r],
            _ => self.design_zones(),
        }
    }

    /// Where `zone` is; None where the platform has no regions (any name
    /// is a failure domain of yours).
    pub fn zone_place(&self, zone: &str) -> Option<ZonePlace<'_>> {
        if self.regions.is_empty() {
            return None;
        }
        if let Some((r, _)) = self
            .regions
            .iter()
            .find(|(_, z)| z.iter().any(|x| x == zone))
        {
            return Some(ZonePlace::Region(r));
        }
        // The longest region name the zone starts with.
        let named = self
            .regions
            .keys()
            .filter(|r| zone.starts_with(r.as_str()))
            .max_by_key(|r| r.len());
        Some(match named {
            Some(r) if self.extended_zones && zone[r.len()..].starts_with('-') => {
                ZonePlace::Extended(r)
            }
            Some(r) => ZonePlace::NotIn(r),
            None => ZonePlace::Unknown,
        })
    }
}

/// Whether a name is an AWS availability zone (`eu-north-1a`,
/// `us-gov-west-1b`, a Local Zone `us-west-2-lax-1a`).
pub fn is_aws_zone(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts.iter().all(|p| !p.is_empty())
        && parts.last().is_some_and(|l| {
            l.len() >= 2
                && l.ends_with(|c: char| c.is_ascii_lowercase())
                && l[..l.len() - 1].chars().all(|c| c.is_ascii_digit())
        })
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Catalog {
    /// The catalog with `p` in another region: its zones and its prices.
    pub fn in_region(&self, p: Platform, region: &str) -> Catalog {
        let mut c = self.clone();
        let moved = self.platform(p).in_region(region);
        if let Some((_, part)) = c.platforms.iter_mut().find(|(n, _)| n == p.as_str()) {
            *part = Part::loaded(moved);
        }
        c
    }

    /// The region of a plan's zones, where it is not the platform's design
    /// region (a cloud plan elsewhere is priced and exported there).
    pub fn plan_region(&self, plan: &crate::plan::ClusterPlan) -> Option<String> {
        let prof = self.platform(plan.spec.platform);
        if let Some(r) = plan
            .spec
            .region
            .as_deref()
            .filter(|r| prof.regions.contains_key(*r))
        {
            return (prof.region.as_deref() != Some(r)).then(|| r.to_string());
        }
        let zone = plan.zones().into_iter().next()?;
        let r = match prof.zone_place(&zone)? {
            ZonePlace::Region(r) | ZonePlace::Extended(r) | ZonePlace::NotIn(r) => r,
            ZonePlace::Unknown => return None,
        };
        (prof.region.as_deref() != Some(r)).then(|| r.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::plan::Platform;

    #[test]
    fn zones_are_placed_in_their_regions() {
        let c = Catalog::builtin();
        let aws = c.platform(Platform::Aws);
        assert_eq!(
            aws.zone_place("us-east-1a"),
            Some(ZonePlace::Region("us-east-1"))
        );
        assert_eq!(
            aws.zone_place("us-east-1z"),
            Some(ZonePlace::NotIn("us-east-1"))
        );
        assert_eq!(
            aws.zone_place("us-west-2-lax-1a"),
            Some(ZonePlace::Extended("us-west-2"))
        );
        assert_eq!(aws.zone_place("zone-a"), Some(ZonePlace::Unknown));
        let gcp = c.platform(Platform::Gcp);
        assert_eq!(
            gcp.zone_place("us-central1-e"),
            Some(ZonePlace::NotIn("us-central1"))
        );
        assert_eq!(
            gcp.zone_place("us-central1-f"),
            Some(ZonePlace::Region("us-central1"))
        );
        let azure = c.platform(Platform::Azure);
        assert_eq!(
            azure.zone_place("eastus-4"),
            Some(ZonePlace::NotIn("eastus"))
        );
        assert_eq!(
            azure.zone_place("eastus2-3"),
            Some(ZonePlace::Region("eastus2"))
        );
        assert_eq!(c.platform(Platform::OnPrem).zone_place("rack-9"), None);
        assert_eq!(azure.design_zones(), ["eastus-1", "eastus-2", "eastus-3"]);
    }

    #[test]
    fn aws_zone_names() {
        for z in [
            "eu-north-1a",
            "us-gov-west-1b",
            "us-west-2-lax-1a",
            "ap-southeast-2c",
        ] {
            assert!(is_aws_zone(z), "{z}");
        }
        for z in [
            "private-one",
            "subnet-0b2512f8c6ae9bf30",
            "us-east-1",
            "eu-north-a",
        ] {
            assert!(!is_aws_zone(z), "{z}");
        }
    }
}
