package dev.ku0.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every preset runs the commands it allows under enforcement: a preset whose own whitelisted
 * command fails inside the sandbox (a blocked file it needs) is a broken preset.
 */
@EnabledOnOs(OS.LINUX)
class PresetsExecTest {
    /** Commands any preset's users run, beyond the strict whitelist. */
    private static final List<String> EVERYDAY = List.of("ls -la", "cat package.json", "echo done > out.txt",
            "git log --oneline");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"strict", "workspace", "permissive"})
    void eachPresetRunsItsOwnAllowedCommands(String name) throws Exception {
        Policy preset = Policies.byName(name);
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(ws.resolve("package.json"), "{\"name\":\"p\",\"version\":\"1.0.0\",\"scripts\":{\"test\":\"exit 0\"}}\n");
        host(ws, "git", "init", "-q");
        host(ws, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "init");

        List<String> commands = new ArrayList<>();
        if (preset.commands().mode() == CommandMode.WHITELIST) {
            commands.addAll(preset.commands().allowedCommands());
        } else {
            commands.addAll(List.of("git status", "git diff", "npm test"));
            commands.addAll(EVERYDAY);
        }
        int ran = 0;
        try (SandboxManager m = SandboxManager.builder(preset).workspace(ws).home(home).build()) {
            for (String c : commands) {
                String tool = c.split(" ")[0];
                if (!onPath(tool)) continue; // e.g. pnpm: not installed here; the others still run
                assertTrue(m.evaluateCommand(c).allowed(), name + " allows " + c);
                ExecResult r = m.exec(c);
                assertEquals(0, r.exitCode(), name + ": `" + c + "` fails under its own preset:\n" + r.stderr()
                        + "\nreport: " + r.enforcement().json());
                assertFalse(r.stderr().contains("Permission denied"), name + ": " + c + ": " + r.stderr());
                ran++;
            }
        }
        assertTrue(ran >= 2, name + ": ran " + ran + " commands");
    }

    /** A command failing for a sandbox reason shows it: non-zero exit and the denial on stderr. */
    @ParameterizedTest
    @ValueSource(strings = {"strict"})
    void aCommandStoppedByTheSandboxFailsVisibly(String name) throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), "SECRET");
        Files.writeString(ws.resolve("show.sh"), "cat " + home.resolve(".aws/credentials") + "\n");
        Policy p = Policies.byName(name).withCommands(Policies.PERMISSIVE.commands());
        try (SandboxManager m = SandboxManager.builder(p).workspace(ws).home(home).build()) {
            ExecResult r = m.exec(List.of("/bin/bash", "show.sh"), ExecOptions.DEFAULTS);
            assertTrue(r.exitCode() != 0, r.stdout());
            assertFalse(r.stdout().contains("SECRET"));
            assertTrue(r.stderr().contains("Permission denied"), r.stderr());
            // The report's status is about the sandbox (it was set up and the command ended).
            assertEquals("ok", r.enforcement().status());
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** Prepares the fixture on the host (no attack input: a git repository in a temporary directory). */
    private static void host(Path dir, String... argv) throws Exception {
        Assumptions.assumeTrue(onPath(argv[0]), argv[0] + " is not installed");
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", argv));
    }
}
