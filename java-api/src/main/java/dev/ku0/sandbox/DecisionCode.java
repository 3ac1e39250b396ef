package dev.ku0.sandbox;

import java.util.HashMap;
import java.util.Map;

/**
 * Stable machine codes of decisions. Mirrors the native {@code DecisionCode} table number for
 * number (a test asks the native library for every name and fails on any difference).
 */
public enum DecisionCode {
    /** The action is allowed. */
    ALLOWED(0),
    /** The request itself is malformed. */
    BAD_REQUEST(1),
    /** The engine failed internally; the request is refused. */
    INTERNAL_ERROR(2),

    /** Empty path, NUL byte, or otherwise unusable path text. */
    INVALID_PATH(10),
    /** The target is under a {@code blocked_paths} entry. */
    BLOCKED_PATH(11),
    /** The target is outside the workspace and every allowed path. */
    OUTSIDE_WORKSPACE(12),
    /** The target is outside every {@code allowed_paths} entry (strict mode). */
    OUTSIDE_ALLOWED_PATHS(13),
    /** A hidden component below the matched root while hidden files are off. */
    HIDDEN_FILE(14),
    /** A symlink on the way, or creating one, while symlinks are off. */
    SYMLINK_NOT_ALLOWED(15),
    /** Too many symlink hops, or a loop. */
    SYMLINK_LOOP(16),
    /** A device or kernel interface path. */
    DEVICE_PATH(17),
    /** A protected file: git hooks and config, shell rc files, credentials. */
    PROTECTED_PATH(18),
    /** Deleting or renaming a policy root or an ancestor of a blocked entry. */
    ROOT_OPERATION(19),
    /** A write larger than {@code limits.max_file_size}. */
    FILE_TOO_LARGE(20),
    /** The path could not be resolved. */
    RESOLUTION_ERROR(21),
    /** A path form the platform forbids. */
    PLATFORM_PATH(22),
    /** The filesystem changed between the check and the operation; nothing was done. */
    PATH_CHANGED(23),

    /** Network access is disabled. */
    NETWORK_DISABLED(30),
    /** The URL does not parse. */
    INVALID_URL(31),
    /** Unsafe URL text: control characters, backslash, credentials. */
    UNSAFE_URL(32),
    /** The scheme is not allowed. */
    SCHEME_NOT_ALLOWED(33),
    /** The HTTP method is not allowed. */
    METHOD_NOT_ALLOWED(34),
    /** The host is under a {@code blocked_domains} entry. */
    BLOCKED_DOMAIN(35),
    /** The host matches no {@code allowed_domains} entry. */
    DOMAIN_NOT_ALLOWED(36),
    /** A loopback target while localhost is off. */
    LOCALHOST_NOT_ALLOWED(37),
    /** A private, link-local, reserved or special address. */
    PRIVATE_ADDRESS(38),
    /** A cloud metadata name or address. */
    METADATA_ENDPOINT(39),
    /** A port other than the one an entry allows. */
    PORT_NOT_ALLOWED(40),
    /** A name resolved to an address that is not allowed. */
    RESOLVED_ADDRESS_DENIED(41),
    /** Too many redirects. */
    TOO_MANY_REDIRECTS(42),

    /** Empty or whitespace-only command. */
    EMPTY_COMMAND(50),
    /** A forbidden character in the command. */
    FORBIDDEN_CHARACTER(51),
    /** The command exceeds a size, depth or node limit. */
    COMMAND_TOO_COMPLEX(52),
    /** The command does not parse, or uses unsupported syntax. */
    PARSE_ERROR(53),
    /** The command name is computed at run time. */
    DYNAMIC_COMMAND_NAME(54),
    /** A simple command matches no allowed rule. */
    COMMAND_NOT_ALLOWED(55),
    /** A simple command matches a blocked rule. */
    BLOCKED_COMMAND(56),
    /** Privilege escalation while sudo is off. */
    SUDO_NOT_ALLOWED(57),
    /** A built-in danger (recursive delete of /, dd onto a device, fork bomb, ...). */
    DANGEROUS_COMMAND(58),
    /** A tool flag that runs arbitrary code. */
    DANGEROUS_FLAG(59),
    /** A download piped into a shell or interpreter. */
    DOWNLOAD_TO_SHELL(60),
    /** Inline code for an interpreter. */
    INLINE_CODE(61),
    /** A wrapper whose wrapped command cannot be determined. */
    UNKNOWN_WRAPPER(62),
    /** A command path outside the system directories. */
    UNTRUSTED_COMMAND_PATH(63),
    /** An environment assignment that changes how programs run. */
    DANGEROUS_ENVIRONMENT(64),
    /** A redirect target or file operand refused by the filesystem guard. */
    FILE_ACCESS_DENIED(65),
    /** An expansion whose result the command analysis cannot model. */
    UNMODELLED_EXPANSION(70),
    /** A builtin or variable that changes how the shell parses, expands or runs later commands. */
    SHELL_STATE_CHANGE(71),
    /** A relative path or directory-dependent command where the working directory is not known for certain. */
    UNKNOWN_WORKING_DIRECTORY(72),
    /** A shell reads a script from a file or descriptor whose content was not analysed. */
    UNMODELLED_SCRIPT_INPUT(73),
    /** A call that may run, or bypass, a shell function not defined on every path before it. */
    UNMODELLED_FUNCTION(74),
    /** Text bash reads differently from the parser. */
    UNMODELLED_SYNTAX(75),
    /** A program that can run another program, whose arguments the analysis does not model. */
    UNMODELLED_PROGRAM(76),
    /** An option the analysis cannot read as the program will (unknown, abbreviated, computed). */
    UNMODELLED_OPTION(77),
    /** A file operand not known before the command runs, or a file access the analysis does not model. */
    UNMODELLED_OPERAND(78);

    private static final Map<Integer, DecisionCode> BY_NUMBER = new HashMap<>();

    static {
        for (DecisionCode c : values()) BY_NUMBER.put(c.number, c);
    }

    private final int number;

    DecisionCode(int number) {
        this.number = number;
    }

    /** {@return the number that crosses the C ABI} */
    public int number() {
        return number;
    }

    /**
     * {@return the code with this number, or {@link #INTERNAL_ERROR} for an unknown one (fails closed)}
     *
     * @param n the native number
     */
    public static DecisionCode fromNumber(int n) {
        return BY_NUMBER.getOrDefault(n, INTERNAL_ERROR);
    }

    /**
     * {@return the code with this name; unknown names map to {@link #INTERNAL_ERROR}}
     *
     * @param name the code's name, e.g. {@code "BLOCKED_PATH"}
     */
    public static DecisionCode fromName(String name) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            return INTERNAL_ERROR;
        }
    }
}
