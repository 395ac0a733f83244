//! The closed vocabulary of the language: which items exist, where they may stand, and which
//! attributes each accepts with what type.
//!
//! This table is the single source for lowering (validation and did-you-mean), for the policy
//! language's type checker, and for the language server's completion and hover. Adding an
//! attribute here is all it takes for every stage to know it.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElementKind {
    System,
    Site,
    Zone,
    Conduit,
    Flow,
    Component,
    Product,
    Organization,
    Role,
    Compensation,
    Evidence,
}

impl ElementKind {
    pub const ALL: [ElementKind; 11] = [
        ElementKind::System,
        ElementKind::Site,
        ElementKind::Zone,
        ElementKind::Conduit,
        ElementKind::Flow,
        ElementKind::Component,
        ElementKind::Product,
        ElementKind::Organization,
        ElementKind::Role,
        ElementKind::Compensation,
        ElementKind::Evidence,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            ElementKind::System => "system",
            ElementKind::Site => "site",
            ElementKind::Zone => "zone",
            ElementKind::Conduit => "conduit",
            ElementKind::Flow => "flow",
            ElementKind::Component => "component",
            ElementKind::Product => "product",
            ElementKind::Organization => "organization",
            ElementKind::Role => "role",
            ElementKind::Compensation => "compensation",
            ElementKind::Evidence => "evidence",
        }
    }

    /// How messages name an element of this kind: the keyword, except where the keyword alone
    /// reads badly in a sentence ("an evidence record").
    pub fn noun(self) -> &'static str {
        match self {
            ElementKind::Evidence => "evidence record",
            other => other.keyword(),
        }
    }

    pub fn from_keyword(word: &str) -> Option<ElementKind> {
        ElementKind::ALL.into_iter().find(|k| k.keyword() == word)
    }

    pub fn spec(self) -> &'static ItemSpec {
        ITEMS
            .iter()
            .find(|s| s.kind == self)
            .expect("every kind has a spec")
    }

    /// Whether elements of this kind open a scope for the items they contain.
    pub fn is_scope(self) -> bool {
        matches!(
            self,
            ElementKind::Site | ElementKind::Zone | ElementKind::Conduit
        )
    }
}

