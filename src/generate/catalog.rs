//! The shared part of a generated workspace: the organisations and the product catalogue every
//! site draws from. Fixed for every seed, so that the seed only changes the plants, not the
//! vocabulary of vendors; every name here is invented.

use std::fmt::Write;

/// The asset owner of every generated site.
pub const OWNER: &str = "fleet_owner";
/// The integrator that built the sites and supports them remotely.
pub const INTEGRATOR: &str = "northwind_integration";
/// The maintenance service provider for the plant-floor devices.
pub const MAINTAINER: &str = "fieldcare_services";

struct Organization {
    id: &'static str,
    title: &'static str,
    roles: &'static [&'static str],
    contact: &'static str,
}

const ORGANIZATIONS: &[Organization] = &[
    Organization {
        id: OWNER,
        title: "Fleet Manufacturing Group",
        roles: &["asset-owner"],
        contact: "ot-security@fleet.example",
    },
    Organization {
        id: INTEGRATOR,
        title: "Northwind Integration",
        roles: &[
            "integration-service-provider",
            "maintenance-service-provider",
        ],
        contact: "support@northwind.example",
    },
    Organization {
        id: MAINTAINER,
        title: "Fieldcare Services",
        roles: &["maintenance-service-provider"],
        contact: "dispatch@fieldcare.example",
    },
    Organization {
        id: "ardent",
        title: "Ardent Controls",
        roles: &["product-supplier"],
        contact: "psirt@ardent.example",
    },
    Organization {
        id: "borealis",
        title: "Borealis Automation",
        roles: &["product-supplier", "maintenance-service-provider"],
        contact: "psirt@borealis.example",
    },
    Organization {
        id: "corvid",
        title: "Corvid Networks",
        roles: &["product-supplier"],
        contact: "security@corvid.example",
    },
    Organization {
        id: "delphine",
        title: "Delphine Systems",
        roles: &["product-supplier"],
        contact: "security@delphine.example",
    },
    Organization {
        id: "emberline",
        title: "Emberline Software",
        roles: &["product-supplier"],
        contact: "psirt@emberline.example",
    },
];

/// What a product is used for in a plant, so sites pick fitting products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Plc,
    SafetyPlc,
    Firewall,
    Switch,
    Server,
    Workstation,
    HmiPanel,
}

pub struct Product {
    pub id: &'static str,
    pub kind: &'static str,
    pub title: &'static str,
    pub used_as: Use,
    vendor: &'static str,
    supplier: &'static str,
    model: &'static str,
    version: &'static str,
    certification: Option<&'static str>,
    /// Written as a scalar when all seven are equal, else as a list.
    sl_capability: [u8; 7],
    functions: &'static [&'static str],
    services: &'static [&'static str],
    provides: &'static [&'static str],
}

const PRODUCTS: &[Product] = &[
    Product {
        id: "ardent_cx500",
        kind: "embedded-device",
        title: "Ardent CX-500 controller",
        used_as: Use::Plc,
        vendor: "Ardent Controls",
        supplier: "ardent",
        model: "CX-500 CPU 54",
        version: "4.3.2",
        certification: Some("IEC 62443-4-2 SL 2"),
        sl_capability: [2, 2, 2, 2, 3, 2, 2],
        functions: &["controller"],
        services: &[],
        provides: &["SR 2.8 RE 1"],
    },
    Product {
        id: "ardent_cx300",
        kind: "embedded-device",
        title: "Ardent CX-300 compact controller",
        used_as: Use::Plc,
        vendor: "Ardent Controls",
        supplier: "ardent",
        model: "CX-300",
        version: "3.9.1",
        certification: None,
        sl_capability: [1, 1, 2, 1, 2, 1, 1],
        functions: &["controller"],
        services: &[],
        provides: &[],
    },
    Product {
        id: "borealis_b8",
        kind: "embedded-device",
        title: "Borealis B8 process controller",
        used_as: Use::Plc,
        vendor: "Borealis Automation",
        supplier: "borealis",
        model: "B8-PCU",
        version: "7.1",
        certification: Some("IEC 62443-4-2 SL 2 (component)"),
        sl_capability: [2, 2, 2, 1, 2, 2, 2],
        functions: &["controller"],
        services: &[],
        provides: &[],
    },
    Product {
        id: "borealis_m2",
        kind: "embedded-device",
        title: "Borealis M2 legacy controller",
        used_as: Use::Plc,
        vendor: "Borealis Automation",
        supplier: "borealis",
        model: "M2",
        version: "2.14",
        certification: None,
        sl_capability: [1, 1, 1, 1, 1, 1, 1],
        functions: &["controller"],
        services: &[],
        provides: &[],
    },
    Product {
        id: "ardent_sx2",
        kind: "embedded-device",
        title: "Ardent SX-2 safety controller",
        used_as: Use::SafetyPlc,
        vendor: "Ardent Controls",
        supplier: "ardent",
        model: "SX-2F",
        version: "2.2",
        certification: Some("IEC 62443-4-2 SL 3"),
        sl_capability: [3, 3, 3, 2, 3, 2, 3],
        functions: &["safety-controller"],
        services: &[],
        provides: &["SR 3.1 RE 1"],
    },
    Product {
        id: "borealis_guardian",
        kind: "embedded-device",
        title: "Borealis Guardian safety PLC",
        used_as: Use::SafetyPlc,
        vendor: "Borealis Automation",
        supplier: "borealis",
        model: "GRD-4",
        version: "5.0.3",
        certification: Some("IEC 62443-4-2 SL 2"),
        sl_capability: [3, 3, 3, 2, 3, 2, 3],
        functions: &["safety-controller"],
        services: &[],
        provides: &[],
    },
    Product {
        id: "corvid_f400",
        kind: "network-device",
        title: "Corvid F400 industrial firewall",
        used_as: Use::Firewall,
        vendor: "Corvid Networks",
        supplier: "corvid",
        model: "F400-R",
        version: "9.2.4",
        certification: Some("IEC 62443-4-2 SL 3"),
        sl_capability: [3, 3, 3, 3, 3, 2, 3],
        functions: &["firewall", "router"],
        services: &[],
        provides: &["SR 5.2 RE 1", "SR 5.2 RE 2"],
    },
    Product {
        id: "corvid_f120",
        kind: "network-device",
        title: "Corvid F120 cell firewall",
        used_as: Use::Firewall,
        vendor: "Corvid Networks",
        supplier: "corvid",
        model: "F120",
        version: "9.1.0",
        certification: Some("IEC 62443-4-2 SL 2"),
        sl_capability: [2, 2, 2, 2, 2, 2, 2],
        functions: &["firewall"],
        services: &[],
        provides: &[],
    },
    Product {
        id: "corvid_s24",
        kind: "network-device",
        title: "Corvid S24 managed switch",
        used_as: Use::Switch,
        vendor: "Corvid Networks",
        supplier: "corvid",
        model: "S24-G",
        version: "6.8",
        certification: None,
        sl_capability: [2; 7],
        functions: &["switch"],
        services: &[],
        provides: &[],
    },
    Product {
        id: "delphine_r7",
        kind: "host-device",
        title: "Delphine R7 hardened server",
        used_as: Use::Server,
        vendor: "Delphine Systems",
        supplier: "delphine",
        model: "R7-2U",
        version: "2025.2",
        certification: Some("IEC 62443-4-2 SL 2"),
        sl_capability: [2; 7],
        functions: &[],
        services: &[],
        provides: &[],
    },
    Product {
        id: "delphine_w3",
        kind: "host-device",
        title: "Delphine W3 operator workstation",
        used_as: Use::Workstation,
        vendor: "Delphine Systems",
        supplier: "delphine",
        model: "W3",
        version: "2025.2",
        certification: None,
        sl_capability: [2; 7],
        functions: &[],
        services: &[],
        provides: &[],
    },
    Product {
        id: "ardent_tp15",
        kind: "embedded-device",
        title: "Ardent TP-15 operator panel",
        used_as: Use::HmiPanel,
        vendor: "Ardent Controls",
        supplier: "ardent",
        model: "TP-15 Comfort",
        version: "17.0",
        certification: None,
        sl_capability: [2, 2, 2, 1, 2, 1, 2],
        functions: &["hmi"],
        services: &[],
        provides: &[],
    },
];

