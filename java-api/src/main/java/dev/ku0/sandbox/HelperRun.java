package dev.ku0.sandbox;

import dev.ku0.sandbox.bindings.NativeLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the {@code sandbox-exec} helper is started and waited for, in one place for
 * {@link SandboxManager#exec(List, ExecOptions)} and front ends that start it themselves (the
 * {@code sandbox} command's quick path, which keeps its start-up free of the JSON library).
 * Nothing here reads JSON or builds a policy; the caller writes the policy file and reads the
 * report.
 */
public final class HelperRun {
    /**
     * Grace the caller gives the helper beyond the policy's time limit (for planning before the
     * command starts and the post-run git sweep and report after it) before asking it to stop
     * with {@code SIGTERM}.
     */
    public static final long GRACE_MILLIS = 10_000;
    /**
     * After {@code SIGTERM} the helper stops the command, then still sweeps and writes its report;
     * its own bounds keep that short. Only past this second grace is it killed with
     * {@code SIGKILL}, which leaves what the run planted in git repositories unswept.
     */
    public static final long CLEANUP_MILLIS = 30_000;

    private HelperRun() {}

    /**
     * Refuses a helper command line the JDK would not pass on as written: it encodes a new
     * process's arguments in the platform's encoding ({@code sun.jnu.encoding}; the default
     * charset on JDK 17), and a character that encoding cannot hold (any non-ASCII character under
     * the {@code C} locale) arrives as {@code ?}, a glob character, so the command that ran would
     * not be the one the validator judged.
     *
     * @param cmd the helper's command line, from {@link #command}
     * @throws SandboxException with code {@code INVALID_ARGUMENT}, naming the encoding
     */
    public static void requirePassedAsWritten(List<String> cmd) {
        for (java.nio.charset.Charset cs : argumentCharsets()) {
            java.nio.charset.CharsetEncoder encoder = cs.newEncoder();
            for (String word : cmd) {
                if (!encoder.canEncode(word)) {
                    throw new SandboxException(SandboxException.Code.INVALID_ARGUMENT,
                            "a word of the command, its workspace or its home cannot be passed to a process in this"
                                    + " platform's encoding (" + cs.name() + ") as written; run with a UTF-8 locale"
                                    + " (for example LANG=C.UTF-8)");
                }
            }
        }
    }

    /** The encodings the JDK may pass process arguments in: {@code sun.jnu.encoding} and the default charset. */
    private static List<java.nio.charset.Charset> argumentCharsets() {
        List<java.nio.charset.Charset> out = new ArrayList<>();
        out.add(java.nio.charset.Charset.defaultCharset());
        String jnu = System.getProperty("sun.jnu.encoding");
        try {
            if (jnu != null && !out.contains(java.nio.charset.Charset.forName(jnu))) {
                out.add(java.nio.charset.Charset.forName(jnu));
            }
        } catch (IllegalArgumentException unknown) {
            // An encoding this JDK cannot name: nothing non-ASCII can be trusted to pass.
            out.add(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return out;
    }

    /**
     * {@return the verified helper next to the native library; never looked up on {@code PATH}}
     *
     * @throws SandboxException with code {@code UNSUPPORTED} when the native JAR has no helper
     */
    public static Path helper() {
        return NativeLibrary.helperPath().orElseThrow(() -> new SandboxException(SandboxException.Code.UNSUPPORTED,
                "the native JAR for " + NativeLibrary.platformClassifier()
                        + " carries no sandbox-exec helper; enforced execution needs Linux"));
    }

    /**
     * {@return the helper's command line}
     *
     * @param helper the helper, from {@link #helper()}
     * @param policy the policy file (JSON)
     * @param workspace the absolute workspace
     * @param home the absolute home directory
     * @param report where the helper writes its report
     * @param allowDegraded whether to run when the kernel cannot enforce everything
     * @param workingDirectory the command's working directory, or {@code null} for the workspace
     * @param environmentFile the file of extra environment entries, or {@code null}
     * @param argv the command and its arguments
     */
    public static List<String> command(Path helper, Path policy, Path workspace, Path home, Path report,
                                       boolean allowDegraded, Path workingDirectory, Path environmentFile, List<String> argv) {
        List<String> cmd = new ArrayList<>(List.of(helper.toString(), "--policy", policy.toString(),
                "--workspace", workspace.toString(), "--home", home.toString(), "--report", report.toString()));
        if (allowDegraded) cmd.add("--allow-degraded");
        if (workingDirectory != null) cmd.addAll(List.of("--cwd", workingDirectory.toString()));
        // In a private file, not on the command line: every local user can read a process's arguments.
        if (environmentFile != null) cmd.addAll(List.of("--env-file", environmentFile.toString()));
        cmd.add("--");
        cmd.addAll(argv);
        return cmd;
    }

    /**
     * Stops the helper when this JVM ends before it does ({@code SIGTERM}, {@code SIGINT},
     * {@code SIGHUP} or {@code System.exit}: a caller's time-out that stops the JVM must stop the
     * command too): {@code SIGTERM} first, so that the helper stops the command, sweeps and
     * reports, then {@code SIGKILL} to it and its descendants after {@link #CLEANUP_MILLIS}. Only
     * {@code SIGKILL} of the JVM itself leaves the helper running. Undo with {@link #release}.
     *
     * @param helper the helper's process
     * @return the registered hook, for {@link #release}
     */
    public static Thread stopWithThisJvm(Process helper) {
        Thread hook = new Thread(() -> {
            if (!helper.isAlive()) return;
            helper.destroy();
            try {
                if (!helper.waitFor(CLEANUP_MILLIS, TimeUnit.MILLISECONDS)) {
                    helper.descendants().forEach(ProcessHandle::destroyForcibly);
                    helper.destroyForcibly();
                }
            } catch (InterruptedException e) {
                helper.destroyForcibly();
            }
        }, "ku0-sandbox-stop-helper");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /**
     * Removes a hook of {@link #stopWithThisJvm} once the helper has ended.
     *
     * @param hook the hook, or {@code null}
     */
    public static void release(Thread hook) {
        if (hook == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is ending: the hook runs and finds the helper gone.
        }
    }

    /**
     * Waits for the helper: the time limit plus {@link #GRACE_MILLIS}, then {@code SIGTERM} (the
     * helper stops the command and still sweeps and reports), then {@link #CLEANUP_MILLIS} more,
     * and only then {@code SIGKILL} to it and its descendants. With no limit it waits as long as
     * the helper runs.
     *
     * @param helper the helper's process
     * @param limitMillis the policy's {@code max_execution_time} in milliseconds, or {@code null}
     * @return whether the helper ended within the limit and its grace
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public static boolean await(Process helper, Long limitMillis) throws InterruptedException {
        return await(helper, limitMillis, GRACE_MILLIS, CLEANUP_MILLIS);
    }

    /** {@link #await(Process, Long)} with the two graces given (tests shorten them). */
    static boolean await(Process p, Long limit, long grace, long cleanup) throws InterruptedException {
        if (limit == null) {
            p.waitFor();
            return true;
        }
        if (p.waitFor(limit + grace, TimeUnit.MILLISECONDS)) return true;
        p.destroy();
        if (!p.waitFor(cleanup, TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        return false;
    }
}
