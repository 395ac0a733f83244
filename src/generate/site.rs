//! One generated site: a plant with the zones a real one has (enterprise, DMZ, operations, cells
//! with nested safety zones, a vendor access network, sometimes maintenance and wireless zones),
//! the conduits between them with their boundary firewalls and flows, the people who work on it,
//! and its risk records.
//!
//! A site is planned first (how many of each thing, from its component budget), then written.
//! The plan spends the budget exactly, so the workspace has the component count asked for.

use std::fmt::Write;

use super::catalog::{self, INTEGRATOR, MAINTAINER, OWNER, Product, Use};

/// Components every site has, whatever its budget (see [`FIXED_COMPONENTS`]).
const FIXED_COMPONENTS: usize = 19;
/// Components of the smallest cell: firewall, switch, controller, operator panel.
const MIN_CELL: usize = 4;
/// The smallest budget a site can be written with.
pub const MIN_SITE: usize = FIXED_COMPONENTS + MIN_CELL;

/// What the workspace's `main.iacs` needs to know about a site.
pub struct SiteSummary {
    pub id: String,
    pub components: usize,
}

/// The protocol family a cell's controllers speak; it decides products and flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    S7,
    Modbus,
    EtherNetIp,
    OpcUa,
}

impl Family {
    fn poll(self) -> FlowShape {
        match self {
            Family::S7 => FlowShape::plain("s7comm", "102"),
            Family::Modbus => FlowShape::plain("modbus-tcp", "502"),
            Family::EtherNetIp => FlowShape::plain("ethernet-ip", "44818"),
            Family::OpcUa => FlowShape::secure("opc-ua", "4840"),
        }
    }

    fn controllers(self) -> Vec<&'static Product> {
        let plcs = catalog::products_for(Use::Plc);
        let wanted: &[&str] = match self {
            Family::S7 => &["ardent_cx500", "ardent_cx300"],
            Family::Modbus => &["borealis_m2"],
            Family::EtherNetIp => &["borealis_b8"],
            Family::OpcUa => &["ardent_cx500"],
        };
        plcs.into_iter()
            .filter(|p| wanted.contains(&p.id))
            .collect()
    }
}

/// The security attributes of a flow.
#[derive(Debug, Clone, Copy)]
struct FlowShape {
    protocol: &'static str,
    port: &'static str,
    auth: &'static str,
    integrity: &'static str,
    encryption: &'static str,
}

impl FlowShape {
    fn plain(protocol: &'static str, port: &'static str) -> FlowShape {
        FlowShape {
            protocol,
            port,
            auth: "none",
            integrity: "none",
            encryption: "none",
        }
    }
    fn secure(protocol: &'static str, port: &'static str) -> FlowShape {
        FlowShape {
            protocol,
            port,
            auth: "certificate",
            integrity: "cryptographic",
            encryption: "tls",
        }
    }
}

struct CellPlan {
    /// `cell_07`
    id: String,
    number: usize,
    level: u8,
    family: Family,
    controller: &'static Product,
    plcs: usize,
    panels: usize,
    io: usize,
    safety: bool,
}

impl CellPlan {
    fn components(&self) -> usize {
        2 + self.plcs + self.panels + self.io + if self.safety { 2 } else { 0 }
    }
}

struct SitePlan {
    id: String,
    number: usize,
    city: &'static str,
    redundant_scada: bool,
    extra_hmis: usize,
    backup: bool,
    diode: bool,
    maintenance_laptops: usize,
    wireless_tablets: usize,
    cells: Vec<CellPlan>,
}

const CITIES: &[&str] = &[
    "Lakeside",
    "Northgate",
    "Eastbrook",
    "Millford",
    "Harbour Point",
    "Stonebridge",
    "Westfield",
    "Ashcombe",
    "Riverbend",
    "Kettering Cross",
    "Fairholm",
    "Oakridge",
];

const LINE_PRODUCTS: &[&str] = &[
    "bottling",
    "mixing",
    "packaging",
    "palletising",
    "dosing",
    "filtration",
    "pressing",
    "curing",
    "cutting",
    "blending",
];

