package dev.ku0.sandbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ku0.sandbox.bindings.SandboxNative;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
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
 * <p>The JVM must run with {@code --enable-native-access=ALL-UNNAMED} (or the module name).
 */
public final class SandboxManager implements AutoCloseable {
    /** Default capacity of the violation log. */
    public static final int DEFAULT_VIOLATION_CAPACITY = 10_000;

    private static final Cleaner CLEANER = Cleaner.create();
    private static final int TEXT_CAPACITY = 512;
    static final int STATUS_BUFFER_TOO_SMALL = 3;
    private static final ObjectMapper ANALYSIS_JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Policy policy;
    private final Path workspace;
    private final Path home;
    private final ViolationLog violations;
    private final MemorySegment engine;
    private final Cleaner.Cleanable cleanable;
    private final SandboxFiles files = new SandboxFiles(this);
    private volatile boolean closed;

    /**
     * A manager for {@code policy} with the workspace root {@code workspaceRoot} (the agent's
     * working directory; relative paths resolve against it) and {@code ~} meaning the user's home.
     *
     * @throws SandboxException with code {@code INVALID_POLICY} when the engine rejects the policy,
     *         {@code WORKSPACE_NOT_FOUND} when {@code workspaceRoot} is not an existing directory
     */
    public SandboxManager(Policy policy, String workspaceRoot) {
        this(builder(policy).workspace(Path.of(workspaceRoot)));
    }

    /** Same as {@link #SandboxManager(Policy, String)}. */
    public SandboxManager(Policy policy, Path workspaceRoot) {
        this(builder(policy).workspace(workspaceRoot));
    }

