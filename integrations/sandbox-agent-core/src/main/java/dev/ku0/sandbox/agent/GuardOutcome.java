package dev.ku0.sandbox.agent;

import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.Verdict;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ToolCallGuard#check} decided about a tool call: allowed when every target it found
 * is allowed, or asked and approved. A call in which no target was found is allowed (there is
 * nothing the policy speaks about).
 */
public final class GuardOutcome {
    private static final Decision NOTHING_TO_CHECK =
            new Decision(Verdict.ALLOW, DecisionCode.ALLOWED, "no path, URL or command in the arguments", null);

    /**
     * The decision about one target.
     *
     * @param target   what was judged
     * @param decision the policy's decision
     * @param approved for an {@code ask}: whether it was approved; {@code null} otherwise
     */
    public record Check(Target target, Decision decision, Boolean approved) {
        public Check {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(decision, "decision");
        }

        /** Allowed, or asked and approved. */
        public boolean permitted() {
            return decision.allowed() || (decision.verdict() == Verdict.ASK && Boolean.TRUE.equals(approved));
        }

        /** The refusal for the model: {@code REFUSED [CODE] reason}; empty when permitted. */
        public String refusalText() {
            return permitted() ? "" : Refusals.refused(decision, decision.verdict() == Verdict.ASK);
        }
    }

    private final String toolName;
    private final List<Check> checks;
    private final Check refused;

    GuardOutcome(String toolName, List<Check> checks) {
        this.toolName = Objects.requireNonNull(toolName, "toolName");
        this.checks = List.copyOf(checks);
        // A deny explains the refusal better than an ask that was not put to anyone because of it.
        this.refused = this.checks.stream().filter(c -> c.decision().verdict() == Verdict.DENY).findFirst()
                .or(() -> this.checks.stream().filter(c -> !c.permitted()).findFirst()).orElse(null);
    }

    /** The tool the call was for. */
    public String toolName() {
        return toolName;
    }

    /** Whether the call may run. */
    public boolean allowed() {
        return refused == null;
    }

    /**
     * The deciding decision: the first denied target's, else the first refused ask's, else the first target's
     * (an allow, or an approved ask), else an allow saying there was nothing to check.
     */
    public Decision decision() {
        if (refused != null) return refused.decision();
        return checks.isEmpty() ? NOTHING_TO_CHECK : checks.get(0).decision();
    }

    /** The target that refused the call, if it was refused. */
    public Optional<Check> refusedCheck() {
        return Optional.ofNullable(refused);
    }

    /** Every target found and its decision, in the order they were found. */
    public List<Check> checks() {
        return checks;
    }

    /**
     * The text to give the model instead of the tool's result: {@code REFUSED [CODE] reason} on
     * one line; empty when the call is allowed.
     */
    public String refusalText() {
        return refused == null ? "" : refused.refusalText();
    }

    @Override
    public String toString() {
        return allowed() ? "allowed " + toolName : toolName + ": " + refusalText();
    }
}
