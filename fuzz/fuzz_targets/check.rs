//! Any bytes, as a file keyleak is asked to check: never a panic, every
//! position inside the text, every fix applicable, no secret in a message.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keyleak::fuzzing::check_any(data);
});
