package dev.ku0.sandbox.springai;

import dev.ku0.sandbox.agent.AgentTools;
import java.util.Objects;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/**
 * The sandboxed file, shell and HTTP tools as Spring AI {@code @Tool} methods.
 *
 * <p>Each method delegates to {@link AgentTools}: the policy decides before anything happens,
 * files are opened beneath the workspace, commands run under OS enforcement, HTTP connects only to
 * checked addresses. A refusal comes back to the model as one line,
 * {@code REFUSED [CODE] reason}, which it can read and act on; the tool result is passed as plain
 * text, not as a JSON string.
 *
 * <pre>{@code
 * String answer = ChatClient.create(chatModel).prompt("Summarise notes.txt")
 *         .tools(new SandboxTools(agentTools))
 *         .call().content();
 * }</pre>
 *
 * <p>These tools are already enforced: do not wrap their callbacks in a
 * {@link SandboxedToolCallback} as well (an {@code ask} would reach the approval handler twice).
 */
public class SandboxTools {
    private final AgentTools tools;

    /** Tools backed by {@code tools}, which carries the manager, the approval handler and the audit listener. */
    public SandboxTools(AgentTools tools) {
        this.tools = Objects.requireNonNull(tools, "tools");
    }

    /** The {@code AgentTools} these methods delegate to. */
    public AgentTools agentTools() {
        return tools;
    }

    /** These tools as Spring AI callbacks, for {@code ChatClient.Builder.defaultToolCallbacks} or an MCP server. */
    public ToolCallback[] toolCallbacks() {
        return ToolCallbacks.from(this);
    }

    /** These tools as a provider; the Spring Boot auto-configuration exposes it as a bean. */
    public ToolCallbackProvider toolCallbackProvider() {
        return new Provider(this);
    }

    /** Reads a text file. */
    @Tool(name = "read_file", resultConverter = PlainTextResultConverter.class, description = """
            Read a UTF-8 text file and return its content. The path is relative to the workspace \
            (or absolute inside it). Returns "REFUSED [CODE] reason" when the sandbox policy does not \
            allow reading that path.""")
    public String readFile(@ToolParam(description = "file path, relative to the workspace") String path) {
        return tools.readFile(path);
    }

    /** Writes (creates or replaces) a text file. */
    @Tool(name = "write_file", resultConverter = PlainTextResultConverter.class, description = """
            Create or overwrite a UTF-8 text file with the given content, creating missing parent \
            directories. The path is relative to the workspace. Returns a confirmation, or \
            "REFUSED [CODE] reason" when the sandbox policy does not allow writing there.""")
    public String writeFile(@ToolParam(description = "file path, relative to the workspace") String path,
            @ToolParam(description = "the complete new content of the file") String content) {
        return tools.writeFile(path, content);
    }

    /** Lists a directory. */
    @Tool(name = "list_files", resultConverter = PlainTextResultConverter.class, description = """
            List the entries of a directory, one per line (directories end with "/"). The path is \
            relative to the workspace; "." is the workspace itself. Returns "REFUSED [CODE] reason" \
            when the sandbox policy does not allow listing it.""")
    public String listFiles(@ToolParam(description = "directory path, relative to the workspace") String path) {
        return tools.listFiles(path);
    }

    /** Runs a shell command. */
    @Tool(name = "run_command", resultConverter = PlainTextResultConverter.class, description = """
            Run a shell command (bash syntax) in the workspace under the sandbox: writes stay in the \
            workspace, network access follows the policy. Returns "exit N", then the standard output \
            and the standard error, each after a header line; or "REFUSED [CODE] reason" when the \
            policy does not allow the command (do not retry it in another spelling).""")
    public String runCommand(@ToolParam(description = "the shell command line") String command) {
        return tools.runCommand(command);
    }

    /** Fetches a URL with GET. */
    @Tool(name = "http_get", resultConverter = PlainTextResultConverter.class, description = """
            Fetch a URL with HTTP GET. Returns the status line, a blank line and the response body. \
            Only hosts the sandbox policy allows are reached; otherwise returns "REFUSED [CODE] reason".""")
    public String httpGet(@ToolParam(description = "absolute http or https URL") String url) {
        return tools.httpGet(url);
    }

    /** Sends a body to a URL with POST. */
    @Tool(name = "http_post", resultConverter = PlainTextResultConverter.class, description = """
            Send a body to a URL with HTTP POST (sent as JSON when it is a JSON object or array, else \
            as plain text). Returns the status line, a blank line and the response body. Only \
            hosts the sandbox policy allows are reached; otherwise returns "REFUSED [CODE] reason".""")
    public String httpPost(@ToolParam(description = "absolute http or https URL") String url,
            @ToolParam(description = "the request body") String body) {
        return tools.httpPost(url, body);
    }

    /**
     * The provider type of the ready tools: the auto-configuration's guard skips it, since its calls
     * are enforced by the tools themselves.
     */
    static final class Provider implements ToolCallbackProvider, AlreadySandboxed {
        private final SandboxTools tools;

        Provider(SandboxTools tools) {
            this.tools = tools;
        }

        @Override
        public ToolCallback[] getToolCallbacks() {
            return tools.toolCallbacks();
        }
    }
}