/// The type an attribute's value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Bool,
    Date,
    /// A Purdue level: 0 to 5, or 3.5 for an industrial DMZ.
    Level,
    /// A security level vector: a scalar, a list of seven, or a map by FR name.
    Sl,
    /// An integer port, a list of them, or `any`.
    Port,
    /// One word from a closed list.
    Enum(&'static [&'static str]),
    /// A known protocol word, or a string for a proprietary one.
    Protocol,
    /// A reference to an element of one of these kinds.
    Ref(&'static [ElementKind]),
    /// A list of this type; a single value is accepted as a list of one.
    List(&'static Ty),
    /// `protocol:port`, or a bare protocol.
    Service,
    /// `a -> b` between two zones, or `both`.
    Direction,
    /// `{ zone: [permission, ...] }`
    Permissions,
    /// Requirement or rule ids as strings: one, or a list.
    RequirementIds,
}

impl Ty {
    /// Whether a value of this type names elements, so that it can be converted only once
    /// every element of the model is declared.
    pub fn names_elements(&self) -> bool {
        match self {
            Ty::Ref(_) | Ty::Direction | Ty::Permissions => true,
            Ty::List(inner) => inner.names_elements(),
            _ => false,
        }
    }

    /// How the type is named in messages and in the language reference.
    pub fn describe(&self) -> String {
        match self {
            Ty::Str => "a string".into(),
            Ty::Bool => "`true` or `false`".into(),
            Ty::Date => "a date (`2027-06-30`)".into(),
            Ty::Level => "a Purdue level (0, 1, 2, 3, 3.5, 4 or 5)".into(),
            Ty::Sl => "a security level (0 to 4, a list of seven, or a map by FR)".into(),
            Ty::Port => "a port number, a list of ports, or `any`".into(),
            Ty::Enum(words) => one_of(words),
            Ty::Protocol => "a protocol (a known name, or a string for a proprietary one)".into(),
            Ty::Ref(kinds) => {
                let names: Vec<&str> = kinds.iter().map(|k| k.noun()).collect();
                format!(
                    "a reference to {}",
                    crate::diagnostics::with_article(&crate::diagnostics::join_or(&names))
                )
            }
            Ty::List(inner) => format!("a list of {}", inner.plural()),
            Ty::Service => "a service (`protocol:port`)".into(),
            Ty::Direction => "a direction (`zone_a -> zone_b`) or `both`".into(),
            Ty::Permissions => "a map from zones to lists of permissions".into(),
            Ty::RequirementIds => {
                "a requirement id string (\"SR 1.1 RE 1\") or a list of them".into()
            }
        }
    }
}

impl Ty {
    /// The type named in the plural, for "a list of ...".
    fn plural(&self) -> String {
        match self {
            Ty::Ref(kinds) => {
                let names: Vec<String> = kinds.iter().map(|k| format!("{}s", k.noun())).collect();
                crate::diagnostics::join_or(&names)
            }
            Ty::Enum(words) => {
                let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
                format!("words ({})", crate::diagnostics::join_or(&quoted))
            }
            Ty::Service => "services (`protocol:port`)".into(),
            Ty::Str => "strings".into(),
            other => format!("values of type {}", other.describe()),
        }
    }
}

fn one_of(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.as_slice() {
        [] => "nothing".into(),
        [one] => one.clone(),
        [_, _] => crate::diagnostics::join_or(&quoted),
        _ => format!("one of {}", crate::diagnostics::join_or(&quoted)),
    }
}

#[derive(Debug)]
pub struct AttrSpec {
    pub name: &'static str,
    pub ty: Ty,
    pub doc: &'static str,
}

/// What may follow the keyword and name in an item's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeClauseSpec {
    None,
    /// `: embedded-device` (one of the four 4-2 kinds)
    ComponentKind,
    /// `: embedded-device` or `: some_product`
    ComponentKindOrProduct,
    /// `: source -> destination`
    Endpoints,
}

#[derive(Debug)]
pub struct ItemSpec {
    pub kind: ElementKind,
    pub doc: &'static str,
    pub type_clause: TypeClauseSpec,
    pub attrs: &'static [AttrSpec],
    /// Attributes that must be present.
    pub required: &'static [&'static str],
    /// Keywords of the items it may contain.
    pub children: &'static [&'static str],
}

