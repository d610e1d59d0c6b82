# cmake -P tests/docs_url_test.cmake: iam_audit_docs_url() on the remote
# forms users have, and on the ones it must not guess a URL for.
include("${CMAKE_CURRENT_LIST_DIR}/../cmake/DocsUrl.cmake")

function(expect remote want)
  iam_audit_docs_url("${remote}" got)
  if(NOT got STREQUAL want)
    message(FATAL_ERROR "iam_audit_docs_url(${remote}) = '${got}', expected '${want}'")
  endif()
endfunction()

expect("https://github.com/acme/iam-audit.git" "https://github.com/acme/iam-audit/blob/HEAD/")
expect("https://github.com/acme/iam-audit" "https://github.com/acme/iam-audit/blob/HEAD/")
expect("https://github.com/acme/iam-audit/" "https://github.com/acme/iam-audit/blob/HEAD/")
expect("git@github.com:acme/iam-audit.git" "https://github.com/acme/iam-audit/blob/HEAD/")
expect("ssh://git@github.com/acme/iam-audit.git" "https://github.com/acme/iam-audit/blob/HEAD/")
expect("https://token@github.com/acme/iam-audit.git" "https://github.com/acme/iam-audit/blob/HEAD/")
expect("git@gitlab.com:acme/security/iam-audit.git"
       "https://gitlab.com/acme/security/iam-audit/-/blob/HEAD/")
# Unknown web layouts, local paths and nothing: no URL rather than a guess.
expect("https://git.example.com/acme/iam-audit.git" "")
expect("/srv/git/iam-audit.git" "")
expect("../iam-audit" "")
expect("https://github.com/acme" "")
expect("" "")
