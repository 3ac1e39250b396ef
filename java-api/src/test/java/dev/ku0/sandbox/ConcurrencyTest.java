package dev.ku0.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One manager shared by 8 threads decides exactly as it does on one thread, without leaking. */
class ConcurrencyTest {
    /** An existing directory for managers whose checks name no file in their workspace. */
    private static final String ANY_DIR = System.getProperty("java.io.tmpdir");

    /** The decision log, held so its level stays set: refusals are logged at INFO, millions of them here. */
    private static final Logger DECISION_LOG = Logger.getLogger(SandboxManager.DECISION_LOGGER);
    private static Level savedLevel;

    @BeforeAll
    static void quietDecisionLog() {
        savedLevel = DECISION_LOG.getLevel();
        DECISION_LOG.setLevel(Level.WARNING);
    }

    @AfterAll
    static void restoreDecisionLog() {
        DECISION_LOG.setLevel(savedLevel);
    }

    private static final int THREADS = 8;
    private static final int CHECKS_PER_THREAD = 100_000;

    private static List<Function<SandboxManager, Decision>> mixedChecks() {
        List<Function<SandboxManager, Decision>> checks = new ArrayList<>();
        for (String p : List.of("/ws/src/main.rs", "~/.ssh/id_rsa", "../etc/passwd", "/ws/a/b/new.txt", "/etc/shadow",
                "src/lib.rs", "/ws/.env", "/tmp/x")) {
            checks.add(m -> m.evaluateFileAccess(p, FileOperation.READ));
            checks.add(m -> m.evaluateFileAccess(p, FileOperation.WRITE));
        }
        for (String u : List.of("https://github.com/x", "https://api.github.com/", "http://github.com/",
                "https://evil.example/", "https://169.254.169.254/latest", "https://registry.npmjs.org/react")) {
            checks.add(m -> m.evaluateNetworkRequest(u, "GET"));
        }
        for (String c : List.of("git status", "git status; rm -rf ~", "ls -la | grep x", "sudo rm -rf /",
                "npm test", "echo \"rm -rf /\"", "dd if=/dev/zero of=/dev/sda")) {
            checks.add(m -> m.evaluateCommand(c).decision());
        }
        return checks;
    }

    /** Native memory: resident set minus what the JVM has committed for its heap and non-heap. */
    private static long nativeResidentBytes() throws IOException {
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        var mem = ManagementFactory.getMemoryMXBean();
        return rss - mem.getHeapMemoryUsage().getCommitted() - mem.getNonHeapMemoryUsage().getCommitted();
    }

    private static void run(SandboxManager m, List<Function<SandboxManager, Decision>> checks, List<Decision> expected,
                            int perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    int mismatches = 0;
                    for (int i = 0; i < perThread; i++) {
                        int k = (i + offset * 7) % checks.size();
                        if (!checks.get(k).apply(m).equals(expected.get(k))) mismatches++;
                    }
                    return mismatches;
                }));
            }
            for (Future<Integer> f : results) assertEquals(0, f.get(), "decisions that differ from single-threaded");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void eightThreadsDecideLikeOneAndMemoryStaysFlat() throws Exception {
        List<Function<SandboxManager, Decision>> checks = mixedChecks();
        try (SandboxManager m = SandboxManager.builder(Policies.WORKSPACE).workspace(Path.of(ANY_DIR))
                .home(Path.of("/home/user")).violationCapacity(1000).build()) {
            List<Decision> expected = new ArrayList<>();
            for (var c : checks) expected.add(c.apply(m));
            assertTrue(expected.stream().anyMatch(Decision::allowed), "the mix has allowed cases");
            assertTrue(expected.stream().anyMatch(d -> !d.allowed()), "the mix has refused cases");

            // Warm-up: JIT, thread-local caches and malloc arenas reach their working size.
            run(m, checks, expected, CHECKS_PER_THREAD / 5);
            run(m, checks, expected, CHECKS_PER_THREAD / 5);
            // Then 100 000 checks per thread in five rounds, measuring native memory after each.
            // A leak grows with every round; allocator noise does not.
            List<Long> samples = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                run(m, checks, expected, CHECKS_PER_THREAD / 5);
                System.gc();
                samples.add(nativeResidentBytes());
            }
            long first = samples.get(0);
            long last = samples.get(samples.size() - 1);
            long peak = samples.stream().mapToLong(Long::longValue).max().orElseThrow();
            String kib = samples.stream().map(b -> b / 1024 + " KiB").toList().toString();
            System.out.println("native resident memory after each round: " + kib);
            // 640 000 checks after the first sample: a leak of 64 bytes per check adds ~40 MB.
            assertTrue(last - first < 24L * 1024 * 1024, "native memory grew over the rounds: " + kib);
            assertTrue(peak - first < 32L * 1024 * 1024, "native memory peaked above the first round: " + kib);
            assertEquals(1000, m.getViolations().size());
            assertTrue(m.droppedViolations() > 0);
        }
    }
}
