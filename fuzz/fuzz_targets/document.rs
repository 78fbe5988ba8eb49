//! An editor's document: a source, then edits in (line, UTF-16 character)
//! coordinates as the WebAssembly `Document` takes them, a check after
//! each. Never a panic; where the incremental tree equals a fresh parse,
//! the cached report equals a fresh check.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keyleak::fuzzing::edit_document(data);
});
