package dev.ku0.sandbox;

/**
 * Text for a terminal that may hold what a sandboxed command chose (a file name it made, a proxy
 * target it sent): every character a terminal acts on instead of showing is made visible, so that
 * such a string cannot move the cursor, erase or conceal lines, or reorder what follows. The same
 * characters as the helper's {@code report::visible}.
 */
public final class TerminalText {
    private TerminalText() {}

    /**
     * Whether a terminal may act on code point {@code c} rather than show it: C0 controls (newline,
     * carriage return and tab included), DEL, C1 controls (U+0080–U+009F; a terminal may take U+009B
     * for CSI), the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069)
     * and the line and paragraph separators (U+2028, U+2029).
     *
     * @param c a code point
     * @return whether it is such a control
     */
    public static boolean isControl(int c) {
        return c <= 0x1f
                || (c >= 0x7f && c <= 0x9f)
                || c == 0x61c
                || c == 0x200e
                || c == 0x200f
                || (c >= 0x2028 && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069);
    }

    /**
     * {@code s} with every control of {@link #isControl} made visible: {@code \n}, {@code \r},
     * {@code \t}, {@code \xHH} for the other C0 controls and DEL, <code>&#92;u{HHHH}</code> for the rest.
     * A backslash is left as it is. Every value of a report or of a helper's message that is put
     * into text for a person goes through this one function.
     *
     * @param s the text, or {@code null}
     * @return the text to print ({@code ""} for {@code null})
     */
    public static String visible(String s) {
        if (s == null) return "";
        if (s.codePoints().noneMatch(TerminalText::isControl)) return s;
        StringBuilder sb = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c == '\t') sb.append("\\t");
            else if (isControl(c) && c < 0x80) sb.append(String.format("\\x%02x", c));
            else if (isControl(c)) sb.append(String.format("\\u{%04x}", c));
            else sb.appendCodePoint(c);
        });
        return sb.toString();
    }

    /**
     * JSON text with the controls of {@link #isControl} above U+001F written as {@code \}{@code
     * uXXXX} escapes: they can only stand inside strings, where the escape means the same, so the
     * result is the same JSON value, safe to print on a terminal. (C0 controls cannot stand raw in
     * a JSON string; outside strings, newlines and tabs are whitespace and stay.)
     *
     * @param json JSON text
     * @return the same JSON value, printable
     */
    public static String jsonVisible(String json) {
        if (json == null) return "";
        if (json.codePoints().noneMatch(c -> c > 0x1f && isControl(c))) return json;
        StringBuilder sb = new StringBuilder(json.length() + 16);
        json.codePoints().forEach(c -> {
            if (c > 0x1f && isControl(c)) sb.append(String.format("\\u%04x", c));
            else sb.appendCodePoint(c);
        });
        return sb.toString();
    }
}
