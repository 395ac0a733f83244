//! A real client: headless Neovim runs `editors/nvim/lua/zonelint.lua` against the built
//! `zonelint lsp`, opens a model with a known problem, waits for its diagnostic, asks for hover
//! and definition, and formats the buffer. The Lua script writes what it saw to a JSON file
//! that this test reads.
//!
//! Skipped with a message when `nvim` is not installed; fails instead when
//! ZONELINT_REQUIRE_CLIENTS=1 (as on CI, where `.ci/install-clients` installs it).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MODEL: &str = "\
zone control \"Cell zone\" {
kind = control
  sl_target=2
  component plc1 : embedded-device { vendor = \"V\" }
}
conduit c { zones = [control, missing_zone] }
";

const SCRIPT: &str = r#"
local out_path, model_path, server = OUT, MODEL, SERVER
local results = { errors = {} }
local function save()
  local f = io.open(out_path, "w")
  f:write(vim.fn.json_encode(results))
  f:close()
end
local ok, err = pcall(function()
  vim.opt.rtp:prepend(REPO .. "/editors/nvim")
  require("zonelint").setup({ cmd = { server, "lsp" } })
  vim.cmd("edit " .. vim.fn.fnameescape(model_path))
  results.filetype = vim.bo.filetype
  local function clients()
    if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = 0 }) end
    return vim.lsp.buf_get_clients(0)
  end
  results.attached = vim.wait(15000, function() return next(clients()) ~= nil end, 20)
  results.got_diagnostics = vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 20)
  results.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(results.diagnostics, { code = d.code, lnum = d.lnum, col = d.col, end_col = d.end_col, message = d.message })
  end

  -- Hover and definition on `control` in `zones = [control, ...]` (line 6, 0-based column 21).
  vim.api.nvim_win_set_cursor(0, { 6, 21 })
  local params = vim.lsp.util.make_position_params(0, "utf-16")
  local hover = vim.lsp.buf_request_sync(0, "textDocument/hover", params, 10000) or {}
  for _, response in pairs(hover) do
    if response.result then results.hover = response.result.contents.value end
    if response.err then table.insert(results.errors, response.err.message) end
  end
  local definition = vim.lsp.buf_request_sync(0, "textDocument/definition", params, 10000) or {}
  for _, response in pairs(definition) do
    local r = response.result
    if r then
      if r[1] then r = r[1] end
      results.definition = { uri = r.uri or r.targetUri, line = (r.range or r.targetSelectionRange).start.line,
                             character = (r.range or r.targetSelectionRange).start.character }
    end
  end

  if vim.lsp.buf.format then
    vim.lsp.buf.format({ timeout_ms = 10000 })
  else
    vim.lsp.buf.formatting_sync(nil, 10000)
  end
  results.formatted = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n") .. "\n"
end)
if not ok then table.insert(results.errors, tostring(err)) end
save()
vim.cmd("qa!")
"#;

fn lua_string(s: &str) -> String {
    format!("{s:?}")
}

#[test]
fn neovim_shows_diagnostics_hover_definition_and_formats() {
    let required = std::env::var("ZONELINT_REQUIRE_CLIENTS").is_ok_and(|v| v == "1");
    let available = Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        assert!(
            !required,
            "nvim is required (ZONELINT_REQUIRE_CLIENTS=1) but not installed"
        );
        eprintln!(
            "skipped: nvim is not installed (Debian package `neovim`; see .ci/install-clients)"
        );
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::create_dir(root.join(".git")).unwrap();
    let model = root.join("plant.iacs");
    std::fs::write(&model, MODEL).unwrap();
    let out = root.join("results.json");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = format!(
        "OUT = {}\nMODEL = {}\nSERVER = {}\nREPO = {}\n{SCRIPT}",
        lua_string(&out.to_string_lossy()),
        lua_string(&model.to_string_lossy()),
        lua_string(env!("CARGO_BIN_EXE_zonelint")),
        lua_string(&repo.to_string_lossy()),
    );
    let script_path = root.join("drive.lua");
    std::fs::write(&script_path, script).unwrap();

    let mut child = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script_path.display()))
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("nvim did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let text = std::fs::read_to_string(&out).unwrap_or_else(|e| {
        panic!(
            "no results from nvim ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let results: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(results["errors"], serde_json::json!([]), "{results:#}");
    assert_eq!(results["filetype"], "iacs");
    assert_eq!(results["attached"], true, "{results:#}");
    assert_eq!(results["got_diagnostics"], true, "{results:#}");

    // Model errors only; the built-in policies may add findings about the tiny model.
    let diagnostics: Vec<&serde_json::Value> = results["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "undefined-reference")
        .collect();
    assert_eq!(diagnostics.len(), 1, "{results:#}");
    assert_eq!(diagnostics[0]["code"], "undefined-reference");
    assert_eq!(diagnostics[0]["lnum"], 5);
    assert_eq!(diagnostics[0]["col"], 30);
    assert_eq!(diagnostics[0]["end_col"], 42);

    let hover = results["hover"].as_str().unwrap_or_default();
    assert!(hover.contains("**zone** `control`"), "{results:#}");
    assert!(hover.contains("Cell zone"), "{results:#}");

    assert_eq!(results["definition"]["line"], 0, "{results:#}");
    assert_eq!(results["definition"]["character"], 5, "{results:#}");

    let formatted = zonelint::fmt::format(MODEL, &zonelint::fmt::FmtOptions::default()).unwrap();
    assert_eq!(results["formatted"], formatted.as_str(), "{results:#}");
}