impl ItemSpec {
    pub fn attr(&self, name: &str) -> Option<&'static AttrSpec> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// Items that are not elements: they configure the file or the element they sit in.
pub const IMPORT: &str = "import";
pub const SUPPRESS: &str = "suppress";
pub const CUSTOM: &str = "custom";

/// Keywords allowed at the top of a file.
pub const TOP_LEVEL: &[&str] = &[
    IMPORT,
    "system",
    "site",
    "zone",
    "conduit",
    "component",
    "product",
    "organization",
    "role",
    "compensation",
    "evidence",
    SUPPRESS,
];

pub const COMPONENT_KINDS: &[&str] = &[
    "embedded-device",
    "network-device",
    "host-device",
    "software-application",
];

pub const ZONE_KINDS: &[&str] = &[
    "control",
    "operations",
    "dmz",
    "enterprise",
    "safety",
    "wireless",
    "remote-access",
    "temporary",
    "external",
];

pub const PROTOCOLS: &[&str] = &[
    "any",
    "modbus-tcp",
    "modbus-rtu",
    "dnp3",
    "iec-104",
    "iec-61850-mms",
    "goose",
    "sampled-values",
    "opc-ua",
    "opc-da",
    "s7comm",
    "profinet",
    "ethernet-ip",
    "bacnet",
    "mqtt",
    "mqtts",
    "http",
    "https",
    "ssh",
    "telnet",
    "ftp",
    "sftp",
    "tftp",
    "rdp",
    "vnc",
    "smb",
    "nfs",
    "ldap",
    "ldaps",
    "kerberos",
    "radius",
    "dns",
    "ntp",
    "ptp",
    "syslog",
    "snmp",
    "snmpv3",
    "smtp",
    "imap",
    "pop3",
    "xmpp",
    "sip",
    "ipsec",
    "wireguard",
    "openvpn",
    "icmp",
    "sql",
];

pub const FUNCTIONS: &[&str] = &[
    "firewall",
    "data-diode",
    "vpn-gateway",
    "jump-host",
    "remote-access-gateway",
    "router",
    "switch",
    "wireless-ap",
    "directory",
    "log-collector",
    "time-source",
    "monitoring",
    "backup",
    "malware-protection",
    "patch-server",
    "historian",
    "hmi",
    "engineering",
    "scada",
    "controller",
    "safety-controller",
    "file-server",
    "mail",
    "web-browser",
];

pub const ORGANIZATION_ROLES: &[&str] = &[
    "asset-owner",
    "maintenance-service-provider",
    "integration-service-provider",
    "product-supplier",
];

pub const PERMISSIONS: &[&str] = &[
    "view",
    "operate",
    "configure",
    "program",
    "administer",
    "approve",
];

const BOOL: Ty = Ty::Bool;
const STR: Ty = Ty::Str;
const ORG: Ty = Ty::Ref(&[ElementKind::Organization]);
const ZONE: Ty = Ty::Ref(&[ElementKind::Zone]);
const ZONES: Ty = Ty::List(&ZONE);
const COMPONENT: Ty = Ty::Ref(&[ElementKind::Component]);
const COMPONENTS: Ty = Ty::List(&COMPONENT);
const ACCESS_POINTS: Ty = Ty::List(&Ty::Ref(&[ElementKind::Component, ElementKind::Conduit]));
const SCOPED: Ty = Ty::Ref(&[
    ElementKind::Zone,
    ElementKind::Conduit,
    ElementKind::Component,
]);

macro_rules! attrs {
    ($($name:literal : $ty:expr => $doc:literal),* $(,)?) => {
        &[$(AttrSpec { name: $name, ty: $ty, doc: $doc }),*]
    };
}

const COMPONENT_ATTRS: &[AttrSpec] = attrs![
    "description": STR => "Free text.",
    "zone": ZONE => "The zone the component belongs to, when it is not declared inside one.",
    "sl_capability": Ty::Sl => "Capability security level SL-C: what the component can meet by itself.",
    "vendor": STR => "Inventory: the manufacturer.",
    "model": STR => "Inventory: the model or order number.",
    "version": STR => "Inventory: the firmware or software version.",
    "serial": STR => "Inventory: the serial number or asset tag.",
    "supplier": ORG => "The product supplier organisation.",
    "maintainer": ORG => "The maintenance service provider.",
    "functions": Ty::List(&Ty::Enum(FUNCTIONS)) => "What the component does for the system (firewall, directory, time-source...).",
    "serves": ZONES => "Zones an infrastructure service serves (default: its own zone and the zones its flows reach).",
    "host": COMPONENT => "The host device a software application runs on.",
    "provides": Ty::RequirementIds => "Requirements the component meets by itself, whatever its SL-C.",
    "services": Ty::List(&Ty::Service) => "What the component listens on, as `protocol:port`.",
    "safety": BOOL => "Part of a safety function.",
    "wireless": BOOL => "Connects over a wireless link.",
    "temporary": BOOL => "Only temporarily connected (maintenance laptops, portable media).",
    "external": BOOL => "Connects through a network outside the system under consideration.",
    "malware_protection": Ty::Enum(&["none", "local", "central"]) => "Malicious-code protection, and whether it is centrally managed.",
    "session_termination": BOOL => "Can terminate remote sessions.",
    "config_record": STR => "Where the component's configuration is recorded.",
    "certification": STR => "Certification of the product (e.g. IEC 62443-4-2 SL 2).",
];

pub const ITEMS: &[ItemSpec] = &[
    ItemSpec {
        kind: ElementKind::System,
        doc: "The system under consideration: its owner, perimeter and external access points.",
        type_clause: TypeClauseSpec::None,
        attrs: attrs![
            "description": STR => "Free text.",
            "owner": ORG => "The organisation accountable for the system.",
            "perimeter": STR => "Where the system under consideration ends.",
            "access_points": ACCESS_POINTS => "External access points: components or conduits at the perimeter.",
        ],
        required: &[],
        children: &[SUPPRESS, CUSTOM],
    },
    ItemSpec {
        kind: ElementKind::Site,
        doc: "A namespace for one location; gives its contents a common prefix.",
        type_clause: TypeClauseSpec::None,
        attrs: attrs![
            "description": STR => "Free text.",
            "location": STR => "Where the site is.",
        ],
        required: &[],
        children: &[
            "site",
            "zone",
            "conduit",
            "component",
            "product",
            "organization",
            "role",
            "compensation",
            "evidence",
            SUPPRESS,
            CUSTOM,
        ],
    },
    ItemSpec {
        kind: ElementKind::Zone,
        doc: "A group of assets that share security requirements.",
        type_clause: TypeClauseSpec::None,
        attrs: attrs![
            "description": STR => "Free text.",
            "kind": Ty::Enum(ZONE_KINDS) => "What the zone is for.",
            "trust": Ty::Enum(&["trusted", "untrusted"]) => "Whether the zone is trusted (default: untrusted for external zones).",
            "level": Ty::Level => "Purdue level; omit for zones outside the hierarchy.",
            "sl_target": Ty::Sl => "Target security level SL-T.",
            "owner": ORG => "The accountable organisation.",
            "safety": BOOL => "Designated safety-related (default: kind = safety).",
            "critical": BOOL => "A critical network that must be isolated.",
            "segmentation": Ty::Enum(&["physical", "vlan", "logical"]) => "How the zone is separated from its neighbours.",
            "depends_on": ZONES => "Zones this zone needs in order to operate.",
            "boundary": STR => "The logical boundary.",
            "physical_boundary": STR => "The physical boundary.",
            "access_points": ACCESS_POINTS => "Logical and physical access points.",
            "assumptions": STR => "Assumptions and external dependencies.",
        ],
        required: &[],
        children: &["zone", "component", "conduit", SUPPRESS, CUSTOM],
    },
    ItemSpec {
        kind: ElementKind::Conduit,
        doc: "The only legitimate path between zones, with its boundary devices and flows.",
        type_clause: TypeClauseSpec::None,
        attrs: attrs![
            "description": STR => "Free text.",
            "zones": ZONES => "The zones the conduit joins.",
            "sl_target": Ty::Sl => "The conduit's own target security level.",
            "via": COMPONENTS => "Boundary devices that enforce the conduit.",
            "default": Ty::Enum(&["deny", "allow"]) => "What happens to traffic no flow names.",
            "direction": Ty::Direction => "Which way traffic may go (default: both).",
            "medium": Ty::Enum(&["wired", "wireless", "public-network", "cellular", "satellite", "leased-line"]) => "What the traffic crosses.",
            "fail": Ty::Enum(&["closed", "open"]) => "What the boundary does when it fails.",
            "island_mode": BOOL => "The boundary can isolate the zones from each other on demand.",
            "rate_limit": BOOL => "Communication load is limited at the boundary.",
            "owner": ORG => "The accountable organisation.",
        ],
        required: &[],
        children: &["flow", SUPPRESS, CUSTOM],
    },
    ItemSpec {
        kind: ElementKind::Flow,
        doc: "One permitted communication through a conduit, from a source to a destination component.",
        type_clause: TypeClauseSpec::Endpoints,
        attrs: attrs![
            "description": STR => "Free text.",
            "protocol": Ty::Protocol => "The application protocol.",
            "port": Ty::Port => "Destination port(s).",
            "auth": Ty::Enum(&["none", "password", "certificate", "psk", "token", "kerberos", "mfa"]) => "How the source authenticates.",
            "integrity": Ty::Enum(&["none", "checksum", "cryptographic"]) => "Integrity protection.",
            "encryption": Ty::Enum(&["none", "tls", "dtls", "ipsec", "ssh", "wireguard", "openvpn", "proprietary"]) => "Confidentiality protection.",
            "interactive": BOOL => "A human session (remote desktop, shell, engineering).",
            "approval": BOOL => "Each session needs an explicit approval.",
            "purpose": STR => "Why the flow exists.",
        ],
        required: &[],
        children: &[SUPPRESS, CUSTOM],
    },
    ItemSpec {
        kind: ElementKind::Component,
        doc: "An asset of one of the four IEC 62443-4-2 kinds, or an instance of a product.",
        type_clause: TypeClauseSpec::ComponentKindOrProduct,
        attrs: COMPONENT_ATTRS,
        required: &[],
        children: &[SUPPRESS, CUSTOM],
    },
    ItemSpec {
        kind: ElementKind::Product,
        doc: "A product declared once (vendor, model, certified SL-C) and instantiated by components.",
        type_clause: TypeClauseSpec::ComponentKind,
        attrs: COMPONENT_ATTRS,
        required: &[],
        children: &[CUSTOM],
    },
    ItemSpec {
        kind: ElementKind::Organization,
        doc: "An organisation and the IEC 62443 roles it plays.",
        type_clause: TypeClauseSpec::None,
        attrs: attrs![
            "description": STR => "Free text.",
            "roles": Ty::List(&Ty::Enum(ORGANIZATION_ROLES)) => "The IEC 62443 roles it plays.",
            "contact": STR => "How to reach it.",
        ],
        required: &[],
        children: &[CUSTOM],
    },
    ItemSpec {
        kind: ElementKind::Role,
        doc: "A human user role: its permissions on zones and how its members authenticate.",
        type_clause: TypeClauseSpec::None,
        attrs: attrs![
            "description": STR => "Free text.",
            "organization": ORG => "Who employs the role's members.",
            "permissions": Ty::Permissions => "What the role may do in which zone.",
            "auth": Ty::Enum(&["none", "password", "mfa", "certificate", "smartcard", "kerberos"]) => "How its members authenticate.",
            "remote": BOOL => "Its members work from outside the system under consideration.",
            "via": COMPONENT => "The gateway or jump host they come through.",
            "supervisor_override": BOOL => "A supervisor can override their session.",
            "dual_approval": BOOL => "Their actions need a second person's approval.",
        ],
        required: &[],
        children: &[SUPPRESS, CUSTOM],
    },
    ItemSpec {
        kind: ElementKind::Compensation,
        doc: "A compensating countermeasure: what stands in for a requirement an element cannot meet.",
        type_clause: TypeClauseSpec::None,
        attrs: attrs![
            "description": STR => "Free text.",
            "requirement": Ty::RequirementIds => "The requirement(s) compensated.",
            "element": SCOPED => "The zone, conduit or component that cannot meet it.",
            "by": COMPONENTS => "Components that compensate.",
            "measure": STR => "What compensates, and how.",
            "reason": STR => "Why the element cannot meet the requirement itself.",
            "accepted_by": STR => "Who accepted the risk.",
            "ticket": STR => "The risk or change ticket.",
            "expires": Ty::Date => "When the acceptance must be reviewed.",
        ],
        required: &["requirement", "element", "reason", "accepted_by", "expires"],
        children: &[CUSTOM],
    },
    ItemSpec {
        kind: ElementKind::Evidence,
        doc: "A record of evidence for requirements that no drawing can show.",
        type_clause: TypeClauseSpec::None,
        attrs: attrs![
            "description": STR => "Free text.",
            "requirement": Ty::RequirementIds => "The requirement(s) the evidence supports.",
            "scope": Ty::List(&SCOPED) => "Zones, conduits or components covered (default: the whole system).",
            "location": STR => "Where the evidence is kept.",
            "date": Ty::Date => "When it was produced or last verified.",
            "owner": ORG => "Who keeps it.",
        ],
        required: &["requirement", "location"],
        children: &[CUSTOM],
    },
];

/// Every keyword the language knows, for did-you-mean.
pub fn all_keywords() -> impl Iterator<Item = &'static str> {
    TOP_LEVEL.iter().copied().chain(["flow", CUSTOM])
}
