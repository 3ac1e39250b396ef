package dev.ku0.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a command chose never reaches the terminal as a control character through the summary. */
class TerminalTextTest {
    private static final String ESC = "\u001b";

    @Test
    void plainTextIsKept() {
        String s = "/tmp/ws/.git/hooks/pre-commit -> x.ku0-quarantine-1: café 日本 \\ ~";
        assertSame(s, TerminalText.visible(s));
        assertEquals("", TerminalText.visible(null));
    }

    @Test
    void c0DelC1AndBidiControlsAreShown() {
        assertEquals("a\\nb\\rc\\td", TerminalText.visible("a\nb\rc\td"));
        assertEquals("\\x1b[2K\\x00\\x07\\x1f\\x7f", TerminalText.visible(ESC + "[2K\u0000\u0007\u001f\u007f"));
        assertEquals("\\u{0080}\\u{0085}\\u{009b}2K\\u{009f}", TerminalText.visible("\u0080\u0085\u009b2K\u009f"));
        for (int c : new int[] {0x61c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067,
                0x2068, 0x2069, 0x2028, 0x2029}) {
            assertEquals("x" + String.format("\\u{%04x}", c) + "y",
                    TerminalText.visible("x" + Character.toString(c) + "y"), Integer.toHexString(c));
        }
        // Neighbours that a terminal shows stay as they are.
        for (int c : new int[] {0x20, 0x7e, 0xa0, 0x61b, 0x200d, 0x2027, 0x202f, 0x2065, 0x206a}) {
            assertFalse(TerminalText.isControl(c), Integer.toHexString(c));
        }
    }

    @Test
    void jsonKeepsItsValueAndLosesItsControls() throws Exception {
        String json = "{\"notes\":[\"a\u009b2K\u202e\u007fb\\u001b\"]}";
        String shown = TerminalText.jsonVisible(json);
        assertTrue(shown.codePoints().noneMatch(TerminalText::isControl), shown);
        ObjectMapper m = new ObjectMapper();
        assertEquals(m.readTree(json), m.readTree(shown));
    }

    /**
     * The forged summary of the attack: a file name that saves the cursor, goes up, erases the
     * status line and writes "ok" over it, then conceals the rest; and a proxy target with an
     * erase sequence. No escape character, carriage return or newline of theirs reaches the output,
     * and every line still starts where the summary starts it.
     */
    @Test
    void theSummaryShowsWhatTheCommandChoseWithoutActingOnIt() {
        String forged = ESC + "7" + ESC + "[0m" + ESC + "[2A\r" + ESC + "[2Ksandbox: ok, enforcement full, network off"
                + ESC + "8" + ESC + "[8m\u202e\n";
        EnforcementReport r = new EnforcementReport("timeout", "full",
                Map.of("network", new EnforcementReport.Mechanism("partial", "no " + ESC + "[2K namespace")), "6.18",
                "proxy",
                List.of(new EnforcementReport.NetworkEvent("GET", ESC + "[2K" + ESC + "[8m", "deny", "UNSAFE_URL",
                        "bad\u009b url")),
                List.of(new EnforcementReport.Quarantined("/ws/" + forged + "/.git", "/ws/" + forged
                        + "/.git.ku0-quarantine-1", "created during the run\r")),
                List.of("note " + ESC + "]0;title\u0007"), "err\u0085or " + ESC + "c", "");
        String s = r.summary();
        assertFalse(s.contains(ESC), s);
        assertFalse(s.contains("\r"), s);
        assertTrue(s.codePoints().filter(c -> c != '\n').noneMatch(TerminalText::isControl), s);
        String[] lines = s.split("\n", -1);
        assertEquals("", lines[lines.length - 1]);
        assertEquals("sandbox: timeout, enforcement full, network proxy", lines[0]);
        for (int i = 0; i < lines.length - 1; i++) {
            assertTrue(lines[i].startsWith("sandbox: ") || lines[i].startsWith("  "), lines[i]);
        }
        assertEquals(8, lines.length - 1, s);
        assertTrue(s.contains("  GET \\x1b[2K\\x1b[8m: UNSAFE_URL (bad\\u{009b} url)\n"), s);
        assertTrue(s.contains("/ws/\\x1b7\\x1b[0m\\x1b[2A\\r\\x1b[2Ksandbox: ok, enforcement full, network off"
                + "\\x1b8\\x1b[8m\\u{202e}\\n/.git -> "), s);
        assertTrue(s.contains("sandbox: error: err\\u{0085}or \\x1bc\n"), s);
        assertTrue(s.contains("sandbox: note: note \\x1b]0;title\\x07\n"), s);
        assertTrue(s.contains("sandbox: network partial: no \\x1b[2K namespace\n"), s);
    }
}
