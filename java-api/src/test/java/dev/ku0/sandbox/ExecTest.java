package dev.ku0.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.tools.ShellTool;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Enforced execution through the Java API, judged from outside: files, connections, processes. */
@EnabledOnOs(OS.LINUX)
class ExecTest {
    @TempDir
    Path tmp;
    Path ws;
    Path home;
    Path outside;

    @BeforeEach
    void fixture() throws Exception {
        ws = Files.createDirectories(tmp.resolve("ws"));
        home = Files.createDirectories(tmp.resolve("home"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_rsa"), "PRIVATE-KEY-MATERIAL");
    }

    private SandboxManager manager(Policy p) {
        return SandboxManager.builder(p).workspace(ws).home(home).build();
    }

    /**
     * Runs {@code body} as a script file in the workspace, the way a build script or a test runs:
     * the validator sees only {@code bash script.sh}, so only the OS enforcement stands between
     * the script and the policy.
     */
    private ExecResult runScript(SandboxManager m, String body) throws Exception {
        Files.writeString(ws.resolve("script.sh"), body + "\n");
        return m.exec(List.of("/bin/bash", "script.sh"), ExecOptions.DEFAULTS);
    }

    @Test
    void aCommandRunsInTheWorkspaceUnderFullEnforcement() throws Exception {
        try (SandboxManager m = manager(Policies.WORKSPACE)) {
            ExecResult r = new ShellTool(m).run("echo hello > made.txt && cat made.txt && pwd");
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals("hello\n" + ws.toRealPath() + "\n", r.stdout());
            assertTrue(r.enforcement().fullyEnforced(), r.enforcement().json());
            assertTrue(Files.exists(ws.resolve("made.txt")));
        }
    }

    @Test
    void writingOutsideTheWorkspaceFails() throws Exception {
        Path target = outside.resolve("escape.txt");
        try (SandboxManager m = manager(Policies.WORKSPACE)) {
            ExecResult r = runScript(m, "echo pwned > " + target);
            assertTrue(r.exitCode() != 0, r.stderr());
            assertEquals(0, r.decision().findings().stream().filter(f -> f.verdict() != Verdict.ALLOW).count(),
                    "the validator could not see the write; enforcement stopped it");
        }
        assertFalse(Files.exists(target), "nothing was written outside the workspace");
    }

    @Test
    void readingABlockedSshKeyFails() throws Exception {
        try (SandboxManager m = manager(Policies.WORKSPACE)) {
            ExecResult r = runScript(m, "cat " + home.resolve(".ssh/id_rsa"));
            assertTrue(r.exitCode() != 0, r.stdout());
            assertFalse(r.stdout().contains("PRIVATE-KEY-MATERIAL"));
        }
    }

    @Test
    void aRefusedCommandIsNeverRun() {
        try (SandboxManager m = manager(Policies.WORKSPACE)) {
            SandboxViolationException e = assertThrows(SandboxViolationException.class,
                    () -> m.exec("touch ran.txt && sudo true"));
            assertEquals(Verdict.DENY, e.decision().verdict());
            assertFalse(Files.exists(ws.resolve("ran.txt")), "no part of a refused command runs");
            assertEquals(1, m.getViolations().size());
        }
    }

    @Test
    void secretsOfTheParentEnvironmentAreAbsent() {
        // The test JVM runs with KU0_TEST_API_TOKEN and AWS_SECRET_ACCESS_KEY set (see the pom).
        assertEquals("token-that-must-not-leak", System.getenv("KU0_TEST_API_TOKEN"));
        try (SandboxManager m = manager(Policies.WORKSPACE)) {
            ExecResult r = m.exec(List.of("/usr/bin/env"), ExecOptions.DEFAULTS);
            assertEquals(0, r.exitCode(), r.stderr());
            assertTrue(r.stdout().contains("PATH="), r.stdout());
            assertFalse(r.stdout().contains("must-not-leak"), r.stdout());
        }
    }

    @Test
    void theTimeLimitKillsGrandchildrenToo() throws Exception {
        Policy p = Policies.WORKSPACE.withLimits(new ResourceLimits(null, 1500L, null));
        Path tick = ws.resolve("tick");
        try (SandboxManager m = manager(p)) {
            ExecResult r = m.exec("( while true; do echo . >> tick; sleep 0.1; done ) & sleep 60");
            assertTrue(r.timedOut(), r.enforcement().json());
            assertEquals(124, r.exitCode());
        }
        long size = Files.size(tick);
        Thread.sleep(1000);
        assertEquals(size, Files.size(tick), "the background grandchild was killed with the group");
    }

    @Test
    void noNetworkWhenThePolicyDisablesIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             SandboxManager m = manager(Policies.STRICT.withCommands(Policies.PERMISSIVE.commands()))) {
            server.setSoTimeout(500);
            ExecResult r = runScript(m, "echo hello > /dev/tcp/127.0.0.1/" + server.getLocalPort());
            assertTrue(r.exitCode() != 0, r.stderr());
            assertThrows(SocketTimeoutException.class, () -> {
                try (var s = server.accept(); InputStream in = s.getInputStream()) {
                    in.readAllBytes();
                }
            }, "no connection arrived");
        }
    }

