// Shared by the libFuzzer harnesses (tests/fuzz/*_fuzzer.cc): the input as
// text, and the one exception type a loader may throw for bad input.
//
// A harness calls one entry point with the bytes and swallows InputError
// (errors are values at the boundary; InputError is how a loader refuses a
// file). Anything else — a crash, a sanitizer report, another exception, a
// leak, a timeout or running out of memory — is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace iam_audit::fuzz {

inline std::string_view Text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace iam_audit::fuzz