    private SandboxManager(Builder b) {
        this.policy = Objects.requireNonNull(b.policy, "policy");
        this.workspace = b.workspace.toAbsolutePath();
        this.home = b.home.toAbsolutePath();
        this.violations = new ViolationLog(b.violationCapacity);
        Arena arena = Arena.ofShared();
        try (Arena call = Arena.ofConfined()) {
            byte[] json = policy.toJson().getBytes(StandardCharsets.UTF_8);
            byte[] ws = Utf8.encode(workspace.toString());
            byte[] hm = Utf8.encode(home.toString());
            if (ws == null || hm == null) {
                throw new SandboxException(SandboxException.Code.INVALID_ARGUMENT,
                        "workspace and home must be valid Unicode paths");
            }
            MemorySegment out = call.allocate(ValueLayout.ADDRESS);
            int status = SandboxNative.engineNew(bytes(call, json), json.length, bytes(call, ws), ws.length,
                    bytes(call, hm), hm.length, out);
            if (status != SandboxNative.OK) {
                throw nativeError(status);
            }
            // The handle lives in a shared arena: closing it frees the engine, and the FFM runtime
            // refuses to close it while a downcall on another thread still uses the handle.
            this.engine = out.get(ValueLayout.ADDRESS, 0).reinterpret(arena, SandboxNative::engineFree);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        this.cleanable = CLEANER.register(this, new ArenaCloser(arena));
    }

    /** A builder for the less common settings (home directory, violation log capacity). */
    public static Builder builder(Policy policy) {
        return new Builder(policy);
    }

    /** Settings of a {@link SandboxManager}. */
    public static final class Builder {
        private final Policy policy;
        private Path workspace = Path.of("").toAbsolutePath();
        private Path home = Path.of(System.getProperty("user.home"));
        private int violationCapacity = DEFAULT_VIOLATION_CAPACITY;

        private Builder(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
        }

        /** The workspace root (default: the current directory). */
        public Builder workspace(Path workspace) {
            this.workspace = Objects.requireNonNull(workspace, "workspace");
            return this;
        }

        /** What {@code ~} means (default: {@code user.home}). */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        /** How many violations the log keeps before dropping the oldest (default 10 000; 0 keeps none). */
        public Builder violationCapacity(int capacity) {
            if (capacity < 0) throw new IllegalArgumentException("capacity must be >= 0");
            this.violationCapacity = capacity;
            return this;
        }

        /** Compiles the policy into a native engine. */
        public SandboxManager build() {
            return new SandboxManager(this);
        }
    }

    // ---------------------------------------------------------------- files

    /** The seed's check: {@code operation} is {@code read}, {@code write}, {@code delete}, ... */
    public boolean checkFileAccess(String path, String operation) {
        return checkFileAccess(path, FileOperation.fromName(operation));
    }

    /** {@code true} when the access is allowed; otherwise records a violation and returns {@code false}. */
    public boolean checkFileAccess(String path, FileOperation operation) {
        return evaluateFileAccess(FileAccess.of(path, operation)).allowed();
    }

    /** The decision for {@code operation} on {@code path}. */
    public Decision evaluateFileAccess(String path, FileOperation operation) {
        return evaluateFileAccess(FileAccess.of(path, operation));
    }

    /** The decision for a file access (with a destination, link target or size where needed). */
    public Decision evaluateFileAccess(FileAccess access) {
        MemorySegment handle = handle();
        Decision d;
        byte[] path = Utf8.encode(access.path());
        byte[] other = access.other() == null ? null : Utf8.encode(access.other());
        if (path == null || (access.other() != null && other == null)) {
            d = Decision.deny(DecisionCode.INVALID_PATH, "path is not valid Unicode (unpaired surrogate)");
        } else {
            long olen = other == null ? 0 : other.length;
            try (Arena a = Arena.ofConfined()) {
                SegmentAllocator s = scratch(a, path.length + olen);
                MemorySegment p = bytes(s, path);
                MemorySegment o = other == null ? MemorySegment.NULL : bytes(s, other);
                d = callForDecision(a, s, (out, text, cap) -> SandboxNative.checkFile(handle, p, path.length,
                        access.operation().number(), o, olen, access.size(), out, text, cap));
            }
        }
        return recordIfRefused(d, ViolationType.FILESYSTEM, fileAction(access));
    }

    /** How a file access is shown in the violation log, e.g. {@code rename a -> b}. */
    static String fileAction(FileAccess access) {
        return access.operation().jsonName() + " " + access.path()
                + (access.other() == null ? "" : " -> " + access.other());
    }

    /**
     * The enforcing file operations: each acts on exactly the paths a check allowed, through held
     * directory handles, and refuses when the file system changed after the check (see
     * {@link SandboxFiles}). Agents use them through {@link dev.ku0.sandbox.tools.FileOperationsTool}.
     */
    public SandboxFiles files() {
        handle();
        return files;
    }

    /** The engine handle for a native call; throws when the manager is closed. */
    MemorySegment engineHandle() {
        return handle();
    }

    /** Records a refused file operation in the violation log. */
    Decision recordFileRefusal(Decision d, String action) {
        return recordIfRefused(d, ViolationType.FILESYSTEM, action);
    }

    // -------------------------------------------------------------- network

    /** The seed's check: {@code true} when the request is allowed; otherwise records a violation. */
    public boolean checkNetworkRequest(String url, String method) {
        return evaluateNetworkRequest(url, method).allowed();
    }

    /** The decision for a request, judged on the URL alone (names are not resolved). */
    public Decision evaluateNetworkRequest(String url, String method) {
        return evaluateNetworkRequest(url, method, null);
    }

    /**
     * The decision for a request whose host resolved to {@code resolved}: every address must be
     * allowed. Pass {@code null} to judge the URL alone.
     */
    public Decision evaluateNetworkRequest(String url, String method, List<InetAddress> resolved) {
        MemorySegment handle = handle();
        byte[] u = Utf8.encode(url);
        byte[] m = Utf8.encode(method);
        Decision d;
        if (u == null || m == null) {
            d = Decision.deny(DecisionCode.INVALID_URL, "URL or method is not valid Unicode (unpaired surrogate)");
        } else {
            byte[] addrs = resolved == null ? null : SandboxNative.packAddresses(resolved);
            // The network check is a critical call: heap memory goes straight to the library.
            d = callForDecisionOnHeap((out, text, cap) -> SandboxNative.checkNetwork(handle,
                    MemorySegment.ofArray(u), u.length, MemorySegment.ofArray(m), m.length,
                    addrs == null ? MemorySegment.NULL : MemorySegment.ofArray(addrs), addrs == null ? 0 : addrs.length,
                    out, text, cap));
        }
        return recordIfRefused(d, ViolationType.NETWORK, method + " " + url);
    }

    /**
     * Records a refusal that a tool decided around the manager's own checks (for example a redirect
     * that cannot be followed) in the violation log and passes it to the listeners, like the
     * manager's checks do. An allowing decision is not recorded. Returns {@code decision}.
     */
    public Decision reportViolation(ViolationType type, String action, Decision decision) {
        handle();
        return recordIfRefused(Objects.requireNonNull(decision, "decision"), Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(action, "action"));
    }

    // ------------------------------------------------------------- commands

    /** The seed's check: {@code true} when the command is allowed; otherwise records a violation. */
    public boolean checkCommand(String command) {
        return decideCommand(command).allowed();
    }

    /**
     * The decision for a shell command with its findings and the effective commands (what would
     * really run).
     */
    public CommandDecision evaluateCommand(String command) {
        MemorySegment handle = handle();
        byte[] c = Utf8.encode(command);
        CommandDecision result;
        if (c == null) {
            result = new CommandDecision(Verdict.DENY, DecisionCode.FORBIDDEN_CHARACTER,
                    "command is not valid Unicode (unpaired surrogate)", null, List.of(), List.of());
        } else {
            String json;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment cmd = bytes(a, c);
                MemorySegment needed = a.allocate(ValueLayout.JAVA_LONG);
                long cap = Math.max(1024, 4L * c.length + 1024);
                MemorySegment buf = a.allocate(cap);
                int status = SandboxNative.analyzeCommand(handle, cmd, c.length, buf, cap, needed);
                if (status == STATUS_BUFFER_TOO_SMALL) {
                    cap = needed.get(ValueLayout.JAVA_LONG, 0);
                    buf = a.allocate(cap);
                    status = SandboxNative.analyzeCommand(handle, cmd, c.length, buf, cap, needed);
                }
                if (status != SandboxNative.OK) throw nativeError(status);
                json = SandboxNative.utf8(buf, 0, needed.get(ValueLayout.JAVA_LONG, 0));
            }
            result = parseAnalysis(json, command, c);
        }
        recordIfRefused(result.decision(), ViolationType.COMMAND, command);
        return result;
    }

