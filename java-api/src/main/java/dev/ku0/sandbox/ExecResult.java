package dev.ku0.sandbox;

import java.util.List;

/**
 * How an enforced command ended.
 *
 * @param exitCode    the command's exit code; {@code 128+N} when killed by signal N; 124 when the time limit
 *                    ran out; 125 for a helper error; 126 when enforcement was incomplete and not consented to;
 *                    127 when the command could not be executed
 * @param stdout      standard output (UTF-8, at most {@link ExecOptions#maxOutputBytes()} bytes of it)
 * @param stderr      standard error (likewise)
 * @param truncated   whether stdout or stderr was cut at the cap
 * @param timedOut    whether {@code limits.max_execution_time} ran out and the process group was killed
 * @param signal      the signal that killed the command, or {@code null}
 * @param enforcement what was enforced
 * @param decision    the command validator's decision that let the command run
 * @param violations  what was refused while it ran (network requests the proxy denied)
 */
public record ExecResult(int exitCode, String stdout, String stderr, boolean truncated, boolean timedOut,
                         Integer signal, EnforcementReport enforcement, CommandDecision decision,
                         List<Violation> violations) {
    /** Copies the list of violations. */
    public ExecResult {
        violations = List.copyOf(violations);
    }
}
