package dev.ku0.sandbox.langchain4j;

import dev.ku0.sandbox.agent.AgentTools;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.Objects;

/**
 * The ku0 sandbox tools as LangChain4j {@link Tool} methods: files in the workspace, shell
 * commands under OS enforcement, HTTP under the network policy. Give an instance to
 * {@code AiServices.builder(...).tools(...)}.
 *
 * <pre>{@code
 * Assistant assistant = AiServices.builder(Assistant.class)
 *         .chatModel(model)
 *         .tools(new SandboxTools(AgentTools.builder(sandbox).build()))
 *         .build();
 * }</pre>
 *
 * <p>The parameters are named explicitly ({@code path}, {@code content}, {@code command},
 * {@code url}, {@code body}), so the tools' JSON schema does not depend on {@code -parameters}.
 *
 * <p>Every method delegates to {@link AgentTools}: a refusal reaches the model as
 * {@code REFUSED [CODE] reason}, never as an exception.
 */
public class SandboxTools {
    private final AgentTools tools;

    /** Tools acting through {@code tools} (its policy, approval handler and audit listener). */
    public SandboxTools(AgentTools tools) {
        this.tools = Objects.requireNonNull(tools, "tools");
    }

    /** {@link AgentTools#readFile}. */
    @Tool("Reads a text file. Relative paths are in the workspace.")
    public String readFile(@P(name = "path", value = "path of the file") String path) {
        return tools.readFile(path);
    }

    /** {@link AgentTools#writeFile}. */
    @Tool("Writes a text file, creating it and its missing parent directories. Relative paths are in the workspace.")
    public String writeFile(@P(name = "path", value = "path of the file") String path, @P(name = "content", value = "the whole new content") String content) {
        return tools.writeFile(path, content);
    }

    /** {@link AgentTools#listFiles}. */
    @Tool("Lists a directory, one entry per line; directories end with /.")
    public String listFiles(@P(name = "path", value = "path of the directory; . is the workspace") String path) {
        return tools.listFiles(path);
    }

    /** {@link AgentTools#runCommand}. */
    @Tool("Runs a bash command in the workspace and returns its exit code, output and errors.")
    public String runCommand(@P(name = "command", value = "the command line") String command) {
        return tools.runCommand(command);
    }

    /** {@link AgentTools#httpGet}. */
    @Tool("Sends an HTTP GET request and returns the status line and the body.")
    public String httpGet(@P(name = "url", value = "the URL") String url) {
        return tools.httpGet(url);
    }

    /** {@link AgentTools#httpPost}. */
    @Tool("Sends an HTTP POST request with a text or JSON body and returns the status line and the body.")
    public String httpPost(@P(name = "url", value = "the URL") String url, @P(name = "body", value = "the request body") String body) {
        return tools.httpPost(url, body);
    }
}
