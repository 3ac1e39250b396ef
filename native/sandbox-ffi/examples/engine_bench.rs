//! The engine's own work, without the JVM: times `Engine::check_*` on the
//! inputs the JMH benchmarks use (`bench/src/main/resources/dev/ku0/sandbox/
//! bench/inputs.json`), so that the cost the boundary adds can be read off as
//! "Java API time minus engine time". Each case is also timed through the C
//! function Java calls (`sandbox_check_*`, input and buffers prepared once), in
//! the same process, so the C wrapper's own cost is a difference of two
//! numbers measured side by side.
//!
//! Method: a plain timing loop. Each case is warmed up, then the iteration
//! count is calibrated so that one sample takes about `--sample-ms`; seven
//! samples are taken and the median (and the fastest) time per check is
//! reported. Inputs and results pass through `std::hint::black_box` so the
//! compiler cannot hoist or drop the work. Run it in release mode:
//!
//! ```text
//! cargo run --release -p sandbox-ffi --example engine_bench -- \
//!     [--inputs FILE] [--rules 10,1000,10000] [--sample-ms 50] [--json OUT] \
//!     [--guard files|urls|commands] [--case NAME] [--count N]
//! ```
//!
//! `--guard` runs one guard only (to profile it, e.g. under `perf record`),
//! `--case NAME` one case only.
//!
//! `--count N` times nothing: it runs each selected case N times through the
//! engine and prints the heap allocations per check (a global allocator that
//! counts while a case runs). The system calls per check are then the counts
//! of `strace -c -f` over the run divided by N; both are independent of the
//! load of the machine, unlike the times.
//!
//! Every case runs with the 10-rule policy; the scaling case of each guard
//! (`scaling_cases` in the inputs) also runs with the larger policies.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fs;
use std::hint::black_box;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sandbox_core::{Decision, Engine, FileOperation, FileRequest, NetworkRequest};
use sandbox_rs::{
    sandbox_check_command, sandbox_check_file, sandbox_check_network, sandbox_engine_free,
    sandbox_engine_new, SandboxDecision, SandboxEngine,
};
use serde_json::{json, Value};

const SAMPLES: usize = 7;

/// The system allocator, counting calls and bytes while `COUNTING` is set
/// (a relaxed load otherwise, so the timed runs are not slowed).
struct CountingAlloc;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static ALLOC_BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters are plain atomics.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            ALLOC_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        }
        // SAFETY: the caller's layout, as GlobalAlloc::alloc requires.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator (that is, System) with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            ALLOC_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        }
        // SAFETY: as for alloc.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            ALLOC_BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        }
        // SAFETY: `ptr` came from this allocator with `layout`; as GlobalAlloc::realloc requires.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// Allocations (calls, bytes) per call of `f` over `n` calls, after one
/// call that is not counted (lazily built tables).
fn count<T>(n: u64, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let last = f();
    ALLOCS.store(0, Ordering::Relaxed);
    ALLOC_BYTES.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    for _ in 0..n {
        black_box(f());
    }
    COUNTING.store(false, Ordering::Relaxed);
    let per = |c: &AtomicU64| c.load(Ordering::Relaxed) as f64 / n.max(1) as f64;
    (per(&ALLOCS), per(&ALLOC_BYTES), last)
}

