package dev.ku0.sandbox.bindings;

import java.net.InetAddress;
import java.util.List;

/**
 * The native boundary: one method per C function of {@code include/sandbox_rs.h}, on Java arrays.
 * Two implementations reach the same library file: {@code FfmBinding} (JDK 22+, the default there)
 * and {@link JniBinding} (JDK 17–21, or {@code -Dku0.sandbox.binding=jni}). {@link Bindings#get()}
 * picks one.
 *
 * <p>Conventions, the same on both: strings are UTF-8 {@code byte[]} ({@code null} for an absent
 * optional argument; an empty array is passed as the C ABI's {@code (NULL, 0)}); the methods return
 * the C status ({@link #OK} or an error number) and leave the message in the thread's last error
 * ({@link #lastErrorMessage()}, read right after the call, on the same thread). A decision comes
 * back in an {@code int[4]} ({@code verdict, code, reason_len, rule_len}) and its text (reason then
 * rule) in a {@code byte[]} whose length is the capacity; the text is written only when it fits.
 * Handles ({@code long}) are opaque; callers pass only live handles and free each once, after
 * the last call on it returned.
 */
public interface NativeBinding {
    /** The C ABI version these bindings were written for ({@code SANDBOX_ABI_VERSION}). */
    int ABI_VERSION = 2;
    /** Status of a successful call ({@code SANDBOX_OK}). */
    int OK = 0;
    /** Status when a caller buffer is too small ({@code BUFFER_TOO_SMALL}). */
    int BUFFER_TOO_SMALL = 3;

    /**
     * The binding's name.
     *
     * @return {@code "ffm"} or {@code "jni"}
     */
    String name();

    /**
     * {@code sandbox_abi_version}.
     *
     * @return the C ABI version of the loaded library; it must equal {@link #ABI_VERSION}
     */
    int abiVersion();

    /**
     * {@code sandbox_engine_new}: compiles a policy into an engine for a workspace and a home.
     *
     * @param policy the policy as UTF-8 JSON, not {@code null}
     * @param workspace the workspace directory, an absolute path in UTF-8, not {@code null}
     * @param home the home directory, an absolute path in UTF-8, not {@code null}
     * @param out an array of at least one element; {@code out[0]} receives the engine handle on
     *     success and is left as it was otherwise
     * @return {@link #OK}, or the C status of the failure (an invalid policy, a bad path)
     */
    int engineNew(byte[] policy, byte[] workspace, byte[] home, long[] out);

    /**
     * {@code sandbox_engine_free}: frees an engine; the handle must not be used afterwards.
     *
     * @param engine a live engine handle from {@link #engineNew} that no other thread is using, or
     *     0 (ignored)
     */
    void engineFree(long engine);

    /**
     * {@code sandbox_check_file}: decides a file access without touching the file.
     *
     * @param engine a live engine handle
     * @param path the path, UTF-8, relative to the workspace or absolute; not {@code null}
     * @param operation the file operation number in declaration order (read = 0 ... execute = 9)
     * @param other the rename destination or link target, UTF-8, or {@code null} when the
     *     operation has none
     * @param size the byte size of a write, or a negative number when unknown
     * @param out an {@code int[4]} that receives {@code verdict, code, reason_len, rule_len}
     * @param text receives the reason and then the rule, UTF-8, when they fit its length
     * @return {@link #OK}, {@link #BUFFER_TOO_SMALL} (the decision in {@code out} is valid, the
     *     text was not written), or the C status of a failure
     */
    int checkFile(long engine, byte[] path, int operation, byte[] other, long size, int[] out, byte[] text);

    /**
     * {@code sandbox_check_network}: decides a network request.
     *
     * @param engine a live engine handle
     * @param url the URL, UTF-8, not {@code null}
     * @param method the HTTP method, UTF-8 (such as {@code GET}), not {@code null}
     * @param addresses the addresses the host resolved to, as {@link #packAddresses} makes them,
     *     or {@code null} when the caller did not resolve the host
     * @param out an {@code int[4]} that receives {@code verdict, code, reason_len, rule_len}
     * @param text receives the reason and then the rule, UTF-8, when they fit its length
     * @return {@link #OK}, {@link #BUFFER_TOO_SMALL} (the decision in {@code out} is valid, the
     *     text was not written), or the C status of a failure
     */
    int checkNetwork(long engine, byte[] url, byte[] method, byte[] addresses, int[] out, byte[] text);

    /**
     * {@code sandbox_check_command}: decides a shell command.
     *
     * @param engine a live engine handle
     * @param command the command line, UTF-8, not {@code null}
     * @param out an {@code int[4]} that receives {@code verdict, code, reason_len, rule_len}
     * @param text receives the reason and then the rule, UTF-8, when they fit its length
     * @return {@link #OK}, {@link #BUFFER_TOO_SMALL} (the decision in {@code out} is valid, the
     *     text was not written), or the C status of a failure
     */
    int checkCommand(long engine, byte[] command, int[] out, byte[] text);

