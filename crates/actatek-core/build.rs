//! With the `tz` feature: chrono-tz's IANA time zone identifiers, sorted, one per line, into
//! `$OUT_DIR/time_zones.txt`, which `values::TimeZoneId` checks names against. One string
//! instead of chrono-tz's own parse table (a perfect-hash map of string slices and zone data),
//! which cost the browser `.wasm` about 6 KB gzip; chrono-tz stays the source of the list.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    #[cfg(feature = "tz")]
    {
        let mut names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
        names.sort_unstable();
        let out =
            std::path::Path::new(&std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("time_zones.txt");
        std::fs::write(out, names.join("\n")).expect("OUT_DIR is writable");
    }
}
