package dev.ku0.sandbox.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The virtual root of the paths corpus: {@code /} maps to a fresh temporary directory {@code R}
 * and every absolute path is prefixed with {@code R}, except {@code /dev}, {@code /proc} and
 * {@code /sys}. Fixture lines: {@code dir P} ({@code mkdir P}), {@code file P},
 * {@code symlink L -> T}, {@code move A -> B} ({@code rename}, {@code mv}), {@code delete P}
 * ({@code remove}, {@code rm}).
 */
final class VirtualRoot implements AutoCloseable {
    static final String[] BASELINE = {
        "dir /ws/src", "file /ws/src/main.rs", "file /ws/README.md", "file /ws/.env",
        "file /ws/node_modules/.bin/tsc", "file /home/user/.ssh/id_rsa", "file /home/user/.aws/credentials",
        "file /home/user/.gitconfig", "file /etc/passwd", "dir /etc/ssh", "dir /etc/cron.d", "dir /tmp",
        "dir /ws/.git/hooks", "file /ws/config/.env", "file /ws/config/.env.example", "file /ws/certs/server.pem",
        "file /ws/docs/pem-guide.md",
    };

    /** The verbs of fixture and race lines. */
    static final java.util.Set<String> VERBS =
            java.util.Set.of("dir", "mkdir", "file", "symlink", "move", "rename", "mv", "delete", "remove", "rm");

    final Path root;

    VirtualRoot() {
        try {
            // Not a name starting with '.': a hidden component above the workspace would change
            // what permissive cases decide.
            root = Files.createTempDirectory("fsroot").toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prefixes an absolute virtual path (also inside a {@code file://} URL) with the root. */
    String map(String p) {
        if (p.startsWith("file://")) return "file://" + map(p.substring("file://".length()));
        if (!p.startsWith("/")) return p;
        for (String sys : new String[] {"/dev", "/proc", "/sys"}) {
            if (p.equals(sys) || p.startsWith(sys + "/")) return p;
        }
        return root + p;
    }

    Path host(String p) {
        return Path.of(map(p));
    }

    void apply(String line) {
        try {
            int sp = line.indexOf(' ');
            String verb = sp < 0 ? line : line.substring(0, sp);
            String rest = sp < 0 ? "" : line.substring(sp + 1).trim();
            switch (verb) {
                case "dir", "mkdir" -> Files.createDirectories(host(rest));
                case "file" -> {
                    Path p = host(rest);
                    Files.createDirectories(p.getParent());
                    Files.writeString(p, "content of " + rest + "\n");
                }
                case "symlink" -> {
                    String[] ab = pair(line, rest);
                    Path l = host(ab[0]);
                    Files.createDirectories(l.getParent());
                    Files.createSymbolicLink(l, Path.of(map(ab[1])));
                }
                case "delete", "remove", "rm" -> {
                    Path p = host(rest);
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        try (Stream<Path> s = Files.walk(p)) {
                            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
                        }
                    } else {
                        Files.delete(p);
                    }
                }
                case "move", "rename", "mv" -> {
                    String[] ab = pair(line, rest);
                    Path to = host(ab[1]);
                    Files.createDirectories(to.getParent());
                    Files.move(host(ab[0]), to);
                }
                default -> throw new IllegalArgumentException("unknown fixture verb in " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("fixture line " + line, e);
        }
    }

    /**
     * Applies the actions of a race line, e.g. {@code after check, rename /ws/dir -> /ws/dir.bak and
     * symlink /ws/dir -> /etc}: each is a known verb followed by a path (and {@code -> path});
     * every other word is narration. Returns how many actions were applied.
     */
    int applyRace(String race) {
        String[] w = race.trim().split("\\s+");
        int applied = 0;
        for (int i = 0; i < w.length; ) {
            if (VERBS.contains(w[i]) && i + 1 < w.length && w[i + 1].startsWith("/")) {
                String action = w[i] + " " + stripComma(w[i + 1]);
                i += 2;
                if (i + 1 < w.length && w[i].equals("->") && w[i + 1].startsWith("/")) {
                    action += " -> " + stripComma(w[i + 1]);
                    i += 2;
                }
                apply(action);
                applied++;
            } else {
                i++;
            }
        }
        return applied;
    }

    private static String stripComma(String s) {
        return s.endsWith(",") ? s.substring(0, s.length() - 1) : s;
    }

    private static String[] pair(String line, String rest) {
        int arrow = rest.indexOf(" -> ");
        if (arrow < 0) throw new IllegalArgumentException("fixture line without ->: " + line);
        return new String[] {rest.substring(0, arrow).trim(), rest.substring(arrow + 4).trim()};
    }

    /** Every path under the root with what it is (links not followed, file contents included). */
    Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String what;
                if (Files.isSymbolicLink(p)) what = "link " + Files.readSymbolicLink(p);
                else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) what = "dir";
                else what = "file " + new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                out.put(root.relativize(p).toString(), what);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort: the directory is temporary.
                }
            });
        } catch (IOException ignored) {
            // Best effort.
        }
    }
}
