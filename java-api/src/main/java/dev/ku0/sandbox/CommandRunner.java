package dev.ku0.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Starts the {@code sandbox-exec} helper for one command. The JVM never confines itself: the
 * helper applies Landlock, seccomp, namespaces, rlimits and the time limit, then execs the command.
 */
final class CommandRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private CommandRunner() {}

    static ExecResult run(SandboxManager m, List<String> argv, CommandDecision decision, ExecOptions o,
                          boolean inheritIo) {
        Path dir = null;
        Thread stop = null;
        Process started = null;
        try {
            dir = Files.createTempDirectory("ku0-exec-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path policy = dir.resolve("policy.json");
            Files.writeString(policy, m.policy().toJson());
            Path report = dir.resolve("report.json");
            Path helper = HelperRun.helper();

            Path cwd = o.workingDirectory() == null ? null : m.workspace().resolve(o.workingDirectory());
            Path env = null;
            if (!o.environment().isEmpty()) {
                env = dir.resolve("env");
                Files.write(env, environmentBlock(o.environment()));
            }
            List<String> cmd = HelperRun.command(helper, policy, m.workspace(), m.home(), report, o.allowDegraded(), cwd,
                    env, argv);
            HelperRun.requirePassedAsWritten(cmd);

            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (inheritIo) pb.inheritIO();
            Process p = pb.start();
            started = p;
            stop = HelperRun.stopWithThisJvm(p);
            Capture out = inheritIo ? null : Capture.start(p.getInputStream(), o.maxOutputBytes());
            Capture err = inheritIo ? null : Capture.start(p.getErrorStream(), o.maxOutputBytes());
            if (!inheritIo) {
                try (OutputStream in = p.getOutputStream()) {
                    if (o.stdin() != null) in.write(o.stdin());
                } catch (IOException closedEarly) {
                    // The command did not read all of its input; that is its business.
                }
            }
            Long limit = m.policy().limits().maxExecutionTime();
            boolean finished = HelperRun.await(p, limit);
            if (out != null) out.join();
            if (err != null) err.join();

            EnforcementReport rep = readReport(report);
            List<Violation> violations = new ArrayList<>();
            for (EnforcementReport.NetworkEvent ev : rep.networkEvents()) {
                if (!"allow".equals(ev.verdict())) {
                    Violation v = new Violation(ViolationType.NETWORK, ev.method() + " " + ev.target(), ev.reason(),
                            DecisionCode.fromName(ev.code()), Verdict.DENY, Instant.now());
                    violations.add(v);
                    m.record(v);
                }
            }
            JsonNode exit = rep.json().isEmpty() ? null : JSON.readTree(rep.json()).path("exit");
            Integer signal = exit == null || exit.path("signal").isNull() || exit.path("signal").isMissingNode()
                    ? null : exit.path("signal").asInt();
            boolean timedOut = !finished || (exit != null && exit.path("timed_out").asBoolean(false));
            return new ExecResult(p.exitValue(),
                    out == null ? "" : out.text(), err == null ? "" : err.text(),
                    (out != null && out.truncated.get()) || (err != null && err.truncated.get()),
                    timedOut, signal, rep, decision, violations);
        } catch (IOException e) {
            throw new SandboxException(SandboxException.Code.IO, "cannot run the sandbox-exec helper: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException(SandboxException.Code.IO, "interrupted while the command ran", e);
        } finally {
            // A helper still running (the waiting thread was interrupted) stays tied to the JVM.
            if (started == null || !started.isAlive()) HelperRun.release(stop);
            deleteQuietly(dir);
        }
    }

    /** {@code NAME=VALUE} entries, each ended by a NUL byte, as {@code sandbox-exec --env-file} reads them. */
    static byte[] environmentBlock(Map<String, String> environment) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String entry = e.getKey() + "=" + e.getValue();
            if (e.getKey().isEmpty() || e.getKey().indexOf('=') >= 0 || entry.indexOf('\0') >= 0) {
                throw new SandboxException(SandboxException.Code.INVALID_ARGUMENT,
                        "environment variable " + e.getKey() + ": a name must be non-empty without '=', and neither"
                                + " name nor value may contain a NUL character");
            }
            out.writeBytes(entry.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** {@link HelperRun#await(Process, Long)} with the graces given (tests shorten them). */
    static boolean awaitHelper(Process p, Long limit, long grace, long cleanup) throws InterruptedException {
        return HelperRun.await(p, limit, grace, cleanup);
    }

    /**
     * Largest report read, in bytes: twice the most the helper writes (4 MiB, its lists cut to fit). A
     * larger file is not read into memory, whatever wrote it.
     */
    static final int MAX_REPORT_BYTES = 8 << 20;

    static EnforcementReport readReport(Path report) throws IOException {
        return readReport(report, MAX_REPORT_BYTES);
    }

    /** The report at {@code report}, read up to {@code max} bytes: a larger one is an error, never read whole. */
    static EnforcementReport readReport(Path report, int max) throws IOException {
        if (!Files.isRegularFile(report)) return EnforcementReport.missing("the helper wrote no report");
        byte[] bytes;
        try (InputStream in = Files.newInputStream(report)) {
            bytes = in.readNBytes(max + 1);
        }
        if (bytes.length > max) {
            return EnforcementReport.missing("the helper's report is larger than the " + max
                    + " bytes read of a report; it was not read, and nothing of the run is known to have held");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) return EnforcementReport.missing("the helper wrote an empty report");
        JsonNode n = JSON.readTree(text);
        Map<String, EnforcementReport.Mechanism> mechanisms = new LinkedHashMap<>();
        n.path("mechanisms").fields().forEachRemaining(e -> mechanisms.put(e.getKey(),
                new EnforcementReport.Mechanism(e.getValue().path("level").asText(), e.getValue().path("detail").asText())));
        List<EnforcementReport.NetworkEvent> events = new ArrayList<>();
        for (JsonNode ev : n.path("network_events")) {
            events.add(new EnforcementReport.NetworkEvent(ev.path("method").asText(), ev.path("target").asText(),
                    ev.path("verdict").asText(), ev.path("code").asText(), ev.path("reason").asText()));
        }
        List<EnforcementReport.Quarantined> quarantined = new ArrayList<>();
        for (JsonNode q : n.path("git_quarantined")) {
            quarantined.add(new EnforcementReport.Quarantined(q.path("path").asText(),
                    q.path("moved_to").isTextual() ? q.path("moved_to").asText() : null, q.path("why").asText()));
        }
        List<EnforcementReport.RefChange> refs = new ArrayList<>();
        for (JsonNode c : n.path("git_refs_changed")) {
            refs.add(new EnforcementReport.RefChange(c.path("git_dir").asText(), c.path("name").asText(),
                    c.path("old").isTextual() ? c.path("old").asText() : null,
                    c.path("new").isTextual() ? c.path("new").asText() : null));
        }
        List<EnforcementReport.IgnoredChange> ignored = new ArrayList<>();
        for (JsonNode c : n.path("ignored_changes")) {
            ignored.add(new EnforcementReport.IgnoredChange(c.path("path").asText(), c.path("files").asLong(1),
                    c.path("ignored_by").asText(), c.path("ignore_file_changed").asBoolean(false),
                    // A report without the field lists ignored files only.
                    c.path("reason").asText(EnforcementReport.IgnoredChange.IGNORED)));
        }
        List<EnforcementReport.OutsideChange> outside = new ArrayList<>();
        for (JsonNode c : n.path("outside_changes")) {
            outside.add(new EnforcementReport.OutsideChange(c.path("path").asText(), c.path("files").asLong(1)));
        }
        List<EnforcementReport.PermissionRepair> repaired = new ArrayList<>();
        for (JsonNode c : n.path("permissions_repaired")) {
            List<String> acls = new ArrayList<>();
            c.path("acls_removed").forEach(x -> acls.add(x.asText()));
            repaired.add(new EnforcementReport.PermissionRepair(c.path("path").asText(), c.path("mode_before").asText(),
                    c.path("mode_after").asText(), acls));
        }
        List<String> notes = new ArrayList<>();
        n.path("notes").forEach(x -> notes.add(x.asText()));
        return new EnforcementReport(n.path("status").asText(), n.path("enforcement").asText(), Map.copyOf(mechanisms),
                n.path("kernel").asText(), n.path("network_mode").asText(), List.copyOf(events),
                // A report without the count lists every request.
                Math.max(n.path("network_requests").asLong(events.size()), events.size()),
                List.copyOf(quarantined), List.copyOf(refs), List.copyOf(ignored),
                Math.max(n.path("ignored_changes_unlisted").asLong(0), 0), List.copyOf(outside),
                Math.max(n.path("outside_changes_unlisted").asLong(0), 0), List.copyOf(repaired),
                Math.max(n.path("permissions_repaired_unlisted").asLong(0), 0), List.copyOf(notes),
                n.path("error").isNull() ? null : n.path("error").asText(null), text);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // A leftover private temp directory is harmless.
        }
    }

    /** Reads a stream to the end, keeping at most {@code cap} bytes. */
    private static final class Capture {
        final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        final AtomicBoolean truncated = new AtomicBoolean();
        Thread thread;

        static Thread daemon(Runnable r) {
            Thread t = new Thread(r, "sandbox-exec output");
            t.setDaemon(true);
            t.start();
            return t;
        }

        static Capture start(InputStream in, int cap) {
            Capture c = new Capture();
            // A daemon platform thread (virtual threads need JDK 21; this runs on 17).
            c.thread = daemon(() -> {
                byte[] buf = new byte[8192];
                try (in) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        synchronized (c) {
                            int room = cap - c.kept.size();
                            if (room > 0) c.kept.write(buf, 0, Math.min(room, n));
                            if (n > room) c.truncated.set(true);
                        }
                    }
                } catch (IOException ignored) {
                    // The process is gone; keep what arrived.
                }
            });
            return c;
        }

        void join() throws InterruptedException {
            thread.join();
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }

    /** Quotes words for the command validator, which reads shell text. */
    static String shellQuote(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (!sb.isEmpty()) sb.append(' ');
            if (!a.isEmpty() && a.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,+@%".indexOf(c) >= 0)) {
                sb.append(a);
            } else {
                sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
            }
        }
        return sb.toString();
    }
}
