-- zonelint for Neovim: filetype detection for *.iacs files and the `zonelint lsp` language
-- server. Works with Neovim 0.7 (vim.lsp.start_client) and later (vim.lsp.start).
--
--   require("zonelint").setup()                                   -- zonelint on the PATH
--   require("zonelint").setup({ cmd = { "/path/to/zonelint", "lsp" } })

local M = {}

-- The nearest directory above `path` holding zonelint.toml or .git, as `zonelint check` does;
-- else the file's own directory.
local function root_dir(path)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  local marker = vim.fn.findfile("zonelint.toml", dir .. ";")
  if marker ~= "" then
    return vim.fn.fnamemodify(marker, ":p:h")
  end
  local git = vim.fn.finddir(".git", dir .. ";")
  if git ~= "" then
    return vim.fn.fnamemodify(git, ":p:h:h")
  end
  return dir
end

local clients = {}

function M.start(bufnr, cmd)
  local root = root_dir(vim.api.nvim_buf_get_name(bufnr))
  local config = {
    name = "zonelint",
    cmd = cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
  }
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  -- Neovim 0.7: one client per root, attached to each buffer.
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(config)
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

function M.setup(opts)
  opts = opts or {}
  local cmd = opts.cmd or { "zonelint", "lsp" }
  local group = vim.api.nvim_create_augroup("zonelint", { clear = true })
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    group = group,
    pattern = "*.iacs",
    callback = function(args)
      vim.bo[args.buf].filetype = "iacs"
    end,
  })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "iacs",
    callback = function(args)
      vim.bo[args.buf].commentstring = "// %s"
      M.start(args.buf, cmd)
    end,
  })
end

return M
