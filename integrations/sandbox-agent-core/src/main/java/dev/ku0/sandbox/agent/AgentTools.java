package dev.ku0.sandbox.agent;

import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.DirectoryEntry;
import dev.ku0.sandbox.ExecOptions;
import dev.ku0.sandbox.ExecResult;
import dev.ku0.sandbox.FileAccess;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.SandboxException;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.SandboxViolationException;
import dev.ku0.sandbox.Verdict;
import dev.ku0.sandbox.tools.FileOperationsTool;
import dev.ku0.sandbox.tools.HttpTool;
import dev.ku0.sandbox.tools.ShellTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The ready tools for a model, as plain methods that take strings and return text: files, shell
 * and HTTP under the manager's policy. Framework adapters expose these methods as tools.
 *
 * <pre>{@code
 * AgentTools tools = AgentTools.builder(sandbox)
 *         .approval(request -> askTheUser(request))
 *         .audit(AuditListener.jsonLines(auditLog::println))
 *         .build();
 * String text = tools.readFile("src/Main.java");
 * }</pre>
 *
 * <p>Each call is judged by the policy first; an {@code ask} goes to the {@link ApprovalHandler},
 * every decision to the {@link AuditListener}. Then the call acts through the enforcing tools:
 * {@link FileOperationsTool} (held directory handles, no link swapped in after the check gets it
 * outside), {@link ShellTool} (the command runs under {@code sandbox-exec}: Landlock, seccomp,
 * namespaces, time limit) and {@link HttpTool} (only checked addresses are connected to).
 *
 * <p>Nothing is thrown at the model: a refusal is returned as one line
 * {@code REFUSED [CODE] reason} (the code is a {@link dev.ku0.sandbox.DecisionCode} name), any
 * other failure as {@code ERROR [KIND] message}. Only the command validator answers {@code ask}
 * today; an approved command runs with {@link ExecOptions#approveAsk()}. The file and network
 * guards answer allow or deny; should one answer {@code ask}, the enforcing tool still refuses
 * after an approval (it cannot act on one), so an ask there never runs unapproved.
 *
 * <p>Thread-safe: the manager and the tools are.
 */
public final class AgentTools {
    private final Gate gate;
    private final FileOperationsTool files;
    private final ExecOptions execOptions;
    private final HttpTool http;

    private AgentTools(Builder b) {
        this.gate = b.gate();
        this.files = new FileOperationsTool(b.sandbox());
        this.execOptions = b.execOptions;
        this.http = new HttpTool(b.sandbox(), b.httpOptions);
    }

    /** A builder over {@code sandbox}'s policy and workspace. */
    public static Builder builder(SandboxManager sandbox) {
        return new Builder(sandbox);
    }

    /** The manager whose policy decides. */
    public SandboxManager sandbox() {
        return gate.sandbox;
    }

    /** The text of a file (UTF-8); relative paths are in the workspace. */
    public String readFile(String path) {
        if (path == null) return missing("readFile", "path");
        Target t = Target.fileRead(path);
        return act("readFile", t, () -> gate.sandbox.evaluateFileAccess(FileAccess.of(path, FileOperation.READ)),
                approved -> files.read(path));
    }

    /** Writes {@code content} (UTF-8) to a file, creating it and its missing parent directories. */
    public String writeFile(String path, String content) {
        if (path == null) return missing("writeFile", "path");
        Target t = Target.fileWrite(path);
        String text = Objects.requireNonNullElse(content, "");
        long size = text.getBytes(StandardCharsets.UTF_8).length;
        return act("writeFile", t, () -> gate.sandbox.evaluateFileAccess(FileAccess.write(path, size)), approved -> {
            files.write(path, text);
            return "wrote " + size + " bytes to " + path;
        });
    }

    /** The entries of a directory, one per line, directories with a trailing {@code /}. */
    public String listFiles(String path) {
        if (path == null) return missing("listFiles", "path");
        Target t = Target.fileList(path);
        return act("listFiles", t, () -> gate.sandbox.evaluateFileAccess(FileAccess.of(path, FileOperation.LIST)),
                approved -> {
                    List<DirectoryEntry> entries = files.list(path);
                    if (entries.isEmpty()) return "(empty directory)";
                    StringBuilder sb = new StringBuilder();
                    for (DirectoryEntry e : entries) {
                        sb.append(e.name()).append(e.kind() == DirectoryEntry.Kind.DIRECTORY ? "/" : "").append('\n');
                    }
                    return sb.toString();
                });
    }

    /**
     * Runs a shell command ({@code bash -c}) in the workspace under OS enforcement. The text
     * starts with {@code exit N} (with {@code (timed out)} or {@code (output truncated)} when so),
     * then the standard output and standard error, each after a header line when not empty.
     */
    public String runCommand(String command) {
        if (command == null) return missing("runCommand", "command");
        Target t = Target.command(command);
        return act("runCommand", t, () -> gate.sandbox.evaluateCommand(command).decision(), approved -> {
            ExecOptions o = approved ? withApproveAsk(execOptions) : execOptions;
            return describe(new ShellTool(gate.sandbox, o).run(command));
        });
    }

    /** {@code GET url}: the status line, then the body as text. */
    public String httpGet(String url) {
        return http("httpGet", "GET", url, null);
    }

    /** {@code POST url} with {@code body} (UTF-8; JSON when it looks like JSON): the status line, then the body. */
    public String httpPost(String url, String body) {
        return http("httpPost", "POST", url, Objects.requireNonNullElse(body, ""));
    }

    private String http(String tool, String method, String url, String body) {
        if (url == null) return missing(tool, "url");
        Target t = Target.http(method, url);
        return act(tool, t, () -> gate.sandbox.evaluateNetworkRequest(url, method), approved -> {
            Map<String, String> headers = body == null ? Map.of() : Map.of("Content-Type", contentType(body));
            byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
            try {
                HttpTool.Response r = http.send(new HttpTool.Request(method, url, headers, bytes));
                return "HTTP " + r.status() + " " + r.reasonPhrase() + "\n\n" + r.bodyText();
            } catch (IOException e) {
                return Refusals.error("IO", method + " " + url + " failed: " + e.getMessage());
            }
        });
    }

    private static String contentType(String body) {
        String b = body.strip();
        boolean json = (b.startsWith("{") && b.endsWith("}")) || (b.startsWith("[") && b.endsWith("]"));
        return json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8";
    }

    @FunctionalInterface
    private interface Action {
        String run(boolean approvedAsk);
    }

    /**
     * Judges the call, then runs it when permitted. Refusals and failures become text; only
     * programming errors (a closed manager) are thrown.
     */
    private String act(String tool, Target target, Supplier<Decision> evaluate, Action action) {
        try {
            GuardOutcome.Check c = gate.judge(tool, target, evaluate.get());
            if (!c.permitted()) return c.refusalText();
            return action.run(c.decision().verdict() == Verdict.ASK);
        } catch (SandboxViolationException e) {
            // The enforcing operation refused after the check (e.g. a path swapped in meanwhile).
            Decision d = e.decision();
            gate.judgeWithoutAsking(tool, target, d);
            return Refusals.refused(d, false);
        } catch (SandboxException e) {
            return Refusals.error(e.code().name(), e.getMessage());
        }
    }

    private static String missing(String tool, String argument) {
        return Refusals.error("INVALID_ARGUMENT", tool + " needs a " + argument + "; none was given");
    }

    private static ExecOptions withApproveAsk(ExecOptions o) {
        return new ExecOptions(o.stdin(), o.maxOutputBytes(), o.allowDegraded(), true, o.environment(),
                o.workingDirectory());
    }

    private static String describe(ExecResult r) {
        StringBuilder sb = new StringBuilder("exit ").append(r.exitCode());
        if (r.timedOut()) sb.append(" (timed out)");
        if (r.truncated()) sb.append(" (output truncated)");
        sb.append('\n');
        if (!r.stdout().isEmpty()) sb.append("--- stdout\n").append(r.stdout());
        if (!r.stderr().isEmpty()) {
            if (!r.stdout().isEmpty() && !r.stdout().endsWith("\n")) sb.append('\n');
            sb.append("--- stderr\n").append(r.stderr());
        }
        return sb.toString();
    }

    /** Builder of {@link AgentTools}. */
    public static final class Builder extends GateBuilder<Builder> {
        private ExecOptions execOptions = ExecOptions.DEFAULTS;
        private HttpTool.Options httpOptions = HttpTool.Options.defaults();

        private Builder(SandboxManager sandbox) {
            super(sandbox);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * How commands run; default {@link ExecOptions#DEFAULTS}. Its {@code approveAsk} is
         * ignored: an {@code ask} runs only when the approval handler approves it.
         */
        public Builder execOptions(ExecOptions options) {
            ExecOptions o = Objects.requireNonNull(options, "options");
            this.execOptions = new ExecOptions(o.stdin(), o.maxOutputBytes(), o.allowDegraded(), false,
                    o.environment(), o.workingDirectory());
            return this;
        }

        /** How HTTP requests are made (resolver, timeouts, response cap); default {@link HttpTool.Options#defaults()}. */
        public Builder httpOptions(HttpTool.Options options) {
            this.httpOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        public AgentTools build() {
            return new AgentTools(this);
        }
    }
}
