# iam_audit_docs_url(REMOTE OUT_VAR): the browsable base URL of the source
# tree a git remote URL points at, for the documentation links of SARIF rules
# (helpUri = <base>docs/rules.md#<id>); "" when the host's web layout is not
# known. GitHub: https://github.com/OWNER/REPO/blob/HEAD/ (HEAD is the default
# branch); GitLab: https://gitlab.com/GROUP/.../REPO/-/blob/HEAD/. Accepts the
# https, ssh:// and scp-like (git@host:path) forms, with or without ".git".
function(iam_audit_docs_url remote out_var)
  set(url "")
  if(remote MATCHES "^(https?://([^@/]+@)?|ssh://git@|git@)(github\\.com|gitlab\\.com)[:/]+(.+)$")
    set(host "${CMAKE_MATCH_3}")
    set(path "${CMAKE_MATCH_4}")
    string(REGEX REPLACE "/+$" "" path "${path}")
    string(REGEX REPLACE "\\.git$" "" path "${path}")
    if(path MATCHES "^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")
      if(host STREQUAL "github.com")
        set(url "https://github.com/${path}/blob/HEAD/")
      else()
        set(url "https://gitlab.com/${path}/-/blob/HEAD/")
      endif()
    endif()
  endif()
  set(${out_var} "${url}" PARENT_SCOPE)
endfunction()
