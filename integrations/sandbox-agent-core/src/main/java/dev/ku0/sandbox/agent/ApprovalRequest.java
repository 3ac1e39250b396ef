package dev.ku0.sandbox.agent;

import dev.ku0.sandbox.DecisionCode;
import java.util.Objects;

/**
 * What a person is asked to approve: the policy answered {@code ask} for this action.
 *
 * @param toolName the tool the model called
 * @param action   what the call does
 * @param target   the path, URL or command
 * @param code     the decision code that asks ({@code UNMODELLED_PROGRAM}, {@code INLINE_CODE}, ...)
 * @param reason   why the policy asks, naming the offending part of the target
 */
public record ApprovalRequest(String toolName, ActionKind action, String target, DecisionCode code, String reason) {
    public ApprovalRequest {
        Objects.requireNonNull(toolName, "toolName");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
    }
}
