//! The data tables AWS changes every month, loaded from plain files.
//!
//! The files under `src/validate/catalog/` are compiled in with
//! `include_str!` and can be extended at run time ([`Catalog::add_resource_types`],
//! the CLI's `--extra-resource-types`), because a type AWS added last week must
//! not be rejected by a build from last month.

use crate::model::{Category, Field, Operator, Target};
use std::collections::HashSet;

const BASIC_TYPES: &str = include_str!("catalog/basic_resource_types.txt");
const RESOURCE_TYPES: &str = include_str!("catalog/resource_types.txt");
const NETWORK_SOURCES: &str = include_str!("catalog/network_event_sources.txt");
/// The field matrix of each target, in the order of [`Target::ALL`].
const FIELDS: [&str; 3] = [
    include_str!("catalog/fields.trail.tsv"),
    include_str!("catalog/fields.event-data-store.tsv"),
    include_str!("catalog/fields.telemetry-rule.tsv"),
];

/// Lines of a catalog file: trimmed, without blank lines and `#` comments.
pub fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

/// What one category allows for one field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldRule {
    /// Operators allowed; empty means the field is not allowed.
    pub operators: Vec<Operator>,
    /// The field must be present in every selector of the category.
    pub required: bool,
}

/// The resource types, event sources and field matrix validation uses.
#[derive(Clone, Debug)]
pub struct Catalog {
    basic_types: Vec<String>,
    resource_types: Vec<String>,
    resource_set: HashSet<String>,
    network_sources: Vec<String>,
    network_set: HashSet<String>,
    tables: Vec<Table>,
}

/// One target's field matrix: the categories it takes, and per field one
/// rule per category.
#[derive(Clone, Debug)]
struct Table {
    categories: Vec<Category>,
    rows: Vec<(Field, Vec<FieldRule>)>,
}

impl Default for Catalog {
    fn default() -> Catalog {
        Catalog::builtin()
    }
}

impl Catalog {
    /// The tables shipped with this version of ctsel.
    pub fn builtin() -> Catalog {
        let mut c = Catalog {
            basic_types: entries(BASIC_TYPES).map(String::from).collect(),
            resource_types: Vec::new(),
            resource_set: HashSet::new(),
            network_sources: Vec::new(),
            network_set: HashSet::new(),
            tables: FIELDS.iter().map(|t| parse_table(t)).collect(),
        };
        c.add_resource_types(entries(RESOURCE_TYPES));
        c.add_network_sources(entries(NETWORK_SOURCES));
        c
    }

    /// Accepts more `resources.type` values (one per item).
    pub fn add_resource_types<'a>(&mut self, types: impl IntoIterator<Item = &'a str>) {
        for t in types {
            if self.resource_set.insert(t.to_string()) {
                self.resource_types.push(t.to_string());
            }
        }
    }

    /// Accepts more NetworkActivity `eventSource` values.
    pub fn add_network_sources<'a>(&mut self, sources: impl IntoIterator<Item = &'a str>) {
        for s in sources {
            if self.network_set.insert(s.to_string()) {
                self.network_sources.push(s.to_string());
            }
        }
    }

    /// The three `DataResources[].Type` values basic selectors accept.
    pub fn basic_types(&self) -> impl Iterator<Item = &str> {
        self.basic_types.iter().map(String::as_str)
    }

    /// True when `t` is a basic `DataResources[].Type`.
    pub fn is_basic_type(&self, t: &str) -> bool {
        self.basic_types.iter().any(|b| b == t)
    }

    /// All accepted `resources.type` values.
    pub fn resource_types(&self) -> impl Iterator<Item = &str> {
        self.resource_types.iter().map(String::as_str)
    }

    /// True when `t` is an accepted `resources.type`.
    pub fn is_resource_type(&self, t: &str) -> bool {
        self.resource_set.contains(t)
    }

    /// All accepted NetworkActivity event sources.
    pub fn network_sources(&self) -> impl Iterator<Item = &str> {
        self.network_sources.iter().map(String::as_str)
    }

    /// True when `s` is an accepted NetworkActivity event source.
    pub fn is_network_source(&self, s: &str) -> bool {
        self.network_set.contains(s)
    }

    fn table(&self, target: Target) -> &Table {
        let i = Target::ALL.iter().position(|t| *t == target).unwrap_or(0);
        &self.tables[i]
    }

    /// The categories `target` takes, in table order.
    pub fn categories(&self, target: Target) -> &[Category] {
        &self.table(target).categories
    }

    /// What `category` allows for `field` on `target`; nothing when the
    /// target does not take the category.
    pub fn rule(&self, target: Target, field: Field, category: Category) -> &FieldRule {
        static NONE: FieldRule = FieldRule {
            operators: Vec::new(),
            required: false,
        };
        let table = self.table(target);
        let Some(col) = table.categories.iter().position(|c| *c == category) else {
            return &NONE;
        };
        table
            .rows
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&NONE, |(_, rules)| &rules[col])
    }

    /// Fields other than `eventCategory` required in `category` on
    /// `target`, in table order.
    pub fn required_fields(
        &self,
        target: Target,
        category: Category,
    ) -> impl Iterator<Item = Field> + '_ {
        Field::ALL
            .into_iter()
            .filter(move |f| *f != Field::EventCategory && self.rule(target, *f, category).required)
    }
}

