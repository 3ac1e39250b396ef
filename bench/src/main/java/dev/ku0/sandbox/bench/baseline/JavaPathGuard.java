package dev.ku0.sandbox.bench.baseline;

import dev.ku0.sandbox.FilesystemMode;
import dev.ku0.sandbox.FilesystemPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A correct pure-Java path check for the simple cases: symbolic links resolved by the system
 * ({@link Path#toRealPath}), a missing rest appended to the longest existing prefix, blocked entries
 * matched on the real and the written form by whole components, the credential directories under
 * the home protected, a hard link to a blocked file recognised by its file key, then the workspace
 * and the allowed paths by real path.
 *
 * <p>What it does not model it does not answer ({@link Answer#UNSUPPORTED}): globs, permissive
 * mode, {@code allow_symlinks: false}, hidden components while hidden files are allowed (where the
 * guard's protected entries decide), {@code /dev}, {@code /proc}, {@code /sys}, operations other
 * than the single-path ones, a {@code ..} or a dangling link in a missing part. It compares the
 * identity of the target only, not of every directory on the way (a renamed or bind-mounted
 * blocked directory): that makes it cheaper than a full port, never dearer.
 */
public final class JavaPathGuard {
    private static final List<String> CREDENTIALS = List.of(".ssh", ".aws", ".gnupg");

    private final FilesystemMode mode;
    private final boolean hiddenAllowed;
    private final Path cwd;
    private final Path home;
    private final List<Path> blocked = new ArrayList<>();
    private final List<Path> roots = new ArrayList<>();
    private final Set<Object> blockedKeys = new HashSet<>();
    private final boolean supported;

    /**
     * @param policy    the filesystem part of the policy
     * @param workspace the workspace (also the working directory of relative paths)
     * @param home      the home directory {@code ~} stands for
     */
    public JavaPathGuard(FilesystemPolicy policy, Path workspace, Path home) {
        this.mode = policy.mode();
        this.hiddenAllowed = policy.allowHiddenFiles();
        this.cwd = workspace.toAbsolutePath().normalize();
        this.home = home.toAbsolutePath().normalize();
        boolean ok = mode != FilesystemMode.PERMISSIVE && policy.allowSymlinks();
        List<String> blockedTexts = new ArrayList<>(policy.blockedPaths());
        for (String c : CREDENTIALS) blockedTexts.add("~/" + c);
        for (String b : blockedTexts) {
            if (isGlob(b)) {
                ok = false;
                continue;
            }
            Path p = absolute(b);
            if (p == null) {
                ok = false;
                continue;
            }
            Path lexical = p.normalize();
            blocked.add(lexical);
            Resolved r = resolve(lexical);
            if (r == null) {
                ok = false;
                continue;
            }
            blocked.add(r.real);
            key(r.real).ifPresent(blockedKeys::add);
        }
        if (mode == FilesystemMode.WORKSPACE) addRoot(cwd);
        for (String a : policy.allowedPaths()) {
            Path p = absolute(a);
            if (p == null || isGlob(a) || hidden(p)) {
                ok = false;
                continue;
            }
            addRoot(p.normalize());
        }
        if (hidden(cwd) && !hiddenAllowed) ok = false;
        for (Path r : roots) {
            if (r == null) ok = false;
        }
        this.supported = ok;
    }

    private void addRoot(Path p) {
        Resolved r = resolve(p);
        roots.add(r == null ? null : r.real);
    }

    /** The answer for one single-path operation ({@code read}, {@code write}, {@code create}, …). */
    public Answer check(String path, String operation) {
        if (!supported) return Answer.UNSUPPORTED;
        switch (operation) {
            case "read", "write", "create", "list", "execute", "create_dir" -> {}
            default -> {
                return Answer.UNSUPPORTED;
            }
        }
        if (path.isEmpty() || path.indexOf('\0') >= 0 || path.endsWith("/.")) return Answer.UNSUPPORTED;
        // A trailing slash names a directory (a final link is followed): only that case is read.
        boolean directory = path.length() > 1 && path.endsWith("/");
        while (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
        Path written = absolute(path);
        if (written == null) return Answer.UNSUPPORTED;
        Path lexical = written.normalize();
        Resolved r = resolve(written);
        if (r == null || (directory && !(r.exists && Files.isDirectory(r.real)))) return Answer.UNSUPPORTED;
        for (Path b : blocked) {
            if (r.real.startsWith(b) || lexical.startsWith(b)) return Answer.DENY;
        }
        if (r.exists && !blockedKeys.isEmpty() && key(r.real).map(blockedKeys::contains).orElse(false)) {
            return Answer.DENY;
        }
        if (device(r.real) || device(lexical)) return Answer.UNSUPPORTED;
        Path root = null;
        for (Path candidate : roots) {
            if (r.real.startsWith(candidate) && (root == null || candidate.getNameCount() > root.getNameCount())) {
                root = candidate;
            }
        }
        if (root == null) return Answer.DENY;
        if (hidden(root.relativize(r.real))) return hiddenAllowed ? Answer.UNSUPPORTED : Answer.DENY;
        for (Path w : new Path[] {written, lexical}) {
            // As written, a hidden name counts below the root; elsewhere it is left to the guard.
            if (w.startsWith(root) ? hidden(root.relativize(w)) : hidden(w)) {
                return hiddenAllowed || !w.startsWith(root) ? Answer.UNSUPPORTED : Answer.DENY;
            }
        }
        return Answer.ALLOW;
    }

    private static boolean device(Path p) {
        return p.startsWith("/dev") || p.startsWith("/proc") || p.startsWith("/sys");
    }

    private static boolean hidden(Path p) {
        for (Path name : p) {
            String s = name.toString();
            if (s.startsWith(".") && !s.equals(".") && !s.equals("..")) return true;
        }
        return false;
    }

    private static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** {@code ~} expanded, relative paths joined to the working directory; {@code null} if not a path. */
    private Path absolute(String text) {
        try {
            if (text.equals("~")) return home;
            if (text.startsWith("~/")) return home.resolve(text.substring(2));
            if (text.startsWith("~") || text.startsWith("file:")) return null;
            return cwd.resolve(text);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private record Resolved(Path real, boolean exists) {}

    /**
     * The real path: {@code toRealPath} when the whole path exists; otherwise the longest existing
     * prefix made real and the rest appended, when the rest has no {@code ..} and the first missing
     * entry is not a dangling link. {@code null} where that does not hold or the system refuses.
     */
    private static Resolved resolve(Path p) {
        try {
            return new Resolved(p.toRealPath(), true);
        } catch (IOException e) {
            // not there (or not a directory on the way): find the existing part
        }
        Path root = p.getRoot();
        int n = p.getNameCount();
        for (int k = n - 1; k >= 0; k--) {
            Path prefix = k == 0 ? root : root.resolve(p.subpath(0, k));
            Path real;
            try {
                real = prefix.toRealPath();
            } catch (IOException e) {
                continue;
            }
            Path next = prefix.resolve(p.getName(k));
            if (Files.isSymbolicLink(next) || !Files.isDirectory(real)) return null;
            Path rest = p.subpath(k, n);
            for (Path name : rest) {
                String s = name.toString();
                if (s.equals("..") || s.equals(".")) return null;
            }
            return new Resolved(real.resolve(rest), false);
        }
        return null;
    }

    private static java.util.Optional<Object> key(Path real) {
        try {
            return java.util.Optional.ofNullable(
                    Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}
