package dev.ku0.sandbox.tools;

import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.NetworkTarget;
import dev.ku0.sandbox.SandboxException;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.SandboxViolationException;
import dev.ku0.sandbox.ViolationType;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP tool for agents that cannot be steered past the network policy.
 *
 * <pre>{@code
 * HttpTool http = new HttpTool(sandbox);
 * HttpTool.Response r = http.get("https://api.github.com/repos/o/r");
 * String text = r.bodyText();
 * }</pre>
 *
 * <p>For every request, and again for every redirect hop:
 * <ol>
 *   <li>the URL is parsed by the native guard's own WHATWG parser ({@link NetworkTarget}), so the
 *       host, port and request target used below are exactly the ones the guard judges;</li>
 *   <li>the URL and method are checked by name first, so a refused name is never even looked up;</li>
 *   <li>the name is resolved once through the {@link HostResolver}; the URL is checked again with
 *       every address it resolved to; any refused address refuses the request;</li>
 *   <li>the tool connects only to those checked addresses (no second lookup can rebind the name);
 *       TLS uses the name for SNI and certificate verification, and {@code Host} carries the
 *       name;</li>
 *   <li>redirects are followed by hand: the {@code Location} is resolved by the same parser and
 *       the new target goes through all the steps again, at most {@link #MAX_REDIRECTS} times.</li>
 * </ol>
 * Refusals throw {@link SandboxViolationException} carrying the {@link Decision}; they are in the
 * manager's violation log. Responses are bounded ({@link Options#maxResponseBytes()}).
 *
 * <p>The client is a small HTTP/1.1 implementation on plain and TLS sockets, one request per
 * connection ({@code Connection: close}), no proxy, no cookies, no caching, no decompression.
 * {@code java.net.http.HttpClient} is not used because it resolves host names itself: it offers
 * no way to connect to an address that was checked while keeping the name for TLS and
 * {@code Host}. The tool speaks {@code http} and {@code https}; {@code ws}/{@code wss} URLs are
 * checked and then refused as unsupported.
 *
 * <p>A tool is immutable and safe to share between threads.
 */
public final class HttpTool {
    /** The most redirects a request follows (docs/policy.md, Network 8). */
    public static final int MAX_REDIRECTS = 20;

    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int MAX_LINE_BYTES = 8 * 1024;
    private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);
    /** Headers the tool writes itself; callers may not set them. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "keep-alive", "te", "trailer", "upgrade", "proxy-connection", "expect");
    /** Headers that carry credentials and are not sent to a different origin after a redirect. */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

    private final SandboxManager sandbox;
    private final Options options;

    /**
     * A tool with {@link Options#defaults()}.
     *
     * @param sandbox the manager whose policy applies
     */
    public HttpTool(SandboxManager sandbox) {
        this(sandbox, Options.defaults());
    }

    /**
     * A tool with these settings.
     *
     * @param sandbox the manager whose policy applies
     * @param options timeouts, bounds, redirects, name resolution and TLS
     */
    public HttpTool(SandboxManager sandbox, Options options) {
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** {@return the tool's options} */
    public Options options() {
        return options;
    }

    /**
     * Sends {@code GET url}, as {@link #send(Request)} does, and throws what it throws.
     *
     * @param url the URL
     * @return the final response
     */
    public Response get(String url) {
        return send(Request.of("GET", url));
    }

    /**
     * Sends {@code request}, following redirects when {@link Options#followRedirects()} is on.
     * Like the other tools it throws only unchecked exceptions: a refusal is a
     * {@link SandboxViolationException}, any other failure a {@link SandboxException} whose cause
     * is the I/O exception (an {@link UnknownHostException}, a {@link SocketTimeoutException}, …).
     *
     * @param request the request
     * @return the final response (after the redirects followed)
     * @throws SandboxViolationException when the policy refuses the URL, the method, the name,
     *                                   any resolved address, a redirect hop, or too many hops
     * @throws ResponseTooLargeException when a response exceeds {@link Options#maxResponseBytes()}
     * @throws SandboxException          with code {@code IO} when a name does not resolve, on
     *                                   connection, timeout and protocol errors
     */
    public Response send(Request request) {
        Objects.requireNonNull(request, "request");
        try {
            return exchangeFollowing(request);
        } catch (TooLarge e) {
            throw new ResponseTooLargeException(request.method() + " " + request.url() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            String why = e instanceof UnknownHostException ? "cannot resolve " + e.getMessage()
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new SandboxException(SandboxException.Code.IO, request.method() + " " + request.url() + ": " + why, e);
        }
    }

    private Response exchangeFollowing(Request request) throws IOException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        String method = request.method();
        byte[] body = request.body();
        Map<String, String> headers = request.headers();
        NetworkTarget target = parse(request.url(), method);
        List<String> followed = new ArrayList<>();
        while (true) {
            Exchange ex = exchange(method, target, headers, body, deadline);
            String location = ex.head.first("location");
            boolean redirect = REDIRECT_STATUSES.contains(ex.head.status) && location != null;
            if (!redirect || !options.followRedirects()) {
                return new Response(ex.head.status, ex.head.reason, ex.head.headers, ex.body, target.url(),
                        List.copyOf(followed), ex.remote);
            }
            if (followed.size() >= options.maxRedirects()) {
                Decision d = Decision.deny(DecisionCode.TOO_MANY_REDIRECTS, "redirect " + (followed.size() + 1)
                        + " to " + quote(location) + ": at most " + options.maxRedirects() + " redirects are followed");
                throw refused(method + " " + target.url() + " -> " + location, d);
            }
            NetworkTarget next = resolveRedirect(target, location, method);
            // Browser semantics: 303 turns into GET; 301/302 turn POST into GET; 307/308 keep both.
            int status = ex.head.status;
            if ((status == 303 && !method.equals("HEAD")) || ((status == 301 || status == 302) && method.equals("POST"))) {
                method = "GET";
                body = null;
            }
            if (!sameOrigin(target, next)) headers = withoutCredentials(headers);
            followed.add(next.url());
            target = next;
        }
    }

    // ---------------------------------------------------------------- policy

    private NetworkTarget parse(String url, String method) {
        try {
            return NetworkTarget.parse(url);
        } catch (SandboxViolationException e) {
            throw refused(method + " " + url, e.decision());
        }
    }

    private NetworkTarget resolveRedirect(NetworkTarget from, String location, String method) {
        try {
            return NetworkTarget.resolve(from.url(), location);
        } catch (SandboxViolationException e) {
            throw refused(method + " " + from.url() + " -> " + location, e.decision());
        }
    }

    private SandboxViolationException refused(String action, Decision d) {
        sandbox.reportViolation(ViolationType.NETWORK, action, d);
        return new SandboxViolationException(action, d);
    }

    /** The checks of one hop; returns the addresses that may be connected to. */
    private List<InetAddress> checkedAddresses(String method, NetworkTarget target) throws IOException {
        String action = method + " " + target.url();
        // By name first: a refused name is never looked up (no DNS leak of names the policy refuses).
        Decision byName = sandbox.evaluateNetworkRequest(target.url(), method);
        if (!byName.allowed()) throw new SandboxViolationException(action, byName);
        List<InetAddress> addresses;
        if (target.hostType() == NetworkTarget.HostType.NAME) {
            List<InetAddress> answer = options.resolver().resolve(target.host());
            if (answer == null || answer.isEmpty()) {
                throw new UnknownHostException(target.host() + " resolved to no address");
            }
            addresses = List.copyOf(answer);
        } else {
            addresses = List.of(target.literalAddress());
        }
        Decision d = sandbox.evaluateNetworkRequest(target.url(), method, addresses);
        if (!d.allowed()) throw new SandboxViolationException(action, d);
        if (!target.scheme().equals("http") && !target.scheme().equals("https")) {
            throw new UnsupportedSchemeException(target.scheme());
        }
        return addresses;
    }

    /** Thrown for a {@code ws}/{@code wss} URL the policy allows: the tool speaks only http(s). */
    public static final class UnsupportedSchemeException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsupportedSchemeException(String scheme) {
            super(scheme + " is allowed by the policy but HttpTool speaks only http and https");
        }
    }

    // ------------------------------------------------------------- transport

    private record Exchange(Head head, byte[] body, InetSocketAddress remote) {}

    private Exchange exchange(String method, NetworkTarget target, Map<String, String> headers, byte[] body,
                              long deadline) throws IOException {
        List<InetAddress> addresses = checkedAddresses(method, target);
        Socket socket = connect(addresses, target.port(), deadline);
        try {
            InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            if (target.isTls()) socket = startTls(socket, target);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead(method, target, headers, body));
            if (body != null) out.write(body);
            out.flush();
            Wire in = new Wire(socket, new BufferedInputStream(socket.getInputStream()), options.readTimeout(), deadline);
            Head head = readHead(in);
            byte[] responseBody;
            boolean followable = options.followRedirects() && REDIRECT_STATUSES.contains(head.status)
                    && head.first("location") != null;
            if (followable || method.equals("HEAD") || head.status == 204 || head.status == 304) {
                responseBody = new byte[0];
            } else {
                responseBody = readBody(in, head);
            }
            return new Exchange(head, responseBody, remote);
        } finally {
            socket.close();
        }
    }

    /** Connects to the first reachable checked address; never looks the name up again. */
    private Socket connect(List<InetAddress> addresses, int port, long deadline) throws IOException {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(address, port), timeoutMillis(options.connectTimeout(), deadline));
                return s;
            } catch (IOException e) {
                s.close();
                if (last != null) e.addSuppressed(last);
                last = e;
            }
        }
        throw last;
    }

    private Socket startTls(Socket plain, NetworkTarget target) throws IOException {
        SSLSocket ssl = (SSLSocket) options.sslContext().getSocketFactory()
                .createSocket(plain, target.host(), target.port(), true);
        SSLParameters p = ssl.getSSLParameters();
        // Verify the certificate against the name the policy checked, and send that name as SNI.
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (target.hostType() == NetworkTarget.HostType.NAME) {
            try {
                p.setServerNames(List.of(new SNIHostName(target.host())));
            } catch (IllegalArgumentException e) {
                ssl.close();
                throw new IOException("host " + target.host() + " cannot be sent as a TLS server name: " + e.getMessage(), e);
            }
        }
        ssl.setSSLParameters(p);
        ssl.startHandshake();
        return ssl;
    }

    private static byte[] requestHead(String method, NetworkTarget target, Map<String, String> headers, byte[] body) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(target.requestTarget()).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(target.authority()).append("\r\n");
        boolean userAgent = false;
        boolean acceptEncoding = false;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            userAgent |= lower.equals("user-agent");
            acceptEncoding |= lower.equals("accept-encoding");
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (!userAgent) sb.append("User-Agent: ku0-sandbox-http\r\n");
        if (!acceptEncoding) sb.append("Accept-Encoding: identity\r\n");
        if (body != null) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            sb.append("Content-Length: 0\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    // -------------------------------------------------------------- response

    /** A status line and header fields (names in lower case). */
    private record Head(int status, String reason, Map<String, List<String>> headers) {
        String first(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    /** The socket's input with the read timeout and the request's overall deadline applied. */
    private static final class Wire {
        private final Socket socket;
        private final InputStream in;
        private final Duration readTimeout;
        private final long deadline;

        Wire(Socket socket, InputStream in, Duration readTimeout, long deadline) {
            this.socket = socket;
            this.in = in;
            this.readTimeout = readTimeout;
            this.deadline = deadline;
        }

        private void arm() throws IOException {
            socket.setSoTimeout(timeoutMillis(readTimeout, deadline));
        }

        int read() throws IOException {
            arm();
            return in.read();
        }

        int read(byte[] b, int off, int len) throws IOException {
            arm();
            return in.read(b, off, len);
        }
    }

    private static int timeoutMillis(Duration timeout, long deadline) throws SocketTimeoutException {
        long remaining = (deadline - System.nanoTime()) / 1_000_000;
        if (remaining <= 0) throw new SocketTimeoutException("the request took longer than its overall timeout");
        return (int) Math.max(1, Math.min(Math.min(timeout.toMillis(), remaining), Integer.MAX_VALUE));
    }

    private Head readHead(Wire in) throws IOException {
        int budget = MAX_HEAD_BYTES;
        while (true) {
            String statusLine = readLine(in, MAX_LINE_BYTES);
            budget -= statusLine.length();
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                throw new IOException("not an HTTP/1.x response: " + quote(abbreviate(statusLine)));
            }
            int status;
            try {
                status = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("bad status line: " + quote(abbreviate(statusLine)), e);
            }
            String reason = statusLine.length() > 13 ? statusLine.substring(13) : "";
            Map<String, List<String>> headers = new LinkedHashMap<>();
            while (true) {
                String line = readLine(in, MAX_LINE_BYTES);
                budget -= line.length() + 2;
                if (budget < 0) throw new TooLarge("response head exceeds " + MAX_HEAD_BYTES + " bytes");
                if (line.isEmpty()) break;
                int colon = line.indexOf(':');
                if (colon <= 0) throw new IOException("bad header line: " + quote(abbreviate(line)));
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                headers.computeIfAbsent(name, k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
            }
            if (status == 101) throw new IOException("the server switched protocols; HttpTool does not upgrade connections");
            if (status >= 100 && status < 200) continue; // interim response (100 Continue, 103 Early Hints)
            Map<String, List<String>> frozen = new LinkedHashMap<>();
            headers.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new Head(status, reason, Collections.unmodifiableMap(frozen));
        }
    }

    private byte[] readBody(Wire in, Head head) throws IOException {
        long max = options.maxResponseBytes();
        List<String> te = head.headers().get("transfer-encoding");
        if (te != null) {
            String last = te.get(te.size() - 1);
            String[] codings = last.split(",");
            if (codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) return readChunked(in, max);
            return readToEnd(in, max);
        }
        List<String> lengths = head.headers().get("content-length");
        if (lengths != null) {
            long length = contentLength(lengths);
            if (length > max) {
                throw new TooLarge("response body of " + length + " bytes exceeds the limit of " + max);
            }
            byte[] body = new byte[(int) length];
            int off = 0;
            while (off < body.length) {
                int n = in.read(body, off, body.length - off);
                if (n < 0) throw new IOException("response body ended after " + off + " of " + length + " bytes");
                off += n;
            }
            return body;
        }
        return readToEnd(in, max);
    }

    private static long contentLength(List<String> values) throws IOException {
        long length = -1;
        for (String v : values) {
            for (String part : v.split(",")) {
                String p = part.trim();
                if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new IOException("bad Content-Length " + quote(abbreviate(v)));
                }
                long n = Long.parseLong(p);
                if (length >= 0 && n != length) throw new IOException("conflicting Content-Length values " + values);
                length = n;
            }
        }
        return length;
    }

    private static byte[] readToEnd(Wire in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf, 0, buf.length)) >= 0) {
            if (out.size() + (long) n > max) {
                throw new TooLarge("response body exceeds the limit of " + max + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] readChunked(Wire in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            String line = readLine(in, MAX_LINE_BYTES);
            int semi = line.indexOf(';');
            String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
            if (hex.isEmpty() || hex.length() > 15) throw new IOException("bad chunk size " + quote(abbreviate(line)));
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size " + quote(abbreviate(line)), e);
            }
            if (size == 0) {
                // Trailer fields, up to the empty line.
                int budget = MAX_HEAD_BYTES;
                String trailer;
                while (!(trailer = readLine(in, MAX_LINE_BYTES)).isEmpty()) {
                    budget -= trailer.length();
                    if (budget < 0) throw new TooLarge("trailer exceeds " + MAX_HEAD_BYTES + " bytes");
                }
                return out.toByteArray();
            }
            if (out.size() + size > max) {
                throw new TooLarge("response body exceeds the limit of " + max + " bytes");
            }
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new IOException("chunked response body ended early");
                out.write(buf, 0, n);
                left -= n;
            }
            if (!readLine(in, 2).isEmpty()) throw new IOException("chunk not followed by CRLF");
        }
    }

    /** A line ending in CRLF (or a bare LF), without the ending, decoded as ISO-8859-1. */
    private static String readLine(Wire in, int max) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed in the middle of the response head");
            if (c == '\n') break;
            if (sb.length() >= max) throw new TooLarge("a response line exceeds " + max + " bytes");
            sb.append((char) c);
        }
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
        return sb.toString();
    }

    // ---------------------------------------------------------------- helpers

    private static boolean sameOrigin(NetworkTarget a, NetworkTarget b) {
        return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
    }

    private static Map<String, String> withoutCredentials(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!CREDENTIAL_HEADERS.contains(k.toLowerCase(Locale.ROOT))) out.put(k, v);
        });
        return Collections.unmodifiableMap(out);
    }

    private static String quote(String s) {
        return '"' + s + '"';
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }

    // ------------------------------------------------------------- public types

    /**
     * One request.
     *
     * @param method  {@code GET HEAD POST PUT PATCH DELETE OPTIONS} in any case (kept in ASCII upper
     *                case); the policy decides, others are refused
     * @param url     an absolute http(s) URL
     * @param headers extra header fields; {@code Host}, {@code Content-Length},
     *                {@code Transfer-Encoding}, {@code Connection} and other hop-by-hop fields are
     *                written by the tool and may not be set
     * @param body    the request body, or {@code null}
     */
    public record Request(String method, String url, Map<String, String> headers, byte[] body) {
        /** Upper-cases the method, checks that the URL is given and copies headers and body. */
        public Request {
            method = asciiUpperCase(Objects.requireNonNull(method, "method"));
            Objects.requireNonNull(url, "url");
            headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            for (Map.Entry<String, String> h : headers.entrySet()) {
                checkHeader(h.getKey(), h.getValue());
            }
            body = body == null ? null : body.clone();
        }

        /**
         * {@return a request without extra headers or body}
         *
         * @param method the HTTP method
         * @param url the URL
         */
        public static Request of(String method, String url) {
            return new Request(method, url, Map.of(), null);
        }

        /** ASCII letters to upper case, nothing else: the policy compares methods the same way. */
        private static String asciiUpperCase(String method) {
            StringBuilder sb = new StringBuilder(method.length());
            for (int i = 0; i < method.length(); i++) {
                char c = method.charAt(i);
                sb.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
            }
            return sb.toString();
        }

        /**
         * The request body.
         *
         * @return a copy of the body, or {@code null}
         */
        @Override
        public byte[] body() {
            return body == null ? null : body.clone();
        }

        private static void checkHeader(String name, String value) {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, "header value");
            if (name.isEmpty() || !name.chars().allMatch(Request::isTokenChar)) {
                throw new IllegalArgumentException("header name " + quote(name) + " is not an HTTP token");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + name + " is written by the tool and may not be set");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                    throw new IllegalArgumentException(String.format(
                            "header %s: character U+%04X is not allowed in a field value", name, (int) c));
                }
            }
        }

        private static boolean isTokenChar(int c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }

    /**
     * A response.
     *
     * @param status        the status code
     * @param reasonPhrase  the status line's reason phrase
     * @param headers       header fields, names in lower case, values in order
     * @param body          the body (empty for {@code HEAD}, 204 and 304)
     * @param url           the URL that answered (after redirects)
     * @param redirects     the URLs redirected to, in order
     * @param remoteAddress the checked address and port the answer came from
     */
    public record Response(int status, String reasonPhrase, Map<String, List<String>> headers, byte[] body,
                           String url, List<String> redirects, InetSocketAddress remoteAddress) {
        /**
         * {@return the first value of header {@code name} (any case), or {@code null}}
         *
         * @param name the header's name, in any case
         */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        /** {@return the body decoded as UTF-8} */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A response (head, body or trailer) larger than the tool's bound; code {@code IO}. */
    public static final class ResponseTooLargeException extends SandboxException {
        private static final long serialVersionUID = 1L;

        /**
         * A response over the bound.
         *
         * @param message which response and which bound
         * @param cause   where in the response it was found
         */
        public ResponseTooLargeException(String message, Throwable cause) {
            super(SandboxException.Code.IO, message, cause);
        }
    }

    /** The bound was exceeded, deep in the reading code (which throws {@link IOException}). */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    /**
     * Settings of an {@link HttpTool}.
     *
     * @param resolver         turns names into addresses (default {@link HostResolver#SYSTEM})
     * @param connectTimeout   per connection attempt (default 10 s)
     * @param readTimeout      per read (default 30 s)
     * @param timeout          for the whole request including redirects (default 120 s)
     * @param maxResponseBytes bound of a response body (default 10 MiB)
     * @param followRedirects  follow 301/302/303/307/308 (default {@code true}); when off, a
     *                         redirect response is returned as is
     * @param maxRedirects     0 to {@link #MAX_REDIRECTS} (default 20)
     * @param sslContext       TLS settings and trust (default {@link SSLContext#getDefault()})
     */
    public record Options(HostResolver resolver, Duration connectTimeout, Duration readTimeout, Duration timeout,
                          long maxResponseBytes, boolean followRedirects, int maxRedirects, SSLContext sslContext) {
        /** Checks that every setting is given and in range. */
        public Options {
            Objects.requireNonNull(resolver, "resolver");
            positive(connectTimeout, "connectTimeout");
            positive(readTimeout, "readTimeout");
            positive(timeout, "timeout");
            if (maxResponseBytes < 0 || maxResponseBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxResponseBytes must be between 0 and " + (Integer.MAX_VALUE - 8));
            }
            if (maxRedirects < 0 || maxRedirects > MAX_REDIRECTS) {
                throw new IllegalArgumentException("maxRedirects must be between 0 and " + MAX_REDIRECTS);
            }
            Objects.requireNonNull(sslContext, "sslContext");
        }

        private static void positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
        }

        /** {@return the defaults listed above} */
        public static Options defaults() {
            SSLContext tls;
            try {
                tls = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context in this JVM", e);
            }
            return new Options(HostResolver.SYSTEM, Duration.ofSeconds(10), Duration.ofSeconds(30),
                    Duration.ofSeconds(120), 10L * 1024 * 1024, true, MAX_REDIRECTS, tls);
        }

        /**
         * These settings with another resolver.
         *
         * @param r the resolver
         * @return new settings; these are unchanged
         */
        public Options withResolver(HostResolver r) {
            return new Options(r, connectTimeout, readTimeout, timeout, maxResponseBytes, followRedirects, maxRedirects, sslContext);
        }

        /**
         * These settings with another connection timeout.
         *
         * @param d the timeout of each connection attempt
         * @return new settings; these are unchanged
         */
        public Options withConnectTimeout(Duration d) {
            return new Options(resolver, d, readTimeout, timeout, maxResponseBytes, followRedirects, maxRedirects, sslContext);
        }

        /**
         * These settings with another read timeout.
         *
         * @param d the timeout of each read
         * @return new settings; these are unchanged
         */
        public Options withReadTimeout(Duration d) {
            return new Options(resolver, connectTimeout, d, timeout, maxResponseBytes, followRedirects, maxRedirects, sslContext);
        }

        /**
         * These settings with another total timeout.
         *
         * @param d the timeout of the whole request, redirects included
         * @return new settings; these are unchanged
         */
        public Options withTimeout(Duration d) {
            return new Options(resolver, connectTimeout, readTimeout, d, maxResponseBytes, followRedirects, maxRedirects, sslContext);
        }

        /**
         * These settings with another response bound.
         *
         * @param n the largest response body accepted, in bytes
         * @return new settings; these are unchanged
         */
        public Options withMaxResponseBytes(long n) {
            return new Options(resolver, connectTimeout, readTimeout, timeout, n, followRedirects, maxRedirects, sslContext);
        }

        /**
         * These settings with another redirect setting.
         *
         * @param follow whether to follow redirects
         * @return new settings; these are unchanged
         */
        public Options withFollowRedirects(boolean follow) {
            return new Options(resolver, connectTimeout, readTimeout, timeout, maxResponseBytes, follow, maxRedirects, sslContext);
        }

        /**
         * These settings with another redirect bound.
         *
         * @param n how many redirects to follow at most
         * @return new settings; these are unchanged
         */
        public Options withMaxRedirects(int n) {
            return new Options(resolver, connectTimeout, readTimeout, timeout, maxResponseBytes, followRedirects, n, sslContext);
        }

        /**
         * These settings with another TLS context.
         *
         * @param c the TLS settings and trust
         * @return new settings; these are unchanged
         */
        public Options withSslContext(SSLContext c) {
            return new Options(resolver, connectTimeout, readTimeout, timeout, maxResponseBytes, followRedirects, maxRedirects, c);
        }
    }
}
