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

find_path(LATCHKEY_NLOHMANN_DIR nlohmann/json.hpp PATHS /usr/include NO_CMAKE_FIND_ROOT_PATH REQUIRED)
set(header_only_dir "${CMAKE_BINARY_DIR}/header-only")
file(MAKE_DIRECTORY "${header_only_dir}")
if(NOT EXISTS "${header_only_dir}/nlohmann")
  file(CREATE_LINK "${LATCHKEY_NLOHMANN_DIR}/nlohmann" "${header_only_dir}/nlohmann" SYMBOLIC)
endif()
set(LATCHKEY_WASM_INCLUDE_DIRS "${sodium_prefix}/include" "${header_only_dir}")
