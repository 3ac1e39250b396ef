package dev.ku0.sandbox.cli;

import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.bindings.Bindings;
import dev.ku0.sandbox.bindings.NativeBinding;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code sandbox check} with a preset or a policy file, without the Java policy model or a JSON
 * library: the engine parses the policy's JSON itself, and a request line of the plain form (one JSON
 * object of strings, small integers, {@code true}/{@code false}/{@code null} and an array of
 * address strings, every field valid) is read here and answered with the same bytes
 * {@link CheckCommand} writes for it. Any other line (malformed, an unusual spelling, a field
 * the full path refuses, a native error) is answered by {@link CheckCommand} itself, with a
 * {@link SandboxManager} built on the first such line; so every line gets the full path's answer.
 */
final class QuickCheck {
    private static final Set<String> FILE_FIELDS =
            Set.of("type", "id", "path", "operation", "dest", "link_target", "size");
    private static final Set<String> NETWORK_FIELDS = Set.of("type", "id", "url", "method", "addresses");
    private static final Set<String> COMMAND_FIELDS = Set.of("type", "id", "command");
    private static final int TEXT_CAPACITY = 512;
    /** JSON's {@code null} as a parsed value. */
    private static final Object NULL = new Object();

    /** An integer as written in the request, echoed back as written (it is already canonical). */
    private record Num(String text, long value) {}

    private final NativeBinding nb;
    private final long engine;
    private final PolicyOptions options;
    private SandboxManager manager;
    /** The text of the last decision {@link #decide} got. */
    private byte[] lastText;

    private QuickCheck(NativeBinding nb, long engine, PolicyOptions options) {
        this.nb = nb;
        this.engine = engine;
        this.options = options;
    }

    /**
     * Answers every line of {@code in} on {@code out} and returns the exit status, or empty when
     * {@link CheckCommand} must handle the whole run (see {@link #open}).
     */
    static Optional<Integer> run(PolicyOptions o, InputStream in, OutputStream out) throws IOException {
        QuickCheck q = open(o);
        if (q == null) return Optional.empty();
        try {
            q.answerAll(in, out);
        } finally {
            q.close();
        }
        return Optional.of(0);
    }

    /**
     * The engine for {@code o}, or null when {@link CheckCommand} must handle the whole run: an
     * unknown preset, a logging configuration (the full path logs its decisions),
     * a policy or path the engine refuses (the full path says why).
     */
    static QuickCheck open(PolicyOptions o) throws IOException {
        if (System.getProperty("java.util.logging.config.file") != null) return null;
        byte[] policy = o.policyJson();
        if (policy == null) return null;
        // As SandboxManager makes them absolute.
        byte[] ws = QuickExec.utf8(o.workspace().toAbsolutePath().toString());
        byte[] hm = QuickExec.utf8(o.home().toAbsolutePath().toString());
        if (ws == null || hm == null) return null;
        NativeBinding nb = Bindings.get();
        long[] handle = new long[1];
        if (nb.engineNew(policy, ws, hm, handle) != NativeBinding.OK) return null;
        return new QuickCheck(nb, handle[0], o);
    }

    /** Frees the engine, and the full path's manager when one was built. */
    void close() {
        nb.engineFree(engine);
        if (manager != null) manager.close();
    }

