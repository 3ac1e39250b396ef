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