/// Plans one site with exactly `budget` components (`budget >= MIN_SITE`).
fn plan(number: usize, budget: usize, rng: &mut fastrand::Rng) -> SitePlan {
    debug_assert!(budget >= MIN_SITE);
    // What is left for optional extras once the fixed part and the first cell are paid for.
    let mut spare = budget - MIN_SITE;
    let redundant_scada = take(usize::from(rng.f32() < 0.6), &mut spare) == 1;
    let extra_hmis = take(rng.usize(0..=2), &mut spare);
    let backup = take(usize::from(rng.f32() < 0.7), &mut spare) == 1;
    let diode = take(usize::from(rng.f32() < 0.3), &mut spare) == 1;
    // Optional zones come whole or not at all.
    let maintenance_laptops = if rng.f32() < 0.3 && spare >= 3 {
        let laptops = rng.usize(1..=2);
        take(1 + laptops, &mut spare) - 1
    } else {
        0
    };
    let wireless_tablets = if rng.f32() < 0.25 && spare >= 4 {
        let tablets = rng.usize(1..=3);
        take(2 + tablets, &mut spare) - 2
    } else {
        0
    };

    let mut cell_budget = spare + MIN_CELL;
    let mut cells = Vec::new();
    while cell_budget > 0 {
        let mut size = rng.usize(6..=24).min(cell_budget);
        if cell_budget - size < MIN_CELL {
            size = cell_budget;
        }
        cell_budget -= size;
        cells.push(plan_cell(cells.len() + 1, size, rng));
    }
    SitePlan {
        id: format!("site_{number:04}"),
        number,
        city: CITIES[(number - 1) % CITIES.len()],
        redundant_scada,
        extra_hmis,
        backup,
        diode,
        maintenance_laptops,
        wireless_tablets,
        cells,
    }
}

/// Spends up to `wanted` of the spare budget; returns what was granted.
fn take(wanted: usize, spare: &mut usize) -> usize {
    let got = wanted.min(*spare);
    *spare -= got;
    got
}

fn plan_cell(number: usize, size: usize, rng: &mut fastrand::Rng) -> CellPlan {
    // Most lines run current controllers; about one in five still has a legacy one.
    let family = match rng.usize(0..100) {
        0..35 => Family::OpcUa,
        35..65 => Family::S7,
        65..90 => Family::EtherNetIp,
        _ => Family::Modbus,
    };
    let controllers = family.controllers();
    // The catalogue lists the current controller first and a legacy one second.
    let controller = if controllers.len() > 1 && rng.f32() < 0.3 {
        controllers[1]
    } else {
        controllers[0]
    };
    // Firewall, switch, one controller and one panel are always there.
    let mut spare = size - MIN_CELL;
    let safety = spare >= 2 && rng.f32() < 0.4;
    if safety {
        spare -= 2;
    }
    let extra_plcs = rng.usize(0..=2).min(spare);
    spare -= extra_plcs;
    let extra_panels = rng.usize(0..=1).min(spare);
    spare -= extra_panels;
    let cell = CellPlan {
        id: format!("cell_{number:02}"),
        number,
        // Cell/area zones sit at level 2; a few plants still hang lines at level 1 directly
        // below operations.
        level: if rng.f32() < 0.85 { 2 } else { 1 },
        family,
        controller,
        plcs: 1 + extra_plcs,
        panels: 1 + extra_panels,
        io: spare,
        safety,
    };
    debug_assert_eq!(cell.components(), size);
    cell
}