    /**
     * {@code sandbox_analyze_command}: the full analysis of a shell command (decision, findings,
     * effective commands) as JSON.
     *
     * @param engine a live engine handle
     * @param command the command line, UTF-8, not {@code null}
     * @param buf receives the UTF-8 JSON, only when it fits its length; may be empty to ask for
     *     the size
     * @param needed an array of at least one element; {@code needed[0]} receives the JSON's
     *     length in bytes
     * @return {@link #OK}, {@link #BUFFER_TOO_SMALL} (call again with {@code needed[0]} bytes), or
     *     the C status of a failure
     */
    int analyzeCommand(long engine, byte[] command, byte[] buf, long[] needed);

    /**
     * {@code sandbox_file_authorize}: checks a file access and, when the policy allows it, binds
     * the decision to the physical paths that were judged, for the enforcing file operations.
     *
     * @param engine a live engine handle
     * @param path the path, UTF-8, relative to the workspace or absolute; not {@code null}
     * @param operation the file operation number in declaration order (read = 0 ... execute = 9)
     * @param other the rename destination or link target, UTF-8, or {@code null} when the
     *     operation has none
     * @param size the byte size of a write, or a negative number when unknown
     * @param outAuth an array of at least one element; {@code outAuth[0]} receives the
     *     authorization handle when the access is allowed (free it with
     *     {@link #fileAuthorizationFree})
     * @param out an {@code int[4]} that receives the decision, allow or refusal
     * @param text receives the decision's reason and rule, UTF-8, when they fit its length
     * @return {@link #OK} when allowed, the {@code DENIED} status when refused (the refusal is in
     *     {@code out}), or the C status of a failure
     */
    int fileAuthorize(long engine, byte[] path, int operation, byte[] other, long size, long[] outAuth,
                      int[] out, byte[] text);

    /**
     * {@code sandbox_file_authorization_free}: frees an authorization.
     *
     * @param auth a live authorization handle that no other thread is using, or 0 (ignored)
     */
    void fileAuthorizationFree(long auth);

    /**
     * {@code sandbox_file_open_read}: opens the regular file a {@code read} authorization allowed,
     * verifying on the way that the file system still matches what was authorized.
     *
     * @param engine the live engine handle the authorization came from
     * @param auth a live {@code read} authorization handle
     * @param outFile an array of at least two elements: {@code outFile[0]} receives the file
     *     handle (free it with {@link #fileClose}), {@code outFile[1]} the file's size in bytes
     *     when it was opened
     * @param out an {@code int[4]} that receives the refusal when the file system no longer
     *     matches the authorization
     * @param text receives the refusal's reason and rule, UTF-8, when they fit its length
     * @return {@link #OK}, the {@code DENIED} status (nothing was opened), or the C status of a
     *     failure
     */
    int fileOpenRead(long engine, long auth, long[] outFile, int[] out, byte[] text);

    /**
     * {@code sandbox_file_read}: reads the next bytes of an open file.
     *
     * @param file a live file handle from {@link #fileOpenRead}, used by no other thread during
     *     the call
     * @param buf receives up to {@code buf.length} bytes
     * @param outRead an array of at least one element; {@code outRead[0]} receives the number of
     *     bytes read, 0 at the end of the file
     * @return {@link #OK}, or the C status of an I/O failure
     */
    int fileRead(long file, byte[] buf, long[] outRead);

    /**
     * {@code sandbox_file_close}: closes a file handle; it must not be used afterwards.
     *
     * @param file a live file handle used by no other thread, or 0 (ignored)
     */
    void fileClose(long file);

    /**
     * {@code sandbox_file_write}: writes where a {@code write} or {@code create} authorization
     * allowed, within the policy's maximum file size.
     *
     * @param engine the live engine handle the authorization came from
     * @param auth a live {@code write} or {@code create} authorization handle
     * @param data the bytes to write, not {@code null}; empty for an empty file
     * @param out an {@code int[4]} that receives the refusal when the file system no longer
     *     matches the authorization
     * @param text receives the refusal's reason and rule, UTF-8, when they fit its length
     * @return {@link #OK}, the {@code DENIED} status (nothing was written), or the C status of a
     *     failure
     */
    int fileWrite(long engine, long auth, byte[] data, int[] out, byte[] text);

    /**
     * {@code sandbox_file_create_dir}: creates the directory (and its missing parents) a
     * {@code create_dir} authorization allowed; an existing directory is fine.
     *
     * @param engine the live engine handle the authorization came from
     * @param auth a live {@code create_dir} authorization handle
     * @param out an {@code int[4]} that receives the refusal when the file system no longer
     *     matches the authorization
     * @param text receives the refusal's reason and rule, UTF-8, when they fit its length
     * @return {@link #OK}, the {@code DENIED} status, or the C status of a failure
     */
    int fileCreateDir(long engine, long auth, int[] out, byte[] text);

    /**
     * {@code sandbox_file_delete}: deletes the file, link (never its target) or empty directory a
     * {@code delete} authorization allowed.
     *
     * @param engine the live engine handle the authorization came from
     * @param auth a live {@code delete} authorization handle
     * @param out an {@code int[4]} that receives the refusal when the file system no longer
     *     matches the authorization
     * @param text receives the refusal's reason and rule, UTF-8, when they fit its length
     * @return {@link #OK}, the {@code DENIED} status, or the C status of a failure
     */
    int fileDelete(long engine, long auth, int[] out, byte[] text);