    @Test
    void outputIsCappedAndMarkedTruncated() {
        try (SandboxManager m = manager(Policies.WORKSPACE)) {
            ExecResult r = m.exec("head -c 100000 /dev/zero | tr '\\0' a",
                    ExecOptions.builder().maxOutputBytes(1000).build());
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals(1000, r.stdout().length());
            assertTrue(r.truncated());
        }
    }

    @Test
    void stdinReachesTheCommand() {
        try (SandboxManager m = manager(Policies.WORKSPACE)) {
            ExecResult r = new ShellTool(m).run("tr a-z A-Z", "shout");
            assertEquals("SHOUT", r.stdout());
        }
    }

    @Test
    void theFileSizeLimitStopsAWriter() {
        Policy p = Policies.WORKSPACE.withLimits(new ResourceLimits(4096L, 30_000L, null));
        try (SandboxManager m = manager(p)) {
            ExecResult r = m.exec("head -c 100000 /dev/zero > big.bin");
            assertTrue(r.exitCode() != 0, "the writer failed at the limit");
        }
        assertTrue(ws.resolve("big.bin").toFile().length() <= 4096);
    }

    @Test
    void explicitVariablesReachTheCommandButNotTheHelpersCommandLine() throws Exception {
        String value = "cmdline-secret-" + System.nanoTime();
        Files.writeString(ws.resolve("show.sh"), "sleep 2; printf '%s' \"$APP_SECRETKEY\"\n");
        try (SandboxManager m = manager(Policies.WORKSPACE)) {
            CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(() -> m.exec(
                    List.of("/bin/bash", "show.sh"), ExecOptions.builder().env("APP_SECRETKEY", value).build()));
            // Every local user can read /proc/<pid>/cmdline: look at the helper's while it runs.
            List<String> seen = new ArrayList<>();
            long end = System.nanoTime() + 10_000_000_000L;
            while (seen.isEmpty() && !run.isDone() && System.nanoTime() < end) {
                ProcessHandle.current().descendants().forEach(ph -> {
                    try {
                        String c = Files.readString(Path.of("/proc/" + ph.pid() + "/cmdline"));
                        // The helper wipes its arguments after reading them: find it by its name.
                        if (c.contains("sandbox-exec")) seen.add(c);
                    } catch (IOException gone) {
                        // The process ended meanwhile.
                    }
                });
                Thread.sleep(20);
            }
            ExecResult r = run.get();
            assertEquals(value, r.stdout(), r.stderr());
            assertFalse(seen.isEmpty(), "the helper was not seen running");
            for (String c : seen) {
                String shown = c.replace('\0', ' ');
                assertFalse(c.contains(value), shown);
                // Caught before the wipe, the arguments name the variables' file (--env-file), never
                // a value (--env NAME=VALUE).
                for (String arg : c.split("\0")) {
                    assertFalse(arg.equals("--env") || arg.startsWith("--env="), shown);
                }
            }
        }
    }
}
