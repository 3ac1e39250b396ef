package dev.ku0.sandbox;

import java.util.Objects;

/** Thrown by the tools when the policy refuses an action; carries the {@link Decision}. */
public class SandboxViolationException extends SecurityException {
    private static final long serialVersionUID = 1L;

    private final transient Decision decision;

    /**
     * A refusal of the policy.
     *
     * @param action   what was refused, in words (e.g. {@code "read of notes/todo.txt"})
     * @param decision the decision that refused it
     */
    public SandboxViolationException(String action, Decision decision) {
        super("sandbox policy refuses " + action + ": " + decision.reason() + " [" + decision.code() + "]");
        this.decision = Objects.requireNonNull(decision, "decision");
    }

    /**
     * Why the action was refused.
     *
     * @return the decision: verdict, code, reason and rule
     */
    public Decision decision() {
        return decision;
    }
}
