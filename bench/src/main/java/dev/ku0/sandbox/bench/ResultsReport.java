package dev.ku0.sandbox.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.bench.seed.ViolationResult;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code bench/RESULTS.md} from one run of {@code scripts/bench}: the JMH results
 * ({@code jmh-*.json}), the engine timing loop ({@code engine.json}) and the corpus score
 * ({@code corpus.json}) of a results directory, plus the machine it ran on.
 *
 * <p>Usage: {@code ResultsReport --dir DIR --out FILE [--info KEY=VALUE]...}; the info pairs
 * (commit, Rust version, JMH options, run time, load) are printed in the machine section.
 */
public final class ResultsReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> GUARDS = List.of("files", "urls", "commands");
    private static final Map<String, String> CLASS_OF = Map.of(
            "files", "FileCheckBenchmark", "urls", "NetworkCheckBenchmark", "commands", "CommandCheckBenchmark");
    private static final Map<String, String> SCALING_PREFIX = Map.of(
            "files", "file", "urls", "network", "commands", "command");
    private static final Map<String, String> TITLE = Map.of(
            "files", "Filesystem", "urls", "Network", "commands", "Commands");
    /** How each guard's calls cross: the network check is a critical call on heap memory. */
    private static final Map<String, String> FLOOR_OF = Map.of(
            "files", "plain", "urls", "critical", "commands", "plain");
    private static final int[] RULES = {10, 1000, 10000};
    /** Target 1: the boundary may cost this many floors. */
    private static final double FLOORS_ALLOWED = 5;
    /** Target 2: the native guard must be this many times faster than the port. */
    private static final double SPEEDUP_WANTED = 10;
    /** Target 3: a cost c·log(N) grows log(10 000)/log(10) = 4 times from 10 to 10 000 rules. */
    private static final double GROWTH_ALLOWED = Math.log(10_000) / Math.log(10);

    private final List<JsonNode> jmh = new ArrayList<>();
    private final List<JsonNode> engine = new ArrayList<>();
    private JsonNode corpus;
    /** {@code BaselineAgreement}'s output, when the run has it. */
    private JsonNode baseline;
    /** perf report lines by guard and rule count, when the run could profile. */
    private final Map<String, List<String>> profiles = new LinkedHashMap<>();
    private final Map<String, String> info = new LinkedHashMap<>();
    private final StringBuilder md = new StringBuilder();

    private ResultsReport() {}

    public static void main(String[] args) throws IOException {
        Path dir = null;
        Path out = null;
        ResultsReport r = new ResultsReport();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--info" -> {
                    String[] kv = args[++i].split("=", 2);
                    r.info.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dir == null || out == null) throw new IllegalArgumentException("usage: ResultsReport --dir DIR --out FILE");
        r.load(dir);
        Files.writeString(out, r.render());
        System.out.println("wrote " + out);
    }

    private void load(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "jmh-*.json")) {
            for (Path f : files) JSON.readTree(f.toFile()).forEach(jmh::add);
        }
        JSON.readTree(dir.resolve("engine.json").toFile()).get("results").forEach(engine::add);
        corpus = JSON.readTree(dir.resolve("corpus.json").toFile());
        Path agreement = dir.resolve("baseline.json");
        if (Files.isRegularFile(agreement)) baseline = JSON.readTree(agreement.toFile());
        for (String g : GUARDS) {
            for (int n : new int[] {10, 10_000}) {
                Path f = dir.resolve("perf-" + g + "-" + n + ".txt");
                if (Files.isRegularFile(f)) profiles.put(g + "/" + n, Files.readAllLines(f));
            }
        }
    }

    // ------------------------------------------------------------ lookups

    /** A JMH score (ns/op) and its error, or {@code null} when the run has no such result. */
    record Score(double ns, double error) {}

    private Score jmh(String cls, String method, Map<String, String> params) {
        for (JsonNode r : jmh) {
            if (!r.get("benchmark").asText().endsWith("." + cls + "." + method)) continue;
            JsonNode p = r.path("params");
            boolean match = true;
            for (Map.Entry<String, String> e : params.entrySet()) {
                if (!e.getValue().equals(p.path(e.getKey()).asText(null))) match = false;
            }
            if (!match) continue;
            JsonNode m = r.get("primaryMetric");
            double err = m.path("scoreError").asDouble(Double.NaN);
            return new Score(m.get("score").asDouble(), err);
        }
        return null;
    }

    /**
     * The median of a benchmark's iteration scores (ns/op): unlike the mean, one iteration that
     * caught a collection or a recompilation does not move it.
     */
    private double medianNs(String cls, String method) {
        for (JsonNode r : jmh) {
            if (!r.get("benchmark").asText().endsWith("." + cls + "." + method)) continue;
            List<Double> raw = new ArrayList<>();
            r.path("primaryMetric").path("rawData").forEach(fork -> fork.forEach(x -> raw.add(x.asDouble())));
            if (raw.isEmpty()) return Double.NaN;
            raw.sort(null);
            int n = raw.size();
            return n % 2 == 1 ? raw.get(n / 2) : (raw.get(n / 2 - 1) + raw.get(n / 2)) / 2;
        }
        return Double.NaN;
    }

    private Score caseScore(String guard, String impl, String input, int rules) {
        if (rules == 10) return jmh(CLASS_OF.get(guard), impl, Map.of("input", input, "rules", "10"));
        String method = SCALING_PREFIX.get(guard) + (impl.equals("nativeApi") ? "NativeApi" : "SeedPort");
        return jmh("ScalingBenchmark", method, Map.of("rules", Integer.toString(rules)));
    }

    private Double engineNs(String guard, String input, int rules) {
        return engineField(guard, input, rules, "ns_per_op");
    }

    /** The same check through the C function, timed by the engine loop in the same process. */
    private Double cFunctionNs(String guard, String input, int rules) {
        return engineField(guard, input, rules, "c_abi_ns_per_op");
    }

    private Double engineField(String guard, String input, int rules, String field) {
        for (JsonNode r : engine) {
            if (r.get("guard").asText().equals(guard) && r.get("case").asText().equals(input)
                    && r.get("rules").asInt() == rules) {
                return r.has(field) ? r.get(field).asDouble() : null;
            }
        }
        return null;
    }

    /** The floor of a way to cross: the medians of its no-op downcall and of its marshalling. */
    private double floor(String kind) {
        return medianNs("FloorBenchmark", kind.equals("critical") ? "noopDowncallCritical" : "noopDowncall")
                + medianNs("FloorBenchmark", kind.equals("critical") ? "marshalPathHeap" : "marshalPathConfinedArena");
    }

    private static List<String> cases(String guard) {
        List<String> out = new ArrayList<>();
        BenchInputs.caseNames(guard).forEach(out::add);
        return out;
    }

    // ---------------------------------------------------------- formatting

    static String ns(Double v) {
        if (v == null || v.isNaN()) return "n/a";
        if (v >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (v >= 100) return String.format(Locale.ROOT, "%.0f", v);
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String ns(Score s) {
        if (s == null) return "n/a";
        return Double.isNaN(s.error()) ? ns(s.ns()) : ns(s.ns()) + " ± " + ns(s.error());
    }

    static String ratio(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "n/a";
        if (v >= 100) return String.format(Locale.ROOT, "%.0f×", v);
        if (v >= 10) return String.format(Locale.ROOT, "%.1f×", v);
        return String.format(Locale.ROOT, "%.2f×", v);
    }

    private static double v(Score s) {
        return s == null ? Double.NaN : s.ns();
    }

    private static double v(Double d) {
        return d == null ? Double.NaN : d;
    }

    private void line(String s) {
        md.append(s).append('\n');
    }

    private void row(Object... cells) {
        StringBuilder b = new StringBuilder("|");
        for (Object c : cells) b.append(' ').append(c).append(" |");
        line(b.toString());
    }

    private void header(String... cells) {
        row((Object[]) cells);
        StringBuilder b = new StringBuilder("|");
        for (String c : cells) b.append(c.startsWith("Case") || c.startsWith("Guard") || c.startsWith("Check")
                || c.startsWith("Decision") || c.startsWith("Benchmark") || c.startsWith("Corpus") || c.startsWith("Function") ? " --- |" : " ---: |");
        line(b.toString());
    }

    // ------------------------------------------------------------ decisions

    /** What each implementation decides on the 10-rule cases: the native code, the port's verdict. */
    private final Map<String, String[]> decisions = new LinkedHashMap<>();

    private void decide() {
        try (BenchInputs.World w = BenchInputs.world(10)) {
            for (String c : cases("files")) {
                decisions.put("files/" + c, new String[] {
                        show(w.manager.evaluateFileAccess(w.path(c), BenchInputs.fileOperation(c))),
                        show(w.seed.files().checkAccess(w.path(c), BenchInputs.fileOperation(c).jsonName()))});
            }
            for (String c : cases("urls")) {
                decisions.put("urls/" + c, new String[] {
                        show(w.manager.evaluateNetworkRequest(BenchInputs.url(c), BenchInputs.method(c), BenchInputs.addresses(c))),
                        show(w.seed.network().checkRequest(BenchInputs.url(c), BenchInputs.method(c)))});
            }
            for (String c : cases("commands")) {
                decisions.put("commands/" + c, new String[] {
                        show(w.manager.evaluateCommand(BenchInputs.command(c)).decision()),
                        show(w.seed.commands().validateCommand(BenchInputs.command(c)))});
            }
        }
    }

    private static String show(Decision d) {
        return d.verdict().jsonName() + " `" + d.code() + "`";
    }

    private static String show(ViolationResult r) {
        return r.allowed() ? "allow" : "deny";
    }

    // --------------------------------------------------------------- render

    private String render() {
        decide();
        line("# Benchmark results");
        line("");
        line("Written by `scripts/bench` (do not edit by hand; run it again). All times are nanoseconds per");
        line("check (JMH average time, ± the 99.9% confidence half-width JMH reports; `n/a` where a run");
        line("produced no number). Lower is better.");
        line("");
        machine();
        reading();
        floorSection();
        perCase();
        whereTimeGoes();
        scaling();
        profile();
        threads();
        bindingsSection();
        corpusSection();
        targets();
        checkCost();
        return md.toString();
    }

    private void machine() {
        line("## Machine and run");
        line("");
        line("- CPU: " + cpuModel() + ", " + info.getOrDefault("nproc", Integer.toString(Runtime.getRuntime().availableProcessors()))
                + " cores (`nproc`)");
        line("- Memory: " + memTotal());
        line("- JDK: " + System.getProperty("java.vm.vendor", "?") + " " + System.getProperty("java.runtime.name", "")
                + " " + System.getProperty("java.runtime.version", "?"));
        for (Map.Entry<String, String> e : info.entrySet()) {
            if (!e.getKey().equals("nproc")) line("- " + e.getKey() + ": " + e.getValue());
        }
        line("");
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static String memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(l.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return "unknown";
    }

    private void reading() {
        line("## How the numbers were taken");
        line("");
        line("- **Native API**: the public `SandboxManager` methods (`evaluateFileAccess`,");
        line("  `evaluateNetworkRequest` with the resolved addresses, `checkCommand`), JMH, one shared manager.");
        line("  The library's decision log (`dev.ku0.sandbox.decisions`) is held at WARNING, as the CLI holds it:");
        line("  with the JDK's default logging a refusal also writes an INFO line to standard error, which costs");
        line("  more than the check (about 8 KB allocated per refusal). The violation log records every refusal.");
        line("- **Seed port**: the seed plan's three guards ported to Java as written (package");
        line("  `dev.ku0.sandbox.bench.seed`): canonicalize-or-raw-string and `startsWith` for paths,");
        line("  `java.net.URI` and three localhost strings for URLs, `startsWith`/`contains` and five regexes");
        line("  for commands. Same inputs, same policy.");
        line("- **Engine**: `native/sandbox-ffi/examples/engine_bench.rs`, the engine's `check_*` called");
        line("  directly in Rust (release build): a `std::time::Instant` loop over calibrated batches with");
        line("  `std::hint::black_box`, median of 7 samples. No C ABI, no JVM. The same loop also times each");
        line("  check through its C function (`sandbox_check_*`, input and buffers prepared once), in the");
        line("  same process: the difference is the C wrapper's own cost.");
        line("- **Floor**: a no-op downcall plus marshalling a 64-byte path, for each way checks cross:");
        line("  *plain* (downcall + copy into a confined arena: file and command checks, which may touch the");
        line("  file system) and *critical* (critical downcall + UTF-8 encoding to a heap array: network checks).");
        line("- **Inputs** (`bench/src/main/resources/dev/ku0/sandbox/bench/inputs.json`, read by both Java");
        line("  and Rust): a fixture tree in a temporary directory, a workspace policy whose scaled lists");
        line("  (blocked paths, allowed and blocked domains, allowed commands) hold N entries with the real ones");
        line("  last (the worst case for a linear scan).");
        line("- The machine is shared and small: read differences below ~20% as noise. The load average at");
        line("  the start and end of the run is given above.");
        line("");
    }

    private void floorSection() {
        line("## The floor");
        line("");
        header("Benchmark", "ns/op", "Median of the iterations");
        for (String m : List.of("noopDowncall", "noopDowncallCritical", "marshalPathHeap", "marshalPathConfinedArena")) {
            row("`FloorBenchmark." + m + "`", ns(jmh("FloorBenchmark", m, Map.of())), ns(medianNs("FloorBenchmark", m)));
        }
        line("");
        line("Floor, plain (no-op downcall + confined-arena copy): **" + ns(floor("plain")) + " ns**. Floor, critical");
        line("(critical no-op + heap encoding): **" + ns(floor("critical")) + " ns**. Each floor adds the medians of");
        line("its two parts: a few nanoseconds of work, where one iteration that caught a garbage collection");
        line("would otherwise move the mean several times over.");
        line("");
    }

    private void perCase() {
        line("## Each check, 10-rule policy, one thread");
        line("");
        line("*× floor* is the native API time over the floor of the way that check crosses; *boundary* is");
        line("native API minus engine: what the JVM, the marshalling and the C wrapper add. *Speed-up* is");
        line("seed port time over native API time (above 1 the native guard is faster).");
        line("");
        for (String g : GUARDS) {
            line("### " + TITLE.get(g));
            line("");
            header("Case", "Native API", "Engine (Rust)", "Boundary", "× floor", "Seed port", "Speed-up",
                    "Decision: native / seed port");
            for (String c : cases(g)) {
                Score n = caseScore(g, "nativeApi", c, 10);
                Score s = caseScore(g, "seedPort", c, 10);
                Double e = engineNs(g, c, 10);
                String[] d = decisions.getOrDefault(g + "/" + c, new String[] {"?", "?"});
                row("`" + c + "`", ns(n), ns(e), ns(v(n) - v(e)), ratio(v(n) / floor(FLOOR_OF.get(g))), ns(s),
                        ratio(v(s) / v(n)), d[0] + " / " + d[1]);
            }
            line("");
        }
    }

    /** The {@code BoundaryBenchmark} method that calls each guard's C function on prepared input. */
    private static final Map<String, String> RAW_CALL =
            Map.of("files", "fileRaw", "urls", "networkRaw", "commands", "commandRaw");

    private void whereTimeGoes() {
        line("## Where the time goes (scaling case of each guard, 10 rules)");
        line("");
        line("Four measurements of the same check, from the engine alone to the full Java API call:");
        line("the engine and its C function timed side by side in Rust (one process), and the raw C");
        line("function called from Java on input marshalled once into memory allocated once");
        line("(`BoundaryBenchmark`) and the Java API, side by side in JMH (one JVM). Each difference in the");
        line("last three columns is taken between two numbers of the same process; *Rust → JVM* crosses");
        line("processes, so beyond the downcall's few nanoseconds it holds how the engine's run time differs");
        line("between the two (allocator, caches, load), and reads as noise.");
        line("");
        header("Guard", "Engine (Rust)", "C function (Rust)", "Raw C call (JMH)", "Native API", "C wrapper",
                "Rust → JVM", "Java side");
        for (String g : GUARDS) {
            String c = BenchInputs.scalingCase(g);
            Double e = engineNs(g, c, 10);
            Double cf = cFunctionNs(g, c, 10);
            Score r = jmh("BoundaryBenchmark", RAW_CALL.get(g), Map.of());
            Score n = caseScore(g, "nativeApi", c, 10);
            row(TITLE.get(g) + " `" + c + "`", ns(e), ns(cf), ns(r), ns(n), ns(v(cf) - v(e)), ns(v(r) - v(cf)),
                    ns(v(n) - v(r)));
        }
        line("");
    }

    private void scaling() {
        line("## Scaling with policy size");
        line("");
        line("Every scaled list of the policy holds N entries; the checked input matches none of the");
        line("synthetic ones. *Growth* is the time at 10 000 rules over the time at 10 rules.");
        line("");
        header("Guard", "Rules", "Native API", "Engine (Rust)", "Seed port", "Speed-up");
        for (String g : GUARDS) {
            String c = BenchInputs.scalingCase(g);
            for (int n : RULES) {
                Score nat = caseScore(g, "nativeApi", c, n);
                Score seed = caseScore(g, "seedPort", c, n);
                row(TITLE.get(g) + " `" + c + "`", String.format(Locale.ROOT, "%,d", n), ns(nat), ns(engineNs(g, c, n)),
                        ns(seed), ratio(v(seed) / v(nat)));
            }
            row(TITLE.get(g) + " growth", "10 → 10 000", ratio(growth(g, gg -> v(caseScore(g, "nativeApi", c, gg)))),
                    ratio(growth(g, gg -> v(engineNs(g, c, gg)))), ratio(growth(g, gg -> v(caseScore(g, "seedPort", c, gg)))), "");
        }
        line("");
    }

    /** Functions of a perf report that tell where a check's time goes (not the harness, not policy compilation). */
    private static final Pattern PERF_LINE = Pattern.compile(
            "^\\s*([0-9.]+)%\\s+([0-9.]+)%\\s+\\S+\\s+\\S+\\s+\\[\\.\\]\\s+(.+)$");

    private void profile() {
        line("## Where the engine spends its time");
        line("");
        if (profiles.isEmpty()) {
            line("No profile: `perf` was not usable on this machine.");
            line("");
            return;
        }
        line("`perf record --call-graph dwarf` of the engine timing loop, one guard at a time, with the");
        line("10-rule and the 10 000-rule policy: the share of samples spent in each function and what it");
        line("calls (inclusive), for the functions of the check that take at least 5%. `statx` is the");
        line("system call that looks up one path component.");
        line("");
        for (String g : GUARDS) {
            for (int n : new int[] {10, 10_000}) {
                List<String> lines = profiles.get(g + "/" + n);
                if (lines == null) continue;
                line("**" + TITLE.get(g) + ", " + String.format(Locale.ROOT, "%,d", n) + " rules**");
                line("");
                header("Function", "Inclusive", "Self");
                int shown = 0;
                double previous = Double.NaN;
                for (String l : lines) {
                    Matcher m = PERF_LINE.matcher(l);
                    if (!m.matches()) continue;
                    String fn = m.group(3).trim();
                    double inclusive = Double.parseDouble(m.group(1));
                    double self = Double.parseDouble(m.group(2));
                    if (inclusive < 5 || !interesting(fn)) continue;
                    // A caller that only passes through to the next function says nothing new.
                    if (self < 1 && Math.abs(previous - inclusive) < 1.5) continue;
                    previous = inclusive;
                    row("`" + shortName(fn) + "`", m.group(1) + "%", m.group(2) + "%");
                    if (++shown == 10) break;
                }
                line("");
            }
        }
    }

    private static boolean interesting(String fn) {
        if (fn.contains("(inlined)") || fn.contains("from_json") || fn.contains("compile") || fn.contains("::new")) {
            return false;
        }
        return fn.contains("sandbox_core::guards") || fn.contains("brush_parser") || fn.equals("statx")
                || fn.contains("url::") || fn.contains("idna::") || fn.contains("globset") || fn.contains("regex");
    }

    /** {@code sandbox_core::guards::command::files::<impl ...::Analyzer>::check_path} → {@code command::files::check_path}. */
    static String shortName(String fn) {
        String s = fn.replaceAll("<impl [^>]*>::", "").replace("sandbox_core::guards::", "");
        return s.replace("{{closure}}", "{closure}");
    }

    private static double growth(String guard, Function<Integer, Double> cost) {
        return cost.apply(10_000) / cost.apply(10);
    }

    private void bindingsSection() {
        line("## FFM and JNI");
        line("");
        line("`BindingBenchmark` makes the calls the Java API makes, through each binding, on the scaling case");
        line("of each guard (10 rules) with the input encoded once, plus a call that does nothing. The engine's");
        line("work is the same on both; the boundary is the call's time minus the engine's own time (Rust,");
        line("no boundary). Target: the JNI boundary costs at most 2× the FFM boundary per check.");
        line("");
        header("Call", "FFM", "JNI", "JNI − FFM", "Engine", "FFM boundary", "JNI boundary", "JNI / FFM boundary");
        String[][] calls = {{"no-op", "noop", null}, {"URL", "url", "urls"}, {"path", "path", "files"},
                {"command", "command", "commands"}};
        for (String[] c : calls) {
            Score ffm = jmh("BindingBenchmark", c[1], Map.of("binding", "ffm"));
            Score jni = jmh("BindingBenchmark", c[1], Map.of("binding", "jni"));
            double engineNs = c[2] == null ? 0 : v(engineNs(c[2], BenchInputs.scalingCase(c[2]), 10));
            double fb = v(ffm) - engineNs;
            double jb = v(jni) - engineNs;
            row(c[0], ns(ffm), ns(jni), ns(v(jni) - v(ffm)), c[2] == null ? "0" : ns(engineNs), ns(fb), ns(jb),
                    ratio(jb / fb));
        }
        line("");
        line("A boundary near zero or negative means the engine ran as fast inside the JVM as in the Rust");
        line("loop and the difference is within the run's noise; the JNI − FFM column is then the better");
        line("measure of what JNI adds per check.");
        line("");
    }

    private void threads() {
        line("## Two threads, one shared manager");
        line("");
        line("`SharedManagerBenchmark` runs two threads (one per core) on one manager; its score is the time");
        line("per check per thread. A ratio near 1 means checks scale with threads (no shared lock, no");
        line("contention); 2 would mean the two threads are serialized.");
        line("");
        header("Check", "1 thread", "2 threads (per thread)", "Ratio", "Checks/s, 2 threads");
        Map<String, String> method = Map.of("files", "file", "urls", "network", "commands", "command");
        for (String g : GUARDS) {
            String c = BenchInputs.scalingCase(g);
            Score one = caseScore(g, "nativeApi", c, 10);
            Score two = jmh("SharedManagerBenchmark", method.get(g), Map.of("rules", "10"));
            double perSecond = 2 * 1e9 / v(two);
            row(TITLE.get(g) + " `" + c + "`", ns(one), ns(two), ratio(v(two) / v(one)),
                    Double.isNaN(perSecond) ? "n/a" : String.format(Locale.ROOT, "%,.0f", perSecond));
        }
        line("");
    }

    private void corpusSection() {
        line("## Wrong decisions on the golden corpus");
        line("");
        line("Corpus: `" + corpus.path("corpus").asText() + "`, read as its README says (`CorpusScore`).");
        line("*Wrongly allowed*: `deny` expected, not denied (for commands `ask` counts as deny). *Wrongly");
        line("refused*: `allow` expected, not allowed.");
        line("");
        header("Corpus", "Cases", "Checked", "Native: wrong (allowed / refused)", "Seed port: wrong (allowed / refused)");
        for (String g : List.of("paths", "urls", "commands")) {
            JsonNode t = corpus.get(g);
            row(g, t.get("cases").asInt(), t.get("applicable").asInt(), wrong(t.get("native")), wrong(t.get("seed")));
        }
        line("");
        for (String g : List.of("paths", "urls", "commands")) {
            JsonNode t = corpus.get(g);
            if (t.get("skipped").size() > 0) {
                List<String> s = new ArrayList<>();
                t.get("skipped").fields().forEachRemaining(e -> s.add(e.getValue().asInt() + " " + e.getKey()));
                line("- " + g + ": not checked: " + String.join(", ", s) + " (pure platform rules and check-then-use"
                        + " races, which no check through the Java API on Linux can decide).");
            }
            JsonNode n = t.get("native");
            if (n.get("wrong").asInt() > 0) {
                line("- " + g + ": native wrongly allowed " + ids(n.get("wrongly_allowed")) + "; wrongly refused "
                        + ids(n.get("wrongly_refused")) + ".");
            }
            if (n.get("errors").size() > 0) line("- " + g + ": native errors: " + ids(n.get("errors")) + ".");
        }
        line("");
    }

    private static String wrong(JsonNode side) {
        return side.get("wrong").asInt() + " (" + side.get("wrongly_allowed").size() + " / "
                + side.get("wrongly_refused").size() + ")";
    }

    private static String ids(JsonNode list) {
        if (list.isEmpty()) return "none";
        List<String> s = new ArrayList<>();
        list.forEach(x -> s.add(x.asText()));
        return String.join(", ", s);
    }

    // -------------------------------------------------------------- targets

    private void targets() {
        line("## Targets");
        line("");
        targetBoundary();
        targetSpeedup();
        targetGrowth();
    }

    private void targetBoundary() {
        line("### 1. URL and command checks cost at most 5× the floor plus the engine's own work");
        line("");
        line("*Boundary in floors* is (native API − engine) / floor. *Within noise*: over the limit by less");
        line("than the error JMH reports for the native API time.");
        line("");
        header("Check", "Native API", "Engine", "Floor", "Limit: 5 × floor + engine", "Boundary in floors", "Met");
        boolean all = true;
        List<String> misses = new ArrayList<>();
        for (String g : List.of("urls", "commands")) {
            double f = floor(FLOOR_OF.get(g));
            for (String c : cases(g)) {
                Score api = caseScore(g, "nativeApi", c, 10);
                double n = v(api);
                double e = v(engineNs(g, c, 10));
                double limit = FLOORS_ALLOWED * f + e;
                boolean met = n <= limit;
                boolean noise = !met && api != null && !Double.isNaN(api.error()) && n - api.error() <= limit;
                all &= met;
                if (!met) misses.add(TITLE.get(g) + " `" + c + "`" + (noise ? " (within noise)" : ""));
                row(TITLE.get(g) + " `" + c + "`", ns(api), ns(e), ns(f), ns(limit), ratio((n - e) / f),
                        met ? "yes" : noise ? "**no** (within noise)" : "**no**");
            }
        }
        line("");
        if (all) {
            line("**Met**: on every URL and command case the boundary adds at most " + (int) FLOORS_ALLOWED + " floors.");
        } else {
            line("**Not met** for " + String.join(", ", misses) + ". Measured reason, on the scaling case of each"
                    + " guard (*Where the time goes*):");
            line("");
            for (String g : List.of("urls", "commands")) {
                String c = BenchInputs.scalingCase(g);
                double f = floor(FLOOR_OF.get(g));
                double e = v(engineNs(g, c, 10));
                double cf = v(cFunctionNs(g, c, 10));
                double r = v(jmh("BoundaryBenchmark", RAW_CALL.get(g), Map.of()));
                double n = v(caseScore(g, "nativeApi", c, 10));
                line("- " + TITLE.get(g) + " `" + c + "`: the boundary adds " + ns(n - e) + " ns (" + ratio((n - e) / f)
                        + " the floor of " + ns(f) + " ns): the C wrapper " + ns(cf - e) + " ns (" + ratio((cf - e) / f)
                        + "), the Java side " + ns(n - r) + " ns (" + ratio((n - r) / f) + "), and " + ns(r - cf)
                        + " ns (" + ratio((r - cf) / f) + ") between the engine's run time in Rust and in the JVM.");
            }
            line("");
            line("The floor copies one input in and calls a function that does nothing. A check also copies");
            line("the decision out: the C wrapper validates the UTF-8 input (and reads the resolved addresses)");
            line("and copies the reason and rule out; the Java side encodes the input (and packs the");
            line("addresses), allocates scratch memory, and decodes the reason and rule into the `Decision`");
            line("strings. Each of these costs about as much as the whole floor. The part between Rust and the");
            line("JVM is the same engine work timed in two processes: the engine runs slower inside the JVM");
            line("(the same functions take the same shares of the time in a profile of either), and a check of");
            line("tens of microseconds varies between runs by more than the limit allows.");
        }
        line("");
    }

    private void targetSpeedup() {
        line("### 2. Commands and 1 000-rule policies: native at least 10× faster than the seed port, deciding correctly where it does not");
        line("");
        header("Check", "Native API", "Seed port", "Speed-up", "Met");
        boolean all = true;
        List<String> misses = new ArrayList<>();
        for (String c : cases("commands")) {
            double n = v(caseScore("commands", "nativeApi", c, 10));
            double s = v(caseScore("commands", "seedPort", c, 10));
            boolean met = s / n >= SPEEDUP_WANTED;
            all &= met;
            if (!met) misses.add("Commands `" + c + "`");
            row("Commands `" + c + "`, 10 rules", ns(n), ns(s), ratio(s / n), met ? "yes" : "**no**");
        }
        for (String g : GUARDS) {
            String c = BenchInputs.scalingCase(g);
            double n = v(caseScore(g, "nativeApi", c, 1000));
            double s = v(caseScore(g, "seedPort", c, 1000));
            boolean met = s / n >= SPEEDUP_WANTED;
            all &= met;
            if (!met) misses.add(TITLE.get(g) + " `" + c + "` at 1 000 rules");
            row(TITLE.get(g) + " `" + c + "`, 1 000 rules", ns(n), ns(s), ratio(s / n), met ? "yes" : "**no**");
        }
        line("");
        int seedWrong = 0;
        int nativeWrong = 0;
        int overlap = 0;
        for (String g : List.of("paths", "urls", "commands")) {
            JsonNode t = corpus.get(g);
            seedWrong += t.get("seed").get("wrong").asInt();
            nativeWrong += t.get("native").get("wrong").asInt();
            Set<String> seed = new HashSet<>();
            t.get("seed").get("wrongly_allowed").forEach(x -> seed.add(x.asText()));
            t.get("seed").get("wrongly_refused").forEach(x -> seed.add(x.asText()));
            for (String k : List.of("wrongly_allowed", "wrongly_refused")) {
                for (JsonNode x : t.get("native").get(k)) if (seed.contains(x.asText())) overlap++;
            }
        }
        boolean correct = overlap == 0;
        line("Correctness: the seed port decides " + seedWrong + " corpus cases wrongly, the native guards " + nativeWrong
                + "; of the port's wrong cases the native guards also get " + overlap + " wrong.");
        line("");
        if (all && correct) {
            line("**Met**: every listed check is at least " + (int) SPEEDUP_WANTED + "× faster, and the native guards decide"
                    + " correctly every corpus case the port gets wrong.");
        } else {
            List<String> why = new ArrayList<>();
            if (!all) why.add("the speed-up is below " + (int) SPEEDUP_WANTED + "× for " + String.join(", ", misses));
            if (!correct) why.add(overlap + " of the port's wrong corpus cases are also wrong natively");
            line("**Not met**: " + String.join("; ", why) + ".");
            if (!all) {
                line("");
                line("Measured reason: the engine alone, without any boundary, against the port:");
                line("");
                for (String c : cases("commands")) engineVersusPort("commands", c, 10);
                for (String g : GUARDS) engineVersusPort(g, BenchInputs.scalingCase(g), 1000);
                line("");
                line("The port compares strings (a few `startsWith`/`contains` and five regexes, `toRealPath` for");
                line("paths), which the JIT compiles well, and scans every policy entry; the engine parses the");
                line("command as bash, resolves every path, file operand and redirect target through the file");
                line("system one component at a time (a `statx` each), and looks policy entries up in indexes");
                line("(*Where the engine spends its time* has the profile). On long policies the port's scans");
                line("catch up: the speed-up grows with the policy (see *Scaling with policy size*). Where the");
                line("port is wrong, the engine's extra work is what decides correctly.");
            }
        }
        line("");
    }

    private void engineVersusPort(String g, String c, int rules) {
        double e = v(engineNs(g, c, rules));
        double s = v(caseScore(g, "seedPort", c, rules));
        line("- " + TITLE.get(g) + " `" + c + "`, " + String.format(Locale.ROOT, "%,d", rules) + " rules: engine "
                + ns(e) + " ns, port " + ns(s) + " ns: even with a free boundary the native check would be "
                + (e <= s ? ratio(s / e) + " faster" : ratio(e / s) + " slower") + ".");
    }

    private void targetGrowth() {
        line("### 3. Check cost grows at most logarithmically with policy size");
        line("");
        line("A cost c·log N grows " + ratio(GROWTH_ALLOWED) + " from 10 to 10 000 rules; a linear scan grows up to 1 000×.");
        line("Met when the native API time grows at most " + ratio(GROWTH_ALLOWED) + ".");
        line("");
        header("Guard", "Native API growth", "Engine growth", "Seed port growth", "Met");
        boolean all = true;
        List<String> misses = new ArrayList<>();
        for (String g : GUARDS) {
            String c = BenchInputs.scalingCase(g);
            double n = growth(g, r -> v(caseScore(g, "nativeApi", c, r)));
            double e = growth(g, r -> v(engineNs(g, c, r)));
            double s = growth(g, r -> v(caseScore(g, "seedPort", c, r)));
            boolean met = n <= GROWTH_ALLOWED;
            all &= met;
            if (!met) misses.add(TITLE.get(g));
            row(TITLE.get(g) + " `" + c + "`", ratio(n), ratio(e), ratio(s), met ? "yes" : "**no**");
        }
        line("");
        if (all) {
            line("**Met** for every guard: blocked paths sit in a trie keyed by path component, domains in a");
            line("hash map looked up once per label of the host, IP and CIDR entries by network per prefix");
            line("length, command rules by command name; a check's lookups depend on the input, not on the");
            line("number of entries.");
        } else {
            line("**Not met** for " + String.join(", ", misses) + ". Measured reason, from the engine's own times");
            line("at 10 and 10 000 rules (every scaled list grows together, so a command check also pays for the");
            line("blocked paths its file operands are checked against):");
            line("");
            for (String g : GUARDS) {
                String c = BenchInputs.scalingCase(g);
                if (growth(g, r -> v(caseScore(g, "nativeApi", c, r))) <= GROWTH_ALLOWED) continue;
                double engineGrowth = growth(g, r -> v(engineNs(g, c, r)));
                if (engineGrowth <= GROWTH_ALLOWED) {
                    line("- " + TITLE.get(g) + " `" + c + "`: the engine's own time grows " + ratio(engineGrowth)
                            + ", within the target; the growth is on the Java side of this run (compare the JMH errors).");
                } else {
                    double perEntry = (v(engineNs(g, c, 10_000)) - v(engineNs(g, c, 10))) / (10_000 - 10);
                    line("- " + TITLE.get(g) + " `" + c + "`: the engine's own time grows " + ratio(engineGrowth)
                            + ", " + ns(perEntry) + " ns per entry: a loop over the entries (*Where the engine spends its time*).");
                }
            }
        }
        line("");
        batch();
    }

    /** Whether a batch entry point (many checks per downcall) would pay: it saves one downcall per check. */
    private void batch() {
        line("### A batch entry point");
        line("");
        double noop = v(jmh("FloorBenchmark", "noopDowncall", Map.of()));
        double cheapest = Double.NaN;
        String which = null;
        for (String g : GUARDS) {
            for (String c : cases(g)) {
                double n = v(caseScore(g, "nativeApi", c, 10));
                if (!Double.isNaN(n) && (Double.isNaN(cheapest) || n < cheapest)) {
                    cheapest = n;
                    which = TITLE.get(g) + " `" + c + "`";
                }
            }
        }
        double share = noop / cheapest;
        line("A batch call would save the downcall of each check but none of its marshalling or engine work.");
        line("The downcall costs " + ns(noop) + " ns; the cheapest check (" + which + ") costs " + ns(cheapest)
                + " ns, so a batch could save at most " + String.format(Locale.ROOT, "%.1f%%", 100 * share) + " of it. "
                + (share < 0.05 ? "It does not pay, and the library has none." : "It could pay on the cheapest checks."));
        line("");
    }

    // ------------------------------------------------- checks against the operation

    private static final String COST = "CheckCostBenchmark";
    /** Absolute targets of issue 17 (ns), per check. */
    private static final Map<String, Double> COST_TARGET = Map.of(
            "path", 3_000.0, "url", 1_000.0, "command20", 10_000.0, "command80", 10_000.0);
    /** At most this many times the system call the guarded operation makes. */
    private static final double OPERATION_FACTOR = 2;
    /** Never slower than the seed's port by more than this factor. */
    private static final double SEED_FACTOR = 2;

    private Score cost(String method) {
        return jmh(COST, method, Map.of());
    }

    private void checkCost() {
        if (cost("pathNative") == null) return;
        line("## Each check next to the operation it guards");
        line("");
        line("`CheckCostBenchmark`, one JVM, one thread, the 10-rule policy: each check through the Java");
        line("API (*Native API*), the correct pure-Java baseline (*Java baseline*, package");
        line("`dev.ku0.sandbox.bench.baseline`: links resolved by `toRealPath`, URLs and hosts parsed as the");
        line("guard parses them, shell tokenised as bash does for the simple cases), the seed's port, and the");
        line("system call the guarded operation makes, taken from Java as a caller makes it: `stat` (without");
        line("following a final link) and `open`+`close` of the same path, a TCP connection to a listener on");
        line("127.0.0.1, starting `/bin/true` and waiting for it (`ProcessBuilder`). Inputs: the");
        line("`insideExisting` path (9 components below `/`), the `nameAllowed` URL with its addresses, the");
        line("`chars20` and `chars80` commands.");
        line("");
        header("Check", "Native API", "Java baseline", "Seed port", "Guarded operation", "Operation", "Native / operation",
                "Native / Java baseline", "Native / seed port");
        costRow("Path `insideExisting`", "path", "pathStat", "`stat` of the path");
        costRow("Path `insideExisting`", "path", "pathOpen", "`open` + `close` of the path");
        costRow("URL `nameAllowed`", "url", "urlConnect", "TCP connect to 127.0.0.1");
        costRow("Command `chars20`", "command20", "forkExecTrue", "start `/bin/true`, wait");
        costRow("Command `chars80`", "command80", "forkExecTrue", "start `/bin/true`, wait");
        line("");
        Score prefixes = cost("pathStatEveryPrefix");
        line("For the path: `lstat` of every prefix of the same path (`/a`, `/a/b`, …, 9 calls), the system");
        line("calls of a resolution that knows the type and the identity (device, inode) of every component on");
        line("the way, as the guard's rule *a component on the way is a blocked or protected entry* needs: **"
                + ns(prefixes) + " ns**.");
        line("");
        if (baseline != null) {
            StringBuilder b = new StringBuilder("The Java baseline answers ");
            List<String> parts = new ArrayList<>();
            int disagreements = 0;
            for (String g : GUARDS) {
                JsonNode t = baseline.path(g.equals("files") ? "paths" : g);
                parts.add(t.path("answered").asInt() + " of the " + t.path("cases").asInt() + " " + (g.equals("files") ? "path" : g.equals("urls") ? "URL" : "command")
                        + " cases");
                disagreements += t.path("disagreements").size();
            }
            b.append(String.join(", ", parts)).append(" of the golden corpus (the rest it leaves unanswered rather than guess)");
            b.append(disagreements == 0 ? ", and agrees with the native guards on every one of them."
                    : "; it disagrees with the native guards on " + disagreements + " (see `BaselineAgreement`).");
            line(b.toString());
            line("");
        }
        line("### Targets of issue 17 (checks cheaper than the operation they guard)");
        line("");
        header("Check", "Native API", "Target", "Met", "2 × operation", "Met", "Java baseline", "Faster than it",
                "2 × seed port", "Met");
        targetRow("Path `insideExisting`", "path", "pathStat");
        targetRow("URL `nameAllowed`", "url", "urlConnect");
        targetRow("Command `chars20`", "command20", "forkExecTrue");
        targetRow("Command `chars80`", "command80", "forkExecTrue");
        line("");
        line("*2 × operation* is twice the system call of the guarded operation (for the path, `stat`).");
        line("");
        double path = v(cost("pathNative"));
        double everyPrefix = v(cost("pathStatEveryPrefix"));
        double stat = v(cost("pathStat"));
        line("What the numbers say:");
        line("");
        line("- Path: the check takes " + ns(path) + " ns, of which the `lstat` of every component on the way");
        line("  alone takes " + ns(everyPrefix) + " ns (" + ratio(everyPrefix / stat) + " one `stat` of the whole path). The guard");
        line("  needs the type and the identity of every component (links, and a blocked or protected directory");
        line("  reached under another name: renamed, bind-mounted); one `openat2(RESOLVE_NO_SYMLINKS)` of the");
        line("  whole path proves there is no link but gives the identity of the last component only, so it");
        line("  cannot replace the walk without dropping that rule. "
                + (everyPrefix > COST_TARGET.get("path")
                        ? "Here the walk's system calls alone exceed the " + ns(COST_TARGET.get("path")) + " ns target"
                                + (everyPrefix > OPERATION_FACTOR * stat ? " and twice the `stat`." : ".")
                        : "The walk's system calls alone stay within the " + ns(COST_TARGET.get("path")) + " ns target."));
        line("- URL and commands: no system call on the way for these inputs (the `chars20` command resolves");
        line("  its one directory operand), so their time is the engine's and the boundary's (see *Where the");
        line("  time goes*).");
        line("");
    }

    private void costRow(String title, String key, String operation, String what) {
        Score n = cost(key + "Native");
        Score j = cost(key + "Java");
        Score s = cost(key + "Seed");
        Score o = cost(operation);
        row(title, ns(n), ns(j), ns(s), what, ns(o), ratio(v(n) / v(o)), ratio(v(n) / v(j)), ratio(v(n) / v(s)));
    }

    private void targetRow(String title, String key, String operation) {
        Score n = cost(key + "Native");
        Score j = cost(key + "Java");
        Score s = cost(key + "Seed");
        Score o = cost(operation);
        double target = COST_TARGET.get(key);
        row(title, ns(n), "≤ " + ns(target), yes(v(n) <= target), ns(OPERATION_FACTOR * v(o)),
                yes(v(n) <= OPERATION_FACTOR * v(o)), ns(j), yes(v(n) < v(j)), ns(SEED_FACTOR * v(s)),
                yes(v(n) <= SEED_FACTOR * v(s)));
    }

    private static String yes(boolean met) {
        return met ? "yes" : "**no**";
    }
}
