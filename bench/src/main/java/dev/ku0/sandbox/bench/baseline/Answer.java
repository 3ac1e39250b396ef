package dev.ku0.sandbox.bench.baseline;

/** What a pure-Java check answers. */
public enum Answer {
    ALLOW,
    DENY,
    /** The case is outside what the implementation models: it gives no answer rather than a wrong one. */
    UNSUPPORTED
}