    /**
     * {@code sandbox_file_rename}: moves the entry a {@code rename} authorization allowed; fails
     * if the destination exists.
     *
     * @param engine the live engine handle the authorization came from
     * @param auth a live {@code rename} authorization handle
     * @param out an {@code int[4]} that receives the refusal when the file system no longer
     *     matches the authorization
     * @param text receives the refusal's reason and rule, UTF-8, when they fit its length
     * @return {@link #OK}, the {@code DENIED} status, or the C status of a failure (the
     *     {@code IO} status when the destination exists)
     */
    int fileRename(long engine, long auth, int[] out, byte[] text);

    /**
     * {@code sandbox_file_list}: lists the directory a {@code list} authorization allowed, with
     * the needed-size protocol of {@link #analyzeCommand}. Each entry is a kind letter ({@code f}
     * file, {@code d} directory, {@code l} link, {@code o} other), the UTF-8 name and a NUL byte,
     * sorted by name; entries the policy would refuse to read are left out.
     *
     * @param engine the live engine handle the authorization came from
     * @param auth a live {@code list} authorization handle
     * @param buf receives the listing, only when it fits its length; may be empty to ask for the
     *     size
     * @param needed an array of at least one element; {@code needed[0]} receives the listing's
     *     length in bytes
     * @param out an {@code int[4]} that receives the refusal when the file system no longer
     *     matches the authorization
     * @param text receives the refusal's reason and rule, UTF-8, when they fit its length
     * @return {@link #OK}, {@link #BUFFER_TOO_SMALL} (call again with {@code needed[0]} bytes),
     *     the {@code DENIED} status, or the C status of a failure
     */
    int fileList(long engine, long auth, byte[] buf, long[] needed, int[] out, byte[] text);

    /**
     * {@code sandbox_network_target}: the canonical destination of a URL, or of a redirect's
     * {@code Location} resolved against the URL it came from, as JSON, with the needed-size
     * protocol of {@link #analyzeCommand}.
     *
     * @param base the URL a redirect came from, UTF-8, or {@code null} to parse {@code url} alone
     * @param url the URL, or the redirect's {@code Location}, UTF-8; not {@code null}
     * @param buf receives the UTF-8 JSON, only when it fits its length
     * @param needed an array of at least one element; {@code needed[0]} receives the JSON's
     *     length in bytes
     * @return {@link #OK}, {@link #BUFFER_TOO_SMALL} (call again with {@code needed[0]} bytes), or
     *     the C status of a failure
     */
    int networkTarget(byte[] base, byte[] url, byte[] buf, long[] needed);

    /**
     * {@code sandbox_last_error_code}: the status of this thread's last failed call.
     *
     * @return the C status of the last failure on this thread, {@link #OK} if none
     */
    int lastErrorCode();

    /**
     * {@code sandbox_last_error_message}: the message of this thread's last failed call.
     *
     * @return the message of the last failure on this thread; never {@code null}
     */
    String lastErrorMessage();

    /**
     * {@code sandbox_decision_code_name}: the name of a decision code.
     *
     * @param code a decision code number, as in {@code out[1]} of a check
     * @return the code's name (such as {@code OUTSIDE_WORKSPACE}), or {@code null} if the library
     *     does not know the number
     */
    String decisionCodeName(int code);

    /**
     * Makes the library panic and reports how the panic came back: FFM gets the status of the C
     * function (which catches it); JNI throws a {@link RuntimeException} from the glue.
     *
     * @return the C status the library returned for the caught panic (FFM)
     */
    int selftestPanic();

    /**
     * The thread's last error as a status and message.
     *
     * @param code the C status of the failed call
     * @param message what the library said about it, never {@code null}
     */
    record NativeError(int code, String message) {}

    /**
     * This thread's last error; read it right after the failed call, on the same thread.
     *
     * @return the status and message of the last failure on this thread
     */
    default NativeError lastError() {
        return new NativeError(lastErrorCode(), lastErrorMessage());
    }

    /**
     * Resolved addresses as {@code sandbox_check_network} takes them: per address a length byte (4
     * or 16) and the address bytes in network order. No text form (nothing to format here or parse
     * there), and an IPv6 scope id is not part of it.
     *
     * @param addresses the resolved addresses, IPv4 and IPv6, in the order to check them; not
     *     {@code null}
     * @return the packed bytes, empty for an empty list
     */
    static byte[] packAddresses(List<InetAddress> addresses) {
        byte[][] raw = new byte[addresses.size()][];
        int size = 0;
        for (int i = 0; i < raw.length; i++) {
            raw[i] = addresses.get(i).getAddress();
            size += 1 + raw[i].length;
        }
        byte[] packed = new byte[size];
        int at = 0;
        for (byte[] r : raw) {
            packed[at++] = (byte) r.length;
            System.arraycopy(r, 0, packed, at, r.length);
            at += r.length;
        }
        return packed;
    }
}
