# Dependencies of the wasm build. libsodium is built once from Debian's source
# package by wasm/deps/build-libsodium.sh and cached under LATCHKEY_DEPS_DIR.
# nlohmann is header-only: it is exposed through a folder holding only it,
# because -I/usr/include would pull glibc headers into em++.
set(sodium_prefix "${LATCHKEY_DEPS_DIR}/libsodium-wasm")
set(LATCHKEY_WASM_SODIUM_LIB "${sodium_prefix}/lib/libsodium.a")
if(NOT EXISTS "${LATCHKEY_WASM_SODIUM_LIB}")
  message(STATUS "Building libsodium for wasm (once; a few minutes)")
  execute_process(
    COMMAND bash "${CMAKE_SOURCE_DIR}/wasm/deps/build-libsodium.sh" "${sodium_prefix}"
    RESULT_VARIABLE sodium_result)
  if(NOT sodium_result EQUAL 0)
    message(FATAL_ERROR "Building libsodium for wasm failed")
  endif()
endif()

# mbedTLS's libmbedcrypto (2.28, as libmbedtls-dev natively) for the pk
# module's RS256/PS256/ES256, built the same way by wasm/deps/build-mbedtls.sh.
set(mbedtls_prefix "${LATCHKEY_DEPS_DIR}/mbedtls-wasm")
set(mbedcrypto_lib "${mbedtls_prefix}/lib/libmbedcrypto.a")
if(NOT EXISTS "${mbedcrypto_lib}")
  message(STATUS "Building mbedTLS's libmbedcrypto for wasm (once; a minute or two)")
  execute_process(
    COMMAND bash "${CMAKE_SOURCE_DIR}/wasm/deps/build-mbedtls.sh" "${mbedtls_prefix}"
    RESULT_VARIABLE mbedtls_result)
  if(NOT mbedtls_result EQUAL 0)
    message(FATAL_ERROR "Building mbedTLS for wasm failed")
  endif()
endif()
# A global target: only wasm/'s pk module links it.
if(NOT TARGET latchkey_mbedcrypto_wasm)
  add_library(latchkey_mbedcrypto_wasm STATIC IMPORTED GLOBAL)
  set_target_properties(latchkey_mbedcrypto_wasm PROPERTIES
    IMPORTED_LOCATION "${mbedcrypto_lib}"
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${mbedtls_prefix}/include"
    INTERFACE_INCLUDE_DIRECTORIES "${mbedtls_prefix}/include")
endif()

find_path(LATCHKEY_NLOHMANN_DIR nlohmann/json.hpp PATHS /usr/include NO_CMAKE_FIND_ROOT_PATH REQUIRED)
set(header_only_dir "${CMAKE_BINARY_DIR}/header-only")
file(MAKE_DIRECTORY "${header_only_dir}")
if(NOT EXISTS "${header_only_dir}/nlohmann")
  file(CREATE_LINK "${LATCHKEY_NLOHMANN_DIR}/nlohmann" "${header_only_dir}/nlohmann" SYMBOLIC)
endif()
set(LATCHKEY_WASM_INCLUDE_DIRS "${sodium_prefix}/include" "${header_only_dir}")

# utf8proc (NFKC, case folding) for wasm: Debian's source package, unpacked
# once under LATCHKEY_DEPS_DIR; one C file (it includes its data tables).
set(utf8proc_src "${LATCHKEY_DEPS_DIR}/utf8proc-src")
if(NOT EXISTS "${utf8proc_src}/utf8proc.c")
  message(STATUS "Fetching utf8proc's source package for wasm (once)")
  execute_process(
    COMMAND bash "${CMAKE_SOURCE_DIR}/wasm/deps/fetch-utf8proc.sh" "${utf8proc_src}"
    RESULT_VARIABLE utf8proc_result)
  if(NOT utf8proc_result EQUAL 0)
    message(FATAL_ERROR "Fetching utf8proc's source for wasm failed")
  endif()
endif()
add_library(latchkey_utf8proc_wasm STATIC "${utf8proc_src}/utf8proc.c")
target_compile_definitions(latchkey_utf8proc_wasm PUBLIC UTF8PROC_STATIC)
target_include_directories(latchkey_utf8proc_wasm SYSTEM PUBLIC "${utf8proc_src}")
target_compile_options(latchkey_utf8proc_wasm PRIVATE -w -Os)  # third-party code: not ours to warn about