/// Writes site `number` with exactly `budget` components.
pub fn write(number: usize, budget: usize, seed: u64) -> (String, SiteSummary) {
    // Each site has its own stream, so one site's text does not depend on the others.
    let mut rng =
        fastrand::Rng::with_seed(seed ^ (number as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let plan = plan(number, budget, &mut rng);
    let mut w = SiteWriter {
        out: String::with_capacity(budget * 420),
        rng,
        components: 0,
    };
    w.site(&plan);
    let summary = SiteSummary {
        id: plan.id.clone(),
        components: w.components,
    };
    debug_assert_eq!(w.components, budget);
    (w.out, summary)
}

struct SiteWriter {
    out: String,
    rng: fastrand::Rng,
    /// Components written so far, to prove the plan's arithmetic.
    components: usize,
}

/// An attribute line inside a block.
macro_rules! attr {
    ($w:expr, $indent:expr, $($arg:tt)*) => {{
        $w.out.push_str($indent);
        let _ = writeln!($w.out, $($arg)*);
    }};
}

impl SiteWriter {
    fn site(&mut self, p: &SitePlan) {
        let _ = writeln!(
            self.out,
            "// Site {} ({}): {} production cells. Generated by `zonelint generate`.\n\
             // Zone and conduit layout follows the fleet reference architecture, rev C.\n",
            p.number,
            p.city,
            p.cells.len()
        );
        let _ = writeln!(
            self.out,
            "/// Plant {} at {}.\nsite {} \"Plant {}, {}\" {{",
            p.number, p.city, p.id, p.number, p.city
        );
        attr!(
            self,
            "  ",
            "location    = \"{} industrial estate, unit {}\"",
            p.city,
            p.number
        );
        attr!(
            self,
            "  ",
            "description = \"Discrete and batch production, {} lines\"",
            p.cells.len()
        );
        self.vendor_access();
        self.enterprise(p);
        self.dmz(p);
        self.operations(p);
        if p.maintenance_laptops > 0 {
            self.maintenance(p);
        }
        if p.wireless_tablets > 0 {
            self.wireless(p);
        }
        for cell in &p.cells {
            self.cell(p, cell);
        }
        self.site_conduits(p);
        for cell in &p.cells {
            self.cell_conduits(cell);
        }
        self.roles(p);
        self.risk_records(p);
        self.out.push_str("}\n");
    }

    fn zone_header(&mut self, indent: &str, id: &str, title: &str, doc: Option<&str>) {
        self.out.push('\n');
        if let Some(doc) = doc {
            let _ = writeln!(self.out, "{indent}/// {doc}");
        }
        let _ = writeln!(self.out, "{indent}zone {id} \"{title}\" {{");
    }

    /// `component id : type "title"` and an optional body of attribute lines.
    fn component(&mut self, indent: &str, id: &str, ty: &str, title: &str, body: &[String]) {
        self.components += 1;
        if body.is_empty() {
            let _ = writeln!(self.out, "{indent}component {id} : {ty} \"{title}\"");
            return;
        }
        if body.len() == 1 && body[0].len() < 40 {
            let _ = writeln!(
                self.out,
                "{indent}component {id} : {ty} \"{title}\" {{ {} }}",
                body[0]
            );
            return;
        }
        let _ = writeln!(self.out, "{indent}component {id} : {ty} \"{title}\" {{");
        for line in body {
            let _ = writeln!(self.out, "{indent}  {line}");
        }
        let _ = writeln!(self.out, "{indent}}}");
    }

    fn serial(&mut self, prefix: &str) -> String {
        format!("serial = \"{prefix}-{:05}\"", self.rng.u32(0..100_000))
    }

    fn vendor_access(&mut self) {
        self.zone_header(
            "  ",
            "vendor_access",
            "Integrator network beyond the VPN",
            Some("Modelled so the remote-access path can be checked end to end."),
        );
        attr!(self, "    ", "kind      = external");
        attr!(self, "    ", "trust     = untrusted");
        attr!(self, "    ", "sl_target = 0");
        attr!(self, "    ", "owner     = {INTEGRATOR}");
        attr!(
            self,
            "    ",
            "boundary  = \"Integrator side of the VPN tunnel\""
        );
        self.component(
            "    ",
            "support_laptop",
            "host-device",
            "Integrator support laptop",
            &[
                "vendor = \"Delphine Systems\"  model = \"Field laptop FL-9\"  version = \"FL-9.4\"".into(),
                "sl_capability      = 2".into(),
                "malware_protection = central".into(),
                "external           = true".into(),
                format!("supplier = delphine  maintainer = {INTEGRATOR}"),
            ],
        );
        self.out.push_str("  }\n");
    }

    fn enterprise(&mut self, p: &SitePlan) {
        self.zone_header("  ", "enterprise", "Site office network", None);
        attr!(self, "    ", "kind         = enterprise  level = 4");
        attr!(self, "    ", "sl_target    = 1");
        attr!(self, "    ", "owner        = {OWNER}");
        attr!(self, "    ", "segmentation = physical");
        attr!(
            self,
            "    ",
            "boundary     = \"Office LAN of plant {} up to fw_edge\"",
            p.number
        );
        let serial = self.serial("R7");
        self.component(
            "    ",
            "report_srv",
            "delphine_r7",
            "Production reporting server",
            &[serial],
        );
        self.component(
            "    ",
            "erp_link",
            "software-application",
            "ERP order interface",
            &[
                "vendor = \"Emberline Software\"  model = \"OrderBridge\"  version = \"5.2\""
                    .into(),
                "sl_capability = 1".into(),
                "host      = report_srv".into(),
                "functions = [file-server]".into(),
                "supplier  = emberline".into(),
            ],
        );
        self.component(
            "    ",
            "update_proxy",
            "host-device",
            "Corporate update proxy",
            &[
                "vendor = \"Delphine Systems\"  model = \"Proxy VA\"  version = \"12.4\"".into(),
                "sl_capability      = 1".into(),
                "malware_protection = central".into(),
                "services           = [https:8080]".into(),
                "supplier = delphine  maintainer = fleet_owner".into(),
            ],
        );
        self.out.push_str("  }\n");
    }

    fn dmz(&mut self, p: &SitePlan) {
        self.zone_header(
            "  ",
            "dmz",
            "Industrial DMZ",
            Some("The only place where office users and vendor sessions meet the plant."),
        );
        attr!(self, "    ", "kind         = dmz  level = 3.5");
        attr!(
            self,
            "    ",
            "sl_target    = {{ IAC: 2, UC: 2, SI: 2, DC: 2, RDF: 2, TRE: 2, RA: 1 }}"
        );
        attr!(self, "    ", "owner        = {OWNER}");
        attr!(self, "    ", "segmentation = physical");
        attr!(
            self,
            "    ",
            "boundary     = \"DMZ legs of fw_edge and fw_core\""
        );
        attr!(self, "    ", "access_points = [fw_edge, vpn_gw]");
        for (id, title) in [
            ("fw_edge", "Office-side DMZ firewall"),
            ("fw_core", "Plant-side DMZ firewall"),
        ] {
            let serial = self.serial("F4");
            self.component(
                "    ",
                id,
                "corvid_f400",
                title,
                &[
                    serial,
                    format!(
                        "config_record = \"Firewall manager, package P{}-{id}\"",
                        p.number
                    ),
                ],
            );
        }
        self.component(
            "    ",
            "vpn_gw",
            "network-device",
            "Remote-access VPN gateway",
            &[
                "vendor = \"Corvid Networks\"  model = \"V-900\"  version = \"4.0.3\"".into(),
                "sl_capability       = 2".into(),
                "functions           = [vpn-gateway, remote-access-gateway]".into(),
                "session_termination = true".into(),
                format!("supplier = corvid  maintainer = {INTEGRATOR}"),
            ],
        );
        self.component(
            "    ",
            "jump1",
            "delphine_r7",
            "Jump host for remote sessions",
            &[
                "functions           = [jump-host]".into(),
                "session_termination = true".into(),
                "services            = [rdp:3389]".into(),
            ],
        );
        self.component(
            "    ",
            "hist_replica",
            "host-device",
            "Historian replica",
            &[
                "vendor = \"Emberline Software\"  model = \"TrendStore Replica\"  version = \"8.2\"".into(),
                "sl_capability      = [2, 2, 2, 2, 2, 1, 2]".into(),
                "functions          = [historian]".into(),
                "malware_protection = local".into(),
                "services           = [https:443]".into(),
                format!("supplier = emberline  maintainer = {INTEGRATOR}"),
            ],
        );
        self.component(
            "    ",
            "patch_relay",
            "delphine_r7",
            "Patch and signature relay",
            &[
                "functions = [patch-server, malware-protection]".into(),
                "services  = [https:8531]".into(),
            ],
        );
        if p.diode {
            self.component(
                "    ",
                "diode",
                "network-device",
                "Unidirectional gateway for historian replication",
                &[
                    "vendor = \"Corvid Networks\"  model = \"OneWay 1G\"  version = \"3.2\"".into(),
                    "sl_capability = [2, 2, 2, 2, 4, 2, 2]".into(),
                    "functions     = [data-diode]".into(),
                    "supplier      = corvid".into(),
                ],
            );
        }
        self.out.push_str("  }\n");
    }

    fn operations(&mut self, p: &SitePlan) {
        self.zone_header(
            "  ",
            "operations",
            "Site operations",
            Some("SCADA, historian and the shared OT services of the plant."),
        );
        attr!(self, "    ", "kind         = operations  level = 3");
        attr!(self, "    ", "sl_target    = 2");
        attr!(self, "    ", "owner        = {OWNER}");
        attr!(self, "    ", "segmentation = physical");
        attr!(
            self,
            "    ",
            "assumptions  = \"Keeps the plant running with the DMZ and the office network down\""
        );
        attr!(
            self,
            "    ",
            "boundary     = \"Operations LAN behind fw_core\""
        );
        self.component(
            "    ",
            "ops_sw",
            "corvid_s24",
            "Operations core switch",
            &[],
        );
        let mut scada_servers = vec!["scada_srv_1"];
        if p.redundant_scada {
            scada_servers.push("scada_srv_2");
        }
        for id in &scada_servers {
            self.component(
                "    ",
                id,
                "delphine_r7",
                "SCADA server",
                &["functions = [scada]".into()],
            );
        }
        self.component(
            "    ",
            "scada_app",
            "software-application",
            "SCADA runtime",
            &[
                "vendor = \"Emberline Software\"  model = \"PlantView\"  version = \"11.3\"".into(),
                "sl_capability = 2".into(),
                "host          = scada_srv_1".into(),
                "functions     = [scada, hmi]".into(),
                format!("supplier = emberline  maintainer = {INTEGRATOR}"),
            ],
        );
        self.component(
            "    ",
            "hist_1",
            "delphine_r7",
            "Process historian",
            &["functions = [historian]".into()],
        );
        self.component(
            "    ",
            "ews_1",
            "delphine_w3",
            "Engineering workstation",
            &[
                "functions = [engineering]".into(),
                "services  = [rdp:3389]".into(),
            ],
        );
        self.component(
            "    ",
            "dc_1",
            "delphine_r7",
            "OT domain controller",
            &["functions = [directory]".into()],
        );
        self.component(
            "    ",
            "ntp_1",
            "embedded-device",
            "GPS time server",
            &[
                "vendor = \"Corvid Networks\"  model = \"T-200\"  version = \"2.6\"".into(),
                "sl_capability = 2".into(),
                "functions     = [time-source]".into(),
                "services      = [ntp:123]".into(),
                format!("supplier = corvid  maintainer = {MAINTAINER}"),
            ],
        );
        self.component(
            "    ",
            "log_1",
            "host-device",
            "Log collector",
            &[
                "vendor = \"Delphine Systems\"  model = \"LogVault 3\"  version = \"3.1\"".into(),
                "sl_capability      = 2".into(),
                "functions          = [log-collector, monitoring]".into(),
                "malware_protection = central".into(),
                "services           = [syslog:514]".into(),
                "supplier = delphine  maintainer = fleet_owner".into(),
            ],
        );
        for n in 1..=1 + p.extra_hmis {
            self.component(
                "    ",
                &format!("hmi_{n}"),
                "delphine_w3",
                &format!("Control room HMI {n}"),
                &["functions = [hmi]".into()],
            );
        }
        if p.backup {
            self.component(
                "    ",
                "bkp_1",
                "delphine_r7",
                "Backup server",
                &[
                    "functions = [backup]".into(),
                    format!("config_record = \"Backup plan BP-{}\"", p.number),
                ],
            );
        }
        self.out.push_str("  }\n");
    }

    fn maintenance(&mut self, p: &SitePlan) {
        self.zone_header(
            "  ",
            "maintenance",
            "Maintenance laptop network",
            Some("Laptops are connected here only for planned work."),
        );
        attr!(self, "    ", "kind      = temporary  level = 3");
        attr!(
            self,
            "    ",
            "boundary  = \"Maintenance ports behind maint_fw\""
        );
        attr!(self, "    ", "sl_target = 2");
        attr!(self, "    ", "owner     = {OWNER}");
        self.component(
            "    ",
            "maint_fw",
            "corvid_f120",
            "Maintenance network firewall",
            &[],
        );
        for n in 1..=p.maintenance_laptops {
            self.component(
                "    ",
                &format!("laptop_{n}"),
                "host-device",
                &format!("Maintenance laptop {n}"),
                &[
                    "vendor = \"Delphine Systems\"  model = \"Rugged L5\"  version = \"2025.1\""
                        .into(),
                    "sl_capability      = 2".into(),
                    "temporary          = true".into(),
                    "malware_protection = central".into(),
                    format!("supplier = delphine  maintainer = {MAINTAINER}"),
                ],
            );
        }
        self.out.push_str("  }\n");
    }

    fn wireless(&mut self, p: &SitePlan) {
        self.zone_header("  ", "wireless", "Plant-floor wireless", None);
        attr!(self, "    ", "kind         = wireless  level = 2");
        attr!(self, "    ", "sl_target    = [2, 2, 2, 2, 1, 1, 1]");
        attr!(self, "    ", "owner        = {OWNER}");
        attr!(self, "    ", "segmentation = vlan");
        attr!(
            self,
            "    ",
            "boundary     = \"Wireless VLAN behind wifi_fw\""
        );
        self.component(
            "    ",
            "wifi_fw",
            "corvid_f120",
            "Wireless network firewall",
            &[],
        );
        self.component(
            "    ",
            "wap_1",
            "network-device",
            "Plant-floor access point",
            &[
                "vendor = \"Corvid Networks\"  model = \"AP-7 Ind\"  version = \"7.2\"".into(),
                "sl_capability = [2, 2, 2, 2, 1, 1, 1]".into(),
                "functions     = [wireless-ap]".into(),
                "wireless      = true".into(),
                "supplier      = corvid".into(),
            ],
        );
        for n in 1..=p.wireless_tablets {
            self.component(
                "    ",
                &format!("tablet_{n}"),
                "host-device",
                &format!("Operator tablet {n}"),
                &[
                    "vendor = \"Delphine Systems\"  model = \"Tab 10 Ex\"  version = \"14\"".into(),
                    "sl_capability = [2, 2, 2, 2, 1, 1, 1]".into(),
                    "wireless      = true".into(),
                    "functions     = [hmi]".into(),
                ],
            );
        }
        self.out.push_str("  }\n");
    }

    fn cell(&mut self, p: &SitePlan, c: &CellPlan) {
        let line = LINE_PRODUCTS[(p.number + c.number) % LINE_PRODUCTS.len()];
        self.zone_header(
            "  ",
            &c.id,
            &format!("Line {} {line} cell", c.number),
            (c.number % 3 == 1).then_some("Cell zone: one production line and its local panel."),
        );
        attr!(self, "    ", "kind         = control  level = {}", c.level);
        // Two of the three ways people write a target level (zones elsewhere use the scalar).
        if self.rng.bool() {
            attr!(
                self,
                "    ",
                "sl_target    = {{ IAC: 2, UC: 2, SI: 2, DC: 1, RDF: 2, TRE: 1, RA: 2 }}"
            );
        } else {
            attr!(self, "    ", "sl_target    = [2, 2, 2, 1, 2, 1, 2]");
        }
        attr!(self, "    ", "owner        = {OWNER}");
        attr!(
            self,
            "    ",
            "segmentation = {}",
            if self.rng.bool() { "physical" } else { "vlan" }
        );
        attr!(
            self,
            "    ",
            "boundary     = \"Line {} network behind cell_fw\"",
            c.number
        );
        let serial = self.serial("F1");
        self.component(
            "    ",
            "cell_fw",
            "corvid_f120",
            "Cell firewall",
            &[
                serial,
                format!(
                    "config_record = \"Firewall manager, package P{}-{}\"",
                    p.number, c.id
                ),
            ],
        );
        self.component("    ", "cell_sw", "corvid_s24", "Cell switch", &[]);
        for n in 1..=c.plcs {
            let mut body = vec![self.serial("PLC")];
            if self.rng.f32() < 0.3 {
                body.push(format!(
                    "custom {{ asset_tag = \"A-{}-{}-{n}\"  criticality = \"{}\" }}",
                    p.number,
                    c.number,
                    if n == 1 { "high" } else { "medium" }
                ));
            }
            if c.controller.id == "ardent_cx300" && self.rng.f32() < 0.5 {
                body.push("version = \"3.7.0\"   // not yet on the fleet baseline".into());
            }
            self.component(
                "    ",
                &format!("plc_{n}"),
                c.controller.id,
                &format!("Line {} controller {n}", c.number),
                &body,
            );
        }
        for n in 1..=c.panels {
            self.component(
                "    ",
                &format!("panel_{n}"),
                "ardent_tp15",
                &format!("Line {} operator panel {n}", c.number),
                &[],
            );
        }
        for n in 1..=c.io {
            let (vendor, supplier) = match c.family {
                Family::S7 | Family::OpcUa => ("Ardent Controls", "ardent"),
                Family::Modbus | Family::EtherNetIp => ("Borealis Automation", "borealis"),
            };
            self.component(
                "    ",
                &format!("io_{n}"),
                "embedded-device",
                &format!("Remote I/O station {n}"),
                &[
                    format!(
                        "vendor = \"{vendor}\"  model = \"RIO-16\"  version = \"1.{}\"",
                        n % 7
                    ),
                    "sl_capability = [2, 2, 2, 1, 2, 1, 2]".into(),
                    format!("supplier = {supplier}  maintainer = {MAINTAINER}"),
                ],
            );
        }
        if c.safety {
            self.zone_header(
                "    ",
                "sis",
                &format!("Line {} safety instrumented system", c.number),
                Some("Safety zone nested in its cell; reached only through the cell firewall."),
            );
            attr!(self, "      ", "kind      = safety  level = 1");
            attr!(
                self,
                "      ",
                "sl_target = {{ IAC: 3, UC: 3, SI: 3, DC: 2, RDF: 3, TRE: 2, RA: 3 }}"
            );
            attr!(self, "      ", "critical  = true");
            attr!(self, "      ", "owner     = {OWNER}");
            attr!(
                self,
                "      ",
                "boundary  = \"Safety network behind the cell firewall\""
            );
            let safety_plcs = catalog::products_for(Use::SafetyPlc);
            let product = safety_plcs[self.rng.usize(0..safety_plcs.len())].id;
            let serial = self.serial("SIS");
            self.component(
                "      ",
                "sis_plc",
                product,
                "Safety controller",
                &[serial, "safety = true".into()],
            );
            self.component(
                "      ",
                "sis_io",
                "embedded-device",
                "Safety I/O",
                &[
                    "vendor = \"Ardent Controls\"  model = \"SIO-8F\"  version = \"1.4\"".into(),
                    "sl_capability = [3, 3, 3, 2, 3, 2, 3]".into(),
                    "safety        = true".into(),
                    "supplier      = ardent".into(),
                ],
            );
            self.out.push_str("    }\n");
        }
        self.out.push_str("  }\n");
    }

    fn conduit_header(&mut self, id: &str, title: &str, zones: &str, via: &str, sl: &str) {
        let _ = writeln!(self.out, "\n  conduit {id} \"{title}\" {{");
        attr!(self, "    ", "zones     = [{zones}]");
        attr!(self, "    ", "via       = {via}");
        attr!(self, "    ", "sl_target = {sl}");
        attr!(self, "    ", "default   = deny");
        attr!(self, "    ", "rate_limit = true");
    }

    fn flow(&mut self, id: &str, from: &str, to: &str, shape: FlowShape, extra: &[&str]) {
        let _ = write!(
            self.out,
            "    flow {id} : {from} -> {to} {{ protocol = {}  port = {}  auth = {}  integrity = {}  encryption = {}",
            shape.protocol, shape.port, shape.auth, shape.integrity, shape.encryption
        );
        for e in extra {
            let _ = write!(self.out, "  {e}");
        }
        self.out.push_str(" }\n");
    }

    fn site_conduits(&mut self, p: &SitePlan) {
        self.conduit_header(
            "vendor_vpn",
            "Integrator VPN into the DMZ",
            "vendor_access, dmz",
            "dmz.vpn_gw",
            "2",
        );
        attr!(self, "    ", "medium    = public-network");
        self.flow(
            "vendor_session",
            "vendor_access.support_laptop",
            "dmz.jump1",
            FlowShape {
                auth: "mfa",
                encryption: "ipsec",
                ..FlowShape::secure("rdp", "3389")
            },
            &[
                "interactive = true",
                "approval = true",
                "purpose = \"Remote support on request\"",
            ],
        );
        self.out.push_str("  }\n");

        self.conduit_header(
            "office_dmz",
            "Office network to DMZ",
            "enterprise, dmz",
            "dmz.fw_edge",
            "2",
        );
        self.flow(
            "replica_read",
            "enterprise.report_srv",
            "dmz.hist_replica",
            FlowShape::secure("https", "443"),
            &["purpose = \"Production reports\""],
        );
        self.flow(
            "patch_fetch",
            "dmz.patch_relay",
            "enterprise.update_proxy",
            FlowShape::secure("https", "8080"),
            &[],
        );
        self.out.push_str("  }\n");

        self.conduit_header(
            "dmz_ops",
            "DMZ to site operations",
            "dmz, operations",
            "dmz.fw_core",
            "2",
        );
        if !p.diode {
            self.flow(
                "replication",
                "operations.hist_1",
                "dmz.hist_replica",
                FlowShape::secure("opc-ua", "4840"),
                &[],
            );
        }
        self.flow(
            "remote_engineering",
            "dmz.jump1",
            "operations.ews_1",
            FlowShape {
                auth: "mfa",
                ..FlowShape::secure("rdp", "3389")
            },
            &["interactive = true", "approval = true"],
        );
        self.flow(
            "patch_distribution",
            "operations.dc_1",
            "dmz.patch_relay",
            FlowShape::secure("https", "8531"),
            &[],
        );
        self.out.push_str("  }\n");

        if p.diode {
            self.conduit_header(
                "ops_to_dmz",
                "One-way historian replication",
                "operations, dmz",
                "dmz.diode",
                "2",
            );
            attr!(self, "    ", "direction = operations -> dmz");
            attr!(self, "    ", "fail      = closed");
            self.flow(
                "replication",
                "operations.hist_1",
                "dmz.hist_replica",
                FlowShape {
                    protocol: "\"diode-replication\"",
                    port: "any",
                    ..FlowShape::plain("", "")
                },
                &[],
            );
            self.out.push_str("  }\n");
        }
        if p.maintenance_laptops > 0 {
            self.conduit_header(
                "maintenance_ops",
                "Maintenance laptops to operations",
                "maintenance, operations",
                "maintenance.maint_fw",
                "2",
            );
            self.flow(
                "laptop_rdp",
                "maintenance.laptop_1",
                "operations.ews_1",
                FlowShape {
                    auth: "password",
                    ..FlowShape::secure("rdp", "3389")
                },
                &["interactive = true"],
            );
            self.out.push_str("  }\n");
        }
        if p.wireless_tablets > 0 {
            self.conduit_header(
                "wireless_ops",
                "Wireless tablets to SCADA",
                "wireless, operations",
                "wireless.wifi_fw",
                "[2, 2, 2, 2, 1, 1, 1]",
            );
            attr!(self, "    ", "medium    = wireless");
            self.flow(
                "tablet_hmi",
                "wireless.tablet_1",
                "operations.scada_app",
                FlowShape {
                    auth: "password",
                    ..FlowShape::secure("https", "443")
                },
                &["interactive = true"],
            );
            self.out.push_str("  }\n");
        }
    }

    fn cell_conduits(&mut self, c: &CellPlan) {
        let cell = &c.id;
        self.conduit_header(
            &format!("ops_{cell}"),
            &format!("Operations to line {}", c.number),
            &format!("operations, {cell}"),
            &format!("{cell}.cell_fw"),
            "2",
        );
        let poll = c.family.poll();
        for n in 1..=c.plcs {
            self.flow(
                &format!("poll_{n}"),
                "operations.scada_srv_1",
                &format!("{cell}.plc_{n}"),
                poll,
                &[],
            );
        }
        let program = match c.family {
            Family::OpcUa => FlowShape::secure("opc-ua", "4840"),
            Family::S7 => FlowShape {
                auth: "password",
                ..FlowShape::plain("s7comm", "102")
            },
            Family::Modbus | Family::EtherNetIp => FlowShape {
                auth: "password",
                ..FlowShape::plain("\"vendor-engineering\"", "[2222, 44818]")
            },
        };
        self.flow(
            "program",
            "operations.ews_1",
            &format!("{cell}.plc_1"),
            program,
            &["interactive = true"],
        );
        if c.family == Family::OpcUa || self.rng.f32() < 0.5 {
            self.flow(
                "collect",
                "operations.hist_1",
                &format!("{cell}.plc_1"),
                FlowShape::secure("opc-ua", "4840"),
                &[],
            );
        }
        self.flow(
            "time",
            &format!("{cell}.plc_1"),
            "operations.ntp_1",
            FlowShape::plain("ntp", "123"),
            &[],
        );
        self.flow(
            "fw_logs",
            &format!("{cell}.cell_fw"),
            "operations.log_1",
            FlowShape {
                integrity: "checksum",
                ..FlowShape::plain("syslog", "514")
            },
            &[],
        );
        self.out.push_str("  }\n");

        if c.safety {
            self.conduit_header(
                &format!("{cell}_sis"),
                &format!("Line {} to its safety system", c.number),
                &format!("{cell}, {cell}.sis"),
                &format!("[{cell}.cell_fw]"),
                "3",
            );
            attr!(self, "    ", "direction = {cell}.sis -> {cell}");
            attr!(self, "    ", "fail      = closed");
            attr!(self, "    ", "island_mode = true");
            self.flow(
                "sis_status",
                &format!("{cell}.sis.sis_plc"),
                &format!("{cell}.plc_1"),
                FlowShape {
                    integrity: "checksum",
                    ..FlowShape::plain("modbus-tcp", "502")
                },
                &["purpose = \"Trip and bypass status for the line HMI\""],
            );
            self.out.push_str("  }\n");
        }
    }

    fn roles(&mut self, p: &SitePlan) {
        let cells: Vec<&str> = p.cells.iter().map(|c| c.id.as_str()).collect();
        let operate: Vec<String> = cells
            .iter()
            .map(|c| format!("{c}: [view, operate]"))
            .collect();
        let engineer: Vec<String> = cells
            .iter()
            .map(|c| format!("{c}: [view, configure, program]"))
            .collect();
        let _ = write!(
            self.out,
            "\n  role operator \"Plant {} operator\" {{\n    organization        = {OWNER}\n    \
             permissions         = {{ operations: [view, operate], {} }}\n    auth                = smartcard\n    \
             supervisor_override = true\n  }}\n",
            p.number,
            operate.join(", ")
        );
        let _ = write!(
            self.out,
            "\n  role engineer \"Plant {} control engineer\" {{\n    organization = {OWNER}\n    \
             permissions  = {{\n      operations: [view, configure],\n      {}\n    }}\n    auth         = mfa\n  }}\n",
            p.number,
            engineer.join(",\n      ")
        );
        let supported: Vec<String> = cells
            .iter()
            .take(3)
            .map(|c| format!("{c}: [view, program]"))
            .collect();
        let _ = write!(
            self.out,
            "\n  /// Integrator support; every session is approved by the shift lead.\n  \
             role vendor_support \"Integrator remote support\" {{\n    organization  = {INTEGRATOR}\n    \
             permissions   = {{ dmz: [view], {} }}\n    auth          = mfa\n    remote        = true\n    \
             via           = dmz.jump1\n    dual_approval = true\n  }}\n",
            supported.join(", ")
        );
    }

    fn risk_records(&mut self, p: &SitePlan) {
        // Legacy controllers cannot identify users; most plants record how the cell makes up
        // for it. Their other gaps stay open, as in a real fleet.
        let legacy = ["ardent_cx300", "borealis_m2"];
        for c in p.cells.iter().filter(|c| legacy.contains(&c.controller.id)) {
            if self.rng.f32() < 0.4 {
                continue;
            }
            let month = self.rng.u8(1..=12);
            let _ = write!(
                self.out,
                "\n  compensation {cell}_plc_auth \"Line {n} controllers have no per-user login\" {{\n    \
                 requirement = [\"SR 1.1 RE 1\", \"SR 1.2\", \"SR 1.6 RE 1\", \"SR 1.8\", \"SR 1.9\", \"SR 1.13 RE 1\"]\n    \
                 element     = {cell}\n    \
                 by          = [{cell}.cell_fw, dmz.jump1]\n    \
                 measure     = \"Only the engineering workstation may reach the controllers, through the jump host, which authenticates each user\"\n    \
                 reason      = \"The controller firmware has a single shared password\"\n    \
                 accepted_by = \"Plant {site} manager\"\n    ticket      = \"RISK-{site}-{n:02}\"\n    \
                 expires     = 2028-{month:02}-28\n  }}\n",
                cell = c.id,
                n = c.number,
                site = p.number,
            );
        }
        let zones: Vec<&str> = ["operations"]
            .into_iter()
            .chain(p.cells.iter().map(|c| c.id.as_str()))
            .collect();
        let _ = write!(
            self.out,
            "\n  evidence restore_test \"Annual restore test\" {{\n    requirement = [\"SR 7.3 RE 1\", \"SR 7.4\"]\n    \
             scope       = [{}]\n    location    = \"https://docs.fleet.example/ot/{}/restore-2026\"\n    \
             date        = 2026-{:02}-14\n    owner       = {OWNER}\n  }}\n",
            zones.join(", "),
            p.id,
            self.rng.u8(1..=12)
        );
        let firewalls: Vec<String> = ["dmz.fw_edge".to_string(), "dmz.fw_core".to_string()]
            .into_iter()
            .chain(p.cells.iter().map(|c| format!("{}.cell_fw", c.id)))
            .collect();
        let _ = write!(
            self.out,
            "\n  evidence fw_review \"Half-yearly firewall rule review\" {{\n    requirement = \"SR 5.2\"\n    \
             scope       = [{}]\n    location    = \"Change system, review RV-{}\"\n    date        = 2026-09-02\n  }}\n",
            firewalls.join(", "),
            p.number
        );
    }
}
