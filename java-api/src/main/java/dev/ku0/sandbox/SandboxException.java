package dev.ku0.sandbox;

/**
 * An error of the sandbox: an invalid policy, a bad argument, a failure inside the native
 * library. The {@link #code()} mirrors the native error code; for errors raised by the native
 * library the message is the native message.
 */
public class SandboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Error codes, numbered as the native status codes. */
    public enum Code {
        /** A required argument is missing or malformed. */
        INVALID_ARGUMENT(1),
        /** The policy document is not valid. */
        INVALID_POLICY(2),
        /** An output buffer was too small (handled inside the API; surfaces only on a library bug). */
        BUFFER_TOO_SMALL(3),
        /** A panic was caught inside the native library. */
        PANIC(4),
        /** An operating-system error not covered by a more precise code below. */
        IO(5),
        /** Not supported on this platform. */
        UNSUPPORTED(6),
        /** The engine handle is invalid. */
        INVALID_HANDLE(7),
        /** The policy refused the operation. */
        DENIED(8),
        /** The workspace directory does not exist or is not a directory. */
        WORKSPACE_NOT_FOUND(9),
        /** A file operation found nothing at the path. */
        NOT_FOUND(10),
        /** A file operation that creates found something at the path already. */
        ALREADY_EXISTS(11),
        /** A directory to delete is not empty. */
        NOT_EMPTY(12),
        /** A status the bindings do not know (library and bindings from different releases). */
        UNKNOWN(-1);

        private final int number;

        Code(int number) {
            this.number = number;
        }

        /** {@return the native status number} */
        public int number() {
            return number;
        }

        /**
         * {@return the code for a native status number}
         *
         * @param n the native number
         */
        public static Code fromNumber(int n) {
            for (Code c : values()) {
                if (c.number == n) return c;
            }
            return UNKNOWN;
        }
    }

    /** What kind of error this is (part of the serialized form). */
    private final Code code;

    /**
     * An error with its code.
     *
     * @param code    what went wrong, for programs
     * @param message what went wrong and what to do, for people
     */
    public SandboxException(Code code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * An error with its code and the exception that caused it.
     *
     * @param code    what went wrong, for programs
     * @param message what went wrong and what to do, for people
     * @param cause   the underlying exception
     */
    public SandboxException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** {@return what kind of error this is} */
    public Code code() {
        return code;
    }
}
