package dev.ku0.sandbox.agent;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives every decision the agent tools and the tool-call guard make, before the action runs.
 * A listener that throws refuses the action: an action that cannot be audited does not run.
 */
@FunctionalInterface
public interface AuditListener {
    /** Records nothing. */
    AuditListener NONE = event -> {};

    /** Called once per judged action, on the thread of the tool call. */
    void onDecision(AuditEvent event);

    /** This listener, then {@code next}. */
    default AuditListener andThen(AuditListener next) {
        Objects.requireNonNull(next, "next");
        return event -> {
            onDecision(event);
            next.onDecision(event);
        };
    }

    /**
     * Writes each event as one JSON line ({@link AuditEvent#toJsonLine()}, without a line break)
     * to {@code sink}, e.g. {@code line -> writer.println(line)}.
     */
    static AuditListener jsonLines(Consumer<String> sink) {
        Objects.requireNonNull(sink, "sink");
        return event -> sink.accept(event.toJsonLine());
    }

    /**
     * Logs each event as its JSON line to the {@link System.Logger} {@code dev.ku0.sandbox.audit}:
     * actions let through at {@code INFO}, refused ones at {@code WARNING}.
     */
    static AuditListener systemLogger() {
        return systemLogger(System.getLogger("dev.ku0.sandbox.audit"));
    }

    /** Like {@link #systemLogger()} on the given logger. */
    static AuditListener systemLogger(System.Logger logger) {
        Objects.requireNonNull(logger, "logger");
        return event -> logger.log(event.permitted() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                event.toJsonLine());
    }
}
