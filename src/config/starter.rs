//! What `zonelint init` writes: a commented configuration and a small model that checks clean,
//! to be edited into the user's own.

pub const STARTER_MODEL_NAME: &str = "model.iacs";

pub const STARTER_CONFIG: &str = r#"# zonelint configuration. zonelint reads the first zonelint.toml found from the checked path
# upwards; `zonelint check --config FILE` names one explicitly. Every key is optional.
# Reference: docs/configuration.md

# Built-in policy packs to load (default: all of them).
# packs = ["iec62443-3-3", "iec62443-3-2", "defense-in-depth"]

# Directories of your own policies, relative to this file.
# policy_dirs = ["policies"]

# The lowest severity that fails the run (exit code 1): "error", "warning" or "info".
fail_on = "warning"

# How severe a finding about missing evidence is.
# evidence_severity = "warning"

# Files not to check, as globs relative to this file.
# exclude = ["vendor/**", "**/*.draft.iacs"]

# Findings accepted for now (written by `zonelint check --write-baseline FILE`).
# baseline = "zonelint-baseline.json"

[rules]
# Selectors: a rule id (any case), a prefix ending in "-" ("dd-"), a requirement in any
# spelling ("SR 5.2", "sr5.2(1)") or family ("SR 5"), a foundational requirement ("FR5"), or "ALL".
# select = ["ALL"]
# ignore = ["dd-purdue-step"]

[rules.severity]
# "dd-untrusted-path" = "error"
"#;

pub const STARTER_MODEL: &str = r#"// A starting point: a supervisory zone and a control zone joined by one conduit through a
// firewall. It passes every built-in policy; edit it into your plant.
// The language is described in docs/language.md of zonelint.

organization plant_owner "Plant owner" {
  roles   = [asset-owner]
  contact = "ot-security@example.com"
}

/// The system under consideration.
system plant "Example plant" {
  owner         = plant_owner
  perimeter     = "The plant's OT network, from the supervisory firewall inwards"
  access_points = [supervisory_to_control]
}

zone supervisory "Supervisory zone" {
  kind              = operations
  level             = 2
  sl_target         = 1
  owner             = plant_owner
  boundary          = "VLAN 20 behind fw1"
  physical_boundary = "Control room rack R1"
  segmentation      = physical

  component scada1 : host-device "SCADA server" {
    functions          = [scada]
    sl_capability      = 1
    malware_protection = local
  }
}

zone control "Control zone" {
  kind              = control
  level             = 1
  sl_target         = 1
  owner             = plant_owner
  boundary          = "VLAN 10 behind fw1"
  physical_boundary = "Control cabinet C1"
  segmentation      = physical

  component fw1 : network-device "Boundary firewall" {
    functions     = [firewall]
    sl_capability = 1
    config_record = "https://git.example.com/ot/firewalls/fw1"
  }
  component plc1 : embedded-device "Line PLC" { functions = [controller]  sl_capability = 1 }
}

conduit supervisory_to_control "Supervisory to control" {
  zones     = [supervisory, control]
  sl_target = 1
  via       = fw1
  default   = deny
  flow polling : scada1 -> plc1 {
    protocol   = opc-ua
    port       = 4840
    auth       = certificate
    integrity  = cryptographic
    encryption = tls
  }
}

/// Records that no drawing can show: where the audit logs, integrity checks and backups are.
evidence operations_records "Audit storage, integrity checks, backups and power" {
  requirement = ["SR 2.9", "SR 3.3", "SR 7.3", "SR 7.3 RE 1", "SR 7.4", "SR 7.5"]
  scope       = [supervisory, control]
  location    = "https://wiki.example.com/ot/records"
  date        = 2026-01-15
}
"#;
