package dev.ku0.sandbox.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Guards any tool call: before the tool runs, finds what the call touches from its arguments
 * ({@link TargetExtractor}), asks the policy about each target, passes {@code ask} verdicts to the
 * {@link ApprovalHandler} and every decision to the {@link AuditListener}.
 *
 * <pre>{@code
 * ToolCallGuard guard = ToolCallGuard.builder(sandbox).approval(request -> askTheUser(request)).build();
 * GuardOutcome outcome = guard.check("write_file", Map.of("path", "notes.md", "content", "..."));
 * String result = outcome.allowed() ? runTheTool() : outcome.refusalText();
 * }</pre>
 *
 * <p>The guard only judges; the tool still acts on its own, so a guarded tool that takes a path
 * is exposed to a swap of a link between the check and its own use. Prefer {@link AgentTools},
 * which acts through the enforcing operations, for files and commands.
 *
 * <p>A call is refused when any target is denied or asked and not approved; the first deny is
 * found before any person is asked. Arguments that cannot be examined (nested too deeply, an
 * extractor that throws) refuse the call. A guard is as thread-safe as its handler and listener.
 */
public final class ToolCallGuard {
    // A repeated key is refused: the guard and the tool could otherwise read different values.
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final TypeReference<Map<String, Object>> ARGUMENTS = new TypeReference<>() {};

    private final Gate gate;
    private final TargetExtractor extractor;

    private ToolCallGuard(Builder b) {
        this.gate = b.gate();
        this.extractor = b.extractor;
    }

    /** A builder over {@code sandbox}'s policy and workspace. */
    public static Builder builder(SandboxManager sandbox) {
        return new Builder(sandbox);
    }

    /** The manager whose policy decides. */
    public SandboxManager sandbox() {
        return gate.sandbox;
    }

    /**
     * Decides whether the call {@code toolName(arguments)} may run.
     *
     * @param arguments the call's arguments as parsed from JSON ({@code null} counts as none)
     */
    public GuardOutcome check(String toolName, Map<String, Object> arguments) {
        Objects.requireNonNull(toolName, "toolName");
        List<Target> targets;
        try {
            targets = extractor.extract(toolName, arguments == null ? Map.of() : arguments);
        } catch (RuntimeException e) {
            return unexaminable(toolName, e.getMessage());
        }
        // Every target is evaluated before anyone is asked: a deny anywhere refuses the call outright.
        List<Decision> decisions = new ArrayList<>(targets.size());
        for (Target t : targets) decisions.add(gate.evaluate(t));
        boolean refused = decisions.stream().anyMatch(d -> d.verdict() == Verdict.DENY);
        List<GuardOutcome.Check> checks = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            // Once the call is refused, no further ask is put to a person.
            GuardOutcome.Check c = refused ? gate.judgeWithoutAsking(toolName, targets.get(i), decisions.get(i))
                    : gate.judge(toolName, targets.get(i), decisions.get(i));
            checks.add(c);
            if (!c.permitted()) refused = true;
        }
        return new GuardOutcome(toolName, checks);
    }

    /**
     * Like {@link #check(String, Map)} for arguments as the model sent them: a JSON object (blank
     * or {@code null} counts as none). Text that is not a JSON object refuses the call.
     */
    public GuardOutcome checkJson(String toolName, String argumentsJson) {
        Objects.requireNonNull(toolName, "toolName");
        if (argumentsJson == null || argumentsJson.isBlank()) return check(toolName, Map.of());
        Map<String, Object> arguments;
        try {
            arguments = JSON.readValue(argumentsJson, ARGUMENTS);
        } catch (JsonProcessingException e) {
            return unexaminable(toolName, "not a JSON object (" + e.getOriginalMessage() + ")");
        }
        if (arguments == null) return unexaminable(toolName, "not a JSON object");
        return check(toolName, arguments);
    }

    /** Arguments the guard cannot examine refuse the call. */
    private static GuardOutcome unexaminable(String toolName, String why) {
        Decision d = Decision.deny(DecisionCode.BAD_REQUEST, "the arguments of " + toolName + " cannot be examined: " + why);
        // No target could be found; the check stands for the whole call, named by the tool.
        return new GuardOutcome(toolName, List.of(new GuardOutcome.Check(Target.command(toolName), d, null)));
    }

    /** Builder of {@link ToolCallGuard}. */
    public static final class Builder extends GateBuilder<Builder> {
        private TargetExtractor extractor = TargetExtractor.byArgumentName();

        private Builder(SandboxManager sandbox) {
            super(sandbox);
        }

        @Override
        Builder self() {
            return this;
        }

        /** How targets are found; default {@link TargetExtractor#byArgumentName()}. */
        public Builder extractor(TargetExtractor extractor) {
            this.extractor = Objects.requireNonNull(extractor, "extractor");
            return this;
        }

        public ToolCallGuard build() {
            return new ToolCallGuard(this);
        }
    }
}
