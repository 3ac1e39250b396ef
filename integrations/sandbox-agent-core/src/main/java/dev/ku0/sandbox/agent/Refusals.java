package dev.ku0.sandbox.agent;

import dev.ku0.sandbox.Decision;

/** The one-line texts a model receives instead of a result. */
final class Refusals {
    private Refusals() {}

    /** {@code REFUSED [CODE] reason}; a refused ask says that it was not approved. */
    static String refused(Decision d, boolean askNotApproved) {
        String reason = d.reason() + (askNotApproved ? " (needs a person's approval; not approved)" : "");
        return oneLine("REFUSED [" + d.code().name() + "] " + reason);
    }

    /** {@code ERROR [CODE] message} for failures that are not refusals (not found, I/O). */
    static String error(String code, String message) {
        return oneLine("ERROR [" + code + "] " + message);
    }

    /** Control characters become spaces, so the text is one line and cannot forge another. */
    static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return sb.toString();
    }
}
