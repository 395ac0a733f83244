//! "input -> expected" cases. Each also checks that formatting the expected text changes
//! nothing (idempotence) and that the comments are the same.

use super::{FmtOptions, FormatError, format};

#[track_caller]
fn check(input: &str, expected: &str) {
    let got = format(input, &FmtOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got, expected,
        "\n--- got ---\n{got}\n--- expected ---\n{expected}"
    );
    let again = format(&got, &FmtOptions::default()).expect("formatted text formats");
    assert_eq!(again, got, "not idempotent");
}

#[test]
fn aligns_equals_in_a_run_and_one_attribute_per_line() {
    check(
        "zone dmz {\nkind = dmz  level = 3.5\n    sl_target=2 owner = acme\n}\n",
        "zone dmz {\n  kind      = dmz\n  level     = 3.5\n  sl_target = 2\n  owner     = acme\n}\n",
    );
}

#[test]
fn keeps_attribute_order() {
    check(
        "zone z {\n  sl_target = 2\n  kind = dmz\n  description = \"d\"\n  level = 3\n}\n",
        "zone z {\n  sl_target   = 2\n  kind        = dmz\n  description = \"d\"\n  level       = 3\n}\n",
    );
}

#[test]
fn short_blocks_of_simple_attributes_stay_inline() {
    check(
        "zone a {\n  zone safety_cell {\n    kind = safety\n    sl_target = 3\n  }\n}\n",
        "zone a {\n  zone safety_cell { kind = safety  sl_target = 3 }\n}\n",
    );
    check(
        "suppress \"zcr-6.4\" { reason = \"kept elsewhere\"; }\n",
        "suppress \"zcr-6.4\" { reason = \"kept elsewhere\" }\n",
    );
}

#[test]
fn blocks_with_four_attributes_or_a_map_are_broken() {
    check(
        "flow f : a -> b { protocol = opc-ua  port = 4840  auth = certificate  encryption = tls }\n",
        "flow f : a -> b {\n  protocol   = opc-ua\n  port       = 4840\n  auth       = certificate\n  encryption = tls\n}\n",
    );
    check(
        "role r { permissions = { control: [view] } }\n",
        "role r {\n  permissions = { control: [view] }\n}\n",
    );
}

#[test]
fn empty_block_and_header_spacing() {
    check(
        "component   plc1:embedded-device   \"PLC\"{ }\n",
        "component plc1 : embedded-device \"PLC\" {}\n",
    );
    check("flow f:a<->b{}\n", "flow f : a <-> b {}\n");
    check(
        "import \"a.iacs\"\n\n\n\nimport \"b.iacs\"",
        "import \"a.iacs\"\n\nimport \"b.iacs\"\n",
    );
}

#[test]
fn blank_lines_are_kept_collapsed_and_trimmed_at_block_edges() {
    check(
        "\n\nzone a {\n\n  kind = dmz\n\n\n  level = 3\n  owner = o\n  trust = trusted\n\n}\nzone b {}\n\n\n\nzone c {}\n\n",
        "zone a {\n  kind = dmz\n\n  level = 3\n  owner = o\n  trust = trusted\n}\nzone b {}\n\nzone c {}\n",
    );
}

#[test]
fn a_blank_line_ends_an_alignment_run_and_a_nested_item_too() {
    check(
        "zone a {\n  kind = dmz\n  sl_target = 2\n\n  owner = acme\n  component c : host-device {}\n  level = 3\n  description = \"x\"\n}\n",
        "zone a {\n  kind      = dmz\n  sl_target = 2\n\n  owner = acme\n  component c : host-device {}\n  level       = 3\n  description = \"x\"\n}\n",
    );
}

#[test]
fn own_line_comments_stay_above_their_entry_and_keep_the_run() {
    check(
        "zone a {\n  kind = dmz\n      // why two\n  sl_target = 2\n}\n",
        "zone a {\n  kind      = dmz\n  // why two\n  sl_target = 2\n}\n",
    );
}

#[test]
fn trailing_comments_stay_trailing() {
    check(
        "zone a {\n  kind = dmz     // the DMZ\n  level = 3.5;// half\n}   // end of a\n",
        "zone a {\n  kind  = dmz  // the DMZ\n  level = 3.5  // half\n}  // end of a\n",
    );
}

#[test]
fn comment_after_the_opening_brace_stays_on_the_header_line() {
    check(
        "zone a { // the zone\n  kind = dmz\n}\n",
        "zone a {  // the zone\n  kind = dmz\n}\n",
    );
}

#[test]
fn doc_comments_stay_directly_above_their_item() {
    check(
        "/// The DMZ.\n///   Indented doc line.\nzone dmz { kind = dmz }\n\n/// Not attached: a blank line follows.\n\nzone b {}\n",
        "/// The DMZ.\n///   Indented doc line.\nzone dmz { kind = dmz }\n\n/// Not attached: a blank line follows.\n\nzone b {}\n",
    );
}

#[test]
fn comments_before_the_closing_brace_and_at_the_end_of_the_file() {
    check(
        "zone a {\n  kind = dmz\n  // last words\n    }\n// end of file   \n",
        "zone a {\n  kind = dmz\n  // last words\n}\n// end of file\n",
    );
}

#[test]
fn a_block_with_only_a_comment() {
    check(
        "zone a {\n// nothing yet\n}\n",
        "zone a {\n  // nothing yet\n}\n",
    );
}

