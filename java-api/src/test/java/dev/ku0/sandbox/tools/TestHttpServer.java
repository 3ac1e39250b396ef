package dev.ku0.sandbox.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small HTTP/1.1 server on 127.0.0.1 for the tool's tests: it counts every TCP connection it
 * accepts, records each request (with the TLS server name the client sent), and answers with
 * whatever the test's handler returns.
 */
final class TestHttpServer implements AutoCloseable {
    /** One request as the server saw it. */
    record Seen(String method, String target, Map<String, String> headers, byte[] body, List<String> serverNames,
                InetSocketAddress local) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final ServerSocket server;
    private final boolean tls;
    private final Function<Seen, byte[]> handler;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Seen> requests = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    TestHttpServer(Function<Seen, byte[]> handler) throws IOException {
        this(handler, null);
    }

    TestHttpServer(Function<Seen, byte[]> handler, SSLContext tls) throws IOException {
        this.handler = handler;
        this.tls = tls != null;
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = new ServerSocket();
        } else {
            server = tls.getServerSocketFactory().createServerSocket();
        }
        server.bind(bind);
        thread = daemon(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** TCP connections accepted so far. */
    int connections() {
        return connections.get();
    }

    List<Seen> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                daemon(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(10_000);
            List<String> names = new ArrayList<>();
            if (tls) {
                SSLSocket ssl = (SSLSocket) s;
                ssl.startHandshake();
                for (SNIServerName n : ((ExtendedSSLSession) ssl.getSession()).getRequestedServerNames()) {
                    if (n instanceof SNIHostName h) names.add(h.getAsciiName());
                }
            }
            InputStream in = s.getInputStream();
            String requestLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            String h;
            while (!(h = line(in)).isEmpty()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            String[] parts = requestLine.split(" ");
            Seen seen = new Seen(parts[0], parts[1], headers, body, names, (InetSocketAddress) s.getLocalSocketAddress());
            requests.add(seen);
            OutputStream out = s.getOutputStream();
            out.write(handler.apply(seen));
            out.flush();
        } catch (IOException | RuntimeException e) {
            // The client went away or sent something the test did not expect; the test asserts on what it saw.
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') b.write(c);
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- canned responses

    static byte[] ok(String body) {
        return response("200 OK", "Content-Type: text/plain\r\n", body.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] redirect(int status, String location) {
        return response(status + " Moved", "Location: " + location + "\r\n", new byte[0]);
    }

    static byte[] response(String status, String extraHeaders, byte[] body) {
        byte[] head = ("HTTP/1.1 " + status + "\r\n" + extraHeaders + "Content-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    static byte[] raw(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "test-http");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
