package dev.ku0.sandbox.mcp;

import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.agent.AgentTools;
import dev.ku0.sandbox.agent.AuditListener;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * An MCP server that offers the ku0 sandbox tools ({@link AgentTools}) under a policy:
 * {@code read_file}, {@code write_file}, {@code list_files}, {@code run_command},
 * {@code http_get}, {@code http_post}. A refusal is an error result whose text is
 * {@code REFUSED [CODE] reason}.
 *
 * <p>Run it over stdio with {@code sandbox mcp --policy FILE --workspace DIR} or
 * {@code java -cp ... dev.ku0.sandbox.mcp.SandboxMcpServer --policy FILE --workspace DIR}
 * (options: {@code --policy FILE | --preset NAME}, {@code --workspace DIR}, {@code --home DIR},
 * {@code --audit FILE} for JSON audit lines). Standard output carries the protocol only.
 *
 * <p>Without a person to ask, an {@code ask} is refused ({@link dev.ku0.sandbox.agent.ApprovalHandler#DENY});
 * embed the server with {@link #toolSpecifications(AgentTools)} to choose another handler.
 */
public final class SandboxMcpServer {
    /** The server's name in the MCP handshake. */
    public static final String NAME = "ku0-sandbox";

    private SandboxMcpServer() {}

    /** The six tools over {@code tools}, for any MCP server. */
    public static List<SyncToolSpecification> toolSpecifications(AgentTools tools) {
        Objects.requireNonNull(tools, "tools");
        List<SyncToolSpecification> specs = new ArrayList<>();
        specs.add(tool("read_file", "Reads a text file. Relative paths are in the workspace.",
                props("path", "path of the file"), a -> tools.readFile(str(a, "path"))));
        specs.add(tool("write_file", "Writes a text file, creating it and its missing parent directories.",
                props("path", "path of the file", "content", "the whole new content"),
                a -> tools.writeFile(str(a, "path"), str(a, "content"))));
        specs.add(tool("list_files", "Lists a directory, one entry per line; directories end with /.",
                props("path", "path of the directory; . is the workspace"), a -> tools.listFiles(str(a, "path"))));
        specs.add(tool("run_command", "Runs a bash command in the workspace under OS enforcement; returns the exit"
                        + " code, the output and the errors.",
                props("command", "the command line"), a -> tools.runCommand(str(a, "command"))));
        specs.add(tool("http_get", "Sends an HTTP GET request; returns the status line and the body.",
                props("url", "the URL"), a -> tools.httpGet(str(a, "url"))));
        specs.add(tool("http_post", "Sends an HTTP POST request with a text or JSON body; returns the status line"
                        + " and the body.",
                props("url", "the URL", "body", "the request body"), a -> tools.httpPost(str(a, "url"), str(a, "body"))));
        return List.copyOf(specs);
    }

    /** A synchronous MCP server offering {@link #toolSpecifications} on {@code transport}. */
    public static McpSyncServer start(AgentTools tools, McpServerTransportProvider transport) {
        return McpServer.sync(transport)
                .serverInfo(NAME, version())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(toolSpecifications(tools))
                .build();
    }

    /**
     * Serves {@code tools} over this process's stdin and stdout until stdin is closed. Nothing
     * else may write to standard output meanwhile, so it is pointed at standard error.
     */
    public static void serveStdio(AgentTools tools) throws InterruptedException {
        Objects.requireNonNull(tools, "tools");
        serveStdio(transport -> start(tools, transport));
    }

    /**
     * Serves the server that {@code server} builds on the stdio transport it is given, until
     * stdin is closed; for servers of your own, e.g. with {@link McpToolGuard}. Standard output
     * is pointed at standard error meanwhile, so nothing else can corrupt the protocol.
     */
    public static void serveStdio(Function<? super McpServerTransportProvider, McpSyncServer> server)
            throws InterruptedException {
        InputStream in = System.in;
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        CountDownLatch closed = new CountDownLatch(1);
        InputStream watched = new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) closed.countDown();
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n < 0) closed.countDown();
                return n;
            }
        };
        McpSyncServer running = server.apply(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), watched, out));
        closed.await();
        running.closeGracefully();
    }

    /** The command line; see the class description. Exit status 2 for bad options. */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (!List.of("--policy", "--preset", "--workspace", "--home", "--audit").contains(k) || i + 1 >= args.length) {
                System.err.println("usage: SandboxMcpServer [--policy FILE | --preset NAME] [--workspace DIR] [--home DIR]"
                        + " [--audit FILE]");
                System.exit(2);
            }
            o.put(k, args[++i]);
        }
        Policy policy = o.containsKey("--policy") ? Policy.fromFile(Path.of(o.get("--policy")))
                : Policies.byName(o.getOrDefault("--preset", "workspace"));
        Path workspace = Path.of(o.getOrDefault("--workspace", "")).toAbsolutePath().normalize();
        SandboxManager.Builder b = SandboxManager.builder(policy).workspace(workspace).violationCapacity(0);
        if (o.containsKey("--home")) b.home(Path.of(o.get("--home")).toAbsolutePath().normalize());
        try (SandboxManager sandbox = b.build()) {
            serveStdio(sandbox, o.containsKey("--audit") ? Path.of(o.get("--audit")) : null);
        }
        // The process ends with the protocol, whatever threads the SDK left running.
        System.exit(0);
    }

    /**
     * Serves the tools over {@code sandbox}'s policy on stdio until stdin is closed, appending
     * an audit line per decision to {@code auditFile} when it is not {@code null}.
     */
    public static void serveStdio(SandboxManager sandbox, Path auditFile) throws IOException, InterruptedException {
        AgentTools.Builder tools = AgentTools.builder(sandbox);
        if (auditFile == null) {
            serveStdio(tools.build());
            return;
        }
        try (BufferedWriter audit = Files.newBufferedWriter(auditFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            serveStdio(tools.audit(AuditListener.jsonLines(line -> appendLine(audit, line))).build());
        }
    }

    private static void appendLine(BufferedWriter w, String line) {
        try {
            synchronized (w) {
                w.write(line);
                w.newLine();
                w.flush();
            }
        } catch (IOException e) {
            // Thrown on: the audit listener fails and the action is refused.
            throw new UncheckedIOException(e);
        }
    }

    private static SyncToolSpecification tool(String name, String description, Map<String, Object> properties,
                                              Function<Map<String, Object>, String> call) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", List.copyOf(properties.keySet()));
        schema.put("additionalProperties", false);
        McpSchema.Tool tool = McpSchema.Tool.builder(name, schema).description(description).build();
        return new SyncToolSpecification(tool, (exchange, request) -> {
            String text = call.apply(request.arguments() == null ? Map.of() : request.arguments());
            boolean failed = text.startsWith("REFUSED [") || text.startsWith("ERROR [");
            return CallToolResult.builder().addTextContent(text).isError(failed).build();
        });
    }

    private static Map<String, Object> props(String... nameAndDescription) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndDescription.length; i += 2) {
            m.put(nameAndDescription[i], Map.of("type", "string", "description", nameAndDescription[i + 1]));
        }
        return m;
    }

    /** A string argument; anything else counts as missing. */
    private static String str(Map<String, Object> arguments, String name) {
        return arguments.get(name) instanceof String s ? s : null;
    }

    private static String version() {
        String v = SandboxMcpServer.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }
}
