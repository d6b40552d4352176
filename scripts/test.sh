#!/usr/bin/env bash
# The project's test command.
#
#   scripts/test.sh [swift test args...]     e.g. scripts/test.sh --filter Foo
#
# 1. Installs missing system packages (apt-get) listed in scripts/debian-packages.txt.
# 1b. Checks the formatting (`swift format lint --strict`, configured by .swift-format).
# 2. Builds with `swift build --build-tests`; fails on any compiler warning in
#    this repository's Sources/ or Tests/ (dependency warnings are ignored).
# 3. Runs `swift test` under scripts/with-postgres.sh, so suites run on SQLite
#    and on a throwaway PostgreSQL (FULLCHAIN_TEST_POSTGRES_URL).
#
# SWIFT_BUILD_FLAGS (optional) is appended to both swift commands,
# e.g. SWIFT_BUILD_FLAGS="--scratch-path .build-test".
set -euo pipefail

# System packages needed to build and test (Debian package names), from the one list.
mapfile -t SYSTEM_PACKAGES < <(awk '!/^#/ && ($2 == "build" || $2 == "test") { print $1 }' "$(dirname "${BASH_SOURCE[0]}")/debian-packages.txt")

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
ROOT_PHYSICAL=$(pwd -P)

say() { echo "test.sh: $*" >&2; }
fail() {
    echo "test.sh: FAILED: $*" >&2
    exit 1
}

as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        fail "need root (or sudo) to run: $*"
    fi
}

read -r -a SWIFT_FLAGS <<<"${SWIFT_BUILD_FLAGS:-}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fullchain-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# --- 1. system packages -------------------------------------------------------
if command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for pkg in "${SYSTEM_PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        [[ $status == "install ok installed" ]] || missing+=("$pkg")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        say "installing missing system packages: ${missing[*]}"
        as_root apt-get update || fail "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends "${missing[@]}" \
            || fail "apt-get install ${missing[*]}"
    fi
else
    say "dpkg-query not found; not checking system packages (${SYSTEM_PACKAGES[*]})"
fi

# Python test tooling (PyPI): the OpenAPI document is checked with openapi-spec-validator,
# the EPCIS export with jsonschema, the pages driven with selenium, the API fuzzed with schemathesis.
PYTHON_PACKAGES=(openapi-spec-validator jsonschema selenium "schemathesis==4.32.5")
if ! python3 -c "import openapi_spec_validator, jsonschema, selenium, schemathesis" >/dev/null 2>&1; then
    say "installing Python test tools: ${PYTHON_PACKAGES[*]}"
    python3 -m pip install --quiet "${PYTHON_PACKAGES[@]}" || fail "pip install ${PYTHON_PACKAGES[*]}"
fi

# --- 1b. formatting -------------------------------------------------------------
# The tree stays as `swift format` (the toolchain's swift-format, configured by
# .swift-format) leaves it; `swift format format -i -r Sources Tests Package.swift` fixes it.
if swift format --version >/dev/null 2>&1; then
    swift format lint --strict -r --configuration .swift-format Sources Tests Package.swift \
        || fail "formatting: run swift format format -i -r Sources Tests Package.swift"
else
    say "swift format not found; not checking formatting"
fi