/// Every product used for `used_as`, in catalogue order.
pub fn products_for(used_as: Use) -> Vec<&'static Product> {
    PRODUCTS.iter().filter(|p| p.used_as == used_as).collect()
}

pub fn organizations_file() -> String {
    let mut out = String::from(
        "// Organisations of the generated fleet: the owner, the integrator, the maintainer and\n\
         // the product suppliers. Every name is invented.\n",
    );
    for org in ORGANIZATIONS {
        let roles = org.roles.join(", ");
        let _ = write!(
            out,
            "\norganization {} \"{}\" {{\n  roles   = [{roles}]\n  contact = \"{}\"\n}}\n",
            org.id, org.title, org.contact
        );
    }
    out
}

pub fn products_file() -> String {
    let mut out = String::from(
        "// Product types used across the fleet. Capability levels are the suppliers'\n\
         // IEC 62443-4-2 statements as recorded at purchase.\n",
    );
    for p in PRODUCTS {
        let _ = write!(
            out,
            "\n/// Standard {} for the fleet.\nproduct {} : {} \"{}\" {{\n",
            use_words(p.used_as),
            p.id,
            p.kind,
            p.title
        );
        let _ = writeln!(out, "  vendor        = \"{}\"", p.vendor);
        let _ = writeln!(out, "  model         = \"{}\"", p.model);
        let _ = writeln!(out, "  version       = \"{}\"", p.version);
        if let Some(cert) = p.certification {
            let _ = writeln!(out, "  certification = \"{cert}\"");
        }
        let _ = writeln!(out, "  sl_capability = {}", sl_text(p.sl_capability));
        if !p.functions.is_empty() {
            let _ = writeln!(out, "  functions     = [{}]", p.functions.join(", "));
        }
        // Hosts run the fleet's central anti-malware; firewalls inspect what crosses them.
        if matches!(p.used_as, Use::Server | Use::Workstation | Use::Firewall) {
            let _ = writeln!(out, "  malware_protection = central");
        }
        if !p.services.is_empty() {
            let _ = writeln!(out, "  services      = [{}]", p.services.join(", "));
        }
        if !p.provides.is_empty() {
            let quoted: Vec<String> = p.provides.iter().map(|r| format!("\"{r}\"")).collect();
            let _ = writeln!(out, "  provides      = [{}]", quoted.join(", "));
        }
        let _ = writeln!(out, "  supplier      = {}", p.supplier);
        out.push_str("}\n");
    }
    out
}

fn use_words(used_as: Use) -> &'static str {
    match used_as {
        Use::Plc => "process controller",
        Use::SafetyPlc => "safety controller",
        Use::Firewall => "firewall",
        Use::Switch => "switch",
        Use::Server => "server platform",
        Use::Workstation => "workstation",
        Use::HmiPanel => "operator panel",
    }
}

/// An SL vector the way people write it: one number when uniform, else seven in FR order.
pub fn sl_text(levels: [u8; 7]) -> String {
    if levels.iter().all(|l| *l == levels[0]) {
        return levels[0].to_string();
    }
    let parts: Vec<String> = levels.iter().map(u8::to_string).collect();
    format!("[{}]", parts.join(", "))
}
