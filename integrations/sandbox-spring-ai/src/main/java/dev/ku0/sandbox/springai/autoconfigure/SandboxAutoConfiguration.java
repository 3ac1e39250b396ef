package dev.ku0.sandbox.springai.autoconfigure;

import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.agent.AgentTools;
import dev.ku0.sandbox.agent.ApprovalHandler;
import dev.ku0.sandbox.agent.AuditEvent;
import dev.ku0.sandbox.agent.AuditListener;
import dev.ku0.sandbox.agent.TargetExtractor;
import dev.ku0.sandbox.agent.ToolCallGuard;
import dev.ku0.sandbox.springai.GuardToolCallbacksPostProcessor;
import dev.ku0.sandbox.springai.SandboxTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Spring Boot auto-configuration of ku0 sandbox for Spring AI: one {@link SandboxManager} for the
 * application (closed with the context), the ready tools ({@link SandboxTools}, also as a
 * {@link ToolCallbackProvider}), a {@link ToolCallGuard} wrapped around every other
 * {@link ToolCallback} and {@link ToolCallbackProvider} bean, and an audit log of every decision.
 *
 * <p>An {@link ApprovalHandler} bean of the application decides {@code ask} verdicts; without one
 * they are refused ({@link ApprovalHandler#DENY}). {@link AuditListener} beans of the application
 * receive every decision, the log among them. A {@link TargetExtractor} bean replaces the guard's
 * default way of finding paths, URLs and commands in tool arguments. Any bean defined here can be
 * replaced by one of the application's own of the same type. Settings: {@link SandboxProperties}.
 */
@AutoConfiguration
@ConditionalOnClass({ToolCallback.class, SandboxManager.class})
@ConditionalOnProperty(prefix = "ku0.sandbox", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SandboxProperties.class)
public class SandboxAutoConfiguration {
    /** The logger the audit lines go to. */
    public static final String AUDIT_LOGGER = "dev.ku0.sandbox.audit";

    private static final Set<String> PRESETS = Set.of("strict", "workspace", "permissive");

    /** The application's manager: its policy, workspace and violation log. Closed when the context closes. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public SandboxManager sandboxManager(SandboxProperties properties, ResourceLoader resources) {
        Policy policy = policy(properties.getPolicy(), resources);
        Path workspace = properties.getWorkspace() != null ? properties.getWorkspace() : Path.of("");
        SandboxManager.Builder b = SandboxManager.builder(policy).workspace(workspace.toAbsolutePath());
        if (properties.getHome() != null) b.home(properties.getHome());
        return b.build();
    }

    /**
     * Each decision as a JSON line ({@link AuditEvent#toJsonLine()}) to the logger
     * {@value #AUDIT_LOGGER}: actions let through at INFO, refused ones at WARN.
     */
    @Bean
    @ConditionalOnProperty(prefix = "ku0.sandbox", name = "audit", havingValue = "true", matchIfMissing = true)
    public AuditListener sandboxAuditLog() {
        Log log = LogFactory.getLog(AUDIT_LOGGER);
        return event -> {
            if (event.permitted()) {
                log.info(event.toJsonLine());
            } else {
                log.warn(event.toJsonLine());
            }
        };
    }

    /** The file, shell and HTTP tools for agents, with the application's approval and audit. */
    @Bean
    @ConditionalOnMissingBean
    public AgentTools sandboxAgentTools(SandboxManager sandbox, ObjectProvider<ApprovalHandler> approval,
            ObjectProvider<AuditListener> audit) {
        return AgentTools.builder(sandbox).approval(approval(approval)).audit(audit(audit)).build();
    }

    /** The ready tools as a bean with {@code @Tool} methods, for {@code ChatClient...tools(sandboxTools)}. */
    @Bean
    @ConditionalOnMissingBean
    public SandboxTools sandboxTools(AgentTools tools) {
        return new SandboxTools(tools);
    }

    /**
     * The ready tools as a provider bean, which Spring AI's MCP server and tool resolution pick up;
     * {@code ku0.sandbox.tools=false} leaves it out.
     */
    @Bean
    @ConditionalOnProperty(prefix = "ku0.sandbox", name = "tools", havingValue = "true", matchIfMissing = true)
    public ToolCallbackProvider sandboxToolCallbackProvider(SandboxTools tools) {
        return tools.toolCallbackProvider();
    }

    /** The guard that checks other tools' calls, with the application's approval, audit and extractor. */
    @Bean
    @ConditionalOnMissingBean
    public ToolCallGuard sandboxToolCallGuard(SandboxManager sandbox, ObjectProvider<ApprovalHandler> approval,
            ObjectProvider<AuditListener> audit, ObjectProvider<TargetExtractor> extractor) {
        ToolCallGuard.Builder b = ToolCallGuard.builder(sandbox).approval(approval(approval)).audit(audit(audit));
        TargetExtractor custom = extractor.getIfAvailable();
        if (custom != null) b.extractor(custom);
        return b.build();
    }

    /**
     * Wraps every {@link ToolCallback} and {@link ToolCallbackProvider} bean in the guard;
     * {@code ku0.sandbox.guard-all-tools=false} turns it off. Static, as a post-processor must be,
     * and given the guard lazily, so that creating it creates no other bean early.
     */
    @Bean
    @ConditionalOnProperty(prefix = "ku0.sandbox", name = "guard-all-tools", havingValue = "true",
            matchIfMissing = true)
    public static GuardToolCallbacksPostProcessor sandboxGuardToolCallbacks(ObjectProvider<ToolCallGuard> guard) {
        return new GuardToolCallbacksPostProcessor(guard::getObject);
    }

    /** The application's handler; none means headless, so {@code ask} is refused. Two without a primary fail. */
    private static ApprovalHandler approval(ObjectProvider<ApprovalHandler> approval) {
        ApprovalHandler h = approval.getIfAvailable();
        return h != null ? h : ApprovalHandler.DENY;
    }

    /** Every audit listener bean, in {@code @Order} order, as one listener. */
    private static AuditListener audit(ObjectProvider<AuditListener> audit) {
        List<AuditListener> all = audit.orderedStream().toList();
        if (all.isEmpty()) return AuditListener.NONE;
        AuditListener combined = all.get(0);
        for (AuditListener next : all.subList(1, all.size())) combined = combined.andThen(next);
        return combined;
    }

    /** A preset by name, a {@code classpath:} resource, or a file; anything else stops the application. */
    static Policy policy(String value, ResourceLoader resources) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("ku0.sandbox.policy is empty; set it to a preset (strict, workspace,"
                    + " permissive), a policy JSON file or classpath:NAME.json");
        }
        String v = value.strip();
        if (PRESETS.contains(v.toLowerCase(Locale.ROOT))) return Policies.byName(v);
        try {
            if (v.startsWith(ResourceLoader.CLASSPATH_URL_PREFIX)) {
                Resource r = resources.getResource(v);
                if (!r.exists()) {
                    throw new IllegalStateException("ku0.sandbox.policy: no resource " + v + " on the class path");
                }
                try (InputStream in = r.getInputStream()) {
                    return Policy.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            Path file = Path.of(v);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("ku0.sandbox.policy: \"" + v + "\" is neither a preset (strict,"
                        + " workspace, permissive) nor a policy file (" + file.toAbsolutePath() + " does not exist)");
            }
            return Policy.fromFile(file);
        } catch (IOException e) {
            throw new IllegalStateException("ku0.sandbox.policy: cannot read " + v + ": " + e.getMessage(), e);
        }
    }
}
