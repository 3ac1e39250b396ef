package dev.ku0.sandbox.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real launcher, {@code scripts/sandbox}, as a user would. */
final class Launcher {
    record Result(int exit, String stdout, String stderr) {
        List<String> lines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }
    }

    static Path repoRoot() {
        String env = System.getenv("SANDBOX_REPO_ROOT");
        Path p = env != null ? Path.of(env) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("scripts/sandbox"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find scripts/sandbox");
        return p;
    }

    static Result run(String stdin, String... args) throws IOException, InterruptedException {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    /** Runs the launcher with exactly these bytes on stdin (no shell sees them). */
    static Result run(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(repoRoot().resolve("scripts/sandbox").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        Path out = Files.createTempFile("sandbox-out", ".txt");
        Path err = Files.createTempFile("sandbox-err", ".txt");
        try {
            // Drain stdout and stderr to files so that a large output never blocks the child.
            Thread o = started(() -> copy(p.getInputStream(), out));
            Thread e = started(() -> copy(p.getErrorStream(), err));
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            }
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("launcher did not finish");
            }
            o.join();
            e.join();
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void copy(java.io.InputStream in, Path to) {
        try (in) {
            Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ignored) {
            // The test reads what arrived.
        }
    }

    private Launcher() {}

    private static Thread started(Runnable r) {
        Thread t = new Thread(r, "launcher-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
