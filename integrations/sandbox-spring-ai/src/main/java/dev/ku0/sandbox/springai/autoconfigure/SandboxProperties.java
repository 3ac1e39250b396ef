package dev.ku0.sandbox.springai.autoconfigure;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code ku0.sandbox.*} settings of the Spring Boot auto-configuration.
 *
 * <pre>
 * ku0.sandbox.policy=workspace            # a preset (strict, workspace, permissive) or a policy JSON file
 * ku0.sandbox.workspace=/srv/agent/work   # must exist; default: the current directory
 * ku0.sandbox.guard-all-tools=true        # wrap every ToolCallback / ToolCallbackProvider bean
 * ku0.sandbox.audit=true                  # log each decision as a JSON line (logger dev.ku0.sandbox.audit)
 * </pre>
 */
@ConfigurationProperties(prefix = "ku0.sandbox")
public class SandboxProperties {
    private boolean enabled = true;
    private String policy = "workspace";
    private Path workspace;
    private Path home;
    private boolean guardAllTools = true;
    private boolean audit = true;
    private boolean tools = true;

    /** Whether the auto-configuration applies at all (default {@code true}). */
    public boolean isEnabled() {
        return enabled;
    }

    /** See {@link #isEnabled()}. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * A preset name ({@code strict}, {@code workspace}, {@code permissive}), a path to a policy JSON
     * file, or {@code classpath:} followed by the resource name of one (default {@code workspace}).
     */
    public String getPolicy() {
        return policy;
    }

    /** See {@link #getPolicy()}. */
    public void setPolicy(String policy) {
        this.policy = policy;
    }

    /** The agent's workspace root, an existing directory; {@code null} means the current directory. */
    public Path getWorkspace() {
        return workspace;
    }

    /** See {@link #getWorkspace()}. */
    public void setWorkspace(Path workspace) {
        this.workspace = workspace;
    }

    /** What {@code ~} means in the policy; {@code null} means the {@code user.home} directory. */
    public Path getHome() {
        return home;
    }

    /** See {@link #getHome()}. */
    public void setHome(Path home) {
        this.home = home;
    }

    /** Whether every {@code ToolCallback} and {@code ToolCallbackProvider} bean is wrapped in the guard (default {@code true}). */
    public boolean isGuardAllTools() {
        return guardAllTools;
    }

    /** See {@link #isGuardAllTools()}. */
    public void setGuardAllTools(boolean guardAllTools) {
        this.guardAllTools = guardAllTools;
    }

    /** Whether each decision is logged as a JSON line to the logger {@code dev.ku0.sandbox.audit} (default {@code true}). */
    public boolean isAudit() {
        return audit;
    }

    /** See {@link #isAudit()}. */
    public void setAudit(boolean audit) {
        this.audit = audit;
    }

    /** Whether the ready tools are exposed as a {@code ToolCallbackProvider} bean (default {@code true}). */
    public boolean isTools() {
        return tools;
    }

    /** See {@link #isTools()}. */
    public void setTools(boolean tools) {
        this.tools = tools;
    }
}
