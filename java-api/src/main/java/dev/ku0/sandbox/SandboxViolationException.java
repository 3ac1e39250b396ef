package dev.ku0.sandbox;

import java.util.Objects;

/** Thrown by the tools when the policy refuses an action; carries the {@link Decision}. */
public class SandboxViolationException extends SecurityException {
    private static final long serialVersionUID = 1L;

    private final transient Decision decision;

    public SandboxViolationException(String action, Decision decision) {
        super("sandbox policy refuses " + action + ": " + decision.reason() + " [" + decision.code() + "]");
        this.decision = Objects.requireNonNull(decision, "decision");
    }

    /** Why the action was refused. */
    public Decision decision() {
        return decision;
    }
}
