package dev.ku0.sandbox.tools;

import dev.ku0.sandbox.ExecOptions;
import dev.ku0.sandbox.ExecResult;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.SandboxViolationException;
import java.util.Objects;

/**
 * A shell tool for agents: every command is validated, then run under OS enforcement in the
 * workspace; output is capped. Refusals throw {@link SandboxViolationException} with the
 * {@link dev.ku0.sandbox.Decision}, which an agent loop can show to the model or a person.
 *
 * <pre>{@code
 * ShellTool shell = new ShellTool(sandbox);
 * ExecResult r = shell.run("git status");
 * }</pre>
 */
public final class ShellTool {
    private final SandboxManager sandbox;
    private final ExecOptions options;

    /**
     * A tool with {@link ExecOptions#DEFAULTS} (full enforcement required, {@code ask} refused).
     *
     * @param sandbox the manager whose policy applies
     */
    public ShellTool(SandboxManager sandbox) {
        this(sandbox, ExecOptions.DEFAULTS);
    }

    /**
     * A tool that runs commands with these options.
     *
     * @param sandbox the manager whose policy and workspace apply
     * @param options how each command runs (input, output cap, consents)
     */
    public ShellTool(SandboxManager sandbox, ExecOptions options) {
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Runs {@code command} with {@code bash -c} in the workspace.
     *
     * @param command the shell command, as bash would read it
     * @return the exit status, the captured output and the enforcement report
     * @throws SandboxViolationException when the policy refuses the command
     */
    public ExecResult run(String command) {
        return sandbox.exec(command, options);
    }

    /**
     * Runs {@code command} with {@code stdin} as its standard input.
     *
     * @param command the shell command, as bash would read it
     * @param stdin the standard input, or {@code null}
     * @return the exit status, the captured output and the enforcement report
     */
    public ExecResult run(String command, String stdin) {
        ExecOptions o = new ExecOptions(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                options.maxOutputBytes(), options.allowDegraded(), options.approveAsk(), options.environment(),
                options.workingDirectory());
        return sandbox.exec(command, o);
    }
}
