package dev.ku0.sandbox.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A fresh temporary directory standing for {@code /}, as the golden corpus describes: absolute
 * virtual paths are prefixed with it (except {@code /dev}, {@code /proc} and {@code /sys}), and
 * fixture lines ({@code dir P}, {@code file P}, {@code symlink LINK -> TARGET}, {@code move A -> B})
 * build the tree.
 */
public final class VirtualRoot implements AutoCloseable {
    private final Path root;

    private VirtualRoot(Path root) {
        this.root = root;
    }

    /** A new empty root; its own path is canonical, so that real paths below it keep it as prefix. */
    public static VirtualRoot create() {
        try {
            return new VirtualRoot(Files.createTempDirectory("ku0-sandbox-bench-").toRealPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real directory standing for {@code /}. */
    public Path root() {
        return root;
    }

    /** Maps an absolute virtual path below the root; anything else is returned unchanged. */
    public String map(String virtual) {
        if (!virtual.startsWith("/") || isSystem(virtual)) return virtual;
        return virtual.equals("/") ? root.toString() : root + virtual;
    }

    private static boolean isSystem(String p) {
        for (String s : new String[] {"/dev", "/proc", "/sys"}) {
            if (p.equals(s) || p.startsWith(s + "/")) return true;
        }
        return false;
    }

    /** Applies one fixture line; {@code race:} lines describe a later swap and are ignored here. */
    public void apply(String line) {
        try {
            String[] w = line.trim().split("\\s+", 2);
            switch (w[0]) {
                case "dir" -> Files.createDirectories(Path.of(map(w[1])));
                case "file" -> {
                    Path f = Path.of(map(w[1]));
                    Files.createDirectories(f.getParent());
                    Files.writeString(f, "fixture\n");
                }
                case "symlink" -> {
                    String[] lt = w[1].split("\\s*->\\s*", 2);
                    Path link = Path.of(map(lt[0]));
                    Files.createDirectories(link.getParent());
                    Files.createSymbolicLink(link, Path.of(map(lt[1])));
                }
                case "move" -> {
                    String[] ab = w[1].split("\\s*->\\s*", 2);
                    Path to = Path.of(map(ab[1]));
                    Files.createDirectories(to.getParent());
                    Files.move(Path.of(map(ab[0])), to);
                }
                case "race:" -> { }
                default -> throw new IllegalArgumentException("unknown fixture line: " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("fixture line " + line, e);
        }
    }

    /** Deletes the whole tree without following symlinks. */
    @Override
    public void close() {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
