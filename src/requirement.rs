//! Requirement packs: what compliance standards and scanners ask a
//! region's trails to log, as selector sets that [`crate::covers`] decides
//! exactly, plus the trail properties selectors cannot express.
//!
//! The packs are data (`src/packs/*.json`): each entry names its source,
//! so that a reader can check the selectors against the standard's words.
//! Only what selectors decide is proved; trail properties (multi-Region,
//! logging on) are checked against get-trail, describe-trails or
//! get-trail-status documents when given, and reported as not checked
//! otherwise.

use crate::model::SelectorSet;
use crate::parse::{parse_str, ParseOptions};
use crate::validate::lenient;
use serde_json::Value;

const PACKS: [(&str, &str); 4] = [
    ("security-hub", include_str!("packs/security-hub.json")),
    ("cis", include_str!("packs/cis.json")),
    ("prowler", include_str!("packs/prowler.json")),
    ("scoutsuite", include_str!("packs/scoutsuite.json")),
];

/// Trail properties a requirement needs beyond its selectors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrailNeeds {
    /// A multi-Region trail (`IsMultiRegionTrail`).
    pub multi_region: bool,
    /// A trail that is logging (`IsLogging`, from get-trail-status).
    pub logging: bool,
}

/// One entry of a requirement pack.
#[derive(Clone, Debug)]
pub struct Requirement {
    /// Stable id, `pack:name`, e.g. `securityhub:S3.22`.
    pub id: String,
    /// The pack it belongs to.
    pub pack: String,
    /// What the standard asks, in its words.
    pub title: String,
    /// Where the standard says so.
    pub source: String,
    /// The records that must be logged.
    pub selectors: SelectorSet,
    /// The trail properties it needs too.
    pub trail: TrailNeeds,
}

impl Requirement {
    /// The entry as `ctsel covers --list --format json` prints it: `{"id",
    /// "pack", "title", "source", "selectors", "trail": {"multi_region",
    /// "logging"}}`.
    pub fn to_json(&self) -> Value {
        serde_json::json!({"id": self.id, "pack": self.pack, "title": self.title,
            "source": self.source, "selectors": self.selectors.to_json(),
            "trail": {"multi_region": self.trail.multi_region, "logging": self.trail.logging}})
    }
}

/// The outcome of one trail-property check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrailCheck {
    /// Some given trail document shows the property.
    Pass,
    /// Trail documents say so, and none shows it.
    Fail,
    /// No given document says.
    NotChecked,
}

impl TrailCheck {
    /// `"pass"`, `"fail"` or `"not_checked"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TrailCheck::Pass => "pass",
            TrailCheck::Fail => "fail",
            TrailCheck::NotChecked => "not_checked",
        }
    }
}

fn entry(pack: &str, e: &Value, partition: &str) -> Result<Requirement, String> {
    let text = |k: &str| {
        e.get(k)
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| format!("pack {pack}: an entry has no `{k}`"))
    };
    let id = text("id")?;
    let selectors = e
        .get("selectors")
        .ok_or_else(|| format!("pack {pack}: {id} has no selectors"))?;
    // "Every bucket" is every S3 object ARN of the trail's partition.
    let body = selectors.to_string().replace("${partition}", partition);
    let doc = parse_str(&id, &body, &ParseOptions::default())
        .map_err(|err| format!("pack {pack}: {id}: {err}"))?;
    // A requirement describes records, not a deployment: "KMS events are
    // logged" is eventSource Equals, which no trail selector may say (a
    // trail only excludes sources). So only the structure is checked.
    let set = lenient(&doc).ok_or_else(|| format!("pack {pack}: {id}: malformed selectors"))?;
    let flag = |k: &str| e["trail"].get(k).and_then(Value::as_bool).unwrap_or(false);
    Ok(Requirement {
        title: text("title")?,
        source: text("source")?,
        pack: pack.to_string(),
        id,
        selectors: set,
        trail: TrailNeeds {
            multi_region: flag("multi_region"),
            logging: flag("logging"),
        },
    })
}

/// Every entry of every shipped pack, in pack order, for trails in
/// `partition` (`aws`, `aws-cn`, …: "every bucket" names its ARNs).
///
/// # Examples
///
/// ```
/// let all = ctsel::requirements("aws")?;
/// assert!(all.iter().any(|r| r.id == "securityhub:CloudTrail.1"));
/// # Ok::<(), String>(())
/// ```
///
/// # Errors
///
/// A message naming the entry, if a pack is malformed (a defect of the
/// shipped data, which the tests rule out).
pub fn requirements(partition: &str) -> Result<Vec<Requirement>, String> {
    let mut out = Vec::new();
    for (pack, text) in PACKS {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("pack {pack}: {e}"))?;
        for e in v["entries"].as_array().into_iter().flatten() {
            out.push(entry(pack, e, partition)?);
        }
    }
    Ok(out)
}

/// The pack entry with this id, for trails in `partition`.
///
/// # Errors
///
/// As [`requirements`].
pub fn requirement(id: &str, partition: &str) -> Result<Option<Requirement>, String> {
    Ok(requirements(partition)?.into_iter().find(|r| r.id == id))
}

/// The trail documents' answer to each property `needs` names: a trail is
/// multi-Region when some `IsMultiRegionTrail` is true, logging when some
/// `IsLogging` is. Documents are get-trail (`{"Trail": …}`),
/// describe-trails (`{"trailList": […]}`) or get-trail-status output, or a
/// bare trail object.
pub fn trail_checks(needs: TrailNeeds, documents: &[Value]) -> Vec<(&'static str, TrailCheck)> {
    let mut trails: Vec<&Value> = Vec::new();
    for d in documents {
        match (d.get("Trail"), d.get("trailList").and_then(Value::as_array)) {
            (Some(t), _) => trails.push(t),
            (_, Some(list)) => trails.extend(list),
            _ => trails.push(d),
        }
    }
    let check = |key: &str| {
        let said: Vec<bool> = trails
            .iter()
            .filter_map(|t| t.get(key).and_then(Value::as_bool))
            .collect();
        if said.is_empty() {
            TrailCheck::NotChecked
        } else if said.contains(&true) {
            TrailCheck::Pass
        } else {
            TrailCheck::Fail
        }
    };
    let mut out = Vec::new();
    if needs.multi_region {
        out.push(("multi_region", check("IsMultiRegionTrail")));
    }
    if needs.logging {
        out.push(("logging", check("IsLogging")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_shipped_entry_is_valid_and_cites_a_source() {
        let all = requirements("aws").unwrap();
        assert!(all.len() >= 10);
        let mut ids: Vec<&str> = all.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "ids repeat");
        for r in &all {
            assert!(r.id.contains(':') && !r.source.is_empty(), "{}", r.id);
        }
    }

    #[test]
    fn trail_properties_come_from_any_document_shape() {
        let needs = TrailNeeds {
            multi_region: true,
            logging: true,
        };
        let single = json!({"trailList": [{"Name": "t", "IsMultiRegionTrail": false}]});
        assert_eq!(
            trail_checks(needs, &[single]),
            [
                ("multi_region", TrailCheck::Fail),
                ("logging", TrailCheck::NotChecked)
            ]
        );
        let multi = json!({"Trail": {"IsMultiRegionTrail": true}});
        let status = json!({"IsLogging": true});
        assert_eq!(
            trail_checks(needs, &[multi, status]),
            [
                ("multi_region", TrailCheck::Pass),
                ("logging", TrailCheck::Pass)
            ]
        );
    }
}
