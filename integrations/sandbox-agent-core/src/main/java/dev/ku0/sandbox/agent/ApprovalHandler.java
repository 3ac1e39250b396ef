package dev.ku0.sandbox.agent;

/**
 * Decides an action the policy answered with {@code ask}: a person may approve it. Only
 * {@code ask} verdicts reach a handler; {@code deny} is final and never asks.
 *
 * <p>A handler runs on the thread of the tool call and may block while it waits for a person.
 * An exception thrown by a handler counts as "not approved".
 */
@FunctionalInterface
public interface ApprovalHandler {
    /** Approves nothing: the headless default, since no person is there to ask. */
    ApprovalHandler DENY = request -> false;

    /** {@code true} to let the action run. */
    boolean approve(ApprovalRequest request);
}
