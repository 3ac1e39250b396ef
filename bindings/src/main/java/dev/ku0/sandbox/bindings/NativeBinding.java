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

    /** {@code "ffm"} or {@code "jni"}. */
    String name();

    int abiVersion();

    /** {@code out[0]} receives the engine handle. */
    int engineNew(byte[] policy, byte[] workspace, byte[] home, long[] out);

    void engineFree(long engine);

    int checkFile(long engine, byte[] path, int operation, byte[] other, long size, int[] out, byte[] text);

    /** {@code addresses} as {@link #packAddresses} makes them, or {@code null}. */
    int checkNetwork(long engine, byte[] url, byte[] method, byte[] addresses, int[] out, byte[] text);

    int checkCommand(long engine, byte[] command, int[] out, byte[] text);

    /** {@code needed[0]} receives the JSON length; the JSON is written only when it fits {@code buf}. */
    int analyzeCommand(long engine, byte[] command, byte[] buf, long[] needed);

    /** {@code outAuth[0]} receives the authorization handle when allowed. */
    int fileAuthorize(long engine, byte[] path, int operation, byte[] other, long size, long[] outAuth,
                      int[] out, byte[] text);

    void fileAuthorizationFree(long auth);

    /** {@code outFile[0]} receives the file handle, {@code outFile[1]} its size. */
    int fileOpenRead(long engine, long auth, long[] outFile, int[] out, byte[] text);

    /** Reads up to {@code buf.length} bytes; {@code outRead[0]} receives the count (0 at the end). */
    int fileRead(long file, byte[] buf, long[] outRead);

    void fileClose(long file);

    int fileWrite(long engine, long auth, byte[] data, int[] out, byte[] text);

    int fileCreateDir(long engine, long auth, int[] out, byte[] text);

    int fileDelete(long engine, long auth, int[] out, byte[] text);

    int fileRename(long engine, long auth, int[] out, byte[] text);

    /** Needed-size protocol as {@link #analyzeCommand}. */
    int fileList(long engine, long auth, byte[] buf, long[] needed, int[] out, byte[] text);

    /** Needed-size protocol as {@link #analyzeCommand}; {@code base} may be {@code null}. */
    int networkTarget(byte[] base, byte[] url, byte[] buf, long[] needed);

    int lastErrorCode();

    String lastErrorMessage();

    /** The name of decision code {@code code}, or {@code null} if the library does not know it. */
    String decisionCodeName(int code);

    /**
     * Makes the library panic and reports how the panic came back: FFM gets the status of the C
     * function (which catches it); JNI throws a {@link RuntimeException} from the glue.
     */
    int selftestPanic();

    /** The thread's last error as a status and message. */
    record NativeError(int code, String message) {}

    default NativeError lastError() {
        return new NativeError(lastErrorCode(), lastErrorMessage());
    }

    /**
     * Resolved addresses as {@code sandbox_check_network} takes them: per address a length byte (4
     * or 16) and the address bytes in network order. No text form (nothing to format here or parse
     * there), and an IPv6 scope id is not part of it.
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