/// Reads a field matrix: a header row naming the categories, then one row
/// per field. Rows naming an unknown field or category are skipped, so a
/// table from a newer ctsel still loads.
fn parse_table(text: &str) -> Table {
    let mut lines = entries(text);
    let categories: Vec<Option<Category>> = lines
        .next()
        .map(|h| {
            h.split('\t')
                .skip(1)
                .map(|c| Category::from_api(c.trim()))
                .collect()
        })
        .unwrap_or_default();
    let mut rows = Vec::new();
    for line in lines {
        let mut cols = line.split('\t');
        let Some(field) = cols.next().and_then(Field::from_api) else {
            continue;
        };
        let mut rules = Vec::new();
        for known in &categories {
            let cell = cols.next().unwrap_or("-").trim();
            if known.is_none() {
                continue;
            }
            let (cell, required) = match cell.strip_suffix('!') {
                Some(c) => (c, true),
                None => (cell, false),
            };
            let operators = match cell {
                "-" => Vec::new(),
                "*" => Operator::ALL.to_vec(),
                list => list
                    .split(',')
                    .filter_map(|o| Operator::from_api(o.trim()))
                    .collect(),
            };
            rules.push(FieldRule {
                operators,
                required,
            });
        }
        rows.push((field, rules));
    }
    Table {
        categories: categories.into_iter().flatten().collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_tables_have_their_documented_sizes() {
        let c = Catalog::builtin();
        assert_eq!(c.basic_types().count(), 3);
        assert_eq!(c.resource_types().count(), 250);
        assert_eq!(c.network_sources().count(), 76);
        assert!(c.is_resource_type("AWS::Quicksight::ActionConnector"));
        assert!(c.is_network_source("kms.amazonaws.com"));
    }

    #[test]
    fn field_matrix_reads_as_the_spec_table() {
        let c = Catalog::builtin();
        assert_eq!(
            c.rule(Target::Trail, Field::EventSource, Category::Management)
                .operators,
            [Operator::NotEquals]
        );
        assert_eq!(
            c.rule(Target::Trail, Field::EventSource, Category::Data)
                .operators
                .len(),
            6
        );
        assert!(
            c.rule(Target::Trail, Field::EventSource, Category::NetworkActivity)
                .required
        );
        assert!(c
            .rule(Target::Trail, Field::EventName, Category::Management)
            .operators
            .is_empty());
        assert_eq!(
            c.required_fields(Target::Trail, Category::Data)
                .collect::<Vec<_>>(),
            [Field::ResourcesType]
        );
        assert_eq!(
            c.rule(
                Target::Trail,
                Field::SessionCredentialFromConsole,
                Category::Data
            )
            .operators,
            [Operator::Equals, Operator::NotEquals]
        );
    }

    #[test]
    fn each_target_has_its_own_matrix() {
        let c = Catalog::builtin();
        assert_eq!(c.categories(Target::Trail).len(), 3);
        assert_eq!(c.categories(Target::EventDataStore).len(), 7);
        assert_eq!(
            c.categories(Target::TelemetryRule),
            [Category::Management, Category::Data]
        );
        // Event data stores filter management events on more fields.
        assert_eq!(
            c.rule(
                Target::EventDataStore,
                Field::EventSource,
                Category::Management
            )
            .operators
            .len(),
            6
        );
        assert!(c
            .rule(
                Target::EventDataStore,
                Field::UserIdentityArn,
                Category::NetworkActivity
            )
            .operators
            .is_empty());
        assert!(c
            .rule(Target::EventDataStore, Field::ReadOnly, Category::Insight)
            .operators
            .is_empty());
        assert!(c
            .rule(Target::Trail, Field::EventCategory, Category::Insight)
            .operators
            .is_empty());
        assert_eq!(
            c.rule(
                Target::TelemetryRule,
                Field::EventSource,
                Category::Management
            )
            .operators,
            [Operator::NotEquals]
        );
    }

    #[test]
    fn extra_types_are_accepted_once() {
        let mut c = Catalog::builtin();
        c.add_resource_types(["AWS::New::Thing", "AWS::New::Thing", "AWS::S3::Object"]);
        assert!(c.is_resource_type("AWS::New::Thing"));
        assert_eq!(c.resource_types().count(), 251);
    }
}
