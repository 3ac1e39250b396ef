package dev.ku0.sandbox;

/** Which guard refused an action. */
public enum ViolationType {
    /** The filesystem guard: a path or a file operation. */
    FILESYSTEM,
    /** The network guard: a URL or an address. */
    NETWORK,
    /** The command validator. */
    COMMAND
}
