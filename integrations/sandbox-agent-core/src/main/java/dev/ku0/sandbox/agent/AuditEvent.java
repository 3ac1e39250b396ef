package dev.ku0.sandbox.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.Verdict;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One decision about one action of a tool call, for an audit log. As a JSON line
 * ({@link #toJsonLine()}) it follows {@code policies/audit-event-v1.schema.json}.
 *
 * @param timestamp when the decision was made (written in ISO-8601, UTC)
 * @param tool      the tool the model called
 * @param action    what the call does
 * @param target    the path, URL or command that was judged
 * @param decision  the policy's verdict
 * @param approved  for an {@code ask}: whether the approval handler approved it; {@code null} otherwise
 * @param code      the decision code ({@code ALLOWED}, {@code BLOCKED_PATH}, ...)
 * @param rule      the policy rule that decided, or {@code null}
 * @param reason    the reason, naming the offending part of the target
 */
public record AuditEvent(Instant timestamp, String tool, ActionKind action, String target, Verdict decision,
                         Boolean approved, DecisionCode code, String rule, String reason) {
    /** The version of the JSON line's format: {@code audit-event-v1.schema.json}. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    public AuditEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
        if ((decision == Verdict.ASK) != (approved != null)) {
            throw new IllegalArgumentException("approved is given for an ask and only for an ask");
        }
    }

    /** Whether the action was let through: allowed, or asked and approved. */
    public boolean permitted() {
        return decision == Verdict.ALLOW || (decision == Verdict.ASK && approved);
    }

    /**
     * The event as one line of JSON (no line break), keys in a fixed order:
     * {@code version, timestamp, tool, action, target, decision, approved} (asks only),
     * {@code code, rule, reason}.
     */
    public String toJsonLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", FORMAT_VERSION);
        m.put("timestamp", timestamp.toString());
        m.put("tool", tool);
        m.put("action", action.jsonName());
        m.put("target", target);
        m.put("decision", decision.jsonName());
        if (approved != null) m.put("approved", approved);
        m.put("code", code.name());
        m.put("rule", rule);
        m.put("reason", reason);
        try {
            // Jackson escapes control characters, so a line break in a target cannot split the line.
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an audit event as JSON", e);
        }
    }
}
