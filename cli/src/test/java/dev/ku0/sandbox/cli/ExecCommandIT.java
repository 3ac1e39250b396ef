package dev.ku0.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@code sandbox exec} through the real launcher. */
@EnabledOnOs(OS.LINUX)
class ExecCommandIT {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {}

    private Run exec(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Launcher.repoRoot().resolve("scripts/sandbox").toString());
        cmd.add("exec");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
                .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out.txt")), Files.readString(tmp.resolve("err.txt")));
    }

    @Test
    void runsTheCommandAndReturnsItsExitCode() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Run r = exec(Map.of(), "--workspace", ws.toString(), "-c", "echo made > f.txt; exit 3");
        assertEquals(3, r.exit(), r.err());
        assertEquals("made\n", Files.readString(ws.resolve("f.txt")));
        Run argv = exec(Map.of(), "--workspace", ws.toString(), "--", "cat", "f.txt");
        assertEquals(0, argv.exit(), argv.err());
        assertEquals("made\n", argv.out());
    }

    @Test
    void aRefusedCommandExitsWith126AndDoesNotRun() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Run r = exec(Map.of(), "--workspace", ws.toString(), "--preset", "strict", "-c", "touch x.txt");
        assertEquals(126, r.exit());
        assertTrue(r.err().contains("COMMAND_NOT_ALLOWED"), r.err());
        assertFalse(Files.exists(ws.resolve("x.txt")));
        assertFalse(r.err().contains("INFO:"), "the library's decision log is not repeated on stderr: " + r.err());
    }

    /** A whitelist policy of {@code cat}, {@code sleep} and {@code true}, with the time limit given. */
    private Path whitelistPolicy(long limitMillis) throws Exception {
        return Files.writeString(tmp.resolve("whitelist.json"), """
                {"version":"1.0","name":"whitelist",
                 "filesystem":{"mode":"workspace","allowed_paths":["./"],"blocked_paths":[],
                               "allow_symlinks":true,"allow_hidden_files":true},
                 "network":{"enabled":false,"allow_localhost":false,"allow_https":false,"allow_http":false},
                 "commands":{"mode":"whitelist","allowed_commands":["cat","sleep","true"],"allow_sudo":false},
                 "limits":{"max_file_size":1048576,"max_execution_time":%d}}
                """.formatted(limitMillis));
    }

    @Test
    void aPolicyFileDecidesWhatRunsAndItsTimeLimitHolds() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Files.writeString(ws.resolve("f.txt"), "kept\n");
        Path policy = whitelistPolicy(1500);
        // Allowed by the file's whitelist: runs, with its exit status and output.
        Run cat = exec(Map.of(), "--policy", policy.toString(), "--workspace", ws.toString(), "--", "cat", "f.txt");
        assertEquals(0, cat.exit(), cat.err());
        assertEquals("kept\n", cat.out());
        // Not on the file's whitelist (the default preset would allow it): refused, not run.
        Run touch = exec(Map.of(), "--policy", policy.toString(), "--workspace", ws.toString(), "--", "touch", "x.txt");
        assertEquals(126, touch.exit(), touch.err());
        assertTrue(touch.err().contains("COMMAND_NOT_ALLOWED"), touch.err());
        assertFalse(Files.exists(ws.resolve("x.txt")));
        // The file's time limit, 1.5 s, stops a command that would take 60 s.
        long start = System.nanoTime();
        Run sleep = exec(Map.of(), "--policy", policy.toString(), "--workspace", ws.toString(), "--", "sleep", "60");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals(124, sleep.exit(), sleep.err());
        assertTrue(seconds < 50, "stopped by the policy's limit, after " + seconds + " s");
    }

    @Test
    void aPolicyFileTheEngineRefusesIsNamedAndNothingRuns() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"version\":\"1.0\",\"limits\":{\"max_execution_time\":5},"
                + "\"limits\":{\"max_execution_time\":600000}}");
        Run r = exec(Map.of(), "--policy", bad.toString(), "--workspace", ws.toString(), "-c", "touch x.txt");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("bad.json"), r.err());
        assertFalse(Files.exists(ws.resolve("x.txt")));
        Path invalid = Files.write(tmp.resolve("latin1.json"), new byte[] {'{', '"', (byte) 0xe9, '"', ':', '1', '}'});
        Run latin = exec(Map.of(), "--policy", invalid.toString(), "--workspace", ws.toString(), "-c", "touch x.txt");
        assertEquals(2, latin.exit(), latin.err());
        assertTrue(latin.err().contains("latin1.json") && latin.err().contains("UTF-8"), latin.err());
        assertFalse(Files.exists(ws.resolve("x.txt")));
    }

    @Test
    void aFakeSandboxExecOnPathIsNeverRun() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Path fakeDir = Files.createDirectories(tmp.resolve("fake-bin"));
        Path marker = tmp.resolve("fake-was-run");
        Path fake = fakeDir.resolve("sandbox-exec");
        Files.writeString(fake, "#!/bin/sh\ntouch " + marker + "\nexit 0\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = fakeDir + ":" + System.getenv("PATH");
        Run r = exec(Map.of("PATH", path), "--workspace", ws.toString(), "--show-report", "--", "true");
        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.exists(marker), "the sandbox-exec found on PATH was run");
        assertTrue(r.err().contains("sandbox: ok, enforcement full"), "the real helper ran and reported: " + r.err());
    }

    @Test
    void theSummaryListsRefusedRequestsAndReportWritesTheJson() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Path policy = tmp.resolve("net.json");
        Files.writeString(policy, """
                {"version":"1.0","name":"net",
                 "filesystem":{"mode":"workspace","allowed_paths":["./"],"blocked_paths":[],
                               "allow_symlinks":true,"allow_hidden_files":true},
                 "network":{"enabled":true,"allowed_domains":["allowed.invalid"],"allow_localhost":false,
                            "allow_https":true,"allow_http":true},
                 "commands":{"mode":"blacklist","blocked_commands":["sudo"],"allow_sudo":false},
                 "limits":{"max_file_size":1048576,"max_execution_time":60000}}
                """);
        Path json = tmp.resolve("report.json");
        // A URL the command shows is refused by the check before anything runs.
        Run checked = exec(Map.of(), "--policy", policy.toString(), "--workspace", ws.toString(),
                "-c", "curl -s -m 10 http://blocked.invalid/x; true");
        assertEquals(126, checked.exit(), checked.err());
        assertTrue(checked.err().contains("DOMAIN_NOT_ALLOWED"), checked.err());
        assertFalse(Files.exists(json));
        // One it computes asks; approved, the proxy refuses the request and the summary says so.
        Run r = exec(Map.of(), "--policy", policy.toString(), "--workspace", ws.toString(), "--show-report",
                "--approve-ask", "--report", json.toString(), "-c",
                "u=http://blocked.invalid/x; curl -s -m 10 \"$u\"; true");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("sandbox: ok, enforcement full, network proxy"), r.err());
        assertTrue(r.err().contains("sandbox: refused 1 network request:"), r.err());
        assertTrue(r.err().contains("http://blocked.invalid"), r.err());
        assertTrue(r.err().contains("DOMAIN_NOT_ALLOWED"), r.err());
        String report = Files.readString(json);
        assertTrue(report.startsWith("{") && report.contains("\"network_events\""), report);
        assertTrue(report.contains("DOMAIN_NOT_ALLOWED"), report);
    }

    /**
     * A name the command made holds terminal control sequences (erase line, CSI as a C1 byte, a
     * bidirectional override); the sweep moves the {@code .git} file planted in it aside and the summary
     * names it: shown as escapes, never written to the terminal as they are.
     */
    @Test
    void theSummaryShowsControlCharactersInNamesTheCommandChoseAsEscapes() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        // A script in the workspace: the validator refuses a directory name computed at run time.
        Files.writeString(ws.resolve("inner.sh"), "d=$(printf 'x\\033[2K\\302\\233\\342\\200\\256y')\n"
                + "mkdir \"$d\" && printf 'gitdir: /nowhere\\n' > \"$d/.git\"\n");
        Run r = exec(Map.of(), "--workspace", ws.toString(), "--show-report", "--", "/bin/bash", "inner.sh");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("sandbox: moved aside 1 git entry"), r.err());
        assertTrue(r.err().contains("/x\\x1b[2K\\u{009b}\\u{202e}y/.git -> "), r.err());
        assertTrue(r.err().codePoints().noneMatch(c -> c != '\n' && dev.ku0.sandbox.TerminalText.isControl(c)),
                r.err());
    }

    /**
     * The launcher starts the helper directly for the plain forms of exec; the CLI's JVM path
     * ({@code SANDBOX_EXEC_VIA_JVM=1}) must answer every one of them the same: exit status, the
     * refusal's words, what the command changed.
     */
    @Test
    void theDirectPathAndTheJvmPathAnswerAlike() throws Exception {
        Path policy = whitelistPolicy(600000);
        Path bad = Files.writeString(tmp.resolve("dup.json"), "{\"version\":\"1.0\",\"limits\":{},\"limits\":{}}");
        Path latin = Files.write(tmp.resolve("latin1.json"), new byte[] {'{', '"', (byte) 0xe9, '"', ':', '1', '}'});
        List<List<String>> cases = List.of(
                List.of("-c", "echo made > f.txt; exit 3"),
                List.of("--", "sh", "-c", "echo argv > g.txt"),
                List.of("--preset", "strict", "-c", "touch x.txt"),
                List.of("--preset=strict", "--", "touch", "x.txt"),
                List.of("-c", "cat ~/.ssh/id_rsa"),
                List.of("--", "rm", "-rf", "/"),
                List.of("--", "git", "push", "--force"),
                List.of("--policy", policy.toString(), "--", "touch", "y.txt"),
                List.of("--policy", policy.toString(), "--", "cat", "it's.txt"),
                List.of("--policy", bad.toString(), "--", "true"),
                List.of("--policy", latin.toString(), "--", "true"),
                List.of("--policy", tmp.resolve("missing.json").toString(), "--", "true"),
                List.of("--preset", "permissive", "--allow-degraded", "--", "sh", "-c", "exit 7"),
                // An empty value is no file to the CLI, not "no policy given".
                List.of("--policy=", "--", "rm", "it's.txt"),
                List.of("--preset", "", "--", "rm", "it's.txt"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        for (List<String> c : cases) {
            Run[] runs = new Run[2];
            List<String> effects = new ArrayList<>();
            for (int jvm = 0; jvm < 2; jvm++) {
                Path ws = tmp.resolve("ws" + jvm);
                Files.createDirectories(ws);
                Files.writeString(ws.resolve("it's.txt"), "quoted\n");
                List<String> args = new ArrayList<>(List.of("--workspace", ws.toString(), "--home", home.toString()));
                args.addAll(c);
                runs[jvm] = exec(Map.of("SANDBOX_EXEC_VIA_JVM", jvm == 1 ? "1" : "0"), args.toArray(String[]::new));
                try (var files = Files.list(ws)) {
                    effects.add(files.map(f -> f.getFileName().toString()).sorted().toList().toString());
                }
                try (var files = Files.walk(ws)) {
                    for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
                }
            }
            String what = c + ": direct " + runs[0] + ", JVM " + runs[1];
            assertEquals(runs[1].exit(), runs[0].exit(), what);
            assertEquals(runs[1].out(), runs[0].out(), what);
            assertEquals(effects.get(1), effects.get(0), what);
            // A refusal's words (the first line) are the CLI's, up to the workspace's name; a policy
            // that cannot be read is named by both (the engine and the Java model word its faults apart).
            String direct = runs[0].err().lines().findFirst().orElse("").replace("ws0", "ws");
            String viaJvm = runs[1].err().lines().findFirst().orElse("").replace("ws1", "ws");
            if (runs[0].exit() == 126) assertEquals(viaJvm, direct, what);
            if (runs[0].exit() == 2) {
                String file = c.get(0).startsWith("--policy=") ? c.get(0).substring(9) : c.get(1);
                assertTrue(direct.startsWith("sandbox exec: "), what);
                if (file.isEmpty()) {
                    assertEquals(viaJvm, direct, what);
                } else {
                    assertTrue(direct.contains(file) && viaJvm.contains(file), what);
                }
            }
        }
    }

    /** An empty --home means the current directory to the CLI (here tmp); both paths judge ~ so. */
    @Test
    void anEmptyHomeIsTheCliHomeOnBothPaths() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Path key = Files.createDirectories(tmp.resolve(".ssh")).resolve("config");
        Files.writeString(key, "Host x\n");
        for (String jvm : List.of("0", "1")) {
            Run r = exec(Map.of("SANDBOX_EXEC_VIA_JVM", jvm), "--workspace", ws.toString(), "--home=", "--", "cat",
                    key.toString());
            assertEquals(126, r.exit(), "via JVM " + jvm + ": " + r.err());
            assertTrue(r.err().contains("~/.ssh"), r.err());
            assertEquals("", r.out());
        }
    }

    /**
     * Under the C locale the JVM reads a non-ASCII byte of an argument as U+FFFD and would pass it
     * on as {@code ?}, a glob character: what the validator judged would not be what runs. The CLI
     * refuses such a command line; started directly, the helper judges and runs the bytes as given.
     */
    @Test
    void wordsTheJvmCannotPassOnAsWrittenAreRefused() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Map<String, String> c = Map.of("LC_ALL", "C", "LANG", "C", "SANDBOX_EXEC_VIA_JVM", "1");
        Run r = exec(c, "--workspace", ws.toString(), "--", "touch", "caf\u00e9.txt");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("UTF-8 locale"), r.err());
        try (var files = Files.list(ws)) {
            assertEquals(0, files.count(), "nothing ran");
        }
        Run direct = exec(Map.of("LC_ALL", "C", "LANG", "C"), "--workspace", ws.toString(), "--", "touch",
                "caf\u00e9.txt");
        assertEquals(0, direct.exit(), direct.err());
        assertTrue(Files.exists(ws.resolve("caf\u00e9.txt")));
    }

    /** A caller's time-out stops the launcher's JVM: the command must stop with it, not run on unseen. */
    @Test
    void stoppingTheJvmStopsTheCommand() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        List<String> cmd = List.of(Launcher.repoRoot().resolve("scripts/sandbox").toString(), "exec", "--workspace",
                ws.toString(), "-c", "touch started.txt; sleep 6; touch late.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("o.txt").toFile());
        pb.environment().put("SANDBOX_EXEC_VIA_JVM", "1");
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(ws.resolve("started.txt")) && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(Files.exists(ws.resolve("started.txt")), Files.readString(tmp.resolve("o.txt")));
        p.destroy();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        Thread.sleep(8000);
        assertFalse(Files.exists(ws.resolve("late.txt")), "the command ran on after the JVM was stopped");
    }
}