#[test]
fn a_file_of_comments_only() {
    check("// one\n\n\n// two\n", "// one\n\n// two\n");
    check("", "");
    check("\n\n  \n", "");
}

#[test]
fn comments_inside_lists_and_maps() {
    check(
        "zone a {\n  access_points = [fw1, // the firewall\n  // the gateway\n  vpn1]\n}\n",
        "zone a {\n  access_points = [\n    fw1,  // the firewall\n    // the gateway\n    vpn1,\n  ]\n}\n",
    );
    check(
        "role r {\n  permissions = { // by zone\n    control: [view], // read only\n    dmz: [view]\n    // more later\n  }\n}\n",
        "role r {\n  permissions = {\n    // by zone\n    control: [view],  // read only\n    dmz: [view],\n    // more later\n  }\n}\n",
    );
}

#[test]
fn comments_where_no_layout_fits_leave_the_entry_as_written() {
    check(
        "zone a {\n  kind // odd\n    = dmz\n  level=3\n}\n",
        "zone a {\n  kind // odd\n    = dmz\n  level = 3\n}\n",
    );
    check(
        "zone a // odd\n  \"Title\" {   kind = dmz }\n",
        "zone a // odd\n  \"Title\" {   kind = dmz }\n",
    );
    check(
        "conduit c {\n  direction = a // from\n   -> b\n}\n",
        "conduit c {\n  direction = a // from\n   -> b\n}\n",
    );
}

#[test]
fn long_lists_break_one_element_per_line() {
    check(
        "system s {\n  access_points = [internet_vpn, enterprise_dmz, scada_pump_north, scada_pump_south, scada_pump_east]\n}\n",
        "system s {\n  access_points = [\n    internet_vpn,\n    enterprise_dmz,\n    scada_pump_north,\n    scada_pump_south,\n    scada_pump_east,\n  ]\n}\n",
    );
}

#[test]
fn nested_maps_break_outside_in() {
    let input = "role r {\n  permissions = { scada: [view, configure, program], control: [view, configure, program], pump_north: [view] }\n}\n";
    check(
        input,
        "role r {\n  permissions = {\n    scada: [view, configure, program],\n    control: [view, configure, program],\n    pump_north: [view],\n  }\n}\n",
    );
}

#[test]
fn values_are_written_canonically() {
    check(
        "conduit c {\n  zones=[a,b,]\n  sl_target={IAC:2,UC:2,SI:2,DC:1,RDF:3,TRE:2,RA:2}\n  direction = a->b\n}\n",
        "conduit c {\n  zones     = [a, b]\n  sl_target = { IAC: 2, UC: 2, SI: 2, DC: 1, RDF: 3, TRE: 2, RA: 2 }\n  direction = a -> b\n}\n",
    );
    check(
        "component c : host-device {\n  services = [ opc-ua:4840 , ssh:22 ]\n  version = \"3.0 \\\"beta\\\"\"\n  custom { since = 2024-01-31 }\n}\n",
        "component c : host-device {\n  services = [opc-ua:4840, ssh:22]\n  version  = \"3.0 \\\"beta\\\"\"\n  custom { since = 2024-01-31 }\n}\n",
    );
}

#[test]
fn multi_line_strings_are_kept_as_written() {
    check(
        "zone a {\n  description = \"line one\n   line two\"\n  kind = dmz\n}\n",
        "zone a {\n  description = \"line one\n   line two\"\n  kind        = dmz\n}\n",
    );
}

#[test]
fn non_ascii_names_align_by_characters() {
    check(
        "zone a {\n  component Füllstation : embedded-device { vendor = \"Grüner ✨\" }\n  custom { größe = 1\n  x = 2 }\n}\n",
        "zone a {\n  component Füllstation : embedded-device { vendor = \"Grüner ✨\" }\n  custom { größe = 1  x = 2 }\n}\n",
    );
    check(
        "component c : host-device {\n  custom {\n    größe = 1\n    x = 2\n    y = 3\n    zz = 4\n  }\n}\n",
        "component c : host-device {\n  custom {\n    größe = 1\n    x     = 2\n    y     = 3\n    zz    = 4\n  }\n}\n",
    );
}

#[test]
fn crlf_files_stay_crlf_and_a_bom_is_kept() {
    check(
        "\u{FEFF}zone a {\r\n  kind=dmz // c\r\n}\r\n",
        "\u{FEFF}zone a {\r\n  kind = dmz  // c\r\n}\r\n",
    );
}

#[test]
fn entries_on_one_line_are_split() {
    check("zone a {} zone b {} // b\n", "zone a {}\nzone b {}  // b\n");
}

#[test]
fn refuses_files_with_syntax_errors() {
    let broken = "zone a {\n  kind = \n}\nzone b {\n";
    match format(broken, &FmtOptions::default()) {
        Err(FormatError::Syntax(errors)) => assert!(!errors.is_empty()),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn other_indent_widths() {
    let opts = FmtOptions {
        indent_width: 4,
        ..FmtOptions::default()
    };
    let got = format("zone a {\nkind = dmz\nlevel = 3\n  component c : host-device { x = 1 y = 2 z = 3 w = 4 }\n}\n", &opts).unwrap();
    assert_eq!(
        got,
        "zone a {\n    kind  = dmz\n    level = 3\n    component c : host-device {\n        x = 1\n        y = 2\n        z = 3\n        w = 4\n    }\n}\n"
    );
}