struct Options {
    inputs: PathBuf,
    rules: Vec<usize>,
    sample: Duration,
    json: Option<PathBuf>,
    guard: Option<String>,
    case: Option<String>,
    count: Option<u64>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        inputs: Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../bench/src/main/resources/dev/ku0/sandbox/bench/inputs.json"),
        rules: vec![10, 1000, 10000],
        sample: Duration::from_millis(50),
        json: None,
        guard: None,
        case: None,
        count: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--inputs" => o.inputs = PathBuf::from(value()?),
            "--rules" => {
                o.rules = value()?
                    .split(',')
                    .map(|n| n.trim().parse().map_err(|e| format!("--rules {n}: {e}")))
                    .collect::<Result<_, _>>()?
            }
            "--sample-ms" => {
                let ms: u64 = value()?.parse().map_err(|e| format!("--sample-ms: {e}"))?;
                o.sample = Duration::from_millis(ms)
            }
            "--json" => o.json = Some(PathBuf::from(value()?)),
            "--guard" => o.guard = Some(value()?),
            "--case" => o.case = Some(value()?),
            "--count" => o.count = Some(value()?.parse().map_err(|e| format!("--count: {e}"))?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

/// A fresh temporary directory standing for `/` (as in the golden corpus).
struct VirtualRoot {
    root: PathBuf,
}

impl VirtualRoot {
    fn create() -> std::io::Result<VirtualRoot> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "ku0-sandbox-engine-bench-{}-{nanos}",
            std::process::id()
        ));
        fs::create_dir_all(&dir)?;
        Ok(VirtualRoot {
            root: fs::canonicalize(&dir)?,
        })
    }

    fn map(&self, virtual_path: &str) -> String {
        let system = ["/dev", "/proc", "/sys"]
            .iter()
            .any(|s| virtual_path == *s || virtual_path.starts_with(&format!("{s}/")));
        if !virtual_path.starts_with('/') || system {
            virtual_path.to_string()
        } else {
            format!("{}{virtual_path}", self.root.display())
        }
    }

    fn apply(&self, line: &str) -> std::io::Result<()> {
        let (kind, rest) = line
            .trim()
            .split_once(char::is_whitespace)
            .unwrap_or((line, ""));
        let rest = rest.trim();
        match kind {
            "dir" => fs::create_dir_all(self.map(rest)),
            "file" => {
                let f = PathBuf::from(self.map(rest));
                if let Some(parent) = f.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(f, "fixture\n")
            }
            other => Err(std::io::Error::other(format!(
                "fixture line kind {other:?} is not used by the benchmark inputs"
            ))),
        }
    }
}

impl Drop for VirtualRoot {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// The benchmark policy with `rules` entries per scaled list, real entries last.
fn policy_json(inputs: &Value, rules: usize, root: &VirtualRoot) -> String {
    let mut policy = inputs["policy"].clone();
    for (field, template) in inputs["scaling"].as_object().expect("scaling is an object") {
        let (section, key) = field
            .split_once('.')
            .expect("scaling keys are section.field");
        let real = policy[section][key].as_array().cloned().unwrap_or_default();
        let template = template.as_str().expect("templates are strings");
        let mut list: Vec<Value> = (0..rules.saturating_sub(real.len()))
            .map(|i| Value::String(template.replace("{i}", &i.to_string())))
            .collect();
        list.extend(real);
        policy[section][key] = Value::Array(list);
    }
    for key in ["allowed_paths", "blocked_paths"] {
        let mapped: Vec<Value> = policy["filesystem"][key]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|p| Value::String(root.map(p.as_str().unwrap_or_default())))
            .collect();
        policy["filesystem"][key] = Value::Array(mapped);
    }
    policy.to_string()
}

/// The engine behind the C ABI, called from Rust the way Java calls it:
/// input in caller memory, the decision and its text written to caller
/// buffers allocated once.
struct CEngine {
    handle: *mut SandboxEngine,
    out: SandboxDecision,
    text: Vec<u8>,
}

impl CEngine {
    fn new(policy: &str, workspace: &str, home: &str) -> CEngine {
        let mut handle = std::ptr::null_mut();
        // SAFETY: three valid (pointer, length) strings and a writable out pointer.
        let status = unsafe {
            sandbox_engine_new(
                policy.as_ptr(),
                policy.len(),
                workspace.as_ptr(),
                workspace.len(),
                home.as_ptr(),
                home.len(),
                &mut handle,
            )
        };
        assert_eq!(status, 0, "sandbox_engine_new failed with status {status}");
        CEngine {
            handle,
            out: SandboxDecision::default(),
            // The Java API's first buffer.
            text: vec![0; 512],
        }
    }

    /// The verdict the last call wrote, for checking it against the engine's.
    fn verdict(&self) -> u32 {
        self.out.verdict
    }
}

impl Drop for CEngine {
    fn drop(&mut self) {
        // SAFETY: a live handle from `sandbox_engine_new`, freed once, unused after.
        unsafe { sandbox_engine_free(self.handle) }
    }
}

