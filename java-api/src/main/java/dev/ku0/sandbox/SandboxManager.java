package dev.ku0.sandbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ku0.sandbox.bindings.Bindings;
import dev.ku0.sandbox.bindings.NativeBinding;
import java.lang.ref.Cleaner;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Decides whether an agent's tool calls are allowed by a {@link Policy}. Every decision is made by
 * the native engine; the policy is compiled once when the manager is built.
 *
 * <pre>{@code
 * try (SandboxManager sandbox = new SandboxManager(Policies.STRICT, workspace)) {   // an existing directory
 *     boolean ok = sandbox.checkFileAccess("~/.ssh/id_rsa", "read");   // false, and recorded
 *     Decision d = sandbox.evaluateCommand("git status; rm -rf ~").decision();
 *     List<Violation> log = sandbox.getViolations();
 * }
 * }</pre>
 *
 * <p>A manager is safe to share between threads: checks take no locks (only recording a
 * violation does). {@code checkX} returns the seed's boolean; {@code evaluateX} returns the whole
 * {@link Decision}. Every decision that is not {@link Verdict#ALLOW} is recorded in a bounded
 * violation log (see {@link Builder#violationCapacity(int)}) and passed to the listeners.
 *
 * <p>After {@link #close()} every method throws {@link IllegalStateException}. A manager that is
 * never closed frees its native engine when it is garbage-collected.
 *
 * <p>Runs on JDK 17 and newer: the native library is reached through FFM on JDK 22+ and through
 * JNI before (see {@link Bindings}). The JVM should run with
 * {@code --enable-native-access=ALL-UNNAMED}; JDK 22+ warns about both FFM and JNI without it.
 */
public final class SandboxManager implements AutoCloseable {
    /**
     * Where decisions are logged ({@code System.Logger} {@value #DECISION_LOGGER}): refusals at
     * {@code INFO}, so that they show in an application's log without setup, allowed calls at
     * {@code DEBUG}. Under the JDK's default logging configuration each refusal writes a line to
     * standard error (a few microseconds); set this logger to {@code WARNING} where refusals are
     * read from {@link #getViolations()} or an audit listener instead.
     */
    public static final String DECISION_LOGGER = "dev.ku0.sandbox.decisions";
    private static final System.Logger DECISIONS = System.getLogger(DECISION_LOGGER);

    /** Default capacity of the violation log. */
    public static final int DEFAULT_VIOLATION_CAPACITY = 10_000;

    private static final Cleaner CLEANER = Cleaner.create();
    private static final int TEXT_CAPACITY = 512;
    static final int STATUS_BUFFER_TOO_SMALL = NativeBinding.BUFFER_TOO_SMALL;
    private static final ObjectMapper ANALYSIS_JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Policy policy;
    private final Path workspace;
    private final Path home;
    private final ViolationLog violations;
    private final NativeBinding nb;
    private final NativeHandle engine;
    private final Cleaner.Cleanable cleanable;
    private final SandboxFiles files = new SandboxFiles(this);
    private volatile boolean closed;

    /**
     * A manager for {@code policy} with the workspace root {@code workspaceRoot} (the agent's
     * working directory; relative paths resolve against it) and {@code ~} meaning the user's home.
     *
     * @param policy the policy
     * @param workspaceRoot the workspace, an existing directory
     * @throws SandboxException with code {@code INVALID_POLICY} when the engine rejects the policy,
     *         {@code WORKSPACE_NOT_FOUND} when {@code workspaceRoot} is not an existing directory
     */
    public SandboxManager(Policy policy, String workspaceRoot) {
        this(builder(policy).workspace(Path.of(workspaceRoot)));
    }

    /**
     * Same as {@link #SandboxManager(Policy, String)}.
     *
     * @param policy the policy
     * @param workspaceRoot the workspace, an existing directory
     */
    public SandboxManager(Policy policy, Path workspaceRoot) {
        this(builder(policy).workspace(workspaceRoot));
    }

    private SandboxManager(Builder b) {
        this.policy = Objects.requireNonNull(b.policy, "policy");
        this.workspace = b.workspace.toAbsolutePath();
        this.home = b.home.toAbsolutePath();
        this.violations = new ViolationLog(b.violationCapacity);
        this.nb = b.binding != null ? b.binding : Bindings.get();
        byte[] json = policy.toJson().getBytes(StandardCharsets.UTF_8);
        byte[] ws = Utf8.encode(workspace.toString());
        byte[] hm = Utf8.encode(home.toString());
        if (ws == null || hm == null) {
            throw new SandboxException(SandboxException.Code.INVALID_ARGUMENT,
                    "workspace and home must be valid Unicode paths");
        }
        long[] out = new long[1];
        int status = nb.engineNew(json, ws, hm, out);
        if (status != NativeBinding.OK) {
            throw nativeError(nb, status);
        }
        // Calls in flight are counted in Java (the same for FFM and JNI): close() and the Cleaner
        // wait for them, so the engine is never freed while a check uses it.
        this.engine = new NativeHandle(out[0], nb::engineFree, "SandboxManager");
        this.cleanable = CLEANER.register(this, engine);
    }

    /**
     * {@return a builder for the less common settings (home directory, violation log capacity)}
     *
     * @param policy the policy
     */
    public static Builder builder(Policy policy) {
        return new Builder(policy);
    }

    /** Settings of a {@link SandboxManager}. */
    public static final class Builder {
        private final Policy policy;
        private Path workspace = Path.of("").toAbsolutePath();
        private Path home = Path.of(System.getProperty("user.home"));
        private int violationCapacity = DEFAULT_VIOLATION_CAPACITY;
        private NativeBinding binding;

        private Builder(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
        }

        /**
         * {@return the workspace root (default: the current directory)}
         *
         * @param workspace the workspace, an existing directory
         */
        public Builder workspace(Path workspace) {
            this.workspace = Objects.requireNonNull(workspace, "workspace");
            return this;
        }

        /**
         * {@return what {@code ~} means (default: {@code user.home})}
         *
         * @param home the directory {@code ~} stands for
         */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        /**
         * {@return how many violations the log keeps before dropping the oldest (default 10 000; 0 keeps none)}
         *
         * @param capacity how many violations the log keeps
         */
        public Builder violationCapacity(int capacity) {
            if (capacity < 0) throw new IllegalArgumentException("capacity must be >= 0");
            this.violationCapacity = capacity;
            return this;
        }

        /** The native binding to use instead of {@link Bindings#get()} (tests compare FFM and JNI). */
        Builder binding(NativeBinding binding) {
            this.binding = Objects.requireNonNull(binding, "binding");
            return this;
        }

        /**
         * Compiles the policy into a native engine.
         *
         * @return a manager with its own engine; close it when done
         */
        public SandboxManager build() {
            return new SandboxManager(this);
        }
    }

    // ---------------------------------------------------------------- files

    /**
     * The seed's check: {@code operation} is {@code read}, {@code write}, {@code delete}, ...
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     * @param operation the file operation, as in policy JSON ({@code "read"}, {@code "write"}, ...)
     * @return {@code true} when the access is allowed; otherwise records a violation
     */
    public boolean checkFileAccess(String path, String operation) {
        return checkFileAccess(path, FileOperation.fromName(operation));
    }

    /**
     * {@return {@code true} when the access is allowed; otherwise records a violation and returns {@code false}}
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     * @param operation the file operation, as in policy JSON ({@code "read"}, {@code "write"}, ...)
     */
    public boolean checkFileAccess(String path, FileOperation operation) {
        return evaluateFileAccess(FileAccess.of(path, operation)).allowed();
    }

    /**
     * {@return the decision for {@code operation} on {@code path}}
     *
     * @param path the path, relative to the workspace or absolute; {@code ~} is the home directory
     * @param operation the file operation, as in policy JSON ({@code "read"}, {@code "write"}, ...)
     */
    public Decision evaluateFileAccess(String path, FileOperation operation) {
        return evaluateFileAccess(FileAccess.of(path, operation));
    }

    /**
     * {@return the decision for a file access (with a destination, link target or size where needed)}
     *
     * @param access the file access
     */
    public Decision evaluateFileAccess(FileAccess access) {
        checkOpen();
        Decision d;
        byte[] path = Utf8.encode(access.path());
        byte[] other = access.other() == null ? null : Utf8.encode(access.other());
        if (path == null || (access.other() != null && other == null)) {
            d = Decision.deny(DecisionCode.INVALID_PATH, "path is not valid Unicode (unpaired surrogate)");
        } else {
            int op = access.operation().number();
            long size = access.size();
            d = callForDecision((h, out, text) -> nb.checkFile(h, path, op, other, size, out, text));
        }
        return recordIfRefused(d, ViolationType.FILESYSTEM, fileAction(access));
    }

    /** How a file access is shown in the violation log, e.g. {@code rename a -> b}. */
    static String fileAction(FileAccess access) {
        return access.operation().jsonName() + " " + access.path()
                + (access.other() == null ? "" : " -> " + access.other());
    }

    /**
     * {@return the enforcing file operations: each acts on exactly the paths a check allowed, through held
     * directory handles, and refuses when the file system changed after the check (see
     * {@link SandboxFiles})} Agents use them through {@link dev.ku0.sandbox.tools.FileOperationsTool}.
     */
    public SandboxFiles files() {
        checkOpen();
        return files;
    }

    /** The engine handle: {@link NativeHandle#acquire()} for a native call, then release. */
    NativeHandle engine() {
        return engine;
    }

    /** The native binding this manager uses. */
    NativeBinding binding() {
        return nb;
    }

    /** Records a refused file operation in the violation log. */
    Decision recordFileRefusal(Decision d, String action) {
        return recordIfRefused(d, ViolationType.FILESYSTEM, action);
    }

    // -------------------------------------------------------------- network

    /**
     * {@return the seed's check: {@code true} when the request is allowed; otherwise records a violation}
     *
     * @param url the URL
     * @param method the HTTP method
     */
    public boolean checkNetworkRequest(String url, String method) {
        return evaluateNetworkRequest(url, method).allowed();
    }

    /**
     * {@return the decision for a request, judged on the URL alone (names are not resolved)}
     *
     * @param url the URL
     * @param method the HTTP method
     */
    public Decision evaluateNetworkRequest(String url, String method) {
        return evaluateNetworkRequest(url, method, null);
    }

    /**
     * {@return the decision for a request whose host resolved to {@code resolved}: every address must be
     * allowed} Pass {@code null} to judge the URL alone.
     *
     * @param url the URL
     * @param method the HTTP method
     * @param resolved the addresses the host resolved to, or {@code null} to judge the URL alone
     */
    public Decision evaluateNetworkRequest(String url, String method, List<InetAddress> resolved) {
        checkOpen();
        byte[] u = Utf8.encode(url);
        byte[] m = Utf8.encode(method);
        Decision d;
        if (u == null || m == null) {
            d = Decision.deny(DecisionCode.INVALID_URL, "URL or method is not valid Unicode (unpaired surrogate)");
        } else {
            byte[] addrs = resolved == null ? null : NativeBinding.packAddresses(resolved);
            d = callForDecision((h, out, text) -> nb.checkNetwork(h, u, m, addrs, out, text));
        }
        return recordIfRefused(d, ViolationType.NETWORK, method + " " + url);
    }

    /**
     * Records a refusal that a tool decided around the manager's own checks (for example a redirect
     * that cannot be followed) in the violation log and passes it to the listeners, like the
     * manager's checks do. An allowing decision is not recorded. Returns {@code decision}.
     *
     * @param type the guard concerned
     * @param action what was refused, in words
     * @param decision the decision
     * @return {@code decision}
     */
    public Decision reportViolation(ViolationType type, String action, Decision decision) {
        checkOpen();
        return recordIfRefused(Objects.requireNonNull(decision, "decision"), Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(action, "action"));
    }

    // ------------------------------------------------------------- commands

    /**
     * {@return the seed's check: {@code true} when the command is allowed; otherwise records a violation}
     *
     * @param command the shell command, as bash would read it
     */
    public boolean checkCommand(String command) {
        return decideCommand(command).allowed();
    }

    /**
     * {@return the decision for a shell command with its findings and the effective commands (what would
     * really run)}
     *
     * @param command the shell command, as bash would read it
     */
    public CommandDecision evaluateCommand(String command) {
        checkOpen();
        byte[] c = Utf8.encode(command);
        CommandDecision result;
        if (c == null) {
            result = new CommandDecision(Verdict.DENY, DecisionCode.FORBIDDEN_CHARACTER,
                    "command is not valid Unicode (unpaired surrogate)", null, List.of(), List.of());
        } else {
            String json;
            long h = engine.acquire();
            try {
                long[] needed = new long[1];
                byte[] buf = new byte[Math.max(1024, 4 * c.length + 1024)];
                int status = nb.analyzeCommand(h, c, buf, needed);
                if (status == STATUS_BUFFER_TOO_SMALL) {
                    buf = new byte[Math.toIntExact(needed[0])];
                    status = nb.analyzeCommand(h, c, buf, needed);
                }
                if (status != NativeBinding.OK) throw nativeError(nb, status);
                json = new String(buf, 0, (int) needed[0], StandardCharsets.UTF_8);
            } finally {
                engine.release();
            }
            result = parseAnalysis(json, command, c);
        }
        recordIfRefused(result.decision(), ViolationType.COMMAND, command);
        return result;
    }

    private Decision decideCommand(String command) {
        checkOpen();
        byte[] c = Utf8.encode(command);
        Decision d;
        if (c == null) {
            d = Decision.deny(DecisionCode.FORBIDDEN_CHARACTER, "command is not valid Unicode (unpaired surrogate)");
        } else {
            d = callForDecision((h, out, text) -> nb.checkCommand(h, c, out, text));
        }
        return recordIfRefused(d, ViolationType.COMMAND, command);
    }

    private static CommandDecision parseAnalysis(String json, String command, byte[] utf8) {
        try {
            JsonNode n = ANALYSIS_JSON.readTree(json);
            Utf8.Offsets offsets = new Utf8.Offsets(command, utf8);
            List<CommandDecision.Finding> findings = new ArrayList<>();
            for (JsonNode f : n.path("findings")) {
                findings.add(new CommandDecision.Finding(Verdict.fromJsonName(f.path("verdict").asText()),
                        DecisionCode.fromName(f.path("code").asText()), f.path("message").asText(),
                        offsets.charIndex(f.path("span").path(0).asInt()), offsets.charIndex(f.path("span").path(1).asInt()),
                        strings(f.path("argv")), textOrNull(f.path("rule"))));
            }
            List<CommandDecision.EffectiveCommand> commands = new ArrayList<>();
            for (JsonNode c : n.path("commands")) {
                List<CommandDecision.Redirect> redirects = new ArrayList<>();
                for (JsonNode r : c.path("redirects")) {
                    redirects.add(new CommandDecision.Redirect(r.path("op").asText(), textOrNull(r.path("target"))));
                }
                commands.add(new CommandDecision.EffectiveCommand(strings(c.path("argv")), strings(c.path("wrappers")),
                        redirects, offsets.charIndex(c.path("span").path(0).asInt()),
                        offsets.charIndex(c.path("span").path(1).asInt())));
            }
            return new CommandDecision(Verdict.fromJsonName(n.path("verdict").asText()),
                    DecisionCode.fromName(n.path("code").asText()), n.path("reason").asText(),
                    textOrNull(n.path("rule")), findings, commands);
        } catch (java.io.IOException e) {
            throw new SandboxException(SandboxException.Code.UNKNOWN, "unreadable command analysis from the native library", e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array) out.add(s.isNull() ? null : s.asText());
        return java.util.Collections.unmodifiableList(out);
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    // ------------------------------------------------------------- execution

    /**
     * Runs a shell command (with {@code bash -c}) under OS enforcement derived from the policy.
     * The command validator decides first: {@code deny} is never run, {@code ask} runs only with
     * {@link ExecOptions#approveAsk()}. The {@code sandbox-exec} helper then confines the process
     * (Landlock, seccomp, namespaces, rlimits, network proxy, time limit) and execs it.
     *
     * @param command the shell command, as bash would read it
     * @param options how the command runs
     * @return the exit status, the captured output, the enforcement report and the decision
     * @throws SandboxViolationException when the validator refuses the command
     * @throws SandboxException          with code {@code UNSUPPORTED} where the helper is not available
     */
    public ExecResult exec(String command, ExecOptions options) {
        CommandDecision d = evaluateCommand(command);
        requireRunnable(command, d, options);
        String shell = java.nio.file.Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "/bin/sh";
        return CommandRunner.run(this, List.of(shell, "-c", command), d, options, false);
    }

    /**
     * {@link #exec(String, ExecOptions)} with {@link ExecOptions#DEFAULTS}.
     *
     * @param command the shell command, as bash would read it
     * @return the exit status, the captured output, the enforcement report and the decision
     */
    public ExecResult exec(String command) {
        return exec(command, ExecOptions.DEFAULTS);
    }

    /**
     * Runs {@code argv} directly (no shell) under OS enforcement. The validator judges the
     * words as a shell would see them quoted.
     *
     * @param argv the program and its arguments
     * @param options how the command runs
     * @return the exit status, the captured output, the enforcement report and the decision
     */
    public ExecResult exec(List<String> argv, ExecOptions options) {
        if (argv.isEmpty()) throw new IllegalArgumentException("argv is empty");
        String quoted = CommandRunner.shellQuote(argv);
        CommandDecision d = evaluateCommand(quoted);
        requireRunnable(quoted, d, options);
        return CommandRunner.run(this, List.copyOf(argv), d, options, false);
    }

    /**
     * For command-line front ends: like {@link #exec(List, ExecOptions)} but the command shares
     * this process's stdin, stdout and stderr (nothing is captured).
     *
     * @param argv the program and its arguments
     * @param checkedAs the command text the validator judged
     * @param options how the command runs
     * @return the exit status, the enforcement report and the decision (no output: it went to this process)
     */
    public ExecResult execInheritingIo(List<String> argv, String checkedAs, ExecOptions options) {
        CommandDecision d = evaluateCommand(checkedAs);
        requireRunnable(checkedAs, d, options);
        return CommandRunner.run(this, List.copyOf(argv), d, options, true);
    }

    private static void requireRunnable(String command, CommandDecision d, ExecOptions o) {
        if (d.verdict() == Verdict.DENY || (d.verdict() == Verdict.ASK && !o.approveAsk())) {
            throw new SandboxViolationException("running " + command, d.decision());
        }
    }

    void record(Violation v) {
        violations.record(v);
    }

    // ----------------------------------------------------------- violations

    /** {@return an immutable copy of the recorded violations, oldest first} */
    public List<Violation> getViolations() {
        checkOpen();
        return violations.snapshot();
    }

    /** Forgets the recorded violations (the dropped count is kept). */
    public void clearViolations() {
        checkOpen();
        violations.clear();
    }

    /** {@return how many violations were dropped because the log was full} */
    public long droppedViolations() {
        return violations.dropped();
    }

    /** {@return the capacity of the violation log} */
    public int violationCapacity() {
        return violations.capacity();
    }

    /**
     * Calls {@code listener} with every violation, on the thread that made the decision. A listener
     * that throws is logged and otherwise ignored.
     *
     * @param listener the listener
     */
    public void addViolationListener(Consumer<? super Violation> listener) {
        violations.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener added with {@link #addViolationListener(Consumer)}.
     *
     * @param listener the listener
     * @return {@code true} when the listener was registered
     */
    public boolean removeViolationListener(Consumer<? super Violation> listener) {
        return violations.removeListener(listener);
    }

    // ---------------------------------------------------------------- state

    /** {@return the policy this manager enforces} */
    public Policy policy() {
        return policy;
    }

    /** {@return the absolute workspace root} */
    public Path workspace() {
        return workspace;
    }

    /** {@return what {@code ~} means} */
    public Path home() {
        return home;
    }

    /** {@return whether {@link #close()} was called} */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Frees the native engine. Waits for checks that other threads are running to finish; every
     * later call throws {@link IllegalStateException}. Closing twice is harmless.
     */
    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this SandboxManager is closed");
        }
    }

    private Decision recordIfRefused(Decision d, ViolationType type, String action) {
        if (!d.allowed()) {
            violations.record(new Violation(type, action, d.reason(), d.code(), d.verdict(), Instant.now()));
        }
        // Refusals at INFO, allowed calls at DEBUG; isLoggable first so that a disabled level costs
        // no formatting on the check path.
        System.Logger.Level level = d.allowed() ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
        if (DECISIONS.isLoggable(level)) {
            DECISIONS.log(level, type.name().toLowerCase(java.util.Locale.ROOT) + " " + d.verdict().name()
                    .toLowerCase(java.util.Locale.ROOT) + " " + d.code() + ": " + action
                    + (d.allowed() ? "" : " (" + d.reason() + ")"));
        }
        return d;
    }

    @FunctionalInterface
    private interface DecisionCall {
        int call(long engine, int[] out, byte[] text);
    }

    /** Runs a check on the engine, retrying once with the text room the library asks for. */
    private Decision callForDecision(DecisionCall call) {
        int[] out = new int[4];
        byte[] text = new byte[TEXT_CAPACITY];
        long h = engine.acquire();
        try {
            int status = call.call(h, out, text);
            if (status == STATUS_BUFFER_TOO_SMALL) {
                text = new byte[out[2] + out[3]];
                status = call.call(h, out, text);
            }
            if (status != NativeBinding.OK) throw nativeError(nb, status);
        } finally {
            engine.release();
        }
        return decode(out, text);
    }

    /** A decision from its fixed part ({@code verdict, code, reason_len, rule_len}) and text. */
    static Decision decode(int[] out, byte[] text) {
        int reasonLen = out[2];
        int ruleLen = out[3];
        String reason = new String(text, 0, reasonLen, StandardCharsets.UTF_8);
        String rule = ruleLen == 0 ? null : new String(text, reasonLen, ruleLen, StandardCharsets.UTF_8);
        return new Decision(Verdict.fromNative(out[0]), DecisionCode.fromNumber(out[1]), reason, rule);
    }

    /** The thread's last native error as an exception; call right after the failed call. */
    static SandboxException nativeError(NativeBinding nb, int status) {
        return new SandboxException(SandboxException.Code.fromNumber(status), nb.lastErrorMessage());
    }
}
