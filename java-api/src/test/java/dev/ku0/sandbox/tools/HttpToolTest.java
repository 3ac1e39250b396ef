package dev.ku0.sandbox.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.NetworkPolicy;
import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.SandboxViolationException;
import dev.ku0.sandbox.Violation;
import dev.ku0.sandbox.ViolationType;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP tool against a server on 127.0.0.1 and a resolver the test controls. What must hold:
 * names and literals that reach loopback or metadata addresses are refused before any connection,
 * redirects are checked hop by hop, and a rebinding name is connected only to the address that
 * was checked.
 */
class HttpToolTest {
    /** An existing directory for managers whose checks name no file in their workspace. */
    private static final String ANY_DIR = System.getProperty("java.io.tmpdir");

    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeLater) c.close();
    }

    /** A resolver with fixed answers; a name with several answers gives them in turn (rebinding). */
    static final class FakeDns implements HostResolver {
        private final Map<String, List<List<InetAddress>>> answers = new HashMap<>();
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        FakeDns answer(String name, String... addresses) {
            answers.computeIfAbsent(name, k -> new ArrayList<>()).add(Arrays.stream(addresses).map(HttpToolTest::literal).toList());
            return this;
        }

        int calls(String name) {
            AtomicInteger n = calls.get(name);
            return n == null ? 0 : n.get();
        }

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            int i = calls.computeIfAbsent(host, k -> new AtomicInteger()).getAndIncrement();
            List<List<InetAddress>> list = answers.get(host);
            if (list == null) throw new UnknownHostException(host);
            return list.get(Math.min(i, list.size() - 1));
        }
    }

    private SandboxManager manager(boolean allowLocalhost, List<String> allowed, List<String> blocked) {
        Policy base = Policies.WORKSPACE;
        Policy p = new Policy(base.version(), "http-tool-test", base.filesystem(),
                new NetworkPolicy(true, allowed, blocked, allowLocalhost, true, true), base.commands(), base.limits());
        SandboxManager m = SandboxManager.builder(p).workspace(Path.of(ANY_DIR)).home(Path.of("/home/user")).build();
        closeLater.add(m);
        return m;
    }

    private TestHttpServer server(java.util.function.Function<TestHttpServer.Seen, byte[]> handler) throws IOException {
        TestHttpServer s = new TestHttpServer(handler);
        closeLater.add(s);
        return s;
    }

    private static HttpTool tool(SandboxManager m, HostResolver dns) {
        return new HttpTool(m, HttpTool.Options.defaults().withResolver(dns));
    }

    private static SandboxViolationException refused(DecisionCode code, org.junit.jupiter.api.function.Executable call) {
        SandboxViolationException e = assertThrows(SandboxViolationException.class, call);
        assertEquals(code, e.decision().code(), e.getMessage());
        return e;
    }

    // ------------------------------------------------------------ allowed

    @Test
    void fetchesFromTheCheckedAddressWithTheNameInHost() throws Exception {
        TestHttpServer srv = server(seen -> TestHttpServer.ok("hello " + seen.target()));
        FakeDns dns = new FakeDns().answer("app.test", "127.0.0.1");
        HttpTool http = tool(manager(true, null, null), dns);

        HttpTool.Response r = http.get("http://App.Test.:" + srv.port() + "/greet?x=1#frag");

        assertEquals(200, r.status());
        assertEquals("hello /greet?x=1", r.bodyText());
        assertEquals("127.0.0.1", r.remoteAddress().getAddress().getHostAddress());
        TestHttpServer.Seen seen = srv.requests().get(0);
        assertEquals("GET", seen.method());
        assertEquals("app.test:" + srv.port(), seen.header("Host"));
        assertEquals("identity", seen.header("Accept-Encoding"));
        assertEquals(1, dns.calls("app.test"));
    }

    @Test
    void sendsBodiesAndUpperCasesTheMethod() throws Exception {
        TestHttpServer srv = server(seen -> TestHttpServer.ok(seen.method() + " " + new String(seen.body(), StandardCharsets.UTF_8)));
        HttpTool http = tool(manager(true, null, null), new FakeDns().answer("app.test", "127.0.0.1"));
        HttpTool.Response r = http.send(new HttpTool.Request("post", "http://app.test:" + srv.port() + "/",
                Map.of("Content-Type", "text/plain", "Authorization", "Bearer t"), "payload".getBytes(StandardCharsets.UTF_8)));
        assertEquals("POST payload", r.bodyText());
        assertEquals("Bearer t", srv.requests().get(0).header("Authorization"));
        assertEquals("7", srv.requests().get(0).header("Content-Length"));
    }

    // ------------------------------------------------------------ refused by name or literal

    @Test
    void aNameResolvingToLoopbackIsRefusedWithoutConnecting() throws Exception {
        TestHttpServer srv = server(seen -> TestHttpServer.ok("secret"));
        SandboxManager m = manager(false, null, null);
        HttpTool http = tool(m, new FakeDns().answer("loop.test", "127.0.0.1"));

        SandboxViolationException e = refused(DecisionCode.RESOLVED_ADDRESS_DENIED,
                () -> http.get("http://loop.test:" + srv.port() + "/"));

        assertTrue(e.decision().reason().contains("127.0.0.1"), e.decision().reason());
        assertEquals(0, srv.connections(), "no connection may be made to a refused address");
        Violation v = m.getViolations().get(m.getViolations().size() - 1);
        assertEquals(ViolationType.NETWORK, v.type());
        assertEquals(DecisionCode.RESOLVED_ADDRESS_DENIED, v.code());
    }

    @Test
    void aNameResolvingToTheMetadataServiceIsRefused() throws Exception {
        // allow_localhost is on: only the metadata rule can refuse.
        FakeDns dns = new FakeDns().answer("meta.test", "169.254.169.254").answer("mixed.test", "127.0.0.1", "169.254.169.254")
                .answer("nat64.test", "64:ff9b::a9fe:a9fe").answer("mapped.test", "::ffff:169.254.169.254");
        HttpTool http = tool(manager(true, null, null), dns);
        for (String name : List.of("meta.test", "mixed.test", "nat64.test", "mapped.test")) {
            SandboxViolationException e = refused(DecisionCode.RESOLVED_ADDRESS_DENIED, () -> http.get("http://" + name + "/latest/meta-data/"));
            assertTrue(e.decision().reason().contains("169.254.169.254"), e.decision().reason());
        }
    }

    @Test
    void literalsOfLoopbackAndMetadataAreRefusedInEverySpelling() throws Exception {
        TestHttpServer srv = server(seen -> TestHttpServer.ok("secret"));
        FakeDns dns = new FakeDns();
        HttpTool http = tool(manager(false, null, null), dns);
        int port = srv.port();
        for (String url : List.of("http://127.0.0.1:" + port + "/", "http://2130706433:" + port + "/",
                "http://0x7f.1:" + port + "/", "http://[::ffff:127.0.0.1]:" + port + "/", "http://[::1]:" + port + "/",
                "http://localhost:" + port + "/", "http://app.localhost:" + port + "/")) {
            refused(DecisionCode.LOCALHOST_NOT_ALLOWED, () -> http.get(url));
        }
        refused(DecisionCode.PRIVATE_ADDRESS, () -> http.get("http://0.0.0.0:" + port + "/"));
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://0251.0376.0251.0376/",
                "http://[fd00:ec2::254]/", "http://metadata.google.internal/computeMetadata/v1/")) {
            refused(DecisionCode.METADATA_ENDPOINT, () -> http.get(url));
        }
        assertEquals(0, srv.connections());
        assertEquals(0, dns.calls.size(), "literals and refused names are never looked up");
    }

    @Test
    void refusedNamesAreNeverLookedUp() {
        FakeDns dns = new FakeDns().answer("evil.test", "93.184.216.34").answer("other.test", "93.184.216.34");
        HttpTool http = tool(manager(true, List.of("allowed.test"), List.of("evil.test")), dns);
        refused(DecisionCode.BLOCKED_DOMAIN, () -> http.get("http://www.evil.test/"));
        refused(DecisionCode.DOMAIN_NOT_ALLOWED, () -> http.get("http://other.test/"));
        assertEquals(0, dns.calls("www.evil.test") + dns.calls("other.test"));
    }

    @Test
    void unsafeUrlsAndMethodsAreRefusedAndRecorded() {
        SandboxManager m = manager(true, null, null);
        HttpTool http = tool(m, new FakeDns().answer("app.test", "127.0.0.1"));
        refused(DecisionCode.UNSAFE_URL, () -> http.get("http://user:pw@app.test/"));
        refused(DecisionCode.UNSAFE_URL, () -> http.get("http://app.test\\@evil.test/"));
        refused(DecisionCode.INVALID_URL, () -> http.get("app.test/x"));
        refused(DecisionCode.SCHEME_NOT_ALLOWED, () -> http.get("gopher://app.test/"));
        refused(DecisionCode.METHOD_NOT_ALLOWED, () -> http.send(HttpTool.Request.of("TRACE", "http://app.test/")));
        refused(DecisionCode.METHOD_NOT_ALLOWED, () -> http.send(HttpTool.Request.of("GET /x HTTP/1.1\r\nX:", "http://app.test/")));
        assertEquals(6, m.getViolations().size());
    }

    // ------------------------------------------------------------ redirects

    @Test
    void aRedirectFromAnAllowedHostToAPrivateAddressIsRefused() throws Exception {
        Map<String, String> locations = Map.of("/ip", "http://10.0.0.7/admin", "/name", "http://internal.test/admin",
                "/meta", "http://169.254.169.254/latest/meta-data/", "/relative", "//169.254.169.254/",
                "/loop", "http://127.0.0.1:1/");
        TestHttpServer srv = server(seen -> TestHttpServer.redirect(302, locations.get(seen.target())));
        FakeDns dns = new FakeDns().answer("allowed.test", "127.0.0.1").answer("internal.test", "192.168.1.10");
        SandboxManager m = manager(true, List.of("allowed.test", "internal.test", "127.0.0.1"), null);
        HttpTool http = tool(m, dns);
        String base = "http://allowed.test:" + srv.port();

        refused(DecisionCode.PRIVATE_ADDRESS, () -> http.get(base + "/ip"));
        SandboxViolationException e = refused(DecisionCode.RESOLVED_ADDRESS_DENIED, () -> http.get(base + "/name"));
        assertTrue(e.decision().reason().contains("192.168.1.10"), e.decision().reason());
        refused(DecisionCode.METADATA_ENDPOINT, () -> http.get(base + "/meta"));
        refused(DecisionCode.METADATA_ENDPOINT, () -> http.get(base + "/relative"));
        assertEquals(4, srv.connections(), "each request reached the allowed host once and went no further");
        assertEquals(DecisionCode.METADATA_ENDPOINT, m.getViolations().get(m.getViolations().size() - 1).code());
    }

    @Test
    void everyHopIsResolvedAndCheckedAgain() throws Exception {
        TestHttpServer srv = server(seen -> switch (seen.target()) {
            case "/a" -> TestHttpServer.redirect(301, "/b");
            case "/b" -> TestHttpServer.redirect(307, "http://second.test:" + seenPort(seen) + "/c");
            default -> TestHttpServer.ok("done " + seen.header("Host"));
        });
        FakeDns dns = new FakeDns().answer("first.test", "127.0.0.1").answer("second.test", "127.0.0.1");
        HttpTool http = tool(manager(true, null, null), dns);

        HttpTool.Response r = http.send(new HttpTool.Request("GET", "http://first.test:" + srv.port() + "/a",
                Map.of("Authorization", "Bearer secret"), null));

        assertEquals("done second.test:" + srv.port(), r.bodyText());
        assertEquals(List.of("http://first.test:" + srv.port() + "/b", "http://second.test:" + srv.port() + "/c"), r.redirects());
        assertEquals("http://second.test:" + srv.port() + "/c", r.url());
        assertEquals(2, dns.calls("first.test"), "a fresh lookup and check for each hop on the same host");
        assertEquals(1, dns.calls("second.test"));
        List<TestHttpServer.Seen> seen = srv.requests();
        assertEquals("Bearer secret", seen.get(1).header("Authorization"), "same origin keeps credentials");
        assertNull(seen.get(2).header("Authorization"), "credentials are not sent to another host");
    }

    private static int seenPort(TestHttpServer.Seen seen) {
        return seen.local().getPort();
    }

    @Test
    void postBecomesGetAfterA303() throws Exception {
        TestHttpServer srv = server(seen -> seen.target().equals("/form")
                ? TestHttpServer.redirect(303, "/result") : TestHttpServer.ok(seen.method() + " " + seen.body().length));
        HttpTool http = tool(manager(true, null, null), new FakeDns().answer("app.test", "127.0.0.1"));
        HttpTool.Response r = http.send(new HttpTool.Request("POST", "http://app.test:" + srv.port() + "/form", null,
                "x=1".getBytes(StandardCharsets.UTF_8)));
        assertEquals("GET 0", r.bodyText());
    }

    @Test
    void moreThanTwentyRedirectsAreRefused() throws Exception {
        TestHttpServer srv = server(seen -> TestHttpServer.redirect(302, "/loop"));
        SandboxManager m = manager(true, null, null);
        HttpTool http = tool(m, new FakeDns().answer("app.test", "127.0.0.1"));
        refused(DecisionCode.TOO_MANY_REDIRECTS, () -> http.get("http://app.test:" + srv.port() + "/loop"));
        assertEquals(HttpTool.MAX_REDIRECTS + 1, srv.requests().size());
        assertEquals(DecisionCode.TOO_MANY_REDIRECTS, m.getViolations().get(m.getViolations().size() - 1).code());

        HttpTool.Response r = new HttpTool(m, http.options().withFollowRedirects(false)).get("http://app.test:" + srv.port() + "/loop");
        assertEquals(302, r.status());
        assertEquals("/loop", r.header("Location"));
    }

    @Test
    void aRebindingNameIsConnectedOnlyToTheCheckedAddress() throws Exception {
        TestHttpServer srv = server(seen -> seen.target().equals("/again")
                ? TestHttpServer.redirect(302, "/after") : TestHttpServer.ok("from the checked address"));
        // Two answers point to the local test server (allowed); every later one to the metadata service.
        FakeDns dns = new FakeDns().answer("rebind.test", "127.0.0.1").answer("rebind.test", "127.0.0.1")
                .answer("rebind.test", "169.254.169.254");
        HttpTool http = tool(manager(true, null, null), dns);

        HttpTool.Response r = http.get("http://rebind.test:" + srv.port() + "/");
        assertEquals("from the checked address", r.bodyText());
        assertEquals("127.0.0.1", r.remoteAddress().getAddress().getHostAddress());
        assertEquals(1, dns.calls("rebind.test"), "one lookup: the connection uses the checked answer, never a second one");

        // A redirect is a new hop: the name is looked up again and the new answer is checked.
        SandboxViolationException e = refused(DecisionCode.RESOLVED_ADDRESS_DENIED,
                () -> http.get("http://rebind.test:" + srv.port() + "/again"));
        assertTrue(e.decision().reason().contains("169.254.169.254"), e.decision().reason());
        assertEquals(3, dns.calls("rebind.test"));
        assertEquals(2, srv.connections(), "the hop to the rebound answer never connected");
    }

    @Test
    void aRebindingNameWhoseFirstAnswerIsPrivateIsRefused() throws Exception {
        TestHttpServer srv = server(seen -> TestHttpServer.ok("x"));
        FakeDns dns = new FakeDns().answer("rebind.test", "10.1.2.3").answer("rebind.test", "127.0.0.1");
        HttpTool http = tool(manager(true, null, null), dns);
        refused(DecisionCode.RESOLVED_ADDRESS_DENIED, () -> http.get("http://rebind.test:" + srv.port() + "/"));
        assertEquals(0, srv.connections());
    }

    // ------------------------------------------------------------ bounds and protocol

    @Test
    void responseSizeIsBounded() throws Exception {
        byte[] big = new byte[64 * 1024];
        TestHttpServer srv = server(seen -> switch (seen.target()) {
            case "/length" -> TestHttpServer.response("200 OK", "", big);
            case "/chunked" -> chunked(big);
            default -> {
                byte[] head = TestHttpServer.raw("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
                byte[] all = Arrays.copyOf(head, head.length + big.length);
                yield all;
            }
        });
        HttpTool small = new HttpTool(manager(true, null, null), HttpTool.Options.defaults()
                .withResolver(new FakeDns().answer("app.test", "127.0.0.1")).withMaxResponseBytes(16 * 1024));
        for (String path : List.of("/length", "/chunked", "/until-close")) {
            assertThrows(HttpTool.ResponseTooLargeException.class, () -> small.get("http://app.test:" + srv.port() + path), path);
        }
        HttpTool enough = new HttpTool(manager(true, null, null), small.options().withMaxResponseBytes(big.length));
        for (String path : List.of("/length", "/chunked", "/until-close")) {
            assertArrayEquals(big, enough.get("http://app.test:" + srv.port() + path).body(), path);
        }
    }

    private static byte[] chunked(byte[] body) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        int chunk = 5000;
        for (int off = 0; off < body.length; off += chunk) {
            int n = Math.min(chunk, body.length - off);
            sb.append(Integer.toHexString(n)).append(";ext=1\r\n").append(new String(body, off, n, StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        sb.append("0\r\nX-Trailer: t\r\n\r\n");
        return TestHttpServer.raw(sb.toString());
    }

    @Test
    void headersThatCouldSplitTheRequestAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new HttpTool.Request("GET", "http://a.test/", Map.of("X", "a\r\nHost: evil"), null));
        assertThrows(IllegalArgumentException.class, () -> new HttpTool.Request("GET", "http://a.test/", Map.of("Host", "evil.test"), null));
        assertThrows(IllegalArgumentException.class, () -> new HttpTool.Request("GET", "http://a.test/", Map.of("Bad Name", "x"), null));
    }

    // ------------------------------------------------------------ TLS keeps the name

    @Test
    void tlsSendsTheCheckedNameAsSniAndVerifiesTheCertificate(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=secure.test",
                "-ext", "SAN=dns:secure.test", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", ks.getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        TestHttpServer srv = new TestHttpServer(seen -> TestHttpServer.ok("over tls"), serverTls);
        closeLater.add(srv);
        FakeDns dns = new FakeDns().answer("secure.test", "127.0.0.1").answer("other.test", "127.0.0.1");
        HttpTool http = new HttpTool(manager(true, null, null),
                HttpTool.Options.defaults().withResolver(dns).withSslContext(clientTls));

        HttpTool.Response r = http.get("https://secure.test:" + srv.port() + "/");
        assertEquals("over tls", r.bodyText());
        TestHttpServer.Seen seen = srv.requests().get(0);
        assertEquals(List.of("secure.test"), seen.serverNames(), "SNI carries the checked name, not the address");
        assertEquals("secure.test:" + srv.port(), seen.header("Host"));
        assertEquals("127.0.0.1", r.remoteAddress().getAddress().getHostAddress());

        // The certificate is verified against the name: another name on the same address fails.
        dev.ku0.sandbox.SandboxException tls = assertThrows(dev.ku0.sandbox.SandboxException.class,
                () -> http.get("https://other.test:" + srv.port() + "/"));
        assertTrue(tls.getCause() instanceof SSLHandshakeException, String.valueOf(tls.getCause()));
    }

    /** A test address literal (parsed, never looked up). */
    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    @Test
    void failuresThatAreNotRefusalsAreUncheckedWithTheIoExceptionAsCause() throws IOException {
        HttpTool http = tool(manager(true, null, null), new FakeDns());
        dev.ku0.sandbox.SandboxException e = assertThrows(dev.ku0.sandbox.SandboxException.class,
                () -> http.get("http://nowhere.test/"));
        assertEquals(dev.ku0.sandbox.SandboxException.Code.IO, e.code());
        assertTrue(e.getCause() instanceof java.net.UnknownHostException, String.valueOf(e.getCause()));
        assertTrue(e.getMessage().startsWith("GET http://nowhere.test/: cannot resolve"), e.getMessage());
    }
}
