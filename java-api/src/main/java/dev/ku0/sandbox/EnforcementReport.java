package dev.ku0.sandbox;

import java.util.List;
import java.util.Map;

/**
 * What the enforcement helper could enforce on this kernel, and how the command ended.
 *
 * @param status        {@code ok}, {@code timeout}, {@code refused}, {@code exec_failed} or {@code error}
 * @param enforcement   the weakest level among the mechanisms: {@code full}, {@code partial} or {@code none}
 * @param mechanisms    per mechanism ({@code landlock}, {@code seccomp}, {@code namespaces}, {@code network},
 *                      {@code rlimits}, {@code timeout}): its level and what is missing
 * @param kernel        the kernel release
 * @param networkMode   {@code off} or {@code proxy}
 * @param networkEvents requests the proxy decided
 * @param notes         remarks of the helper
 * @param error         the helper's error, if it failed
 * @param json          the report as the helper wrote it
 */
public record EnforcementReport(String status, String enforcement, Map<String, Mechanism> mechanisms, String kernel,
                                String networkMode, List<NetworkEvent> networkEvents, List<String> notes,
                                String error, String json) {
    /** A report for a run where the helper wrote none. */
    static EnforcementReport missing(String why) {
        return new EnforcementReport("error", "none", Map.of(), "", "", List.of(), List.of(), why, "");
    }

    /** {@return whether every mechanism was fully enforced} */
    public boolean fullyEnforced() {
        return "full".equals(enforcement);
    }

    /**
     * One enforcement mechanism.
     *
     * @param level  {@code full}, {@code partial} or {@code none}
     * @param detail what holds or what is missing
     */
    public record Mechanism(String level, String detail) {}

    /**
     * A request the network proxy decided.
     *
     * @param method  {@code CONNECT} or the HTTP method
     * @param target  {@code host:port}, or the URL
     * @param verdict {@code allow} or {@code deny}
     * @param code    the decision code, or {@code CONNECT_FAILED}
     * @param reason  why
     */
    public record NetworkEvent(String method, String target, String verdict, String code, String reason) {}
}