    private Decision decideCommand(String command) {
        MemorySegment handle = handle();
        byte[] c = Utf8.encode(command);
        Decision d;
        if (c == null) {
            d = Decision.deny(DecisionCode.FORBIDDEN_CHARACTER, "command is not valid Unicode (unpaired surrogate)");
        } else {
            try (Arena a = Arena.ofConfined()) {
                SegmentAllocator s = scratch(a, c.length);
                MemorySegment cmd = bytes(s, c);
                d = callForDecision(a, s, (out, text, cap) -> SandboxNative.checkCommand(handle, cmd, c.length, out, text, cap));
            }
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
     * @throws SandboxViolationException when the validator refuses the command
     * @throws SandboxException          with code {@code UNSUPPORTED} where the helper is not available
     */
    public ExecResult exec(String command, ExecOptions options) {
        CommandDecision d = evaluateCommand(command);
        requireRunnable(command, d, options);
        String shell = java.nio.file.Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "/bin/sh";
        return CommandRunner.run(this, List.of(shell, "-c", command), d, options, false);
    }

    /** {@link #exec(String, ExecOptions)} with {@link ExecOptions#DEFAULTS}. */
    public ExecResult exec(String command) {
        return exec(command, ExecOptions.DEFAULTS);
    }

    /**
     * Runs {@code argv} directly (no shell) under OS enforcement. The validator judges the
     * words as a shell would see them quoted.
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

    /** An immutable copy of the recorded violations, oldest first. */
    public List<Violation> getViolations() {
        handle();
        return violations.snapshot();
    }

    /** Forgets the recorded violations (the dropped count is kept). */
    public void clearViolations() {
        handle();
        violations.clear();
    }

    /** How many violations were dropped because the log was full. */
    public long droppedViolations() {
        return violations.dropped();
    }

    /** The capacity of the violation log. */
    public int violationCapacity() {
        return violations.capacity();
    }

    /**
     * Calls {@code listener} with every violation, on the thread that made the decision. A listener
     * that throws is logged and otherwise ignored.
     */
    public void addViolationListener(Consumer<? super Violation> listener) {
        violations.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added with {@link #addViolationListener(Consumer)}. */
    public boolean removeViolationListener(Consumer<? super Violation> listener) {
        return violations.removeListener(listener);
    }

    // ---------------------------------------------------------------- state

    /** The policy this manager enforces. */
    public Policy policy() {
        return policy;
    }

    /** The absolute workspace root. */
    public Path workspace() {
        return workspace;
    }

    /** What {@code ~} means. */
    public Path home() {
        return home;
    }

    /** Whether {@link #close()} was called. */
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

    private MemorySegment handle() {
        if (closed) {
            throw new IllegalStateException("this SandboxManager is closed");
        }
        return engine;
    }

    private Decision recordIfRefused(Decision d, ViolationType type, String action) {
        if (!d.allowed()) {
            violations.record(new Violation(type, action, d.reason(), d.code(), d.verdict(), Instant.now()));
        }
        return d;
    }

    @FunctionalInterface
    private interface DecisionCall {
        int call(MemorySegment out, MemorySegment text, long cap);
    }

    /** Runs a check with native scratch memory, retrying once with the size the library asks for. */
    /**
     * One native block for a call's inputs ({@code inputBytes}), its decision struct and its text
     * buffer: a single allocation instead of one for each.
     */
    private static SegmentAllocator scratch(Arena a, long inputBytes) {
        long size = inputBytes + SandboxNative.DECISION.byteSize() + TEXT_CAPACITY + SandboxNative.DECISION.byteAlignment();
        return SegmentAllocator.slicingAllocator(a.allocate(size, SandboxNative.DECISION.byteAlignment()));
    }

    /** Calls {@code call} with a decision struct and text buffer from {@code s}; a retry takes more from {@code a}. */
    private Decision callForDecision(Arena a, SegmentAllocator s, DecisionCall call) {
        MemorySegment out = s.allocate(SandboxNative.DECISION);
        MemorySegment text = s.allocate(TEXT_CAPACITY);
        int status = call.call(out, text, TEXT_CAPACITY);
        if (status == STATUS_BUFFER_TOO_SMALL) {
            long need = (long) SandboxNative.reasonLength(out) + SandboxNative.ruleLength(out);
            text = a.allocate(need);
            status = call.call(out, text, need);
        }
        if (status != SandboxNative.OK) throw nativeError(status);
        return decode(out, text);
    }

    /** Same as {@link #callForDecision} on heap memory, for critical downcalls. */
    private Decision callForDecisionOnHeap(DecisionCall call) {
        MemorySegment out = MemorySegment.ofArray(new int[4]);
        MemorySegment text = MemorySegment.ofArray(new byte[TEXT_CAPACITY]);
        int status = call.call(out, text, TEXT_CAPACITY);
        if (status == STATUS_BUFFER_TOO_SMALL) {
            int need = SandboxNative.reasonLength(out) + SandboxNative.ruleLength(out);
            text = MemorySegment.ofArray(new byte[need]);
            status = call.call(out, text, need);
        }
        if (status != SandboxNative.OK) throw nativeError(status);
        return decode(out, text);
    }

    static Decision decode(MemorySegment out, MemorySegment text) {
        int reasonLen = SandboxNative.reasonLength(out);
        int ruleLen = SandboxNative.ruleLength(out);
        String reason = SandboxNative.utf8(text, 0, reasonLen);
        String rule = ruleLen == 0 ? null : SandboxNative.utf8(text, reasonLen, ruleLen);
        return new Decision(Verdict.fromNative(SandboxNative.verdict(out)),
                DecisionCode.fromNumber(SandboxNative.code(out)), reason, rule);
    }

    static SandboxException nativeError(int status) {
        SandboxNative.NativeError e = SandboxNative.lastError();
        return new SandboxException(SandboxException.Code.fromNumber(status), e.message());
    }

    /** {@code b} in native memory from {@code a}; NULL for no bytes (the C ABI takes NULL with length 0). */
    static MemorySegment bytes(SegmentAllocator a, byte[] b) {
        return b.length == 0 ? MemorySegment.NULL : a.allocateFrom(ValueLayout.JAVA_BYTE, b);
    }

    /** Closes the engine's arena; retries while another thread's downcall still holds it. */
    record ArenaCloser(Arena arena) implements Runnable {
        @Override
        public void run() {
            while (true) {
                try {
                    arena.close();
                    return;
                } catch (IllegalStateException inUse) {
                    if (!arena.scope().isAlive()) return;
                    Thread.onSpinWait();
                    Thread.yield();
                }
            }
        }
    }
}