/// A C call's status, which must be OK for the timing to mean anything.
fn ok(status: i32) -> i32 {
    assert_eq!(status, 0, "the C function failed with status {status}");
    status
}

/// Median and fastest nanoseconds per call of `f`.
fn time<T>(sample: Duration, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let last = f();
    // Warm up, and find how many calls fill one sample.
    let mut iters: u64 = 1;
    loop {
        let start = Instant::now();
        for _ in 0..iters {
            black_box(f());
        }
        let took = start.elapsed();
        if took >= sample / 4 {
            let per = took.as_secs_f64() / iters as f64;
            iters = ((sample.as_secs_f64() / per) as u64).max(1);
            break;
        }
        iters *= 4;
    }
    let mut per_call: Vec<f64> = (0..SAMPLES)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iters {
                black_box(f());
            }
            start.elapsed().as_nanos() as f64 / iters as f64
        })
        .collect();
    per_call.sort_by(f64::total_cmp);
    (per_call[SAMPLES / 2], per_call[0], last)
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let text = fs::read_to_string(&o.inputs)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", o.inputs.display()));
    let inputs: Value = serde_json::from_str(&text).expect("inputs.json is JSON");
    let root = VirtualRoot::create().expect("temporary directory");
    for line in inputs["fixture"].as_array().expect("fixture is a list") {
        root.apply(line.as_str().unwrap_or_default())
            .expect("fixture line applies");
    }
    let workspace = PathBuf::from(root.map(inputs["workspace"].as_str().unwrap_or("/ws")));
    let home = PathBuf::from(root.map(inputs["home"].as_str().unwrap_or("/home/user")));
    let scaling = &inputs["scaling_cases"];

    let mut results = Vec::new();
    for (n, &rules) in o.rules.iter().enumerate() {
        let policy = policy_json(&inputs, rules, &root);
        let engine = Engine::from_json(&policy, &workspace, &home)
            .unwrap_or_else(|e| panic!("the benchmark policy with {rules} rules is invalid: {e}"));
        let mut c = CEngine::new(
            &policy,
            &workspace.to_string_lossy(),
            &home.to_string_lossy(),
        );
        // Every case with the first (smallest) policy, the scaling cases with all.
        let wanted = |guard: &str, case: &str| {
            let selected = match &o.guard {
                Some(g) => g == guard,
                None => true,
            };
            selected
                && o.case.as_ref().is_none_or(|c| c == case)
                && (n == 0 || scaling[guard] == case)
        };
        let counted = |guard: &str, case: &str, (allocs, bytes, d): (f64, f64, Decision)| {
            println!(
                "{guard:<9} {case:<16} rules={rules:<6} {allocs:>8.1} allocations/check ({bytes:>9.1} bytes)  {} {}",
                d.verdict.as_str(),
                d.code.as_str()
            );
        };

        for (case, v) in inputs["files"].as_object().expect("files") {
            if !wanted("files", case) {
                continue;
            }
            let path = root.map(v["path"].as_str().unwrap_or_default());
            let op = FileOperation::from_name(v["operation"].as_str().unwrap_or_default())
                .expect("known operation");
            let check = || engine.check_file(&FileRequest::new(black_box(&path), op));
            if let Some(n) = o.count {
                counted("files", case, count(n, check));
                continue;
            }
            let (median, min, d) = time(o.sample, check);
            let (c_abi, _, _) = time(o.sample, || {
                let (text, cap) = (c.text.as_mut_ptr(), c.text.len());
                // SAFETY: the path and the buffers outlive the call.
                ok(unsafe {
                    sandbox_check_file(
                        c.handle,
                        black_box(path.as_ptr()),
                        path.len(),
                        op as u32,
                        std::ptr::null(),
                        0,
                        -1,
                        &mut c.out,
                        text,
                        cap,
                    )
                })
            });
            assert_eq!(c.verdict(), d.verdict as u32, "{case}: C and engine differ");
            results.push(record("files", case, rules, median, min, c_abi, &d));
        }
        for (case, v) in inputs["urls"].as_object().expect("urls") {
            if !wanted("urls", case) {
                continue;
            }
            let url = v["url"].as_str().unwrap_or_default();
            let method = v["method"].as_str().unwrap_or("GET");
            let addresses: Option<Vec<IpAddr>> = v.get("addresses").map(|a| {
                a.as_array()
                    .expect("addresses is a list")
                    .iter()
                    .map(|s| s.as_str().unwrap_or_default().parse().expect("IP literal"))
                    .collect()
            });
            let check = || {
                engine.check_network(&NetworkRequest {
                    url: black_box(url),
                    method,
                    addresses: addresses.as_deref(),
                })
            };
            if let Some(n) = o.count {
                counted("urls", case, count(n, check));
                continue;
            }
            let (median, min, d) = time(o.sample, check);
            // Addresses cross the C ABI as a length byte and the address bytes each.
            let joined = addresses.as_ref().map(|a| {
                a.iter()
                    .flat_map(|ip| match ip {
                        IpAddr::V4(v4) => [&[4u8][..], &v4.octets()[..]].concat(),
                        IpAddr::V6(v6) => [&[16u8][..], &v6.octets()[..]].concat(),
                    })
                    .collect::<Vec<u8>>()
            });
            let (addr_ptr, addr_len) = match &joined {
                Some(j) => (j.as_ptr(), j.len()),
                None => (std::ptr::null(), 0),
            };
            let (c_abi, _, _) = time(o.sample, || {
                let (text, cap) = (c.text.as_mut_ptr(), c.text.len());
                // SAFETY: the strings and the buffers outlive the call.
                ok(unsafe {
                    sandbox_check_network(
                        c.handle,
                        black_box(url.as_ptr()),
                        url.len(),
                        method.as_ptr(),
                        method.len(),
                        addr_ptr,
                        addr_len,
                        &mut c.out,
                        text,
                        cap,
                    )
                })
            });
            assert_eq!(c.verdict(), d.verdict as u32, "{case}: C and engine differ");
            results.push(record("urls", case, rules, median, min, c_abi, &d));
        }
        for (case, v) in inputs["commands"].as_object().expect("commands") {
            if !wanted("commands", case) {
                continue;
            }
            let command = v.as_str().unwrap_or_default();
            let check = || engine.check_command(black_box(command));
            if let Some(n) = o.count {
                counted("commands", case, count(n, check));
                continue;
            }
            let (median, min, d) = time(o.sample, check);
            let (c_abi, _, _) = time(o.sample, || {
                let (text, cap) = (c.text.as_mut_ptr(), c.text.len());
                // SAFETY: the command and the buffers outlive the call.
                ok(unsafe {
                    sandbox_check_command(
                        c.handle,
                        black_box(command.as_ptr()),
                        command.len(),
                        &mut c.out,
                        text,
                        cap,
                    )
                })
            });
            assert_eq!(c.verdict(), d.verdict as u32, "{case}: C and engine differ");
            results.push(record("commands", case, rules, median, min, c_abi, &d));
        }
    }

    for r in &results {
        println!(
            "{:<9} {:<16} rules={:<6} {:>10.1} ns/op (fastest {:>10.1}, C function {:>10.1})  {} {}",
            r["guard"].as_str().unwrap_or_default(),
            r["case"].as_str().unwrap_or_default(),
            r["rules"],
            r["ns_per_op"].as_f64().unwrap_or_default(),
            r["ns_fastest"].as_f64().unwrap_or_default(),
            r["c_abi_ns_per_op"].as_f64().unwrap_or_default(),
            r["verdict"].as_str().unwrap_or_default(),
            r["code"].as_str().unwrap_or_default(),
        );
    }
    if let Some(out) = o.json {
        let doc = json!({ "method": "std::time::Instant loop, median of 7 samples; c_abi_ns_per_op: the same check through the C function", "results": results });
        fs::write(
            &out,
            serde_json::to_string_pretty(&doc).expect("serializes"),
        )
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
    }
}

fn record(
    guard: &str,
    case: &str,
    rules: usize,
    median: f64,
    min: f64,
    c_abi: f64,
    d: &Decision,
) -> Value {
    json!({
        "guard": guard,
        "case": case,
        "rules": rules,
        "ns_per_op": median,
        "ns_fastest": min,
        "c_abi_ns_per_op": c_abi,
        "verdict": d.verdict.as_str(),
        "code": d.code.as_str(),
    })
}
