package dev.ku0.sandbox.bindings.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ku0.sandbox.bindings.NativeBinding;
import dev.ku0.sandbox.bindings.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One static method per C function of {@code include/sandbox_rs.h}.
 *
 * <p>C types map as: {@code uint32_t}/{@code int32_t} to {@code int}, {@code int64_t} and
 * {@code size_t} to {@code long} (64-bit platforms only), pointers to {@link MemorySegment}.
 * {@link #DESCRIPTORS} lists every downcall descriptor; a test compares it with the committed
 * header so that the two cannot drift apart.
 *
 * <p>These are raw calls: callers own the memory they pass, check status codes and read the
 * thread's last error ({@link #lastError()}) right after a failed call, on the same thread.
 */
public final class SandboxNative {
    /** The C ABI version these bindings were written for ({@code SANDBOX_ABI_VERSION}). */
    public static final int ABI_VERSION = 2;
    /** Status of a successful call ({@code SANDBOX_OK}). */
    public static final int OK = 0;

    /** Layout of {@code SandboxDecision}. */
    public static final StructLayout DECISION = MemoryLayout.structLayout(
            JAVA_INT.withName("verdict"),
            JAVA_INT.withName("code"),
            JAVA_INT.withName("reason_len"),
            JAVA_INT.withName("rule_len")).withName("SandboxDecision");

    private static final VarHandle VERDICT = field("verdict");
    private static final VarHandle CODE = field("code");
    private static final VarHandle REASON_LEN = field("reason_len");
    private static final VarHandle RULE_LEN = field("rule_len");

    /** Every downcall, by C name, in header order. */
    public static final Map<String, FunctionDescriptor> DESCRIPTORS;

    static {
        Map<String, FunctionDescriptor> d = new LinkedHashMap<>();
        d.put("sandbox_abi_version", FunctionDescriptor.of(JAVA_INT));
        d.put("sandbox_engine_new", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
        d.put("sandbox_engine_free", FunctionDescriptor.ofVoid(ADDRESS));
        d.put("sandbox_check_file", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
        d.put("sandbox_check_network", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
        d.put("sandbox_check_command", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
        d.put("sandbox_analyze_command", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
        d.put("sandbox_file_authorize", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        d.put("sandbox_file_authorization_free", FunctionDescriptor.ofVoid(ADDRESS));
        d.put("sandbox_file_open_read", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        d.put("sandbox_file_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        d.put("sandbox_file_close", FunctionDescriptor.ofVoid(ADDRESS));
        d.put("sandbox_file_write", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
        d.put("sandbox_file_create_dir", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        d.put("sandbox_file_delete", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        d.put("sandbox_file_rename", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        d.put("sandbox_file_list", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        d.put("sandbox_network_target", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
        d.put("sandbox_last_error_code", FunctionDescriptor.of(JAVA_INT));
        d.put("sandbox_last_error_message", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
        d.put("sandbox_decision_code_name", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        d.put("sandbox_selftest_panic", FunctionDescriptor.of(JAVA_INT));
        DESCRIPTORS = Collections.unmodifiableMap(d);
    }

    private SandboxNative() {}

    /** Downcall handles, bound on first use so that the descriptors can be inspected without the library. */
    private static final class H {
        static final MethodHandle ABI_VERSION = bind("sandbox_abi_version");
        static final MethodHandle ENGINE_NEW = bind("sandbox_engine_new");
        static final MethodHandle ENGINE_FREE = bind("sandbox_engine_free");
        static final MethodHandle CHECK_FILE = bind("sandbox_check_file");
        // Network checks are pure computation on bounded input: no file system,
        // no blocking, so they may run as critical calls on heap memory.
        static final MethodHandle CHECK_NETWORK = bind("sandbox_check_network", Linker.Option.critical(true));
        static final MethodHandle CHECK_COMMAND = bind("sandbox_check_command");
        static final MethodHandle ANALYZE_COMMAND = bind("sandbox_analyze_command");
        // The file operations touch the file system: never critical calls.
        static final MethodHandle FILE_AUTHORIZE = bind("sandbox_file_authorize");
        static final MethodHandle FILE_AUTHORIZATION_FREE = bind("sandbox_file_authorization_free");
        static final MethodHandle FILE_OPEN_READ = bind("sandbox_file_open_read");
        static final MethodHandle FILE_READ = bind("sandbox_file_read");
        static final MethodHandle FILE_CLOSE = bind("sandbox_file_close");
        static final MethodHandle FILE_WRITE = bind("sandbox_file_write");
        static final MethodHandle FILE_CREATE_DIR = bind("sandbox_file_create_dir");
        static final MethodHandle FILE_DELETE = bind("sandbox_file_delete");
        static final MethodHandle FILE_RENAME = bind("sandbox_file_rename");
        static final MethodHandle FILE_LIST = bind("sandbox_file_list");
        static final MethodHandle NETWORK_TARGET = bind("sandbox_network_target");
        static final MethodHandle LAST_ERROR_CODE = bind("sandbox_last_error_code");
        static final MethodHandle LAST_ERROR_MESSAGE = bind("sandbox_last_error_message");
        static final MethodHandle DECISION_CODE_NAME = bind("sandbox_decision_code_name");
        static final MethodHandle SELFTEST_PANIC = bind("sandbox_selftest_panic");

        static {
            int v;
            try {
                v = (int) ABI_VERSION.invokeExact();
            } catch (Throwable t) {
                throw new ExceptionInInitializerError(t);
            }
            if (v != SandboxNative.ABI_VERSION) {
                throw new UnsatisfiedLinkError("native library " + NativeLibrary.load().library()
                        + " has C ABI version " + v + " but these bindings need " + SandboxNative.ABI_VERSION
                        + "; use the sandbox-native JAR of the same release as sandbox-bindings");
            }
        }
    }

    /** The library's symbols, opened on first use. */
    private static final class Lib {
        static final SymbolLookup LOOKUP = SymbolLookup.libraryLookup(NativeLibrary.load().library(), Arena.global());
    }

    /**
     * The symbol lookup of the loaded library, opened on first use.
     *
     * @return the lookup of the verified library file
     * @throws UnsatisfiedLinkError when the library cannot be found or verified
     */
    public static SymbolLookup lookup() {
        return Lib.LOOKUP;
    }

    private static MethodHandle bind(String name, Linker.Option... options) {
        MemorySegment symbol = lookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                "symbol " + name + " is missing from " + NativeLibrary.load().library()
                        + "; the native library and the bindings come from different releases"));
        return Linker.nativeLinker().downcallHandle(symbol, DESCRIPTORS.get(name), options);
    }

    private static VarHandle field(String name) {
        return DECISION.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("native call failed", t);
    }

    // One downcall shape: invokeExact declares Throwable, which every wrapper turns into an
    // unchecked exception (an Error stays an Error). The lambdas are small and inlined with the
    // helper, so the JIT removes them: the hot path is the same as a try/catch at each call site
    // (bench/ BoundaryBenchmark measures it). A void call needs a block body: as an expression
    // body, invokeExact would be typed to return Object and fail with WrongMethodTypeException.
    @FunctionalInterface
    private interface IntCall {
        int call() throws Throwable;
    }

    @FunctionalInterface
    private interface LongCall {
        long call() throws Throwable;
    }

    @FunctionalInterface
    private interface VoidCall {
        void call() throws Throwable;
    }

    private static int callInt(IntCall c) {
        try {
            return c.call();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static long callLong(LongCall c) {
        try {
            return c.call();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void callVoid(VoidCall c) {
        try {
            c.call();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Makes sure the library is loaded and ABI-compatible.
     *
     * @throws UnsatisfiedLinkError when the library is missing, fails verification or has another
     *     ABI version
     */
    public static void ensureLoaded() {
        abiVersion();
    }

    /**
     * {@code sandbox_abi_version}.
     *
     * @return the C ABI version of the loaded library, {@link #ABI_VERSION} once loading succeeded
     */
    public static int abiVersion() {
        return callInt(() -> (int) H.ABI_VERSION.invokeExact());
    }

    /**
     * {@code sandbox_engine_new}: compiles a policy into an engine for a workspace and a home.
     *
     * @param policy the policy as UTF-8 JSON
     * @param policyLen the length of {@code policy} in bytes
     * @param workspace the workspace directory, an absolute path in UTF-8
     * @param workspaceLen the length of {@code workspace} in bytes
     * @param home the home directory, an absolute path in UTF-8
     * @param homeLen the length of {@code home} in bytes
     * @param out room for one pointer; receives the engine handle on success
     * @return {@link #OK}, or the status of the failure (see {@link #lastError()})
     */
    public static int engineNew(MemorySegment policy, long policyLen, MemorySegment workspace, long workspaceLen,
                                MemorySegment home, long homeLen, MemorySegment out) {
        return callInt(() -> (int) H.ENGINE_NEW.invokeExact(policy, policyLen, workspace, workspaceLen, home, homeLen,
                out));
    }

    /**
     * {@code sandbox_engine_free}: frees an engine; the handle must not be used afterwards.
     *
     * @param engine a live engine handle that no other thread is using, or {@code NULL} (ignored)
     */
    public static void engineFree(MemorySegment engine) {
        callVoid(() -> { H.ENGINE_FREE.invokeExact(engine); });
    }

    /**
     * {@code sandbox_check_file}: decides a file access without touching the file.
     *
     * @param engine a live engine handle from {@link #engineNew}
     * @param path the path, UTF-8, relative to the workspace or absolute
     * @param pathLen the length of {@code path} in bytes
     * @param operation the file operation number in declaration order (read = 0 ... execute = 9)
     * @param other the rename destination or link target, UTF-8, or {@code NULL} when absent
     * @param otherLen the length of {@code other} in bytes, 0 when absent
     * @param size the byte size of a write, or a negative number when unknown
     * @param out a {@link #DECISION} segment that receives the decision
     * @param text receives the reason and then the rule, UTF-8, when they fit
     * @param textCap the size of {@code text} in bytes
     * @return {@link #OK}, {@code BUFFER_TOO_SMALL} (the verdict and code in {@code out} are valid,
     *     the text was not written), or the status of a failure (see {@link #lastError()})
     */
    public static int checkFile(MemorySegment engine, MemorySegment path, long pathLen, int operation,
                                MemorySegment other, long otherLen, long size,
                                MemorySegment out, MemorySegment text, long textCap) {
        return callInt(() -> (int) H.CHECK_FILE.invokeExact(engine, path, pathLen, operation, other, otherLen, size,
                out, text, textCap));
    }

    /**
     * {@code sandbox_check_network}: decides a network request. A critical call: the
     * segments may be heap segments.
     *
     * @param engine a live engine handle from {@link #engineNew}
     * @param url the URL, UTF-8
     * @param urlLen the length of {@code url} in bytes
     * @param method the HTTP method, UTF-8 (such as {@code GET})
     * @param methodLen the length of {@code method} in bytes
     * @param addresses the resolved addresses as {@link NativeBinding#packAddresses} makes them,
     *     or {@code NULL} when the host was not resolved
     * @param addressesLen the length of {@code addresses} in bytes, 0 with {@code NULL}
     * @param out a {@link #DECISION} segment that receives the decision
     * @param text receives the reason and then the rule, UTF-8, when they fit
     * @param textCap the size of {@code text} in bytes
     * @return {@link #OK}, {@code BUFFER_TOO_SMALL} (the verdict and code in {@code out} are valid,
     *     the text was not written), or the status of a failure (see {@link #lastError()})
     */
    public static int checkNetwork(MemorySegment engine, MemorySegment url, long urlLen, MemorySegment method,
                                   long methodLen, MemorySegment addresses, long addressesLen,
                                   MemorySegment out, MemorySegment text, long textCap) {
        return callInt(() -> (int) H.CHECK_NETWORK.invokeExact(engine, url, urlLen, method, methodLen, addresses,
                addressesLen, out, text, textCap));
    }

    /**
     * {@code sandbox_check_command}: decides a shell command.
     *
     * @param engine a live engine handle from {@link #engineNew}
     * @param command the command line, UTF-8
     * @param commandLen the length of {@code command} in bytes
     * @param out a {@link #DECISION} segment that receives the decision
     * @param text receives the reason and then the rule, UTF-8, when they fit
     * @param textCap the size of {@code text} in bytes
     * @return {@link #OK}, {@code BUFFER_TOO_SMALL} (the verdict and code in {@code out} are valid,
     *     the text was not written), or the status of a failure (see {@link #lastError()})
     */
    public static int checkCommand(MemorySegment engine, MemorySegment command, long commandLen,
                                   MemorySegment out, MemorySegment text, long textCap) {
        return callInt(() -> (int) H.CHECK_COMMAND.invokeExact(engine, command, commandLen, out, text, textCap));
    }

    /**
     * {@code sandbox_analyze_command}: the full analysis of a shell command (decision,
     * findings, effective commands) as JSON.
     *
     * @param engine a live engine handle from {@link #engineNew}
     * @param command the command line, UTF-8
     * @param commandLen the length of {@code command} in bytes
     * @param buf receives the UTF-8 JSON when it fits; {@code NULL} with {@code cap} 0 asks for the
     *     size
     * @param cap the size of {@code buf} in bytes
     * @param needed room for one {@code size_t}; receives the JSON's length in bytes
     * @return {@link #OK}, {@code BUFFER_TOO_SMALL} (nothing written; call again with
     *     {@code needed} bytes), or the status of a failure (see {@link #lastError()})
     */
    public static int analyzeCommand(MemorySegment engine, MemorySegment command, long commandLen,
                                     MemorySegment buf, long cap, MemorySegment needed) {
        return callInt(() -> (int) H.ANALYZE_COMMAND.invokeExact(engine, command, commandLen, buf, cap, needed));
    }

    // The file operations touch the file system: they are never critical calls.

    /**
     * {@code sandbox_file_authorize}: checks a file access and, when the policy allows it,
     * binds the decision to the physical paths that were judged.
     *
     * @param engine a live engine handle from {@link #engineNew}
     * @param path the path, UTF-8, relative to the workspace or absolute
     * @param pathLen the length of {@code path} in bytes
     * @param operation the file operation number in declaration order (read = 0 ... execute = 9)
     * @param other the rename destination or link target, UTF-8, or {@code NULL} when absent
     * @param otherLen the length of {@code other} in bytes, 0 when absent
     * @param size the byte size of a write, or a negative number when unknown
     * @param outAuth room for one pointer; receives the authorization handle when allowed (free
     *     it with {@link #fileAuthorizationFree})
     * @param out a {@link #DECISION} segment that receives the decision, or {@code NULL}
     * @param text receives the decision's reason and rule, UTF-8, when they fit
     * @param textCap the size of {@code text} in bytes
     * @return {@link #OK} when allowed, {@code DENIED} when refused (the refusal is in
     *     {@code out}), or the status of a failure (see {@link #lastError()})
     */
    public static int fileAuthorize(MemorySegment engine, MemorySegment path, long pathLen, int operation,
                                    MemorySegment other, long otherLen, long size, MemorySegment outAuth,
                                    MemorySegment out, MemorySegment text, long textCap) {
        return callInt(() -> (int) H.FILE_AUTHORIZE.invokeExact(engine, path, pathLen, operation, other, otherLen, size,
                outAuth, out, text, textCap));
    }

    /**
     * {@code sandbox_file_authorization_free}: frees an authorization.
     *
     * @param auth a live authorization handle that no other thread is using, or {@code NULL}
     *     (ignored)
     */
    public static void fileAuthorizationFree(MemorySegment auth) {
        callVoid(() -> { H.FILE_AUTHORIZATION_FREE.invokeExact(auth); });
    }

    /**
     * {@code sandbox_file_open_read}: opens the regular file a {@code read} authorization
     * allowed, verifying that the file system still matches what was authorized.
     *
     * @param engine a live engine handle from {@link #engineNew}
     * @param auth a live authorization handle from {@link #fileAuthorize} for this operation
     * @param outFile room for one pointer; receives the file handle (free it with
     *     {@link #fileClose})
     * @param outSize room for one {@code uint64_t}; receives the file's size in bytes when opened
     * @param out a {@link #DECISION} segment that receives the refusal when the file system no
     *     longer matches the authorization
     * @param text receives the refusal's reason and rule, UTF-8, when they fit
     * @param textCap the size of {@code text} in bytes
     * @return {@link #OK}, {@code DENIED} (the refusal is in {@code out}), or the status of a
     *     failure (see {@link #lastError()})
     */
    public static int fileOpenRead(MemorySegment engine, MemorySegment auth, MemorySegment outFile,
                                   MemorySegment outSize, MemorySegment out, MemorySegment text, long textCap) {
        return callInt(() -> (int) H.FILE_OPEN_READ.invokeExact(engine, auth, outFile, outSize, out, text, textCap));
    }

    /**
     * {@code sandbox_file_read}: reads the next bytes of an open file.
     *
     * @param file a live file handle from {@link #fileOpenRead}, used by no other thread during the
     *     call
     * @param buf receives up to {@code cap} bytes
     * @param cap the size of {@code buf} in bytes
     * @param outRead room for one {@code size_t}; receives the number of bytes read, 0 at the end
     * @return {@link #OK}, or the status of an I/O failure (see {@link #lastError()})
     */
    public static int fileRead(MemorySegment file, MemorySegment buf, long cap, MemorySegment outRead) {
        return callInt(() -> (int) H.FILE_READ.invokeExact(file, buf, cap, outRead));
    }

    /**
     * {@code sandbox_file_close}: closes a file handle; it must not be used afterwards.
     *
     * @param file a live file handle used by no other thread, or {@code NULL} (ignored)
     */
    public static void fileClose(MemorySegment file) {
        callVoid(() -> { H.FILE_CLOSE.invokeExact(file); });
    }

    /**
     * {@code sandbox_file_write}: writes where a {@code write} or {@code create}
     * authorization allowed, within the policy's maximum file size.
     *
     * @param engine a live engine handle from {@link #engineNew}
     * @param auth a live authorization handle from {@link #fileAuthorize} for this operation
     * @param data the bytes to write, or {@code NULL} with length 0 for an empty file
     * @param dataLen the length of {@code data} in bytes
     * @param out a {@link #DECISION} segment that receives the refusal when the file system no
     *     longer matches the authorization
     * @param text receives the refusal's reason and rule, UTF-8, when they fit
     * @param textCap the size of {@code text} in bytes
     * @return {@link #OK}, {@code DENIED} (the refusal is in {@code out}), or the status of a
     *     failure (see {@link #lastError()})
     */
    public static int fileWrite(MemorySegment engine, MemorySegment auth, MemorySegment data, long dataLen,
                                MemorySegment out, MemorySegment text, long textCap) {
        return callInt(() -> (int) H.FILE_WRITE.invokeExact(engine, auth, data, dataLen, out, text, textCap));
    }

    /**
     * {@code sandbox_file_create_dir}: creates the directory (and its missing parents) a
     * {@code create_dir} authorization allowed; an existing directory is fine.
     *
     * @param engine a live engine handle from {@link #engineNew}
     * @param auth a live authorization handle from {@link #fileAuthorize} for this operation
     * @param out a {@link #DECISION} segment that receives the refusal when the file system no
     *     longer matches the authorization
     * @param text receives the refusal's reason and rule, UTF-8, when they fit
     * @param textCap the size of {@code text} in bytes
     * @return {@link #OK}, {@code DENIED} (the refusal is in {@code out}), or the status of a
     *     failure (see {@link #lastError()})
     */
    public static int fileCreateDir(MemorySegment engine, MemorySegment auth, MemorySegment out,
                                    MemorySegment text, long textCap) {
        return callInt(() -> (int) H.FILE_CREATE_DIR.invokeExact(engine, auth, out, text, textCap));
    }

    /**
     * {@code sandbox_file_delete}: deletes the file, link (never its target) or empty
     * directory a {@code delete} authorization allowed.
     *
     * @param engine a live engine handle from {@link #engineNew}
     * @param auth a live authorization handle from {@link #fileAuthorize} for this operation
     * @param out a {@link #DECISION} segment that receives the refusal when the file system no
     *     longer matches the authorization
     * @param text receives the refusal's reason and rule, UTF-8, when they fit
     * @param textCap the size of {@code text} in bytes
     * @return {@link #OK}, {@code DENIED} (the refusal is in {@code out}), or the status of a
     *     failure (see {@link #lastError()})
     */
    public static int fileDelete(MemorySegment engine, MemorySegment auth, MemorySegment out,
                                 MemorySegment text, long textCap) {
        return callInt(() -> (int) H.FILE_DELETE.invokeExact(engine, auth, out, text, textCap));
    }

    /**
     * {@code sandbox_file_rename}: moves the entry a {@code rename} authorization allowed;
     * fails if the destination exists.
     *
     * @param engine a live engine handle from {@link #engineNew}
     * @param auth a live authorization handle from {@link #fileAuthorize} for this operation
     * @param out a {@link #DECISION} segment that receives the refusal when the file system no
     *     longer matches the authorization
     * @param text receives the refusal's reason and rule, UTF-8, when they fit
     * @param textCap the size of {@code text} in bytes
     * @return {@link #OK}, {@code DENIED} (the refusal is in {@code out}), or the status of a
     *     failure (see {@link #lastError()})
     */
    public static int fileRename(MemorySegment engine, MemorySegment auth, MemorySegment out,
                                 MemorySegment text, long textCap) {
        return callInt(() -> (int) H.FILE_RENAME.invokeExact(engine, auth, out, text, textCap));
    }

    /**
     * {@code sandbox_file_list}: lists the directory a {@code list} authorization allowed
     * (records as {@link NativeBinding#fileList} describes them), with the needed-size protocol of
     * {@link #analyzeCommand}.
     *
     * @param engine a live engine handle from {@link #engineNew}
     * @param auth a live authorization handle from {@link #fileAuthorize} for this operation
     * @param buf receives the listing when it fits; {@code NULL} with {@code cap} 0 asks for the
     *     size
     * @param cap the size of {@code buf} in bytes
     * @param needed room for one {@code size_t}; receives the listing's length in bytes
     * @param out a {@link #DECISION} segment that receives the refusal when the file system no
     *     longer matches the authorization
     * @param text receives the refusal's reason and rule, UTF-8, when they fit
     * @param textCap the size of {@code text} in bytes
     * @return {@link #OK}, {@code BUFFER_TOO_SMALL} (nothing written), {@code DENIED}, or the status
     *     of a failure (see {@link #lastError()})
     */
    public static int fileList(MemorySegment engine, MemorySegment auth, MemorySegment buf, long cap,
                               MemorySegment needed, MemorySegment out, MemorySegment text, long textCap) {
        return callInt(() -> (int) H.FILE_LIST.invokeExact(engine, auth, buf, cap, needed, out, text, textCap));
    }

    /**
     * {@code sandbox_network_target}: the canonical destination of a URL, or of a
     * redirect's {@code Location} resolved against the URL it came from, as JSON, with the
     * needed-size protocol of {@link #analyzeCommand}. Needs no engine.
     *
     * @param base the URL a redirect came from, UTF-8, or {@code NULL} to parse {@code url} alone
     * @param baseLen the length of {@code base} in bytes, 0 with {@code NULL}
     * @param url the URL, or the redirect's {@code Location}, UTF-8
     * @param urlLen the length of {@code url} in bytes
     * @param buf receives the UTF-8 JSON when it fits
     * @param cap the size of {@code buf} in bytes
     * @param needed room for one {@code size_t}; receives the JSON's length in bytes
     * @return {@link #OK}, {@code BUFFER_TOO_SMALL} (nothing written), or the status of a failure
     *     (see {@link #lastError()})
     */
    public static int networkTarget(MemorySegment base, long baseLen, MemorySegment url, long urlLen,
                                    MemorySegment buf, long cap, MemorySegment needed) {
        return callInt(() -> (int) H.NETWORK_TARGET.invokeExact(base, baseLen, url, urlLen, buf, cap, needed));
    }

    /**
     * {@code sandbox_last_error_code}.
     *
     * @return the status of the last failed call on this thread, {@link #OK} if none
     */
    public static int lastErrorCode() {
        return callInt(() -> (int) H.LAST_ERROR_CODE.invokeExact());
    }

    /**
     * {@code sandbox_last_error_message}: copies the message of this thread's last failed
     * call; {@link #lastError()} does the buffer handling.
     *
     * @param buf receives the UTF-8 message when it fits, or {@code NULL} with {@code cap} 0
     * @param cap the size of {@code buf} in bytes
     * @return the message's length in bytes; nothing was copied when it exceeds {@code cap}
     */
    public static long lastErrorMessage(MemorySegment buf, long cap) {
        return callLong(() -> (long) H.LAST_ERROR_MESSAGE.invokeExact(buf, cap));
    }

    /**
     * {@code sandbox_decision_code_name}: copies the name of a decision code.
     *
     * @param code a decision code number, as in a decision's {@code code} field
     * @param buf receives the name (ASCII, such as {@code BLOCKED_PATH}) when it fits
     * @param cap the size of {@code buf} in bytes
     * @return the name's length in bytes, 0 for an unknown code
     */
    public static long decisionCodeName(int code, MemorySegment buf, long cap) {
        return callLong(() -> (long) H.DECISION_CODE_NAME.invokeExact(code, buf, cap));
    }

    /**
     * {@code sandbox_selftest_panic}: makes the library panic inside its panic barrier.
     *
     * @return the {@code PANIC} status, which shows that the panic did not unwind into the JVM
     */
    public static int selftestPanic() {
        return callInt(() -> (int) H.SELFTEST_PANIC.invokeExact());
    }

    // ---- small helpers shared by the Java API ----

    /**
     * The last error of this thread.
     *
     * @param code the status of the failed call
     * @param message what the library said about it, never {@code null}
     */
    public record NativeError(int code, String message) {}

    /**
     * Reads this thread's last error. Call right after a failed call, on the same thread.
     *
     * @return the status and message of the last failure on this thread
     */
    public static NativeError lastError() {
        int code = lastErrorCode();
        try (Arena arena = Arena.ofConfined()) {
            long cap = 1024;
            while (true) {
                MemorySegment buf = arena.allocate(cap);
                long len = lastErrorMessage(buf, cap);
                if (len <= cap) {
                    return new NativeError(code, utf8(buf, 0, len));
                }
                cap = len;
            }
        }
    }

    /**
     * The name of a decision code.
     *
     * @param code a decision code number, as in a decision's {@code code} field
     * @return the code's name (such as {@code BLOCKED_PATH}), or {@code null} if the library does
     *     not know it
     */
    public static String decisionCodeName(int code) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(128);
            long len = decisionCodeName(code, buf, 128);
            return len == 0 ? null : utf8(buf, 0, len);
        }
    }

    /**
     * The verdict of a decision.
     *
     * @param decision a {@link #DECISION} segment filled by a check
     * @return 0 allow, 1 ask, 2 deny
     */
    public static int verdict(MemorySegment decision) {
        return (int) VERDICT.get(decision, 0L);
    }

    /**
     * The decision code of a decision.
     *
     * @param decision a {@link #DECISION} segment filled by a check
     * @return the decision code number (see {@link #decisionCodeName(int)})
     */
    public static int code(MemorySegment decision) {
        return (int) CODE.get(decision, 0L);
    }

    /**
     * The length of a decision's reason, which starts the text buffer.
     *
     * @param decision a {@link #DECISION} segment filled by a check
     * @return the reason's length in bytes of UTF-8
     */
    public static int reasonLength(MemorySegment decision) {
        return (int) REASON_LEN.get(decision, 0L);
    }

    /**
     * The length of the rule that decided, which follows the reason in the text buffer.
     *
     * @param decision a {@link #DECISION} segment filled by a check
     * @return the rule's length in bytes of UTF-8, 0 when no rule decided
     */
    public static int ruleLength(MemorySegment decision) {
        return (int) RULE_LEN.get(decision, 0L);
    }

    /**
     * Decodes UTF-8 bytes of a segment.
     *
     * @param seg the segment
     * @param offset where the bytes start, in bytes from the segment's start
     * @param len how many bytes to decode
     * @return the decoded text; malformed input is replaced, not rejected
     */
    public static String utf8(MemorySegment seg, long offset, long len) {
        byte[] bytes = seg.asSlice(offset, len).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
