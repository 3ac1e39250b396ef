package dev.ku0.sandbox;

import java.util.List;

/**
 * A command decision with what stands behind it: the findings (each with the offending span of
 * the input) and the effective commands, i.e. what would really run after unwrapping wrappers,
 * so that a host can show a person what it is asked to approve.
 *
 * @param verdict  allow, ask or deny (the most severe finding)
 * @param code     the deciding code
 * @param reason   the deciding reason
 * @param rule     the deciding policy rule, or {@code null}
 * @param findings every reason found, most severe first
 * @param commands every simple command that would run
 */
public record CommandDecision(Verdict verdict, DecisionCode code, String reason, String rule,
                              List<Finding> findings, List<EffectiveCommand> commands) {
    /** Copies the lists, which are immutable afterwards. */
    public CommandDecision {
        findings = List.copyOf(findings);
        commands = List.copyOf(commands);
    }

    /** {@return the plain decision} */
    public Decision decision() {
        return new Decision(verdict, code, reason, rule);
    }

    /** {@return {@code true} only for {@link Verdict#ALLOW}} */
    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }

    /**
     * One reason behind a command decision.
     *
     * @param verdict what this finding alone decides
     * @param code    its code
     * @param message its reason in words
     * @param start   start of the offending part of the input (a {@code String} index)
     * @param end     end (exclusive) of the offending part
     * @param argv    the normalized argv of the command concerned (may be empty)
     * @param rule    the policy rule concerned, or {@code null}
     */
    public record Finding(Verdict verdict, DecisionCode code, String message, int start, int end,
                          List<String> argv, String rule) {}

    /**
     * A simple command as it would run.
     *
     * @param argv      literal words after quote removal; a {@code null} word is computed at run time
     * @param wrappers  wrappers unwrapped to reach it, outermost first (e.g. {@code sudo}, {@code bash -c})
     * @param redirects its redirections
     * @param start     start of the command in the input (a {@code String} index)
     * @param end       end (exclusive)
     */
    public record EffectiveCommand(List<String> argv, List<String> wrappers, List<Redirect> redirects,
                                   int start, int end) {}

    /**
     * A redirection.
     *
     * @param op     the operator, e.g. {@code >}, {@code >>}, {@code <}
     * @param target the literal target, or {@code null} when computed at run time
     */
    public record Redirect(String op, String target) {}
}
