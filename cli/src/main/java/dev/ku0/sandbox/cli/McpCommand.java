package dev.ku0.sandbox.cli;

import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.mcp.SandboxMcpServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sandbox mcp}: an MCP server over stdio offering the sandbox tools under a policy. */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = {
            "Runs an MCP server on stdin and stdout offering read_file, write_file, list_files, run_command, "
                + "http_get and http_post under the policy. Refusals are error results 'REFUSED [CODE] reason'; "
                + "an ask is refused (no person to approve it). Ends when stdin is closed."
        })
final class McpCommand implements Callable<Integer> {
    @Mixin
    PolicyOptions options;

    @Option(names = "--audit", paramLabel = "FILE", description = "Append one JSON line per decision to FILE.")
    Path audit;

    @Override
    public Integer call() throws Exception {
        try (SandboxManager manager = options.manager()) {
            SandboxMcpServer.serveStdio(manager, audit);
        }
        return 0;
    }
}