    private void answerAll(InputStream stdin, OutputStream stdout) throws IOException {
        // The same streams and flushing as CheckCommand.call().
        InputStream in = new BufferedInputStream(stdin);
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8)));
        byte[] line;
        while ((line = readLine(in)) != null) {
            String answer = quick(line);
            if (answer == null) answer = CheckCommand.toJson(CheckCommand.decide(manager(), line));
            out.print(answer);
            out.print('\n');
            if (in.available() == 0) out.flush();
        }
        // PrintWriter keeps write errors to itself, as CheckCommand's does.
        out.flush();
    }

    private SandboxManager manager() throws IOException {
        if (manager == null) {
            Main.quietDecisionLog();
            manager = options.manager();
        }
        return manager;
    }

    /**
     * The next line's bytes without its end, or null at the end of input. A line ends at LF only
     * (a lone CR is data, as JSON Lines says; readers that also split on CR answer one line twice
     * and pair every later answer with the wrong request); one CR before the LF is dropped.
     */
    static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        // Bytes beyond the limit are read but not kept: the line is refused as too long.
        while ((b = in.read()) != -1 && b != '\n') {
            if (line.size() <= CheckCommand.MAX_LINE_BYTES) line.write(b);
        }
        if (b == -1 && line.size() == 0) return null;
        byte[] bytes = line.toByteArray();
        int n = bytes.length;
        return n > 0 && bytes[n - 1] == '\r' ? Arrays.copyOf(bytes, n - 1) : bytes;
    }

    /** The answer line for a request of the plain form, or null to let the full path answer it. */
    String quick(byte[] line) {
        if (line.length > CheckCommand.MAX_LINE_BYTES) return null;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        Map<String, Object> req = new Parser(text).request();
        if (req == null || !(req.get("type") instanceof String type)) return null;
        Object id = req.get("id");
        if (id instanceof List) return null;
        int[] out = new int[4];
        int status = switch (type) {
            case "file" -> file(req, out);
            case "network" -> network(req, out);
            case "command" -> command(req, out);
            default -> -1;
        };
        if (status != NativeBinding.OK) return null;
        return answer(out, lastText, id);
    }

    /** A check through {@code call}, retried once with the room the library asks for; -1 when not handled. */
    private int decide(int[] out, Call call) {
        byte[] text = new byte[TEXT_CAPACITY];
        int status = call.run(out, text);
        if (status == NativeBinding.BUFFER_TOO_SMALL) {
            text = new byte[out[2] + out[3]];
            status = call.run(out, text);
        }
        lastText = text;
        return status == NativeBinding.OK ? status : -1;
    }

    @FunctionalInterface
    private interface Call {
        int run(int[] out, byte[] text);
    }

    private int file(Map<String, Object> req, int[] out) {
        if (!FILE_FIELDS.containsAll(req.keySet())) return -1;
        if (!(req.get("operation") instanceof String opName) || !(req.get("path") instanceof String path)) return -1;
        FileOperation op;
        try {
            op = FileOperation.fromName(opName);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        Object other = switch (op) {
            case RENAME -> req.get("dest");
            case SYMLINK, LINK -> req.get("link_target");
            default -> null;
        };
        boolean needsOther = op == FileOperation.RENAME || op == FileOperation.SYMLINK || op == FileOperation.LINK;
        if (needsOther && !(other instanceof String)) return -1;
        long size = -1;
        if (req.containsKey("size")) {
            if (!(req.get("size") instanceof Num n) || n.value() < 0) return -1;
            size = n.value();
        }
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        byte[] o = other == null ? null : ((String) other).getBytes(StandardCharsets.UTF_8);
        long s = size;
        // FileOperation.number() is its declaration order.
        int number = op.ordinal();
        return decide(out, (d, text) -> nb.checkFile(engine, p, number, o, s, d, text));
    }

    private int network(Map<String, Object> req, int[] out) {
        if (!NETWORK_FIELDS.containsAll(req.keySet())) return -1;
        if (!(req.get("method") instanceof String method) || !(req.get("url") instanceof String url)) return -1;
        Object a = req.get("addresses");
        byte[] packed = null;
        if (a != null && a != NULL) {
            if (!(a instanceof List<?> list)) return -1;
            List<InetAddress> addresses = new ArrayList<>();
            for (Object ip : list) {
                try {
                    addresses.add(literal((String) ip));
                } catch (IllegalArgumentException e) {
                    return -1;
                }
            }
            packed = NativeBinding.packAddresses(addresses);
        }
        byte[] u = url.getBytes(StandardCharsets.UTF_8);
        byte[] m = method.getBytes(StandardCharsets.UTF_8);
        byte[] addrs = packed;
        return decide(out, (d, text) -> nb.checkNetwork(engine, u, m, addrs, d, text));
    }

    private int command(Map<String, Object> req, int[] out) {
        if (!COMMAND_FIELDS.containsAll(req.keySet())) return -1;
        if (!(req.get("command") instanceof String command)) return -1;
        byte[] c = command.getBytes(StandardCharsets.UTF_8);
        // check_command is the analysis's decision, which the full path reads from the analysis.
        return decide(out, (d, text) -> nb.checkCommand(engine, c, d, text));
    }

    /**
     * An IP address literal, never a lookup: {@code InetAddress.getByName} parses digits-and-dots
     * and anything with a colon as a literal (throwing when it is not one) and only resolves other
     * text, which is refused here first.
     */
    static InetAddress literal(String ip) {
        if (!ip.matches("[0-9]+(\\.[0-9]+){0,3}") && !ip.matches("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%]*\\]?")) {
            throw new IllegalArgumentException(ip + " is not an IP address");
        }
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(ip + " is not an IP address", e);
        }
    }

    /** The decision object as CheckCommand writes it: decision, code, reason, rule, then id when given. */
    private static String answer(int[] out, byte[] text, Object id) {
        // As SandboxManager.decode reads them.
        String reason = new String(text, 0, out[2], StandardCharsets.UTF_8);
        String rule = out[3] == 0 ? null : new String(text, out[2], out[3], StandardCharsets.UTF_8);
        String verdict = switch (out[0]) {
            case 0 -> "allow";
            case 1 -> "ask";
            default -> "deny";
        };
        StringBuilder sb = new StringBuilder(96 + reason.length());
        sb.append("{\"decision\":\"").append(verdict).append("\",\"code\":\"")
                .append(DecisionCode.fromNumber(out[1]).name()).append("\",\"reason\":");
        string(sb, reason);
        sb.append(",\"rule\":");
        if (rule == null) sb.append("null");
        else string(sb, rule);
        if (id != null) {
            sb.append(",\"id\":");
            if (id instanceof String s) string(sb, s);
            else if (id instanceof Num n) sb.append(n.text());
            else if (id == NULL) sb.append("null");
            else sb.append(id);
        }
        return sb.append('}').toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** A JSON string as Jackson writes it: quote, backslash and control characters escaped, nothing else. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /**
     * A reader of the plain form only: one object whose values are strings, integers of up to 18
     * digits without leading zeros, {@code true}, {@code false}, {@code null}, or arrays of
     * strings; spaces and tabs between tokens. Everything else (and duplicate keys, text after
     * the object, control characters in strings, unpaired surrogates) gives null: the full path
     * then answers with its own words.
     */
    static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Map<String, Object> request() {
            try {
                Map<String, Object> obj = object();
                skip();
                return obj != null && i == s.length() ? obj : null;
            } catch (IndexOutOfBoundsException e) {
                return null;
            }
        }

        private void skip() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
        }

        private Map<String, Object> object() {
            skip();
            if (s.charAt(i) != '{') return null;
            i++;
            Map<String, Object> obj = new HashMap<>();
            skip();
            if (s.charAt(i) == '}') {
                i++;
                return obj;
            }
            while (true) {
                skip();
                if (s.charAt(i) != '"') return null;
                String key = string();
                if (key == null) return null;
                skip();
                if (s.charAt(i) != ':') return null;
                i++;
                skip();
                Object value = value();
                if (value == null || obj.put(key, value) != null) return null;
                skip();
                char c = s.charAt(i++);
                if (c == '}') return obj;
                if (c != ',') return null;
            }
        }

        private Object value() {
            char c = s.charAt(i);
            if (c == '"') return string();
            if (c == '[') return array();
            if (c == '-' || (c >= '0' && c <= '9')) return number();
            if (s.startsWith("true", i)) return literal("true", Boolean.TRUE);
            if (s.startsWith("false", i)) return literal("false", Boolean.FALSE);
            if (s.startsWith("null", i)) return literal("null", NULL);
            return null;
        }

        private Object literal(String word, Object value) {
            i += word.length();
            return delimiter() ? value : null;
        }

        /** Whether the token just read ends here (JSON reads {@code truex} or {@code 1.5} as one token). */
        private boolean delimiter() {
            if (i >= s.length()) return true;
            char c = s.charAt(i);
            return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t';
        }

        private List<String> array() {
            i++;
            List<String> out = new ArrayList<>();
            skip();
            if (s.charAt(i) == ']') {
                i++;
                return out;
            }
            while (true) {
                skip();
                if (s.charAt(i) != '"') return null;
                String v = string();
                if (v == null) return null;
                out.add(v);
                skip();
                char c = s.charAt(i++);
                if (c == ']') return out;
                if (c != ',') return null;
            }
        }

        private Num number() {
            int start = i;
            if (s.charAt(i) == '-') i++;
            int digits = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
            int n = i - digits;
            // No leading zeros, no -0 (written back as 0), at most 18 digits (a long, written as read).
            if (n == 0 || n > 18 || (s.charAt(digits) == '0' && (n > 1 || digits > start)) || !delimiter()) return null;
            String text = s.substring(start, i);
            return new Num(text, Long.parseLong(text));
        }

        private String string() {
            i++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') break;
                if (c < 0x20) return null;
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        int v = 0;
                        for (int k = 0; k < 4; k++) {
                            char h = s.charAt(i++);
                            // ASCII hex digits only (Character.digit also takes other scripts' digits).
                            int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                    : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                            if (d < 0) return null;
                            v = v << 4 | d;
                        }
                        sb.append((char) v);
                    }
                    default -> {
                        return null;
                    }
                }
            }
            String out = sb.toString();
            // An unpaired surrogate (from \\u escapes) is refused by the full path with its own words.
            for (int k = 0, n = out.length(); k < n; k++) {
                char c = out.charAt(k);
                if (Character.isHighSurrogate(c) && k + 1 < n && Character.isLowSurrogate(out.charAt(k + 1))) {
                    k++;
                } else if (Character.isSurrogate(c)) {
                    return null;
                }
            }
            return out;
        }
    }
}
