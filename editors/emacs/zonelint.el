;;; zonelint.el --- .iacs files and the zonelint language server through eglot  -*- lexical-binding: t; -*-

;; Load this file (or copy it into your init file), with `zonelint' on your PATH.
;; Needs Emacs 29+ (eglot built in) or the eglot package.

(require 'eglot)

(define-derived-mode iacs-mode prog-mode "IACS"
  "Major mode for zonelint's .iacs architecture models."
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "//+\\s-*")
  (modify-syntax-entry ?/ ". 12" iacs-mode-syntax-table)
  (modify-syntax-entry ?\n ">" iacs-mode-syntax-table)
  (modify-syntax-entry ?_ "w" iacs-mode-syntax-table)
  (modify-syntax-entry ?- "w" iacs-mode-syntax-table)
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width 2))

(add-to-list 'auto-mode-alist '("\\.iacs\\'" . iacs-mode))

;; The workspace is the project root (a .git directory, as `zonelint check' uses).
(add-to-list 'eglot-server-programs '(iacs-mode . ("zonelint" "lsp")))

;; Start the server for every .iacs buffer.
(add-hook 'iacs-mode-hook #'eglot-ensure)

(provide 'zonelint)
;;; zonelint.el ends here
