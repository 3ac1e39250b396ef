package dev.ku0.sandbox;

/** Which guard refused an action. */
public enum ViolationType {
    FILESYSTEM,
    NETWORK,
    COMMAND
}