# --- 2. build, rejecting warnings in our own code ----------------------------
# Prints "path:line:col: warning: message" for every warning recorded in the
# compiler's serialized diagnostics (*.dia) under the given build directory.
# Unlike the build log, these also cover files that an incremental build did
# not recompile this time. Only files that still exist are reported.
dia_warnings() {
    python3 - "$1" <<'PY'
import glob, os, sys

class Reader:
    def __init__(self, data):
        self.data, self.pos, self.end = data, 32, len(data) * 8
    def fixed(self, n):
        if n == 0:
            return 0
        if self.pos + n > self.end:
            raise EOFError
        start = self.pos >> 3
        chunk = int.from_bytes(self.data[start:start + (n + 7) // 8 + 1], "little")
        value = (chunk >> (self.pos & 7)) & ((1 << n) - 1)
        self.pos += n
        return value
    def vbr(self, n):
        hi, value, shift = 1 << (n - 1), 0, 0
        while True:
            piece = self.fixed(n)
            value |= (piece & (hi - 1)) << shift
            shift += n - 1
            if not piece & hi:
                return value
    def align32(self):
        self.pos = (self.pos + 31) & ~31

CHAR6 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._"

def read_abbrev(r):
    ops = []
    for _ in range(r.vbr(5)):
        if r.fixed(1):
            ops.append(("lit", r.vbr(8)))
        else:
            enc = r.fixed(3)
            ops.append((enc, r.vbr(5) if enc in (1, 2) else 0))
    return ops

def read_scalar(r, op):
    kind, width = op
    if kind == "lit":
        return width
    if kind == 1:
        return r.fixed(width)
    if kind == 2:
        return r.vbr(width)
    if kind == 4:
        return ord(CHAR6[r.fixed(6)])
    raise ValueError("bad abbreviation operand")

def read_record(r, ops):
    values, blob, i = [], None, 0
    while i < len(ops):
        kind = ops[i][0]
        if kind == 3:
            elem = ops[i + 1]
            values.extend(read_scalar(r, elem) for _ in range(r.vbr(6)))
            i += 2
            continue
        if kind == 5:
            n = r.vbr(6)
            r.align32()
            start = r.pos >> 3
            blob = r.data[start:start + n]
            r.pos += n * 8
            r.align32()
        else:
            values.append(read_scalar(r, ops[i]))
        i += 1
    return values[0], values[1:], blob

def parse(path):
    data = open(path, "rb").read()
    if data[:4] != b"DIAG":
        return []
    r, blockinfo, files, out = Reader(data), {}, {}, []

    def text(ops, blob, n):
        return blob.decode("utf-8", "replace") if blob is not None else "".join(map(chr, ops[-n:] if n else []))

    def block(width, block_id):
        abbrevs, current = list(blockinfo.get(block_id, [])), None
        while r.pos + width <= r.end:
            aid = r.fixed(width)
            if aid == 0:
                r.align32()
                return
            if aid == 1:
                sub, sub_width = r.vbr(8), r.vbr(4)
                r.align32()
                r.fixed(32)
                block(sub_width, sub)
                continue
            if aid == 2:
                ab = read_abbrev(r)
                (blockinfo.setdefault(current, []) if block_id == 0 else abbrevs).append(ab)
                continue
            if aid == 3:
                code, n = r.vbr(6), r.vbr(6)
                ops, blob = [r.vbr(6) for _ in range(n)], None
            else:
                code, ops, blob = read_record(r, abbrevs[aid - 4])
            if block_id == 0 and code == 1:
                current = ops[0]
            elif block_id == 9 and code == 6 and len(ops) >= 4:
                files[ops[0]] = text(ops, blob, ops[3])
            elif block_id == 9 and code == 2 and len(ops) >= 8 and ops[0] == 2:
                out.append((ops[1], ops[2], ops[3], text(ops, blob, ops[7])))

    try:
        block(2, None)
    except (EOFError, IndexError, ValueError):
        pass
    return [(files.get(f, ""), line, col, msg) for f, line, col, msg in out]

seen = set()
for dia in sorted(glob.glob(os.path.join(sys.argv[1], "*.build", "**", "*.dia"), recursive=True)):
    for path, line, col, msg in parse(dia):
        if path and os.path.isfile(path):
            entry = "%s:%d:%d: warning: %s" % (path, line, col, msg)
            if entry not in seen:
                seen.add(entry)
                print(entry)
PY
}

# Keeps only "path:...: warning: ..." lines whose path is in our Sources/ or Tests/.
own_warnings() {
    awk -v a="$ROOT/" -v b="$ROOT_PHYSICAL/" '
        /: warning: / {
            for (i = 0; i < 2; i++) {
                p = (i == 0 ? a : b)
                if (index($0, p "Sources/") == 1 || index($0, p "Tests/") == 1) { print; next }
            }
        }'
}

build_cmd=(swift build --build-tests "${SWIFT_FLAGS[@]}")
say "running: ${build_cmd[*]}"
if ! "${build_cmd[@]}" 2>&1 | tee "$WORK/build.log"; then
    fail "swift build"
fi

own_warnings <"$WORK/build.log" >"$WORK/warnings.txt" || true
if command -v python3 >/dev/null 2>&1 \
    && BIN_PATH=$(swift build --show-bin-path "${SWIFT_FLAGS[@]}" 2>/dev/null | tail -n 1) \
    && [[ -d $BIN_PATH ]]; then
    if dia_warnings "$BIN_PATH" >"$WORK/dia.txt"; then
        # Add warnings not already printed by this build (same file:line:col).
        own_warnings <"$WORK/dia.txt" | awk '
            FILENAME == ARGV[1] { split($0, f, ": warning: "); seen[f[1]] = 1; next }
            { split($0, f, ": warning: "); if (!(f[1] in seen)) print }
        ' "$WORK/warnings.txt" - >"$WORK/dia-extra.txt" || true
        cat "$WORK/dia-extra.txt" >>"$WORK/warnings.txt"
    else
        say "note: could not read serialized diagnostics; checking this build's output only"
    fi
else
    say "note: python3 or bin path unavailable; only files compiled in this build are checked for warnings"
fi

if [[ -s $WORK/warnings.txt ]]; then
    echo >&2
    echo "Compiler warnings in Sources/ or Tests/ (not allowed):" >&2
    cat "$WORK/warnings.txt" >&2
    fail "$(wc -l <"$WORK/warnings.txt" | tr -d ' ') warning(s) in Sources/ or Tests/"
fi
say "build clean (no warnings in Sources/ or Tests/)"

# --- 3. tests on SQLite and PostgreSQL ---------------------------------------
test_cmd=(swift test "${SWIFT_FLAGS[@]}" "$@")
say "running: ${test_cmd[*]} (with a throwaway PostgreSQL)"
# The suites fail, not skip, their PostgreSQL cases if the database is missing.
if ! FULLCHAIN_TEST_EXPECT_POSTGRES=1 scripts/with-postgres.sh "${test_cmd[@]}"; then
    fail "swift test"
fi

# --- 4. the API fuzzed from its own OpenAPI document ----------------------------
# (Skipped when test.sh was given arguments, e.g. a --filter for a few suites.)
if [[ $# -eq 0 ]]; then
    BIN_PATH=$(swift build --show-bin-path "${SWIFT_FLAGS[@]}" 2>/dev/null | tail -n 1)
    say "running: scripts/schemathesis.sh $BIN_PATH"
    if ! scripts/schemathesis.sh "$BIN_PATH"; then
        fail "schemathesis"
    fi
fi

echo "test.sh: OK: build has no warnings in Sources/ or Tests/; tests passed (SQLite and PostgreSQL); schemathesis found nothing"
